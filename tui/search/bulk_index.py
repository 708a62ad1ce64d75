"""Big syncs in worker processes (tui/search/index_pool.py), and indexing that overlaps an import.

One core analyses ~250-330 articles a second with Whoosh here (pure Python); with two workers beside the
importing process both cores work. Per batch, the workers write one segment each; this process, the one Whoosh
writer, deletes the old versions of the batch's articles and commits the workers' segments with its deletions in
one commit, then saves the word lists and marks the batch indexed. A crash or cancel before that commit leaves
orphan files only (removed by the next commit) and the articles stale: the store stays the source of truth.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from whoosh.index import FileIndex
from whoosh.writing import SegmentWriter

from tui.errors import DiglotError
from tui.library.store import Store
from tui.machine import usable_cores
from tui.progress import CancelToken, Progress, ProgressCallback, ignore_progress
from tui.search.index_pool import Doc, IndexPool, commit_segments

# From this many stale articles on, the workers index (starting one costs ~0.2 s). DIGLOT_BULK_SYNC overrides
# it (tests force the worker path with 1; "off" disables it).
_SETTING = os.environ.get("DIGLOT_BULK_SYNC", "").strip().lower()
BULK_SYNC = 0 if _SETTING == "off" else int(_SETTING) if _SETTING.isdigit() else 2000
# Two workers: the parent keeps importing (or reading documents) beside them.
BULK_PROCS = min(2, usable_cores())
# Each commit adds BULK_PROCS segments; Whoosh's merge policy folds them as they pile up.
BULK_BATCH = 25_000
# Posting pool per worker; two workers beside the importing process stay within the memory budget.
BULK_LIMIT_MB = 32


def enabled(count: int) -> bool:
    """Whether `count` stale articles go to the workers (never on a one-core machine)."""
    return BULK_SYNC > 0 and BULK_PROCS >= 2 and count >= BULK_SYNC


def remove_scratch(index_dir: Path) -> None:
    """Scratch folders of workers that were killed (posting runs); call only under the Whoosh write lock."""
    for tmp in Path(index_dir).glob("w*.tmp"):
        if tmp.is_dir():
            shutil.rmtree(tmp, ignore_errors=True)


class _Documents:
    """Builds the index documents of a job in this process and remembers the revision of each."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.revisions: dict[str, int] = {}

    def __call__(self, ids: list[str]) -> list[Doc]:
        from tui.search.indexer import article_fields, iter_with_extras

        docs = []
        for article, extras in iter_with_extras(self.store, ids):
            docs.append(article_fields(self.store, article, extras))
            self.revisions[article.id] = article.revision
        return docs

    def take(self) -> dict[str, int]:
        revisions, self.revisions = self.revisions, {}
        return revisions


def _commit(
    ix: FileIndex, writer: SegmentWriter, store: Store, pool: IndexPool, documents: _Documents, batch: list[str],
    *, fresh: bool, cancel: CancelToken | None, wait: Any = None,
) -> int:
    """Wait for the batch, then commit it; returns the number of articles indexed."""
    from tui.search.indexer import _save_vocab

    segments, vocab = pool.collect(wait)
    if not fresh:
        for article_id in batch:  # old versions (and deleted articles) leave the index
            writer.delete_by_term("id", article_id)
    if cancel is not None:
        cancel.check()
    commit_segments(writer, segments, merge=True)
    _save_vocab(Path(ix.storage.folder), vocab)
    revisions = documents.take()
    store.mark_indexed(revisions)
    return len(revisions)


def index_in_workers(
    ix: FileIndex, store: Store, ids: list[str], *, fresh: bool, progress: ProgressCallback,
    cancel: CancelToken | None,
) -> int:
    """`indexer._index_ids` for big syncs: the same result, analysed in worker processes."""
    from tui.search.indexer import _writer

    index_dir = Path(ix.storage.folder)
    total = len(ids)
    done = indexed = 0
    progress(Progress("index", 0, total))
    documents = _Documents(store)
    with IndexPool(index_dir, documents, procs=BULK_PROCS, limitmb=BULK_LIMIT_MB) as pool:
        for start in range(0, total, BULK_BATCH):
            chunk = ids[start : start + BULK_BATCH]
            writer = _writer(ix)
            offset = done

            def wait(offset: int = offset) -> None:
                if cancel is not None:
                    cancel.check()
                progress(Progress("index", offset + pool.done, total))

            try:
                remove_scratch(index_dir)  # we hold the Whoosh lock: no other worker can be using one
                pool.submit(chunk)
                indexed += _commit(ix, writer, store, pool, documents, chunk, fresh=fresh, cancel=cancel, wait=wait)
            except BaseException:
                writer.cancel()
                raise
            done += len(chunk)
    remove_scratch(index_dir)
    progress(Progress("index", done, total))
    return indexed


