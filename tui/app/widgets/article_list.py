"""A virtual article list: renders only visible rows and asks for pages it lacks, so 100k articles paint fast."""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

from tui.app.core import Row
from tui.app.textutil import flat, one_line, safe_text

PAGE_SIZE = 100
# Search hits come with snippets, which cost per hit (text read and highlighted): pages of a screenful.
SEARCH_PAGE_SIZE = 20


def header_text(width: int) -> Text:
    """Column titles aligned with the rows."""
    cols = _columns(width)
    text = Text(no_wrap=True)
    text.append(" ✓ ")
    text.append(_cell("lang", cols["lang"]))
    text.append(_cell("date", cols["date"]))
    text.append(_cell("title", cols["title"]))
    text.append(_cell("source", cols["source"]))
    text.append("ents".rjust(cols["ents"]))
    return text


class ListHeader(Static):
    """The column titles, laid out when painted for the list's width then (scrollbar or not), so they are right
    in the first frame; `refresh()` after anything that may change that width."""

    def __init__(self, articles: ArticleList, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__("", id=id)
        self._articles = articles

    def render(self) -> Text:
        articles = self._articles
        return header_text(articles.scrollable_content_region.width or articles.size.width)


def _columns(width: int) -> dict[str, int]:
    source = 16 if width >= 110 else 12 if width >= 70 else 0
    date = 11 if width >= 50 else 0
    fixed = 3 + 5 + date + source + 4
    return {"lang": 5, "date": date, "source": source, "ents": 4, "title": max(8, width - fixed)}


def _cell(value: str, width: int, style: Style | str = "") -> Text:
    if width <= 0:
        return Text()
    text = Text(value, no_wrap=True, style=style)
    text.truncate(width - 1, overflow="ellipsis", pad=True)
    text.append(" ")
    return text


@dataclass(slots=True, frozen=True)
class _PaintStyles:
    """What every row of one paint shares."""

    width: int
    base: Style
    cursor: Style  # base + the cursor style (dimmer when the list has no focus)
    dim: Style
    ok: Style
    lang: Style
    hit: Style


class ArticleList(ScrollView, can_focus=True):
    """Rows are kept per index; missing ones are fetched a page at a time by whoever owns the list."""

    COMPONENT_CLASSES = {
        "article-list--cursor",
        "article-list--dim",
        "article-list--hit",
        "article-list--ok",
        "article-list--lang",
    }

    BINDINGS = [
        Binding("up,k", "cursor_up", "Up", show=False, id="list.up"),
        Binding("down,j", "cursor_down", "Down", show=False, id="list.down"),
        Binding("pageup", "page_up", "Page up", show=False, id="list.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="list.page_down"),
        Binding("home", "first", "First", show=False, id="list.first"),
        Binding("end", "last", "Last", show=False, id="list.last"),
        Binding("enter", "select", "Open", tooltip="Open the article under the cursor", id="list.open"),
    ]

    cursor: reactive[int] = reactive(0)

    class PageWanted(Message):
        """The list needs rows [offset, offset + page_size) of generation `generation`."""

        def __init__(self, generation: int, offset: int) -> None:
            super().__init__()
            self.generation = generation
            self.offset = offset

    class Opened(Message):
        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.total = 0
        self.generation = 0
        self.row_height = 1
        self.page_size = PAGE_SIZE
        self._rows: dict[int, Row] = {}
        self._requested: set[int] = set()

    # -- data ------------------------------------------------------------------------------------------
    def reset(self, generation: int, total: int, rows: list[Row], *, snippets: bool) -> None:
        """New content (a new query or filter): first page given, the rest fetched on demand."""
        self.generation = generation
        self.total = total
        self.row_height = 2 if snippets else 1
        self.page_size = SEARCH_PAGE_SIZE if snippets else PAGE_SIZE
        self._rows = {i: row for i, row in enumerate(rows)}
        self._requested = {0}
        self.virtual_size = Size(0, total * self.row_height)
        self.set_reactive(ArticleList.cursor, 0)
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()

    def add_page(self, generation: int, offset: int, rows: list[Row]) -> None:
        if generation != self.generation:
            return  # a page for an older query: drop it
        for i, row in enumerate(rows):
            self._rows[offset + i] = row
        self.refresh()

    def page_failed(self, generation: int, offset: int) -> None:
        if generation == self.generation:
            self._requested.discard(offset)

    @property
    def current(self) -> Row | None:
        return self._rows.get(self.cursor)

    def loaded_rows(self) -> list[Row]:
        return [self._rows[i] for i in sorted(self._rows)]

    # -- rendering -------------------------------------------------------------------------------------
    def _want(self, index: int) -> None:
        offset = index - index % self.page_size
        if offset not in self._requested:
            self._requested.add(offset)
            self.post_message(self.PageWanted(self.generation, offset))

    def render_lines(self, crop: Region) -> list[Strip]:
        # Width and styles once per paint, not once per row: `rich_style` walks every ancestor's styles, and
        # a full paint of the list (first screen, scrolling) calls render_line for every visible row.
        self._paint = self._paint_styles()
        try:
            return super().render_lines(crop)
        finally:
            self._paint = None

    _paint: _PaintStyles | None = None

    def _paint_styles(self) -> _PaintStyles:
        cursor = self.get_component_rich_style("article-list--cursor")
        base = self.rich_style
        return _PaintStyles(
            width=self.scrollable_content_region.width, base=base,
            cursor=base + (cursor if self.has_focus else Style(bgcolor=cursor.bgcolor)),
            dim=self.get_component_rich_style("article-list--dim", partial=True),
            ok=self.get_component_rich_style("article-list--ok", partial=True),
            lang=self.get_component_rich_style("article-list--lang", partial=True),
            hit=self.get_component_rich_style("article-list--hit"),
        )

    def render_line(self, y: int) -> Strip:
        paint = self._paint or self._paint_styles()
        width = paint.width
        _, scroll_y = self.scroll_offset
        index, sub = divmod(scroll_y + y, self.row_height)
        base = paint.base
        if index >= self.total or width <= 0:
            return Strip.blank(width, base)
        row = self._rows.get(index)
        if row is None:
            self._want(index)
            text = Text("  …", style=paint.dim)
        elif sub == 0:
            text = self._main_line(row, width, paint)
        else:
            text = self._snippet_line(row, width, paint)
        text.truncate(width, overflow="ellipsis", pad=True)
        style = paint.cursor if index == self.cursor else base
        segments = list(text.render(self.app.console, end=""))
        strip = Strip(Segment.apply_style(segments, style), text.cell_len)
        return strip.adjust_cell_length(width, style)

    def _main_line(self, row: Row, width: int, paint: _PaintStyles) -> Text:
        cols = _columns(width)
        ok, dim, lang = paint.ok, paint.dim, paint.lang
        text = Text(no_wrap=True)
        text.append(" ✓ " if row.translated else "   ", style=ok)
        text.append_text(_cell(row.lang, cols["lang"], lang))
        text.append_text(_cell(row.date or "", cols["date"], dim))
        text.append_text(_cell(one_line(row.title), cols["title"]))
        text.append_text(_cell(one_line(row.source), cols["source"], dim))
        ents = "" if row.entity_count in (None, 0) else str(row.entity_count)
        text.append(ents.rjust(cols["ents"]), style=dim)
        return text

    def _snippet_line(self, row: Row, width: int, paint: _PaintStyles) -> Text:
        hit = paint.hit
        snippet = safe_text(
            flat(row.snippet), style=paint.dim,
            spans=[(start, end, hit) for start, end in row.highlights],
        )
        # Show the first highlight even when the snippet is longer than the row.
        room = width - 9
        if row.highlights and room > 10 and row.highlights[0][0] > room - 10:
            cut = row.highlights[0][0] - 15
            snippet = Text("…").append_text(snippet[cut:])
        line = Text("        ", no_wrap=True)
        line.append_text(snippet)
        return line

    # -- cursor ----------------------------------------------------------------------------------------
    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, self.total - 1)) if self.total else 0

    def watch_cursor(self, old: int, new: int) -> None:
        self.scroll_to_region(
            Region(0, new * self.row_height, 1, self.row_height), animate=False, immediate=True, force=True
        )
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_resize(self) -> None:
        self.virtual_size = Size(0, self.total * self.row_height)

    def _visible_rows(self) -> int:
        return max(1, self.scrollable_content_region.height // self.row_height)

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_page_up(self) -> None:
        self.cursor -= self._visible_rows()

    def action_page_down(self) -> None:
        self.cursor += self._visible_rows()

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = self.total - 1

    def action_select(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Opened(row.article_id))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = (offset.y + int(self.scroll_offset.y)) // self.row_height
        if 0 <= index < self.total:
            if index == self.cursor and event.chain >= 2:
                self.action_select()
            self.cursor = index
