"""Library commands: `import` files into the library, `list` articles, `show` one article."""

from __future__ import annotations

import argparse
import shutil
import sys
from typing import Any

from tui.cli.output import emit_json, say
from tui.errors import UsageError
from tui.library.ingest import ImportReport
from tui.library.model import Article
from tui.progress import Progress
from tui.textsafe import printable

# Exit codes of `diglot import` (also in its --help).
EXIT_OK = 0
EXIT_NOTHING = 1
EXIT_PARTIAL = 4

_IMPORT_EPILOG = """\
formats: plain text (.txt; optional first lines such as "date 2023-05", "title ...", "lang fr"),
Markdown with YAML front matter (.md), JSON (.json: an object or an array of objects with text, title,
date, lang, source, id), JSON Lines (.jsonl), HTML pages (.html), RSS/Atom feeds (.rss, .atom, .xml).
The content decides when the extension is missing or wrong. Folders are searched recursively for files
with these extensions; a file named explicitly is always tried. Files over 50 MB are refused.

exit codes:
  0    everything was imported, updated or already in the library
  4    some files or records were refused (listed with the reason); the rest was imported
  1    nothing could be imported (everything refused, or no article found)
  2    bad arguments
  130  interrupted"""


def register(sub: argparse._SubParsersAction) -> None:
    """Add `import`, `list` and `show`."""
    p = sub.add_parser(
        "import",
        help="import articles from files, folders or glob patterns",
        description="Import articles into the library, clean them and index them for search. Importing the "
        "same file again changes nothing; a changed file updates its article.",
        epilog=_IMPORT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="file, folder or glob pattern (quote it: 'news/*.txt')")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_import)

    ls = sub.add_parser(
        "list", help="list the articles in the library", description="List articles: id, language, date and title."
    )
    ls.add_argument("--lang", metavar="L", help="only articles in this language (e.g. fr)")
    ls.add_argument(
        "--limit", type=_non_negative, default=50, metavar="N", help="at most N articles (default 50; 0 for all)"
    )
    ls.add_argument(
        "--sort",
        choices=("date", "title", "lang", "source"),
        default="date",
        help="sort order (default: date, newest first)",
    )
    ls.add_argument("--json", action="store_true", help="print JSON")
    ls.set_defaults(func=cmd_list)

    show = sub.add_parser(
        "show",
        help="print one article (or its translation)",
        description="Print an article: title, details and cleaned paragraphs.",
    )
    show.add_argument("id", metavar="ID", help="article id (see `diglot list`)")
    show.add_argument("--json", action="store_true", help="print JSON")
    show.add_argument("--raw", action="store_true", help="the text as imported, before cleanup")
    view = show.add_mutually_exclusive_group()
    view.add_argument("--translated", action="store_true", help="print the translation instead")
    view.add_argument("--side-by-side", action="store_true", help="original and translation in two columns")
    show.add_argument("--to", metavar="LANG", help="target language of the translation (default en)")
    show.add_argument("--width", type=_positive, metavar="N", help="width for --side-by-side (default: terminal)")
    show.set_defaults(func=cmd_show)


