"""Screenshots of the reader app (pytest-textual-snapshot): library, search, the three reader views, entity panel.

Each test runs the real app on its own DIGLOT_HOME (samples imported, names found, index built) and waits for
every worker before the picture is taken, so the SVGs only change when what a user sees changes.
Regenerate after a deliberate UI change with `pytest tests/test_snapshots.py --snapshot-update`, then look at them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from conftest_translate import TinyPackages
from test_app_support import reader_lines, screen_text, settle
from textual.pilot import Pilot
from textual.widgets import OptionList

from tui.app.app import DiglotApp
from tui.app.screens.entities import EntityScreen
from tui.app.screens.library import LibraryScreen
from tui.app.screens.reader import ReaderScreen
from tui.app.widgets.aligned import AlignedView
from tui.paths import current_paths

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]

Snap = Callable[..., bool]


def _app() -> DiglotApp:
    # No "12 ms" search times in the status line: the only clock the app renders.
    return DiglotApp(show_timings=False)


async def _quiet(pilot: Pilot) -> None:
    """Workers done, then the short UI timers (sentence flush 0.1 s) fired, then done again.

    Toasts disappear after a few seconds, so whether one is still up would depend on the machine's speed:
    the tests check what they expect from them and clear them before the picture."""
    await settle(pilot)
    await pilot.pause(0.3)
    await settle(pilot)
    pilot.app.clear_notifications()
    await pilot.pause()


def _notified(pilot: Pilot) -> list[str]:
    return [n.message for n in pilot.app._notifications]  # noqa: SLF001 - no public list of live toasts


async def _library_ready(pilot: Pilot) -> None:
    await settle(pilot)
    assert isinstance(pilot.app.screen, LibraryScreen)
    text = screen_text(pilot)
    assert "2 articles" in text, text


def _install(package: Path) -> None:
    from tui.translate.packages import install_package

    install_package(package, current_paths())


def _check(snap_compare: Snap, before: Callable[[Pilot], Awaitable[None]], size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot) -> None:
        await before(pilot)
        await _quiet(pilot)

    assert snap_compare(_app(), terminal_size=size, run_before=run_before)


# -- library --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("size", SIZES)
def test_library_at_start(snap_compare: Snap, diglot_home: Path, size: tuple[int, int]) -> None:
    """First start on an empty home: the two sample articles (fr, it), names counted, sorted by date."""

    async def before(pilot: Pilot) -> None:
        await _library_ready(pilot)
        assert not any("rror" in m for m in _notified(pilot))

    _check(snap_compare, before, size)


@pytest.mark.parametrize("size", SIZES)
def test_library_search_kishida(snap_compare: Snap, diglot_home: Path, size: tuple[int, int]) -> None:
    """`/`, "Kishida", enter: both samples as hits, each with a highlighted snippet; the list has the focus."""

    async def before(pilot: Pilot) -> None:
        await _library_ready(pilot)
        await pilot.press("slash", *"Kishida", "enter")
        await settle(pilot)
        text = screen_text(pilot)
        assert "2 hits" in text, text

    _check(snap_compare, before, size)


# -- reader ---------------------------------------------------------------------------------------------------
def _reader_before(view_key: str) -> Callable[[Pilot], Awaitable[None]]:
    async def before(pilot: Pilot) -> None:
        await _library_ready(pilot)
        # The French sample is the newest (2023-05; the Italian one has no date): first row, as the user sees it.
        await pilot.press("enter")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ReaderScreen)
        assert screen.article is not None and screen.article.lang == "fr"
        await pilot.press(view_key)
        await _quiet(pilot)
        view = screen.query_one(AlignedView)
        lines = reader_lines(pilot)
        if view_key == "o":
            assert view.mode == "original"
            assert lines[0].startswith("Le Japon et la France")
        elif view_key == "t":
            assert view.mode == "translation"
            assert lines[0].startswith("[EN] Le Japon et la France")
        else:
            assert view.mode == "side"
            left, right = lines[0].split("│", 1)
            assert left.strip().startswith("Le Japon") and right.strip().startswith("[EN] Le Japon")
        if view_key != "o":
            assert screen.translation is not None and screen.translation.complete
            assert "fr → en" in screen_text(pilot)

    return before


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("view_key", ["o", "t", "s"], ids=["original", "translation", "side"])
def test_reader_views(snap_compare: Snap, diglot_home: Path, sealed_home: Path, tiny_packages: TinyPackages,
                      view_key: str, size: tuple[int, int]) -> None:
    """The French sample in each view, translated by the tiny fr->en package (copies the text, prefixes "[EN]")."""
    _install(tiny_packages.marker_fr_en)
    _check(snap_compare, _reader_before(view_key), size)


# -- entity panel ---------------------------------------------------------------------------------------------
async def _entity_panel(pilot: Pilot) -> EntityScreen:
    await _library_ready(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ReaderScreen)
    await pilot.press("e")
    await settle(pilot)
    panel = pilot.app.screen
    assert isinstance(panel, EntityScreen)
    assert any("Kishida" in name for name in panel.entity_names())
    return panel


@pytest.mark.parametrize("size", SIZES)
def test_entity_panel(snap_compare: Snap, diglot_home: Path, size: tuple[int, int]) -> None:
    """`e` in the reader of the French sample: names with type, count and aliases per language; first one chosen."""

    async def before(pilot: Pilot) -> None:
        panel = await _entity_panel(pilot)
        assert panel.query_one("#entity-list", OptionList).highlighted == 0

    _check(snap_compare, before, size)


@pytest.mark.parametrize("size", SIZES)
def test_entity_panel_articles_naming(snap_compare: Snap, diglot_home: Path, size: tuple[int, int]) -> None:
    """Then enter: the right column lists the articles naming that entity, in French and in Italian."""

    async def before(pilot: Pilot) -> None:
        await _entity_panel(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "2 article(s) in fr, it name" in screen_text(pilot)

    _check(snap_compare, before, size)
