"""`diglot` with no command: open the library (importing the samples on first start) and run the reader."""

from __future__ import annotations


def launch_reader() -> int:
    from tui.app.app import run_app

    return run_app()
