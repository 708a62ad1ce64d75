"""Two processes at once: a reader (Searcher) during an import, two imports, translate during an import.

Real subprocesses (`python -m tui ...`) against one DIGLOT_HOME; no sleeps and no timing assertions: the tests
wait on observable events (rows in the store, a line on stderr, process exit).
"""

from __future__ import annotations

from pathlib import Path

from conftest_translate import TinyPackages
from test_reliability_support import assert_clean_output, spawn_diglot

from tui.errors import DiglotError
from tui.library.library import Library
from tui.library.model import ArticleDraft
from tui.locking import exclusive
from tui.paths import Paths, resolve_paths
from tui.pipeline import WRITE_LOCK, open_library
from tui.search.indexer import sync_index
from tui.search.searcher import Searcher

MARK = "marqueurcommun"


def make_articles(folder: Path, count: int, tag: str) -> Path:
    """`count` distinct small French articles, each with the shared word MARK and the word `tag`."""
    folder.mkdir(parents=True)
    for i in range(count):
        (folder / f"{tag}-{i:05d}.txt").write_text(
            f"Le conseil de la commune {tag} {i} a voté le budget des écoles. {MARK} {tag}\n\n"
            f"Les élus ont débattu pendant {i} minutes de la rénovation du gymnase numéro {i}.",
            encoding="utf-8",
        )
    return folder


def paths_of(home: Path) -> Paths:
    return resolve_paths({"DIGLOT_HOME": str(home)}).ensure()


def check_consistent(home: Path, expected_mark: int) -> None:
    """Store and index agree: nothing stale, every stored article found by search."""
    library = Library(paths_of(home))
    try:
        assert sync_index(library.store, library.index_dir) == 0, "the index was behind the store"
        with Searcher(library.index_dir, store=library.store) as searcher:
            assert searcher.search(MARK, limit=1).total == expected_mark
            assert searcher._ix.doc_count() == library.store.count()  # noqa: SLF001 - no corrupt/duplicate docs
    finally:
        library.close()


def finish(proc, *, codes: tuple[int, ...] = (0,)) -> tuple[str, str]:  # noqa: ANN001 - Popen
    out, err = proc.communicate(timeout=900)
    assert proc.returncode in codes, (proc.returncode, out, err)
    assert "LockError" not in out + err
    assert_clean_output(out, err)
    return out, err


def test_reader_sees_new_articles_during_an_import(tmp_path: Path) -> None:
    home = tmp_path / "home"
    library = open_library(paths_of(home))
    folder = make_articles(tmp_path / "batch", 400, "alpha")
    searcher = Searcher(library.index_dir, store=library.store)
    try:
        assert searcher.search(MARK).total == 0
        proc = spawn_diglot(home, "import", str(folder))
        seen: list[int] = []
        while proc.poll() is None:  # the reader keeps working while the other process writes
            searcher.refresh()
            seen.append(searcher.search(MARK, limit=5).total)
            library.store.summaries(limit=50)
            library.store.count()
        finish(proc)
        assert seen == sorted(seen), "the reader never goes back in time"
        searcher.refresh()
        results = searcher.search(MARK, limit=500)
        assert results.total == 400 and len(results.hits) == 400
        assert searcher.search("alpha", lang="fr").total == 400
    finally:
        searcher.close()
        library.close()
    check_consistent(home, 400)


def test_two_imports_queue_on_the_write_lock(tmp_path: Path) -> None:
    """While an import holds the write lock, two more imports say they wait, then both complete."""
    home = tmp_path / "home"
    paths = paths_of(home)
    open_library(paths).close()
    first = make_articles(tmp_path / "one", 150, "beta")
    second = make_articles(tmp_path / "two", 150, "gamma")
    with exclusive(paths.lock_dir / WRITE_LOCK):  # an import in progress
        procs = [spawn_diglot(home, "import", str(first)), spawn_diglot(home, "import", str(second))]
        for proc in procs:
            line = proc.stderr.readline()
            assert "another import is running" in line, line
    for proc in procs:
        finish(proc)
    check_consistent(home, 300)


def test_two_imports_overlapping_both_complete(tmp_path: Path) -> None:
    """No lock held by the test: the second import starts once the first has stored rows."""
    home = tmp_path / "home"
    paths = paths_of(home)
    library = open_library(paths)
    first = make_articles(tmp_path / "one", 600, "delta")
    second = make_articles(tmp_path / "two", 200, "epsilon")
    base = library.store.count()
    proc_a = spawn_diglot(home, "import", str(first))
    while proc_a.poll() is None and library.store.count() == base:
        pass  # wait until the first import has written some articles
    proc_b = spawn_diglot(home, "import", str(second))
    library.close()
    finish(proc_a)
    _, err_b = finish(proc_b)
    check_consistent(home, 800)


