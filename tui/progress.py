"""Progress reporting and cancellation shared by the CLI and the UI for every long job."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from tui.errors import Cancelled


@dataclass(frozen=True, slots=True)
class Progress:
    """One step of a long job: `done` of `total` units (total 0 when unknown)."""

    stage: str
    done: int
    total: int
    detail: str = ""


ProgressCallback = Callable[[Progress], None]


def ignore_progress(_: Progress) -> None:
    """A callback for callers that do not show progress."""


class CancelToken:
    """Set from any thread; long jobs call `check()` between units of work."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled("Cancelled.")
