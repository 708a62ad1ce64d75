"""Files shipped with Diglot: the sample articles (seeds/) and data assets (assets/).

A wheel installs them under `<prefix>/share/diglot/`; in a source checkout (editable install) they are the
top-level folders of the repository.
"""

from __future__ import annotations

import sys
import sysconfig
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parent.parent


def _shipped(folder: str) -> Path:
    checkout = _REPO_ROOT / folder
    if checkout.is_dir() and (_REPO_ROOT / "pyproject.toml").is_file():
        return checkout
    for prefix in (sysconfig.get_path("data"), sys.prefix):
        installed = Path(prefix) / "share" / "diglot" / folder
        if installed.is_dir():
            return installed
    return checkout


def seeds_dir() -> Path:
    """The embedded default library: the two sample articles."""
    return _shipped("seeds")


def assets_dir() -> Path:
    """Shipped data such as the city alias list."""
    return _shipped("assets")
