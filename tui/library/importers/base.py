"""Shared pieces of the importers: record refusals, field lookup, date and language normalisation."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from tui.library.model import ArticleDraft


@dataclass(frozen=True, slots=True)
class RecordRefusal:
    """One record inside a file that could not be read; the rest of the file still imports."""

    where: str
    reason: str


Parsed = ArticleDraft | RecordRefusal


class Importer(Protocol):
    """A file format: `parse` turns the decoded text of one file into drafts (and refused records)."""

    name: str

    def parse(self, text: str, path: Path) -> Iterator[Parsed]: ...


class FormatError(Exception):
    """The whole file is unreadable in its format; the message is the one-line reason shown to the user."""


def file_key(path: Path) -> str:
    return f"file:{path}"


def record_key(path: Path, record: str | int) -> str:
    return f"file:{path}#{record}"


def pick(record: Mapping[str, Any], *names: str) -> str | None:
    """The first non-empty string value among `names` (numbers are accepted and turned into text)."""
    for name in names:
        value = record.get(name)
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, int | float):
            return str(value)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return None


# -- dates ------------------------------------------------------------------------------------------------------
_ISO_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{1,2}))?$")
_ISO_FULL = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[T ,].*)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T.*)?$")


def _valid(year: int, month: int, day: int | None = None) -> bool:
    if not (1000 <= year <= 2999 and 1 <= month <= 12):
        return False
    return day is None or 1 <= day <= calendar.monthrange(year, month)[1]


def normalise_date(value: Any) -> str | None:
    """ISO `YYYY-MM-DD` for a full date, `YYYY-MM` / `YYYY` kept as such for partial ones; None if unreadable.

    Numeric day/month/year dates are read day first (the European order) unless that is impossible.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, time.struct_time):
        return f"{value.tm_year:04d}-{value.tm_mon:02d}-{value.tm_mday:02d}"
    if isinstance(value, int) and 1000 <= value <= 2999:
        return str(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 100:
        return None
    if m := _ISO_PARTIAL.match(text):
        year, month = int(m.group(1)), m.group(2)
        if month is None:
            return f"{year:04d}" if 1000 <= year <= 2999 else None
        return f"{year:04d}-{int(month):02d}" if _valid(year, int(month)) else None
    for pattern, order in ((_ISO_FULL, (1, 2, 3)), (_COMPACT, (1, 2, 3)), (_DAY_FIRST, (3, 2, 1))):
        if m := pattern.match(text):
            year, month, day = (int(m.group(i)) for i in order)
            if pattern is _DAY_FIRST and not _valid(year, month, day) and _valid(year, day, month):
                month, day = day, month  # 05/19/2023: only the US order makes sense
            return f"{year:04d}-{month:02d}-{day:02d}" if _valid(year, month, day) else None
    from email.utils import parsedate_tz  # imported here: the email package is slow to import

    parsed = parsedate_tz(text)  # RFC 2822, as in RSS: "Fri, 19 May 2023 10:00:00 +0000"
    if parsed and _valid(parsed[0], parsed[1], parsed[2]):
        return f"{parsed[0]:04d}-{parsed[1]:02d}-{parsed[2]:02d}"
    return _date_words(text)


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january", "janvier", "gennaio", "januar", "enero", "janeiro"),
            ("feb", "february", "février", "fevrier", "febbraio", "februar", "febrero", "fevereiro"),
            ("mar", "march", "mars", "marzo", "märz", "maerz", "março"),
            ("apr", "april", "avril", "aprile", "abril"),
            ("may", "mai", "maggio", "mayo", "maio"),
            ("jun", "june", "juin", "giugno", "juni", "junio", "junho"),
            ("jul", "july", "juillet", "luglio", "juli", "julio", "julho"),
            ("aug", "august", "août", "aout", "agosto"),
            ("sep", "sept", "september", "septembre", "settembre", "septiembre", "setembro"),
            ("oct", "october", "octobre", "ottobre", "oktober", "octubre", "outubro"),
            ("nov", "november", "novembre", "noviembre", "novembro"),
            ("dec", "december", "décembre", "decembre", "dicembre", "dezember", "diciembre", "dezembro"),
        ),
        start=1,
    )
    for name in names
}
_WORD_DATE = re.compile(
    r"(?:(\d{1,2})(?:st|nd|rd|th|er)?\.?\s+)?([^\W\d_]+)\.?\s+(?:(\d{1,2})(?:st|nd|rd|th)?,?\s+)?(\d{4})"
)


def _date_words(text: str) -> str | None:
    """'19 May 2023', 'May 19, 2023', '19 mai 2023', 'mai 2023' (partial)."""
    for m in _WORD_DATE.finditer(text.lower()):
        month = _MONTHS.get(m.group(2))
        if month is not None:
            break
    else:
        return None
    year = int(m.group(4))
    day = m.group(1) or m.group(3)
    if day is None:
        return f"{year:04d}-{month:02d}" if _valid(year, month) else None
    return f"{year:04d}-{month:02d}-{int(day):02d}" if _valid(year, month, int(day)) else None


# -- languages --------------------------------------------------------------------------------------------------
_THREE_LETTER = {
    "ara": "ar",
    "bul": "bg",
    "cat": "ca",
    "ces": "cs",
    "cze": "cs",
    "dan": "da",
    "deu": "de",
    "ger": "de",
    "ell": "el",
    "gre": "el",
    "eng": "en",
    "spa": "es",
    "est": "et",
    "fas": "fa",
    "per": "fa",
    "fin": "fi",
    "fra": "fr",
    "fre": "fr",
    "gle": "ga",
    "heb": "he",
    "hin": "hi",
    "hun": "hu",
    "ind": "id",
    "ita": "it",
    "jpn": "ja",
    "kor": "ko",
    "lit": "lt",
    "lav": "lv",
    "nld": "nl",
    "dut": "nl",
    "nor": "no",
    "nob": "nb",
    "pol": "pl",
    "por": "pt",
    "ron": "ro",
    "rum": "ro",
    "rus": "ru",
    "slk": "sk",
    "slo": "sk",
    "slv": "sl",
    "swe": "sv",
    "tha": "th",
    "tur": "tr",
    "ukr": "uk",
    "urd": "ur",
    "vie": "vi",
    "zho": "zh",
    "chi": "zh",
}
_LANG_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$")


def normalise_lang(value: Any) -> str | None:
    """'fr', 'FR', 'fr-FR', 'fr_CA', 'fra' -> 'fr'; None for anything that is not a language tag."""
    if not isinstance(value, str):
        return None
    m = _LANG_TAG.match(value.strip())
    if not m:
        return None
    code = m.group(1).lower()
    if code in ("und", "mul", "zxx", "xx"):
        return None
    return _THREE_LETTER.get(code, code)
