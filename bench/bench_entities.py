"""Entities benchmark: NER quality on WikiNEuRal (silver), throughput and memory, related-stories accuracy.

    .venv/bin/python bench/bench_entities.py [--data ../shared/data] [--part ner|speed|related|all] [--json OUT]

- ner: precision/recall/F1 (exact span and type) per language and type on the 2,000 + 2,000 silver sentences.
  The silver labels have no dates, so DATE predictions are left out of the count; MISC is our OTHER.
- speed: articles/s on the French and Italian ntrex articles (about 2.5k characters each), one process, after the
  model is loaded (load time reported apart), and peak RSS of the process.
- related: import the 615 ntrex articles (123 stories x en/fr/it/de/es, same doc_id), analyse them (no
  translations), and count how often the first related article of a French one is the same story.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LABELS = {"PER": "PERSON", "LOC": "PLACE", "ORG": "ORG", "MISC": "OTHER"}


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_ner(data: Path) -> dict[str, object]:
    from tui.entities.link import link
    from tui.entities.recognise import recognise_many

    out: dict[str, object] = {}
    for lang in ("fr", "it"):
        path = data / "wikineural_sample" / f"ner_silver_{lang}_first2000.jsonl"
        records = [json.loads(line) for line in path.open(encoding="utf-8")]
        gold: set[tuple[int, int, int, str]] = set()
        for n, rec in enumerate(records):
            for ent in rec["entities"]:
                gold.add((n, ent["start"], ent["end"], LABELS[ent["label"]]))
        pred: set[tuple[int, int, int, str]] = set()
        started = time.perf_counter()
        results = recognise_many([r["text"] for r in records], lang)
        for n, mentions in enumerate(results):
            for m in link(mentions):
                if m.type != "DATE":
                    pred.add((n, m.start, m.end, m.type))
        elapsed = time.perf_counter() - started
        per_type = {}
        for etype in ("PERSON", "ORG", "PLACE", "OTHER"):
            g = {x for x in gold if x[3] == etype}
            p = {x for x in pred if x[3] == etype}
            per_type[etype] = _prf(p, g)
        spans_only = _prf({x[:3] for x in pred}, {x[:3] for x in gold})
        out[lang] = {
            "sentences": len(records),
            "gold": len(gold),
            "predicted": len(pred),
            **_prf(pred, gold),
            "untyped_span_f1": spans_only["f1"],
            "per_type": per_type,
            "sentences_per_s": round(len(records) / elapsed, 1),
        }
    return out


def _prf(pred: set, gold: set) -> dict[str, float]:
    hits = len(pred & gold)
    p = hits / len(pred) if pred else 0.0
    r = hits / len(gold) if gold else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if hits else 0.0}


def _ntrex(data: Path) -> list[dict[str, object]]:
    path = data / "ntrex128" / "articles.jsonl"
    return [json.loads(line) for line in path.open(encoding="utf-8")]


def bench_speed(data: Path) -> dict[str, object]:
    from tui.entities.link import link
    from tui.entities.recognise import recognise_many, spacy_model

    spacy_model("fr")
    records = _ntrex(data)
    out: dict[str, object] = {}
    for lang in ("fr", "it", "en"):
        texts = [r["text"] for r in records if r["lang"] == lang]
        recognise_many(texts[:4], lang)  # warm-up
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(2):
            for mentions in recognise_many(texts, lang):
                link(mentions)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        # CPU seconds of this one process (OMP_NUM_THREADS=1): articles per second of one core, unaffected
        # by other processes sharing the machine; wall-clock is reported too.
        out[lang] = {
            "articles": len(texts),
            "avg_chars": round(sum(map(len, texts)) / len(texts)),
            "articles_per_cpu_s": round(2 * len(texts) / cpu, 1),
            "articles_per_wall_s": round(2 * len(texts) / elapsed, 1),
        }
    out["peak_rss_mb"] = round(_rss_mb(), 1)
    return out


def bench_related(data: Path) -> dict[str, object]:
    from tui.entities.service import analyse_all, related_articles
    from tui.library.library import Library
    from tui.library.model import ArticleDraft
    from tui.paths import resolve_paths

    records = _ntrex(data)
    with tempfile.TemporaryDirectory() as home:
        library = Library(resolve_paths({"DIGLOT_HOME": home}).ensure())
        store = library.store
        story: dict[str, str] = {}
        for rec in records:
            paragraphs = [p for p in str(rec["text"]).split("\n") if p.strip()]
            draft = ArticleDraft(
                source_key=f"ntrex#{rec['id']}",
                raw=str(rec["text"]),
                title=str(rec["title"]),
                lang=str(rec["lang"]),
                source="ntrex",
                ref=str(rec["id"]),
            )
            outcome = store.save(draft, paragraphs, str(rec["lang"]), str(rec["title"]))
            story[outcome.article_id] = str(rec["doc_id"])
        started = time.perf_counter()
        analyse_all(store)
        analyse_s = time.perf_counter() - started
        french = [aid for aid in story if store.get(aid).lang == "fr"]
        hits = top3 = 0
        misses = []
        started = time.perf_counter()
        for aid in french:
            ranked = related_articles(store, aid, limit=3)
            same = [story.get(r) == story[aid] for r, _ in ranked]
            hits += bool(same and same[0])
            top3 += any(same)
            if not (same and same[0]):
                misses.append(aid)
        related_ms = (time.perf_counter() - started) / len(french) * 1000
        langs = Counter()
        for aid in french:
            for r, _ in related_articles(store, aid, limit=4):
                if story.get(r) == story[aid]:
                    langs[store.get(r).lang] += 1
        library.close()
    return {
        "articles": len(story),
        "french": len(french),
        "top1_same_story": round(hits / len(french), 3),
        "top3_same_story": round(top3 / len(french), 3),
        "analyse_all_s": round(analyse_s, 1),
        "related_ms_per_query": round(related_ms, 1),
        "same_story_in_top4_by_lang": dict(langs),
        "missed": misses[:20],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--part", default="all", choices=["ner", "speed", "related", "all"])
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core
    data = Path(args.data)
    results: dict[str, object] = {}
    from tui.entities.recognise import spacy_model

    started, cpu = time.perf_counter(), time.process_time()
    spacy_model("fr")  # loaded once per process, measured here whatever parts run
    results["model_load"] = {
        "wall_s": round(time.perf_counter() - started, 2),
        "cpu_s": round(time.process_time() - cpu, 2),
        "rss_mb": round(_rss_mb(), 1),
    }
    if args.part in ("ner", "all"):
        results["ner"] = bench_ner(data)
    if args.part in ("speed", "all"):
        results["speed"] = bench_speed(data)
    if args.part in ("related", "all"):
        results["related"] = bench_related(data)
    text = json.dumps(results, indent=2, ensure_ascii=False)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
