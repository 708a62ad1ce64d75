"""The search index: sync, rebuild, translations and entities in the index, repair of damaged indexes."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from tui.errors import DiglotError
from tui.library.model import ArticleDraft
from tui.library.store import Store
from tui.resources import seeds_dir
from tui.search import indexer
from tui.search.indexer import GENERATION_KEY, MARKER, rebuild_index, sync_index
from tui.search.searcher import Searcher, search

SEED_FR = "000_2d6c18cd48965ace.txt"
SEED_IT = "002_555e5ba141d07459.txt"


def _paragraphs(raw: str) -> list[str]:
    return [" ".join(p.split()) for p in raw.split("\n\n") if p.strip()]


def save_seeds(store: Store) -> tuple[str, str]:
    """The two seed articles, stored directly (no import room needed)."""
    ids = []
    for name, lang, date in ((SEED_FR, "fr", "2023-05"), (SEED_IT, "it", None)):
        raw = (seeds_dir() / name).read_text(encoding="utf-8")
        paragraphs = _paragraphs(raw)
        if paragraphs[0].startswith("date "):
            paragraphs[0] = paragraphs[0].split(" ", 2)[2]
        draft = ArticleDraft(source_key=f"seed:{name}", raw=raw, date=date, source="Seeds", lang=lang)
        ids.append(store.save(draft, paragraphs, lang, paragraphs[0][:80]).article_id)
    return ids[0], ids[1]


def save_text(store: Store, key: str, lang: str, text: str, *, date: str | None = None,
              source: str = "Test") -> str:
    paragraphs = _paragraphs(text)
    draft = ArticleDraft(source_key=key, raw=text, date=date, source=source, lang=lang)
    return store.save(draft, paragraphs, lang, paragraphs[0][:60]).article_id


@pytest.fixture
def library(diglot_home: Path) -> tuple[Store, Path, tuple[str, str]]:
    store = Store(diglot_home / "library.sqlite3")
    ids = save_seeds(store)
    return store, diglot_home / "index", ids


def test_sync_indexes_every_article_and_records_generation(library) -> None:
    store, index_dir, (fr, it) = library
    assert sync_index(store, index_dir) == 2
    assert store.count_stale() == 0
    marker = json.loads((index_dir / MARKER).read_text())
    assert marker["generation"] == store.get_meta(GENERATION_KEY)
    results = search(index_dir, "Kishida", store=store)
    assert {h.article_id for h in results.hits} == {fr, it}
    # Nothing changed: nothing to do.
    assert sync_index(store, index_dir) == 0


def test_changed_article_is_reindexed(library) -> None:
    store, index_dir, _ = library
    key = "test:changing"
    article_id = save_text(store, key, "en", "The harbour was closed for the regatta.")
    sync_index(store, index_dir)
    assert search(index_dir, "regatta", store=store).total == 1
    save_text(store, key, "en", "The harbour reopened after the storm.")
    assert store.stale_ids() == [article_id]
    assert sync_index(store, index_dir) == 1
    assert search(index_dir, "regatta", store=store).total == 0
    assert [h.article_id for h in search(index_dir, "storm", store=store).hits] == [article_id]


def test_deleted_article_leaves_the_index(library) -> None:
    store, index_dir, (fr, _) = library
    sync_index(store, index_dir)
    with store.transaction() as conn:
        conn.execute("DELETE FROM articles WHERE id = ?", (fr,))
    sync_index(store, index_dir)
    assert fr not in {h.article_id for h in search(index_dir, "Kishida", store=store).hits}


def test_translation_goes_into_the_field_of_its_language(library) -> None:
    store, index_dir, (fr, _) = library
    sync_index(store, index_dir)
    assert search(index_dir, "deepen", lang="fr", store=store).total == 0
    article = store.get(fr)
    text = "Japan and France said on Friday that they wanted to deepen their bilateral cooperation."
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO article_translations(article_id, target, content_hash, route, aligned, text, updated_at)"
            " VALUES (?, 'en', ?, '[\"fr\", \"en\"]', '[]', ?, ?)",
            (fr, article.content_hash, text, time.time()),
        )
    store.touch([fr])
    assert sync_index(store, index_dir) == 1
    results = search(index_dir, "deepen", lang="fr", store=store)
    assert [h.article_id for h in results.hits] == [fr]
    hit = results.hits[0]
    assert hit.translated
    assert [hit.snippet[a:b] for a, b in hit.highlights] == ["deepen"]


def test_stale_translation_is_not_indexed(library) -> None:
    store, index_dir, (fr, _) = library
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO article_translations(article_id, target, content_hash, route, aligned, text, updated_at)"
            " VALUES (?, 'en', 'old-version', '[]', '[]', 'submarine', ?)",
            (fr, time.time()),
        )
    sync_index(store, index_dir)
    assert search(index_dir, "submarine", store=store).total == 0


def _add_entity(store: Store, article_id: str, entity_id: str, name: str, aliases: dict[str, list[str]]) -> None:
    article = store.get(article_id)
    with store.transaction() as conn:
        conn.execute(
            "INSERT OR REPLACE INTO entities(id, type, name, aliases) VALUES (?, 'PLACE', ?, ?)",
            (entity_id, name, json.dumps(aliases)),
        )
        conn.execute(
            "INSERT INTO entity_mentions(article_id, content_hash, layer, start, end, type, text, entity_id)"
            " VALUES (?, ?, 'original', 0, 5, 'PLACE', ?, ?)",
            (article_id, article.content_hash, name, entity_id),
        )
    store.touch([article_id])


def test_entity_ids_and_names_are_searchable(library) -> None:
    store, index_dir, (fr, it) = library
    aliases = {"fr": ["Japon"], "it": ["Giappone"], "en": ["Japan"]}
    _add_entity(store, fr, "JP", "Japan", aliases)
    _add_entity(store, it, "JP", "Japan", aliases)
    _add_entity(store, fr, "person:lecornu", "Sébastien Lecornu", {})
    sync_index(store, index_dir)
    assert {h.article_id for h in search(index_dir, "entity:jp", store=store).hits} == {fr, it}
    # A name or alias in any language finds the entity too.
    assert {h.article_id for h in search(index_dir, "entity:Giappone", store=store).hits} == {fr, it}
    assert {h.article_id for h in search(index_dir, 'entity:"sebastien lecornu"', store=store).hits} == {fr}
    results = search(index_dir, "Kishida", store=store)
    assert dict(results.facets["entity"]) == {"jp": 2, "person:lecornu": 1}


def test_deleted_index_folder_is_rebuilt(library) -> None:
    store, index_dir, _ = library
    sync_index(store, index_dir)
    shutil.rmtree(index_dir)
    assert sync_index(store, index_dir) == 2
    assert search(index_dir, "Kishida", store=store).total == 2


@pytest.mark.parametrize("damage", ["garbage_toc", "garbage_segments", "empty_files", "stray_files"])
def test_damaged_index_is_rebuilt(library, damage: str) -> None:
    store, index_dir, _ = library
    sync_index(store, index_dir)
    for path in index_dir.iterdir():
        if damage == "garbage_toc" and path.suffix == ".toc":
            path.write_bytes(b"\x00garbage" * 50)
        elif damage == "garbage_segments" and path.suffix == ".seg":
            path.write_bytes(b"not a segment at all")
        elif damage == "empty_files" and path.name != MARKER:
            path.write_bytes(b"")
    if damage == "stray_files":
        (index_dir / "junk.bin").write_bytes(b"\xff" * 100)
        (index_dir / "_MAIN_99.toc").write_bytes(b"junk")
    sync_index(store, index_dir)
    assert search(index_dir, "Kishida", store=store).total == 2


def test_index_of_another_library_or_schema_is_rebuilt(library) -> None:
    store, index_dir, _ = library
    sync_index(store, index_dir)
    marker = json.loads((index_dir / MARKER).read_text())
    marker["schema_version"] = -1
    (index_dir / MARKER).write_text(json.dumps(marker))
    assert sync_index(store, index_dir) == 2  # everything again
    store.set_meta(GENERATION_KEY, "someone-else")
    assert sync_index(store, index_dir) == 2


def test_rebuild_reports_progress(library) -> None:
    store, index_dir, _ = library
    sync_index(store, index_dir)
    seen = []
    assert rebuild_index(store, index_dir, progress=seen.append) == 2
    assert seen[-1].done == seen[-1].total == 2


def test_busy_index_gives_a_clear_error(library, monkeypatch: pytest.MonkeyPatch) -> None:
    store, index_dir, _ = library
    sync_index(store, index_dir)
    save_text(store, "test:new", "en", "A new article about lighthouses.")
    monkeypatch.setattr(indexer, "LOCK_TIMEOUT", 0.3)
    ix = whoosh_index.open_dir(str(index_dir), indexname=indexer.INDEX_NAME)
    writer = ix.writer()  # another writer holds the lock
    try:
        with pytest.raises(DiglotError, match="busy"):
            sync_index(store, index_dir)
    finally:
        writer.cancel()
        ix.close()
    assert sync_index(store, index_dir) == 1


def test_searcher_refresh_sees_new_commits(library) -> None:
    store, index_dir, _ = library
    sync_index(store, index_dir)
    with Searcher(index_dir, store=store) as searcher:
        assert searcher.search("lighthouse").total == 0
        save_text(store, "test:light", "en", "The lighthouse keeper retired.")
        sync_index(store, index_dir)
        searcher.refresh()
        assert searcher.search("lighthouse").total == 1


def test_missing_index_is_a_clear_error(diglot_home: Path) -> None:
    with pytest.raises(DiglotError, match="reindex"):
        Searcher(diglot_home / "nowhere")


def test_total_and_facets_count_hits_that_cannot_reach_the_page(diglot_home: Path) -> None:
    # Whoosh's top-N collector prunes sub-queries that cannot beat the page's lowest score; the total and the
    # facets must still count the documents only they match.
    store = Store(diglot_home / "library.sqlite3")
    for i in range(30):  # rising scores: the page's lowest score keeps rising while collecting
        save_text(store, f"t:title{i}", "en", f"Zebra {i}\n\n" + "zebra " * (i + 1) + f"crossing {i}.")
    filler = " ".join(f"parola{n}" for n in range(300))
    for i in range(30):
        save_text(store, f"t:body{i}", "it", f"Notizia {i}.\n\n{filler} zebra {i}.")
    sync_index(store, diglot_home / "index")
    with Searcher(diglot_home / "index", store=store) as searcher:
        results = searcher.search("zebra", limit=1)
    assert results.total == 60
    assert dict(results.facets["lang"]) == {"en": 30, "it": 30}
