"""Entry point of the `diglot` command: parse arguments, dispatch, turn errors into one-line messages."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tui import __version__
from tui.errors import DiglotError

if TYPE_CHECKING:
    import argparse


def build_parser() -> argparse.ArgumentParser:
    import argparse  # here: `diglot` with no command (the reader) needs no parser

    from tui.cli import entities_cmd, library_cmds, search_cmd, translate_cmds

    parser = argparse.ArgumentParser(
        prog="diglot",
        description="Read foreign-language news in a terminal: original and translation side by side.",
        epilog="With no command, launches the reader on your library.",
    )
    parser.add_argument("--version", action="version", version=f"diglot {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (library_cmds, search_cmd, translate_cmds, entities_cmd):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        if not args_list:
            # The reader needs no parser: building it imports every command module (~0.1 s of start-up).
            from tui.cli.launch import launch_reader

            return launch_reader()
        args = build_parser().parse_args(args_list)
        if args.command is None:
            from tui.cli.launch import launch_reader

            return launch_reader()
        return int(args.func(args) or 0)
    except DiglotError as err:
        from tui.textsafe import printable

        print(f"diglot: {printable(str(err))}", file=sys.stderr)  # messages may quote the user's input
        return err.exit_code
    except sqlite3.DatabaseError as err:  # damage past the first page shows only when a query reads it
        from tui.paths import current_paths

        print(f"diglot: The library {current_paths().db} is damaged ({err}); restore a backup or move it away.",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("diglot: interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
