"""Make untrusted article text safe to show: no escape sequence or control character reaches a terminal."""

from __future__ import annotations

import re

# C0 controls except tab/newline, DEL, C1 controls, and bidi overrides that can disguise text.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    char = match.group(0)
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control picture", e.g. ␛ for ESC
    if code == 0x7F:
        return "\u2421"
    return f"\\u{code:04x}"


def printable(text: str) -> str:
    """Control characters become visible symbols (ESC shows as ␛); everything else is unchanged."""
    return _UNSAFE.sub(_visible, text)
