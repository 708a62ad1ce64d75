"""The one-way flow, end to end: import -> clean -> store -> (analyse) -> index. Used by both CLI and UI."""

from __future__ import annotations

from collections.abc import Sequence
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
    sync(library, progress=progress, cancel=cancel)
    return library


def sync(library: Library, *, progress: ProgressCallback = ignore_progress, cancel: CancelToken | None = None) -> int:
    """Index whatever changed in the store since the last run (also repairs an index a crash left behind)."""
    from tui.search.indexer import sync_index

    if not library.store.count_stale():
        return 0
    return sync_index(library.store, library.index_dir, progress=progress, cancel=cancel)


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

    def waiting() -> None:
        progress(Progress("waiting", 0, 0, "another import is running; waiting for it to finish"))

    with exclusive(library.paths.lock_dir / WRITE_LOCK, on_wait=waiting):
        report = import_paths(library.store, targets, progress=progress, cancel=cancel)
        sync(library, progress=progress, cancel=cancel)
    return report
