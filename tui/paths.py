"""Where Diglot keeps its state: platformdirs folders, or everything under $DIGLOT_HOME.

Also redirects Argos Translate's home-directory side effects (it writes to ~/.local and ~/.config at import
time) into our own folders, which must happen before the first `import argostranslate`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import platformdirs

APP_NAME = "diglot"


@dataclass(frozen=True, slots=True)
class Paths:
    """The three folders Diglot writes to, and the files inside them."""

    data: Path
    cache: Path
    config: Path

    @property
    def db(self) -> Path:
        return self.data / "library.sqlite3"

    @property
    def index(self) -> Path:
        return self.data / "index"

    @property
    def argos_packages(self) -> Path:
        return self.data / "argos-packages"

    @property
    def argos_home(self) -> Path:
        """Sandbox for Argos's own XDG folders (settings, downloads, onnxruntime cache)."""
        return self.cache / "argos-home"

    @property
    def config_file(self) -> Path:
        return self.config / "config.toml"

    @property
    def lock_dir(self) -> Path:
        return self.data / "locks"

    def ensure(self) -> Paths:
        for folder in (self.data, self.cache, self.config):
            folder.mkdir(parents=True, exist_ok=True)
        return self


def resolve_paths(env: dict[str, str] | None = None) -> Paths:
    """$DIGLOT_HOME puts everything in one folder (tests, several libraries); else platformdirs."""
    env = dict(os.environ) if env is None else env
    home = env.get("DIGLOT_HOME")
    if home:
        root = Path(home).expanduser().resolve()
        return Paths(data=root / "data", cache=root / "cache", config=root / "config")
    return Paths(
        data=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        cache=Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
        config=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
    )


@cache
def current_paths() -> Paths:
    """The paths of this process, created on first use."""
    return resolve_paths().ensure()


def redirect_argos(paths: Paths) -> None:
    """Point Argos Translate's folders at ours before it is imported (it reads them once, at import).

    The user's own Argos folder is used only when they ask for it with $DIGLOT_USE_ARGOS_HOME=1.
    """
    if os.environ.get("DIGLOT_USE_ARGOS_HOME") == "1":
        return
    home = paths.argos_home
    for name, sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache")):
        folder = home / sub
        folder.mkdir(parents=True, exist_ok=True)
        os.environ[name] = str(folder)
    paths.argos_packages.mkdir(parents=True, exist_ok=True)
    os.environ["ARGOS_PACKAGES_DIR"] = str(paths.argos_packages)
    # The default chunker is minisbd; "SPACY" and "STANZA" try to download models at import.
    os.environ.setdefault("ARGOS_CHUNK_TYPE", "MINISBD")
    os.environ.setdefault("ARGOS_DEVICE_TYPE", "cpu")
