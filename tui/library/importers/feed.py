"""RSS and Atom feed files: each entry is one article; HTML in entries is reduced to text."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tui.library.importers.base import FormatError, Parsed, RecordRefusal, normalise_date, normalise_lang, record_key
from tui.library.importers.htmltext import html_to_text
from tui.library.model import ArticleDraft

_XML_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*)(["'])[^"']*\2""", re.IGNORECASE)
_SLUG = re.compile(r"[^A-Za-z0-9._-]+")


class FeedImporter:
    name = "feed"

    def parse(self, text: str, path: Path) -> Iterator[Parsed]:
        import feedparser

        # The text is already decoded: tell the parser so, whatever the XML declaration said. A stream (not a
        # string) so that feedparser never takes the content for a URL or a file name to open.
        data = _XML_ENCODING.sub(r"\1\2utf-8\2", text, count=1).encode("utf-8")
        try:
            parsed = feedparser.parse(
                io.BytesIO(data), response_headers={"content-type": "application/xml; charset=utf-8"}
            )
        except Exception as err:  # noqa: BLE001 - feedparser on hostile input: refuse the file, go on
            raise FormatError(f"unreadable feed ({type(err).__name__})") from err
        entries = parsed.get("entries") or []
        if not entries:
            problem = parsed.get("bozo_exception")
            reason = f"malformed feed ({_one_line(problem)})" if problem else "feed has no entries"
            raise FormatError(reason)
        channel = parsed.get("feed") or {}
        feed_title = _plain(channel.get("title"), channel.get("title_detail"))
        feed_lang = channel.get("language")
        for index, entry in enumerate(entries):
            yield _entry_draft(entry, index, path, feed_title, feed_lang)


def _entry_draft(entry: Mapping[str, Any], index: int, path: Path, feed_title: str | None, feed_lang: Any) -> Parsed:
    where = f"{path}#{index}"
    body, body_lang = _body(entry)
    if not body.strip():
        return RecordRefusal(where, "feed entry without text")
    guid = entry.get("id") or entry.get("link")
    date = normalise_date(entry.get("published_parsed") or entry.get("updated_parsed")) or normalise_date(
        entry.get("published") or entry.get("updated")
    )
    link = entry.get("link")
    title = _plain(entry.get("title"), entry.get("title_detail"))
    return ArticleDraft(
        source_key=record_key(path, guid if isinstance(guid, str) and guid.strip() else index),
        raw=body,
        title=title,
        date=date,
        lang=normalise_lang(body_lang) or normalise_lang(feed_lang),
        source=feed_title,
        ref=_ref(guid, link, title),
        extra={"url": link} if isinstance(link, str) and link else {},
    )


def _body(entry: Mapping[str, Any]) -> tuple[str, Any]:
    """The fullest text the entry has (content beats summary), as plain text, and its declared language."""
    candidates = [c for c in entry.get("content") or [] if isinstance(c, Mapping)]
    summary = entry.get("summary_detail") or {}
    if entry.get("summary"):
        candidates.append(
            {
                "value": entry.get("summary"),
                "type": summary.get("type", "text/html"),
                "language": summary.get("language"),
            }
        )
    best, lang = "", None
    for candidate in candidates:
        value = candidate.get("value") or ""
        text = html_to_text(value) if "html" in (candidate.get("type") or "html") else value
        if len(text) > len(best):
            best, lang = text, candidate.get("language")
    return best, lang


def _plain(value: Any, detail: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    if isinstance(detail, Mapping) and "html" in (detail.get("type") or ""):
        value = html_to_text(value)
    return " ".join(value.split()) or None


def _ref(guid: Any, link: Any, title: str | None) -> str | None:
    """A readable id: a plain guid, else the last path segment of the entry's URL, else words of its title."""
    if isinstance(guid, str) and guid.strip() and not re.match(r"^[a-z][a-z0-9+.-]*:", guid, re.IGNORECASE):
        return _slug(guid)
    for url in (link, guid):
        if isinstance(url, str) and "://" in url:
            segments = [s for s in urlsplit(url).path.split("/") if s]
            if segments:
                return _slug(re.sub(r"\.(html?|php|aspx?)$", "", segments[-1]))
    return _slug(" ".join(title.split()[:8])) if title else None


def _slug(text: str) -> str | None:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _SLUG.sub("-", ascii_text).strip("-.").lower()[:80] or None


def _one_line(problem: Any) -> str:
    return " ".join(str(problem).split())[:160]
