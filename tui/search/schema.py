"""The Whoosh schema of the search index: one body and one title field per language, filters, facets."""

from __future__ import annotations

import re

from whoosh import query
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.qparser.common import QueryParserError

from tui.search.analyzers import GENERIC, LANGUAGES, language_analyzer, names_analyzer

# Bump when fields or analyzers change: an index with another version is rebuilt from the store.
SCHEMA_VERSION = 5

FIELD_LANGS: tuple[str, ...] = (*LANGUAGES, GENERIC)
BODY_FIELDS: tuple[str, ...] = tuple(f"body_{lang}" for lang in FIELD_LANGS)
TITLE_FIELDS: tuple[str, ...] = tuple(f"title_{lang}" for lang in FIELD_LANGS)
TITLE_BOOST = 2.5

# Field names a user may write in a query (`lang:fr`); everything else is refused with a clear message.
USER_FIELDS: tuple[str, ...] = ("lang", "source", "date", "year", "entity", "title")
FACETS: tuple[str, ...] = ("lang", "source", "year", "entity")

_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


def date_number(value: str | None, *, high: bool = False) -> int | None:
    """"2023-05" -> 20230500 (or 20230599 as the upper end of a range); None when it is not a date."""
    match = _DATE.match(value or "")
    if not match:
        return None
    year, month, day = match.groups()
    filler = 99 if high else 0
    month_n = int(month) if month else filler
    day_n = int(day) if day else filler
    if (month and not 1 <= month_n <= 12) or (day and not 1 <= day_n <= 31):
        return None
    return int(year) * 10000 + month_n * 100 + day_n


def date_year(value: str | None) -> str | None:
    match = _DATE.match(value or "")
    return match.group(1) if match else None


class DateField(ID):
    """A date as one term "yyyymmdd"; `date:2023`, `date:2023-05` and `date:[2018 TO 2019]` become ranges.

    Unknown parts are 00 when indexed ("2023-05" -> "20230500"), so a year or month query is the range that
    covers every day in it. Fixed-width digits sort like numbers, and one term per article is cheaper to
    index than Whoosh's NUMERIC (8 terms per value).
    """

    def __init__(self) -> None:
        super().__init__(stored=False)

    def self_parsing(self) -> bool:
        return True

    def parse_query(self, fieldname: str, qstring: str, boost: float = 1.0) -> query.Query:
        low, high = date_number(qstring), date_number(qstring, high=True)
        if low is None or high is None:
            raise QueryParserError(f"{qstring!r} is not a date (use 2023, 2023-05 or 2023-05-12)")
        return query.TermRange(fieldname, f"{low:08d}", f"{high:08d}", boost=boost)

    def parse_range(
        self, fieldname: str, start: str | None, end: str | None, startexcl: bool, endexcl: bool,
        boost: float = 1.0,
    ) -> query.Query:
        low = date_number(start) if start is not None else None
        high = date_number(end, high=True) if end is not None else None
        if (start is not None and low is None) or (end is not None and high is None):
            raise QueryParserError(f"[{start} TO {end}] is not a date range (use date:[2018 TO 2019-06])")
        return query.TermRange(
            fieldname, None if low is None else f"{low:08d}", None if high is None else f"{high:08d}",
            startexcl, endexcl, boost=boost,
        )


def build_schema() -> Schema:
    """Fields per article. Bodies and titles are not stored: the store holds the text; snippets read it there."""
    fields: dict[str, object] = {
        "id": ID(stored=True, unique=True),
        # Display title; `title:` in a query searches the per-language title fields instead.
        "title": STORED(),
        "lang": ID(stored=True),
        "source": TEXT(analyzer=names_analyzer(), phrase=True),
        "source_name": ID(stored=True),  # the display name, also the facet value
        "date": DateField(),
        "date_text": STORED(),
        "year": ID(stored=True),
        "entity": KEYWORD(lowercase=True, commas=True, scorable=True),
        "entity_names": TEXT(analyzer=names_analyzer(), phrase=True),
        "translated_to": KEYWORD(stored=True, commas=True),
        "lead": STORED(),  # first words, a snippet when the store cannot be read
    }
    for lang in FIELD_LANGS:
        fields[f"title_{lang}"] = TEXT(analyzer=language_analyzer(lang), field_boost=TITLE_BOOST, phrase=True)
        fields[f"body_{lang}"] = TEXT(analyzer=language_analyzer(lang), phrase=True)
    return Schema(**fields)
