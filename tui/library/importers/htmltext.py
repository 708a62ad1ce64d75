"""HTML fragments to plain text with paragraph breaks (feed entries, pages trafilatura finds too short).

The standard library parser copes with truncated or broken markup: whatever text was read is kept.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "aside",
    "main",
    "blockquote",
    "pre",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "figure",
    "figcaption",
    "hr",
    "address",
}
_SKIP = {"script", "style", "noscript", "template", "svg", "head", "iframe", "object", "button", "form", "select"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "track", "wbr"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []
        self.title: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP and tag not in _VOID:
            self.skipping.append(tag)
        elif tag == "title":
            self.in_title = True
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and tag == self.skipping[-1]:
            self.skipping.pop()
        elif tag in _SKIP and tag in self.skipping:
            while self.skipping and self.skipping.pop() != tag:
                pass
        elif tag == "title":
            self.in_title = False
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.skipping:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Visible text, one paragraph per block element, whitespace inside a paragraph collapsed."""
    text, _ = html_to_text_and_title(markup)
    return text


def html_to_text_and_title(markup: str) -> tuple[str, str | None]:
    collector = _Collector()
    try:
        collector.feed(markup)
        collector.close()
    except (AssertionError, ValueError):  # very old parsers raised on some malformed declarations
        pass
    joined = "".join(collector.parts)
    paragraphs = []
    for block in re.split(r"\n\s*\n", joined):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        block_text = "\n".join(line for line in lines if line)
        if block_text:
            paragraphs.append(block_text)
    title = " ".join("".join(collector.title).split()) or None
    return "\n\n".join(paragraphs), title
