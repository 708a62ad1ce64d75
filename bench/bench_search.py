"""Benchmark: import + index throughput, search latency with highlights, peak memory, index size.

Grows the real NTREX-128 articles (615 in en/fr/it/de/es) to N distinct, realistic articles: each copy
drops, reorders or borrows a sentence, shifts numbers and gets its own date. One library per size.

    .venv/bin/python bench/bench_search.py --size 10000 [--workdir DIR] [--json OUT]

Import + index runs the real path by default: the articles are written to JSONL files (5,000 per file, no
language field, outside the timing), then `tui.pipeline.import_and_index` reads, parses, detects the language,
cleans, titles, stores and indexes them. `--direct` times the older path instead (cleanup + `Store.save` with the
language given, then `sync_index`). Each run first indexes 2,000 texts with plain Whoosh (`calibration`): the
machine's speed at that moment, to scale the other figures by.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tui.library.model import ArticleDraft  # noqa: E402
from tui.library.store import Store  # noqa: E402
from tui.search.indexer import index_stats, sync_index  # noqa: E402
from tui.search.searcher import Searcher  # noqa: E402

try:  # the import room's cleanup, when present: the real import path
    from tui.library.cleanup import clean
except ImportError:  # pragma: no cover - before the import room lands
    def clean(raw: str, lang: str) -> list[str]:  # noqa: ARG001
        return [p.strip() for p in raw.split("\n") if p.strip()]

DATA = Path(os.environ.get("DIGLOT_NTREX", ROOT.parent / "shared/data/ntrex128/articles.jsonl"))

# A fixed mixed query set: words in five languages, phrases, prefixes, fuzzy terms, field filters.
QUERIES: tuple[str, ...] = (
    # English
    "government", "president", "election", '"prime minister"', "police officers", "market*", "econom*",
    "Trump", "climate", "goverment~",
    # French
    "gouvernement", "sécurité", "securite", "élection", '"premier ministre"', "présiden*", "gouvernment~",
    "exercice lang:fr", "économie", "police lang:fr",
    # Italian
    "governo", "sicurezza", "elezioni", '"primo ministro"', "esercitazione", "polizia", "presiden*",
    "govreno~",
    # German
    "Regierung", "Sicherheit", "Wahl", "Polizei", "Regier*", "Regirung~", '"Premierminister"',
    # Spanish
    "gobierno", "seguridad", "elecciones", '"primer ministro"', "policía", "gobiern*", "gobeirno~",
    # Filters and operators
    "date:2018", "date:[2018 TO 2019] police", "lang:de Polizei", "source:bbc", "government AND NOT Trump",
    "(police OR polizia) lang:it", "year:2019 election", "Brexit OR Johnson",
)


def _rows() -> list[dict[str, str]]:
    with DATA.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_NUMBER = re.compile(r"\b\d{1,4}\b")


def _variant(row: dict[str, str], copy: int, pool: list[dict[str, str]], rng: random.Random) -> str:
    """A little perturbed copy of an article: still real text in the same language."""
    if copy == 0:
        return row["text"]
    lines = [line for line in row["text"].split("\n") if line.strip()]
    ops = rng.sample(("drop", "swap", "borrow", "numbers"), k=2)
    if "drop" in ops and len(lines) > 3:
        del lines[rng.randrange(len(lines))]
    if "swap" in ops and len(lines) > 2:
        i = rng.randrange(len(lines) - 1)
        lines[i], lines[i + 1] = lines[i + 1], lines[i]
    if "borrow" in ops:
        other = rng.choice(pool)
        sentences = _SENTENCE.split(other["text"].replace("\n", " "))
        lines.insert(rng.randrange(len(lines) + 1), rng.choice(sentences))
    if "numbers" in ops:
        lines = [_NUMBER.sub(lambda m: str(int(m.group(0)) + rng.randint(1, 9)), line) for line in lines]
    # Always distinct: a dateline that differs per copy, as agencies put on wires.
    lines.insert(0, f"({row['outlet'].upper()}, update {copy})")
    return "\n".join(lines)


def articles(n: int) -> Iterator[tuple[ArticleDraft, str, str]]:
    rows = _rows()
    by_lang: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_lang.setdefault(row["lang"], []).append(row)
    for i in range(n):
        row = rows[i % len(rows)]
        copy = i // len(rows)
        rng = random.Random(i)
        text = _variant(row, copy, by_lang[row["lang"]], rng)
        date = f"{rng.randint(2015, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        title = row["title"] if copy == 0 else f"{row['title']} ({copy})"
        ref = f"{row['id']}-{copy}"
        draft = ArticleDraft(
            source_key=f"bench:{ref}", raw=text, title=title, date=date, lang=row["lang"],
            source=row["outlet"], ref=ref,
        )
        yield draft, row["lang"], title


class PeakRss:
    """Peak resident memory: getrusage's high-water mark, plus /proc sampling as a cross-check."""

    def __init__(self) -> None:
        self.sampled = 0
        self.anon = 0  # heap and other private memory (RssAnon), the part that is not mapped index files
        self.file = 0  # file-backed pages (RssFile): the memory-mapped index, reclaimable by the kernel
        self.total = 0  # sampled peak of this process and its worker processes together
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            try:
                for line in Path("/proc/self/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        self.sampled = max(self.sampled, int(line.split()[1]) * 1024)
                    elif line.startswith("RssAnon:"):
                        self.anon = max(self.anon, int(line.split()[1]) * 1024)
                    elif line.startswith("RssFile:"):
                        self.file = max(self.file, int(line.split()[1]) * 1024)
            except OSError:
                return
            self.total = max(self.total, self._tree_rss())

    @staticmethod
    def _tree_rss() -> int:
        """This process plus its children right now (any helper process counts too)."""
        pids = ["self"]
        for tasks in Path("/proc/self/task").glob("*/children"):
            try:
                pids += tasks.read_text().split()
            except OSError:
                pass
        total = 0
        for pid in pids:
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            except OSError:
                pass
        return total

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()

    @staticmethod
    def maxrss() -> int:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _children_cpu() -> float:
    times = os.times()
    return times.children_user + times.children_system


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


FILE_ARTICLES = 5_000  # per JSONL file: files stay well under the importer's 50 MB limit


def write_jsonl(size: int, folder: Path) -> None:
    """The grown articles as JSONL files, without their language: the import detects it."""
    folder.mkdir(parents=True, exist_ok=True)
    handle = None
    for i, (draft, _lang, title) in enumerate(articles(size)):
        if i % FILE_ARTICLES == 0:
            if handle is not None:
                handle.close()
            handle = (folder / f"part{i // FILE_ARTICLES:03d}.jsonl").open("w", encoding="utf-8")
        record = {"id": draft.ref, "title": title, "date": draft.date, "source": draft.source, "text": draft.raw}
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    if handle is not None:
        handle.close()


def import_real(workdir: Path, size: int, result: dict[str, object]) -> tuple[Store, Path, int]:
    """Timed: `import_and_index` on the JSONL files (the CLI's and the UI's import path)."""
    from tui.library.library import Library
    from tui.paths import Paths
    from tui.pipeline import import_and_index
    from tui.progress import Progress

    source = workdir / "input"
    write_jsonl(size, source)
    library = Library(Paths(data=workdir, cache=workdir / "cache", config=workdir / "config"))
    marks: dict[str, float] = {}

    def progress(step: Progress) -> None:
        marks[step.stage] = time.perf_counter()  # the last report of each stage: when that stage ended

    t0, c0, k0 = time.perf_counter(), time.process_time(), _children_cpu()
    report = import_and_index(library, [source], progress=progress)
    wall = time.perf_counter() - t0
    c_workers = _children_cpu() - k0
    cpu = time.process_time() - c0 + c_workers
    import_end = marks.get("import", t0) - t0
    assert not report.refused, report.refused[:3]
    result.update(
        path="import_and_index (JSONL, language detected)", imported=len(report.imported),
        import_index_s=round(wall, 1), import_index_per_s=round(size / wall, 1),
        import_phase_s=round(import_end, 1), index_tail_s=round(wall - import_end, 1),
        import_index_cpu_s=round(cpu, 1), index_worker_cpu_s=round(c_workers, 1),
        import_index_per_cpu_s=round(size / cpu, 1), cpu_ms_per_article=round(cpu / size * 1000, 2),
    )
    return library.store, library.index_dir, len(report.imported)


def import_direct(workdir: Path, size: int, result: dict[str, object]) -> tuple[Store, Path, int]:
    """Timed: cleanup + `Store.save` with the language given, then `sync_index` (the earlier benchmark)."""
    store = Store(workdir / "library.sqlite3")
    index_dir = workdir / "index"
    # Wall time and this process's CPU time: on a shared machine the CPU figures are the stable ones.
    t0, c0 = time.perf_counter(), time.process_time()
    for draft, lang, title in articles(size):
        store.save(draft, clean(draft.raw, lang), lang, title)
    t_import, c_import = time.perf_counter() - t0, time.process_time() - c0
    t1, c1, k1 = time.perf_counter(), time.process_time(), _children_cpu()
    indexed = sync_index(store, index_dir)
    # Any child process would count too: children's times once they are joined.
    c_workers = _children_cpu() - k1
    t_index, c_index = time.perf_counter() - t1, time.process_time() - c1 + c_workers
    result.update(
        path="direct (language given, no detection)",
        articles=store.count(), indexed=indexed, import_s=round(t_import, 1), index_s=round(t_index, 1),
        import_per_s=round(size / t_import, 1), index_per_s=round(size / t_index, 1),
        import_index_per_s=round(size / (t_import + t_index), 1),
        import_cpu_s=round(c_import, 1), index_cpu_s=round(c_index, 1),
        index_worker_cpu_s=round(c_workers, 1),
        import_index_per_cpu_s=round(size / (c_import + c_index), 1),
    )
    return store, index_dir, indexed


def run(
    size: int, workdir: Path, rounds: int, limit: int, *, reuse: bool = False, direct: bool = False,
) -> dict[str, object]:
    workdir.mkdir(parents=True, exist_ok=True)
    result: dict[str, object] = {"size": size}
    with PeakRss() as rss:
        if reuse:  # search figures only: the library and index were built by an earlier run
            store = Store(workdir / "library.sqlite3")
            index_dir = workdir / "index"
            indexed = sync_index(store, index_dir)
            result.update(reused=True, articles=store.count(), indexed_now=indexed)
        elif direct:
            store, index_dir, _ = import_direct(workdir, size, result)
        else:
            store, index_dir, _ = import_real(workdir, size, result)
        result["peak_rss_import_mb"] = round(max(PeakRss.maxrss(), rss.sampled) / 1e6, 1)
        result["peak_rss_import_with_workers_mb"] = round(rss.total / 1e6, 1)
        result["load_avg"] = os.getloadavg()[0]
        stats = index_stats(index_dir)
        result.update(index_mb=round(stats["bytes"] / 1e6, 1), segments=stats["segments"])
        t2 = time.perf_counter()
        searcher = Searcher(index_dir, store=store)
        first = searcher.search(QUERIES[0], limit=limit)
        result["first_search_ms"] = round((time.perf_counter() - t2) * 1000, 1)
        del first
        per_query: dict[str, list[float]] = {q: [] for q in QUERIES}
        cpu: list[float] = []
        totals: dict[str, int] = {}
        cold: list[float] = []
        cold_cpu: list[float] = []
        for q in QUERIES:  # first round: every query new to this searcher (cold caches); reported apart
            started, cpu_started = time.perf_counter(), time.process_time()
            totals[q] = searcher.search(q, limit=limit).total
            cold.append((time.perf_counter() - started) * 1000)
            cold_cpu.append((time.process_time() - cpu_started) * 1000)
        for _ in range(rounds):
            for q in QUERIES:
                started, cpu_started = time.perf_counter(), time.process_time()
                res = searcher.search(q, limit=limit)
                per_query[q].append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - cpu_started) * 1000)
                assert len(res.hits) <= limit
        searcher.close()
        times = [t for values in per_query.values() for t in values]
        slowest = sorted(per_query, key=lambda q: -statistics.median(per_query[q]))[:5]
        result.update(
            queries=len(QUERIES), rounds=rounds, top=limit,
            search_p50_ms=round(percentile(times, 50), 1), search_p95_ms=round(percentile(times, 95), 1),
            search_max_ms=round(max(times), 1),
            cold_p50_ms=round(percentile(cold, 50), 1), cold_p95_ms=round(percentile(cold, 95), 1),
            cold_cpu_p50_ms=round(percentile(cold_cpu, 50), 1), cold_cpu_p95_ms=round(percentile(cold_cpu, 95), 1),
            search_cpu_p50_ms=round(percentile(cpu, 50), 1), search_cpu_p95_ms=round(percentile(cpu, 95), 1),
            slowest={q: [round(statistics.median(per_query[q]), 1), totals[q]] for q in slowest},
            slowest_cold={q: round(ms, 1) for ms, q in sorted(zip(cold, QUERIES, strict=True), reverse=True)[:5]},
            zero_hit_queries=[q for q, n in totals.items() if n == 0],
        )
    result.update(peak_anon_mb=round(rss.anon / 1e6, 1), peak_file_mb=round(rss.file / 1e6, 1))
    result.update(load_avg_end=os.getloadavg()[0], peak_rss_mb=round(max(PeakRss.maxrss(), rss.sampled) / 1e6, 1))
    store.close()
    return result


