"""Fixtures of the translation tests: tiny real Argos packages, a blocked network and an empty $HOME."""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tui.library.library import Library
from tui.library.model import Article, ArticleDraft
from tui.resources import seeds_dir

sys.path.insert(0, str(Path(__file__).parent / "tools"))
from make_tiny_argos import build_argosmodel  # noqa: E402

_ARGOS_ENV = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "ARGOS_PACKAGES_DIR", "ARGOS_CHUNK_TYPE",
              "ARGOS_DEVICE_TYPE", "DIGLOT_USE_ARGOS_HOME")


@dataclass(frozen=True)
class TinyPackages:
    """Paths of the .argosmodel files built once per session."""

    copy_fr_en: Path  # copies its input
    map_fr_en: Path  # copies, but "Japon" -> "Japan"
    marker_fr_en: Path  # prefixes "[EN]"
    marker_en_it: Path  # prefixes "[IT]"


@pytest.fixture(scope="session")
def tiny_packages(tmp_path_factory: pytest.TempPathFactory) -> TinyPackages:
    folder = tmp_path_factory.mktemp("argos")
    return TinyPackages(
        copy_fr_en=build_argosmodel(folder / "copy_fr_en.argosmodel", "fr", "en"),
        map_fr_en=build_argosmodel(folder / "map_fr_en.argosmodel", "fr", "en", mapping={"Japon": "Japan"}),
        marker_fr_en=build_argosmodel(folder / "marker_fr_en.argosmodel", "fr", "en", marker="[EN]"),
        marker_en_it=build_argosmodel(folder / "marker_en_it.argosmodel", "en", "it", marker="[IT]"),
    )


def _blocked(*_: object, **__: object) -> None:
    raise OSError("network access is blocked in the translation tests")


@pytest.fixture
def sealed_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """No network in this process, and $HOME an empty folder that must stay empty."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in _ARGOS_ENV:  # the product sets them (redirect_argos); restored after the test
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(socket.socket, "connect", _blocked)
    monkeypatch.setattr(socket.socket, "connect_ex", _blocked)
    monkeypatch.setattr(socket, "create_connection", _blocked)
    monkeypatch.setattr(socket, "getaddrinfo", _blocked)
    yield home
    leftovers = sorted(str(p.relative_to(home)) for p in home.rglob("*"))
    assert leftovers == [], f"files written under $HOME: {leftovers}"
    assert os.environ["HOME"] == str(home)


@pytest.fixture
def translate_library(diglot_home: Path, sealed_home: Path) -> Iterator[Library]:
    lib = Library()
    yield lib
    lib.close()


def seed_paragraphs() -> list[str]:
    """The French sample, cleaned by the import room's cleanup when present, else split on blank lines."""
    raw = next(seeds_dir().glob("000_*.txt")).read_text(encoding="utf-8")
    try:
        from tui.library.cleanup import clean
    except ImportError:
        return [p.strip() for p in raw.split("\n\n") if p.strip()]
    return clean(raw, "fr")


@pytest.fixture
def french_article(translate_library: Library) -> Article:
    paragraphs = seed_paragraphs()
    outcome = translate_library.store.save(ArticleDraft(source_key="seed-fr", raw="\n\n".join(paragraphs)), paragraphs,
                                 "fr", "Le Japon et la France")
    return translate_library.store.get(outcome.article_id)


def packages_left(diglot_home: Path) -> list[str]:
    """Everything in the package folder, hidden staging folders included."""
    folder = diglot_home / "data" / "argos-packages"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []
