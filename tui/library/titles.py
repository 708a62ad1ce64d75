"""Article titles: the one the source gave, else the first sentence, shortened at a word boundary."""

from __future__ import annotations

import re

from tui.library.cleanup import normalise

DERIVED_LIMIT = 80
GIVEN_LIMIT = 200
UNTITLED = "Untitled"

# A sentence ends at . ! ? … followed by a space, unless the word before the period is an abbreviation.
_END = re.compile(r"([.!?…。！？]+)[\"'»”’)]*(?:\s+|$)")
_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "st",
    "sr",
    "jr",
    "mme",
    "mlle",
    "mm",
    "sig",
    "sigg",
    "dott",
    "ing",
    "avv",
    "hr",
    "fr",
    "frau",
    "nr",
    "no",
    "vs",
    "etc",
    "gen",
    "col",
    "lt",
    "sgt",
    "gov",
    "sen",
    "rep",
    "inc",
    "ltd",
    "co",
    "corp",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "sra",
}


def make_title(given: str | None, paragraphs: list[str], limit: int = DERIVED_LIMIT) -> str:
    if given:
        title = " ".join(normalise(given).split())
        if title:
            return shorten(title, GIVEN_LIMIT)
    if not paragraphs:
        return UNTITLED
    sentence = first_sentence(paragraphs[0])
    if sentence.endswith(".") and not sentence.endswith(".."):
        sentence = sentence[:-1]
    return shorten(sentence, limit) or UNTITLED


def first_sentence(text: str) -> str:
    for m in _END.finditer(text):
        before = text[: m.start()]
        word = re.search(r"(\w+)$", before)
        if m.group(1) == "." and word:
            token = word.group(1)
            if len(token) == 1 or token.casefold() in _ABBREVIATIONS:
                continue  # "M. Kishida", "Dr. Smith", "U.S. officials"
        return text[: m.end()].strip()
    return text.strip()


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary, with an ellipsis when something was cut."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    if cut < limit // 2:
        cut = limit - 1  # one very long word: cut inside it
    return text[:cut].rstrip(" ,;:-–—([{\"'«“") + "…"
