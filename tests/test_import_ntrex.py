"""The full NTREX-128 article file (615 articles in five languages) imported twice into a real store."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.library.ingest import import_paths
from tui.library.store import Store

NTREX = Path(__file__).parent / "data" / "ntrex128" / "articles.jsonl"
SUBSET = Path(__file__).parent / "data" / "ntrex_subset.jsonl"


@pytest.fixture
def store(diglot_home: Path, tmp_path: Path) -> Iterator[Store]:
    db = Store(tmp_path / "library.sqlite3")
    yield db
    db.close()


def test_full_ntrex_twice(store: Store) -> None:
    records = [json.loads(line) for line in NTREX.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(records) == 615

    first = import_paths(store, [NTREX])
    assert len(first.imported) == 615 and not first.refused and not first.updated and not first.unchanged
    assert store.count() == 615
    assert dict(store.languages()) == dict(Counter(r["lang"] for r in records))

    second = import_paths(store, [NTREX])
    assert (len(second.imported), len(second.updated), len(second.unchanged)) == (0, 0, 615)
    assert store.count() == 615

    by_id = {r["id"]: r for r in records}
    for article in store.iter_articles():
        record = by_id[article.id]  # the record's own id is the article id
        assert article.lang == record["lang"]
        assert article.title == " ".join(record["title"].split())  # NBSP and runs of spaces: one space
        assert article.source == (record.get("source") or record.get("outlet"))
        assert article.source_key == f"file:{NTREX.resolve()}#{record['id']}"
        assert article.paragraphs and all(p.strip() == p and p for p in article.paragraphs)
        # Cleanup only joins lines (never drops a word) in this professionally translated text.
        assert "".join(article.text.split()) == "".join(unicodedata.normalize("NFC", record["text"]).split())


def test_subset_twice(store: Store) -> None:
    first = import_paths(store, [SUBSET])
    assert len(first.imported) == 12
    second = import_paths(store, [SUBSET])
    assert len(second.unchanged) == 12 and not second.imported and not second.updated
