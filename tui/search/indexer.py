"""Keeps the Whoosh index in step with the store: incremental sync, full rebuild, self-repair."""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.index import FileIndex, LockError
from whoosh.writing import SegmentWriter

from tui.errors import Cancelled, DiglotError
from tui.library.model import Article
from tui.library.store import Store
from tui.progress import CancelToken, Progress, ProgressCallback, ignore_progress
from tui.search.analyzers import StemFoldFilter, field_lang
from tui.search.fused import install as install_fused
from tui.search.schema import FIELD_LANGS, SCHEMA_VERSION, build_schema, date_number, date_terms, date_year

MARKER = "diglot-index.json"
GENERATION_KEY = "index_generation"
INDEX_NAME = "MAIN"
# Up to this many changed articles go into one small segment without merging (fast interactive updates).
SMALL_SYNC = 500
# A big import commits every BATCH articles: bounded loss on a crash, bounded writer memory.
BATCH = 20_000
# Posting pool size per writer; the pool spills to disk beyond it, which keeps peak memory flat at 100k.
LIMIT_MB = 96
LOCK_TIMEOUT = 30.0
LEAD_CHARS = 300


def _storage(index_dir: Path) -> FileStorage:
    """Index files read with plain file reads, not mmap: whoosh-reloaded copies a memory-mapped segment
    into a BytesIO on open (measured at 100k: 205 MB of postings copied, 495 MB RSS before the first search)."""
    return FileStorage(str(index_dir), supports_mmap=False)


def open_index(index_dir: Path) -> FileIndex:
    return _storage(Path(index_dir)).open_index(INDEX_NAME)


