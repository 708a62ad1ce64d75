"""Turn raw article text into clean paragraphs, repairing typical scraping damage.

Rules (general, not tuned to one text):
- whitespace: CRLF/CR to LF, NBSP and other spaces to a plain space, runs of spaces collapsed, tabs to spaces;
  control characters (except newline) and invisible format characters (soft hyphen, zero-width space, BOM)
  removed; text put in Unicode NFC so that the same words always compare equal.
- blank lines separate paragraphs; a block where most lines end a sentence has one paragraph per line; in a
  hard-wrapped block (most lines stop mid-sentence) a line break inside a sentence is a wrap, unless the line is
  short, like a heading, and the next one starts a sentence.
- a paragraph that starts with the words the previous one ended with (a fragment repeated at a cut) loses
  that repeated fragment; a paragraph that only repeats the end of the previous one is dropped.
- a paragraph that does not end a sentence, followed by one that starts in lowercase (or with punctuation that
  cannot start a sentence), is one sentence cut in two: they are joined.
"""

from __future__ import annotations

import re
import unicodedata

# C0 controls but newline (tab becomes a space first), DEL, C1 controls; and invisible characters that only
# get in the way of search and comparison (ZWJ/ZWNJ are kept: some scripts need them; bidi marks are kept too
# and neutralised at display time by textsafe).
_REMOVE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u00ad\u180e\u200b\u2060\ufeff\ufffe]")
_ODD_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_RUNS = re.compile(r" {2,}")
_LINE_EDGES = re.compile(r" ?\n ?")
# Sentence end, then closing quotes or brackets (French puts a space before »; German closes with “).
_TERMINAL = re.compile(r"[.!?…。！？‼⁇⁈⁉](?: ?[\"'»”’›“‘)\]])*$")
_LIST_ITEM = re.compile(r"^(?:[-*•·–—]\s|\d{1,3}[.)]\s)")
_ELLIPSIS = re.compile(r"^(?:\.\.\.|…)\s*")
# Characters that cannot start a sentence: a paragraph starting with one continues the previous one.
_CONTINUES = set(",;:)]}»”’")
_NO_SPACE_BEFORE = set(",.)]}")
_NO_SPACE_LANGS = {"zh", "ja"}
_SHORT_LINE = 40  # a line break after a line shorter than this, with no end punctuation, is kept (headings)
_MIN_REPEAT_CHARS = 8


def clean(raw: str, lang: str) -> list[str]:
    """The paragraphs of `raw`, repaired; an empty list when there is no text."""
    joiner = "" if lang in _NO_SPACE_LANGS else " "
    short = _SHORT_LINE // 2 if lang in _NO_SPACE_LANGS else _SHORT_LINE  # ideographs carry more per character
    out: list[str] = []
    for block in _blocks(normalise(raw)):
        wrapped = _is_wrapped(block)
        for i, line in enumerate(block):
            if not out:
                out.append(line)
                continue
            prev = out[-1]
            line = drop_repeat(prev, line)
            if not line:
                continue
            if _continues(prev, line, wrapped=wrapped and i > 0, short=short):
                out[-1] = _join(prev, line, joiner)
            else:
                out.append(line)
    return out


def normalise(raw: str) -> str:
    """Line endings, spaces, control and invisible characters, NFC; lines stripped."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = text.replace("\x0b", "\n").replace("\x0c", "\n\n").replace("\x85", "\n").replace("\t", " ")
    text = _REMOVE.sub("", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    text = _RUNS.sub(" ", _ODD_SPACES.sub(" ", text))  # two passes, each cheap when it finds nothing
    return _LINE_EDGES.sub("\n", text).strip(" ")


def _blocks(text: str) -> list[list[str]]:
    """Runs of non-empty lines separated by blank lines."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _is_wrapped(block: list[str]) -> bool:
    """Hard-wrapped prose (most line breaks fall inside sentences) rather than one paragraph per line."""
    if len(block) < 2:
        return False
    inner = block[:-1]
    return sum(ends_sentence(line) for line in inner) * 2 < len(inner)


def ends_sentence(text: str) -> bool:
    return bool(_TERMINAL.search(text[-12:]))  # only the tail matters; searching it all is quadratic-ish


def _starts_lower(text: str) -> bool:
    text = _ELLIPSIS.sub("", text)
    return bool(text) and text[0].islower()


def _continues(prev: str, line: str, *, wrapped: bool, short: int = _SHORT_LINE) -> bool:
    """Is `line` the rest of the sentence `prev` ended in?"""
    if ends_sentence(prev) or _LIST_ITEM.match(line):
        return False
    if _starts_lower(line) or line[0] in _CONTINUES:
        return True
    # Inside a block, a long line without end punctuation was wrapped; a short one is a heading or a label.
    return wrapped and len(prev) >= short


def _join(prev: str, line: str, joiner: str) -> str:
    if prev.endswith("-") and len(prev) > 1 and prev[-2].isalpha() and line[0].islower():
        return prev + line  # a word hyphenated at a line break; the hyphen may be real, so it stays
    if line[0] in _NO_SPACE_BEFORE:
        return prev + line
    return prev + joiner + line


def drop_repeat(prev: str, line: str) -> str:
    """`line` without the leading words that repeat the end of `prev`.

    The repeat must be whole words, at least two of them, matched exactly (case included), and look like
    damage: it ends a sentence ("pacifisme traditionnel.") or starts in lowercase ("que les gouvernements").
    A capitalised run of words that ends no sentence is more likely a name said twice ("the Belfast Giants" /
    "Belfast Giants won"), so it is kept.
    """
    limit = min(len(prev), len(line))
    if limit < _MIN_REPEAT_CHARS:
        return line
    last_word = prev[prev.rfind(" ") + 1 :]
    # A repeat ends where `line` has the last word of `prev`: only those places are worth comparing.
    cuts = []
    at = line.find(last_word, 0, limit)
    while at != -1:
        cut = at + len(last_word)
        if (cut == len(line) or line[cut] == " ") and (at == 0 or line[at - 1] == " "):
            cuts.append(cut)
        at = line.find(last_word, at + 1, limit)
    for cut in reversed(cuts):
        if cut < _MIN_REPEAT_CHARS:
            break
        fragment = line[:cut]
        if " " not in fragment or not prev.endswith(fragment):
            continue
        if cut < len(prev) and prev[-cut - 1] != " ":
            continue  # the match starts inside a word of `prev`
        if not (ends_sentence(fragment) or _starts_lower(fragment)):
            continue
        return line[cut:].strip()
    return line
