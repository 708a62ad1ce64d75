"""Indexing in worker processes (tui/search/bulk_index.py): same index as one process, cancellable, no leftovers.

Real parts: the 615 NTREX articles imported through the pipeline into real libraries, real worker processes.
`BULK_SYNC` is set on the module: 1 sends every sync and import through the workers, 0 keeps them off.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from tui.errors import Cancelled, DiglotError
from tui.library.library import Library
from tui.paths import resolve_paths
from tui.pipeline import import_and_index, sync
from tui.progress import CancelToken, Progress
from tui.search import bulk_index
from tui.search.index_pool import IndexPool
from tui.search.indexer import index_stats, read_vocab
from tui.search.searcher import Searcher

NTREX = Path(__file__).parent / "data" / "ntrex128" / "articles.jsonl"
QUERIES = ["Kishida", "securite", "exercice lang:fr", "esercitazione", "presiden*", "gouvernment~",
           '"premier ministre"', "police NOT lang:en", "date:[2018 TO 2020]"]

pytestmark = pytest.mark.skipif(bulk_index.BULK_PROCS < 2, reason="worker indexing needs two usable cores")


def _library(tmp_path: Path, name: str) -> Library:
    return Library(resolve_paths({"DIGLOT_HOME": str(tmp_path / name)}))


def _children() -> set[int]:
    """Live child processes of this one (Linux /proc)."""
    found = set()
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == os.getpid() and fields[0] != "Z":
            found.add(int(pid))
    return found


def _answers(library: Library) -> dict[str, tuple[int, list[str]]]:
    with Searcher(library.index_dir, store=library.store) as searcher:
        out = {}
        for q in QUERIES:
            result = searcher.search(q, limit=10)
            out[q] = (result.total, sorted(hit.article_id for hit in result.hits))
        return out


def test_workers_build_the_same_index_as_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk_index, "BULK_SYNC", 0)
    single = _library(tmp_path, "single")
    import_and_index(single, [NTREX])
    monkeypatch.setattr(bulk_index, "BULK_SYNC", 1)
    pooled = _library(tmp_path, "pooled")
    steps: list[Progress] = []
    import_and_index(pooled, [NTREX], progress=steps.append)
    try:
        assert pooled.store.count() == single.store.count() == 615
        assert pooled.store.count_stale() == 0
        stats = index_stats(pooled.index_dir)
        assert stats["documents"] == 615
        assert stats["segments"] >= 2, "one segment per worker: the workers did not index"
        assert not list(pooled.index_dir.glob("w*.tmp")), "a worker's scratch folder was left behind"
        assert _answers(pooled) == _answers(single)
        for code in ("fr", "it", "en", "de", "es"):
            assert read_vocab(pooled.index_dir, code) == read_vocab(single.index_dir, code)
        # A re-import changes nothing; a re-sync of everything (rebuild path) keeps the same answers.
        assert not import_and_index(pooled, [NTREX]).imported
        pooled.store.mark_indexed({article_id: 0 for article_id in pooled.store.all_ids()})
        assert sync(pooled) == 615
        assert _answers(pooled) == _answers(single)
        assert index_stats(pooled.index_dir)["documents"] == 615
    finally:
        single.close()
        pooled.close()
    assert not _children(), "worker processes outlived the sync"


def test_cancel_while_workers_index_leaves_the_articles_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk_index, "BULK_SYNC", 1)
    library = _library(tmp_path, "home")
    token = CancelToken()

    def progress(step: Progress) -> None:
        if step.stage == "index" and step.done >= 100:
            token.cancel()

    try:
        with pytest.raises(Cancelled):
            import_and_index(library, [NTREX], progress=progress, cancel=token)
        assert not _children(), "worker processes outlived the cancel"
        assert library.store.count() == 615  # the import itself was complete
        assert library.store.count_stale() == 615  # nothing committed to the index, nothing marked
        assert sync(library) == 615
        assert library.store.count_stale() == 0
        assert index_stats(library.index_dir)["documents"] == 615
        assert not list(library.index_dir.glob("w*.tmp"))
    finally:
        library.close()


def test_a_worker_that_dies_gives_one_message_and_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk_index, "BULK_SYNC", 1)
    library = _library(tmp_path, "home")
    started: list[IndexPool] = []
    enter = IndexPool.__enter__

    def recording(self: IndexPool) -> IndexPool:
        started.append(self)
        return enter(self)

    monkeypatch.setattr(IndexPool, "__enter__", recording)

    def progress(step: Progress) -> None:
        if step.stage == "index" and step.done >= 100 and started and started[-1].workers:
            os.kill(started[-1].workers[0].proc.pid, signal.SIGKILL)

    try:
        with pytest.raises(DiglotError) as caught:
            import_and_index(library, [NTREX], progress=progress)
        message = str(caught.value)
        assert "indexing worker stopped" in message and "\n" not in message
        assert library.store.count() == 615 and library.store.count_stale() == 615
        monkeypatch.setattr(IndexPool, "__enter__", enter)
        assert sync(library) == 615
        assert library.store.count_stale() == 0
    finally:
        library.close()
    assert not _children()
