"""The reader's text view: original, translation, or both side by side with each sentence pair on the same row.

One widget draws both columns, so the panes scroll together by construction and a sentence and its translation
always start on the same row (the shorter block is padded). Lines are computed once per change and drawn
with the Line API, so only visible rows are painted.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.app.core import ENTITY_TYPES
from tui.app.textutil import offset_map

MODES = ("original", "translation", "side")
FLAG_MARK = "⚑"


@dataclass(slots=True)
class Sentence:
    """One source sentence (offsets into the article text) and what is known of its translation."""

    src: tuple[int, int]
    target: str | None = None
    flag: str | None = None
    tgt: tuple[int, int] | None = None  # offsets into ReaderDoc.translation_text


@dataclass(slots=True)
class ReaderDoc:
    """Everything the view draws; the screen fills it from the store, the translator and the entity room."""

    text: str
    lang: str
    paragraphs: list[list[Sentence]]
    target_lang: str = "en"
    translation_text: str = ""
    pending: str = "…"  # shown where a translation is still to come ("" when none is coming)
    src_marks: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, kind)
    tgt_marks: list[tuple[int, int, str]] = field(default_factory=list)

    @property
    def sentences(self) -> list[Sentence]:
        return [s for p in self.paragraphs for s in p]

    def assemble_translation(self) -> None:
        """translation_text from the sentence targets, joined exactly as ArticleTranslation.text joins them
        (so entity offsets of the translation layer apply); sets each sentence's `tgt` span."""
        parts: list[str] = []
        pos = 0
        for p_index, paragraph in enumerate(self.paragraphs):
            if p_index:
                parts.append("\n\n")
                pos += 2
            first = True
            for sentence in paragraph:
                if not sentence.target:
                    sentence.tgt = (pos, pos)
                    continue
                if not first:
                    parts.append(" ")
                    pos += 1
                sentence.tgt = (pos, pos + len(sentence.target))
                parts.append(sentence.target)
                pos += len(sentence.target)
                first = False
        self.translation_text = "".join(parts)


class _Marker:
    """Cuts Text pieces out of one raw text, each styled with the marks (entities, hits) that fall inside it.

    Cutting the raw string and styling the piece is linear; slicing one big styled Text is not.
    """

    def __init__(self, raw: str, marks: list[tuple[int, int, str]], styles: dict[str, Style], entities: bool):
        kept = sorted(((s, e, k) for s, e, k in marks if k == "hit" or entities), key=lambda m: m[0])
        self.raw = raw
        self.marks = kept
        self.starts = [m[0] for m in kept]
        self.longest = max((e - s for s, e, _ in kept), default=0)
        self.styles = styles

    def piece(self, start: int, end: int) -> Text:
        shown, move = offset_map(self.raw[start:end])
        text = Text(shown)
        low = bisect_left(self.starts, start - self.longest)
        high = bisect_left(self.starts, end)
        inside = [m for m in self.marks[low:high] if m[1] > start]
        # Entities first, hits last so a hit inside a name still shows as a hit.
        for m_start, m_end, kind in sorted(inside, key=lambda m: m[2] == "hit"):
            style = self.styles.get(kind) or self.styles["OTHER"]
            text.stylize(style, move(max(m_start, start) - start), move(min(m_end, end) - start))
        return text


def _strip(line: Text, console) -> Strip:  # noqa: ANN001 - rich Console
    return Strip(list(line.render(console, end="")), line.cell_len)


