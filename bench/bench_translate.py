"""Benchmark: Diglot's batched translation vs `argostranslate.translate.translate()` article by article.

Same Argos-size package (built by ../shared/tools/make_bench_argos.py into bench/out/), same beam, same
articles (ntrex128), in one process, side by side; then the time to re-open a cached article.
The bench model copies its input with real Transformer-base compute: only speed ratios mean anything.

    .venv/bin/python bench/bench_translate.py --articles 20 --beams 4,2,1 --langs fr,it --repeats 3 --write

Both sides get the same threads: Diglot's TranslateOptions(inter_threads, intra_threads) and argostranslate's
ARGOS_INTER_THREADS / ARGOS_INTRA_THREADS (set before it is imported). Each cell is timed --repeats times
(argostranslate --argos-repeats times, it is the slow side); medians and min-max are printed, wall and CPU.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SHARED = ROOT.parent / "shared"
NTREX = SHARED / "data" / "ntrex128" / "articles.jsonl"
MAKER = SHARED / "tools" / "make_bench_argos.py"
DOC = ROOT / "docs" / "PERFORMANCE.md"
sys.path.insert(0, str(ROOT))


def build_package(lang: str) -> Path:
    path = OUT / f"{lang}_en_bench.argosmodel"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(MAKER), str(path), "--train", str(NTREX), "--lang", lang,
                        "--from", lang, "--to", "en"], check=True)
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=20, help="ntrex articles per language (default 20)")
    ap.add_argument("--beams", default="1,2,4")
    ap.add_argument("--langs", default="fr,it")
    ap.add_argument("--inter-threads", type=int, default=1, help="both sides (Argos: ARGOS_INTER_THREADS)")
    ap.add_argument("--intra-threads", type=int, default=1, help="both sides (Argos: ARGOS_INTRA_THREADS)")
    ap.add_argument("--argos-inter-threads", type=int, help="argostranslate only, instead of --inter-threads")
    ap.add_argument("--argos-intra-threads", type=int,
                    help="argostranslate only, instead of --intra-threads (its one-sentence calls gain nothing from "
                         "inter threads; intra threads are its way to use more cores)")
    ap.add_argument("--repeats", type=int, default=3, help="timed runs of Diglot per cell")
    ap.add_argument("--argos-repeats", type=int, default=3, help="timed runs of argostranslate per cell")
    ap.add_argument("--write", action="store_true", help="replace the '## Translation' section of PERFORMANCE.md")
    args = ap.parse_args(argv)
    beams = [int(b) for b in args.beams.split(",")]
    langs = args.langs.split(",")
    argos_inter = args.argos_inter_threads if args.argos_inter_threads is not None else args.inter_threads
    argos_intra = args.argos_intra_threads if args.argos_intra_threads is not None else args.intra_threads
    os.environ["ARGOS_INTER_THREADS"] = str(argos_inter)  # read once, when argostranslate is imported
    os.environ["ARGOS_INTRA_THREADS"] = str(argos_intra)
    partial = OUT / "bench_translate.txt"  # lines as they come, in case a long run is cut short

    home = OUT / "home-translate"
    shutil.rmtree(home, ignore_errors=True)
    os.environ["DIGLOT_HOME"] = str(home)
    from tui.paths import current_paths, redirect_argos

    paths = current_paths()
    redirect_argos(paths)  # before argostranslate is imported: nothing goes to ~/.local or ~/.config
    from tui.library.library import Library
    from tui.library.model import ArticleDraft
    from tui.translate import cache, engine
    from tui.translate.engine import TranslateOptions
    from tui.translate.packages import install_package
    from tui.translate.service import article_sentences, cached_translation, translate_article, translate_articles

    for lang in langs:
        install_package(build_package(lang))
    import argostranslate.settings as argos_settings
    import argostranslate.translate as argos

    assert (argos_settings.inter_threads, argos_settings.intra_threads) == (argos_inter, argos_intra)

    library = Library(paths)
    store = library.store
    rows = [json.loads(line) for line in NTREX.open(encoding="utf-8")]
    lines: list[str] = [f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}",
                        f"threads: argostranslate inter {argos_inter} intra {argos_intra}; "
                        f"Diglot inter {args.inter_threads} intra {args.intra_threads}"]
    cached_ms: list[float] = []
    recached_ms: list[float] = []
    for lang in langs:
        articles = []
        for row in [r for r in rows if r["lang"] == lang][: args.articles]:
            paragraphs = [p.strip() for p in row["text"].split("\n") if p.strip()]
            outcome = store.save(ArticleDraft(source_key=row["id"], raw=row["text"]), paragraphs, lang, row["title"])
            articles.append(store.get(outcome.article_id))
        n_sent = sum(len(p) for a in articles for p in article_sentences(a))
        n_chars = sum(len(a.text) for a in articles)
        lines.append(f"\n{lang}->en: {len(articles)} articles, {n_sent} sentences (pysbd), {n_chars} characters")
        argos.translate("Bonjour. Ciao.", lang, "en")  # warm-up: model and splitter loaded outside the timing
        options = TranslateOptions(inter_threads=args.inter_threads, intra_threads=args.intra_threads)
        engine.unload_all()
        engine.get_engine(_route_package(lang), options, paths)  # load outside the timing
        for beam in beams:
            argos_settings.beam_size = beam  # read by argostranslate at each call (max(1, beam) hypotheses)
            a_wall, a_cpu, o_wall, o_cpu = [], [], [], []
            same_argos = same = 0
            for _ in range(args.argos_repeats):
                for entry in argos.installed_translates:
                    entry.cached_translation.cache.clear()
                start, cpu = time.perf_counter(), time.process_time()
                argos_out = [argos.translate(a.text, lang, "en") for a in articles]
                a_wall.append(time.perf_counter() - start)
                a_cpu.append(time.process_time() - cpu)
                same_argos = sum(_norm(o) == _norm(a.text) for o, a in zip(argos_out, articles, strict=True))
            options = TranslateOptions(beam_size=beam, inter_threads=args.inter_threads,
                                       intra_threads=args.intra_threads)
            for _ in range(args.repeats):
                cache.clear(store)
                with store.transaction() as conn:
                    conn.execute("DELETE FROM article_translations")
                start, cpu = time.perf_counter(), time.process_time()
                ours = translate_articles(store, articles, "en", options=options)
                o_wall.append(time.perf_counter() - start)
                o_cpu.append(time.process_time() - cpu)
                same = sum(_norm(r.text) == _norm(a.text) for r, a in zip(ours, articles, strict=True))
            ratio_wall = statistics.median(a_wall) / statistics.median(o_wall)
            ratio_cpu = statistics.median(a_cpu) / statistics.median(o_cpu)
            lines.append(
                f"beam {beam}: argostranslate.translate() {_rate(n_sent, a_wall)} wall, {_rate(n_sent, a_cpu)} CPU"
                f" ({len(a_wall)} runs, {same_argos}/{len(articles)} copied)"
                f"\n        Diglot translate_articles()  {_rate(n_sent, o_wall)} wall, {_rate(n_sent, o_cpu)} CPU"
                f" ({len(o_wall)} runs, {same}/{len(articles)} copied)"
                f"\n        ratio of medians: x{ratio_wall:.1f} wall, x{ratio_cpu:.1f} CPU;"
                f" load average {os.getloadavg()[0]:.1f}"
            )
            print(lines[-1], flush=True)
            partial.write_text("\n".join(lines) + "\n", encoding="utf-8")
        for article in articles:  # re-open: what the reader does when an article is shown again
            start = time.perf_counter()
            assert cached_translation(store, article, "en") is not None
            cached_ms.append((time.perf_counter() - start) * 1000)
            calls = engine.total_batch_calls()
            start = time.perf_counter()
            translate_article(store, article, "en", options=options)  # the options of the last run above
            recached_ms.append((time.perf_counter() - start) * 1000)
            assert engine.total_batch_calls() == calls
    lines.append(
        f"\ncached_translation() re-open: median {statistics.median(cached_ms):.2f} ms, max {max(cached_ms):.2f} ms"
        f" over {len(cached_ms)} articles; translate_article() on a cached article (stored with the same"
        f" packages and beam: no split, no model call): median {statistics.median(recached_ms):.1f} ms,"
        f" max {max(recached_ms):.1f} ms"
    )
    print(lines[-1])
    if args.write:
        write_doc(lines, argv if argv is not None else sys.argv[1:])
    library.close()
    return 0


def _rate(n: int, seconds: list[float]) -> str:
    """Sentences per second: median (min-max) over the runs."""
    rates = sorted(n / t for t in seconds)
    return f"{statistics.median(rates):5.1f} sent/s ({rates[0]:.1f}-{rates[-1]:.1f})"


def _norm(text: str) -> str:
    """What a copy model can give back: SentencePiece applies NFKC (no-break spaces become spaces)."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _route_package(lang: str):  # noqa: ANN202 - PackageInfo
    from tui.translate.packages import find_route

    return find_route(lang, "en")[0]


