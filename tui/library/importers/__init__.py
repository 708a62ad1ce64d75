"""Importers, one per file format, and the registry that picks one by file extension and by content."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tui.library.importers.base import FormatError, Importer, Parsed, RecordRefusal
from tui.library.importers.feed import FeedImporter
from tui.library.importers.html import HtmlImporter
from tui.library.importers.jsonfmt import JsonImporter, JsonLinesImporter
from tui.library.importers.markdown import MarkdownImporter
from tui.library.importers.text import TextImporter

__all__ = ["FormatError", "Importer", "Parsed", "RecordRefusal", "EXTENSIONS", "choose", "sniff", "by_name"]

TEXT, MARKDOWN, JSON, JSONL, HTML, FEED = (
    TextImporter(),
    MarkdownImporter(),
    JsonImporter(),
    JsonLinesImporter(),
    HtmlImporter(),
    FeedImporter(),
)
_BY_NAME: dict[str, Importer] = {imp.name: imp for imp in (TEXT, MARKDOWN, JSON, JSONL, HTML, FEED)}

# Extensions a folder import picks up (a file named on the command line is always tried).
EXTENSIONS: dict[str, Importer] = {
    ".txt": TEXT,
    ".text": TEXT,
    ".md": MARKDOWN,
    ".markdown": MARKDOWN,
    ".mdown": MARKDOWN,
    ".json": JSON,
    ".jsonl": JSONL,
    ".ndjson": JSONL,
    ".jsonlines": JSONL,
    ".html": HTML,
    ".htm": HTML,
    ".xhtml": HTML,
    ".shtml": HTML,
    ".rss": FEED,
    ".atom": FEED,
    ".xml": FEED,
    ".rdf": FEED,
}

_FEED = re.compile(r"<(?:rss|feed|rdf:RDF)\b", re.IGNORECASE)
_HTML = re.compile(r"^(?:<!doctype\s+html|<html\b)|<(?:head|body)\b", re.IGNORECASE)
_FRONT_MATTER = re.compile(r"^---[ \t]*\r?\n(?:[^\n]*\n){0,200}?---[ \t]*(?:\r?\n|$)")


def by_name(name: str) -> Importer:
    return _BY_NAME[name]


def _head(text: str) -> str:
    return text[:8192].lstrip("\ufeff \t\r\n")


def sniff(text: str) -> Importer | None:
    """The format the content itself announces, or None when it looks like prose."""
    head = _head(text)
    if head.startswith("<"):
        # Skip an XML declaration and comments before the first real element.
        body = re.sub(r"^(?:<\?xml[^>]*>|<!--.*?-->|\s)*", "", head, flags=re.DOTALL)
        if _FEED.match(body):
            return FEED
        if _HTML.search(head[:4096]):
            return HTML
        if head.startswith("<?xml") and _FEED.search(head):
            return FEED
        return None
    if head.startswith("{"):
        first = head.split("\n", 1)[0].strip()
        try:
            json.loads(first)
        except json.JSONDecodeError:
            return JSON  # an object spread over several lines
        rest = text.lstrip("\ufeff \t\r\n").split("\n", 1)
        return JSONL if len(rest) > 1 and rest[1].strip() else JSON
    if re.match(r"^\[\s*(?:[{\[\]\"]|$)", head):
        return JSON
    if _FRONT_MATTER.match(head):
        return MARKDOWN
    return None


def choose(path: Path, text: str) -> Importer:
    """By extension, unless the content clearly says otherwise; by content for unknown extensions."""
    by_ext = EXTENSIONS.get(path.suffix.lower())
    found = sniff(text)
    if by_ext is None:
        return found or TEXT
    if found is None:
        return by_ext  # a .json that is not JSON is refused with the parser's reason
    if by_ext in (TEXT, MARKDOWN):
        # Prose may start with "[" or "{"; only markup or front matter overrides a text extension.
        return found if found in (HTML, FEED, MARKDOWN) else by_ext
    return found
