"""Plain text articles, with optional leading `key value` metadata lines (date, title, source, lang, url).

The value of `date`, `lang` and `url` is one token, so the text may go on after it on the same line, as in
the seed " date 2023-05 Le Japon ..."; `title` and `source` take the rest of their line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from tui.library.importers.base import Parsed, file_key, normalise_date, normalise_lang
from tui.library.model import ArticleDraft

_KEY = re.compile(r"[ \t]*(date|title|source|lang|language|url)(?:[ \t]*[:=][ \t]*|[ \t]+)", re.IGNORECASE)
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$", re.IGNORECASE)
_TOKEN_KEYS = {"date", "lang", "language", "url"}
_MAX_HEADER_LINES = 12


def split_header(text: str) -> tuple[dict[str, str], str]:
    """Leading metadata as {key: value} and the text after it."""
    meta: dict[str, str] = {}
    rest = text.lstrip("\ufeff")
    for _ in range(_MAX_HEADER_LINES):
        m = _KEY.match(rest)
        if not m:
            break
        key = m.group(1).lower()
        key = "lang" if key == "language" else key
        line, newline, after = rest[m.end() :].partition("\n")
        has_separator = ":" in m.group(0) or "=" in m.group(0)
        if key == "date" and len(line.strip()) <= 40 and (whole := normalise_date(line)) and key not in meta:
            value, rest = whole, after  # a date written in words on its own line: "date 19 May 2023"
        elif key in _TOKEN_KEYS:
            token = line.split(None, 1)[0] if line.strip() else ""
            value = _token_value(key, token)
            if value is None or key in meta:
                break
            remainder = line.strip()[len(token) :].strip()
            rest = remainder + newline + after if remainder else after
        else:
            # Without a colon, only a lowercase key counts ("Source of the trouble was..." is prose).
            if not (has_separator or m.group(1).islower()) or not line.strip() or key in meta:
                break
            value = " ".join(line.split())
            rest = after
        meta[key] = value
    return meta, rest


def _token_value(key: str, token: str) -> str | None:
    if key == "date":
        return normalise_date(token)
    if key == "lang":
        return normalise_lang(token)
    return token if _URL.match(token) else None


class TextImporter:
    name = "text"

    def parse(self, text: str, path: Path) -> Iterator[Parsed]:
        meta, body = split_header(text)
        extra = {"url": meta["url"]} if "url" in meta else {}
        yield ArticleDraft(
            source_key=file_key(path),
            raw=body,
            title=meta.get("title"),
            date=meta.get("date"),
            lang=meta.get("lang"),
            source=meta.get("source"),
            extra=extra,
        )
