"""The UI's settings file (TOML under the platform config folder): key overrides, theme, reader defaults.

    [keys]
    reader.side = "b"          # binding id = key(s), comma separated
    [ui]
    theme = "gruvbox"
    [reader]
    target = "en"
    view = "side"              # original | translation | side
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tui.errors import DiglotError


@dataclass(slots=True)
class UIConfig:
    keys: dict[str, str] = field(default_factory=dict)
    theme: str | None = None
    target: str = "en"
    view: str = "original"


def load_config(path: Path) -> UIConfig:
    """Missing file: defaults. A broken file raises DiglotError (shown as a notification, defaults used)."""
    if not path.exists():
        return UIConfig()
    import tomllib  # here: most starts have no settings file, and every import delays the first screen

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise DiglotError(f"Could not read the settings file {path}: {err}") from err
    config = UIConfig()
    keys = data.get("keys", {})
    if isinstance(keys, dict):
        config.keys = {str(k): str(v) for k, v in _flatten(keys).items() if isinstance(v, str)}
    ui = data.get("ui", {})
    if isinstance(ui, dict) and isinstance(ui.get("theme"), str):
        config.theme = ui["theme"]
    reader = data.get("reader", {})
    if isinstance(reader, dict):
        if isinstance(reader.get("target"), str):
            config.target = reader["target"]
        if reader.get("view") in ("original", "translation", "side"):
            config.view = reader["view"]
    return config


def _flatten(table: dict, prefix: str = "") -> dict[str, object]:
    """`reader.side = "b"` in TOML is a nested table; binding ids are the dotted names."""
    flat: dict[str, object] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = value
    return flat
