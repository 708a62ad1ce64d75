"""Searching the index: query parsing and validation, ranked hits, facets over all hits, snippets, did-you-mean."""

from __future__ import annotations

import copy
import heapq
import operator
import re
import sqlite3
import threading
import time
from array import array
from collections import Counter, OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from whoosh import query as wq
from whoosh import scoring
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.fields import Schema
from whoosh.qparser import FuzzyTermPlugin, MultifieldPlugin, OperatorsPlugin, QueryParser, syntax
from whoosh.qparser import plugins as qplugins
from whoosh.searching import Searcher as WhooshSearcher

from tui.errors import DiglotError, UsageError
from tui.library.store import Store
from tui.search.analyzers import field_lang, fold, stop_words
from tui.search.highlight import SNIPPET_CHARS, edit_distance, make_snippet, query_test, terms_test, token_spans
from tui.search.indexer import open_index, store_path_of, vocab_path
from tui.search.schema import BODY_FIELDS, FACETS, FIELD_LANGS, TITLE_FIELDS, USER_FIELDS, build_schema

MAX_QUERY_CHARS = 500
MAX_CLAUSES = 64
# Fuzzy terms (`word~`) need this many leading characters in common: it bounds the term-list scan.
FUZZY_PREFIX = 1
FUZZY_MAXDIST = 2
# Prefix and wildcard terms need this many literal characters before the first `*` or `?`.
MIN_WILDCARD_PREFIX = 2
FEW_HITS = 3  # below this many hits, look for a spelling suggestion
MAX_FUZZY_WORDS = 40  # closest words a fuzzy term expands to, per language
MAX_PREFIX_WORDS = 200  # words a prefix (secur*) expands to, per language: bounds broad prefixes
MAX_EXPANSIONS = 5000  # prefix/fuzzy expansions cached per searcher generation (cleared when full)
# Record the matched terms of every hit (Whoosh's `terms=True`)? Measured at 100k: 15-20% slower on broad
# queries, and snippets do not need it: they test the words of the page's articles against the query itself
# (no index access, so no re-expansion of prefix/fuzzy terms either).
RECORD_TERMS = False
FACET_LIMIT = 20

# A query that matches nothing but, unlike NullQuery, survives normalize() inside an AND.
NO_MATCH = wq.Term("id", "\x00no-match")
DEFAULT_FIELDS: tuple[str, ...] = (*TITLE_FIELDS, *BODY_FIELDS, "entity_names")
QUERYABLE = frozenset((*USER_FIELDS, *DEFAULT_FIELDS, "id", "translated_to"))
_FIELD_LIKE = re.compile(r'(?:(?<=^)|(?<=[\s(]))([A-Za-z_][A-Za-z0-9_]*):(?=[\w"\[(])')
_QUOTED = re.compile(r'"[^"]*"')
_WORD = re.compile(r"\w+(?:['’]\w+)*")


@dataclass(slots=True)
class Hit:
    """One ranked article, with a plain-text snippet and the offsets of the matches inside it."""

    article_id: str
    title: str
    lang: str
    date: str | None
    source: str
    score: float
    snippet: str
    highlights: list[tuple[int, int]] = field(default_factory=list)
    translated: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.article_id, "title": self.title, "lang": self.lang, "date": self.date,
            "source": self.source, "score": round(self.score, 4), "snippet": self.snippet,
            "highlights": [list(span) for span in self.highlights], "translated": self.translated,
        }


@dataclass(slots=True)
class SearchResults:
    """A page of hits; `total` and `facets` cover every hit, not just the page."""

    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    suggestion: str | None = None
    elapsed_ms: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "query": self.query, "total": self.total, "hits": [h.as_dict() for h in self.hits],
            "facets": {k: [[name, count] for name, count in v] for k, v in self.facets.items()},
            "suggestion": self.suggestion,
        }


# -- parsing --------------------------------------------------------------------------------------------------
class SpellFuzzyTerm(wq.FuzzyTerm):
    """A fuzzy term holding the word as typed (lowercase, not stemmed).

    On a stemmed body/title field the Searcher expands it before searching: near words are taken from the
    language's word list and analysed like the index (Whoosh's FuzzyTerm would compare the typed word with
    stems and miss "gouvernment" -> "gouvernement"). Elsewhere it acts as a plain FuzzyTerm.
    """

    def _btexts(self, ixreader: Any) -> list[bytes]:
        if self.fieldname not in ixreader.schema:
            return []
        fieldobj = ixreader.schema[self.fieldname]
        texts = list(fieldobj.process_text(self.text, mode="query", tokenize=False, removestops=False))
        if not texts:
            return []
        # A prefix longer than the analysed word ("ab~/3") crashes Whoosh's Levenshtein automaton.
        prefix = min(self.prefixlength, len(texts[0]))
        words = ixreader.terms_within(self.fieldname, texts[0], self.maxdist, prefix=prefix)
        return sorted({fieldobj.to_bytes(word) for word in words})


class VocabPrefix(wq.Prefix):
    """A prefix as typed (lowercase, accents folded). On stemmed body/title fields the Searcher expands it
    to the words of the language's word list that start with it, analysed like the index; elsewhere it is
    a plain Prefix."""


def _char_mask(word: str) -> int:
    mask = 0
    for char in word:
        mask |= 1 << (ord(char) % 63)
    return mask


