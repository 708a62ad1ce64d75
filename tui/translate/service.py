"""Translate articles: split into sentences, reuse cached sentences, batch the rest, store the aligned result."""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tui.library.model import Article
from tui.library.store import Store
from tui.paths import Paths
from tui.progress import CancelToken, Progress, ProgressCallback, ignore_progress
from tui.translate import cache, stored
from tui.translate.engine import TranslateOptions, get_engine
from tui.translate.model import ArticleTranslation, SentencePair
from tui.translate.packages import MissingPackageError, PackageInfo, find_route
from tui.translate.segment import split_sentences

__all__ = [
    "MissingPackageError", "TranslateOptions", "article_sentences", "cached_translation", "translate_article",
    "translate_articles",
]

OnSentence = Callable[[int, int, SentencePair], None]
_FORMAT = 1
_ARTICLES_PER_ROUND = 100


def article_sentences(article: Article) -> list[list[tuple[int, int]]]:
    """Sentence spans per paragraph, as offsets into `article.text` (paragraphs joined by a blank line)."""
    spans: list[list[tuple[int, int]]] = []
    offset = 0
    for paragraph in article.paragraphs:
        spans.append([(offset + a, offset + b) for a, b in split_sentences(paragraph, article.lang)])
        offset += len(paragraph) + 2
    return spans


def cached_translation(store: Store, article: Article, target: str = "en") -> ArticleTranslation | None:
    """The stored translation of this version of the article, or None. Loads no model."""
    cache.ensure(store)
    return stored.load_stored(store, article, target)


def translate_article(
    store: Store, article: Article, target: str = "en", *, options: TranslateOptions | None = None,
    progress: ProgressCallback = ignore_progress, cancel: CancelToken | None = None,
    on_sentence: OnSentence | None = None, paths: Paths | None = None,
) -> ArticleTranslation:
    """Translate one article (cached sentences are reported first, then each batch as it finishes) and store it.

    `on_sentence(paragraph_index, sentence_index, pair)` is called once per sentence, possibly from the
    thread that runs this function; the order is not the reading order.
    """
    def relay(_: int, para: int, sent: int, pair: SentencePair) -> None:
        if on_sentence:
            on_sentence(para, sent, pair)

    return translate_articles(store, [article], target, options=options, progress=progress, cancel=cancel,
                              on_pair=relay, paths=paths)[0]


def translate_articles(
    store: Store, articles: Sequence[Article], target: str = "en", *, options: TranslateOptions | None = None,
    progress: ProgressCallback = ignore_progress, cancel: CancelToken | None = None,
    on_pair: Callable[[int, int, int, SentencePair], None] | None = None,
    on_article: Callable[[ArticleTranslation], None] | None = None, paths: Paths | None = None,
) -> list[ArticleTranslation]:
    """Translate many articles in shared batches (sentences sorted by length across articles) and store each.

    `on_pair(article_index, paragraph_index, sentence_index, pair)` reports sentences as they arrive.
    Raises MissingPackageError before any work if a language has no route to `target`.
    """
    opts = options or TranslateOptions()
    cache.ensure(store)
    routes = {lang: ([] if lang == target else find_route(lang, target, paths)) for lang in {a.lang for a in articles}}
    results: list[ArticleTranslation] = []
    # Slices of articles: big enough for full batches, small enough that results are stored as work goes on.
    for first in range(0, len(articles), _ARTICLES_PER_ROUND):
        part = articles[first : first + _ARTICLES_PER_ROUND]
        results.extend(_translate_round(store, part, first, target, routes, opts, progress, cancel, on_pair,
                                        on_article, paths))
    return results


def _translate_round(
    store: Store, articles: Sequence[Article], first: int, target: str, routes: dict[str, list[PackageInfo]],
    opts: TranslateOptions, progress: ProgressCallback, cancel: CancelToken | None,
    on_pair: Callable[[int, int, int, SentencePair], None] | None,
    on_article: Callable[[ArticleTranslation], None] | None, paths: Paths | None,
) -> list[ArticleTranslation]:
    signatures = {lang: _route_signature(packages, opts) for lang, packages in routes.items()}
    # An article stored with the same packages and options is done: no splitting, no lookups, no model.
    done = {i: _stored_result(store, a, target, signatures[a.lang]) for i, a in enumerate(articles)}
    plans = [[] if done[i] else article_sentences(a) for i, a in enumerate(articles)]
    by_lang: dict[str, list[int]] = defaultdict(list)
    for index, article in enumerate(articles):
        if not done[index]:
            by_lang[article.lang].append(index)
    grids: list[list[list[SentencePair | None]]] = [[[None] * len(p) for p in plan] for plan in plans]

    def emit(art: int, para: int, sent: int, pair: SentencePair) -> None:
        grids[art][para][sent] = pair
        if on_pair:
            on_pair(first + art, para, sent, pair)

    for lang, indices in by_lang.items():
        _translate_group(store, [(i, articles[i], plans[i]) for i in indices], routes[lang], opts, emit,
                         progress, cancel, paths)

    results: list[ArticleTranslation] = []
    changed: list[str] = []
    for index, article in enumerate(articles):
        stored = done[index]
        if stored is not None:
            result = stored
            for para_index, para in enumerate(result.paragraphs):
                for sent_index, pair in enumerate(para):
                    if on_pair:
                        on_pair(first + index, para_index, sent_index, pair)
        else:
            route = [article.lang] + [p.to_code for p in routes[article.lang]]
            paragraphs = [[pair for pair in para if pair is not None] for para in grids[index]]
            result = ArticleTranslation(article.id, article.lang, target, route, paragraphs, complete=True)
            if _store(store, article, result, signatures[article.lang]):
                changed.append(article.id)
        results.append(result)
        if on_article:
            on_article(result)
    if changed:
        store.touch(changed)
    return results


