"""`python -m tui` runs the same entry point as the `diglot` command."""

from tui.cli.main import main

raise SystemExit(main())
