"""Helpers shared by the app tests (Textual Pilot): wait for workers, read what widgets show."""

from __future__ import annotations

from textual.pilot import Pilot

from tui.app.widgets.aligned import AlignedView
from tui.app.widgets.article_list import ArticleList


async def settle(pilot: Pilot, rounds: int = 200) -> None:
    """Let workers finish and their result messages be handled (a result may start more workers)."""
    app = pilot.app
    for _ in range(rounds):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.is_running for worker in app.workers):
            await pilot.pause()
            if not any(worker.is_running for worker in app.workers):
                return


async def wait_for(pilot: Pilot, condition, rounds: int = 400) -> None:  # noqa: ANN001 - a callable
    """Pump the app until `condition()` holds (e.g. a search typed, a job done); fail with a clear message.

    It does not wait for workers: a test may hold one on purpose while it looks at the screen."""
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause(0.02)
    assert condition(), "condition never became true"


def list_titles(pilot: Pilot) -> list[str]:
    articles = pilot.app.screen.query_one(ArticleList)
    return [row.title for row in articles.loaded_rows()]


def reader_lines(pilot: Pilot) -> list[str]:
    return pilot.app.screen.query_one(AlignedView).plain_lines()


def screen_text(pilot: Pilot) -> str:
    """Everything on the terminal now, as text (what the user sees)."""
    strips = pilot.app.screen._compositor.render_strips()  # noqa: SLF001 - no public "screen as text"
    return "\n".join(strip.text.rstrip() for strip in strips)
