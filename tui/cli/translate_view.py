"""Print an article's translation, alone or side by side with the original (used by `diglot show`)."""

from __future__ import annotations

import sys
from itertools import zip_longest

from rich.cells import cell_len

from tui.cli.output import say
from tui.library.library import Library
from tui.library.model import Article
from tui.textsafe import printable
from tui.translate.model import ArticleTranslation, SentencePair

_FLAG_MARK = "\u26a0"  # ⚠ before a sentence the guards found suspicious
_GUTTER = " \u2502 "


def translation_for(library: Library, article: Article, target: str) -> ArticleTranslation:
    """The stored translation, or translate now (progress on stderr)."""
    from tui.translate.service import cached_translation, translate_article

    result = cached_translation(library.store, article, target)
    if result is None:
        from tui.cli.translate_cmds import StderrProgress

        with StderrProgress() as progress:
            result = translate_article(library.store, article, target, progress=progress)
    return result


def marked(pair: SentencePair) -> str:
    """The target sentence as shown: flagged ones are marked, missing ones say why."""
    if pair.target is None:
        return f"{_FLAG_MARK} [{pair.flag or 'missing'}: no translation]"
    if pair.flag:
        return f"{_FLAG_MARK} {pair.target} [{pair.flag}]"
    return pair.target


def print_translated(library: Library, article: Article, target: str) -> int:
    """The translation alone, paragraph by paragraph."""
    result = translation_for(library, article, target)
    if len(result.route) > 2:
        say(f"[{' -> '.join(result.route)}]", err=True)  # a pivot is never hidden
    for index, para in enumerate(result.paragraphs):
        if index:
            say()
        say(" ".join(marked(p) for p in para))
    return 0


def print_side_by_side(library: Library, article: Article, target: str, width: int) -> int:
    """Two columns; each source sentence and its translation start on the same row."""
    result = translation_for(library, article, target)
    column = max(10, (width - cell_len(_GUTTER)) // 2)
    out = sys.stdout
    header_right = " -> ".join(result.route)
    _row(out, [article.lang], [header_right], column)
    out.write("\u2500" * column + "\u2500\u253c\u2500" + "\u2500" * column + "\n")
    for index, para in enumerate(result.paragraphs):
        if index:
            out.write("\n")
        for pair in para:
            _row(out, wrap(printable(pair.source), column), wrap(printable(marked(pair)), column), column)
    return 0


def _row(out, left: list[str], right: list[str], column: int) -> None:  # noqa: ANN001 - a text stream
    for a, b in zip_longest(left, right, fillvalue=""):
        out.write(a + " " * (column - cell_len(a)) + _GUTTER + b + "\n")


def wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap by terminal cells (wide characters count double); long words are cut."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        while cell_len(word) > width:
            if line:
                lines.append(line)
                line = ""
            cut = _fit(word, width)
            lines.append(word[:cut])
            word = word[cut:]
        candidate = f"{line} {word}" if line else word
        if cell_len(candidate) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line or not lines:
        lines.append(line)
    return lines


def _fit(word: str, width: int) -> int:
    used = 0
    for index, char in enumerate(word):
        used += cell_len(char)
        if used > width:
            return max(1, index)
    return len(word)
