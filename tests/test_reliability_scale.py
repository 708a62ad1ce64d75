"""A big library is read a page at a time: list pages and search pages never load every row.

Not a speed test (that is bench/): it checks page sizes and that peak memory does not grow with the library.
Each article carries 2 KB of raw text, so loading all 20,000 rows would cost over 40 MB.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_reliability_support import run_python

from tui.library.library import Library
from tui.paths import Paths, resolve_paths
from tui.search.indexer import sync_index

COUNT = 20_000
MARK = "marqueurcommun"
PAD = "x" * 2048


@pytest.fixture(scope="module")
def big_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("big") / "home"
    paths: Paths = resolve_paths({"DIGLOT_HOME": str(home)}).ensure()
    library = Library(paths)
    store = library.store
    store.set_meta("seeded", "1")  # no samples: exactly COUNT articles
    from tui.library.model import ArticleDraft

    with store.transaction():
        for i in range(COUNT):
            paragraphs = [f"Article {i} {MARK} numero{i}."]
            draft = ArticleDraft(source_key=f"bulk:{i}", raw=PAD + str(i), date=f"20{i % 20:02d}-01-01",
                                 source=f"source{i % 7}")
            store.save(draft, paragraphs, "fr" if i % 2 else "it", f"Titre {i}")
    assert sync_index(store, library.index_dir) == COUNT
    library.close()
    yield home


PROBE = """
import json, resource
from tui.library.library import Library
from tui.search.searcher import Searcher

def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

library = Library()
store = library.store
searcher = Searcher(library.index_dir, store=store)
store.summaries(limit=50)                     # warm up: caches, first page, facet table
searcher.search("{mark}", limit=20)
before = peak()
sizes = []
for sort in ("date", "title", "lang", "source", "imported"):
    for offset in (0, 5_000, {count} - 50, {count} + 10):
        sizes.append(len(store.summaries(offset=offset, limit=50, sort=sort)))
sizes.append(len(store.summaries(limit=50, lang="fr", offset=9_950)))
totals, hits = [], []
for offset in (0, 20, 10_000, {count} - 20):
    results = searcher.search("{mark}", limit=20, offset=offset)
    totals.append(results.total)
    hits.append(len(results.hits))
filtered = searcher.search("{mark}", limit=20, lang="fr")
extra = {{}}
try:
    from tui.app import core
except ImportError:
    core = None
if core is not None:
    page = core.browse_page(library, offset=100, limit=50, sort="date", filters={{"source": "source3"}},
                            with_facets=True)
    extra = {{"browse_rows": len(page.rows), "browse_total": page.total}}
print(json.dumps({{"sizes": sizes, "totals": totals, "hits": hits, "fr_total": filtered.total,
                  "delta_kb": peak() - before, **extra}}))
"""


def test_pages_of_a_big_library_stay_small(big_home: Path) -> None:
    result = run_python(PROBE.format(mark=MARK, count=COUNT), big_home)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data["sizes"] == [50, 50, 50, 0] * 5 + [50]
    assert data["totals"] == [COUNT] * 4
    assert data["hits"] == [20, 20, 20, 20]
    assert data["fr_total"] == COUNT // 2
    if "browse_rows" in data:
        assert data["browse_rows"] == 50 and data["browse_total"] == len(range(3, COUNT, 7))
    assert data["delta_kb"] < 24 * 1024, f"peak memory grew by {data['delta_kb']} KB while paging"


def test_cli_list_and_search_show_a_page(big_home: Path) -> None:
    from test_reliability_support import assert_clean_output, run_diglot

    listed = run_diglot(big_home, "list", "--limit", "50")
    assert listed.returncode == 0, listed.stderr
    assert len(listed.stdout.splitlines()) == 50
    assert f"(50 of {COUNT} articles" in listed.stderr
    found = run_diglot(big_home, "search", "--json", "--limit", "5", MARK)
    assert found.returncode == 0, found.stderr
    data = json.loads(found.stdout)
    assert data["total"] == COUNT and len(data["hits"]) == 5
    assert_clean_output(listed.stdout, listed.stderr, found.stderr)
