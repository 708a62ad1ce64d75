"""Aligned translation results: one target sentence per source sentence, with offsets into the article text."""

from __future__ import annotations

from dataclasses import dataclass, field

FLAGS = frozenset({"repetition", "too_long", "empty", "failed"})


@dataclass(slots=True)
class SentencePair:
    """A source sentence (offsets into `Article.text`) and its translation.

    `flag` marks a suspicious output (a repetition loop, output far longer than the input, empty output, or a
    model failure); `target` is then kept for display (marked) or None when there is nothing to show.
    """

    source: str
    target: str | None
    flag: str | None
    src_start: int
    src_end: int


@dataclass(slots=True)
class ArticleTranslation:
    """One article translated into `target`, paragraph by paragraph, sentence by sentence.

    `route` is the language path actually used, e.g. ["fr", "en", "it"] for a pivot through English.
    `complete` is False for a partial result (streamed to the UI before every sentence is done).
    """

    article_id: str
    source_lang: str
    target: str
    route: list[str]
    paragraphs: list[list[SentencePair]] = field(default_factory=list)
    complete: bool = True

    @property
    def text(self) -> str:
        """Target sentences joined by a space within a paragraph, paragraphs by a blank line."""
        return "\n\n".join(" ".join(p.target for p in para if p.target) for para in self.paragraphs)

    def target_spans(self) -> list[list[tuple[int, int]]]:
        """Offsets of each target sentence in `.text` (an empty span at its place when it has no target)."""
        spans: list[list[tuple[int, int]]] = []
        pos = 0
        for index, para in enumerate(self.paragraphs):
            if index:
                pos += 2
            row: list[tuple[int, int]] = []
            first = True
            for pair in para:
                if not pair.target:
                    row.append((pos, pos))
                    continue
                if not first:
                    pos += 1
                row.append((pos, pos + len(pair.target)))
                pos += len(pair.target)
                first = False
            spans.append(row)
        return spans

    @property
    def sentence_count(self) -> int:
        return sum(len(p) for p in self.paragraphs)

    @property
    def flagged(self) -> int:
        return sum(1 for para in self.paragraphs for p in para if p.flag)

    def as_dict(self) -> dict:
        return {
            "article_id": self.article_id,
            "source_lang": self.source_lang,
            "target": self.target,
            "route": list(self.route),
            "complete": self.complete,
            "text": self.text,
            "paragraphs": [
                [{"source": p.source, "target": p.target, "flag": p.flag, "src_start": p.src_start,
                  "src_end": p.src_end} for p in para]
                for para in self.paragraphs
            ],
        }
