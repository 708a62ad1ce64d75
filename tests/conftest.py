"""Shared fixtures: every test runs with its own DIGLOT_HOME so nothing is written outside a tmp dir."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.paths import current_paths


@pytest.fixture
def diglot_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "diglot-home"
    monkeypatch.setenv("DIGLOT_HOME", str(home))
    current_paths.cache_clear()
    yield home
    current_paths.cache_clear()


# Fixtures of the translation tests (tiny Argos packages, blocked network, empty $HOME).
pytest_plugins = ["conftest_translate"]
