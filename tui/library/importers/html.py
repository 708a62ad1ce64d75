"""Web pages saved as HTML: the article's main text (trafilatura) and its title, date and site."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

from tui.library.importers.base import FormatError, Parsed, file_key, normalise_date, normalise_lang
from tui.library.importers.htmltext import html_to_text_and_title
from tui.library.model import ArticleDraft

_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)", re.IGNORECASE)
_CANONICAL = re.compile(
    r"<link\b[^>]*rel=[\"']?canonical[\"']?[^>]*href=[\"']([^\"'>\s]+)|"
    r"<meta\b[^>]*property=[\"']og:url[\"'][^>]*content=[\"']([^\"'>\s]+)",
    re.IGNORECASE,
)


class HtmlImporter:
    name = "html"

    def parse(self, text: str, path: Path) -> Iterator[Parsed]:
        import trafilatura

        logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # it logs each page it finds too short
        logging.getLogger("htmldate").setLevel(logging.CRITICAL)
        head = text[:65536]
        lang_match = _HTML_LANG.search(head)
        url_match = _CANONICAL.search(head)
        url = (url_match.group(1) or url_match.group(2)) if url_match else None
        try:
            doc = trafilatura.bare_extraction(text, url=url, with_metadata=True, include_comments=False)
        except Exception:  # noqa: BLE001 - a parser crash on hostile markup must not stop the import
            doc = None
        body = title = date = source = None
        if doc is not None and (doc.text or "").strip():
            title = doc.title
            date = doc.date
            source = doc.sitename or doc.hostname
            body = _paragraphs(doc.text, title)
        fallback_body, page_title = html_to_text_and_title(text)
        if not body:
            body = fallback_body  # short pages (trafilatura wants a minimum length) and truncated files
        if not body.strip():
            raise FormatError("no readable text in the page")
        yield ArticleDraft(
            source_key=file_key(path),
            raw=body,
            title=title or page_title,
            date=normalise_date(date),
            lang=normalise_lang(lang_match.group(1)) if lang_match else None,
            source=source,
            extra={"url": url} if url else {},
        )


def _paragraphs(text: str, title: str | None) -> str:
    """trafilatura gives one paragraph per line, the page heading often first: drop that repeat of the title."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if title and lines and " ".join(lines[0].split()).casefold() == " ".join(title.split()).casefold():
        lines = lines[1:]
    return "\n\n".join(lines)
