"""A searcher kept open (as the app keeps one) sees later commits and never shows an article twice."""

from __future__ import annotations

from pathlib import Path

from test_search_index import save_seeds, save_text

from tui.library.store import Store
from tui.search.indexer import rebuild_index, sync_index
from tui.search.searcher import Searcher


def test_open_searcher_after_rebuild_and_new_articles(diglot_home: Path) -> None:
    store = Store(diglot_home / "library.sqlite3")
    french, italian = save_seeds(store)
    index_dir = diglot_home / "index"
    sync_index(store, index_dir)
    searcher = Searcher(index_dir, store)
    try:
        assert sorted(h.article_id for h in searcher.search("Kishida").hits) == sorted([french, italian])
        rebuild_index(store, index_dir)
        extra = save_text(store, "note:1", "it", "Kishida visita Roma.\n\nUn incontro breve.")
        sync_index(store, index_dir)
        searcher.refresh()
        ids = [h.article_id for h in searcher.search("Kishida").hits]
        assert sorted(ids) == sorted([french, italian, extra])  # each once, the new one included
        assert searcher.search("Kishida").total == 3
    finally:
        searcher.close()
        store.close()
