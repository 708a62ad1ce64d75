"""Benchmark: import + index throughput, search latency with highlights, peak memory, index size.

Grows the real NTREX-128 articles (615 in en/fr/it/de/es) to N distinct, realistic articles: each copy
drops, reorders or borrows a sentence, shifts numbers and gets its own date. One library per size.

    .venv/bin/python bench/bench_search.py --size 10000 [--workdir DIR] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
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
from tui.search import indexer  # noqa: E402
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
        """This process plus its children right now (the bulk indexer's worker processes)."""
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


def run(size: int, workdir: Path, rounds: int, limit: int, *, reuse: bool = False) -> dict[str, object]:
    workdir.mkdir(parents=True, exist_ok=True)
    store = Store(workdir / "library.sqlite3")
    index_dir = workdir / "index"
    result: dict[str, object] = {"size": size}
    with PeakRss() as rss:
        # Wall time and this process's CPU time: on a shared machine the CPU figures are the stable ones.
        t0, c0 = time.perf_counter(), time.process_time()
        if not reuse:
            for draft, lang, title in articles(size):
                store.save(draft, clean(draft.raw, lang), lang, title)
        t_import, c_import = time.perf_counter() - t0, time.process_time() - c0
        t1, c1, k1 = time.perf_counter(), time.process_time(), _children_cpu()
        indexed = sync_index(store, index_dir)
        # Bulk syncs analyse in worker processes: their CPU counts too (children's times once they are joined).
        c_workers = _children_cpu() - k1
        t_index, c_index = time.perf_counter() - t1, time.process_time() - c1 + c_workers
        if reuse:  # search figures only: the library and index were built by an earlier run
            result.update(reused=True, articles=store.count(), indexed_now=indexed)
        else:
            result.update(
                articles=store.count(), indexed=indexed, import_s=round(t_import, 1), index_s=round(t_index, 1),
                import_per_s=round(size / t_import, 1), index_per_s=round(size / t_index, 1),
                import_index_per_s=round(size / (t_import + t_index), 1),
                import_cpu_s=round(c_import, 1), index_cpu_s=round(c_index, 1),
                index_worker_cpu_s=round(c_workers, 1),
                import_index_per_cpu_s=round(size / (c_import + c_index), 1),
            )
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
    # Index worker processes (bulk sync): the largest one's peak; all of them at once is at most BULK_PROCS times it.
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    if worker:
        result.update(peak_rss_with_workers_mb=round(rss.total / 1e6, 1))
        procs = getattr(indexer, "BULK_PROCS", 2)
        peak = max(PeakRss.maxrss(), rss.sampled) + procs * worker
        result.update(peak_rss_worker_mb=round(worker / 1e6, 1), peak_rss_bound_mb=round(peak / 1e6, 1))
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
    parser.add_argument("--single", action="store_true",
                        help="index in one process even for a bulk sync (the writer before bulk workers)")
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
    if args.single:
        indexer.BULK_SYNC = sys.maxsize
    result = run(args.size, workdir, args.rounds, args.limit, reuse=args.reuse)
    result.update(single_process_index=args.single)
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
