"""A one-line progress bar for the current long job, with the key that cancels it."""

from __future__ import annotations

import time
import weakref
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Label

from tui.app.core import describe_progress
from tui.app.textutil import one_line
from tui.progress import CancelToken, Progress, ProgressCallback

if TYPE_CHECKING:
    from textual.widgets import ProgressBar


class JobProgress(Message):
    """Progress of job `job_id`, posted from its worker thread."""

    def __init__(self, job_id: int, progress: Progress) -> None:
        super().__init__()
        self.job_id = job_id
        self.progress = progress


class Job:
    """A cancellable background job: its token, and a progress callback that posts (throttled) messages."""

    _next_id = 0

    def __init__(self, name: str) -> None:
        Job._next_id += 1
        self.id = Job._next_id
        self.name = name
        self.cancel = CancelToken()
        self._last = 0.0
        _LIVE.add(self)

    def progress_to(self, target) -> ProgressCallback:  # noqa: ANN001 - a MessagePump
        def report(progress: Progress) -> None:
            now = time.monotonic()
            final = progress.total and progress.done >= progress.total
            if self.cancel.cancelled:
                return  # the screen may be gone; the job stops at its next check
            if final or now - self._last >= 0.05:
                self._last = now
                target.post_message(JobProgress(self.id, progress))

        return report


_LIVE: weakref.WeakSet[Job] = weakref.WeakSet()


def cancel_all_jobs() -> None:
    """On quit: worker threads cannot be killed, and Python waits for them at exit; ask every job to stop."""
    for job in list(_LIVE):
        job.cancel.cancel()


class JobBar(Horizontal):
    """Hidden while idle. Its children are mounted at the first job: a ProgressBar (bar, percentage and ETA
    widgets, each styled) costs a noticeable part of a screen's first paint, and most screens never show one."""

    def compose(self) -> ComposeResult:
        return iter(())

    def on_mount(self) -> None:
        self.display = False

    _label = ""
    _parts: tuple[Label, ProgressBar, Label] | None = None

    def _built(self) -> tuple[Label, ProgressBar, Label]:
        # Kept, not queried: widgets just mounted are not found by query_one until the mount is processed.
        if self._parts is None:
            from textual.widgets import ProgressBar  # here: its module is part of no first screen

            self._parts = (Label("", id="job-label"), ProgressBar(total=None, show_eta=False, id="job-progress"),
                           Label("esc cancel", id="job-hint"))
            self.mount(*self._parts)
        return self._parts

    def start(self, label: str, *, cancellable: bool = True) -> None:
        self._label = label
        fresh = self._parts is None
        text, bar, hint = self._built()
        self.display = True
        text.update(Text(one_line(label)))
        hint.display = cancellable
        if not fresh:
            bar.update(total=None, progress=0)

    def show(self, progress: Progress) -> None:
        text, bar, _ = self._built()
        # The job's own label first ("Translating fr → en…"), then the stage the core reports.
        text.update(Text(one_line(f"{self._label} {describe_progress(progress)}")))
        if progress.total:
            bar.update(total=progress.total, progress=progress.done)
        else:
            bar.update(total=None)

    def finish(self) -> None:
        self.display = False
