"""The UI's single door to the core rooms: lazy imports, thread-safe calls, nothing that imports textual.

Every function here may block (SQLite, Whoosh, models): the screens call them from thread workers only.
Keeping the calls in one module means a changed core signature is fixed in one place.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from tui.errors import DiglotError
from tui.library.library import Library
from tui.library.model import Article, ArticleSummary
from tui.paths import Paths
from tui.progress import CancelToken, Progress, ProgressCallback, ignore_progress

ENTITY_TYPES = ("PERSON", "ORG", "PLACE", "DATE", "OTHER")
FACET_KEYS = ("lang", "source", "year", "entity")
SORTS = ("date", "title", "lang", "source", "imported")


def _missing(room: str, err: ImportError) -> DiglotError:
    return DiglotError(f"The {room} part of Diglot is not available ({err}).")


# -- library ---------------------------------------------------------------------------------------------------
def open_library(
    paths: Paths | None = None, *, progress: ProgressCallback = ignore_progress, cancel: CancelToken | None = None
) -> Library:
    from tui.pipeline import open_library as _open

    return _open(paths, progress=progress, cancel=cancel)


# = tui.pipeline.SEEDED_KEY (a test checks): importing tui.pipeline loads every importer, ~0.4 s of a start.
SEEDED_KEY = "seeded"


def open_store(paths: Paths | None) -> tuple[Library, bool]:
    """The library without seeding or indexing (cheap), and whether this is its first start."""
    library = Library(paths)
    return library, library.store.get_meta(SEEDED_KEY) is None


def open_store_with_page(paths: Paths | None, *, sort: str, limit: int) -> tuple[Library, bool, Page | None]:
    """`open_store` and, unless this is the first start, the first page of the whole library in the same call:
    one worker round trip less before the first screen."""
    library, first_start = open_store(paths)
    if first_start:
        return library, True, None
    return library, False, browse_page(library, offset=0, limit=limit, sort=sort, filters={}, with_facets=False)


def start_open_store_with_page(
    paths: Paths | None, *, sort: str, limit: int
) -> Future[tuple[Library, bool, Page | None]]:
    """`open_store_with_page` in a thread of its own, started now: the app starts it before the first screen is
    built, so the first page is usually read by the time that screen mounts."""
    opened: Future[tuple[Library, bool, Page | None]] = Future()

    def run() -> None:
        try:
            opened.set_result(open_store_with_page(paths, sort=sort, limit=limit))
        except BaseException as err:  # noqa: BLE001 - handed to whoever waits for the result
            opened.set_exception(err)

    threading.Thread(target=run, name="diglot-open-store", daemon=True).start()
    return opened


def import_and_index(
    library: Library, targets: Sequence[str], *, progress: ProgressCallback, cancel: CancelToken | None
) -> Any:
    from tui.pipeline import import_and_index as _import

    return _import(library, targets, progress=progress, cancel=cancel)


def sync_index(library: Library, *, progress: ProgressCallback = ignore_progress) -> int:
    """Index what changed; skipped when another process holds the index (it indexes our changes too)."""
    from tui.pipeline import sync

    return sync(library, progress=progress, wait=False)


@dataclass(slots=True)
class Row:
    """One line of the article list: a stored article, or a search hit with its snippet."""

    article_id: str
    title: str
    lang: str
    date: str | None
    source: str
    translated: bool
    entity_count: int | None = None
    snippet: str | None = None
    highlights: list[tuple[int, int]] = field(default_factory=list)


def _row(summary: ArticleSummary) -> Row:
    return Row(summary.id, summary.title, summary.lang, summary.date, summary.source, summary.translated,
               summary.entity_count)


@dataclass(slots=True)
class Page:
    """What a list query returns: rows of one page, the total, and facet counts (first page only)."""

    total: int
    rows: list[Row]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    suggestion: str | None = None
    elapsed_ms: float = 0.0
    labels: dict[str, str] = field(default_factory=dict)  # display names of entity facet values


def label_facets(library: Library, page: Page) -> None:
    """Drop useless entity facets and look up the names of the others (in the worker, not the UI thread)."""
    if page.facets.get("entity"):
        page.facets["entity"] = useful_entity_facet(page.facets["entity"])
        page.labels = entity_labels(library, [value for value, _ in page.facets["entity"]])


def browse_page(
    library: Library, *, offset: int, limit: int, sort: str, filters: dict[str, str], with_facets: bool,
    total: int | None = None,
) -> Page:
    """A page of the whole library (no query). `total` (known after the first page) saves a count."""
    store = library.store
    active = {k: v for k, v in filters.items() if v}
    if total is None:
        total = store.browse_count(active)
    rows = [_row(s) for s in store.browse(offset=offset, limit=limit, sort=sort, filters=active, total=total)]
    facets = browse_facets(library, active) if with_facets else {}
    return Page(total=total, rows=rows, facets=facets)


def browse_facets(library: Library, filters: dict[str, str], top: int = 12) -> dict[str, list[tuple[str, int]]]:
    """Counts per language, source, year and entity among the articles the other filters keep."""
    return library.store.facet_counts(filters, top=top)


def entity_labels(library: Library, entity_ids: Sequence[str]) -> dict[str, str]:
    """Display names of entity ids (for the entity facet). The index may hand ids back lower-cased."""
    ids = list(entity_ids)
    labels: dict[str, str] = {}
    for ident in ids:
        if ident.lower().startswith("date:"):
            labels[ident] = ident.split(":", 1)[1]
    wanted = [i for i in ids if i not in labels]
    if not wanted:
        return labels
    marks = ",".join("?" * len(wanted))
    try:
        rows = library.store.conn.execute(
            f"SELECT id, name FROM entities WHERE lower(id) IN ({marks})", [i.lower() for i in wanted]
        ).fetchall()
    except Exception:  # noqa: BLE001 - no entity tables yet
        return labels
    by_lower = {row[0].lower(): row[1] for row in rows}
    for ident in wanted:
        if ident.lower() in by_lower:
            labels[ident] = by_lower[ident.lower()]
    return labels


def useful_entity_facet(values: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Weekdays and bare months name nearly every article: no use as a filter."""
    return [(v, n) for v, n in values if not v.lower().startswith(("date:weekday", "date:month"))]