class Vocabulary:
    """The surface words of one language (sorted), for fuzzy expansion and did-you-mean."""

    def __init__(self, words: Iterable[str]) -> None:
        # The word list files are written sorted: sorting a sorted list is one linear pass.
        self.words = sorted(words)

    @classmethod
    def load(cls, path: Path) -> Vocabulary:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            return cls([])
        words = text.split("\n")
        return cls(words if "" not in words else [w for w in words if w])

    # Built on first use, each by the query kind that needs it: the first prefix query of a new searcher used
    # to pay for all of them in every language (144 ms at 10k, 0.5-0.9 s at 100k).
    @cached_property
    def known(self) -> frozenset[str]:
        return frozenset(self.words)

    @cached_property
    def folded(self) -> list[tuple[str, str]]:
        # One fold() over the whole list (C loops) instead of one call per word; lower() never adds a newline.
        folded = fold("\n".join(self.words)).split("\n")
        if len(folded) != len(self.words):  # pragma: no cover - defensive
            folded = [fold(word) for word in self.words]
        return sorted(zip(folded, self.words, strict=True))

    @cached_property
    def masks(self) -> list[int]:
        # One bit per character (hashed to 63 bits): letters one word has and the other lacks bound the edit
        # distance from below, which rules out most candidates before the exact (slow, Python) distance.
        return [_char_mask(word) for word in self.words]

    def starting(self, prefix: str, limit: int = MAX_PREFIX_WORDS) -> list[str]:
        """Words that start with `prefix` (accents folded on both sides), shortest first, at most `limit`."""
        from bisect import bisect_left

        words = self.folded
        i = bisect_left(words, (prefix, ""))
        out: list[str] = []
        while i < len(words) and words[i][0].startswith(prefix):
            out.append(words[i][1])
            i += 1
        out.sort(key=len)
        return out[:limit]

    def near(self, text: str, maxdist: int, prefix: int, limit: int = MAX_FUZZY_WORDS) -> list[tuple[int, str]]:
        """(distance, word) of words within `maxdist` edits sharing the first `prefix` characters."""
        from bisect import bisect_left

        head = text[:prefix]
        words = self.words
        masks = self.masks
        mask = _char_mask(text)
        i = bisect_left(words, head)
        out: list[tuple[int, str]] = []
        size = len(text)
        while i < len(words):
            word = words[i]
            if not word.startswith(head):
                break
            other = masks[i]
            i += 1
            if abs(len(word) - size) > maxdist:
                continue
            if (mask & ~other).bit_count() > maxdist or (other & ~mask).bit_count() > maxdist:
                continue
            distance = edit_distance(text, word, maxdist)
            if distance <= maxdist:
                out.append((distance, word))
        out.sort()
        return out[:limit]


class _FuzzyPlugin(FuzzyTermPlugin):
    """`word~` / `word~2` / `word~2/3`, with a default common prefix and a maximum distance of 2."""

    class FuzzyTermNode(FuzzyTermPlugin.FuzzyTermNode):
        def query(self, parser: Any) -> wq.Query:
            fieldname = self.fieldname or parser.fieldname
            text = self.text.lower().replace("’", "'")
            return SpellFuzzyTerm(
                fieldname, text, boost=self.boost, maxdist=self.maxdist, prefixlength=self.prefixlength
            )

    def create(self, parser: Any, match: re.Match[str]) -> Any:
        maxdist = min(int(match.group("maxdist") or 1), FUZZY_MAXDIST)
        prefix = int(match.group("prefix")) if match.group("prefix") else FUZZY_PREFIX
        return self.FuzzinessNode(maxdist, prefix, match.group(0))


_ALL_STOPS = frozenset().union(*(stop_words(code) for code in FIELD_LANGS))


class _Parser(QueryParser):
    """Drops a bare word that is a stop word in any of our languages, in every field.

    Per-field stop lists would keep "the" in the French field while the English field drops it, so
    `the government` would require "the" somewhere and miss every English article. Quote a word
    ("son", "may") to search for it anyway.
    """

    def term_query(self, fieldname: str, text: str, termclass: Any, boost: float = 1.0, tokenize: bool = True,
                   removestops: bool = True) -> Any:
        if removestops and tokenize and fieldname in DEFAULT_FIELDS:
            if text.lower().replace("’", "'") in _ALL_STOPS:
                return None
        if termclass is wq.Prefix and fieldname in DEFAULT_FIELDS:
            # Keep the prefix as typed: stemming "presiden" would not give a prefix of the stem "presid".
            return VocabPrefix(fieldname, fold(text.replace("’", "'")), boost=boost)
        return super().term_query(fieldname, text, termclass, boost, tokenize, removestops)


class _TitlePlugin(qplugins.Plugin):
    """`title:x` searches the title field of every language (each with its own analyzer)."""

    def filters(self, parser: Any) -> list[tuple[Any, int]]:
        return [(self.do_titles, 105)]  # after field names (100), before the multifield expansion (110)

    def do_titles(self, parser: Any, group: Any) -> Any:
        for i, node in enumerate(group):
            if isinstance(node, syntax.GroupNode):
                group[i] = self.do_titles(parser, node)
            elif node.has_fieldname and node.fieldname == "title":
                copies = []
                for name in TITLE_FIELDS:
                    clone = copy.copy(node)
                    clone.set_fieldname(name, override=True)
                    copies.append(clone)
                group[i] = syntax.OrGroup(copies)
        return group


def make_parser(schema: Schema) -> QueryParser:
    parser = _Parser(None, schema)
    parser.add_plugin(MultifieldPlugin(list(DEFAULT_FIELDS)))
    # Single quotes are apostrophes in French and Italian ("l'accord"), never query syntax; `*:*` is off.
    parser.remove_plugin_class(qplugins.SingleQuotePlugin)
    parser.remove_plugin_class(qplugins.EveryPlugin)
    parser.add_plugin(_FuzzyPlugin())
    parser.add_plugin(_TitlePlugin())
    parser.replace_plugin(OperatorsPlugin(AndMaybe=None, Require=None))
    return parser


