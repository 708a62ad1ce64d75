"""Sentence splitting per language (pysbd) that returns character offsets into the text it was given."""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import pysbd
from pysbd.languages import LANGUAGE_CODES

_BLOCK = re.compile(r"\S(?:.*?\S)?(?=\s*\n\s*\n|\s*$)", re.S)

# Titles and abbreviations that pysbd sometimes takes for a sentence end ("Le Dr. Martin" -> two sentences).
# Lowercase, without the final dot. Never list words that often end a sentence ("etc").
_ABBREVIATIONS: dict[str, frozenset[str]] = {
    "fr": frozenset("m mm mme mmes mlle mlles dr pr me mgr st ste sts stes gén col cdt lt sgt réf art vol "
                    "chap p pp av apr env cf fig hab tél".split()),
    "it": frozenset("sig sigg sig.ra sig.na dott dott.ssa prof avv ing on sen gen col arch rag geom mons "
                    "p pp art cap fig tel ecc".split()),
    "en": frozenset("mr mrs ms dr prof st gen sen rep gov lt col sgt capt cmdr adm rev hon fig vol no pp "
                    "jan feb mar apr aug sept oct nov dec".split()),
    "de": frozenset("hr fr dr prof st nr bzw vgl ca z.b u.a s".split()),
    "es": frozenset("sr sra srta dr dra prof st gral lic ing pág".split()),
}
_LAST_WORD = re.compile(r"(?:^|[\s(«\"'“‘])([^\s(«\"'“‘]+)\.\s*$")
_INITIAL = re.compile(r"(?:^|\s)[A-ZÀ-Ý]\.\s*$")
_lock = threading.Lock()


@lru_cache(maxsize=16)
def _segmenter(lang: str) -> pysbd.Segmenter:
    code = lang.split("-")[0].split("_")[0].lower()
    return pysbd.Segmenter(language=code if code in LANGUAGE_CODES else "en", clean=False)


def split_sentences(text: str, lang: str) -> list[tuple[int, int]]:
    """Sentence spans `(start, end)` of `text`, stripped of surrounding whitespace.

    Sentences never cross a blank line (a paragraph break). `text[start:end]` is always the exact source
    substring, even where pysbd rewrote a segment (it can drop quotes), because offsets are re-aligned here.
    """
    spans: list[tuple[int, int]] = []
    for block in _BLOCK.finditer(text):
        spans.extend(_split_block(text, block.start(), block.end(), lang))
    return spans


def _split_block(text: str, start: int, end: int, lang: str) -> list[tuple[int, int]]:
    block = text[start:end]
    with _lock:  # pysbd keeps state on the segmenter while it works
        segments = _segmenter(lang).segment(block)
    starts = _align(block, [s for s in segments if s.strip()])
    spans: list[tuple[int, int]] = []
    for index, seg_start in enumerate(starts):
        seg_end = starts[index + 1] if index + 1 < len(starts) else len(block)
        piece = block[seg_start:seg_end]
        stripped_end = seg_start + len(piece.rstrip())
        if stripped_end > seg_start:
            spans.append((start + seg_start, start + stripped_end))
    return _merge_abbreviations(text, spans, lang)


def _align(block: str, segments: list[str]) -> list[int]:
    """Where each segment starts in `block`: match its characters in order, skipping any pysbd dropped."""
    starts: list[int] = []
    pos = 0
    for segment in segments:
        first: int | None = None
        for char in segment:
            if char.isspace():
                continue
            found = block.find(char, pos)
            if found < 0:
                continue  # a character pysbd added or changed: ignore it
            if first is None:
                first = found
            pos = found + 1
        if first is None:
            continue
        if starts:
            # Characters dropped between two segments (closing quotes) belong to the earlier sentence up to
            # the first space; an opening quote right before the next sentence belongs to it.
            gap = block[starts[-1]:first]
            space = max(gap.rfind(" "), gap.rfind("\n"))
            if space >= 0:
                first = starts[-1] + space + 1
        else:
            first = len(block) - len(block.lstrip())
        if starts and first <= starts[-1]:
            continue
        starts.append(first)
    return starts or [0]


def _merge_abbreviations(text: str, spans: list[tuple[int, int]], lang: str) -> list[tuple[int, int]]:
    """Join a split made after a title or an initial ("M. Kishida", "Dr. Martin", "J. Smith")."""
    known = _ABBREVIATIONS.get(lang.split("-")[0].lower(), frozenset())
    merged: list[tuple[int, int]] = []
    for span in spans:
        if merged:
            prev = text[merged[-1][0]:merged[-1][1]]
            same_block = "\n\n" not in text[merged[-1][1]:span[0]]
            match = _LAST_WORD.search(prev)
            nxt = text[span[0]:span[1]]
            if same_block and nxt[:1].isupper() and (
                (match and match.group(1).lower() in known) or _INITIAL.search(prev)
            ):
                merged[-1] = (merged[-1][0], span[1])
                continue
        merged.append(span)
    return merged
