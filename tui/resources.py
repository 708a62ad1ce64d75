"""Files shipped with Diglot: the sample articles (seeds/) and data assets (assets/).

In a wheel they are installed as the packages `tui._seeds` and `tui._assets`; in a source checkout they are the
top-level folders of the repository.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parent.parent


def _shipped(package: str, folder: str) -> Path:
    try:
        path = Path(str(resources.files(package)))
        if path.is_dir():
            return path
    except (ModuleNotFoundError, TypeError):
        pass
    return _REPO_ROOT / folder


def seeds_dir() -> Path:
    """The embedded default library: the two sample articles."""
    return _shipped("tui._seeds", "seeds")


def assets_dir() -> Path:
    """Shipped data such as the city alias list."""
    return _shipped("tui._assets", "assets")
