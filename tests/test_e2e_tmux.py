"""End to end: the installed `diglot` command in a real terminal (tmux): search, open, side by side, quit.

The only test that runs the console script the way a user does: a real pty, real key presses, the screen read back
with `tmux capture-pane`. Waits are bounded polls (generous, for loaded CI machines), never timed assertions.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest_translate import TinyPackages

DIGLOT = Path(sys.executable).parent / "diglot"
WIDTH, HEIGHT = 160, 48


class Terminal:
    """One tmux session on a private server socket, so nothing touches the user's own tmux."""

    def __init__(self, env: dict[str, str]) -> None:
        self.tmux = shutil.which("tmux")
        if self.tmux is None:
            pytest.fail("tmux is not installed: the end-to-end test needs it (apt-get install tmux)")
        # A short folder of its own: socket paths are limited to about 100 bytes, pytest's tmp paths can be longer.
        self.folder = Path(tempfile.mkdtemp(prefix="dg-tmux-"))
        self.socket = self.folder / "sock"
        self.name = f"diglot-e2e-{uuid.uuid4().hex[:8]}"
        self.env = env
        self.last_screen = ""

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        assert self.tmux is not None
        return subprocess.run([self.tmux, "-S", str(self.socket), *args], env=self.env, capture_output=True,
                              text=True, check=check, timeout=60)

    def start(self, command: str) -> None:
        # -f /dev/null: no user tmux.conf (prefix keys, status line) changes what the app receives or shows.
        self.run("-f", "/dev/null", "new-session", "-d", "-s", self.name, "-x", str(WIDTH), "-y", str(HEIGHT),
                 command)
        self.run("set-option", "-t", self.name, "status", "off", check=False)

    def alive(self) -> bool:
        return self.run("has-session", "-t", self.name, check=False).returncode == 0

    def screen(self) -> str:
        done = self.run("capture-pane", "-p", "-t", self.name, check=False)
        if done.returncode == 0:
            self.last_screen = done.stdout
        return self.last_screen

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", self.name, *(["-l"] if literal else []), *keys)

    def wait(self, condition: Callable[[str], bool], what: str, timeout: float = 90.0) -> str:
        """Poll the screen until `condition(screen)`; fail naming what never appeared, with the last screen."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.screen()
            if condition(text):
                return text
            if not self.alive():
                pytest.fail(f"diglot exited while waiting for {what}; last screen:\n{self.last_screen}")
            time.sleep(0.25)
        pytest.fail(f"gave up after {timeout:.0f} s waiting for {what}; last screen:\n{self.last_screen}")

    def close(self) -> None:
        self.run("kill-server", check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


def _words(text: str, count: int) -> list[str]:
    return text.split()[:count]


def _aligned_rows(screen: str) -> list[tuple[str, str]]:
    """Rows of the side-by-side view where an original sentence starts left of `│` and its "[EN]" pair right."""
    rows = []
    for line in screen.splitlines():
        if "│" not in line:
            continue
        left, right = (part.strip() for part in line.split("│", 1))
        if not right.startswith("[EN] ") or not left:
            continue
        original = _words(left, 3)
        if len(original) == 3 and _words(right[len("[EN] "):], 3) == original:
            rows.append((left, right))
    return rows


def _french_row(screen: str) -> int:
    """Position of the French hit among the two hits (0 or 1), from where the two titles are on the screen."""
    lines = screen.splitlines()
    french = next((i for i, line in enumerate(lines) if "Le Japon et la France ont déclaré" in line), None)
    italian = next((i for i, line in enumerate(lines) if "Francia e Giappone hanno" in line), None)
    assert french is not None and italian is not None, f"both samples should be listed as hits:\n{screen}"
    return 0 if french < italian else 1


def test_diglot_command_search_open_side_by_side_quit(tmp_path: Path, tiny_packages: TinyPackages) -> None:
    assert DIGLOT.exists(), f"the console script is not installed next to the interpreter: {DIGLOT}"
    diglot_home, home = tmp_path / "diglot-home", tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "TMUX_PANE")}
    env.update(DIGLOT_HOME=str(diglot_home), HOME=str(home), TERM=env.get("TERM") or "xterm-256color")
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "ARGOS_PACKAGES_DIR"):
        env.pop(name, None)  # the product sets Argos's folders under DIGLOT_HOME itself

    installed = subprocess.run([str(DIGLOT), "models", "install", str(tiny_packages.marker_fr_en)], env=env,
                               capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, f"diglot models install failed:\n{installed.stdout}\n{installed.stderr}"

    exit_file = tmp_path / "exit-status"
    command = " ".join([
        "env", shlex.quote(f"DIGLOT_HOME={diglot_home}"), shlex.quote(f"HOME={home}"), shlex.quote(str(DIGLOT)),
        ";", "echo", "$?", ">", shlex.quote(str(exit_file)),
    ])
    terminal = Terminal(env)
    try:
        terminal.start(command)

        # First start: the samples are imported and indexed, then names found (spaCy). A person does not wait
        # for that: as soon as the screen is up, `/` and the query, a key at a time, while the jobs run.
        terminal.wait(lambda s: "Search all languages" in s, "the library screen")
        terminal.keys("/", literal=True)
        for char in "Kishida":
            time.sleep(0.08)
            terminal.keys(char, literal=True)
        terminal.wait(lambda s: "Kishida" in s, "the typed query in the search box")
        # Then, once the jobs are done, the hits of the query typed meanwhile (no key was lost or taken as a
        # command, e.g. the `i` of Kishida opening the import dialog).
        terminal.wait(lambda s: "Finding names" not in s and "Preparing" not in s and "2 hits" in s,
                      "the first-start jobs to finish, with two hits for Kishida")
        terminal.keys("Enter")
        time.sleep(0.3)  # a person's pause before the next key
        screen = terminal.wait(lambda s: "2 hits" in s, "two hits for Kishida")
        assert screen.count("Kishida") >= 3, screen  # the query and a snippet per hit

        # Enter moved the focus to the list, cursor on the first hit; go down to the French one and open it.
        for _ in range(_french_row(screen)):
            terminal.keys("Down")
        terminal.keys("Enter")
        terminal.wait(lambda s: "Original · sentence 1/" in s, "the French article in the reader")

        terminal.keys("s")
        screen = terminal.wait(lambda s: len(_aligned_rows(s)) >= 2, "the original and the [EN] text side by side")
        rows = _aligned_rows(screen)
        assert any(left.startswith("Le Japon et la France") for left, _ in rows), screen
        assert "Side by side" in screen and "fr → en" in screen, screen

        terminal.keys("q")
        deadline = time.monotonic() + 60
        while terminal.alive() and time.monotonic() < deadline:
            time.sleep(0.25)
        assert not terminal.alive(), f"diglot did not exit after q; last screen:\n{terminal.screen()}"
        assert exit_file.read_text().strip() == "0", f"diglot exit status {exit_file.read_text().strip()}"
        leftovers = sorted(str(p.relative_to(home)) for p in home.rglob("*"))
        assert leftovers == [], f"diglot wrote under $HOME: {leftovers}"
    finally:
        terminal.close()
