"""What every Diglot screen shares: background calls that deliver results as messages, and error display."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.message import Message
from textual.worker import Worker, get_current_worker

from tui.errors import Cancelled, DiglotError


class Deliver(Message):
    """A worker's result, run on the UI thread by the screen that started it (dropped if it is gone)."""

    def __init__(self, callback: Callable[..., Any], *args: Any) -> None:
        super().__init__()
        self.callback = callback
        self.args = args


class BackgroundMixin:
    """Mixed into Screen / ModalScreen: `background(fn, done)` runs fn in a thread, never blocks the UI."""

    def background(
        self,
        fn: Callable[[], Any],
        done: Callable[[Any], None] | None = None,
        *,
        group: str = "default",
        exclusive: bool = False,
        failed: Callable[[BaseException], None] | None = None,
        description: str = "",
    ) -> Worker:
        screen = self
        app = self.app  # type: ignore[attr-defined]  # resolved now: a dismissed screen has no app in a thread

        def runner() -> None:
            worker = get_current_worker()
            try:
                result = fn()
            except Cancelled as err:
                outcome: tuple[Callable[..., Any], tuple[Any, ...]] = (failed or screen._cancelled, (err,))
            except DiglotError as err:
                outcome = (failed or screen._failed, (err,))
            except Exception as err:  # noqa: BLE001 - a bug in the core must not kill the UI
                app.log_exception(err)
                outcome = (failed or screen._failed, (err,))
            else:
                if done is None:
                    return
                outcome = (done, (result,))
            if not worker.is_cancelled:
                screen.post_message(Deliver(outcome[0], *outcome[1]))  # type: ignore[attr-defined]

        return self.run_worker(  # type: ignore[attr-defined]
            runner, thread=True, group=group, exclusive=exclusive, exit_on_error=False,
            description=description or getattr(fn, "__name__", "job"),
        )

    def on_deliver(self, message: Deliver) -> None:
        message.stop()
        message.callback(*message.args)

    def _cancelled(self, err: BaseException) -> None:
        self.notify("Cancelled.", severity="warning")  # type: ignore[attr-defined]

    def _failed(self, err: BaseException) -> None:
        self.app.show_error(err)  # type: ignore[attr-defined]
