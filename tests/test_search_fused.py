"""The fused indexing path (tui/search/fused.py) gives exactly the terms, frequencies, weights, positions and word
lists of the analyzer chain, on the real NTREX texts in five languages and on awkward strings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.search.analyzers import StemFoldFilter
from tui.search.fused import fused_index, install
from tui.search.schema import FIELD_LANGS, build_schema

NTREX = Path(__file__).parent / "data" / "ntrex128" / "articles.jsonl"

AWKWARD = [
    "",
    "   ",
    "L'homme qu’il a vu aujourd'hui, dell'Italia e nell’anno: l'l'l' d' qu'",
    "Le les la des et de du un une: the a an of to is was May may",
    "İstanbul ÉLYSÉE Élysée elysee Straße STRASSE Ærø œuvre ﬁnance",
    "John's Paris's it's 's s' O'Neill rock'n'roll 3.5 3,5 1.000.000 U.S.A. e.g",
    "snake_case __init__ x_1 ½ ² ٣ 日本語 中文 한국어 Ελληνικά русский",
    "sécurité securite Sécurité SECURITE sécuritaire président presidente Präsident",
    "the the the THE The of of of l'the d'une qu'on",
]


def _texts(code: str) -> list[str]:
    """Every article of the field's language, a few of each other language, all titles, the awkward strings."""
    rows = [json.loads(line) for line in NTREX.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [r["text"] for r in rows if r["lang"] == code]
    for lang in sorted({r["lang"] for r in rows} - {code}):
        texts += [r["text"] for r in rows if r["lang"] == lang][:12]
    return texts + [r["title"] for r in rows if r.get("title")] + AWKWARD


@pytest.mark.parametrize("code", FIELD_LANGS)
@pytest.mark.parametrize("kind", ["body", "title"])
def test_fused_index_matches_the_analyzer_chain(code: str, kind: str) -> None:
    plain = build_schema()[f"{kind}_{code}"]
    fast = build_schema()[f"{kind}_{code}"]
    index = fused_index(fast)
    assert index is not None
    plain_words: set[str] = set()
    fast_words: set[str] = set()
    plain_stem = next(i for i in plain.analyzer.items if isinstance(i, StemFoldFilter))
    fast_stem = next(i for i in fast.analyzer.items if isinstance(i, StemFoldFilter))
    plain_stem.vocab, fast_stem.vocab = plain_words, fast_words
    for text in _texts(code):
        expected = list(type(plain).index(plain, text))
        got = list(index(text))
        assert got == expected, text[:80]
    assert fast_words == plain_words


def test_install_leaves_the_schema_picklable() -> None:
    import pickle

    schema = build_schema()
    before = pickle.dumps(schema)
    undo = install(schema)
    assert "index" in schema["body_fr"].__dict__
    undo()
    assert "index" not in schema["body_fr"].__dict__
    assert pickle.dumps(schema) == before
