"""Untrusted article text as Rich Text: control characters made visible, never parsed as markup."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.style import Style
from rich.text import Text

from tui.textsafe import printable


def one_line(value: str | None) -> str:
    """A title or snippet on one row: newlines and tabs become spaces (after printable())."""
    return " ".join(printable(value or "").replace("\t", " ").split())


def flat(value: str | None) -> str:
    """Line breaks and tabs as spaces, keeping every offset (for snippets with highlight spans)."""
    return (value or "").replace("\r", " ").replace("\n", " ").replace("\t", " ")


def offset_map(raw: str) -> tuple[str, Callable[[int], int]]:
    """printable(raw) and a function mapping an offset in raw to the same place in the shown text.

    printable() may turn one character into several (\\u202e -> "\\u202e" spelled out), so spans computed
    on the stored text (entities, search hits, sentences) are moved with this map.
    """
    shown = printable(raw)
    if len(shown) == len(raw):
        return shown, lambda i: i
    positions: list[int] = []
    pos = 0
    for char in raw:
        positions.append(pos)
        pos += len(printable(char))
    positions.append(pos)
    last = len(raw)
    return shown, lambda i: positions[max(0, min(i, last))]


def safe_text(value: str | None, style: str | Style = "", spans: Iterable[tuple[int, int, Style]] = ()) -> Text:
    """A Text whose characters are shown literally: `[bold]` stays `[bold]`, ESC shows as ␛.

    `spans` are (start, end, style) in offsets of `value` as stored.
    """
    shown, move = offset_map(value or "")
    text = Text(shown, style=style)
    for start, end, span_style in spans:
        text.stylize(span_style, move(start), move(end))
    return text
