"""The models screen: installed language packages, installing one from a file inside the app."""

from __future__ import annotations

from pathlib import Path

from conftest_translate import TinyPackages
from test_app_support import screen_text, settle
from textual.widgets import DataTable, Input

from tui.app.app import DiglotApp
from tui.app.screens.models import ModelsScreen


async def test_models_screen_lists_and_installs(diglot_home: Path, sealed_home: Path,
                                                tiny_packages: TinyPackages) -> None:
    app = DiglotApp(analyse_on_open=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, ModelsScreen)
        assert "No language packages installed" in screen_text(pilot)
        await pilot.press("a")
        field = app.screen.query_one("#install-path", Input)
        assert field.has_focus
        field.value = str(tiny_packages.marker_fr_en)
        await pilot.press("enter")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        assert [str(cell) for cell in table.get_row_at(0)[:2]] == ["fr", "en"]
        assert "1 installed" in screen_text(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert table.row_count == 0
        await pilot.press("escape")
        assert not isinstance(app.screen, ModelsScreen)
