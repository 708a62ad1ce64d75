"""A cross-process lock so that two writers (imports, translations) queue instead of colliding.

SQLite already serialises writes; this lock covers the whole import -> index run, so a second `diglot import`
waits, with a message, for the first to finish, and the search index never sees two writers.
The OS releases an flock when its process dies, so a killed import never leaves a stale lock.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def exclusive(
    lock_path: Path, *, on_wait: Callable[[], None] | None = None, wait: bool = True
) -> Iterator[bool]:
    """Hold an exclusive lock on `lock_path` (yields True); call `on_wait` once if another process holds it.

    With `wait=False` a held lock is not waited for: the block runs at once with False (readers that would
    only tidy up, such as the index sync when a library is opened, leave that to the lock holder).
    """
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                yield False
                return
            if on_wait is not None:
                on_wait()
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield True
    finally:
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