@cache
def _default_parser() -> QueryParser:
    return make_parser(build_schema())


def _check_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise UsageError("Empty query: type some words to search for.")
    if len(text) > MAX_QUERY_CHARS:
        raise UsageError(f"The query is too long ({len(text)} characters; at most {MAX_QUERY_CHARS}).")
    unquoted = _QUOTED.sub(" ", text)
    for match in _FIELD_LIKE.finditer(unquoted):
        name = match.group(1)
        if name not in QUERYABLE:
            raise UsageError(f"Unknown field {name!r} in the query; use one of: {', '.join(USER_FIELDS)}.")
    return text


def _leaves(q: wq.Query) -> list[wq.Query]:
    out: list[wq.Query] = []
    stack = [q]
    while stack:
        node = stack.pop()
        if node.is_leaf():
            out.append(node)
        else:
            stack.extend(node.children())
    return out


def _errors(q: wq.Query) -> str | None:
    stack = [q]
    while stack:
        node = stack.pop()
        message = getattr(node, "error", None)
        if message:
            return str(message)
        if not node.is_leaf():
            stack.extend(node.children())
    return None


def _entity_rewrite(node: wq.Query) -> wq.Query:
    """`entity:X` matches an entity id (X) or a name/alias of the entities an article names."""
    if isinstance(node, wq.Term) and node.fieldname == "entity":
        words = [t.text for t in build_names_tokens(str(node.text))]
        names: wq.Query = wq.Phrase("entity_names", words) if len(words) > 1 else (
            wq.Term("entity_names", words[0]) if words else wq.NullQuery
        )
        return wq.Or([wq.Term("entity", node.text, boost=node.boost), names])
    if isinstance(node, wq.Phrase) and node.fieldname == "entity":
        text = " ".join(node.words)
        return wq.Or([wq.Term("entity", text.lower()), wq.Phrase("entity_names", [fold(w) for w in node.words])])
    return node


def build_names_tokens(text: str) -> list[Any]:
    schema = _default_parser().schema
    return [t.copy() for t in schema["entity_names"].analyzer(text, mode="query")]


def parse_user_query(text: str, parser: QueryParser | None = None) -> wq.Query:
    """The query a user typed, validated; malformed input raises UsageError with a one-line reason."""
    text = _check_text(text)
    parser = parser or _default_parser()
    try:
        q = parser.parse(text, normalize=False)
    except Exception as err:  # noqa: BLE001 - Whoosh raises assorted errors on odd syntax
        raise UsageError(f"Could not understand the query ({err}).") from None
    message = _errors(q)
    if message:
        raise UsageError(f"Bad query: {message}.")
    q = q.normalize()
    q = _map_tree(q, _entity_rewrite)
    leaves = _leaves(q)
    if q is wq.NullQuery or not leaves:
        raise UsageError(
            'Nothing to search for: the query has only stop words or punctuation (quote a word to search for it'
            ' anyway: "may").'
        )
    if len(leaves) > MAX_CLAUSES * len(DEFAULT_FIELDS):
        raise UsageError(f"The query has too many words (at most about {MAX_CLAUSES}).")
    for leaf in leaves:
        if isinstance(leaf, (wq.Prefix, wq.Wildcard)):
            literal = re.split(r"[*?]", str(leaf.text), maxsplit=1)[0]
            if len(literal) < MIN_WILDCARD_PREFIX:
                raise UsageError(
                    f"A wildcard needs at least {MIN_WILDCARD_PREFIX} letters before '*' or '?' (e.g. secur*)."
                )
    return q


def _map_tree(q: wq.Query, fn: Any) -> wq.Query:
    if q.is_leaf():
        return fn(q)
    return fn(q.apply(lambda child: _map_tree(child, fn)))


# -- searching ------------------------------------------------------------------------------------------------
# Term postings (doc numbers + weights, 8 bytes each) kept per searcher generation: 2M postings = 16 MB.
POSTINGS_CACHE = 2_000_000


def _read_postings(
    reader: Any, fieldname: str, btext: bytes, base: int, ids: array[int], weights: array[float],
    deleted: frozenset[int] | None,
) -> None:
    """Append one segment's live postings of a term (doc numbers + base, weights), a block at a time."""
    matcher = reader._terms.matcher(fieldname, btext, reader.schema[fieldname].format)  # noqa: SLF001
    if isinstance(matcher, W3LeafMatcher):
        # Whole blocks (up to 128 postings) at once instead of three method calls per posting.
        while matcher.is_active():
            matcher._read_ids()  # noqa: SLF001 - Whoosh has no public block access
            matcher._read_weights()  # noqa: SLF001
            block_ids = matcher._ids  # noqa: SLF001
            block_weights = matcher._weights  # noqa: SLF001
            if deleted:
                for docnum, weight in zip(block_ids, block_weights, strict=True):
                    if docnum not in deleted:
                        ids.append(docnum + base)
                        weights.append(weight)
            elif base:
                ids.extend([docnum + base for docnum in block_ids])
                weights.extend(block_weights)
            else:
                ids.extend(block_ids)
                weights.extend(block_weights)
            matcher._next_block()  # noqa: SLF001
        return
    while matcher.is_active():
        docnum = matcher.id()
        if not deleted or docnum not in deleted:
            ids.append(docnum + base)
            weights.append(matcher.weight())
        matcher.next()


def _byte_lengths() -> list[int]:
    from whoosh.util.numeric import byte_to_length

    return [byte_to_length(b) if b else 1 for b in range(256)]