def test_waiting_import_leaves_the_index_to_the_writer(tmp_path: Path) -> None:
    """An import that has to wait must not write the index meanwhile (the lock holder is the only writer)."""
    home = tmp_path / "home"
    paths = paths_of(home)
    library = open_library(paths)
    store = library.store
    paragraphs = ["Un article stocké mais pas encore indexé par l'autre import en cours."]
    store.save(ArticleDraft(source_key="other-import", raw=paragraphs[0]), paragraphs, "fr", "Autre")
    assert store.count_stale() == 1
    folder = make_articles(tmp_path / "batch", 3, "zeta")
    with exclusive(paths.lock_dir / WRITE_LOCK):
        proc = spawn_diglot(home, "import", str(folder))
        line = proc.stderr.readline()
        assert "another import is running" in line, line
        assert store.count_stale() == 1, "the waiting import indexed while another process held the write lock"
        assert store.count() == 3  # the two samples and ours: nothing imported yet either
    finish(proc)
    assert store.count_stale() == 0
    library.close()
    check_consistent(home, 3)


def test_search_and_list_do_not_wait_for_an_import(tmp_path: Path) -> None:
    """`diglot search`/`list` while an import holds the lock: they answer from the index as it is."""
    from test_reliability_support import run_diglot

    home = tmp_path / "home"
    paths = paths_of(home)
    library = open_library(paths)
    paragraphs = [f"Un article stocké {MARK} mais pas encore indexé."]
    library.store.save(ArticleDraft(source_key="pending", raw=paragraphs[0]), paragraphs, "fr", "En attente")
    library.close()
    with exclusive(paths.lock_dir / WRITE_LOCK):
        result = run_diglot(home, "search", "Japon", timeout=120)
        assert result.returncode == 0, result.stderr
        assert_clean_output(result.stdout, result.stderr)
        listed = run_diglot(home, "list", timeout=120)
        assert listed.returncode == 0 and "En attente" in listed.stdout


def test_translate_during_an_import(tmp_path: Path, tiny_packages: TinyPackages) -> None:
    from tui.translate.packages import install_package

    home = tmp_path / "home"
    paths = paths_of(home)
    library = open_library(paths)
    french = [s.id for s in library.store.summaries(limit=10) if s.lang == "fr"]
    library.close()
    try:
        install_package(tiny_packages.copy_fr_en, paths)
    except DiglotError as err:  # pragma: no cover - the translation room's part
        raise AssertionError(f"tiny package did not install: {err}") from err
    folder = make_articles(tmp_path / "batch", 400, "eta")
    importing = spawn_diglot(home, "import", str(folder))
    library = Library(paths)
    while importing.poll() is None and library.store.count() < 50:
        pass
    library.close()
    translating = spawn_diglot(home, "translate", *french, "--to", "en")
    finish(importing)
    out, _ = finish(translating)
    assert french[0] in out
    library = Library(paths)
    try:
        assert library.store.translation_texts(french[0]).get("en")
    finally:
        library.close()
    check_consistent(home, 400)


async def test_app_open_during_an_import_sees_the_new_articles(diglot_home: Path, tmp_path: Path) -> None:
    """The app (Pilot) stays usable while `diglot import` runs in another process, and finds the new articles
    once the import is done."""
    from test_app_support import settle, wait_for
    from textual.widgets import Input

    from tui.app.app import DiglotApp
    from tui.app.widgets.article_list import ArticleList

    folder = make_articles(tmp_path / "batch", 200, "lambda")
    app = DiglotApp(analyse_on_open=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        articles = app.screen.query_one(ArticleList)
        assert articles.total == 2
        await pilot.press("slash", *"Japon")  # the app holds its searcher open from here on
        await wait_for(pilot, lambda: articles.total >= 1 and articles.row_height == 2)
        proc = spawn_diglot(diglot_home, "import", str(folder))
        while proc.poll() is None:
            await pilot.pause()
        finish(proc)
        search = app.screen.query_one("#search", Input)
        search.value = ""
        await pilot.press(*MARK)
        # The "Japon" page (1 hit) is replaced by this query's: 200 hits, or 0 from a stale searcher.
        await wait_for(pilot, lambda: articles.total in (0, 200))
        await settle(pilot)
        assert articles.total == 200, f"the app's search found {articles.total} of the 200 new articles"
        search.value = ""
        await wait_for(pilot, lambda: articles.row_height == 1 and articles.total != 200)
        await settle(pilot)
        assert articles.total == 202, f"the app's list shows {articles.total} of 202 articles"
