"""`diglot search` (ranked hits, snippets, facets, did-you-mean) and `diglot reindex`."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tui.errors import UsageError
from tui.progress import Progress, ProgressCallback
from tui.textsafe import printable

FACET_TITLES = {"lang": "Languages", "source": "Sources", "year": "Years", "entity": "Entities"}


def register(sub: argparse._SubParsersAction) -> None:
    """Add `search` and `reindex`."""
    search = sub.add_parser(
        "search",
        help="search the library (words, \"phrases\", AND/OR/NOT, lang:fr, date:2023, entity:..., secur*, word~)",
        description="Search every article, in all languages and in their translations.",
        epilog="Examples: diglot search Kishida;  diglot search 'exercice lang:fr';  "
        "diglot search '\"prime minister\" date:[2018 TO 2019]';  diglot search gouvernment~;  "
        "diglot search 'entity:jp NOT source:reuters'",
    )
    search.add_argument("query", nargs="+", help="the query (quote it in the shell if it has spaces)")
    search.add_argument("--lang", help="only articles in this language (e.g. fr)")
    search.add_argument("--limit", type=int, default=10, help="hits to show (default 10)")
    search.add_argument("--offset", type=int, default=0, help="skip this many hits (paging)")
    search.add_argument("--json", action="store_true", help="machine-readable output")
    search.set_defaults(func=run_search)

    reindex = sub.add_parser("reindex", help="rebuild the search index from the library",
                             description="Throw the search index away and index every article again.")
    reindex.set_defaults(func=run_reindex)


def _stderr_progress() -> tuple[ProgressCallback, Any]:
    """A progress bar on stderr when it is a terminal; silence otherwise."""
    if not sys.stderr.isatty():
        return (lambda _p: None), None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
    from rich.progress import Progress as RichProgress

    bar = RichProgress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                       console=Console(stderr=True), transient=True)
    task = bar.add_task("Indexing", total=None)
    bar.start()

    def update(p: Progress) -> None:
        bar.update(task, completed=p.done, total=p.total or None, description=p.stage.capitalize())

    return update, bar


def run_search(args: argparse.Namespace) -> int:
    from tui.pipeline import open_library
    from tui.search.searcher import search

    if args.limit < 0 or args.offset < 0:
        raise UsageError("--limit and --offset must not be negative.")
    query = " ".join(args.query)
    progress, bar = _stderr_progress()
    try:
        library = open_library(progress=progress)
    finally:
        if bar is not None:
            bar.stop()
    try:
        results = search(library.index_dir, query, lang=args.lang, limit=args.limit, offset=args.offset,
                         store=library.store)
    finally:
        library.close()
    if args.json:
        from tui.cli.output import emit_json

        emit_json({
            "query": results.query,
            "total": results.total,
            "hits": [
                {"id": h.article_id, "title": h.title, "lang": h.lang, "date": h.date, "source": h.source,
                 "score": round(h.score, 4), "snippet": h.snippet, "highlights": [list(s) for s in h.highlights]}
                for h in results.hits
            ],
            "facets": {name: [[value, count] for value, count in values]
                       for name, values in results.facets.items()},
            "suggestion": results.suggestion,
        })
    else:
        _print_results(results, args.offset)
    return 0 if results.total > 0 else 1


def _snippet_text(snippet: str, spans: list[tuple[int, int]]) -> Any:
    """The snippet as a Rich Text: matches bold, never markup-parsed; control characters made visible."""
    from rich.text import Text

    text = Text(style="dim")
    last = 0
    for start, end in spans:
        if start < last:
            continue
        text.append(printable(snippet[last:start]))
        text.append(printable(snippet[start:end]), style="bold")
        last = end
    text.append(printable(snippet[last:]))
    return text


def _print_results(results: Any, offset: int) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False, soft_wrap=False)
    if results.total == 0:
        console.print(Text(f"No articles match {printable(results.query)!r}."))
    else:
        shown = len(results.hits)
        first = offset + 1 if shown else 0
        console.print(Text(f"{results.total} article(s) match; showing {first}-{offset + shown}.", style="bold"))
    for rank, hit in enumerate(results.hits, start=offset + 1):
        head = Text(f"{rank:>3}. ")
        head.append(printable(hit.title) or "(untitled)", style="bold")
        console.print(head)
        meta = [hit.article_id, hit.lang, hit.date or "no date"]
        if hit.source:
            meta.append(hit.source)
        if hit.translated:
            meta.append("matched in translation")
        console.print(Text("     " + printable(" · ".join(meta)), style="cyan"))
        if hit.snippet:
            line = Text("     ")
            line.append_text(_snippet_text(hit.snippet, hit.highlights))
            console.print(line)
    facets = [
        f"{FACET_TITLES[name]}: " + ", ".join(f"{printable(value)} {count}" for value, count in values[:8])
        for name, values in results.facets.items() if values
    ]
    if facets:
        console.print(Text(" | ".join(facets), style="dim"))
    if results.suggestion:
        console.print(Text("Did you mean: ") + Text(printable(results.suggestion), style="bold") + Text("?"))


def run_reindex(args: argparse.Namespace) -> int:  # noqa: ARG001
    from tui.library.library import Library
    from tui.search.indexer import rebuild_index

    library = Library()
    progress, bar = _stderr_progress()
    try:
        count = rebuild_index(library.store, library.index_dir, progress=progress)
    finally:
        if bar is not None:
            bar.stop()
        library.close()
    print(f"Indexed {count} article(s).", file=sys.stderr)
    return 0
