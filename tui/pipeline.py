"""The one-way flow, end to end: import -> clean -> store -> (analyse) -> index. Used by both CLI and UI."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from tui.library.ingest import ImportReport, import_paths, import_seeds
from tui.library.library import Library
from tui.locking import exclusive
from tui.paths import Paths
from tui.progress import CancelToken, Progress, ProgressCallback, ignore_progress

SEEDED_KEY = "seeded"
WRITE_LOCK = "write.lock"


def open_library(
    paths: Paths | None = None, *, progress: ProgressCallback = ignore_progress, cancel: CancelToken | None = None
) -> Library:
    """Open the library; on the very first start import the sample articles; bring the index up to date.

    The samples are imported once: a user who later removes them does not get them back.
    """
    library = Library(paths)
    store = library.store
    if store.get_meta(SEEDED_KEY) is None:
        if store.count() == 0:
            import_seeds(store)
        store.set_meta(SEEDED_KEY, "1")
    # Not waiting: while another process imports, it is the index writer and indexes what it stores.
    sync(library, progress=progress, cancel=cancel, wait=False)
    return library


def sync(
    library: Library, *, progress: ProgressCallback = ignore_progress, cancel: CancelToken | None = None,
    wait: bool = True,
) -> int:
    """Index whatever changed in the store since the last run (also repairs an index a crash left behind).

    Under the write lock, so that one process at a time writes the index (Whoosh would otherwise make the
    second writer fail after a timeout); `wait=False` skips the sync when another process holds the lock.
    The index is checked even when nothing is stale: a damaged or deleted index is rebuilt from the store.
    """
    with exclusive(library.paths.lock_dir / WRITE_LOCK, on_wait=_waiting(progress), wait=wait) as held:
        return _sync(library, progress=progress, cancel=cancel) if held else 0


def _sync(library: Library, *, progress: ProgressCallback, cancel: CancelToken | None) -> int:
    """The sync itself; the caller holds the write lock."""
    from tui.search.indexer import sync_index

    return sync_index(library.store, library.index_dir, progress=progress, cancel=cancel)


def _waiting(progress: ProgressCallback) -> Callable[[], None]:
    def waiting() -> None:
        progress(Progress("waiting", 0, 0, "another import is running; waiting for it to finish"))

    return waiting


def import_and_index(
    library: Library,
    targets: Sequence[str | Path],
    *,
    progress: ProgressCallback = ignore_progress,
    cancel: CancelToken | None = None,
) -> ImportReport:
    """Import files, folders and globs, then index what changed. Stored articles survive a cancelled index.

    A second import started meanwhile (in another process) waits for this one, saying so through `progress`.
    """
    with exclusive(library.paths.lock_dir / WRITE_LOCK, on_wait=_waiting(progress)):
        from tui.search.bulk_index import IndexFeeder

        # A big import is indexed while it is stored (worker processes: both cores busy); the sync after it
        # indexes the rest (small imports, articles that were stale before).
        with IndexFeeder(library.store, library.index_dir, progress=progress, cancel=cancel) as feeder:
            report = import_paths(library.store, targets, progress=progress, cancel=cancel, on_saved=feeder.feed)
            feeder.finish()
        _sync(library, progress=progress, cancel=cancel)
    return report
