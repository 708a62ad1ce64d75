"""Output helpers for commands: JSON for pipes, safe text for terminals."""

from __future__ import annotations

import json
import sys
from typing import Any

from tui.textsafe import printable


def emit_json(data: Any) -> None:
    """Stable, pipe-friendly JSON on stdout (one document, UTF-8, sorted keys)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n")


def say(text: str = "", *, err: bool = False) -> None:
    """Print article-derived text with control characters made visible, never raw escape sequences."""
    stream = sys.stderr if err else sys.stdout
    stream.write(printable(text) + "\n")
