"""The entity panel (names in this article, across languages) and related stories."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from tui.app import core
from tui.app.screens.base import BackgroundMixin
from tui.app.textutil import one_line
from tui.library.model import ArticleSummary

if TYPE_CHECKING:
    from tui.app.app import DiglotApp


def _summary_option(summary: ArticleSummary, extra: str = "") -> Option:
    text = Text(f"{summary.lang}  ", style="bold")
    text.append(one_line(summary.title))
    meta = " · ".join(v for v in (summary.date or "", one_line(summary.source), extra) if v)
    if meta:
        text.append(f"\n    {meta}", style="dim")
    return Option(text, id=summary.id)


class EntityScreen(BackgroundMixin, Screen):
    """Left: entities of the article with counts and aliases; right: every article naming the chosen one."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="entities.back"),
    ]

    app: DiglotApp

    def __init__(self, article_id: str, title: str) -> None:
        super().__init__()
        self.article_id = article_id
        self.article_title = title
        self.entities: list[tuple[Any, int]] = []

    def compose(self) -> ComposeResult:
        title = Text("Names in ", style="bold")
        title.append(one_line(self.article_title), style="bold italic")
        yield Static(title, id="panel-title")
        with Horizontal(id="panel-body"):
            with Vertical(classes="panel-column"):
                yield Static("Entities (enter: stories naming it)", classes="panel-heading")
                yield OptionList(id="entity-list")
            with Vertical(classes="panel-column"):
                yield Static("Articles naming it", classes="panel-heading", id="naming-heading")
                yield OptionList(id="naming-list")
        yield Static("", id="panel-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#entity-list", OptionList).focus()
        self.query_one("#panel-status", Static).update(Text("Loading…"))
        library = self.app.library
        assert library is not None
        article_id = self.article_id

        def load() -> list[tuple[Any, int]]:
            core.ensure_analysed(library, core.get_article(library, article_id))
            return core.article_entities(library, article_id)

        self.background(load, self._show, group="entities")

    def _type_style(self, kind: str) -> Style:
        from tui.app.widgets.aligned import AlignedView

        try:
            view = self.app.query_one(AlignedView)
        except Exception:  # noqa: BLE001 - no reader underneath: plain
            return Style(bold=True)
        return view.get_component_rich_style(f"aligned--{kind.lower()}")

    def _show(self, entities: list[tuple[Any, int]]) -> None:
        self.entities = entities
        options = []
        for entity, count in entities:
            text = Text(f" {entity.type} ", style=self._type_style(entity.type))
            text.append(" ")
            text.append(one_line(entity.name), style="bold")
            text.append(f"  ×{count}", style="dim")
            aliases = " · ".join(
                f"{lang}: {', '.join(one_line(a) for a in names)}" for lang, names in sorted(entity.aliases.items())
                if names
            )
            if aliases:
                text.append(f"\n    {aliases}", style="dim")
            options.append(Option(text, id=entity.id))
        entity_list = self.query_one("#entity-list", OptionList)
        entity_list.clear_options()
        entity_list.add_options(options)
        if options:
            entity_list.highlighted = 0  # else enter does nothing until an arrow key is pressed
        status = f"{len(entities)} entities" if entities else "No names found in this article (yet)."
        self.query_one("#panel-status", Static).update(Text(status))

    def entity_names(self) -> list[str]:
        return [entity.name for entity, _ in self.entities]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if event.option_list.id == "entity-list":
            self.show_naming(option_id)
        elif option_id:
            self.app.open_article(option_id)

    def show_naming(self, entity_id: str) -> None:
        library = self.app.library
        assert library is not None
        name = next((e.name for e, _ in self.entities if e.id == entity_id), entity_id)
        heading = Text("Articles naming ")
        heading.append(one_line(name), style="bold")
        self.query_one("#naming-heading", Static).update(heading)

        def done(summaries: list[ArticleSummary]) -> None:
            naming = self.query_one("#naming-list", OptionList)
            naming.clear_options()
            naming.add_options([_summary_option(s) for s in summaries])
            if summaries:
                naming.highlighted = 0
            naming.focus()
            langs = sorted({s.lang for s in summaries})
            self.query_one("#panel-status", Static).update(
                Text(f"{len(summaries)} article(s) in {', '.join(langs) or '-'} name {one_line(name)}")
            )

        self.background(lambda: core.articles_naming(library, entity_id), done, group="naming", exclusive=True)

    def action_back(self) -> None:
        self.dismiss()


class RelatedScreen(BackgroundMixin, Screen):
    """Stories that share entities with this one, best first."""

    BINDINGS = [Binding("escape", "back", "Back", id="related.back")]

    app: DiglotApp

    def __init__(self, article_id: str, title: str) -> None:
        super().__init__()
        self.article_id = article_id
        self.article_title = title

    def compose(self) -> ComposeResult:
        title = Text("Related to ", style="bold")
        title.append(one_line(self.article_title), style="bold italic")
        yield Static(title, id="panel-title")
        yield OptionList(id="related-list")
        yield Static("Loading…", id="panel-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#related-list", OptionList).focus()
        library = self.app.library
        assert library is not None
        self.background(lambda: core.related_articles(library, self.article_id), self._show, group="related")

    def _show(self, related: list[tuple[ArticleSummary, float]]) -> None:
        listing = self.query_one("#related-list", OptionList)
        listing.add_options([_summary_option(s, f"score {score:.2f}") for s, score in related])
        if related:
            listing.highlighted = 0
        status = f"{len(related)} related article(s)" if related else "No related stories: no shared names."
        self.query_one("#panel-status", Static).update(Text(status))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.app.open_article(event.option.id)

    def action_back(self) -> None:
        self.dismiss()