@dataclass(slots=True)
class _Sentence:
    """One distinct source sentence of a group and where it occurs."""

    source: str
    places: list[tuple[int, int, int, int, int]]  # (article, paragraph, sentence, start, end)
    current: str | None = None
    flag: str | None = None


def _translate_group(
    store: Store, items: list[tuple[int, Article, list[list[tuple[int, int]]]]], packages: list[PackageInfo],
    opts: TranslateOptions, emit: Callable[[int, int, int, SentencePair], None],
    progress: ProgressCallback, cancel: CancelToken | None, paths: Paths | None,
) -> None:
    distinct: dict[str, _Sentence] = {}
    for art, article, plan in items:
        text = article.text
        for para, spans in enumerate(plan):
            for sent, (a, b) in enumerate(spans):
                source = text[a:b]
                entry = distinct.setdefault(source, _Sentence(source, [], current=source))
                entry.places.append((art, para, sent, a, b))

    def final(entry: _Sentence) -> None:
        for art, para, sent, a, b in entry.places:
            emit(art, para, sent, SentencePair(entry.source, entry.current, entry.flag, a, b))

    if not packages:  # already in the target language
        for entry in distinct.values():
            final(entry)
        return

    live = list(distinct.values())
    for leg, package in enumerate(packages):
        live = _run_leg(store, package, live, leg == len(packages) - 1, opts, final, progress, cancel, paths)


def _run_leg(
    store: Store, package: PackageInfo, live: list[_Sentence], last: bool, opts: TranslateOptions,
    final: Callable[[_Sentence], None], progress: ProgressCallback, cancel: CancelToken | None,
    paths: Paths | None,
) -> list[_Sentence]:
    """One package of the route over the sentences still in flight; returns those that go on to the next."""
    signature = cache.leg_signature(package.fingerprint, opts.cache_signature())
    waiting: dict[str, list[_Sentence]] = defaultdict(list)
    for entry in live:
        assert entry.current is not None
        waiting[entry.current].append(entry)
    inputs = list(waiting)
    survivors: list[_Sentence] = []

    def settle(text: str, target: str | None, flag: str | None) -> None:
        for entry in waiting[text]:
            entry.current = target
            entry.flag = entry.flag or flag
            if last or target is None:
                final(entry)
            else:
                survivors.append(entry)

    hits = cache.lookup(store, signature, inputs)
    for text, (target, flag) in hits.items():
        settle(text, target, flag)  # cached sentences are reported at once
    misses = [t for t in inputs if t not in hits]
    if not misses:
        return survivors
    engine = get_engine(package, opts, paths)
    fresh: list[tuple[str, str | None, str | None]] = []
    detail = f"{package.from_code}->{package.to_code}"
    progress(Progress("translate", 0, len(misses), detail))

    def on_result(i: int, target: str | None, flag: str | None) -> None:
        fresh.append((misses[i], target, flag))
        settle(misses[i], target, flag)
        progress(Progress("translate", len(fresh), len(misses), detail))

    try:
        engine.translate(misses, options=opts, cancel=cancel, on_result=on_result)
    finally:
        cache.save(store, signature, fresh)  # keep what was done, even when cancelled
    return survivors


def _route_signature(packages: list[PackageInfo], opts: TranslateOptions) -> str:
    """Identifies what produced a stored translation: the exact packages of the route and the options."""
    return ";".join(cache.leg_signature(p.fingerprint, opts.cache_signature()) for p in packages) or "identity"


def _stored_result(store: Store, article: Article, target: str, signature: str) -> ArticleTranslation | None:
    row = stored.stored_row(store, article, target)
    if row is None:
        return None
    try:
        if json.loads(row["aligned"]).get("signature") != signature:
            return None
    except ValueError:
        return None
    return stored.decode_row(article, target, row)


def _store(store: Store, article: Article, result: ArticleTranslation, signature: str) -> bool:
    """Save the aligned result; returns True when what readers and the index see changed (reindex)."""
    content = {
        "format": _FORMAT, "source_lang": result.source_lang, "complete": result.complete,
        "paragraphs": [[[p.src_start, p.src_end, p.target, p.flag] for p in para] for para in result.paragraphs],
    }
    aligned = json.dumps({**content, "signature": signature}, ensure_ascii=False, separators=(",", ":"))
    route = json.dumps(result.route)
    with store.transaction() as conn:
        row = conn.execute(
            "SELECT content_hash, route, aligned FROM article_translations WHERE article_id = ? AND target = ?",
            (article.id, result.target),
        ).fetchone()
        same = row is not None and (row[0], row[1]) == (article.content_hash, route) and _content(row[2]) == content
        if row is not None and same and row[2] == aligned:
            return False
        conn.execute(
            "INSERT OR REPLACE INTO article_translations(article_id, target, content_hash, route, aligned, text,"
            " updated_at) VALUES (?,?,?,?,?,?,?)",
            (article.id, result.target, article.content_hash, route, aligned, result.text, time.time()),
        )
    store.set_flags(article.id, translated=True)
    return not same  # only a new signature (other beam, same output): no reindex needed


def _content(aligned: str) -> dict | None:
    try:
        data = json.loads(aligned)
    except ValueError:
        return None
    data.pop("signature", None)
    return data
