"""Crashes and damage: `kill -9` during an import or during indexing, a damaged index, a damaged library file.

After any of them the library holds only whole articles, the next start repairs or rebuilds the index from the
store (with progress), and nothing prints a traceback.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from test_reliability_concurrency import MARK, check_consistent, make_articles, paths_of
from test_reliability_support import assert_clean_output, run_diglot, spawn_diglot

from tui.library.cleanup import clean
from tui.library.library import Library
from tui.library.model import content_hash
from tui.library.store import Store
from tui.pipeline import open_library
from tui.progress import Progress
from tui.search.searcher import Searcher

COUNT = 2500


def check_articles_whole(home: Path, folder: Path) -> int:
    """Every stored article is intact: the database checks out and each text is its file's cleaned text."""
    db = paths_of(home).db
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    library = Library(paths_of(home))
    try:
        count = 0
        for article in library.store.iter_articles():
            if not article.source_key.startswith(f"file:{folder}"):
                continue  # the samples
            count += 1
            source = Path(article.source_key.removeprefix("file:"))
            assert article.paragraphs == clean(source.read_text(encoding="utf-8"), article.lang)
            assert article.content_hash == content_hash(article.paragraphs)
            assert article.title and article.revision >= 1
        return count
    finally:
        library.close()


def kill(proc) -> None:  # noqa: ANN001 - Popen
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL


def reopen_and_search(home: Path, expected: int) -> list[Progress]:
    """The next start: open_library repairs the index (progress reported); search then finds everything."""
    steps: list[Progress] = []
    library = open_library(paths_of(home), progress=steps.append)
    try:
        with Searcher(library.index_dir, store=library.store) as searcher:
            assert searcher.search(MARK, limit=1).total == expected
    finally:
        library.close()
    result = run_diglot(home, "search", MARK)
    assert result.returncode == (0 if expected else 1), result.stderr
    assert_clean_output(result.stdout, result.stderr)
    return steps


def test_sigkill_during_import(tmp_path: Path) -> None:
    home = tmp_path / "home"
    open_library(paths_of(home)).close()
    folder = make_articles(tmp_path / "big", COUNT, "theta")
    proc = spawn_diglot(home, "import", str(folder))
    library = Library(paths_of(home))
    while proc.poll() is None and library.store.count() < 2 + 300:
        pass  # wait until a few hundred articles are stored, then pull the plug
    library.close()
    assert proc.poll() is None, "the import finished before it could be killed; make the folder bigger"
    kill(proc)
    stored = check_articles_whole(home, folder)
    assert 300 <= stored < COUNT
    steps = reopen_and_search(home, stored)
    assert any(step.stage == "index" and step.total >= stored for step in steps), "no progress while re-indexing"
    # Importing again completes the batch: nothing twice, nothing missing.
    result = run_diglot(home, "import", str(folder))
    assert result.returncode == 0, result.stderr
    assert f"Imported {COUNT - stored}, updated 0, unchanged {stored}," in result.stdout
    check_consistent(home, COUNT)


def test_sigkill_during_indexing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    paths = paths_of(home)
    open_library(paths).close()
    folder = make_articles(tmp_path / "big", COUNT, "iota")
    proc = spawn_diglot(home, "import", str(folder))
    library = Library(paths)
    lock = paths.index / "MAIN_WRITELOCK"
    # Whoosh's writer lock appears when indexing starts (the store has every article by then).
    while proc.poll() is None and not (library.store.count() == COUNT + 2 and lock.exists()):
        pass
    assert proc.poll() is None, "the import finished before it could be killed; make the folder bigger"
    stale = library.store.count_stale()
    library.close()
    kill(proc)
    assert stale > 0
    assert check_articles_whole(home, folder) == COUNT
    library = Library(paths)
    assert library.store.count_stale() > 0  # nothing was marked indexed that the index does not hold
    library.close()
    steps = reopen_and_search(home, COUNT)
    assert any(step.stage == "index" and step.total > 0 for step in steps)
    check_consistent(home, COUNT)


# -- a damaged index --------------------------------------------------------------------------------------------
def _segments(index: Path) -> list[Path]:
    return sorted(index.glob("MAIN_*.seg"))


def _garble(path: Path, start: float, end: float) -> None:
    data = bytearray(path.read_bytes())
    rng = random.Random(7)
    for i in range(int(len(data) * start), int(len(data) * end)):
        data[i] = rng.randrange(256)
    path.write_bytes(bytes(data))


