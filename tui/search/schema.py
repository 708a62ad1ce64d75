"""The Whoosh schema of the search index: one body and one title field per language, filters, facets."""

from __future__ import annotations

import re

from whoosh import query
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.qparser.common import QueryParserError

from tui.search.analyzers import GENERIC, LANGUAGES, language_analyzer, names_analyzer

# Bump when fields or analyzers change: an index with another version is rebuilt from the store.
SCHEMA_VERSION = 6

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


def date_terms(value: str | None) -> str | None:
    """Index terms of a date: "y2018 m201806 d20180610" (only the parts the date has)."""
    number = date_number(value)
    if number is None:
        return None
    year, month, day = number // 10000, number // 100 % 100, number % 100
    terms = [f"y{year:04d}"]
    if month:
        terms.append(f"m{year:04d}{month:02d}")
        if day:
            terms.append(f"d{year:04d}{month:02d}{day:02d}")
    return " ".join(terms)


def _split(number: int) -> tuple[int, int, int]:
    return number // 10000, number // 100 % 100, number % 100


def date_range_terms(low: int, high: int) -> list[str]:
    """The fewest year/month/day terms that cover [low, high] (yyyymmdd, 00/99 for open parts).

    [2018 TO 2019] -> y2018 y2019; [2018-07 TO 2019-03] -> m201807..m201812, m201901..m201903.
    """
    terms: list[str] = []
    y1, m1, d1 = _split(low)
    y2, m2, d2 = _split(high)
    m1, d1 = max(m1, 1), max(d1, 1)
    m2, d2 = min(m2, 12), min(d2, 31)
    # Open ends (`date:[2018 TO]`): news dates live in these years; no need for thousands of year terms.
    if y1 < 1800:
        y1, m1, d1 = 1800, 1, 1
    if y2 > 2200:
        y2, m2, d2 = 2200, 12, 31
    for year in range(y1, y2 + 1):
        first_m = m1 if year == y1 else 1
        last_m = m2 if year == y2 else 12
        whole_first = year != y1 or (m1 == 1 and d1 == 1)
        whole_last = year != y2 or (m2 == 12 and d2 == 31)
        if whole_first and whole_last:
            terms.append(f"y{year:04d}")
            continue
        for month in range(first_m, last_m + 1):
            first_d = d1 if (year == y1 and month == m1) else 1
            last_d = d2 if (year == y2 and month == m2) else 31
            if first_d == 1 and last_d == 31:
                terms.append(f"m{year:04d}{month:02d}")
            else:
                terms.extend(f"d{year:04d}{month:02d}{day:02d}" for day in range(first_d, last_d + 1))
    return terms


class _ConstantScore(query.ConstantScoreQuery):
    """Whoosh's And/Or.normalize() reads `.boost` of the children it flattens; ConstantScoreQuery has none."""

    boost = 1.0


class DateField(KEYWORD):
    """Dates as year, month and day terms; `date:2023`, `date:2023-05` and `date:[2018 TO 2019-06]` are
    unions of the fewest such terms (a TermRange over day terms expanded to hundreds of terms: seconds).
    """

    def __init__(self) -> None:
        super().__init__(stored=False, lowercase=False, commas=False, scorable=False)

    def self_parsing(self) -> bool:
        return True

    def _union(self, fieldname: str, low: int, high: int, boost: float) -> query.Query:
        terms = date_range_terms(low, high)
        if len(terms) > 2000:
            raise QueryParserError("date range too wide")
        if not terms:
            return query.NullQuery
        # A date only filters: every matching article gets the same score from it.
        return _ConstantScore(query.Or([query.Term(fieldname, t) for t in terms]), 0.0001 * boost)

    def parse_query(self, fieldname: str, qstring: str, boost: float = 1.0) -> query.Query:
        low, high = date_number(qstring), date_number(qstring, high=True)
        if low is None or high is None:
            raise QueryParserError(f"{qstring!r} is not a date (use 2023, 2023-05 or 2023-05-12)")
        return self._union(fieldname, low, high, boost)

    def parse_range(
        self, fieldname: str, start: str | None, end: str | None, startexcl: bool, endexcl: bool,
        boost: float = 1.0,
    ) -> query.Query:
        low = date_number(start) if start is not None else 10000
        high = date_number(end, high=True) if end is not None else 99991299
        if low is None or high is None or low > high:
            raise QueryParserError(f"[{start} TO {end}] is not a date range (use date:[2018 TO 2019-06])")
        return self._union(fieldname, low, high, boost)


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
