"""The SQLite library store: the source of truth. The search index is derived from it and rebuildable.

One connection per thread (Textual workers and the CLI share the code); WAL so that readers never block a
writer in another process; a long busy timeout so that two processes queue rather than fail.
Each analysis room (sentences, translations, entities) registers its own tables with `ensure_schema`.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tui.errors import DiglotError, NotFoundError
from tui.library.model import Article, ArticleDraft, ArticleSummary, content_hash

SCHEMA_VERSION = 1

CORE_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    source_key TEXT NOT NULL UNIQUE,
    lang TEXT NOT NULL,
    title TEXT NOT NULL,
    date TEXT,
    source TEXT NOT NULL,
    raw TEXT NOT NULL,
    paragraphs TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    imported_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    revision INTEGER NOT NULL DEFAULT 1,
    indexed_revision INTEGER NOT NULL DEFAULT 0,
    translated INTEGER NOT NULL DEFAULT 0,
    entity_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS articles_hash ON articles(content_hash);
CREATE INDEX IF NOT EXISTS articles_date ON articles(date);
CREATE INDEX IF NOT EXISTS articles_stale ON articles(indexed_revision, revision);

-- Analyses, keyed by the article version (content_hash) they were computed from; stale rows are ignored.
-- A finished translation of one article into one target language, aligned sentence by sentence (JSON).
CREATE TABLE IF NOT EXISTS article_translations (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    target TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    route TEXT NOT NULL,
    aligned TEXT NOT NULL,
    text TEXT NOT NULL,
    updated_at REAL NOT NULL,
    PRIMARY KEY (article_id, target)
);
-- Entity mentions: layer is 'original' or the target language of a translation; offsets index into the
-- article cleaned text (paragraphs joined by a blank line) or into that translation text.
CREATE TABLE IF NOT EXISTS entity_mentions (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    content_hash TEXT NOT NULL,
    layer TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    type TEXT NOT NULL,
    text TEXT NOT NULL,
    entity_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entity_mentions_article ON entity_mentions(article_id, layer);
CREATE INDEX IF NOT EXISTS entity_mentions_entity ON entity_mentions(entity_id);
-- Linked entities: one row per canonical id, with its display name and aliases per language.
CREATE TABLE IF NOT EXISTS entities (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '{}'
);
"""

_ARTICLE_COLUMNS = (
    "id, lang, title, date, source, source_key, raw, paragraphs, content_hash, imported_at, updated_at, revision"
)
# List orders: (expression, descending) terms ending in a unique key, so pages never overlap or skip tied rows.
# Each order has an index over the same expressions (BROWSE_SCHEMA), so SQLite walks the index instead of
# sorting the table (no temp B-tree), and a page near the end is read by walking the index backwards.
_SORTS: dict[str, tuple[tuple[str, bool], ...]] = {
    "date": (("COALESCE(date, '')", True), ("title", False), ("rowid", False)),
    "title": (("title COLLATE NOCASE", False), ("id", False)),
    "lang": (("lang", False), ("title COLLATE NOCASE", False), ("rowid", False)),
    "source": (("source COLLATE NOCASE", False), ("title COLLATE NOCASE", False), ("rowid", False)),
    "imported": (("imported_at", True), ("id", False)),
}
BROWSE_FILTERS = ("lang", "source", "year", "entity")

# Indexes for listing, filtering, facet counts and the index-sync queue (added to existing libraries on open).
BROWSE_SCHEMA = """
CREATE INDEX IF NOT EXISTS articles_by_date ON articles(COALESCE(date, '') DESC, title);
CREATE INDEX IF NOT EXISTS articles_lang_by_date ON articles(lang, COALESCE(date, '') DESC, title);
CREATE INDEX IF NOT EXISTS articles_by_title ON articles(title COLLATE NOCASE, id);
CREATE INDEX IF NOT EXISTS articles_by_lang ON articles(lang, title COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS articles_by_source ON articles(source COLLATE NOCASE, title COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS articles_by_imported ON articles(imported_at DESC, id);
CREATE INDEX IF NOT EXISTS articles_source ON articles(source);
CREATE INDEX IF NOT EXISTS articles_year ON articles(substr(date, 1, 4));
-- The text columns sit before content_hash in a row: this index spares reading the text to compare hashes.
CREATE INDEX IF NOT EXISTS articles_id_hash ON articles(id, content_hash);
-- Only the articles waiting for the search index: the sync's stale scan costs what is stale, not the library.
CREATE INDEX IF NOT EXISTS articles_pending ON articles(indexed_revision) WHERE indexed_revision != revision;
"""
_SUMMARY_COLUMNS = "id, lang, title, date, source, translated, entity_count"


