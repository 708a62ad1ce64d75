"""Store paging for the list: every sort and filter, pages that tile the list exactly, new articles, facets."""

from __future__ import annotations

import functools
from collections import Counter
from pathlib import Path

import pytest

from tui.library.model import ArticleDraft
from tui.library.store import _SORTS, BROWSE_FILTERS, Store, _order_by
from tui.paths import current_paths

SIZE = 263  # not a multiple of the page sizes used below
LANGS = ("fr", "it", "en", "de")
SOURCES = ("BBC", "bbc", "Reuters", "NYT", "")


def _save(store: Store, i: int) -> str:
    # Ties on purpose: repeated titles (also differing only in case), missing and repeated dates.
    title = f"{'Title' if i % 2 else 'title'} {i % 17:02d}"
    date = None if i % 11 == 0 else f"{2015 + i % 5}-{1 + i % 12:02d}-{1 + i % 3:02d}"
    draft = ArticleDraft(source_key=f"test:{i}", raw=f"Text {i}.", title=title, date=date, lang=LANGS[i % 4],
                         source=SOURCES[i % 5], ref=f"a{i}")
    return store.save(draft, [f"Text number {i}."], LANGS[i % 4], title).article_id


@pytest.fixture
def store(diglot_home: Path) -> Store:
    store = Store(current_paths().db)
    with store.transaction():
        for i in range(SIZE):
            _save(store, i)
    return store


def _key(store: Store, sort: str) -> dict[str, tuple]:
    """Each article's sort key as Python sees it (NOCASE = lower() for these ASCII titles)."""
    rows = store.conn.execute("SELECT rowid, id, lang, title, date, source, imported_at FROM articles")
    keys = {}
    for r in rows:
        keys[r["id"]] = {
            "date": (r["date"] or "", r["title"], r["rowid"]),
            "title": (r["title"].lower(), r["id"]),
            "lang": (r["lang"], r["title"].lower(), r["rowid"]),
            "source": (r["source"].lower(), r["title"].lower(), r["rowid"]),
            "imported": (r["imported_at"], r["id"]),
        }[sort]
    return keys


def _expected(store: Store, sort: str, ids: list[str]) -> list[str]:
    keys = _key(store, sort)
    if sort == "date":  # date descending, then title and rowid ascending
        return sorted(ids, key=functools.cmp_to_key(
            lambda a, b: (keys[a][0] < keys[b][0]) - (keys[a][0] > keys[b][0]) or (keys[a][1:] > keys[b][1:])
            - (keys[a][1:] < keys[b][1:])))
    if sort == "imported":  # imported_at descending, then id
        return sorted(ids, key=lambda i: (-keys[i][0], keys[i][1]))
    return sorted(ids, key=lambda i: keys[i])


def _pages(store: Store, limit: int, sort: str, filters: dict[str, str] | None = None) -> list[str]:
    total = store.browse_count(filters)
    out: list[str] = []
    for offset in range(0, total + limit, limit):  # one page past the end: must be empty
        page = store.browse(offset=offset, limit=limit, sort=sort, filters=filters, total=total)
        assert len(page) == max(0, min(limit, total - offset))
        out.extend(s.id for s in page)
    return out


@pytest.mark.parametrize("sort", list(_SORTS))
@pytest.mark.parametrize("limit", [7, 100])
def test_pages_tile_the_list_in_sort_order(store: Store, sort: str, limit: int) -> None:
    ids = _pages(store, limit, sort)
    assert len(ids) == len(set(ids)) == SIZE  # no duplicates, no omissions
    assert ids == _expected(store, sort, ids)
    # Pages read backwards from the end (second half) agree with one forward read.
    assert ids == [s.id for s in store.browse(limit=SIZE, sort=sort)]


def test_pages_without_a_known_total_and_out_of_range(store: Store) -> None:
    forward = [s.id for s in store.browse(limit=SIZE)]
    assert [s.id for s in store.browse(offset=200, limit=50)] == forward[200:250]
    assert [s.id for s in store.browse(offset=SIZE - 3, limit=50)] == forward[-3:]
    assert store.browse(offset=SIZE, limit=50) == []
    assert store.browse(offset=-1) == [] and store.browse(limit=0) == []
    assert [s.id for s in store.summaries(offset=240, limit=10, sort="date")] == forward[240:250]


@pytest.mark.parametrize("sort", list(_SORTS))
@pytest.mark.parametrize(
    "filters", [{"lang": "fr"}, {"source": "bbc"}, {"year": "2017"}, {"lang": "it", "year": "2016"}, {"source": ""}]
)
def test_filters_page_in_sort_order(store: Store, sort: str, filters: dict[str, str]) -> None:
    rows = store.conn.execute("SELECT id, lang, source, date FROM articles").fetchall()
    wanted = {
        r["id"] for r in rows
        if all(not v or {"lang": r["lang"], "source": r["source"], "year": (r["date"] or "")[:4]}[k] == v
               for k, v in filters.items())
    }
    ids = _pages(store, 9, sort, filters)
    assert set(ids) == wanted and len(ids) == len(wanted) == store.browse_count(filters)
    assert ids == _expected(store, sort, ids)


