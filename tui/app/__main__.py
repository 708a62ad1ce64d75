"""`python -m tui.app`: run the reader directly (a development shortcut for `diglot`)."""

from tui.app.app import run_app

raise SystemExit(run_app())