def _order_by(sort: str, *, reverse: bool = False) -> str:
    terms = _SORTS.get(sort, _SORTS["date"])
    return ", ".join(f"{expr} {'DESC' if desc != reverse else 'ASC'}" for expr, desc in terms)


def _filter_sql(filters: dict[str, str] | None, alias: str = "") -> tuple[list[str], list[object]]:
    """WHERE terms for the list filters (lang, source, year, entity); empty values are ignored.

    `alias` ("a.") qualifies the columns when the articles table is joined."""
    where: list[str] = []
    params: list[object] = []
    filters = filters or {}
    if filters.get("lang"):
        where.append(f"{alias}lang = ?")
        params.append(filters["lang"])
    if filters.get("source"):
        where.append(f"{alias}source = ?")
        params.append(filters["source"])
    if filters.get("year"):
        where.append(f"substr({alias}date, 1, 4) = ?")
        params.append(filters["year"])
    if filters.get("entity"):
        # Mentions of an older version of the text do not count.
        where.append(
            f"{alias}id IN (SELECT m.article_id FROM entity_mentions m JOIN articles b ON b.id = m.article_id"
            " AND b.content_hash = m.content_hash WHERE m.entity_id = ?)"
        )
        params.append(filters["entity"])
    return where, params


def _where(terms: list[str]) -> str:
    return (" WHERE " + " AND ".join(terms)) if terms else ""


@dataclass(frozen=True, slots=True)
class StoreOutcome:
    """What happened to one draft: imported, updated or unchanged (with the id it maps to)."""

    status: str
    article_id: str
    note: str = ""


