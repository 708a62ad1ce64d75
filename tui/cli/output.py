"""Output helpers for commands: JSON for pipes, safe text for terminals."""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from tui.textsafe import printable

# json.dumps escapes C0 controls but writes C1 controls (\x9b is CSI) and bidi overrides as they are.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def emit_json(data: Any) -> None:
    """Stable, pipe-friendly JSON on stdout (one document, UTF-8, sorted keys); no raw control characters."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2)
    sys.stdout.write(_JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")


def say(text: str = "", *, err: bool = False) -> None:
    """Print article-derived text with control characters made visible, never raw escape sequences."""
    stream = sys.stderr if err else sys.stdout
    stream.write(printable(text) + "\n")
