"""`diglot translate` and `diglot models`: translate articles offline, manage Argos packages."""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import replace
from pathlib import Path
from types import TracebackType

from tui.cli.output import emit_json, say
from tui.errors import UsageError
from tui.progress import Progress

_LANG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$")


def register(sub: argparse._SubParsersAction) -> None:
    """Add `translate` and `models`."""
    p = sub.add_parser("translate", help="translate articles (offline, cached sentence by sentence)",
                       description="Translate articles with the installed Argos packages, then index the result.")
    p.add_argument("ids", nargs="*", metavar="ID", help="article ids (see `diglot list`)")
    p.add_argument("--all", action="store_true", help="every article not already in the target language")
    p.add_argument("--to", default="en", metavar="LANG", help="target language (default: en)")
    p.add_argument("--beam", type=int, default=None, metavar="N", help="beam size (default: 2; Argos uses 4)")
    p.add_argument("--threads", type=int, default=None, metavar="N",
                   help="batches translated in parallel (default: one per core, at most 4)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_translate)

    models = sub.add_parser("models", help="list, install or remove translation packages",
                            description="Argos Translate packages (.argosmodel files) used for translation.")
    msub = models.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    ls = msub.add_parser("list", help="installed packages (and available ones if an index was fetched)")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=cmd_models_list)
    ins = msub.add_parser(
        "install", help="install FILE.argosmodel (offline), or download SRC TGT (needs the network)",
        description="`diglot models install FILE.argosmodel` installs a package file without any network. "
                    "`diglot models install fr en` downloads the package from the Argos index.")
    ins.add_argument("what", nargs="+", metavar="FILE | SRC TGT")
    ins.set_defaults(func=cmd_models_install)
    rm = msub.add_parser("remove", help="remove the package SRC -> TGT")
    rm.add_argument("source", metavar="SRC")
    rm.add_argument("target", metavar="TGT")
    rm.set_defaults(func=cmd_models_remove)


class StderrProgress:
    """A one-line progress bar on stderr when it is a terminal; silent otherwise (pipes, logs, tests)."""

    def __init__(self) -> None:
        self.active = sys.stderr.isatty()
        self.drawn = False

    def __call__(self, step: Progress) -> None:
        if not self.active:
            return
        if step.total:
            filled = int(24 * step.done / step.total)
            bar = f"[{'#' * filled}{'.' * (24 - filled)}] {step.done}/{step.total}"
        else:
            bar = f"{step.done}" if step.done else ""
        sys.stderr.write(f"\r{step.stage} {step.detail} {bar}"[:100].ljust(60))
        sys.stderr.flush()
        self.drawn = True

    def __enter__(self) -> StderrProgress:
        return self

    def __exit__(self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None) -> None:
        if self.drawn:
            sys.stderr.write("\r" + " " * 60 + "\r")
            sys.stderr.flush()


def cmd_translate(args: argparse.Namespace) -> int:
    from tui.library.library import Library
    from tui.translate.engine import TranslateOptions
    from tui.translate.service import translate_articles

    if not args.ids and not args.all:
        raise UsageError("Give article ids or --all.")
    if args.ids and args.all:
        raise UsageError("Give article ids or --all, not both.")
    target = _lang(args.to)
    options = TranslateOptions()
    if args.beam is not None:
        if not 1 <= args.beam <= 16:
            raise UsageError("--beam must be between 1 and 16.")
        options = replace(options, beam_size=args.beam)
    if args.threads is not None:
        if not 1 <= args.threads <= 64:
            raise UsageError("--threads must be between 1 and 64.")
        options = replace(options, inter_threads=args.threads)
    library = Library()
    store = library.store
    articles = list(store.iter_articles()) if args.all else [store.get(i) for i in args.ids]
    skipped = [a.id for a in articles if a.lang == target]
    articles = [a for a in articles if a.lang != target]
    for article_id in skipped if not args.all else []:
        say(f"{article_id} is already in {target}; skipped.", err=True)
    if args.all:
        articles = _translatable(articles, target)
    results = []
    if articles:
        with StderrProgress() as progress:
            results = translate_articles(store, articles, target, options=options, progress=progress)
            _index(library, progress)
    if args.json:
        emit_json([{
            "id": r.article_id, "source_lang": r.source_lang, "target": r.target, "route": r.route,
            "sentences": r.sentence_count, "flagged": r.flagged, "text": r.text,
        } for r in results])
        return 0
    for r in results:
        flagged = f", {r.flagged} flagged" if r.flagged else ""
        say(f"{r.article_id}: {r.sentence_count} sentences{flagged} ({' -> '.join(r.route)})")
    if not results:
        say(f"Nothing to translate into {target}.", err=True)
    return 0


def _translatable(articles: list, target: str) -> list:
    """With --all, languages without a package are skipped with a note (all missing: the usual error)."""
    from tui.translate.packages import MissingPackageError, find_route

    missing: dict[str, MissingPackageError] = {}
    for lang in sorted({a.lang for a in articles}):
        try:
            find_route(lang, target)
        except MissingPackageError as err:
            missing[lang] = err
    if missing and len(missing) == len({a.lang for a in articles}):
        raise next(iter(missing.values()))
    for lang in missing:
        count = sum(a.lang == lang for a in articles)
        say(f"Skipped {count} article(s) in {lang}: no package {lang} -> {target} "
            f"(`diglot models install FILE.argosmodel`).", err=True)
    return [a for a in articles if a.lang not in missing]


def _index(library, progress: StderrProgress) -> None:  # noqa: ANN001 - Library
    """Put the new translations in the search index (the library stays the source of truth)."""
    from tui.pipeline import sync

    sync(library, progress=progress)


def cmd_models_list(args: argparse.Namespace) -> int:
    from tui.translate.packages import list_packages

    found = list_packages()
    if args.json:
        emit_json([p.as_dict() for p in found])
        return 0
    if not found:
        say("No translation package installed. Install one with `diglot models install FILE.argosmodel`.")
        return 0
    for p in found:
        state = f"installed  {p.size / 1e6:6.1f} MB" if p.installed else "available"
        say(f"{p.from_code:>3} -> {p.to_code:<3}  {p.version:<8} {state}  {p.name}")
    return 0


def cmd_models_install(args: argparse.Namespace) -> int:
    from tui.translate.packages import download_package, install_package

    what = args.what
    with StderrProgress() as progress:
        if len(what) == 1:
            info = install_package(Path(what[0]), progress=progress)
        elif len(what) == 2 and not Path(what[0]).exists() and all(_LANG.match(w) for w in what):
            info = download_package(_lang(what[0]), _lang(what[1]), progress=progress)
        else:
            raise UsageError("Usage: diglot models install FILE.argosmodel | diglot models install SRC TGT")
    say(f"Installed {info.from_code} -> {info.to_code} ({info.name} {info.version}).")
    return 0


def cmd_models_remove(args: argparse.Namespace) -> int:
    from tui.translate.packages import remove_package

    info = remove_package(_lang(args.source), _lang(args.target))
    say(f"Removed {info.from_code} -> {info.to_code}.")
    return 0


def _lang(code: str) -> str:
    if not _LANG.match(code):
        raise UsageError(f"Not a language code: {code!r} (e.g. fr, en, it).")
    return code.lower()
