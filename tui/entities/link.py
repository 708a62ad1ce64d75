"""Canonical ids for mentions: one id per real-world thing, whatever the language of the text.

Places, organisations and events come from the name lists (`place:JP`, `org:g7`); a person is the slug of the
fullest name the article uses (`person:fumio-kishida`), and a bare "Kishida" or "M. Kishida" links to it, or to
the one person of that surname already in the library. Unknown names get `type:slug` ids.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache

from tui.entities.gazetteer import ACRONYM_EXPANSIONS, fold, gazetteer, key, slug
from tui.entities.model import Mention

_PREFIX = {"PERSON": "person", "ORG": "org", "PLACE": "place", "DATE": "date", "OTHER": "other"}

# Looks up a surname in the library: returns the one person id with that surname, or None.
SurnameLookup = Callable[[str], str | None]


def _letters(acronym: str) -> str:
    return "".join(sorted(acronym.upper()))


def link(mentions: Sequence[Mention], *, surname_lookup: SurnameLookup | None = None) -> list[Mention]:
    """Fill `entity_id` (and fix `type` when the id says otherwise) for the mentions of one text, in place."""
    gaz = gazetteer()
    # Full person names of this text, by surname (the fullest one wins).
    full_names: dict[str, str] = {}
    for m in mentions:
        if m.type == "PERSON" and not m.entity_id:
            parts = m.text.split()
            if len(parts) >= 2:
                surname = fold(parts[-1])
                if len(m.text) > len(full_names.get(surname, "")):
                    full_names[surname] = m.text
    # Acronyms known with their letters in any order ("RAA" and the Italian slip "ARA").
    known_acronyms = _known_acronyms()
    for m in mentions:
        if m.entity_id:
            continue
        entry = gaz.lookup(m.text)
        if entry is not None and m.type != "PERSON":
            m.entity_id, m.type = entry.id, entry.type
            continue
        if m.type == "PERSON":
            parts = m.text.split()
            surname = fold(parts[-1]) if parts else ""
            full = full_names.get(surname)
            if len(parts) == 1 and full is None and surname_lookup is not None:
                found = surname_lookup(surname)
                if found:
                    m.entity_id = found
                    continue
            m.entity_id = f"person:{slug(full if full and len(parts) == 1 else m.text)}"
            continue
        if m.text.isupper() and m.text.isalpha() and _letters(m.text) in known_acronyms:
            ident = known_acronyms[_letters(m.text)]
            m.entity_id, m.type = ident, gaz.by_id[ident].type
            continue
        m.entity_id = f"{_PREFIX.get(m.type, 'other')}:{slug(m.text) or 'x'}"
    # One text, one acronym meaning: an unknown 3+ letter acronym that is a permutation of a more frequent one
    # of the same text is taken as the same thing with its letters in another language's order.
    counts: dict[str, int] = {}
    for m in mentions:
        if _is_acronym(m.text):
            counts[m.text] = counts.get(m.text, 0) + 1
    for m in mentions:
        if _is_acronym(m.text) and len(m.text) >= 3:
            rivals = [
                t for t in counts if t != m.text and _letters(t) == _letters(m.text) and counts[t] > counts[m.text]
            ]
            if rivals:
                twin = next(x for x in mentions if x.text == rivals[0])
                m.entity_id, m.type = twin.entity_id, twin.type
    return list(mentions)


def _is_acronym(text: str) -> bool:
    return text.isupper() and text.isalpha() and 2 <= len(text) <= 6


@cache
def _known_acronyms() -> dict[str, str]:
    """Letters (sorted) -> id, for the acronyms of the name lists that have expansions (RAA)."""
    gaz = gazetteer()
    out: dict[str, str] = {}
    for k, entry in gaz.entries.items():
        if entry.id in ACRONYM_EXPANSIONS and len(k) == 1 and k[0].isalpha() and len(k[0]) <= 6:
            out[_letters(k[0])] = entry.id
    return out


def canonical_key(text: str) -> tuple[str, ...]:
    return key(text)
