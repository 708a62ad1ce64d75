"""First start: keys typed while the samples are imported, indexed and analysed reach the search box."""

from __future__ import annotations

from pathlib import Path

from test_app_support import screen_text, settle, wait_for
from textual import events
from textual.app import App
from textual.widgets import Input

from tui.app.app import DiglotApp
from tui.app.screens.library import LibraryScreen
from tui.app.widgets.article_list import ArticleList


def type_burst(app: App, keys: str) -> None:
    """Keys as a terminal delivers them while the UI thread is busy: all queued before any is handled.

    (pilot.press waits for each key to be handled, which hides what a busy first start does to key routing.)"""
    driver = app._driver  # noqa: SLF001 - the same path as the terminal's input thread
    assert driver is not None
    for key in keys:
        name = "slash" if key == "/" else key
        event = events.Key(name, key)
        event.set_sender(app)
        driver.send_message(event)


async def test_typing_during_the_first_start_jobs_is_kept(diglot_home: Path) -> None:
    app = DiglotApp()  # names are found on open: the spaCy job runs too
    async with app.run_test(size=(80, 24)) as pilot:
        # As soon as the screen is up, not after the jobs: a person types at once.
        await wait_for(pilot, lambda: isinstance(app.screen, LibraryScreen))
        type_burst(app, "/Kishida")
        search = app.screen.query_one("#search", Input)
        await wait_for(pilot, lambda: search.value == "Kishida")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)  # no key was taken as a command (i = import)
        assert search.value == "Kishida"
        articles = app.screen.query_one(ArticleList)
        await wait_for(pilot, lambda: articles.total == 2 and articles.row_height == 2)
        await settle(pilot)
        assert {row.lang for row in articles.loaded_rows()} == {"fr", "it"}
        assert "2 hits" in screen_text(pilot)


async def test_a_slash_typed_in_the_box_is_part_of_the_query(diglot_home: Path) -> None:
    app = DiglotApp(analyse_on_open=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"24", "slash", "7")
        assert app.screen.query_one("#search", Input).value == "24/7"
        await settle(pilot)
        assert "/ Search" not in screen_text(pilot)  # the footer does not offer `/` while typing in the box
        await pilot.press("escape")
        await pilot.pause()
        assert "/ Search" in screen_text(pilot)
