"""Property tests: any query typed into search, any raw text given to cleanup, any bytes given to import.

A query gives results or a one-line UsageError, never a traceback; cleanup never raises, never loses a word and
leaves no control character; an import of arbitrary bytes accepts or refuses each file with one line.
"""

from __future__ import annotations

import io
import os
import unicodedata
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_reliability_support import TERMINAL_UNSAFE, assert_clean_output

from tui.errors import DiglotError, UsageError
from tui.library.cleanup import clean, normalise
from tui.library.ingest import import_paths
from tui.library.library import Library
from tui.library.store import Store
from tui.paths import Paths, current_paths
from tui.pipeline import import_and_index, open_library
from tui.search.searcher import Searcher

SETTINGS = settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])

# Pieces of query syntax, field names (known and unknown), words of the sample articles, odd characters.
QUERY_PIECES = [
    '"', "'", "(", ")", "[", "]", "{", "}", "AND", "OR", "NOT", "TO", "ANDNOT", "ANDMAYBE", "*", "?", "~", "~2",
    "~9/9", "^", "^2", ":", "lang:", "lang:fr", "date:", "date:[2018 TO", "date:2023", "date:[TO]", "year:2023",
    "entity:", "entity:Kishida", "source:", "title:", "body_fr:", "foo:", "id:", "*:*", "\\", "/", "-", "+", "!",
    "&&", "||", "<", ">", "=", "a*", "se*", "s?c*", "Kishida", "Japon", "l'accord", "dell'accordo", "sécurité",
    "gouvernment~", "RAA", "Giappone", "\x00", "\x1b[31m", "\u202e", "🙂", "漢字", "", " ", "\t", "\n",
]
queries = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(QUERY_PIECES), max_size=12).map(" ".join),
    st.lists(st.sampled_from(QUERY_PIECES), max_size=12).map("".join),
    st.text(alphabet=st.sampled_from('"()[]{}:*?~^-+!\\/ '), max_size=30),
    st.text(min_size=450, max_size=3000),
)


@pytest.fixture(scope="module")
def library_paths(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Paths]:
    """A library with the samples and a few more articles, indexed; DIGLOT_HOME points at it for the module."""
    home = tmp_path_factory.mktemp("query-home")
    folder = tmp_path_factory.mktemp("query-articles")
    (folder / "a.txt").write_text("date 2018-03-01\nLe gouvernement a présenté sa réforme de la sécurité.")
    (folder / "b.txt").write_text("lang it\nIl governo ha presentato la riforma della sicurezza.")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DIGLOT_HOME", str(home))
        current_paths.cache_clear()
        paths = current_paths()
        library = open_library(paths)
        import_and_index(library, [folder])
        library.close()
        yield paths
    current_paths.cache_clear()


@pytest.fixture(scope="module")
def searcher(library_paths: Paths) -> Iterator[Searcher]:
    library = Library(library_paths)
    with Searcher(library.index_dir, store=library.store) as open_searcher:
        yield open_searcher
    library.close()


def _one_line(err: DiglotError) -> None:
    message = str(err)
    assert message and "\n" not in message and "Traceback" not in message
    assert len(message) < 400, message


@SETTINGS
@given(query=queries, lang=st.one_of(st.none(), st.sampled_from(["fr", "it", "xx", "f r", '"', "fr:"])),
       limit=st.integers(0, 50), offset=st.integers(0, 100))
@example(query='"unbalanced', lang=None, limit=10, offset=0)
@example(query="(((Japon", lang=None, limit=10, offset=0)
@example(query="date:[2018 TO", lang=None, limit=10, offset=0)
@example(query="nosuchfield:x", lang=None, limit=10, offset=0)
@example(query="AND OR NOT", lang=None, limit=10, offset=0)
@example(query="*", lang=None, limit=10, offset=0)
@example(query="x" * 100_000, lang=None, limit=10, offset=0)
@example(query="Japon~ " * 200, lang=None, limit=10, offset=0)
def test_any_query_gives_results_or_a_clear_message(
    searcher: Searcher, query: str, lang: str | None, limit: int, offset: int
) -> None:
    try:
        results = searcher.search(query, lang=lang, limit=limit, offset=offset)
    except UsageError as err:
        _one_line(err)
        return
    assert results.total >= 0 and len(results.hits) <= limit
    assert len(results.hits) == max(0, min(limit, results.total - offset))
    for hit in results.hits:
        assert all(0 <= a <= b <= len(hit.snippet) for a, b in hit.highlights)


@SETTINGS
@given(name=st.sampled_from(["lang", "source", "year", "date", "entity", "foo", ""]), value=queries)
def test_any_filter_value_gives_results_or_a_clear_message(searcher: Searcher, name: str, value: str) -> None:
    try:
        searcher.search("Japon OR governo", filters={name: value})
    except UsageError as err:
        _one_line(err)


@settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(query=queries)
@example(query='"unbalanced')
@example(query="foo:bar")
@example(query="-")
@example(query="date:[TO\x08]")  # error messages quote the query: its control characters must not pass
def test_cli_search_never_prints_a_traceback(library_paths: Paths, query: str) -> None:
    from tui.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch, redirect_stdout(out), redirect_stderr(err):
        patch.setenv("DIGLOT_HOME", str(library_paths.data.parent))
        current_paths.cache_clear()
        try:
            code = main(["search", "--", query])
        except SystemExit as exit_:  # argparse on an empty argument list
            code = int(exit_.code or 0)
        finally:
            current_paths.cache_clear()
    assert code in (0, 1, 2), (code, err.getvalue())
    assert_clean_output(out.getvalue(), err.getvalue())
    if code == 2:
        lines = err.getvalue().strip().splitlines()
        assert lines and (lines[-1].startswith("diglot: ") or "usage:" in err.getvalue())


# -- cleanup ----------------------------------------------------------------------------------------------------
WORDS = ["le", "Japon", "accord.", "pacifisme traditionnel.", "que", "Paris", "dans la région.", "M.", "Kishida",
         "l'armée", "infor-", "mation", "«", "»", ",", "...", "…", "?", "!", "漢字。", "est", "a", "the"]
raw_texts = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.lists(
        st.one_of(st.sampled_from(WORDS), st.sampled_from(["\n", "\n\n", " ", "\r\n", "\t", "\x00", "\x1b",
                                                            "\u00ad", "\u200b", "\u00a0", "\u202e", "\x85", "\x0c"])),
        max_size=80,
    ).map(" ".join),
    st.lists(st.sampled_from(WORDS), min_size=2, max_size=12).map(
        lambda words: " ".join(words) + "\n\n" + " ".join(words[len(words) // 2:]) + " suite du texte."
    ),
)
CONTROL = {chr(c) for c in (*range(0, 32), *range(0x7F, 0xA0))}


@settings(deadline=None, max_examples=1000)
@given(raw=raw_texts, lang=st.sampled_from(["fr", "it", "en", "zh", "ja", "xx", ""]))
@example(raw="pacifisme traditionnel.\n\npacifisme traditionnel. Le Japon", lang="fr")
@example(raw="a\x00b \x1b[31mrouge\x1b[0m \u202eevil", lang="fr")
def test_cleanup_never_raises_never_loses_words(raw: str, lang: str) -> None:
    paragraphs = clean(raw, lang)
    assert all(paragraphs), "no empty paragraph"
    joined = "\n".join(paragraphs)
    assert not CONTROL & set(joined.replace("\n", "")), "control characters left"
    assert all("\n" not in p for p in paragraphs)
    # Every word survives, possibly joined to a neighbour (a wrapped line, a hyphenated word) or kept once
    # when it was part of a fragment repeated at a cut.
    for word in normalise(raw).split():
        assert word in joined, word
    # Nothing is invented: the text only shrinks (repeats dropped), it never grows.
    assert len("".join(joined.split())) <= len("".join(normalise(raw).split()))
    # normalise() itself only drops control and invisible characters: every letter and digit is still there.
    kept = unicodedata.normalize("NFC", raw)
    letters = [c for c in kept if c.isalnum()]
    assert sorted(letters) == sorted(c for c in normalise(raw) if c.isalnum())


# -- import of arbitrary bytes ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def byte_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Path]]:
    folder = tmp_path_factory.mktemp("bytes")
    store = Store(folder / "library.sqlite3")
    yield store, folder
    store.close()


file_bytes = st.one_of(
    st.binary(max_size=4096),
    st.text(max_size=2000).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.text(max_size=500).map(lambda t: ("\ufeff" + t).encode("utf-16", "surrogatepass")),
    st.lists(st.sampled_from([b"<html>", b"<body>", b"<p>", b"</p>", b"<rss>", b"<item>", b"<title>", b"{", b"}",
                              b"[", b"]", b'"text":', b'"', b",", b"---\n", b"title: x\n", b"Le Japon ", b"\x00",
                              b"\xff", b"\xc3", b"\n", b"<!--", b"<![CDATA[", b"&amp;", b"&#0;", b"&#x1b;"]),
             max_size=60).map(b"".join),
)


@settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=file_bytes, suffix=st.sampled_from([".txt", ".md", ".json", ".jsonl", ".html", ".rss", ".atom", ".xml",
                                                ".bin", ""]))
def test_import_of_arbitrary_bytes_never_raises(byte_store: tuple[Store, Path], data: bytes, suffix: str) -> None:
    store, folder = byte_store
    path = folder / f"input{suffix}"
    path.write_bytes(data)
    good = folder / "good.txt"
    good.write_text("Le conseil municipal a voté le budget mardi soir.", encoding="utf-8")
    report = import_paths(store, [path, good])
    assert report.accepted >= 1, report.refused  # the good file always goes through
    for where, reason in report.refused:
        assert reason and "\n" not in reason and len(reason) < 300, reason
        assert where.startswith(str(path))
    for article_id in report.imported + report.updated:
        article = store.get(article_id)
        assert article.paragraphs and all(article.paragraphs)
        assert not any(c in TERMINAL_UNSAFE[:-9] for c in article.text.replace("\n", "")), article.text
        assert "\n" not in article.title and not CONTROL & set(article.title)
    os.unlink(path)