class IndexFeeder:
    """Indexes articles while an import is still storing more, so that import and indexing overlap.

    The import calls `feed(ids)` after each committed batch; from BULK_SYNC fed articles on, the workers index
    them while this process goes on importing. `finish()` commits everything fed since the workers started;
    whatever is left (an import under BULK_SYNC articles, articles stale from before) is for the `sync_index`
    that follows. Used under the
    pipeline's write lock. Leaving the `with` block without `finish()` (error, cancel) stops the workers and
    commits nothing: the articles stay stale, the index unchanged.
    """

    def __init__(
        self, store: Store, index_dir: Path, *, progress: ProgressCallback = ignore_progress,
        cancel: CancelToken | None = None,
    ) -> None:
        self.store = store
        self.index_dir = Path(index_dir)
        self.progress = progress
        self.cancel = cancel
        self._seen: set[str] = set()
        self._pending: list[str] = []
        self._batch: list[str] = []  # submitted to the workers, not yet committed
        self._ix: FileIndex | None = None
        self._pool: IndexPool | None = None
        self._writer: SegmentWriter | None = None
        self._documents = _Documents(store)
        self._fresh = False
        self.indexed = 0

    def __enter__(self) -> IndexFeeder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def feed(self, ids: list[str]) -> None:
        try:
            self._feed(ids)
        except OSError as err:
            raise DiglotError(f"Could not write the search index in {self.index_dir}: {err.strerror or err}.") from err

    def _feed(self, ids: list[str]) -> None:
        # An article stored twice in one import is queued once; it is read when a worker has room, so the
        # newest revision is what gets indexed (and marked).
        new = [i for i in ids if i not in self._seen]
        self._seen.update(new)
        self._pending += new
        if self._pool is None:
            if not enabled(len(self._pending)):
                return
            self._start()
        assert self._pool is not None
        if self._writer is None:
            self._begin()
        if len(self._pending) >= self._pool.job:  # whole jobs only (a folder of small files feeds one by one)
            self._submit()
        self._pool.poll(0)
        if len(self._batch) >= BULK_BATCH:
            self._commit_batch()

    def _submit(self) -> None:
        assert self._pool is not None
        self._pool.submit(self._pending)
        self._batch += self._pending
        self._pending = []

    def finish(self) -> int:
        """Commit what the workers were given; returns how many articles that was."""
        try:
            if self._pool is not None and (self._pending or self._batch):
                if self._writer is None:
                    self._begin()
                self._submit()
                pool, total = self._pool, len(self._batch)

                def wait() -> None:
                    if self.cancel is not None:
                        self.cancel.check()
                    self.progress(Progress("index", pool.done, total))

                self._commit_batch(wait)
        except OSError as err:
            raise DiglotError(f"Could not write the search index in {self.index_dir}: {err.strerror or err}.") from err
        self.close()
        return self.indexed

    def _start(self) -> None:
        from tui.search.indexer import _create, _open_checked, _reconcile

        ix = _open_checked(self.index_dir, self.store)
        if ix is None:
            ix = _create(self.index_dir, self.store)
            self._fresh = True
        else:
            _reconcile(ix, self.store)
        self._ix = ix
        self._pool = IndexPool(
            self.index_dir, self._documents, procs=BULK_PROCS, limitmb=BULK_LIMIT_MB
        ).__enter__()

    def _begin(self) -> None:
        from tui.search.indexer import _writer

        assert self._ix is not None
        self._writer = _writer(self._ix)
        remove_scratch(self.index_dir)  # we hold the Whoosh lock: no other worker can be using one

    def _commit_batch(self, wait: Any = None) -> None:
        writer, self._writer = self._writer, None
        assert writer is not None and self._ix is not None and self._pool is not None
        try:
            self.indexed += _commit(
                self._ix, writer, self.store, self._pool, self._documents, self._batch, fresh=self._fresh,
                cancel=self.cancel, wait=wait,
            )
        except BaseException:
            writer.cancel()
            raise
        self._batch = []  # ids are fed once (`_seen`): a later batch never holds one indexed here

    def close(self) -> None:
        if self._writer is not None:
            writer, self._writer = self._writer, None
            writer.cancel()
        if self._pool is not None:
            pool, self._pool = self._pool, None
            pool.close()
            remove_scratch(self.index_dir)
        if self._ix is not None:
            ix, self._ix = self._ix, None
            ix.close()
