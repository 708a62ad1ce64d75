"""Search as you type: the first key searches at once, keys typed meanwhile are coalesced, the latest text wins."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from test_app_support import screen_text, settle, wait_for
from textual.widgets import Input

from tui.app import core
from tui.app.app import DiglotApp
from tui.app.screens.library import LibraryScreen
from tui.app.widgets.article_list import ArticleList


class RecordingApp(DiglotApp):
    """Keeps every query whose first page reached the list, in order (what the user saw, one after another)."""

    CSS_PATH = str(Path(core.__file__).with_name("diglot.tcss"))  # relative paths resolve from the subclass

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.shown: list[str] = []

    def on_library_screen_results_shown(self, message: LibraryScreen.ResultsShown) -> None:
        self.shown.append(message.query)


@pytest.fixture
def held_searches(monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], dict[str, threading.Event]]:
    """Every query the session searched (first pages), and gates a test can close to hold a query's search."""
    searched: list[str] = []
    gates: dict[str, threading.Event] = {}
    real = core.SearchSession.search

    def search(self: core.SearchSession, query: str, **kwargs: Any) -> core.Page:
        if kwargs.get("offset") == 0:
            searched.append(query)
        gate = gates.get(query)
        if gate is not None:
            gate.wait(20)
        return real(self, query, **kwargs)

    monkeypatch.setattr(core.SearchSession, "search", search)
    return searched, gates


async def test_keys_typed_during_a_search_run_once_as_the_latest_text(
    diglot_home: Path, held_searches: tuple[list[str], dict[str, threading.Event]]
) -> None:
    searched, gates = held_searches
    app = RecordingApp(analyse_on_open=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        gates["K"] = threading.Event()
        await pilot.press("slash", "K")
        await wait_for(pilot, lambda: searched == ["K"])  # the first key searched at once, no delay
        await pilot.press(*"ishida")  # typed while "K" is still searching
        assert app.screen.query_one("#search", Input).value == "Kishida"
        gates["K"].set()
        articles = app.screen.query_one(ArticleList)
        await wait_for(pilot, lambda: articles.total == 2 and articles.row_height == 2)
        await settle(pilot)
        # The six keys typed meanwhile made one search, of the whole text; the held "K" results never showed.
        assert searched == ["K", "Kishida"]
        assert [q for q in app.shown if q] == ["Kishida"]
        assert "2 hits" in screen_text(pilot)
        assert all("Kishida" in (row.snippet or "") for row in articles.loaded_rows())


async def test_a_query_typed_fast_ends_on_its_own_results(
    diglot_home: Path, held_searches: tuple[list[str], dict[str, threading.Event]]
) -> None:
    searched, _ = held_searches
    app = RecordingApp(analyse_on_open=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"Hiroshima")
        await pilot.press(*(["backspace"] * len("Hiroshima")), *"Ucraina")
        await settle(pilot)
        rows = app.screen.query_one(ArticleList).loaded_rows()
        assert [row.lang for row in rows] == ["it"]  # only the Italian text names Ukraine as "Ucraina"
        assert searched[-1] == "Ucraina"
        assert app.shown[-1] == "Ucraina"  # nothing older was painted after the last query's results
        assert "1 hit" in screen_text(pilot)


async def test_results_of_an_older_query_never_replace_the_latest(
    diglot_home: Path, held_searches: tuple[list[str], dict[str, threading.Event]]
) -> None:
    searched, gates = held_searches
    app = RecordingApp(analyse_on_open=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        gates["Hiroshima"] = threading.Event()
        await pilot.press("slash", *"Hiroshima")
        await wait_for(pilot, lambda: "Hiroshima" in searched)
        # Hiroshima is held; the box is cleared and a new name typed: its results must be the last shown.
        await pilot.press(*(["backspace"] * len("Hiroshima")), *"Ucraina")
        gates["Hiroshima"].set()
        await settle(pilot)
        assert app.screen.query_one("#search", Input).value == "Ucraina"
        assert app.shown[-1] == "Ucraina"
        assert "Hiroshima" not in app.shown[app.shown.index("Ucraina"):]
        assert [row.lang for row in app.screen.query_one(ArticleList).loaded_rows()] == ["it"]


async def test_escape_clears_the_query_and_lists_everything_again(diglot_home: Path) -> None:
    app = RecordingApp(analyse_on_open=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"Ucraina")
        await settle(pilot)
        assert app.screen.query_one(ArticleList).total == 1
        await pilot.press("escape", "escape")  # leave the box, then clear it
        await settle(pilot)
        assert app.screen.query_one("#search", Input).value == ""
        assert app.screen.query_one(ArticleList).total == 2
        assert app.shown[-1] == ""
        assert "2 articles" in screen_text(pilot)
