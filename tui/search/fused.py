"""A fused indexing path for the body and title fields: the same terms as the analyzer chain, in one loop.

Whoosh runs five generators per token (tokenizer, lowercase, elision, stop, stem+fold) and then Positions'
own loop; profiled, that was about half of the CPU spent indexing. `install(writer)` gives each body/title field
of a writer's schema an `index()` doing it all in one function, producing exactly the (term, frequency, weight,
positions) tuples the chain does (tests/test_search_fused.py compares both on real texts in five languages).
The schema saved in the index is untouched: the override is an attribute of this writer's field objects only,
and `uninstall` removes it before anything pickles the schema.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from whoosh.analysis import RegexTokenizer, StopFilter
from whoosh.fields import FieldType

from tui.search.analyzers import _ACCENTS, ELISIONS, ElisionFilter, StemFoldFilter

IndexFn = Callable[..., Iterator[tuple[bytes, int, float, bytes]]]


def _parts(field: FieldType) -> tuple[Any, frozenset[str] | None, StemFoldFilter] | None:
    """(tokenizer regex, stop list or None, stem filter) when the field's analyzer is one of ours."""
    items = list(getattr(field.analyzer, "items", ()))
    kinds = [type(item).__name__ for item in items]
    if kinds == ["RegexTokenizer", "LowercaseFilter", "ElisionFilter", "StopFilter", "StemFoldFilter"]:
        stop = items[3]
        assert isinstance(stop, StopFilter)
        if stop.min != 1 or stop.max is not None or not stop.renumber:
            return None
        stops: frozenset[str] | None = frozenset(stop.stops)
    elif kinds == ["RegexTokenizer", "LowercaseFilter", "ElisionFilter", "StemFoldFilter"]:
        stops = None
    else:
        return None
    tokenizer, elision, stem = items[0], items[2], items[-1]
    assert isinstance(tokenizer, RegexTokenizer) and isinstance(elision, ElisionFilter)
    assert isinstance(stem, StemFoldFilter)
    if tokenizer.gaps or elision.elisions != ELISIONS or type(field.format).__name__ != "Positions":
        return None
    return tokenizer.expression, stops, stem


def fused_index(field: FieldType) -> IndexFn | None:
    """The fused `index()` of one field, or None when its analyzer is not the chain this file reproduces."""
    parts = _parts(field)
    if parts is None:
        return None
    expression, stops, stemmer = parts
    finditer = expression.finditer
    encode = field.format.encode
    boost = field.format.field_boost
    stem = stemmer._stem  # noqa: SLF001 - shares the filter's stem cache
    elisions = ELISIONS
    accents = _ACCENTS
    single: dict[int, bytes] = {}  # encoded [position]: bounded by the longest document

    def index(value: str, **_kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        vocab = stemmer.vocab  # set by the indexer after install
        poses: dict[str, list[int]] = {}
        pos = -1
        for i, match in enumerate(finditer(value)):
            text = match.group(0).lower()
            if "'" in text or "’" in text:  # ElisionFilter
                text = text.replace("’", "'")
                head, _, rest = text.partition("'")
                if head in elisions and rest:
                    text = rest
                if text.endswith("'s") and len(text) > 2:
                    text = text[:-2]
            if stops is not None:
                if text in stops:  # StopFilter(minsize=1, renumber=True)
                    continue
                pos = i if pos < 0 else pos + 1
            else:
                pos = i
            if vocab is not None:
                vocab.add(text)
            term = stem(text)
            found = poses.get(term)
            if found is None:
                poses[term] = [pos]
            else:
                found.append(pos)
            if not text.isascii():
                alt = stem(text.translate(accents))
                if alt != term:
                    found = poses.get(alt)
                    if found is None:
                        poses[alt] = [pos]
                    else:
                        found.append(pos)
        for term, positions in poses.items():
            if len(positions) == 1:  # most terms occur once in a document: one pickle per position, reused
                value = single.get(positions[0])
                if value is None:
                    value = single[positions[0]] = encode(positions)
                yield term.encode("utf-8"), 1, boost, value
            else:
                yield term.encode("utf-8"), len(positions), len(positions) * 1.0 * boost, encode(positions)

    return index


def install(schema: Any) -> Callable[[], None]:
    """Give the body/title fields of `schema` (a writer's own copy) the fused `index()`; returns the undo."""
    patched: list[FieldType] = []
    for name in schema.names():
        if not (name.startswith("body_") or name.startswith("title_")):
            continue
        field = schema[name]
        fn = fused_index(field)
        if fn is not None:
            field.index = fn  # type: ignore[method-assign]
            patched.append(field)

    def uninstall() -> None:
        for field in patched:
            field.__dict__.pop("index", None)

    return uninstall
