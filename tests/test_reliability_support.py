"""Helpers of the reliability tests (no tests here): run `diglot` in a subprocess, build odd files, check output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOOD_FR = "Le conseil municipal a voté le budget mardi soir après un long débat sur les écoles de la ville."
ESC = "\x1b"
# Escape sequences and characters a hostile article could carry: OSC (window title), SGR colour, clear screen,
# C1 CSI, bell, backspace, bidi overrides and isolates.
HOSTILE = "\x1b]0;pwned\x07 \x1b[31mred\x1b[0m \x1b[2J \x9b31m \x07\x08 \u202eevil\u202c \u2066iso\u2069"
TERMINAL_UNSAFE = [chr(c) for c in (*range(0, 9), *range(11, 32), *range(0x7F, 0xA0))] + [
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
]


def diglot_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a `diglot` subprocess: its own DIGLOT_HOME, the repository importable."""
    env = dict(os.environ)
    env["DIGLOT_HOME"] = str(home)
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop("COLUMNS", None)
    env.update(extra)
    return env


def run_diglot(home: Path, *args: str, timeout: float = 600, **extra: str) -> subprocess.CompletedProcess[str]:
    """`python -m tui ARGS` with its own DIGLOT_HOME; output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], env=diglot_env(home, **extra), cwd=REPO, capture_output=True,
        text=True, timeout=timeout, check=False,
    )


def spawn_diglot(home: Path, *args: str, **extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tui", *args], env=diglot_env(home, **extra), cwd=REPO, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )


def run_python(code: str, home: Path, *, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """A Python snippet in a fresh interpreter (for memory measurements and privilege changes)."""
    return subprocess.run(
        [sys.executable, "-c", code], env=diglot_env(home), cwd=REPO, capture_output=True, text=True,
        timeout=timeout, check=False,
    )


def assert_clean_output(*texts: str) -> None:
    """What a user sees: never a traceback, never a raw control character or bidi override."""
    for text in texts:
        assert "Traceback" not in text, text[-3000:]
        bad = sorted({repr(c) for c in text if c in TERMINAL_UNSAFE})
        assert not bad, f"raw control characters reach the terminal: {bad}"


def refused_lines(output: str) -> dict[str, str]:
    """`path: reason` lines under "Refused:" in an import summary."""
    lines = output.split("Refused:", 1)[1].splitlines() if "Refused:" in output else []
    found: dict[str, str] = {}
    for line in lines:
        if line.startswith("  ") and ": " in line:
            where, reason = line.strip().split(": ", 1)
            found[where] = reason
    return found