def _mention(store: Store, article_id: str, entity_id: str, *, stale: bool = False) -> None:
    digest = "old" if stale else store.get(article_id).content_hash
    store.conn.execute(
        "INSERT INTO entity_mentions (article_id, content_hash, layer, start, end, type, text, entity_id)"
        " VALUES (?, ?, 'original', 0, 4, 'PLACE', 'Text', ?)", (article_id, digest, entity_id),
    )


def test_entity_filter_and_facets(store: Store) -> None:
    ids = [s.id for s in store.browse(limit=SIZE, sort="title")]
    named = ids[:30]
    for aid in named:
        _mention(store, aid, "place:paris")
        _mention(store, aid, "place:paris")  # two mentions, one article
    _mention(store, ids[40], "place:paris", stale=True)  # an older version of the text: does not count
    assert store.browse_count({"entity": "place:paris"}) == 30
    assert set(_pages(store, 8, "date", {"entity": "place:paris"})) == set(named)
    french = [aid for aid in named if store.get(aid).lang == "fr"]
    assert store.browse_count({"entity": "place:paris", "lang": "fr"}) == len(french)

    facets = store.facet_counts({"lang": "fr"})
    assert set(facets) == set(BROWSE_FILTERS)
    assert facets["entity"] == [("place:paris", len(french))]
    # A facet counts under the *other* filters: the language facet ignores the language filter.
    langs = Counter(r[0] for r in store.conn.execute("SELECT lang FROM articles"))
    assert dict(facets["lang"]) == dict(langs)
    years = Counter(r[0][:4] for r in store.conn.execute("SELECT date FROM articles WHERE lang = 'fr'") if r[0])
    assert dict(facets["year"]) == dict(years)
    assert ("", 0) not in facets["source"] and all(name for name, _ in facets["source"])


def test_new_articles_appear_and_counts_follow(store: Store) -> None:
    before = [s.id for s in store.browse(offset=0, limit=50)]
    assert store.count() == SIZE
    new_id = store.save(
        ArticleDraft(source_key="test:new", raw="New.", title="AAA newest", date="2099-01-01", lang="fr",
                     source="BBC", ref="new"),
        ["A new text."], "fr", "AAA newest",
    ).article_id
    assert store.count() == SIZE + 1 and store.count("fr") == store.browse_count({"lang": "fr"})
    assert store.browse(limit=1)[0].id == new_id  # newest first
    assert [s.id for s in store.browse(offset=1, limit=50)] == before
    assert store.browse(limit=1, sort="title")[0].id == new_id
    assert store.browse(limit=1, sort="imported")[0].id == new_id  # recently imported first
    ids = _pages(store, 10, "lang", {"lang": "fr"})
    assert new_id in ids and len(ids) == len(set(ids))


def test_sorts_walk_an_index_not_a_sort(store: Store) -> None:
    """EXPLAIN QUERY PLAN: every order (both directions) is read from its index, with no temp B-tree."""
    for sort in _SORTS:
        for reverse in (False, True):
            sql = f"SELECT rowid FROM articles ORDER BY {_order_by(sort, reverse=reverse)} LIMIT 10 OFFSET 10"
            plan = " ".join(r[3] for r in store.conn.execute("EXPLAIN QUERY PLAN " + sql))
            assert "TEMP B-TREE" not in plan and "USING" in plan and "INDEX" in plan, (sort, reverse, plan)
    plan = " ".join(r[3] for r in store.conn.execute(
        f"EXPLAIN QUERY PLAN SELECT rowid FROM articles WHERE lang = 'fr' ORDER BY {_order_by('date')} LIMIT 5"))
    assert "TEMP B-TREE" not in plan


def test_stale_queue_follows_revisions(store: Store) -> None:
    ids = store.stale_ids()
    assert len(ids) == SIZE == store.count_stale()
    assert ids == [r[0] for r in store.conn.execute("SELECT id FROM articles ORDER BY rowid")]
    revisions = {r[0]: r[1] for r in store.conn.execute("SELECT id, revision FROM articles")}
    store.mark_indexed(revisions)
    assert store.stale_ids() == [] and store.count_stale() == 0
    store.touch([ids[5], ids[2]])
    assert store.stale_ids() == [ids[2], ids[5]] and store.count_stale() == 2


def test_app_seeded_key_matches_the_pipeline() -> None:
    from tui.app import core
    from tui.pipeline import SEEDED_KEY

    assert core.SEEDED_KEY == SEEDED_KEY
