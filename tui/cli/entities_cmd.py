"""`diglot entities` (an article's entities, any text's entities, or analyse the library) and `diglot related`."""

from __future__ import annotations

import argparse
import json
import sys

from tui.cli.output import emit_json, say
from tui.errors import UsageError
from tui.progress import Progress


def register(sub: argparse._SubParsersAction) -> None:
    """Add `entities` and `related`."""
    p = sub.add_parser(
        "entities",
        help="named entities of an article, of any text, or analyse the library",
        description="Show the people, organisations, places and dates an article names (with `ID`), recognise "
        "them in any text (`--lang L FILE`, `-` for stdin), or analyse the library (`--analyse`).",
    )
    p.add_argument("target", nargs="?", help="article id, or a text file (`-` for stdin) with --lang")
    p.add_argument("--lang", help="language of the text given as FILE (fr, it, en, de, es)")
    p.add_argument("--lines", action="store_true", help="with --lang: each input line is a document; JSON Lines out")
    p.add_argument("--analyse", "--analyze", action="store_true", help="analyse articles that need it, then index")
    p.add_argument("--all", action="store_true", help="with --analyse: analyse every article again")
    p.add_argument("--json", action="store_true", help="JSON output")
    p.set_defaults(func=run_entities)

    r = sub.add_parser(
        "related",
        help="articles related to an article, in any language",
        description="Articles sharing the most (rare) entities and numbers with the article, in any "
        "language, and similar English text when translations exist.",
    )
    r.add_argument("id", help="article id")
    r.add_argument("--limit", type=int, default=10)
    r.add_argument("--json", action="store_true", help="JSON output")
    r.set_defaults(func=run_related)


def _progress_bar(progress: Progress) -> None:
    if not sys.stderr.isatty():
        return
    width = 30
    filled = int(width * progress.done / progress.total) if progress.total else 0
    sys.stderr.write(f"\r{progress.stage} [{'#' * filled}{'.' * (width - filled)}] {progress.done}/{progress.total}")
    if progress.total and progress.done >= progress.total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def run_entities(args: argparse.Namespace) -> int:
    if args.analyse:
        if args.target or args.lang:
            raise UsageError("--analyse takes no article id or file.")
        return _analyse(args)
    if args.lang:
        if not args.target:
            raise UsageError("Give a file to read, or `-` for standard input.")
        return _text(args)
    if args.lines:
        raise UsageError("--lines goes with --lang.")
    if not args.target:
        raise UsageError("Give an article id, `--lang L FILE`, or `--analyse`.")
    return _article(args)


def _read(target: str) -> str:
    if target == "-":
        return sys.stdin.read()
    try:
        with open(target, encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError as err:
        raise UsageError(f"No such file: {target}") from err
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"Cannot read {target}: {err}") from err


def _text(args: argparse.Namespace) -> int:
    from tui.entities.link import link
    from tui.entities.recognise import recognise_many

    text = _read(args.target)
    lang = args.lang.lower()
    if args.lines:
        lines = text.splitlines()
        for mentions in recognise_many(lines, lang):
            record = {"spans": [m.as_dict() for m in link(mentions)]}
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        return 0
    mentions = link(recognise_many([text], lang)[0])
    if args.json:
        emit_json({"lang": lang, "spans": [m.as_dict() for m in mentions]})
        return 0
    for m in mentions:
        say(f"{m.start:>6}-{m.end:<6} {m.type:<7} {m.text}  [{m.entity_id}]")
    return 0


def _analyse(args: argparse.Namespace) -> int:
    from tui.entities.service import analyse_all
    from tui.pipeline import open_library, sync

    library = open_library()
    try:
        count = analyse_all(library.store, progress=_progress_bar, force=args.all)
        sync(library, progress=_progress_bar)
    finally:
        library.close()
    if args.json:
        emit_json({"analysed": count})
    else:
        say(f"Analysed {count} article(s).")
    return 0


def _article(args: argparse.Namespace) -> int:
    from tui.entities.service import analyse_article, article_entities, pending_ids
    from tui.pipeline import open_library

    library = open_library()
    try:
        store = library.store
        article = store.get(args.target)
        if article.id in set(pending_ids(store)):
            analyse_article(store, article)
        rows = article_entities(store, article.id)
    finally:
        library.close()
    if args.json:
        emit_json(
            {"article": article.id, "lang": article.lang, "entities": [{**e.as_dict(), "count": n} for e, n in rows]}
        )
        return 0
    if not rows:
        say("No entities found.")
    for entity, count in rows:
        names = sorted({v for values in entity.aliases.values() for v in values} - {entity.name})
        extra = f"  ({', '.join(names)})" if names else ""
        say(f"{count:>4}  {entity.type:<7} {entity.name}  [{entity.id}]{extra}")
    return 0


def run_related(args: argparse.Namespace) -> int:
    from tui.entities.service import analyse_all, related_articles
    from tui.pipeline import open_library

    library = open_library()
    try:
        store = library.store
        store.get(args.id)
        analyse_all(
            store, progress=_progress_bar
        )  # related needs every article's entities: analyse what is missing (fast when none)
        ranked = related_articles(store, args.id, limit=args.limit)
        summaries = {s.id: s for s in store.summaries(ids=[aid for aid, _ in ranked], limit=len(ranked) or 1)}
    finally:
        library.close()
    rows = [(aid, score, summaries.get(aid)) for aid, score in ranked]
    if args.json:
        emit_json(
            {
                "article": args.id,
                "related": [
                    {"id": aid, "score": score, "lang": s.lang if s else None, "title": s.title if s else None}
                    for aid, score, s in rows
                ],
            }
        )
        return 0
    if not rows:
        say("No related articles.")
    for aid, score, s in rows:
        say(f"{score:.3f}  {s.lang if s else '??'}  {aid}  {s.title if s else ''}")
    return 0