def calibrate(n: int = 2000) -> dict[str, object]:
    """Plain Whoosh (one ID + one default TEXT field) on the same texts: how fast is this machine right now?

    ../shared/NOTES.md measured 710-830 docs/s for this kind of indexing on a quiet machine; dividing by the
    figure here tells how much a busy, shared machine slows every other number down.
    """
    from whoosh import index as whoosh_index
    from whoosh.fields import ID, TEXT, Schema

    rows = _rows()
    folder = tempfile.mkdtemp(prefix="diglot-calibrate-")
    ix = whoosh_index.create_in(folder, Schema(id=ID(stored=True, unique=True), body=TEXT))
    t0, c0 = time.perf_counter(), time.process_time()
    writer = ix.writer(limitmb=96)
    for i in range(n):
        writer.add_document(id=str(i), body=f"{rows[i % len(rows)]['text']} {i}")
    writer.commit()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    ix.close()
    shutil.rmtree(folder, ignore_errors=True)
    return {"calibration_docs": n, "plain_whoosh_per_s": round(n / wall, 1),
            "plain_whoosh_per_cpu_s": round(n / cpu, 1), "load_avg": os.getloadavg()[0]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000, help="number of articles (default 1000)")
    parser.add_argument("--workdir", type=Path, help="library folder (default: a new temporary folder)")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds over the query set")
    parser.add_argument("--limit", type=int, default=10, help="hits per search, all highlighted")
    parser.add_argument("--calibrate", action="store_true",
                        help="only index 2,000 texts with plain Whoosh, to gauge the machine's current speed")
    parser.add_argument("--reuse", action="store_true",
                        help="measure searches on the library already in --workdir (no import)")
    parser.add_argument("--direct", action="store_true",
                        help="time cleanup + Store.save (language given) then sync_index, not import_and_index")
    parser.add_argument("--no-calibrate", action="store_true", help="skip the plain-Whoosh calibration")
    parser.add_argument("--json", type=Path, help="append the result as one JSON line to this file")
    args = parser.parse_args()
    if args.calibrate:
        print(json.dumps(calibrate()))
        return 0
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix=f"diglot-bench-{args.size}-"))
    exists = (workdir / "library.sqlite3").exists()
    if exists and not args.reuse:
        parser.error(f"{workdir} already holds a library; give an empty folder or --reuse")
    if args.reuse and not exists:
        parser.error(f"--reuse: no library in {workdir}")
    result: dict[str, object] = {}
    if not args.reuse and not args.no_calibrate:
        result["calibration"] = calibrate()
    result.update(run(args.size, workdir, args.rounds, args.limit, reuse=args.reuse, direct=args.direct))
    result.update(machine=f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
                  workdir=str(workdir))
    line = json.dumps(result, ensure_ascii=False)
    print(line)
    if args.json:
        with args.json.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