class AlignedView(ScrollView, can_focus=True):
    """Sentence cursor (up/down, j/k) highlights the pair in both columns."""

    COMPONENT_CLASSES = {
        "aligned--cursor",
        "aligned--hit",
        "aligned--flag",
        "aligned--pending",
        "aligned--rule",
        *(f"aligned--{kind.lower()}" for kind in ENTITY_TYPES),
    }

    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Prev sentence", show=False, id="reader.prev"),
        Binding("down,j", "cursor(1)", "Next sentence", show=False, id="reader.next"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="reader.page_up"),
        Binding("pagedown,space", "page(1)", "Page down", show=False, id="reader.page_down"),
        Binding("home", "edge(0)", "Top", show=False, id="reader.top"),
        Binding("end", "edge(1)", "Bottom", show=False, id="reader.bottom"),
    ]

    class CursorMoved(Message):
        def __init__(self, index: int, total: int) -> None:
            super().__init__()
            self.index = index
            self.total = total

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.doc: ReaderDoc | None = None
        self.mode = "original"
        self.cursor = 0
        self.show_entities = True
        self._lines: list[Strip] = []
        self._sentence_lines: list[tuple[int, int]] = []
        # (first line, last line, redraw) per redrawable block: a sentence pair, or a paragraph in one column.
        self._blocks: list[tuple[int, int, Callable[[], list[Strip]]]] = []
        self._built_width = -1
        self._built_cursor = 0
        self._layout_width = 0
        self._src_marker: _Marker | None = None
        self._tgt_marker: _Marker | None = None
        self._paint: tuple[int, Style] | None = None

    # -- state -----------------------------------------------------------------------------------------
    def set_doc(self, doc: ReaderDoc) -> None:
        self.doc = doc
        self.cursor = min(self.cursor, max(0, len(doc.sentences) - 1))
        self.rebuild()

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.rebuild(scroll=True)

    def set_show_entities(self, show: bool) -> None:
        self.show_entities = show
        self.rebuild()

    def plain_lines(self) -> list[str]:
        """The text of every line (tests and debugging)."""
        return [strip.text for strip in self._lines]

    def sentence_count(self) -> int:
        return len(self.doc.sentences) if self.doc else 0

    def move_cursor(self, index: int) -> None:
        total = self.sentence_count()
        if not total:
            return
        old = self._built_cursor
        self.cursor = max(0, min(index, total - 1))
        if self.cursor != old:
            self._redraw_cursor(old)
        else:
            self._scroll_to_cursor()
        self.post_message(self.CursorMoved(self.cursor, total))

    # -- actions ---------------------------------------------------------------------------------------
    def action_cursor(self, delta: int) -> None:
        self.move_cursor(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        height = max(1, self.scrollable_content_region.height - 1)
        top = max(0, min(int(self.scroll_offset.y) + direction * height, max(0, len(self._lines) - height)))
        # Put the cursor on the first sentence visible from the new top, like a pager would.
        old = self._built_cursor
        for index, (_first, last) in enumerate(self._sentence_lines):
            if last >= top:
                self.cursor = index
                break
        if self.cursor != old:
            self._redraw_cursor(old)
        self.scroll_to(y=top, animate=False, immediate=True)
        self.post_message(self.CursorMoved(self.cursor, self.sentence_count()))

    def action_edge(self, end: int) -> None:
        self.move_cursor(self.sentence_count() - 1 if end else 0)

    # -- building lines --------------------------------------------------------------------------------
    def on_resize(self) -> None:
        if self.scrollable_content_region.width != self._built_width:
            self.rebuild(scroll=True)

    def _styles(self) -> dict[str, Style]:
        # Partial: only what the rule sets (colour, bold...), so the cursor's background shows through names.
        styles = {
            kind: self.get_component_rich_style(f"aligned--{kind.lower()}", partial=True) for kind in ENTITY_TYPES
        }
        styles["hit"] = self.get_component_rich_style("aligned--hit")
        return styles

    def _marker(self, raw: str, marks: list[tuple[int, int, str]], styles: dict[str, Style] | None = None) -> _Marker:
        return _Marker(raw, marks, styles or self._styles(), self.show_entities)

    def rebuild(self, *, scroll: bool = False) -> None:
        """Recompute every line (new text, marks, mode or width)."""
        self._built_width = self.scrollable_content_region.width
        width = self._built_width - 1  # a column of air before the scrollbar
        self._lines = []
        self._sentence_lines = []
        self._blocks = []
        self._built_cursor = self.cursor
        self._src_marker = self._tgt_marker = None
        if self.doc is not None and width > 1:
            styles = self._styles()
            self._src_marker = self._marker(self.doc.text, self.doc.src_marks, styles)
            self._tgt_marker = self._marker(self.doc.translation_text, self.doc.tgt_marks, styles)
            self._layout_width = width
            if self.mode == "side" and width >= 20:
                self._build_side(width)
            else:
                self._build_flow(width, translation=self.mode == "translation")
        self.virtual_size = Size(0, len(self._lines))
        if scroll:
            self._scroll_to_cursor()
        self.refresh()

    def _scroll_to_cursor(self) -> None:
        if self._sentence_lines and self.cursor < len(self._sentence_lines):
            first, last = self._sentence_lines[self.cursor]
            self.scroll_to_region(Region(0, first, 1, last - first + 1), animate=False, immediate=True, force=True)

    def _redraw_cursor(self, old: int) -> None:
        """Only the cursor moved: redraw the blocks of the old and the new sentence (heights do not change)."""
        if not self._blocks or self._src_marker is None:
            self.rebuild(scroll=True)
            return
        self._built_cursor = self.cursor
        for block in {self._block_of(old), self._block_of(self.cursor)}:
            first, last, draw = self._blocks[block]
            lines = draw()
            if len(lines) != last - first + 1:  # should not happen; be safe
                self.rebuild(scroll=True)
                return
            self._lines[first : last + 1] = lines
        self._scroll_to_cursor()
        self.refresh()

    def _block_of(self, sentence_index: int) -> int:
        for index, (first, last, _) in enumerate(self._blocks):
            s_first, _s_last = self._sentence_lines[sentence_index]
            if first <= s_first <= last:
                return index
        return 0

    def _target_piece(self, sentence: Sentence) -> Text:
        if sentence.target is None or sentence.tgt is None:
            if sentence.flag:
                flag = self.get_component_rich_style("aligned--flag", partial=True)
                return Text(f"{FLAG_MARK} {sentence.flag}", style=flag)
            assert self.doc is not None
            return Text(self.doc.pending, style=self.get_component_rich_style("aligned--pending", partial=True))
        assert self._tgt_marker is not None
        piece = self._tgt_marker.piece(*sentence.tgt)
        if sentence.flag:
            flag = self.get_component_rich_style("aligned--flag", partial=True)
            marker = Text(f"{FLAG_MARK} {sentence.flag}: ", style=flag)
            piece.stylize(flag)
            piece = marker + piece
        return piece

    def _build_side(self, width: int) -> None:
        assert self.doc is not None
        console = self.app.console
        gap = 3
        left_w = (width - gap) // 2
        right_w = width - gap - left_w
        cursor_style = self.get_component_rich_style("aligned--cursor")
        rule = Strip([Segment(" │ ", self.get_component_rich_style("aligned--rule"))], gap)
        blank_rule = Strip([Segment(" " * left_w), *rule, Segment(" " * right_w)], width)

        def draw(index: int, sentence: Sentence) -> list[Strip]:
            assert self._src_marker is not None
            left = self._src_marker.piece(*sentence.src)
            right = self._target_piece(sentence)
            pad_style = Style()
            if index == self.cursor:
                left.stylize_before(cursor_style)
                right.stylize_before(cursor_style)
                pad_style = cursor_style
            left_lines = left.wrap(console, left_w)
            right_lines = right.wrap(console, right_w)
            lines = []
            for row in range(max(len(left_lines), len(right_lines), 1)):
                lstrip = _strip(left_lines[row], console) if row < len(left_lines) else Strip([])
                rstrip = _strip(right_lines[row], console) if row < len(right_lines) else Strip([])
                lines.append(Strip.join([lstrip.adjust_cell_length(left_w, pad_style), rule,
                                         rstrip.adjust_cell_length(right_w, pad_style)]))
            return lines

        index = 0
        for p_index, paragraph in enumerate(self.doc.paragraphs):
            if p_index:
                self._lines.append(blank_rule)
            for sentence in paragraph:
                first = len(self._lines)
                block = partial(draw, index, sentence)
                self._lines.extend(block())
                self._sentence_lines.append((first, len(self._lines) - 1))
                self._blocks.append((first, len(self._lines) - 1, block))
                index += 1

    def _build_flow(self, width: int, *, translation: bool) -> None:
        """One column of paragraphs; the cursor sentence highlighted inside its paragraph."""
        assert self.doc is not None
        console = self.app.console
        cursor_style = self.get_component_rich_style("aligned--cursor")

        def pieces_of(first_index: int, paragraph: list[Sentence]) -> list[Text]:
            pieces: list[Text] = []
            for s_index, sentence in enumerate(paragraph):
                if translation:
                    piece = self._target_piece(sentence)
                    if s_index < len(paragraph) - 1:
                        piece.append(" ")
                else:
                    assert self._src_marker is not None
                    # Keep the text between sentences (spaces) by cutting at the next sentence's start.
                    end = paragraph[s_index + 1].src[0] if s_index < len(paragraph) - 1 else sentence.src[1]
                    piece = self._src_marker.piece(sentence.src[0], end)
                if first_index + s_index == self.cursor:
                    piece.stylize_before(cursor_style)
                pieces.append(piece)
            return pieces

        def draw(first_index: int, paragraph: list[Sentence]) -> list[Strip]:
            para_text = Text().join(pieces_of(first_index, paragraph))
            return [_strip(line, console).adjust_cell_length(width) for line in para_text.wrap(console, width)]

        index = 0
        for p_index, paragraph in enumerate(self.doc.paragraphs):
            if p_index:
                self._lines.append(Strip.blank(width))
            first_line = len(self._lines)
            block = partial(draw, index, paragraph)
            self._lines.extend(block())
            last_line = len(self._lines) - 1
            self._blocks.append((first_line, last_line, block))
            # Where each sentence starts: count the lines of the wrapped text before it (short prefixes only
            # get wrapped, so a paragraph costs about one extra wrap per sentence of plain text).
            plain = [p.plain for p in pieces_of(-1, paragraph)]
            offset = 0
            starts: list[int] = []
            joined = "".join(plain)
            for piece in plain:
                if offset == 0:
                    starts.append(first_line)
                else:
                    starts.append(first_line + len(Text(joined[:offset]).wrap(console, width)) - 1)
                offset += len(piece)
            for k, line_no in enumerate(starts):
                end_line = starts[k + 1] if k + 1 < len(starts) else last_line
                self._sentence_lines.append((line_no, max(line_no, end_line)))
            index += len(paragraph)

    # -- drawing ---------------------------------------------------------------------------------------
    def render_lines(self, crop: Region) -> list[Strip]:
        # Width and base style once per paint, not once per row (each lookup walks the CSS: ~0.1 ms a row).
        self._paint = (self.scrollable_content_region.width, self.rich_style)
        try:
            return super().render_lines(crop)
        finally:
            self._paint = None

    def render_line(self, y: int) -> Strip:
        width, style = self._paint or (self.scrollable_content_region.width, self.rich_style)
        line_no = self.scroll_offset.y + y
        if 0 <= line_no < len(self._lines):
            return self._lines[line_no].adjust_cell_length(width).apply_style(style)
        return Strip.blank(width, style)
