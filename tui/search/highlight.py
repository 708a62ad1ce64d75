"""Which parts of a text match a query, with the same analyzers as the index; snippets around them."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Collection
from functools import cache

from whoosh import query as wq
from whoosh.analysis.analyzers import CompositeAnalyzer

from tui.search.analyzers import field_lang, fold, language_analyzer

# Analyse at most this much of one text for highlights (Whoosh's own default stops at 32,768 characters,
# which leaves long articles without highlights); a few hundred kB still analyse in milliseconds.
CHARLIMIT = 300_000
SNIPPET_CHARS = 240
ANCHOR_CHARS = 3

# A test on one analysed token: (token text, the surface word it came from).
TermTest = Callable[[str, str], bool]


@cache
def _analyzer(code: str) -> CompositeAnalyzer:
    return language_analyzer(code)


def token_spans(
    text: str, lang: str | None, test: TermTest, *, charlimit: int = CHARLIMIT, window: int | None = None
) -> list[tuple[int, int]]:
    """Spans of `text` whose analysed tokens pass `test`, in order, without overlaps.

    With `window`, analysis goes paragraph by paragraph and stops once it is `window` characters past the
    first match: a snippet shows only the text around it, and analysing a whole long article for it costs
    milliseconds per hit.
    """
    if not text:
        return []
    analyzer = _analyzer(field_lang(lang))
    spans: list[tuple[int, int]] = []
    text = text[:charlimit]
    # Snippets: a paragraph whose folded text holds none of the query's anchors cannot match; skip analysing it.
    anchors: tuple[str, ...] | None = getattr(test, "anchors", None) if window else None
    start = 0
    while start < len(text):
        end = text.find("\n\n", start) if window else -1
        end = len(text) if end < 0 else end
        skip = False
        if anchors:
            folded = fold(text[start:end])
            skip = not any(anchor in folded for anchor in anchors)
        # Index mode: an accented word also yields the stem of its unaccented spelling, as in the index.
        tokens = () if skip else analyzer(text[start:end], chars=True, positions=True, mode="index", start_char=start)
        for token in tokens:
            if test(token.text, text[token.startchar : token.endchar]):
                span = (token.startchar, token.endchar)
                if not spans or span[0] >= spans[-1][1]:
                    spans.append(span)
        if window and spans and end >= spans[0][0] + window:
            break
        start = end + 2
    return spans


def terms_test(terms: Collection[str]) -> TermTest:
    wanted = frozenset(terms)
    return lambda token, _surface: token in wanted


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (adjacent transpositions), stopping early past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def query_test(q: wq.Query, fieldnames: Collection[str]) -> TermTest | None:
    """A test for analysed tokens built from the positive leaves of a parsed query on the given fields."""
    exact: set[str] = set()
    prefixes: list[str] = []
    surface_prefixes: list[str] = []
    patterns: list[re.Pattern[str]] = []
    fuzzy: list[tuple[str, int, int]] = []

    def walk(node: wq.Query) -> None:
        if isinstance(node, wq.Not):
            return
        if isinstance(node, wq.Phrase):
            if node.fieldname in fieldnames:
                exact.update(node.words)
            return
        if isinstance(node, wq.FuzzyTerm):
            if node.fieldname in fieldnames:
                # A spelling-list fuzzy term holds the typed word: compare with surface words.
                fuzzy.append((fold(node.text), node.maxdist, node.prefixlength))
            return
        if isinstance(node, wq.Prefix):
            if node.fieldname in fieldnames:
                # VocabPrefix holds the typed prefix: compare with surface words; a plain Prefix with stems.
                (surface_prefixes if type(node).__name__ == "VocabPrefix" else prefixes).append(node.text)
            return
        if isinstance(node, wq.Wildcard):
            if node.fieldname in fieldnames:
                patterns.append(re.compile(fnmatch.translate(node.text)))
            return
        if isinstance(node, wq.Term):
            if node.fieldname in fieldnames and isinstance(node.text, str):
                exact.add(node.text)
            return
        if isinstance(node, wq.AndNot):
            walk(node.a)
            return
        for child in node.children():
            walk(child)

    walk(q)
    if not (exact or prefixes or surface_prefixes or patterns or fuzzy):
        return None
    prefix_tuple = tuple(prefixes)
    surface_tuple = tuple(surface_prefixes)

    def test(token: str, surface: str) -> bool:
        if token in exact:
            return True
        if prefix_tuple and token.startswith(prefix_tuple):
            return True
        if surface_tuple and fold(surface).startswith(surface_tuple):
            return True
        for pattern in patterns:
            if pattern.match(token):
                return True
        if fuzzy:
            word = fold(surface)
            for text, maxdist, prefixlength in fuzzy:
                if word[:prefixlength] == text[:prefixlength] and edit_distance(word, text, maxdist) <= maxdist:
                    return True
        return False

    # Anchors for token_spans: Snowball stems and typed prefixes keep the first letters of the folded word they
    # come from, so a paragraph without any of these 3-letter beginnings has no match. Not for stems-prefixes,
    # patterns or fuzzy words, which may match anywhere.
    if not (prefixes or patterns or fuzzy):
        test.anchors = tuple(sorted({word[:ANCHOR_CHARS] for word in (*exact, *surface_prefixes)}))  # type: ignore[attr-defined]
    return test


def match_spans(text: str, lang: str, query: str) -> list[tuple[int, int]]:
    """Spans of `text` (in language `lang`) whose analysed tokens match the query's terms.

    The reader marks hits with it, in the original and in translations alike. A malformed query raises
    UsageError, as in search.
    """
    from tui.search.searcher import parse_user_query

    q = parse_user_query(query)
    code = field_lang(lang)
    test = query_test(q, {f"body_{code}", f"title_{code}"})
    if test is None:
        return []
    return token_spans(text, lang, test)


def make_snippet(
    text: str, spans: list[tuple[int, int]], *, width: int = SNIPPET_CHARS
) -> tuple[str, list[tuple[int, int]]]:
    """The window of `text` with the most distinct matches, cut at word boundaries, with "…" at the cuts.

    Returns the snippet and the match offsets inside it.
    """
    if not text:
        return "", []
    if not spans:
        return _cut(text, 0, width), []
    # Score windows starting at each of the first matches (bounded: a long article can have hundreds).
    candidates = spans[:200]
    best_start, best_score = candidates[0][0], -1
    j = 0
    for i, (start, _) in enumerate(candidates):
        j = max(j, i)
        while j + 1 < len(candidates) and candidates[j + 1][1] <= start + width:
            j += 1
        inside = candidates[i : j + 1]
        score = len({text[a:b].lower() for a, b in inside}) * 10 + len(inside)
        if score > best_score:
            best_start, best_score = start, score
    # Some context before the first match.
    start = max(0, best_start - width // 5)
    if start > 0:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 and start - space < 20 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start + width // 2, end)
        end = space if space > 0 else end
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    body = text[start:end]
    snippet = prefix + _flatten(body) + suffix
    offset = len(prefix) - start
    inside = [(a + offset, b + offset) for a, b in spans if a >= start and b <= end]
    return snippet, inside


def _flatten(text: str) -> str:
    # Paragraph breaks become spaces; one-for-one so offsets stay valid.
    return text.replace("\n", " ").replace("\r", " ").replace("\t", " ")


def _cut(text: str, start: int, width: int) -> str:
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start + width // 2, end)
        end = space if space > 0 else end
    return _flatten(text[start:end]) + ("…" if end < len(text) else "")