class _FastBM25F(scoring.BM25F):
    """BM25F reading field lengths from per-segment in-memory tables instead of one file read per document.

    The index is opened without mmap (see indexer._storage), so Whoosh's length column costs a seek and a
    read per scored document (~20% of a broad query's time). The tables are built once per segment and field
    (one byte per document) and live as long as the Searcher generation that owns this weighting.
    """

    def __init__(self) -> None:
        super().__init__()
        self._tables: dict[tuple[int, str], bytes | None] = {}
        self._readers: list[Any] = []  # keep segment readers alive: their id() keys the tables
        self._decode = _byte_lengths()

    def _table(self, reader: Any, fieldname: str) -> bytes | None:
        """The length bytes (Whoosh's one-byte length code; decode with `_decode`) of a segment's documents."""
        key = (id(reader), fieldname)
        if key in self._tables:
            return self._tables[key]
        table: bytes | None = None
        try:
            from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

            column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)  # noqa: SLF001
            doccount = reader.doc_count_all()
            if column is None:
                table = bytes(doccount)
            else:
                count = min(column._count, doccount)  # noqa: SLF001 - Whoosh has no bulk read of a column
                raw = column._dbfile.get(column._basepos, count)  # noqa: SLF001
                table = bytes(raw) + bytes(doccount - count)
        except Exception:  # noqa: BLE001 - another codec: fall back to Whoosh's per-document reads
            table = None
        self._tables[key] = table
        self._readers.append(reader)
        return table

    def reset(self) -> None:
        self._tables.clear()
        self._readers.clear()

    def scorer(self, searcher: Any, fieldname: str, text: Any, qf: int = 1) -> Any:
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        if isinstance(scorer, scoring.BM25FScorer):
            table = self._table(searcher.reader(), fieldname)
            if table is not None:
                decode = self._decode
                scorer.dfl = lambda docnum: decode[table[docnum]]
        return scorer


def _matched_terms(hit: Any) -> dict[str, set[str]]:
    """The terms Whoosh recorded for a hit (searches with terms=True), by field."""
    matched: dict[str, set[str]] = {}
    try:
        for fieldname, token in hit.matched_terms():
            if isinstance(token, bytes):
                token = token.decode("utf-8", "replace")
            matched.setdefault(fieldname, set()).add(token)
    except Exception:  # noqa: BLE001 - no term data: snippets fall back to the query's own terms
        return {}
    return matched


class _Unsupported(Exception):
    """A query node the flat scorer does not model (phrases, wildcards...): Whoosh ranks that query."""