def _marker(index_dir: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((index_dir / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_marker(index_dir: Path, generation: str, store: Store) -> None:
    data = {"schema_version": SCHEMA_VERSION, "generation": generation, "store": str(store.path)}
    tmp = index_dir / (MARKER + ".tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, index_dir / MARKER)


def store_path_of(index_dir: Path) -> Path | None:
    """The library file an index was built from (the searcher reads snippets there)."""
    data = _marker(Path(index_dir))
    path = data.get("store") if data else None
    return Path(path) if isinstance(path, str) else None


def _open_checked(index_dir: Path, store: Store) -> FileIndex | None:
    """The existing index if it is readable, of this schema and of this library's generation; else None."""
    marker = _marker(index_dir)
    if not marker or marker.get("schema_version") != SCHEMA_VERSION:
        return None
    if marker.get("generation") != store.get_meta(GENERATION_KEY):
        return None
    try:
        ix = open_index(index_dir)
        with ix.searcher() as searcher:
            reader = searcher.reader()
            reader.doc_count()
            for _ in zip(range(1), reader.lexicon("id"), strict=False):
                pass
        return ix
    except Exception:  # noqa: BLE001 - any damage (missing, truncated, garbage files) means: rebuild
        return None


def _create(index_dir: Path, store: Store) -> FileIndex:
    """A fresh, empty index of a new generation; every article becomes stale."""
    if index_dir.is_symlink() or index_dir.is_file():
        index_dir.unlink()  # a stray file where the index folder belongs (rmtree would leave it)
    elif index_dir.exists():
        shutil.rmtree(index_dir, ignore_errors=True)
    index_dir.mkdir(parents=True, exist_ok=True)
    ix = _storage(index_dir).create_index(build_schema(), indexname=INDEX_NAME)
    generation = uuid.uuid4().hex[:12]
    store.mark_all_stale()
    store.set_meta(GENERATION_KEY, generation)
    _write_marker(index_dir, generation, store)
    return ix


class _BulkLengths:
    """A new segment's per-document reader whose field lengths come from one bulk read per field.

    While flushing a segment Whoosh asks the length of every posting's document (for the block statistics);
    without mmap (see `_storage`) each answer was a seek and a one-byte read: ~10% of indexing time.
    """

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._tables: dict[str, bytes | None] = {}
        from whoosh.util.numeric import byte_to_length

        self._decode: list[int | None] = [byte_to_length(b) if b else None for b in range(256)]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)

    def _table(self, fieldname: str) -> bytes | None:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        column = self._reader._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)  # noqa: SLF001
        if column is None:
            return None
        return bytes(column._dbfile.get(column._basepos, column._count))  # noqa: SLF001

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int | None:
        try:
            table = self._tables[fieldname]
        except KeyError:
            try:
                table = self._tables[fieldname] = self._table(fieldname)
            except Exception:  # noqa: BLE001 - another codec: ask it directly
                return self._reader.doc_field_length(docnum, fieldname, default)
        if table is None:
            return default
        if docnum >= len(table):
            return self._reader.doc_field_length(docnum, fieldname, default)
        return self._decode[table[docnum]]  # None for 0, as Whoosh's own reader answers


def _bulk_lengths(writer: SegmentWriter) -> None:
    plain = writer.per_document_reader
    writer.per_document_reader = lambda: _BulkLengths(plain())  # type: ignore[method-assign]


def _writer(ix: FileIndex, *, limitmb: int = LIMIT_MB) -> SegmentWriter:
    """The one writer; another process holding the lock gets LOCK_TIMEOUT seconds before we give up."""
    deadline = time.monotonic() + LOCK_TIMEOUT
    while True:
        try:
            writer = ix.writer(limitmb=limitmb, procs=1)
            _bulk_lengths(writer)
            return writer
        except LockError:
            if time.monotonic() >= deadline:
                raise DiglotError(
                    "The search index is busy (another Diglot process is indexing); try again in a moment."
                ) from None
            time.sleep(0.2)


# What `Store.index_extras` gives per article: translations {target: text}, entity ids, entity names.
Extras = tuple[dict[str, str], list[str], list[str]]


def article_fields(store: Store, article: Article, extras: Extras | None = None) -> dict[str, Any]:
    """The index document of one article: original text in its language's field, translations in theirs.

    `extras`: the article's translations and entities read beforehand for a whole batch (else asked here).
    """
    lang = field_lang(article.lang)
    text = article.text
    doc: dict[str, Any] = {
        "id": article.id,
        "title": article.title,
        "lang": (article.lang or "").lower(),
        "source": article.source or "",
        "source_name": article.source or "",
        "date_text": article.date,
        "lead": text[:LEAD_CHARS],
        f"title_{lang}": article.title,
    }
    number = date_number(article.date)
    if number is not None:
        doc["date"] = date_terms(article.date)
        doc["year"] = date_year(article.date)
    bodies: dict[str, list[str]] = {lang: [text]}
    if extras is None:
        extras = (store.translation_texts(article.id), store.entity_ids(article.id), [])
    translations, entity_ids, entity_names = extras
    for target, translated in translations.items():
        bodies.setdefault(field_lang(target), []).append(translated)
    for field_code, texts in bodies.items():
        doc[f"body_{field_code}"] = "\n\n".join(texts)
    if translations:
        doc["translated_to"] = ",".join(sorted(translations))
    if entity_ids:
        doc["entity"] = ",".join(e.replace(",", " ").lower() for e in entity_ids)
        doc["entity_names"] = "\n".join(entity_names or store.entity_names(article.id))
    return {k: v for k, v in doc.items() if v is not None and v != ""}


def iter_with_extras(store: Store, ids: list[str], batch: int = 200) -> Iterable[tuple[Article, Extras]]:
    """The articles (missing ids skipped) with their translations and entities, read a batch at a time."""
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        extras = store.index_extras(chunk)
        for article in store.get_many(chunk):
            yield article, extras[article.id]


def vocab_path(index_dir: Path, code: str) -> Path:
    return Path(index_dir) / f"vocab_{code}.txt"


def read_vocab(index_dir: Path, code: str) -> set[str]:
    try:
        return set(vocab_path(index_dir, code).read_text(encoding="utf-8").split("\n")) - {""}
    except OSError:
        return set()


def _attach_vocab(writer: SegmentWriter) -> dict[str, set[str]]:
    """Make the writer's analyzers collect the surface words of each language (body and title)."""
    sets: dict[str, set[str]] = {}
    for code in FIELD_LANGS:
        words: set[str] = set()
        sets[code] = words
        for fieldname in (f"body_{code}", f"title_{code}"):
            for item in getattr(writer.schema[fieldname].analyzer, "items", ()):
                if isinstance(item, StemFoldFilter):
                    item.vocab = words
    return sets


def _save_vocab(index_dir: Path, sets: dict[str, set[str]]) -> None:
    """Add new words to the per-language word lists (words of deleted articles stay: harmless)."""
    for code, words in sets.items():
        if not words:
            continue
        known = read_vocab(index_dir, code)
        if words <= known:
            continue
        path = vocab_path(index_dir, code)
        tmp = path.with_suffix(".tmp")
        tmp.write_text("\n".join(sorted(known | words)), encoding="utf-8")
        os.replace(tmp, path)


def _index_ids(
    ix: FileIndex, store: Store, ids: list[str], *, fresh: bool, progress: ProgressCallback,
    cancel: CancelToken | None,
) -> int:
    """Index the given articles in batches; each batch is marked indexed only after its commit."""
    from tui.search import bulk_index

    if bulk_index.enabled(len(ids)):
        return bulk_index.index_in_workers(ix, store, ids, fresh=fresh, progress=progress, cancel=cancel)
    total = len(ids)
    done = 0
    small = total <= SMALL_SYNC and not fresh
    progress(Progress("index", 0, total))
    for start in range(0, total, BATCH):
        chunk = ids[start : start + BATCH]
        writer = _writer(ix)
        vocab = _attach_vocab(writer)
        undo = install_fused(writer.schema)  # undone before the commit saves the schema
        revisions: dict[str, int] = {}
        try:
            for article, extras in iter_with_extras(store, chunk):
                if cancel is not None:
                    cancel.check()
                fields = article_fields(store, article, extras)
                if fresh:
                    writer.add_document(**fields)
                else:
                    writer.update_document(**fields)
                revisions[article.id] = article.revision
                done += 1
                if done % 200 == 0:
                    progress(Progress("index", done, total))
            # A chunk id missing from the store was deleted meanwhile: drop it from the index too.
            for gone in set(chunk) - set(revisions):
                writer.delete_by_term("id", gone)
        except BaseException:
            writer.cancel()
            raise
        finally:
            undo()
        if small:
            writer.commit(merge=False)  # a tiny segment now; later big commits merge it
        else:
            writer.commit()
        _save_vocab(Path(ix.storage.folder), vocab)
        store.mark_indexed(revisions)
    progress(Progress("index", done, total))
    return done


def _reconcile(ix: FileIndex, store: Store) -> None:
    """Index and store disagree on how many articles are indexed: drop deleted ones, requeue missing ones."""
    indexed_in_store = store.count() - store.count_stale()
    if ix.doc_count() == indexed_in_store:
        return
    with ix.searcher() as searcher:
        in_index = {t.decode("utf-8") for t in searcher.reader().lexicon("id")}
        # lexicon() still lists deleted documents' ids until a merge: keep only live ones.
        live = {i for i in in_index if searcher.document_number(id=i) is not None}
    in_store = set(store.all_ids())
    extra = live - in_store
    if extra:
        writer = _writer(ix)
        for article_id in extra:
            writer.delete_by_term("id", article_id)
        writer.commit(merge=False)
    missing = in_store - live
    if missing:
        store.mark_indexed({article_id: 0 for article_id in missing})


def sync_index(
    store: Store, index_dir: Path, *, progress: ProgressCallback = ignore_progress,
    cancel: CancelToken | None = None,
) -> int:
    """Index every new or changed article; create or rebuild the index when missing, damaged or outdated.

    Returns the number of articles (re)indexed.
    """
    index_dir = Path(index_dir)
    ix = _open_checked(index_dir, store)
    fresh = False
    if ix is None:
        ix = _create(index_dir, store)
        fresh = True
    else:
        _reconcile(ix, store)
    try:
        return _index_ids(ix, store, store.stale_ids(), fresh=fresh, progress=progress, cancel=cancel)
    except Cancelled:
        raise
    except DiglotError:
        raise
    except OSError as err:
        raise DiglotError(f"Could not write the search index in {index_dir}: {err.strerror or err}.") from err
    finally:
        ix.close()


def rebuild_index(
    store: Store, index_dir: Path, *, progress: ProgressCallback = ignore_progress,
    cancel: CancelToken | None = None,
) -> int:
    """Throw the index away and index every article again."""
    index_dir = Path(index_dir)
    ix = _create(index_dir, store)
    try:
        return _index_ids(ix, store, store.stale_ids(), fresh=True, progress=progress, cancel=cancel)
    except OSError as err:
        raise DiglotError(f"Could not write the search index in {index_dir}: {err.strerror or err}.") from err
    finally:
        ix.close()


def index_stats(index_dir: Path) -> dict[str, Any]:
    """Documents, segments and bytes on disk (for `diglot doctor`-style reports and the benchmark)."""
    index_dir = Path(index_dir)
    ix = open_index(index_dir)
    try:
        segments = len(ix._segments())  # noqa: SLF001 - Whoosh has no public segment count
        docs = ix.doc_count()
    finally:
        ix.close()
    size = sum(p.stat().st_size for p in _files(index_dir))
    return {"documents": docs, "segments": segments, "bytes": size}


def _files(folder: Path) -> Iterable[Path]:
    return (p for p in folder.rglob("*") if p.is_file())
