"""Import articles from the app: a path (file, folder or glob), progress, and a summary including refusals."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from tui.app import core
from tui.app.screens.base import BackgroundMixin
from tui.app.textutil import one_line
from tui.app.widgets.jobbar import Job, JobBar, JobProgress
from tui.errors import Cancelled

if TYPE_CHECKING:
    from tui.app.app import DiglotApp


class ImportScreen(BackgroundMixin, ModalScreen[bool]):
    """Enter starts; escape cancels a running import, or closes."""

    BINDINGS = [
        Binding("escape", "close", "Close / cancel", id="import.close"),
        Binding("ctrl+c", "cancel_job", "Cancel", show=False, id="import.cancel"),
    ]

    app: DiglotApp

    def __init__(self) -> None:
        super().__init__()
        self._job: Job | None = None
        self.report: Any = None

    def compose(self) -> ComposeResult:
        with Vertical(id="import-dialog", classes="dialog"):
            yield Static(Text("Import articles", style="bold"), classes="dialog-title")
            yield Static("A file, a folder, or a glob (text, Markdown, HTML, JSON lines, feeds). Several: separate "
                         "with ;", classes="dim")
            yield Input(placeholder="~/news/*.html", id="import-path")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Import", id="import-start", variant="primary")
                yield Button("Close", id="import-close")
            yield JobBar(id="jobbar")
            with VerticalScroll(id="import-summary-box"):
                yield Static("", id="import-summary")

    def on_mount(self) -> None:
        self.query_one("#import-path", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.start()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "import-start":
            self.start()
        else:
            self.action_close()

    def start(self) -> None:
        if self._job is not None:
            return
        raw = self.query_one("#import-path", Input).value
        targets = [part.strip() for part in raw.split(";") if part.strip()]
        if not targets:
            self.notify("Type a path first.", severity="warning")
            return
        library = self.app.library
        assert library is not None
        job = self._job = Job("import")
        self.query_one(JobBar).start("Importing…")
        self.query_one("#import-summary", Static).update("")
        self.query_one("#import-start", Button).disabled = True
        report = job.progress_to(self)
        self.background(
            lambda: core.import_and_index(library, targets, progress=report, cancel=job.cancel),
            self._done, group="import", exclusive=True, failed=self._failed,
        )

    def on_job_progress(self, message: JobProgress) -> None:
        if self._job is not None and message.job_id == self._job.id:
            self.query_one(JobBar).show(message.progress)

    def _finish(self) -> None:
        self._job = None
        self.query_one(JobBar).finish()
        self.query_one("#import-start", Button).disabled = False

    def _done(self, report: Any) -> None:
        self._finish()
        self.report = report
        summary = Text()
        summary.append(f"Imported {len(report.imported)}", style="bold")
        summary.append(f", updated {len(report.updated)}, unchanged {len(report.unchanged)}")
        summary.append(f", refused {len(report.refused)}.", style="bold" if report.refused else "")
        for where, reason in report.refused[:200]:
            summary.append("\n  ✗ ", style="bold red")
            summary.append(one_line(str(where)))
            summary.append(f": {one_line(reason)}", style="dim")
        if len(report.refused) > 200:
            summary.append(f"\n  … and {len(report.refused) - 200} more")
        self.query_one("#import-summary", Static).update(summary)
        self._refresh_library()

    def _failed(self, err: BaseException) -> None:
        self._finish()
        message = "Import cancelled; what was stored is kept." if isinstance(err, Cancelled) else str(err)
        self.query_one("#import-summary", Static).update(Text(one_line(message)))
        if not isinstance(err, Cancelled):
            self.app.show_error(err)
        self._refresh_library()

    def _refresh_library(self) -> None:
        from tui.app.screens.library import LibraryScreen

        for screen in self.app.screen_stack:
            if isinstance(screen, LibraryScreen):
                screen.refresh_after_import()

    def summary_text(self) -> str:
        return str(self.query_one("#import-summary", Static).render())

    def action_cancel_job(self) -> None:
        if self._job is not None:
            self._job.cancel.cancel()
            self.query_one(JobBar).start("Cancelling…", cancellable=False)

    def action_close(self) -> None:
        if self._job is not None:
            self.action_cancel_job()
            return
        self.dismiss(self.report is not None)
