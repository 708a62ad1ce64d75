"""Totals, facets and ranking from cached postings agree with Whoosh's own exhaustive search."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from test_search_index import save_text  # tests/ is on sys.path (rootdir import mode)

from tui.library.store import Store
from tui.search import searcher as searcher_module
from tui.search.indexer import sync_index
from tui.search.searcher import Searcher

TEXTS = {
    "en": "The president met the government about police reform and the election. {n} police officers.",
    "fr": "Le président et le gouvernement parlent de la sécurité et de la police. {n} policiers.",
    "it": "Il presidente del governo parla di polizia e sicurezza. {n} agenti di polizia.",
    "de": "Der Präsident der Regierung spricht über die Polizei. {n} Polizisten.",
}

QUERIES = (
    "president", "presiden*", "police", "polizia OR police", "government AND NOT police",
    "president AND NOT polizia", "police lang:fr",
    '"prime minister"', '"la police"', "date:2019 police", "date:[2018 TO 2019] police", "(police OR polizia)^2",
    "goverment~", "source:reuters", "title:president", "police NOT governo", "Regier*", "sécurité securite",
    "NOT police", "president OR NOT polizia", "(NOT police)^2 OR governo",
)


@pytest.fixture
def library(diglot_home: Path) -> tuple[Store, Path]:
    """Several segments (small syncs commit without merging) and deleted documents (changed articles)."""
    store = Store(diglot_home / "library.sqlite3")
    index_dir = diglot_home / "index"
    for batch in range(3):
        for i in range(12):
            lang = ("en", "fr", "it", "de")[i % 4]
            words = " extra" * (i % 5)
            text = f"Titre {batch} {i}\n\n" + TEXTS[lang].format(n=i) + words
            save_text(store, f"t:{batch}:{i}", lang, text, date=f"{2017 + i % 4}-0{1 + i % 9}-1{i % 9}",
                      source=("Reuters", "BBC", "Le Monde")[i % 3])
        sync_index(store, index_dir)
    # Change a few articles: their old versions become deleted documents in the earlier segments.
    for i in range(0, 12, 5):
        save_text(store, f"t:0:{i}", "en", "Police president changed.\n\n" + TEXTS["en"].format(n=99),
                  date="2019-05-05", source="Reuters")
    sync_index(store, index_dir)
    return store, index_dir


def _reference(searcher: Searcher, text: str) -> tuple[int, list[tuple[str, float]], dict[str, Counter[str]]]:
    """Whoosh's exhaustive scored search of the same parsed query: total, ranked (id, score), lang/source facets."""
    q = searcher._prune(searcher._expand_fuzzy(searcher.parse(text)))  # noqa: SLF001
    whoosh_searcher = searcher._searcher  # noqa: SLF001
    results = whoosh_searcher.search(q, limit=None)
    # Whoosh's InverseMatcher (a NOT at the top or in an OR) lets a deleted document through (the old version of
    # a changed article here): the searcher does not, so the reference skips deleted documents.
    deleted = whoosh_searcher.reader().is_deleted
    hits = [(hit.score, hit.docnum, hit.fields()) for hit in results if not deleted(hit.docnum)]
    ranked = sorted(hits, key=lambda t: (-t[0], t[1]))
    facets = {
        "lang": Counter(f["lang"] for _s, _d, f in ranked),
        "source": Counter(f["source_name"] for _s, _d, f in ranked),
    }
    return len(ranked), [(f["id"], score) for score, _d, f in ranked], facets


def test_library_has_segments_and_deletions(library) -> None:
    store, index_dir = library
    with Searcher(index_dir, store=store) as searcher:
        reader = searcher._searcher.reader()  # noqa: SLF001
        assert len(list(reader.leaf_readers())) > 1
        assert reader.has_deletions()


@pytest.mark.parametrize("text", QUERIES)
def test_totals_facets_and_page_match_whoosh(library, text: str) -> None:
    store, index_dir = library
    with Searcher(index_dir, store=store) as searcher:
        total, ranked, facets = _reference(searcher, text)
        for offset in (0, 3):
            results = searcher.search(text, limit=5, offset=offset)
            assert results.total == total
            assert dict(results.facets["lang"]) == dict(facets["lang"])
            assert dict(results.facets["source"]) == dict(facets["source"])
            got = [(h.article_id, h.score) for h in results.hits]
            want = ranked[offset : offset + 5]
            assert [i for i, _ in got] == [i for i, _ in want]
            assert [s for _, s in got] == pytest.approx([s for _, s in want], rel=1e-5)


def test_flat_scorer_handles_the_usual_queries(library) -> None:
    # Word, prefix, fuzzy, boolean and filter queries are ranked from cached postings, not Whoosh's matchers.
    store, index_dir = library
    with Searcher(index_dir, store=store) as searcher:
        for text in ("president", "presiden*", "goverment~", "police lang:fr", "date:2019 police",
                     "president AND NOT polizia", "police NOT governo"):
            q = searcher._prune(searcher._expand_fuzzy(searcher.parse(text)))  # noqa: SLF001
            docs = searcher._docs(q)  # noqa: SLF001
            assert docs, text
            assert searcher._rank(q, docs, 5) is not None, text  # noqa: SLF001


def test_postings_cache_is_bounded_and_reset_on_refresh(library, monkeypatch: pytest.MonkeyPatch) -> None:
    store, index_dir = library
    monkeypatch.setattr(searcher_module, "POSTINGS_CACHE", 10)
    with Searcher(index_dir, store=store) as searcher:
        before = searcher.search("police").total
        searcher.search("president governo Regierung")
        assert searcher._cached_postings <= 10 or len(searcher._postings) == 1  # noqa: SLF001
        save_text(store, "t:new", "en", "A new article about the police.")
        sync_index(store, index_dir)
        searcher.refresh()
        assert searcher.search("police").total == before + 1


@pytest.mark.parametrize(
    ("lang", "query"),
    [("fr", "sécurité"), ("fr", "securite accord"), ("fr", '"la police"'), ("it", "governo sicurezza"),
     ("en", "happy studies"), ("de", "Präsident"), ("es", "seguridad"), ("fr", "présiden*")],
)
def test_snippet_anchors_skip_only_paragraphs_without_matches(lang: str, query: str) -> None:
    # token_spans skips paragraphs holding none of the query's 3-letter anchors: same spans as analysing all.
    from tui.search.highlight import SNIPPET_CHARS, query_test, token_spans
    from tui.search.searcher import parse_user_query

    text = "\n\n".join([
        "Rien à voir ici, ni là.", "L'accord sur la sécurité et la Sécurité sociale.", "Il governo e la sicurezza.",
        "He was happy; happily the studies studied.", "Der Präsident und die Präsidentin.",
        "La seguridad y los seguros.", "La police arrive. Le président présidait.", "x " * 200,
        "Encore la securite.",
    ])
    q = parse_user_query(query)
    test = query_test(q, {f"body_{lang}", f"title_{lang}"})
    assert test is not None and test.anchors  # type: ignore[attr-defined]
    plain = lambda token, surface: test(token, surface)  # noqa: E731 - the same test without anchors
    assert token_spans(text, lang, test, window=SNIPPET_CHARS) == token_spans(text, lang, plain, window=SNIPPET_CHARS)
    assert token_spans(text, lang, test) == token_spans(text, lang, plain)
