"""Import from the app: type a path, the import runs in a worker, the summary lists refusals, the list grows."""

from __future__ import annotations

from pathlib import Path

from test_app_support import list_titles, screen_text, settle
from textual.widgets import Input

from tui.app.app import DiglotApp
from tui.app.screens.importer import ImportScreen
from tui.app.screens.library import LibraryScreen


async def test_import_flow(diglot_home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "bruxelles.txt").write_text(
        "La Commission présente un plan\n\nLa Commission européenne a présenté mercredi un plan à Bruxelles. "
        "Le texte prévoit des aides pour les agriculteurs.\n",
        encoding="utf-8",
    )
    (folder / "empty.txt").write_text("", encoding="utf-8")
    app = DiglotApp(analyse_on_open=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert len(list_titles(pilot)) == 2
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen)
        field = app.screen.query_one("#import-path", Input)
        assert field.has_focus
        field.value = str(folder)
        await pilot.press("enter")
        await settle(pilot)
        summary = app.screen.summary_text()
        assert "Imported 1" in summary
        assert "refused 1" in summary
        assert "empty.txt" in summary and "empty file" in summary
        assert "Imported 1" in screen_text(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        titles = list_titles(pilot)
        assert len(titles) == 3
        # The new article is indexed: search finds it.
        await pilot.press("slash", *"agriculteurs", "enter")
        await settle(pilot)
        assert len(list_titles(pilot)) == 1


async def test_import_of_a_missing_path_reports_it(diglot_home: Path, tmp_path: Path) -> None:
    app = DiglotApp(analyse_on_open=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one("#import-path", Input).value = str(tmp_path / "nowhere" / "*.txt")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ImportScreen)
        text = app.screen.summary_text()
        assert "Imported 0" in text or "No" in text or "nowhere" in text