class Store:
    """Articles and their analyses in one SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._schemas: list[str] = [CORE_SCHEMA]
        # executescript() commits on its own, so it runs outside transaction().
        self.conn.executescript(CORE_SCHEMA)
        self._add_browse_indexes()
        with self.transaction() as conn:
            conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))

    def _add_browse_indexes(self) -> None:
        """Create the listing indexes; on an existing big library this runs once (seconds at 100k)."""
        have = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        if not {"articles_by_date", "articles_pending", "articles_id_hash"} <= have:
            self.conn.executescript(BROWSE_SCHEMA)

    # -- connections -------------------------------------------------------------------------------------
    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection (SQLite connections must not cross threads)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=60.0, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute("PRAGMA busy_timeout=60000")
                conn.execute("PRAGMA foreign_keys=ON")
            except sqlite3.DatabaseError as err:
                # Not read with open() beforehand: closing any other descriptor of the file would drop this
                # process's SQLite locks, and another process could then checkpoint the WAL away under a
                # connection still open here ("database disk image is malformed"; sqlite.org/howtocorrupt.html).
                conn.close()
                if "not a database" in str(err):
                    raise DiglotError(f"The library file {self.path} is not a SQLite database; move it away.") from err
                raise DiglotError(f"The library {self.path} is damaged ({err}).") from err
            for schema in self._schemas[1:]:
                conn.executescript(schema)
            self._local.conn = conn
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE: take the write lock up front so that two writers queue instead of deadlocking."""
        conn = self.conn
        if conn.in_transaction:
            yield conn
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")

    def ensure_schema(self, sql: str) -> None:
        """Tables of an analysis room, created once per process and on every new thread's connection."""
        if sql not in self._schemas:
            self._schemas.append(sql)
            self.conn.executescript(sql)

    # -- meta -----------------------------------------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    # -- writing articles -----------------------------------------------------------------------------------
    def save(self, draft: ArticleDraft, paragraphs: list[str], lang: str, title: str) -> StoreOutcome:
        """Insert or replace one cleaned article; same content is never stored twice."""
        digest = content_hash(paragraphs)
        now = time.time()
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT id, content_hash, lang, title, date, source FROM articles WHERE source_key = ?",
                (draft.source_key,),
            ).fetchone()
            if row is not None:
                if row["content_hash"] == digest:
                    meta = (lang, title, draft.date, draft.source or "")
                    if meta == (row["lang"], row["title"], row["date"], row["source"]):
                        return StoreOutcome("unchanged", row["id"])
                    # Same text, new title/date/source: keep analyses (they depend on the text only).
                    conn.execute(
                        "UPDATE articles SET lang=?, title=?, date=?, source=?, updated_at=?, revision=revision+1"
                        " WHERE id=?",
                        (*meta, now, row["id"]),
                    )
                    return StoreOutcome("updated", row["id"], "metadata changed")
                conn.execute(
                    "UPDATE articles SET lang=?, title=?, date=?, source=?, raw=?, paragraphs=?, content_hash=?,"
                    " updated_at=?, revision=revision+1, translated=0, entity_count=0 WHERE id=?",
                    (
                        lang,
                        title,
                        draft.date,
                        draft.source or "",
                        draft.raw,
                        json.dumps(paragraphs, ensure_ascii=False),
                        digest,
                        now,
                        row["id"],
                    ),
                )
                return StoreOutcome("updated", row["id"])
            twin = conn.execute("SELECT id FROM articles WHERE content_hash = ?", (digest,)).fetchone()
            if twin is not None:
                return StoreOutcome("unchanged", twin["id"], f"same text as {twin['id']}")
            article_id = self._new_id(conn, draft)
            conn.execute(
                f"INSERT INTO articles ({_ARTICLE_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,1)",
                (
                    article_id,
                    lang,
                    title,
                    draft.date,
                    draft.source or "",
                    draft.source_key,
                    draft.raw,
                    json.dumps(paragraphs, ensure_ascii=False),
                    digest,
                    now,
                    now,
                ),
            )
            return StoreOutcome("imported", article_id)

    @staticmethod
    def _new_id(conn: sqlite3.Connection, draft: ArticleDraft) -> str:
        """A readable id: the source's own id or the file name, made unique with a short hash if taken."""
        from pathlib import PurePath

        base = draft.ref or PurePath(draft.source_key.split("#", 1)[0]).stem or "article"
        base = re.sub(r"[^A-Za-z0-9._-]+", "-", base).strip("-.")[:80] or "article"
        candidate = base
        suffix = 0
        while conn.execute("SELECT 1 FROM articles WHERE id = ?", (candidate,)).fetchone():
            suffix += 1
            candidate = f"{base}-{suffix}"
        return candidate

    def touch(self, article_ids: Sequence[str]) -> None:
        """Mark articles as changed for the index (new translation or entities)."""
        with self.transaction() as conn:
            conn.executemany("UPDATE articles SET revision = revision + 1 WHERE id = ?", [(i,) for i in article_ids])

    def set_flags(self, article_id: str, *, translated: bool | None = None, entity_count: int | None = None) -> None:
        with self.transaction() as conn:
            if translated is not None:
                conn.execute("UPDATE articles SET translated = ? WHERE id = ?", (int(translated), article_id))
            if entity_count is not None:
                conn.execute("UPDATE articles SET entity_count = ? WHERE id = ?", (entity_count, article_id))

    # -- index bookkeeping ----------------------------------------------------------------------------------
    def stale_ids(self, limit: int | None = None) -> list[str]:
        """Articles whose index entry is missing or older than the article."""
        # The partial index holds only stale rows: this costs what is stale, not the size of the library.
        sql = "SELECT id FROM articles INDEXED BY articles_pending WHERE indexed_revision != revision ORDER BY rowid"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [r[0] for r in self.conn.execute(sql)]

    def count_stale(self) -> int:
        return self.conn.execute(
            "SELECT COUNT(*) FROM articles INDEXED BY articles_pending WHERE indexed_revision != revision"
        ).fetchone()[0]

    def mark_indexed(self, revisions: dict[str, int]) -> None:
        """Record what the index now holds; called only after the index commit succeeded."""
        with self.transaction() as conn:
            conn.executemany(
                "UPDATE articles SET indexed_revision = ? WHERE id = ?", [(rev, aid) for aid, rev in revisions.items()]
            )

    def mark_all_stale(self) -> None:
        with self.transaction() as conn:
            conn.execute("UPDATE articles SET indexed_revision = 0")

    # -- reading --------------------------------------------------------------------------------------------
    def count(self, lang: str | None = None) -> int:
        return self.browse_count({"lang": lang} if lang else None)

    def browse_count(self, filters: dict[str, str] | None = None) -> int:
        """How many articles the list filters keep (counted on an index, never on the table rows)."""
        where, params = _filter_sql(filters)
        return self.conn.execute(f"SELECT COUNT(*) FROM articles{_where(where)}", params).fetchone()[0]

    def get(self, article_id: str) -> Article:
        row = self.conn.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"No article with id {article_id!r}. Try `diglot list`.")
        return _article(row)

    def get_many(self, article_ids: Sequence[str]) -> list[Article]:
        """Articles in the order asked; missing ids are skipped."""
        found: dict[str, Article] = {}
        ids = list(article_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id IN ({marks})", chunk):
                found[row["id"]] = _article(row)
        return [found[i] for i in ids if i in found]

    def summaries(
        self,
        *,
        offset: int = 0,
        limit: int = 100,
        sort: str = "date",
        lang: str | None = None,
        ids: Sequence[str] | None = None,
    ) -> list[ArticleSummary]:
        """One page of list rows, without the article text (the UI loads only what is visible)."""
        if ids is None:
            return self.browse(offset=offset, limit=limit, sort=sort, filters={"lang": lang} if lang else None)
        where, params = _filter_sql({"lang": lang} if lang else None)
        where.append(f"id IN ({','.join('?' * len(ids))})")
        params.extend(ids)
        sql = f"SELECT {_SUMMARY_COLUMNS} FROM articles{_where(where)} ORDER BY {_order_by(sort)} LIMIT ? OFFSET ?"
        return [_summary(r) for r in self.conn.execute(sql, [*params, limit, offset])]

    def browse(
        self,
        *,
        offset: int = 0,
        limit: int = 100,
        sort: str = "date",
        filters: dict[str, str] | None = None,
        total: int | None = None,
    ) -> list[ArticleSummary]:
        """Rows [offset, offset + limit) of the library in `sort` order, kept by the list filters.

        The sort's index is walked, so a page costs its offset in index steps, not a sort of the library;
        past the middle (given `total`, or counted) the index is walked from the other end, so the last page
        is as cheap as the first.
        """
        if limit <= 0 or offset < 0:
            return []
        where, params = _filter_sql(filters)
        reverse, skip, count = False, offset, limit
        if offset > 5 * limit:
            total = self.browse_count(filters) if total is None else total
            if offset >= total:
                return []
            tail = total - offset - limit  # rows after this page
            if tail < offset:
                reverse, skip, count = True, max(tail, 0), limit if tail >= 0 else limit + tail
        # Two steps: the order and the page's rowids from the index alone, then only those rows. Selecting
        # the row columns in the first step would read every sorted row (flags sit behind the text columns).
        sql = (f"SELECT rowid FROM articles{_where(where)}"
               f" ORDER BY {_order_by(sort, reverse=reverse)} LIMIT ? OFFSET ?")
        rowids = [r[0] for r in self.conn.execute(sql, [*params, count, skip])]
        if reverse:
            rowids.reverse()
        return self._summaries_by_rowid(rowids)

    def _summaries_by_rowid(self, rowids: list[int]) -> list[ArticleSummary]:
        if not rowids:
            return []
        marks = ",".join("?" * len(rowids))
        sql = f"SELECT rowid, {_SUMMARY_COLUMNS} FROM articles WHERE rowid IN ({marks})"
        found = {r[0]: _summary(r) for r in self.conn.execute(sql, rowids)}
        return [found[i] for i in rowids if i in found]

    def facet_counts(self, filters: dict[str, str] | None = None, top: int = 12) -> dict[str, list[tuple[str, int]]]:
        """Articles per language, source, year and entity among those the *other* filters keep (top values)."""
        filters = {k: v for k, v in (filters or {}).items() if v}
        facets: dict[str, list[tuple[str, int]]] = {}
        columns = {"lang": "lang", "source": "source", "year": "substr(date, 1, 4)"}
        for key, column in columns.items():
            where, params = _filter_sql({k: v for k, v in filters.items() if k != key})
            where.append(f"{column} IS NOT NULL AND {column} != ''")
            sql = f"SELECT {column}, COUNT(*) FROM articles{_where(where)} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?"
            facets[key] = [(str(r[0]), int(r[1])) for r in self.conn.execute(sql, [*params, top])]
        where, params = _filter_sql({k: v for k, v in filters.items() if k != "entity"}, alias="a.")
        try:
            sql = (
                "SELECT m.entity_id, COUNT(DISTINCT m.article_id) FROM entity_mentions m"
                " JOIN articles a ON a.id = m.article_id AND a.content_hash = m.content_hash"
                f"{_where(where)} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?"
            )
            facets["entity"] = [(str(r[0]), int(r[1])) for r in self.conn.execute(sql, [*params, top])]
        except sqlite3.OperationalError:  # an older store without entity tables simply has no entity facet
            facets["entity"] = []
        return facets

    def iter_articles(self, ids: Sequence[str] | None = None, batch: int = 500) -> Iterator[Article]:
        """Every article (or the given ones), fetched in batches so memory stays flat."""
        if ids is not None:
            for start in range(0, len(ids), batch):
                yield from self.get_many(ids[start : start + batch])
            return
        last = 0
        while True:
            rows = self.conn.execute(
                f"SELECT rowid, {_ARTICLE_COLUMNS} FROM articles WHERE rowid > ? ORDER BY rowid LIMIT ?",
                (last, batch),
            ).fetchall()
            if not rows:
                return
            last = rows[-1]["rowid"]
            for row in rows:
                yield _article(row)

    def all_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM articles ORDER BY rowid")]

    # -- analyses read by the indexer and the UI ------------------------------------------------------------
    def translation_texts(self, article_id: str) -> dict[str, str]:
        """Current translations of an article's current version: {target language: text}."""
        rows = self.conn.execute(
            "SELECT t.target, t.text FROM article_translations t JOIN articles a ON a.id = t.article_id"
            " WHERE t.article_id = ? AND t.content_hash = a.content_hash",
            (article_id,),
        )
        return {r[0]: r[1] for r in rows}

    def mention_rows(self, article_id: str, layers: Sequence[str]) -> list[tuple[str, int, int, str, str, str]]:
        """Entity mentions of the article's current version in `layers` ('original' or target languages):
        (layer, start, end, type, text, entity_id) ordered by start. The one read behind the entity service's
        `mentions()` and the reader's `reader_data()` (both layers of an article in one query)."""
        if not layers:
            return []
        marks = ",".join("?" * len(layers))
        rows = self.conn.execute(
            "SELECT m.layer, m.start, m.end, m.type, m.text, m.entity_id FROM entity_mentions m JOIN articles a"
            f" ON a.id = m.article_id WHERE m.article_id = ? AND m.layer IN ({marks})"
            " AND m.content_hash = a.content_hash ORDER BY m.start",
            (article_id, *layers),
        )
        return [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]

    def entity_ids(self, article_id: str) -> list[str]:
        """Distinct linked entity ids named in the article (any layer), for the search index."""
        rows = self.conn.execute(
            "SELECT DISTINCT m.entity_id FROM entity_mentions m JOIN articles a ON a.id = m.article_id"
            " WHERE m.article_id = ? AND m.content_hash = a.content_hash ORDER BY 1",
            (article_id,),
        )
        return [r[0] for r in rows]

    def entity_names(self, article_id: str) -> list[str]:
        """Every display name and alias (all languages) of the entities the article names."""
        rows = self.conn.execute(
            "SELECT e.name, e.aliases FROM entities e WHERE e.id IN ("
            " SELECT DISTINCT m.entity_id FROM entity_mentions m JOIN articles a ON a.id = m.article_id"
            " WHERE m.article_id = ? AND m.content_hash = a.content_hash)",
            (article_id,),
        )
        names: set[str] = set()
        for name, aliases in rows:
            names.add(name)
            for values in json.loads(aliases or "{}").values():
                names.update(values)
        return sorted(names)

    def index_extras(self, article_ids: Sequence[str]) -> dict[str, tuple[dict[str, str], list[str], list[str]]]:
        """For many articles at once: (translation_texts, entity_ids, entity_names) of each, as the three
        per-article methods above answer them (three queries per 500 articles instead of three per article)."""
        out: dict[str, tuple[dict[str, str], list[str], list[str]]] = {
            i: ({}, [], []) for i in article_ids
        }
        ids = list(out)
        aliases: dict[str, set[str]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for aid, target, text in self.conn.execute(
                "SELECT t.article_id, t.target, t.text FROM article_translations t JOIN articles a"
                f" ON a.id = t.article_id WHERE t.article_id IN ({marks}) AND t.content_hash = a.content_hash",
                chunk,
            ):
                out[aid][0][target] = text
            mentioned: dict[str, list[str]] = {}
            for aid, entity_id in self.conn.execute(
                "SELECT DISTINCT m.article_id, m.entity_id FROM entity_mentions m JOIN articles a"
                f" ON a.id = m.article_id WHERE m.article_id IN ({marks}) AND m.content_hash = a.content_hash"
                " ORDER BY 1, 2",
                chunk,
            ):
                mentioned.setdefault(aid, []).append(entity_id)
            wanted = {e for entity_ids in mentioned.values() for e in entity_ids} - set(aliases)
            wanted_list = sorted(wanted)
            for estart in range(0, len(wanted_list), 500):
                echunk = wanted_list[estart : estart + 500]
                emarks = ",".join("?" * len(echunk))
                for eid, name, alias_json in self.conn.execute(
                    f"SELECT id, name, aliases FROM entities WHERE id IN ({emarks})", echunk
                ):
                    names = {name}
                    for values in json.loads(alias_json or "{}").values():
                        names.update(values)
                    aliases[eid] = names
            for aid, entity_ids in mentioned.items():
                out[aid][1].extend(entity_ids)
                names_of: set[str] = set()
                for eid in entity_ids:
                    names_of |= aliases.get(eid, set())
                out[aid][2].extend(sorted(names_of))
        return out

    def languages(self) -> list[tuple[str, int]]:
        return [
            (r[0], r[1]) for r in self.conn.execute("SELECT lang, COUNT(*) FROM articles GROUP BY lang ORDER BY 2 DESC")
        ]


def _summary(r: sqlite3.Row) -> ArticleSummary:
    return ArticleSummary(
        r["id"], r["lang"], r["title"], r["date"], r["source"], bool(r["translated"]), r["entity_count"]
    )


def _article(row: sqlite3.Row) -> Article:
    return Article(
        id=row["id"],
        lang=row["lang"],
        title=row["title"],
        date=row["date"],
        source=row["source"],
        source_key=row["source_key"],
        raw=row["raw"],
        paragraphs=json.loads(row["paragraphs"]),
        content_hash=row["content_hash"],
        imported_at=row["imported_at"],
        updated_at=row["updated_at"],
        revision=row["revision"],
    )
