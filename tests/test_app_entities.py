"""The entity panel (names with counts and aliases; articles naming one in any language) and related stories."""

from __future__ import annotations

from pathlib import Path

from test_app_support import screen_text, settle
from textual.widgets import OptionList

from tui.app.app import DiglotApp
from tui.app.screens.entities import EntityScreen, RelatedScreen
from tui.app.screens.reader import ReaderScreen
from tui.app.widgets.aligned import AlignedView
from tui.pipeline import open_library


def _ids() -> dict[str, str]:
    library = open_library()
    try:
        return {s.lang: s.id for s in library.store.summaries(limit=10)}
    finally:
        library.close()


async def test_entity_panel_lists_names_and_articles_naming_them(diglot_home: Path) -> None:
    ids = _ids()
    app = DiglotApp()  # analyses both samples in the background after opening
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_article(ids["fr"])
        await settle(pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        # Names are coloured by type in the text.
        assert reader.doc is not None
        kinds = {kind for _, _, kind in reader.doc.src_marks}
        assert "PERSON" in kinds and "PLACE" in kinds
        view = reader.query_one(AlignedView)
        person = view.get_component_rich_style("aligned--person")
        assert any(seg.text.strip() == "Kishida" and seg.style and seg.style.color == person.color
                   for strip in view._lines for seg in strip)  # noqa: SLF001
        assert "PERSON" in screen_text(pilot)  # the legend

        await pilot.press("e")
        await settle(pilot)
        panel = app.screen
        assert isinstance(panel, EntityScreen)
        names = panel.entity_names()
        assert any("Kishida" in name for name in names)
        assert "Kishida" in screen_text(pilot)
        kishida = next(entity for entity, _ in panel.entities if "Kishida" in entity.name)
        panel.show_naming(kishida.id)
        await settle(pilot)
        naming = panel.query_one("#naming-list", OptionList)
        assert {naming.get_option_at_index(i).id for i in range(naming.option_count)} == {ids["fr"], ids["it"]}
        assert "in fr, it" in screen_text(pilot)
        # Enter on an article opens it.
        naming.focus()
        naming.highlighted = next(i for i in range(naming.option_count)
                                  if naming.get_option_at_index(i).id == ids["it"])
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.article_id == ids["it"]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, EntityScreen)


async def test_related_stories(diglot_home: Path) -> None:
    ids = _ids()
    app = DiglotApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_article(ids["fr"])
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, RelatedScreen)
        listing = app.screen.query_one("#related-list", OptionList)
        assert [listing.get_option_at_index(i).id for i in range(listing.option_count)] == [ids["it"]]