def write_doc(lines: list[str], argv: list[str]) -> None:
    """Replace (or append) the '## Translation' section; other sections belong to other people."""
    import ctranslate2

    command = " ".join([".venv/bin/python bench/bench_translate.py", *argv])
    section = "\n".join([
        "## Translation",
        "",
        f"Command (from the repository root): `{command}`",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"CTranslate2 {ctranslate2.__version__}, {time.strftime('%Y-%m-%d')}. Package: Argos-size copy model "
        "(Transformer base, int8, 32k vocabulary) from `../shared/tools/make_bench_argos.py`, trained on the "
        "ntrex128 text of each language; articles: the first ntrex128 articles of each language, one line per "
        "paragraph. Same threads on both sides (argostranslate through ARGOS_INTER_THREADS / ARGOS_INTRA_THREADS, "
        "Diglot through TranslateOptions). argostranslate: its own 32-token batches (about one sentence per "
        "call), beam from `settings.beam_size`, its paragraph cache cleared before each run, model loaded before "
        "the timing. Diglot: `translate_articles()` over all articles of the language at once, full path included "
        "(pysbd splitting, one SentencePiece call, sentences sorted by token length across articles, batches of "
        "<= 4096 padded source tokens / 256 sentences, `max_decoding_length` = 2 x the longest source + 10 per "
        "call, sentence-cache lookups and writes, storing the aligned result), empty cache at each run. "
        "Sentences/s count the same pysbd sentences for both; each figure is the median (min-max) over the runs; "
        "the ratio is of medians. 'copied' = output equals the input after NFKC (the bench model copies and "
        "stops by itself). CPU = CPU seconds of this process (steadier than wall time on a shared machine).",
        "",
        "```",
        *[line.strip("\n") for line in lines],
        "```",
        "",
    ])
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Performance\n"
    pattern = re.compile(r"^## Translation\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text).rstrip("\n") + "\n"
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOC.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
