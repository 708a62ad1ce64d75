"""Plain dataclasses for articles: what importers produce and what the store returns."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass(slots=True)
class ArticleDraft:
    """An article as an importer read it, before cleanup and storage.

    `source_key` identifies the logical source (a file, or a record inside a file) so that re-importing a
    changed version replaces the old one; `ref` is the id the source gave it, if any.
    """

    source_key: str
    raw: str
    title: str | None = None
    date: str | None = None
    lang: str | None = None
    source: str | None = None
    ref: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Article:
    """A stored article. `paragraphs` is the cleaned text: what is shown, analysed and indexed."""

    id: str
    lang: str
    title: str
    date: str | None
    source: str
    source_key: str
    raw: str
    paragraphs: list[str]
    content_hash: str
    imported_at: float
    updated_at: float
    revision: int = 1

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """What a list row needs, without the text."""

    id: str
    lang: str
    title: str
    date: str | None
    source: str
    translated: bool
    entity_count: int


def content_hash(paragraphs: list[str]) -> str:
    """Hash of the cleaned text: same content from two places is the same article."""
    digest = hashlib.blake2b(digest_size=16)
    for paragraph in paragraphs:
        digest.update(paragraph.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()