def _non_negative(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return number


def _positive(value: str) -> int:
    number = _non_negative(value)
    if number < 20:
        raise argparse.ArgumentTypeError("must be at least 20")
    return number


# -- import -----------------------------------------------------------------------------------------------------
class _StderrBars:
    """A rich progress bar per stage on stderr, only when stderr is a terminal."""

    def __init__(self) -> None:
        self.bars: Any = None
        self.tasks: dict[str, Any] = {}
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as Bars

            self.bars = Bars(
                TextColumn("{task.description:<8}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )

    def __enter__(self) -> _StderrBars:
        if self.bars is not None:
            self.bars.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bars is not None:
            self.bars.stop()

    def __call__(self, step: Progress) -> None:
        if step.stage == "waiting":
            if self.bars is not None:  # through the live display, which would otherwise overwrite it
                self.bars.console.print(printable(step.detail), markup=False, highlight=False)
            else:
                say(step.detail, err=True)
            return
        if self.bars is None:
            return
        task = self.tasks.get(step.stage)
        if task is None:
            task = self.tasks[step.stage] = self.bars.add_task(step.stage, total=step.total or None)
        self.bars.update(task, completed=step.done, total=step.total or None)


def cmd_import(args: argparse.Namespace) -> int:
    from tui.pipeline import import_and_index, open_library

    with _StderrBars() as bars:
        library = open_library(progress=bars)
        try:
            report = import_and_index(library, args.paths, progress=bars)
        finally:
            library.close()
    if args.json:
        emit_json(report.as_dict())
    else:
        print_report(report)
    return import_exit_code(report)


def import_exit_code(report: ImportReport) -> int:
    if report.accepted == 0:
        return EXIT_NOTHING
    return EXIT_PARTIAL if report.refused else EXIT_OK


def print_report(report: ImportReport) -> None:
    say(
        f"Imported {len(report.imported)}, updated {len(report.updated)}, unchanged {len(report.unchanged)},"
        f" refused {len(report.refused)}."
    )
    if report.skipped:
        say(
            f"Skipped {len(report.skipped)} file(s) in folders that are not in an article format"
            " (name a file to try it anyway)."
        )
    if report.accepted == 0 and not report.refused:
        say("No articles found.")
    if report.refused:
        say("Refused:")
        for where, reason in report.refused:
            say(f"  {where}: {reason}")


# -- list -------------------------------------------------------------------------------------------------------
def cmd_list(args: argparse.Namespace) -> int:
    from tui.pipeline import open_library

    library = open_library()
    try:
        store = library.store
        lang = args.lang.strip().lower() if args.lang else None
        total = store.count(lang)
        limit = args.limit or max(total, 1)
        rows = store.summaries(limit=limit, sort=args.sort, lang=lang)
    finally:
        library.close()
    if args.json:
        emit_json(
            [
                {
                    "id": r.id,
                    "lang": r.lang,
                    "title": r.title,
                    "date": r.date,
                    "source": r.source,
                    "translated": r.translated,
                    "entity_count": r.entity_count,
                }
                for r in rows
            ]
        )
        return 0
    if not rows:
        say("No articles" + (f" in {lang!r}." if lang else ". Add some with `diglot import PATH`."), err=True)
        return 0
    id_width = min(max(len(r.id) for r in rows), 40)
    width = shutil.get_terminal_size((100, 24)).columns if sys.stdout.isatty() else 0
    for r in rows:
        line = f"{_fit(r.id, id_width):<{id_width}}  {r.lang:<3} {r.date or '-':<10}  {r.title}"
        if width:
            line = _fit(line, width)
        say(line)
    if len(rows) < total:
        say(f"({len(rows)} of {total} articles; --limit 0 lists all)", err=True)
    return 0


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


# -- show -------------------------------------------------------------------------------------------------------
def cmd_show(args: argparse.Namespace) -> int:
    from tui.pipeline import open_library

    translated = args.translated or args.side_by_side or args.to is not None
    if translated and (args.json or args.raw):
        raise UsageError("--json and --raw show the original; they do not go with --translated or --side-by-side.")
    library = open_library()
    try:
        article = library.store.get(args.id)
        if translated:
            from tui.cli.translate_view import print_side_by_side, print_translated

            target = (args.to or "en").strip().lower()
            if args.side_by_side:
                width = args.width or shutil.get_terminal_size((100, 24)).columns
                return print_side_by_side(library, article, target, width)
            return print_translated(library, article, target)
    finally:
        library.close()
    if args.json:
        emit_json(article_dict(article, raw=args.raw))
    elif args.raw:
        say(article.raw)
    else:
        print_article(article)
    return 0


def article_dict(article: Article, *, raw: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": article.id,
        "lang": article.lang,
        "title": article.title,
        "date": article.date,
        "source": article.source,
        "source_key": article.source_key,
        "paragraphs": article.paragraphs,
        "content_hash": article.content_hash,
        "imported_at": article.imported_at,
        "updated_at": article.updated_at,
        "revision": article.revision,
    }
    if raw:
        data["raw"] = article.raw
    return data


def print_article(article: Article) -> None:
    say(article.title)
    details = [f"id {article.id}", f"lang {article.lang}"]
    if article.date:
        details.append(f"date {article.date}")
    if article.source:
        details.append(f"source {article.source}")
    say(" · ".join(details))
    for paragraph in article.paragraphs:
        say()
        say(paragraph)