class Searcher:
    """An open index for repeated searches (the UI keeps one); call `refresh()` after indexing."""

    def __init__(self, index_dir: Path | str, store: Store | None = None) -> None:
        self.index_dir = Path(index_dir)
        try:
            self._ix = open_index(self.index_dir)
            self._weighting = _FastBM25F()
            self._searcher: WhooshSearcher = self._ix.searcher(weighting=self._weighting)
        except Exception as err:  # noqa: BLE001
            raise DiglotError(
                f"No usable search index in {self.index_dir} ({type(err).__name__}); run `diglot reindex`."
            ) from None
        self._parser = make_parser(self._ix.schema)
        self._store = store
        self._own_store = False
        self._facets: dict[str, Any] | None = None
        # (field, text) -> (doc numbers, weights); ("\x00phrase", Phrase) -> {doc number: score}
        self._postings: OrderedDict[tuple[str, Any], Any] = OrderedDict()
        self._cached_postings = 0
        self._costs: dict[tuple[str, Any], int] = {}
        self._length_tables: dict[str, bytes | None] = {}
        self._expansions: dict[tuple[Any, ...], list[str]] = {}  # prefix/fuzzy term -> index terms
        self._deleted: dict[int, frozenset[int] | None] = {}
        self._live: frozenset[int] | None = None  # by id() of segment readers this searcher holds
        self._vocab: dict[str, tuple[int, Vocabulary]] = {}
        self._lock = threading.RLock()

    # -- lifecycle --
    def refresh(self) -> None:
        """See commits made since opening (Whoosh searchers are snapshots)."""
        with self._lock:
            if self._searcher.up_to_date():
                return
            # Not Searcher.refresh(): its reader reuse can add back segments a rebuild removed, so the same
            # article would show twice. A new searcher on the current TOC is cheap and always right.
            stale = self._searcher
            self._searcher = self._ix.searcher(weighting=self._weighting)
            stale.close()
            # Everything cached per generation: doc numbers change when segments merge.
            self._facets = None
            self._postings.clear()
            self._costs.clear()
            self._cached_postings = 0
            self._length_tables.clear()
            self._deleted.clear()
            self._live = None
            self._expansions.clear()
            self._weighting.reset()

    def close(self) -> None:
        with self._lock:
            self._searcher.close()
            self._ix.close()
            if self._own_store and self._store is not None:
                self._store.close()

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def store(self) -> Store | None:
        if self._store is None:
            path = store_path_of(self.index_dir)
            if path is not None and path.exists():
                try:
                    self._store = Store(path)
                    self._own_store = True
                except DiglotError:
                    return None
        return self._store

    # -- search --
    def parse(self, text: str) -> wq.Query:
        return parse_user_query(text, self._parser)

    def search(
        self, query: str, *, lang: str | None = None, limit: int = 20, offset: int = 0,
        filters: dict[str, str] | None = None,
    ) -> SearchResults:
        started = time.perf_counter()
        if limit < 0 or offset < 0:
            raise UsageError("--limit and --offset must not be negative.")
        q = self.parse(query)
        user_q = q
        extra = dict(filters or {})
        if lang:
            extra["lang"] = lang
        if extra:
            parts = [q]
            for name, value in extra.items():
                if name not in USER_FIELDS:
                    raise UsageError(f"Unknown filter {name!r}; use one of: {', '.join(USER_FIELDS)}.")
                value = str(value).strip()
                value_q = f'{name}:"{value}"' if (" " in value and name != "date") else f"{name}:{value}"
                fq = self.parse(value_q)
                # A filter only restricts: it adds nothing to the score.
                parts.append(wq.ConstantScoreQuery(fq, 0.0) if name != "date" else fq)
            q = wq.And(parts)
        with self._lock:
            try:
                return self._run(query, q, user_q, limit, offset, started)
            except (UsageError, DiglotError):
                raise
            except sqlite3.DatabaseError as err:  # snippets come from the library file, not the index
                raise DiglotError(f"The library is damaged ({err}); restore a backup or move it away.") from None
            except Exception as err:  # noqa: BLE001 - a damaged index must not show a traceback
                raise DiglotError(
                    f"The search failed ({type(err).__name__}: {err}); the index may be damaged: run `diglot reindex`."
                ) from None

    def _run(
        self, text: str, q: wq.Query, user_q: wq.Query, limit: int, offset: int, started: float
    ) -> SearchResults:
        searcher = self._searcher
        q = self._prune(self._expand_fuzzy(q))
        # Total and facets count every hit without scoring: set algebra over cached term postings.
        docset = self._docs(q)
        total = len(docset)
        page: list[tuple[float, int, dict[str, Any], dict[str, set[str]]]] = []
        if limit and offset < total:
            top = None if RECORD_TERMS else self._rank(q, docset, offset + limit)
            if top is not None:
                page = [(score, docnum, searcher.stored_fields(docnum), {}) for score, docnum in top[offset:]]
            else:
                # Nodes the flat scorer does not model (wildcards, scaled ORs, matching prefixes on entity names):
                # Whoosh ranks, scoring every hit. Not optimize=True: its block-quality skipping dropped a top-10
                # hit of `(police OR polizia)^2 date:2019` at 10k.
                results = searcher.search(q, limit=offset + limit, optimize=False, terms=RECORD_TERMS)
                for hit in results[offset : offset + limit] if results.scored_length() > offset else []:
                    page.append((float(hit.score or 0.0), hit.docnum, hit.fields(), _matched_terms(hit)))
        hits = [self._hit(score, stored, matched, user_q) for score, _docnum, stored, matched in page]
        facets = self._count_facets(docset)
        suggestion = self._suggest(text) if total < FEW_HITS else None
        elapsed = (time.perf_counter() - started) * 1000
        return SearchResults(text, total, hits, facets, suggestion, elapsed)

    # -- hits and snippets --
    def _hit(self, score: float, stored: dict[str, Any], matched: dict[str, set[str]], q: wq.Query) -> Hit:
        lang = stored.get("lang", "")
        article_id = stored["id"]
        code = field_lang(lang)
        snippet, spans, translated = "", [], False

        def field_test(fieldname: str) -> Any:
            # Terms recorded for this hit, or else the query's own words (preloaded prefix/fuzzy expansions
            # record no terms; their words are recognised on the surface text instead).
            recorded = matched.get(fieldname)
            predicate = query_test(q, {fieldname})
            if recorded:
                exact = terms_test(recorded)
                if predicate is None:
                    return exact
                return lambda token, surface: exact(token, surface) or predicate(token, surface)
            return predicate

        targets = [t for t in (stored.get("translated_to") or "").split(",") if t]
        store = self.store
        article = None
        if store is not None:
            try:
                article = store.get(article_id)
            except DiglotError:
                article = None
        if article is not None:
            test = field_test(f"body_{code}")
            spans = token_spans(article.text, lang, test, window=SNIPPET_CHARS) if test else []
            if spans:
                snippet, spans = make_snippet(article.text, spans)
            else:
                for target in targets:
                    tcode = field_lang(target)
                    ttest = field_test(f"body_{tcode}")
                    if ttest is None or tcode == code:
                        continue
                    text = store.translation_texts(article_id).get(target, "")
                    tspans = token_spans(text, target, ttest, window=SNIPPET_CHARS)
                    if tspans:
                        snippet, spans = make_snippet(text, tspans)
                        translated = True
                        break
                if not snippet:
                    snippet, spans = make_snippet(article.text, [])
        else:
            snippet, spans = make_snippet(stored.get("lead") or "", [])
        return Hit(
            article_id=article_id, title=stored.get("title", ""), lang=lang, date=stored.get("date_text"),
            source=stored.get("source_name", ""), score=score, snippet=snippet,
            highlights=spans, translated=translated,
        )

    # -- matching documents and ranking, on cached postings --
    def _term_postings(self, fieldname: str, text: Any) -> tuple[array[int], array[float]]:
        """Live global doc numbers and weights of one term, read block by block, cached per generation."""
        key = (fieldname, text)
        cache = self._postings
        found = cache.get(key)
        if found is not None:
            cache.move_to_end(key)
            return found
        ids: array[int] = array("i")
        weights: array[float] = array("f")
        searcher = self._searcher
        field = searcher.schema[fieldname] if fieldname in searcher.schema else None
        btext = None
        if field is not None:
            try:
                btext = field.to_bytes(text)
            except ValueError:
                btext = None
        if btext is not None:
            for reader, base in searcher.reader().leaf_readers():
                if (fieldname, btext) in reader:
                    _read_postings(reader, fieldname, btext, base, ids, weights, self._deleted_docs(reader))
        found = (ids, weights)
        self._remember(key, found, len(ids))
        return found

    def _live_docs(self) -> frozenset[int]:
        """Every live global doc number (for NOT at the top of a query or inside an OR), once per generation."""
        if self._live is None:
            live: set[int] = set()
            for reader, base in self._searcher.reader().leaf_readers():
                deleted = self._deleted_docs(reader) or ()
                live.update(base + d for d in range(reader.doc_count_all()) if d not in deleted)
            self._live = frozenset(live)
        return self._live

    def _deleted_docs(self, reader: Any) -> frozenset[int] | None:
        """A segment's deleted doc numbers (Whoosh rebuilds this set on every access), once per generation."""
        key = id(reader)
        if key not in self._deleted:
            self._deleted[key] = reader.deleted_docs_set if reader.has_deletions() else None
        return self._deleted[key]

    def _remember(self, key: tuple[str, Any], value: Any, cost: int) -> None:
        """Cache a term's postings or a phrase's scores; drop the least recently used beyond the budget."""
        cache = self._postings
        cache[key] = value
        self._costs[key] = cost
        self._cached_postings += cost
        while self._cached_postings > POSTINGS_CACHE and len(cache) > 1:
            old_key, _value = cache.popitem(last=False)
            self._cached_postings -= self._costs.pop(old_key, 0)

    def _phrase_scores(self, node: wq.Phrase) -> dict[int, float]:
        """Global doc number -> Whoosh's score of one phrase, from one pass of its positional matcher per
        segment (cached per generation, so counting and ranking do not check positions twice)."""
        cache = self._postings
        key = ("\x00phrase", node)
        found = cache.get(key)
        if found is not None:
            cache.move_to_end(key)
            return found  # type: ignore[return-value]
        searcher = self._searcher
        result: dict[int, float] = {}
        for sub, base in searcher.subsearchers or [(searcher, 0)]:
            matcher = node.matcher(sub)
            while matcher.is_active():
                result[matcher.id() + base] = matcher.score()
                matcher.next()
        self._remember(key, result, len(result) * 12)  # a dict entry (~100 bytes) weighs about 12 postings
        return result

    def _docs(self, q: wq.Query) -> set[int]:
        """Global numbers of the live documents matching `q`, by set algebra over term postings.

        Every word of a query becomes up to 13 field terms, a prefix up to 200 per language: their postings
        are read once per searcher generation, And/Or/AndNot/Not-in-And and constant-score wrappers combine
        them in C. Anything else (phrases, wildcards, Whoosh's own multi-terms) asks Whoosh for its doc list.
        """
        searcher = self._searcher

        def docs(node: wq.Query) -> Any:  # a set or an array of doc numbers
            kind = type(node)
            if kind is wq.Term:
                return self._term_postings(node.fieldname, node.text)[0]
            if node is wq.NullQuery:
                return ()
            if kind is wq.Not:
                return self._live_docs().difference(docs(node.query))
            if kind is wq.Or:
                union: set[int] = set()
                for child in node.subqueries:
                    union.update(docs(child))
                return union
            if kind is wq.And:
                keep = [c for c in node.subqueries if not isinstance(c, wq.Not)]
                drop = [c.query for c in node.subqueries if isinstance(c, wq.Not)]
                if keep:
                    parts = sorted((docs(c) for c in keep), key=len)
                    result = set(parts[0])
                    for other in parts[1:]:
                        if not result:
                            break
                        result.intersection_update(other)
                    for child in drop:
                        if not result:
                            break
                        result.difference_update(docs(child))
                    return result
            if kind is wq.AndNot:
                base = set(docs(node.a))
                if base:
                    base.difference_update(docs(node.b))
                return base
            if isinstance(node, wq.ConstantScoreQuery):
                return docs(node.child)
            if kind is wq.Phrase:
                return self._phrase_scores(node).keys()
            return set(searcher.docs_for_query(node))

        found = docs(q)
        return found if isinstance(found, set) else set(found)

    def _lengths(self, fieldname: str) -> bytes | None:
        """Field length codes (one byte per document) by global doc number, from the per-segment tables."""
        if fieldname in self._length_tables:
            return self._length_tables[fieldname]
        parts: list[bytes] = []
        table: bytes | None = None
        for reader, _base in self._searcher.reader().leaf_readers():
            part = self._weighting._table(reader, fieldname)  # noqa: SLF001 - same module
            if part is None:
                break
            parts.append(part)
        else:
            table = b"".join(parts)
        self._length_tables[fieldname] = table
        return table

    def _rank(self, q: wq.Query, docset: set[int], n: int) -> list[tuple[float, int]] | None:
        """The n best (score, doc number) of `docset`, scored like Whoosh's BM25F (a sum over the matching
        terms, times the boosts) in flat loops over cached postings: Whoosh's matcher trees cost 30-60 us per
        hit in Python (unions over 13 fields, 200-term prefixes). None when the query has nodes
        (wildcards, scaled ORs...) this does not model: Whoosh ranks those.
        """
        scores = dict.fromkeys(docset, 0.0)
        searcher = self._searcher
        schema = searcher.schema
        weighting = self._weighting
        k1, b = weighting.K1, weighting.B

        def add(node: wq.Query, boost: float) -> None:
            kind = type(node)
            if kind is wq.Term:
                fieldname = node.fieldname
                ids, weights = self._term_postings(fieldname, node.text)
                if not ids:
                    return
                boost *= node.boost
                get = scores.get
                if fieldname in schema and schema[fieldname].scorable:
                    lengths = self._lengths(fieldname)
                    if lengths is None:
                        raise _Unsupported(fieldname)
                    idf = searcher.idf(fieldname, node.text)
                    avgfl = searcher.avg_field_length(fieldname) or 1
                    top = idf * (k1 + 1) * boost
                    # BM25's length norm for each of the 256 length codes: one lookup per posting.
                    norm = [k1 * (1 - b) + k1 * b * length / avgfl for length in self._weighting._decode]  # noqa: SLF001
                    for docnum, weight in zip(ids, weights, strict=True):
                        old = get(docnum)
                        if old is not None:
                            scores[docnum] = old + top * weight / (weight + norm[lengths[docnum]])
                else:  # Whoosh's WeightScorer: the posting weight is the score
                    for docnum, weight in zip(ids, weights, strict=True):
                        old = get(docnum)
                        if old is not None:
                            scores[docnum] = old + weight * boost
                return
            if node is wq.NullQuery:
                return
            if kind is wq.Phrase:
                for docnum, score in self._phrase_scores(node).items():  # node.boost is in these scores
                    old = scores.get(docnum)
                    if old is not None:
                        scores[docnum] = old + score * boost
                return
            if isinstance(node, wq.MultiTerm):
                # A prefix/wildcard/fuzzy term left unexpanded (e.g. on entity_names): nothing when it expands
                # to no word of the index, else Whoosh's constant-score semantics: let Whoosh rank.
                if any(True for _ in node._btexts(searcher.reader())):  # noqa: SLF001
                    raise _Unsupported(type(node).__name__)
                return
            if kind is wq.Not:
                # Whoosh's InverseMatcher scores 1.0 for every document it matches (a NOT at the top or in an OR).
                for docnum in self._docs(node):
                    old = scores.get(docnum)
                    if old is not None:
                        scores[docnum] = old + boost
                return
            if (kind is wq.Or and node.scale is None) or kind is wq.And:
                nots = sum(isinstance(c, wq.Not) for c in node.subqueries) if kind is wq.And else 0
                boost *= node.boost
                if nots:
                    # Whoosh intersects with an InverseMatcher whose score is 1.0 for every document.
                    members = docset if node is q else self._docs(node)
                    for docnum in members:
                        old = scores.get(docnum)
                        if old is not None:
                            scores[docnum] = old + nots * boost
                for child in node.subqueries:
                    if not (nots and isinstance(child, wq.Not)):
                        add(child, boost)
                return
            if kind is wq.AndNot:
                add(node.a, boost)
                return
            if isinstance(node, wq.ConstantScoreQuery):
                if node.score:  # a date filter's tiny constant
                    constant = node.score * boost
                    for docnum in self._docs(node.child):
                        old = scores.get(docnum)
                        if old is not None:
                            scores[docnum] = old + constant
                return
            raise _Unsupported(type(node).__name__)

        try:
            add(q, 1.0)
        except _Unsupported:
            return None
        best = heapq.nlargest(n, zip(scores.values(), map(operator.neg, scores), strict=True))
        return [(score, -negdoc) for score, negdoc in best]

    # -- facets --
    def _facet_table(self) -> dict[str, Any]:
        """Per document number: lang, source, year (lists indexed by doc number) and entity ids (a dict),
        read once per searcher generation from the postings."""
        if self._facets is not None:
            return self._facets
        reader = self._searcher.reader()
        size = reader.doc_count_all()
        table: dict[str, Any] = {}
        for name, fieldname in (("lang", "lang"), ("source", "source_name"), ("year", "year")):
            values: list[str | None] = [None] * size
            if fieldname in reader.schema:
                for btext in reader.lexicon(fieldname):
                    value = btext.decode("utf-8")
                    for docnum in reader.postings(fieldname, btext).all_ids():
                        values[docnum] = value
            table[name] = values
        entities: dict[int, list[str]] = {}
        for btext in reader.lexicon("entity"):
            value = btext.decode("utf-8")
            for docnum in reader.postings("entity", btext).all_ids():
                entities.setdefault(docnum, []).append(value)
        table["entity"] = entities
        self._facets = table
        return table

    def _count_facets(self, docset: set[int] | frozenset[int]) -> dict[str, list[tuple[str, int]]]:
        table = self._facet_table()
        out: dict[str, list[tuple[str, int]]] = {}
        for name in FACETS:
            values = table[name]
            counts: Counter[str | None] = Counter()
            if name == "entity":
                if values:
                    get = values.get
                    for ids in map(get, docset):
                        if ids:
                            counts.update(ids)
            else:
                counts.update(map(values.__getitem__, docset))  # C loops: ~1 ms per 25k hits
                counts.pop(None, None)
            ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))  # type: ignore[arg-type, return-value]
            out[name] = ranked[:FACET_LIMIT]  # type: ignore[assignment]
        return out

    # -- did you mean --
    def _suggest(self, text: str) -> str | None:
        """Replace unknown words by the closest frequent word of the index (any language)."""
        reader = self._searcher.reader()
        schema = reader.schema
        changed = False
        pieces: list[str] = []
        last = 0
        unquoted_ops = {"AND", "OR", "NOT", "TO"}
        for match in _WORD.finditer(text):
            word = match.group(0)
            before = text[max(0, match.start() - 1) : match.start()]
            after = text[match.end() : match.end() + 1]
            if word in unquoted_ops or after == ":" or before in (":", "*", "?") or after in ("*", "?", "~"):
                continue
            best = self._correct_word(reader, schema, word)
            if best and best != word.lower():
                pieces.append(text[last : match.start()])
                pieces.append(best)
                last = match.end()
                changed = True
        if not changed:
            return None
        pieces.append(text[last:])
        return "".join(pieces)

    def _correct_word(self, reader: Any, schema: Schema, word: str) -> str | None:
        lowered = word.lower().replace("’", "'")
        head, sep, rest = lowered.partition("'")
        core = rest if sep and rest else lowered
        if len(core) < 4 or core.isdigit():
            return None
        vocabs = {code: self.vocabulary(code) for code in FIELD_LANGS}
        if any(core in v.known for v in vocabs.values()) or any(core in stop_words(c) for c in FIELD_LANGS):
            return None
        best: tuple[int, int, str] | None = None
        for code, vocab in vocabs.items():
            fieldname = f"body_{code}"
            analyzer = schema[fieldname].analyzer
            for distance, candidate in vocab.near(core, 2, 1, limit=20):
                # Inflections ("exercice"/"exercices") and accents ("securite") already match: no advice.
                if candidate.startswith(core) or core.startswith(candidate) or fold(candidate) == fold(core):
                    continue
                tokens = [t.text for t in analyzer(candidate, mode="query")]
                freq = sum(reader.doc_frequency(fieldname, t) for t in tokens)
                key = (distance, -freq, candidate)
                if freq and (best is None or key < best):
                    best = key
        if best is None:
            return None
        fixed = best[2].capitalize() if word[:1].isupper() and not sep else best[2]
        return (head + "'" + fixed) if sep and rest else fixed

    # -- word lists --
    def vocabulary(self, code: str) -> Vocabulary:
        path = vocab_path(self.index_dir, code)
        try:
            stamp = path.stat().st_mtime_ns
        except OSError:
            stamp = 0
        cached = self._vocab.get(code)
        if cached is None or cached[0] != stamp:
            cached = (stamp, Vocabulary.load(path))
            self._vocab[code] = cached
        return cached[1]

    def _expand_fuzzy(self, q: wq.Query) -> wq.Query:
        """Fuzzy terms and prefixes on stemmed fields become the index terms of the near (or starting) words
        of that language's word list: bounded, and right for stems ("presiden*" -> president, presidency)."""
        reader = self._searcher.reader()
        schema = reader.schema
        memo = self._expansions  # per searcher generation and word list: repeated and refined queries reuse it
        if len(memo) > MAX_EXPANSIONS:
            memo.clear()

        def expand(node: wq.Query) -> wq.Query:
            if not isinstance(node, (SpellFuzzyTerm, VocabPrefix)):
                return node
            name = node.fieldname
            if not (name.startswith("body_") or name.startswith("title_")):
                # Elsewhere (entity names) Whoosh expands it on the index's own terms; cache whether it expands
                # to anything: usually not, and then the term list is not scanned again for counting and ranking.
                key0 = (name, type(node).__name__, node.text, getattr(node, "maxdist", 0),
                        getattr(node, "prefixlength", 0))
                found = memo.get(key0)
                if found is None:
                    found = memo[key0] = [b.decode("utf-8") for b in node._btexts(reader)]  # noqa: SLF001
                return node if found else NO_MATCH
            code = name.split("_", 1)[1]
            vocab = self.vocabulary(code)
            stamp = self._vocab[code][0]  # the word list file's mtime: a new list gives new keys
            if isinstance(node, VocabPrefix):
                key: tuple[Any, ...] = (stamp, name, "prefix", node.text)
            else:
                key = (stamp, name, "fuzzy", node.text, node.maxdist, node.prefixlength)
            texts = memo.get(key)
            if texts is None:
                if isinstance(node, VocabPrefix):
                    words = vocab.starting(node.text)
                else:
                    words = [w for _d, w in vocab.near(node.text, node.maxdist, node.prefixlength)]
                # The index terms of those words in this field (title_x and body_x share x's word list).
                analyzer = schema[name].analyzer
                texts = []
                seen: set[str] = set()
                for word in words:
                    for token in analyzer(word, mode="query"):
                        text = token.text
                        if text not in seen and (name, text.encode("utf-8")) in reader:
                            seen.add(text)
                            texts.append(text)
                memo[key] = texts
            if not texts:
                return NO_MATCH
            return wq.Or([wq.Term(name, text, boost=node.boost) for text in texts])

        return _map_tree(q, expand)

    def _prune(self, q: wq.Query) -> wq.Query:
        """Drop alternatives absent from the index: a word is looked up in 13 fields, most of which never have
        it, and every dead branch costs a matcher call per document in Whoosh's union trees.

        An alternative group with no live branch keeps one dead term, so that a required word that is in no
        article still makes its AND fail (Whoosh's normalize() would silently drop a NullQuery instead).
        """
        reader = self._searcher.reader()

        def dead(node: wq.Query) -> bool:
            return (type(node) is wq.Term and isinstance(node.text, str)
                    and (node.fieldname, node.text.encode("utf-8")) not in reader)

        def prune(node: wq.Query) -> wq.Query:
            if isinstance(node, wq.Or) and not isinstance(node, wq.DisjunctionMax):
                kids = node.subqueries
                alive = [k for k in kids if not dead(k)]
                if not alive:
                    return kids[0] if kids else NO_MATCH
                if len(alive) < len(kids):
                    return alive[0] if len(alive) == 1 and node.boost == 1.0 else wq.Or(alive, boost=node.boost)
            return node

        return _map_tree(q, prune)


def search(index_dir: Path | str, query: str, **kw: Any) -> SearchResults:
    """One-shot search for the CLI: open, search, close."""
    store = kw.pop("store", None)
    with Searcher(index_dir, store=store) as searcher:
        return searcher.search(query, **kw)




