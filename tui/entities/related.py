"""Related articles in any language: shared linked entities and numbers (idf-weighted cosine), plus the
TF-IDF cosine of English texts (original or cached translation) when both articles have one.

Entity ids are language-independent (`place:JP` for Japon/Giappone/Japan) and so are most numbers, which is
what lets a French article find the Italian version of the same story without any translation.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from tui.library.store import Store

CANDIDATES = 200  # articles kept for the text comparison, best entity scores first
TEXT_WEIGHT = 0.5  # share of the score taken by the English-text similarity when both texts exist
_WORD = re.compile(r"[a-z][a-z'-]{2,}")
_STOP = frozenset(
    """the and for that with this from have has had was were are been will would could should said says not but
    its his her their they them she him who what which when where there than then also more most some such into
    over after before about other our out one two new year years can may just like only very all any""".split()
)


def _terms(store: Store, article_id: str) -> set[str]:
    rows = store.conn.execute(
        "SELECT t.term FROM related_terms t JOIN entity_runs r ON r.article_id = t.article_id"
        " JOIN articles a ON a.id = t.article_id WHERE t.article_id = ? AND r.content_hash = a.content_hash",
        (article_id,),
    )
    return {r[0] for r in rows}


def _english(store: Store, article_id: str) -> str | None:
    row = store.conn.execute("SELECT lang, paragraphs FROM articles WHERE id = ?", (article_id,)).fetchone()
    if row is None:
        return None
    if row["lang"] == "en":
        import json

        return "\n\n".join(json.loads(row["paragraphs"]))
    return store.translation_texts(article_id).get("en")


def _bag(text: str) -> Counter[str]:
    return Counter(w for w in _WORD.findall(text.lower()) if w not in _STOP)


def related_articles(store: Store, article_id: str, *, limit: int = 10) -> list[tuple[str, float]]:
    """(article id, score in 0..1) of the articles closest to `article_id`, best first."""
    store.get(article_id)  # NotFoundError for an unknown id
    mine = _terms(store, article_id)
    total = max(store.count(), 1)
    scores: dict[str, float] = {}
    if mine:
        marks = ",".join("?" * len(mine))
        df = dict(
            store.conn.execute(
                f"SELECT term, COUNT(*) FROM related_terms WHERE term IN ({marks}) GROUP BY term", list(mine)
            ).fetchall()
        )
        idf = {t: math.log(1 + total / df.get(t, 1)) for t in mine}
        shared: dict[str, float] = {}
        for aid, term in store.conn.execute(
            f"SELECT article_id, term FROM related_terms WHERE term IN ({marks}) AND article_id != ?",
            [*mine, article_id],
        ):
            shared[aid] = shared.get(aid, 0.0) + idf[term] ** 2
        best = sorted(shared.items(), key=lambda kv: -kv[1])[:CANDIDATES]
        norm_mine = math.sqrt(sum(v * v for v in idf.values())) or 1.0
        theirs = {aid: _terms(store, aid) for aid, _dot in best}
        unknown = sorted(set().union(*theirs.values()) - set(idf)) if theirs else []
        for start in range(0, len(unknown), 500):
            chunk = unknown[start : start + 500]
            for term, count in store.conn.execute(
                f"SELECT term, COUNT(*) FROM related_terms WHERE term IN ({','.join('?' * len(chunk))}) GROUP BY term",
                chunk,
            ):
                idf[term] = math.log(1 + total / count)
        for aid, dot in best:
            norm = math.sqrt(sum(idf.get(t, 0.0) ** 2 for t in theirs[aid])) or 1.0
            scores[aid] = dot / (norm_mine * norm)
    mine_text = _english(store, article_id)
    if mine_text:
        candidates = list(scores) or [i for i in store.all_ids() if i != article_id][:CANDIDATES]
        texts = {aid: _english(store, aid) for aid in candidates}
        texts = {aid: t for aid, t in texts.items() if t}
        if texts:
            bags = {aid: _bag(t) for aid, t in texts.items()}
            bag_mine = _bag(mine_text)
            df_text: Counter[str] = Counter()
            for bag in (*bags.values(), bag_mine):
                df_text.update(bag.keys())
            n = len(bags) + 1

            def vector(bag: Counter[str]) -> dict[str, float]:
                return {w: (1 + math.log(c)) * math.log(1 + n / df_text[w]) for w, c in bag.items()}

            v_mine = vector(bag_mine)
            n_mine = math.sqrt(sum(x * x for x in v_mine.values())) or 1.0
            for aid, bag in bags.items():
                v = vector(bag)
                dot = sum(x * v_mine.get(w, 0.0) for w, x in v.items())
                cos = dot / (n_mine * (math.sqrt(sum(x * x for x in v.values())) or 1.0))
                scores[aid] = (1 - TEXT_WEIGHT) * scores.get(aid, 0.0) + TEXT_WEIGHT * cos
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    return [(aid, round(score, 4)) for aid, score in ranked[:limit] if score > 0]
