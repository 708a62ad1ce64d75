"""Sentence cache in the library store: one row per (package, options, source sentence), looked up in batches.

The key is a hash of the exact package (its fingerprint: pair, version and archive hash), the options that
change the output (beam size, compute type) and the source sentence. A pivot route caches each leg, so the
fr->en leg of fr->en->it also serves plain fr->en.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Sequence

from tui.library.store import Store

SCHEMA = """
CREATE TABLE IF NOT EXISTS translation_cache (
    key TEXT PRIMARY KEY,
    target TEXT,
    flag TEXT,
    created_at REAL NOT NULL
) WITHOUT ROWID;
"""

_CHUNK = 500  # stays under SQLite's bound-parameter limit


def ensure(store: Store) -> None:
    store.ensure_schema(SCHEMA)


def leg_signature(fingerprint: str, options_signature: str) -> str:
    return f"{fingerprint}|{options_signature}"


def cache_key(signature: str, source: str) -> str:
    return hashlib.blake2b(f"{signature}\x00{source}".encode(), digest_size=16).hexdigest()


def lookup(store: Store, signature: str, sources: Sequence[str]) -> dict[str, tuple[str | None, str | None]]:
    """{source: (target, flag)} for the sources already translated with this package and options."""
    ensure(store)
    keys = {cache_key(signature, s): s for s in sources}
    found: dict[str, tuple[str | None, str | None]] = {}
    key_list = list(keys)
    for start in range(0, len(key_list), _CHUNK):
        chunk = key_list[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        for key, target, flag in store.conn.execute(
            f"SELECT key, target, flag FROM translation_cache WHERE key IN ({marks})", chunk
        ):
            found[keys[key]] = (target, flag)
    return found


def save(store: Store, signature: str, items: Iterable[tuple[str, str | None, str | None]]) -> None:
    """Store (source, target, flag) rows; a model failure is not cached, so it is retried next time."""
    ensure(store)
    now = time.time()
    rows = [(cache_key(signature, s), t, f, now) for s, t, f in items if f != "failed"]
    if not rows:
        return
    with store.transaction() as conn:
        conn.executemany("INSERT OR REPLACE INTO translation_cache(key, target, flag, created_at) VALUES (?,?,?,?)",
                         rows)


def clear(store: Store) -> int:
    ensure(store)
    with store.transaction() as conn:
        return conn.execute("DELETE FROM translation_cache").rowcount
