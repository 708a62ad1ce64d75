"""The entities room's public face: analyse articles into stored mentions and entities, and read them back."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Sequence

from tui.entities.gazetteer import LANGS, gazetteer, slug
from tui.entities.link import link
from tui.entities.model import Entity, Mention
from tui.entities.recognise import recognise_many
from tui.library.model import Article
from tui.library.store import Store
from tui.progress import CancelToken, Progress, ProgressCallback, ignore_progress

# Our own bookkeeping (the mention and entity tables are in the core schema):
# entity_runs says which version and which translation layers an article was analysed from;
# related_terms is the inverted index the related-articles ranking reads (entity ids and numbers).
ENTITY_SCHEMA = """
CREATE TABLE IF NOT EXISTS entity_runs (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    content_hash TEXT NOT NULL,
    layers TEXT NOT NULL,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS related_terms (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    term TEXT NOT NULL,
    PRIMARY KEY (article_id, term)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS related_terms_term ON related_terms(term);
"""

MAX_ALIASES = 12  # per language, so that a much-named entity's row stays small
BATCH = 16


def ensure(store: Store) -> Store:
    store.ensure_schema(ENTITY_SCHEMA)
    return store


def recognise(text: str, lang: str) -> list[Mention]:
    """Recognised and linked mentions of any text (no library needed)."""
    return link(recognise_many([text], lang)[0])


# -- analysis ---------------------------------------------------------------------------------------------------
def _surname_lookup(store: Store):  # noqa: ANN202 - SurnameLookup
    cache: dict[str, str | None] = {}

    def lookup(surname: str) -> str | None:
        if surname not in cache:
            rows = store.conn.execute(
                "SELECT id FROM entities WHERE type = 'PERSON' AND id LIKE ? LIMIT 2", (f"person:%-{slug(surname)}",)
            ).fetchall()
            cache[surname] = rows[0][0] if len(rows) == 1 else None
        return cache[surname]

    return lookup


_NUMBER = re.compile(
    r"(?<![\w.,])\d{1,3}(?:[ \u00a0\u202f.,']\d{3})+(?:[.,]\d+)?(?!\d)|(?<![\w.,])\d+(?:[.,]\d+)?(?!\d)"
)


def numbers(text: str) -> set[str]:
    """Numbers written the same way in every language once separators are normalised ("2 000" = "2,000")."""
    out = set()
    for raw in _NUMBER.findall(text):
        value = re.sub(r"[ \u00a0\u202f']", "", raw)
        value = re.sub(r"[.,](?=\d{3}(?:\D|$))", "", value).replace(",", ".")
        value = value.rstrip("0").rstrip(".") if "." in value else value
        if len(value.replace(".", "")) >= 2:
            out.add(f"num:{value}")
    return out


def _layers(store: Store, articles: Sequence[Article]) -> list[list[tuple[str, str, str]]]:
    """(layer, lang, text) for each article: the original, then each cached translation."""
    out = []
    for article in articles:
        layers = [("original", article.lang, article.text)]
        for target, text in sorted(store.translation_texts(article.id).items()):
            layers.append((target, target, text))
        out.append(layers)
    return out


def analyse_articles(
    store: Store,
    articles: Sequence[Article],
    *,
    progress: ProgressCallback = ignore_progress,
    cancel: CancelToken | None = None,
    total: int | None = None,
    done: int = 0,
) -> int:
    """Analyse several articles, batching model passes by language; returns the number of entities stored."""
    ensure(store)
    all_layers = _layers(store, articles)
    # One model pass per language over every layer of that language.
    jobs: dict[str, list[tuple[int, int]]] = {}
    for a, layers in enumerate(all_layers):
        for layer_index, (_layer, lang, _text) in enumerate(layers):
            jobs.setdefault(lang, []).append((a, layer_index))
    found: dict[tuple[int, int], list[Mention]] = {}
    for lang, keys in jobs.items():
        for start in range(0, len(keys), BATCH):
            if cancel is not None:
                cancel.check()
            chunk = keys[start : start + BATCH]
            results = recognise_many([all_layers[a][i][2] for a, i in chunk], lang)
            found.update(zip(chunk, results, strict=True))
    lookup = _surname_lookup(store)
    stored = 0
    for a, article in enumerate(articles):
        if cancel is not None:
            cancel.check()
        layers = all_layers[a]
        original = link(found[(a, 0)], surname_lookup=lookup)
        # Persons in translations link to the names of the original first ("Kishida" -> person:fumio-kishida).
        persons = {m.entity_id.rsplit("-", 1)[-1]: m.entity_id for m in original if m.type == "PERSON"}

        def layer_lookup(surname: str, persons: dict[str, str] = persons) -> str | None:
            return persons.get(slug(surname)) or lookup(surname)

        linked = [original] + [link(found[(a, i)], surname_lookup=layer_lookup) for i in range(1, len(layers))]
        stored += _store(store, article, layers, linked)
        progress(Progress("entities", done + a + 1, total or len(articles), article.id))
    return stored


def analyse_article(store: Store, article: Article) -> int:
    """Recognise and link the original and every cached translation; returns the number of distinct entities."""
    return analyse_articles(store, [article])


def _store(store: Store, article: Article, layers: list[tuple[str, str, str]], linked: list[list[Mention]]) -> int:
    gaz = gazetteer()
    now = time.time()
    terms: set[str] = set()
    with store.transaction() as conn:
        conn.execute("DELETE FROM entity_mentions WHERE article_id = ?", (article.id,))
        conn.execute("DELETE FROM related_terms WHERE article_id = ?", (article.id,))
        rows = []
        names: dict[str, tuple[str, dict[str, list[str]]]] = {}
        for (layer, lang, _text), mentions in zip(layers, linked, strict=True):
            for m in mentions:
                rows.append((article.id, article.content_hash, layer, m.start, m.end, m.type, m.text, m.entity_id))
                if not m.entity_id.startswith("date:"):
                    etype, aliases = names.setdefault(m.entity_id, (m.type, {}))
                    bucket = aliases.setdefault(lang, [])
                    if m.text not in bucket:
                        bucket.append(m.text)
                if not (m.entity_id.startswith("date:weekday") or m.entity_id.startswith("date:month")):
                    terms.add(m.entity_id)
        conn.executemany("INSERT INTO entity_mentions VALUES (?,?,?,?,?,?,?,?)", rows)
        for ident, (etype, aliases) in names.items():
            row = conn.execute("SELECT name, aliases FROM entities WHERE id = ?", (ident,)).fetchone()
            merged: dict[str, list[str]] = json.loads(row["aliases"]) if row else {}
            for lang, values in aliases.items():
                bucket = merged.setdefault(lang, [])
                for value in values:
                    if value not in bucket and len(bucket) < MAX_ALIASES:
                        bucket.append(value)
            entry = gaz.by_id.get(ident)
            name = entry.name if entry else (row["name"] if row else _display(aliases))
            if entry is None and etype == "PERSON":
                name = max([name] + [v for vs in merged.values() for v in vs], key=len)
            conn.execute(
                "INSERT OR REPLACE INTO entities(id, type, name, aliases) VALUES (?,?,?,?)",
                (ident, entry.type if entry else etype, name, json.dumps(merged, ensure_ascii=False, sort_keys=True)),
            )
        terms |= numbers(article.text)
        conn.executemany("INSERT OR IGNORE INTO related_terms VALUES (?, ?)", [(article.id, t) for t in terms])
        conn.execute(
            "INSERT OR REPLACE INTO entity_runs VALUES (?,?,?,?)",
            (article.id, article.content_hash, json.dumps([layer for layer, _l, _t in layers]), now),
        )
        count = len({m.entity_id for m in linked[0]})
        store.set_flags(article.id, entity_count=count)
        store.touch([article.id])
    return count


def _display(aliases: dict[str, list[str]]) -> str:
    for lang in ("en", *LANGS):
        if aliases.get(lang):
            return aliases[lang][0]
    return next(iter(v[0] for v in aliases.values() if v))


def pending_ids(store: Store) -> list[str]:
    """Articles never analysed, changed since, or with a translation added or dropped since."""
    ensure(store)
    runs = {
        r[0]: (r[1], r[2], r[3])
        for r in store.conn.execute(
            "SELECT a.id, r.content_hash = a.content_hash, r.layers, r.article_id IS NOT NULL FROM articles a"
            " LEFT JOIN entity_runs r ON r.article_id = a.id ORDER BY a.rowid"
        )
    }
    layers: dict[str, list[str]] = {}
    for aid, target in store.conn.execute(
        "SELECT t.article_id, t.target FROM article_translations t JOIN articles a ON a.id = t.article_id"
        " WHERE t.content_hash = a.content_hash ORDER BY t.target"
    ):
        layers.setdefault(aid, []).append(target)
    out = []
    for aid, (same, stored_layers, has_run) in runs.items():
        if not has_run or not same or json.loads(stored_layers) != ["original", *layers.get(aid, [])]:
            out.append(aid)
    return out


def analyse_all(
    store: Store,
    *,
    progress: ProgressCallback = ignore_progress,
    cancel: CancelToken | None = None,
    force: bool = False,
) -> int:
    """Analyse every article that needs it (all of them with `force`); returns how many were analysed."""
    ensure(store)
    ids = store.all_ids() if force else pending_ids(store)
    total = len(ids)
    progress(Progress("entities", 0, total))
    done = 0
    for start in range(0, total, 64):
        chunk = store.get_many(ids[start : start + 64])
        analyse_articles(store, chunk, progress=progress, cancel=cancel, total=total, done=done)
        done += len(chunk)
    return done


# -- reading ----------------------------------------------------------------------------------------------------
def mentions(store: Store, article_id: str, layer: str = "original") -> list[Mention]:
    return [Mention(*row[1:]) for row in store.mention_rows(article_id, (layer,))]


def get_entity(store: Store, entity_id: str) -> Entity | None:
    row = store.conn.execute("SELECT id, type, name, aliases FROM entities WHERE id = ?", (entity_id,)).fetchone()
    if row is None:
        return None
    return Entity(row["id"], row["type"], row["name"], json.loads(row["aliases"] or "{}"))


def article_entities(store: Store, article_id: str) -> list[tuple[Entity, int]]:
    """Entities of the article with their number of mentions in the original (most named first).

    Entities found only in a translation come after, counted there.
    """
    store.get(article_id)  # NotFoundError for an unknown id
    rows = store.conn.execute(
        "SELECT m.entity_id, SUM(m.layer = 'original'), COUNT(*) FROM entity_mentions m JOIN articles a"
        " ON a.id = m.article_id WHERE m.article_id = ? AND m.content_hash = a.content_hash GROUP BY m.entity_id",
        (article_id,),
    ).fetchall()
    out: list[tuple[Entity, int, int]] = []
    for ident, original, total in rows:
        entity = get_entity(store, ident) or _date_entity(store, article_id, ident)
        out.append((entity, original, total))
    out.sort(key=lambda t: (t[1] == 0, -(t[1] or t[2]), t[0].name.casefold()))
    return [(e, original or total) for e, original, total in out]


def _date_entity(store: Store, article_id: str, ident: str) -> Entity:
    rows = store.conn.execute(
        "SELECT DISTINCT m.text, m.layer, a.lang FROM entity_mentions m JOIN articles a ON a.id = m.article_id"
        " WHERE m.article_id = ? AND m.entity_id = ?",
        (article_id, ident),
    ).fetchall()
    aliases: dict[str, list[str]] = {}
    for text, layer, lang in rows:
        aliases.setdefault(lang if layer == "original" else layer, []).append(text)
    name = rows[0][0] if rows else ident
    return Entity(ident, "DATE" if ident.startswith("date:") else "OTHER", name, aliases)


def articles_naming(store: Store, entity_id: str) -> list[str]:
    rows = store.conn.execute(
        "SELECT DISTINCT m.article_id FROM entity_mentions m JOIN articles a ON a.id = m.article_id"
        " WHERE m.entity_id = ? AND m.content_hash = a.content_hash ORDER BY a.rowid",
        (entity_id,),
    )
    return [r[0] for r in rows]


def related_articles(store: Store, article_id: str, limit: int = 10) -> list[tuple[str, float]]:
    from tui.entities.related import related_articles as _related

    ensure(store)
    return _related(store, article_id, limit=limit)


def find_entity(store: Store, text_or_id: str) -> Entity | None:
    """An entity by id ("place:JP") or by any of its names in any language ("Japon", "Giappone")."""
    query = text_or_id.strip()
    if not query:
        return None
    entity = get_entity(store, query)
    if entity is not None:
        return entity
    entry = gazetteer().lookup(query)
    if entry is not None:
        found = get_entity(store, entry.id)
        return found or Entity(entry.id, entry.type, entry.name, gazetteer().names.get(entry.id, {}))
    for prefix in ("person", "org", "place", "other"):
        entity = get_entity(store, f"{prefix}:{slug(query)}")
        if entity is not None:
            return entity
    folded = query.casefold()
    like = f'%"{query}"%'
    for row in store.conn.execute(
        "SELECT id FROM entities WHERE name = ? COLLATE NOCASE OR aliases LIKE ? LIMIT 50", (query, like)
    ):
        entity = get_entity(store, row[0])
        if entity and (
            entity.name.casefold() == folded
            or any(v.casefold() == folded for vs in entity.aliases.values() for v in vs)
        ):
            return entity
    # A bare surname of exactly one known person.
    rows = store.conn.execute(
        "SELECT id FROM entities WHERE type = 'PERSON' AND id LIKE ? LIMIT 2", (f"person:%-{slug(query)}",)
    ).fetchall()
    if len(rows) == 1:
        return get_entity(store, rows[0][0])
    return None