class SearchSession:
    """One Searcher kept open for the app; Whoosh searchers are not thread-safe, so calls are serialised."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self._searcher: Any = None
        self._lock = threading.Lock()

    def _get(self) -> Any:
        if self._searcher is None:
            try:
                from tui.search.searcher import Searcher
            except ImportError as err:
                raise _missing("search", err) from err
            self._searcher = Searcher(self.library.index_dir, self.library.store)
        return self._searcher

    def search(self, query: str, *, offset: int, limit: int, filters: dict[str, str]) -> Page:
        with self._lock:
            searcher = self._get()
            # Another process (`diglot import`) may have committed since: a cheap generation check.
            searcher.refresh()
            active = {k: v for k, v in filters.items() if v} or None
            results = searcher.search(query, limit=limit, offset=offset, filters=active)
        # The ✓ and entity count come from the store (the source of truth), which may be ahead of the index.
        ids = [h.article_id for h in results.hits]
        current = {s.id: s for s in self.library.store.summaries(ids=ids, limit=len(ids))} if ids else {}
        rows = []
        for h in results.hits:
            summary = current.get(h.article_id)
            translated = summary.translated if summary else bool(h.translated)
            count = summary.entity_count if summary else None
            rows.append(Row(h.article_id, h.title, h.lang, h.date, h.source, translated, count, h.snippet,
                            list(h.highlights)))
        return Page(total=results.total, rows=rows, facets=dict(results.facets or {}),
                    suggestion=results.suggestion, elapsed_ms=float(results.elapsed_ms or 0.0))

    def refresh(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.refresh()

    def warm(self) -> None:
        """Open the index and load the per-language word lists (prefix, fuzzy, did-you-mean) before the
        first keystroke needs them; a missing index is left for the search to report."""
        try:
            from tui.search.schema import FIELD_LANGS
        except ImportError:
            return
        with self._lock:
            try:
                searcher = self._get()
                for code in FIELD_LANGS:
                    searcher.vocabulary(code)
            except DiglotError:
                pass

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None


# -- reading -------------------------------------------------------------------------------------------------
def get_article(library: Library, article_id: str) -> Article:
    return library.store.get(article_id)


def split_paragraph_sentences(article: Article) -> list[list[tuple[int, int]]]:
    """Sentence offsets (into Article.text) per paragraph, as the translator splits them."""
    try:
        from tui.translate.service import article_sentences
    except ImportError:
        article_sentences = None
    if article_sentences is not None:
        spans = article_sentences(article)
    else:
        spans, offset = [], 0
        for paragraph in article.paragraphs:
            spans.append([(offset, offset + len(paragraph))])
            offset += len(paragraph) + 2
    # A paragraph the splitter found nothing in still gets one row.
    offset = 0
    for index, paragraph in enumerate(article.paragraphs):
        if not spans[index]:
            spans[index] = [(offset, offset + len(paragraph))]
        offset += len(paragraph) + 2
    return spans


@dataclass(slots=True)
class ReaderData:
    """Everything the reader shows when it opens an article, read in one go (see `reader_data`)."""

    article: Article
    translation: Any  # tui.translate.model.ArticleTranslation | None
    src_mentions: list[Any]
    tgt_mentions: list[Any]


def reader_data(library: Library, article_id: str, target: str) -> ReaderData:
    """The article, its cached translation into `target` and the entity mentions of both layers.

    One query per table, and only the light model modules: opening a cached article must not import the
    translation service (engine, packages, sentence splitter) nor the entity service (recognisers, gazetteer),
    which cost most of a first open. The translation is read as `tui.translate.service.cached_translation`
    reads it, the mentions through `Store.mention_rows`, as `tui.entities.service.mentions` reads them
    (tests/test_app_reader_fast.py checks that they agree).
    """
    from tui.entities.model import Mention
    from tui.translate.stored import load_stored

    store = library.store
    article = store.get(article_id)
    translation = load_stored(store, article, target) if article.lang != target else None
    layers = ("original", target) if translation is not None else ("original",)
    found: dict[str, list[Any]] = {layer: [] for layer in layers}
    for row in store.mention_rows(article.id, layers):
        found[row[0]].append(Mention(*row[1:]))
    return ReaderData(article, translation, found["original"], found.get(target, []))


def cached_translation(library: Library, article: Article, target: str) -> Any:
    try:
        from tui.translate.service import cached_translation as _cached
    except ImportError:
        return None
    return _cached(library.store, article, target)


def translate_article(
    library: Library, article: Article, target: str, *, progress: ProgressCallback, cancel: CancelToken,
    on_sentence: Callable[[int, int, Any], None],
) -> Any:
    try:
        from tui.translate.service import translate_article as _translate
    except ImportError as err:
        raise _missing("translation", err) from err
    return _translate(library.store, article, target, progress=progress, cancel=cancel, on_sentence=on_sentence,
                      paths=library.paths)


def is_missing_package(err: BaseException) -> bool:
    return type(err).__name__ == "MissingPackageError"


def list_packages(paths: Paths) -> list[Any]:
    """PackageInfo rows (from_code, to_code, name, version, installed, size)."""
    try:
        from tui.translate.packages import list_packages as _list
    except ImportError as err:
        raise _missing("translation", err) from err
    return list(_list(paths))


def install_package(path: str, paths: Paths, *, progress: ProgressCallback = ignore_progress) -> Any:
    from tui.translate.packages import install_package as _install

    return _install(path, paths, progress=progress)


def remove_package(src: str, tgt: str, paths: Paths) -> Any:
    from tui.translate.packages import remove_package as _remove

    return _remove(src, tgt, paths)


def match_spans(text: str, lang: str, query: str) -> list[tuple[int, int]]:
    """Spans of `text` matching the query; empty when the search room is absent or the query is odd."""
    if not query.strip():
        return []
    try:
        from tui.search.highlight import match_spans as _spans
    except ImportError:
        return []
    try:
        return list(_spans(text, lang, query))
    except DiglotError:
        return []


def mentions(library: Library, article_id: str, layer: str) -> list[Any]:
    try:
        from tui.entities.service import mentions as _mentions
    except ImportError:
        return []
    return list(_mentions(library.store, article_id, layer))


_analysis_locks: dict[str, threading.Lock] = {}
_analysis_guard = threading.Lock()
_analysed: set[tuple[str, str]] = set()


def ensure_analysed(library: Library, article: Article) -> bool:
    """Find names in an article never analysed; the reader and the entity panel may ask at the same time,
    so the second waits for the first. Returns True when an analysis ran."""
    with _analysis_guard:
        lock = _analysis_locks.setdefault(article.id, threading.Lock())
    with lock:
        key = (article.id, article.content_hash)
        if key in _analysed or mentions(library, article.id, "original"):
            return False
        analyse_article(library, article)
        _analysed.add(key)
        return True


def analyse_pending(library: Library, *, progress: ProgressCallback, cancel: CancelToken | None) -> int:
    """Names for every article not analysed yet (e.g. just imported), so the entity panel sees them all."""
    try:
        from tui.entities.service import analyse_all
    except ImportError:
        return 0
    return int(analyse_all(library.store, progress=progress, cancel=cancel) or 0)


def analyse_article(library: Library, article: Article) -> int:
    try:
        from tui.entities.service import analyse_article as _analyse
    except ImportError as err:
        raise _missing("entities", err) from err
    return int(_analyse(library.store, article) or 0)


def article_entities(library: Library, article_id: str) -> list[tuple[Any, int]]:
    try:
        from tui.entities.service import article_entities as _entities
    except ImportError as err:
        raise _missing("entities", err) from err
    return list(_entities(library.store, article_id))


def articles_naming(library: Library, entity_id: str) -> list[ArticleSummary]:
    from tui.entities.service import articles_naming as _naming

    ids = list(_naming(library.store, entity_id))
    return _summaries_for(library, ids)


def related_articles(library: Library, article_id: str, limit: int = 10) -> list[tuple[ArticleSummary, float]]:
    try:
        from tui.entities.service import related_articles as _related
    except ImportError as err:
        raise _missing("entities", err) from err
    scored = list(_related(library.store, article_id, limit=limit))
    by_id = {s.id: s for s in _summaries_for(library, [i for i, _ in scored])}
    return [(by_id[i], score) for i, score in scored if i in by_id]


def _summaries_for(library: Library, ids: list[str]) -> list[ArticleSummary]:
    found: dict[str, ArticleSummary] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for summary in library.store.summaries(ids=chunk, limit=len(chunk)):
            found[summary.id] = summary
    return [found[i] for i in ids if i in found]


def describe_progress(progress: Progress) -> str:
    """One short line for a progress event."""
    text = progress.stage
    if progress.total:
        text += f" {progress.done}/{progress.total}"
    elif progress.done:
        text += f" {progress.done}"
    if progress.detail:
        text += f" · {progress.detail}"
    return text
