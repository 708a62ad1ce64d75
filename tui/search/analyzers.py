"""Per-language Whoosh analyzers: words, elisions, stop words, Snowball stems, accent folding."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter, Token
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.lang import stemmer_for_language, stopwords_for_language
from whoosh.support.charset import accent_map

# Languages with their own body field; anything else goes to the generic field "xx".
LANGUAGES: tuple[str, ...] = ("fr", "it", "en", "de", "es")
GENERIC = "xx"

# Words with an inner apostrophe stay one token ("d'accès", "aujourd'hui"); the elision filter then cuts
# the article off. Both the ASCII and the typographic apostrophe (’) are inner-word characters.
WORD_PATTERN = r"\w+(?:[.'’]\w+)*"

# Elided articles, pronouns and prepositions (fr, it); matched on the lowercased text before the apostrophe.
ELISIONS = frozenset(
    {
        "l", "d", "qu", "j", "n", "s", "c", "m", "t", "jusqu", "lorsqu", "puisqu", "quoiqu",
        "dell", "all", "nell", "dall", "sull", "coll", "un", "quell", "quest", "tutt", "sant",
    }
)

# Stop words the Whoosh lists miss.
EXTRA_STOPS: dict[str, frozenset[str]] = {
    "fr": frozenset({"les", "aux", "ces", "cet", "cette", "dont", "où", "sans", "sous", "entre", "comme"}),
    "it": frozenset({"dell", "all", "nell", "dall", "sull"}),
    "en": frozenset(),
    "de": frozenset(),
    "es": frozenset(),
    GENERIC: frozenset(),
}

_ACCENTS = accent_map


def fold(text: str) -> str:
    """Lowercase, accent-free form used for matching ("Sécurité" -> "securite")."""
    return text.lower().translate(_ACCENTS)


class ElisionFilter(Filter):
    """Drops elided articles ("l'", "d'", "qu'", "dell'") and an English possessive "'s".

    The token's start offset moves past the elision so highlights cover only the word itself.
    """

    def __init__(self, elisions: frozenset[str] = ELISIONS) -> None:
        self.elisions = elisions

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ElisionFilter) and self.elisions == other.elisions

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        elisions = self.elisions
        for t in tokens:
            text = t.text
            if "'" in text or "’" in text:
                text = text.replace("’", "'")
                head, _, rest = text.partition("'")
                if head in elisions and rest:
                    if t.chars:
                        t.startchar += len(head) + 1
                    text = rest
                if text.endswith("'s") and len(text) > 2:
                    if t.chars:
                        t.endchar -= 2
                    text = text[:-2]
                t.text = text
            yield t


class StemFoldFilter(Filter):
    """Snowball stem, then fold accents (so "sécurité" -> "secur").

    Snowball stems accented and unaccented spellings differently ("sécurité" -> "sécur", "securite" ->
    "securit"), so at index time a word with accents also gets the stem of its unaccented spelling at the
    same position: a query typed without accents then finds it. Wildcard texts are folded, never stemmed.
    """

    is_morph = True

    def __init__(self, lang: str | None) -> None:
        self.lang = lang
        self._cache: dict[str, str] | None = None
        self._stemmer: Any = None
        # Set by the indexer: collects the surface words it indexes (the spelling list for fuzzy terms and
        # did-you-mean; cheaper than Whoosh's per-document spelling postings).
        self.vocab: set[str] | None = None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StemFoldFilter) and self.lang == other.lang

    def __getstate__(self) -> dict[str, Any]:
        # The schema is pickled into the index: never the stem cache or the stemmer object.
        return {"lang": self.lang}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.lang = state["lang"]
        self._cache = None
        self._stemmer = None
        self.vocab = None

    def _stem(self, word: str) -> str:
        cache = self._cache
        if cache is None:
            cache = self._cache = {}
        result = cache.get(word)
        if result is None:
            if self.lang and self.lang != GENERIC:
                if self._stemmer is None:
                    self._stemmer = stemmer_for_language(self.lang)
                result = self._stemmer(word).translate(_ACCENTS)
            else:
                result = word.translate(_ACCENTS)
            if len(cache) > 100_000:  # bounded: a 100k import meets a long tail of words
                cache.clear()
            cache[word] = result
        return result

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        vocab = self.vocab
        for t in tokens:
            text = t.text
            if vocab is not None and t.mode == "index":
                vocab.add(text)
            if "*" in text or "?" in text:
                t.text = text.translate(_ACCENTS)
                yield t
                continue
            stem = self._stem(text)
            t.text = stem
            yield t
            if t.mode == "index" and not text.isascii():
                alt = self._stem(text.translate(_ACCENTS))
                if alt != stem:
                    t.text = alt
                    yield t


class FoldFilter(Filter):
    """Accent folding only (names, titles for `title:` filters)."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FoldFilter)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            t.text = t.text.translate(_ACCENTS)
            yield t


def stop_words(lang: str) -> frozenset[str]:
    """The stop list of one language (the Whoosh list plus ours); empty for the generic analyzer."""
    words: set[str] = set(EXTRA_STOPS.get(lang, frozenset()))
    if lang in LANGUAGES:
        words.update(stopwords_for_language(lang))
    return frozenset(words)


def language_analyzer(lang: str) -> CompositeAnalyzer:
    """Analyzer of a body/title field: like Whoosh's LanguageAnalyzer, plus elisions and accent folding.

    Unknown languages get the generic analyzer (no stems, no stop words, accents folded).
    """
    if lang not in LANGUAGES:
        return generic_analyzer()
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | ElisionFilter()
        # stoplist=None: Whoosh would otherwise add its English list to every language.
        | StopFilter(stoplist=stop_words(lang), minsize=1, lang=None)
        | StemFoldFilter(lang)
    )


def generic_analyzer() -> CompositeAnalyzer:
    """Any language: words, elisions, accent folding; no stems, no stop words."""
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | ElisionFilter() | StemFoldFilter(GENERIC)


def names_analyzer() -> CompositeAnalyzer:
    """Entity names and the `title:` filter field: words folded, nothing removed."""
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | ElisionFilter() | FoldFilter()


def field_lang(lang: str | None) -> str:
    """The body field suffix of an article language ("fr" or the generic "xx")."""
    code = (lang or "").lower().split("-")[0].split("_")[0]
    return code if code in LANGUAGES else GENERIC