DAMAGE = {
    "truncated segments": lambda ix: [os.truncate(p, p.stat().st_size // 2) for p in _segments(ix)],
    "empty segments": lambda ix: [os.truncate(p, 0) for p in _segments(ix)],
    "garbage segment tails": lambda ix: [_garble(p, 0.25, 1.0) for p in _segments(ix)],
    "garbage inside segments": lambda ix: [_garble(p, 0.3, 0.5) for p in _segments(ix)],
    "deleted segments": lambda ix: [p.unlink() for p in _segments(ix)],
    "deleted TOC": lambda ix: [p.unlink() for p in ix.glob("_MAIN_*.toc")],
    "garbage TOC": lambda ix: [p.write_bytes(random.Random(1).randbytes(600)) for p in ix.glob("_MAIN_*.toc")],
    "deleted marker": lambda ix: (ix / "diglot-index.json").unlink(),
    "garbage marker": lambda ix: (ix / "diglot-index.json").write_text("{not json"),
    "deleted folder": lambda ix: shutil.rmtree(ix),
    "a file instead of the folder": lambda ix: (shutil.rmtree(ix), ix.write_text("x")),
}


@pytest.fixture(scope="module")
def indexed_home(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A library of 300 articles with two index segments, built once and copied per case."""
    base = tmp_path_factory.mktemp("damage")
    home = base / "home"
    library = open_library(paths_of(home))
    library.close()
    for part in ("a", "b"):
        result = run_diglot(home, "import", str(make_articles(base / part, 150, f"kappa{part}")))
        assert result.returncode == 0, result.stderr
    assert len(_segments(paths_of(home).index)) >= 2
    return base, home


@pytest.mark.parametrize("damage", sorted(set(DAMAGE) - {"garbage inside segments"}))
def test_damaged_index_is_rebuilt_at_next_start(indexed_home: tuple[Path, Path], tmp_path: Path, damage: str) -> None:
    _, original = indexed_home
    home = tmp_path / "home"
    shutil.copytree(original, home)
    DAMAGE[damage](paths_of(home).index)
    steps = reopen_and_search(home, 300)
    assert any(step.stage == "index" and step.total == 302 for step in steps), (damage, steps[:3])
    check_consistent(home, 300)


def test_garbage_deep_inside_the_index(indexed_home: tuple[Path, Path], tmp_path: Path) -> None:
    """Garbage in the middle of a segment may only show when a search reads it (Whoosh has no checksums):
    then the search says so in one line, and `diglot reindex` repairs the index from the store."""
    _, original = indexed_home
    home = tmp_path / "home"
    shutil.copytree(original, home)
    DAMAGE["garbage inside segments"](paths_of(home).index)
    result = run_diglot(home, "search", "--json", MARK)
    assert_clean_output(result.stdout, result.stderr)
    if result.returncode != 0:  # not caught when the library was opened
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "diglot reindex" in lines[0], result.stderr
        rebuilt = run_diglot(home, "reindex")
        assert rebuilt.returncode == 0, rebuilt.stderr
        assert_clean_output(rebuilt.stdout, rebuilt.stderr)
        result = run_diglot(home, "search", "--json", MARK)
    assert result.returncode == 0 and '"total": 300' in result.stdout, result.stderr
    check_consistent(home, 300)


def test_damaged_index_cli_first(indexed_home: tuple[Path, Path], tmp_path: Path) -> None:
    """The first command after the damage is `diglot search`: it rebuilds and answers, no traceback."""
    _, original = indexed_home
    for damage in ("garbage segment tails", "deleted TOC"):
        home = tmp_path / damage.replace(" ", "-")
        shutil.copytree(original, home)
        DAMAGE[damage](paths_of(home).index)
        result = run_diglot(home, "search", "--json", MARK)
        assert result.returncode == 0, result.stderr
        assert_clean_output(result.stdout, result.stderr)
        assert '"total": 300' in result.stdout


# -- a damaged library file -------------------------------------------------------------------------------------
def _damage_db(db: Path, how: str) -> None:
    if how == "garbage":
        db.write_bytes(random.Random(3).randbytes(8192))
    elif how == "truncated":
        os.truncate(db, 5000)
    elif how == "garbage after the header page":
        _garble(db, 4096 / db.stat().st_size, 1.0)
    elif how == "garbage in the middle":
        _garble(db, 0.4, 0.7)


@pytest.mark.parametrize("how", ["garbage", "truncated", "garbage after the header page", "garbage in the middle"])
def test_damaged_library_file_gives_one_line(indexed_home: tuple[Path, Path], tmp_path: Path, how: str) -> None:
    _, original = indexed_home
    home = tmp_path / "home"
    shutil.copytree(original, home)
    db = paths_of(home).db
    for extra in (db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        extra.unlink(missing_ok=True)
    _damage_db(db, how)
    for args in (("list",), ("search", MARK), ("show", "kappaa-00001"), ("import", str(tmp_path))):
        result = run_diglot(home, *args)
        assert_clean_output(result.stdout, result.stderr)
        if result.returncode == 0:
            continue  # the damaged pages were not needed for this command
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("diglot: "), (how, args, result.stderr)
        assert "damaged" in lines[0] or "not a SQLite database" in lines[0], lines[0]


# -- SQLite's locks -----------------------------------------------------------------------------------------------
def test_opening_the_library_twice_keeps_the_locks_of_the_first(tmp_path: Path) -> None:
    """A second Store on the same file in one process must not drop the first one's locks.

    Closing any descriptor of the file drops all of a process's POSIX locks on it; another process closing its
    last connection then believes it is alone, checkpoints and deletes the WAL under the connection still open
    here (seen as "database disk image is malformed" after a `kill -9` test). Observable: the WAL survives.
    """
    db = tmp_path / "library.sqlite3"
    first = Store(db)
    try:
        first.set_meta("probe", "1")  # a write: the WAL file exists and this connection holds its locks
        wal = db.with_name(db.name + "-wal")
        assert wal.exists()
        second = Store(db)
        second.close()
        code = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                "c.execute('SELECT count(*) FROM meta').fetchall(); c.close()")
        subprocess.run([sys.executable, "-c", code, str(db)], check=True, timeout=60)
        assert wal.exists(), "another process checkpointed the WAL away while this process still had it open"
        assert first.get_meta("probe") == "1"
    finally:
        first.close()
