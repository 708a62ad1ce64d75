"""JSON (one object, an array of objects, or an object holding such an array) and JSON Lines articles.

Fields: text (or body/content/article; a list of paragraphs is accepted), title, date, lang, source (or
outlet/publisher), id (or doc_id/guid) used as the article's ref and in its source key.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from tui.library.importers.base import (
    FormatError,
    Parsed,
    RecordRefusal,
    normalise_date,
    normalise_lang,
    pick,
    record_key,
)
from tui.library.importers.htmltext import html_to_text
from tui.library.model import ArticleDraft

_TEXT_FIELDS = ("text", "body", "content", "article", "content_text", "full_text")
_LIST_FIELDS = ("articles", "items", "entries", "records", "data", "documents", "docs")
_EXTRA_FIELDS = ("url", "link", "author", "doc_id", "translated_from")


def record_draft(record: Any, path: Path, index: int, where: str) -> Parsed:
    """One JSON record as a draft, or the one-line reason it cannot be one."""
    if not isinstance(record, Mapping):
        return RecordRefusal(where, f"not an object but {_kind(record)}")
    text = _text(record)
    if text is None:
        return RecordRefusal(where, "no text field (text, body or content)")
    ref = pick(record, "id", "guid", "doc_id", "uuid")
    date_value = next((record[k] for k in ("date", "published", "pubDate", "published_at") if record.get(k)), None)
    extra = {k: str(record[k]) for k in _EXTRA_FIELDS if isinstance(record.get(k), str | int) and record.get(k)}
    return ArticleDraft(
        source_key=record_key(path, ref if ref is not None else index),
        raw=text,
        title=pick(record, "title", "headline"),
        date=normalise_date(date_value),
        lang=normalise_lang(record.get("lang") or record.get("language")),
        source=pick(record, "source", "outlet", "publisher", "site", "sitename"),
        ref=ref,
        extra=extra,
    )


_MARKUP = re.compile(r"^\s*<[A-Za-z!]|</(?:p|div|li|h[1-6])>|<br\s*/?>", re.IGNORECASE)


def _text(record: Mapping[str, Any]) -> str | None:
    for name in _TEXT_FIELDS:
        value = record.get(name)
        if isinstance(value, str) and value.strip():
            # Scraped exports often keep the page's HTML in the text field: read it as HTML.
            if value.lstrip().startswith("<") and _MARKUP.search(value[:4096]):
                return html_to_text(value) or None
            return value
        if isinstance(value, list) and value and all(isinstance(p, str) for p in value):
            return "\n\n".join(value)
    return None


def _kind(value: Any) -> str:
    return {list: "an array", str: "a string", int: "a number", float: "a number", bool: "a boolean"}.get(
        type(value), "null" if value is None else type(value).__name__
    )


class JsonImporter:
    name = "json"

    def parse(self, text: str, path: Path) -> Iterator[Parsed]:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise FormatError(f"malformed JSON (line {err.lineno}, column {err.colno}: {err.msg})") from err
        except RecursionError as err:
            raise FormatError("JSON nested too deeply") from err
        if isinstance(data, Mapping) and _text(data) is None:
            for name in _LIST_FIELDS:
                if isinstance(data.get(name), list):
                    data = data[name]
                    break
        if isinstance(data, list):
            if not data:
                raise FormatError("empty JSON array: no articles")
            for index, record in enumerate(data):
                yield record_draft(record, path, index, f"{path}[{index}]")
        else:
            yield record_draft(data, path, 0, str(path))


class JsonLinesImporter:
    name = "jsonl"

    def parse(self, text: str, path: Path) -> Iterator[Parsed]:
        decoder = json.JSONDecoder()
        found = False
        for number, line in enumerate(text.split("\n"), start=1):
            line = line.strip()
            if not line:
                continue
            found = True
            where = f"{path}:{number}"
            try:
                record, end = decoder.raw_decode(line)
                if line[end:].strip():
                    raise json.JSONDecodeError("extra data after the record", line, end)
            except json.JSONDecodeError as err:
                yield RecordRefusal(where, f"malformed JSON line ({err.msg}, column {err.colno})")
                continue
            except RecursionError:
                yield RecordRefusal(where, "JSON nested too deeply")
                continue
            yield record_draft(record, path, number, where)
        if not found:
            raise FormatError("no records")
