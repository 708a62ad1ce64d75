"""Read a stored article translation back: one query, no model or tokenizer imports (the reader's fast path)."""

from __future__ import annotations

import json
import sqlite3

from tui.library.model import Article
from tui.library.store import Store
from tui.translate.model import ArticleTranslation, SentencePair


def stored_row(store: Store, article: Article, target: str) -> sqlite3.Row | None:
    """The article_translations row of this version of the article (route, aligned), or None."""
    try:
        return store.conn.execute(
            "SELECT route, aligned FROM article_translations WHERE article_id = ? AND target = ? AND content_hash = ?",
            (article.id, target, article.content_hash),
        ).fetchone()
    except sqlite3.OperationalError:  # no translation table yet
        return None


def decode_row(article: Article, target: str, row: sqlite3.Row) -> ArticleTranslation | None:
    """The aligned translation a row holds; None when the row is unreadable (it is then translated again)."""
    try:
        aligned = json.loads(row["aligned"])
        text = article.text
        paragraphs = [
            [SentencePair(text[a:b], tgt, flag, a, b) for a, b, tgt, flag in para] for para in aligned["paragraphs"]
        ]
        return ArticleTranslation(article.id, aligned.get("source_lang", article.lang), target,
                                  json.loads(row["route"]), paragraphs, bool(aligned.get("complete", True)))
    except (ValueError, KeyError, TypeError):
        return None


def load_stored(store: Store, article: Article, target: str) -> ArticleTranslation | None:
    """The stored translation of this version of the article, or None. Loads no model."""
    row = stored_row(store, article, target)
    return None if row is None else decode_row(article, target, row)
