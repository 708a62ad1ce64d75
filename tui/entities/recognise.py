"""Find entity spans: spaCy's French model where it exists, a rule layer (names lists, dates, titles) everywhere.

Candidates from every layer are merged longest-first, so that "Fumio Kishida" beats "Kishida" and
"Seconde Guerre mondiale" beats "Guerre". Spans never include a leading article or a title.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from tui.entities.gazetteer import (
    ORG_WORDS,
    PLACE_WORDS,
    day_names,
    fold,
    gazetteer,
    month_names,
    title_firsts,
    title_keys,
    tokens,
)
from tui.entities.model import Mention

SPACY_MODELS = {"fr": "fr_core_news_sm"}
_SPACY_LABELS = {"PER": "PERSON", "PERSON": "PERSON", "LOC": "PLACE", "GPE": "PLACE", "ORG": "ORG", "MISC": "OTHER"}

ARTICLES = {
    "le",
    "la",
    "les",
    "l",
    "il",
    "lo",
    "gli",
    "i",
    "the",
    "der",
    "die",
    "das",
    "den",
    "dem",
    "des",
    "el",
    "los",
    "las",
    "un",
    "une",
    "uno",
    "una",
    "a",
    "an",
    "ein",
    "eine",
}
# Particles allowed inside a name when a capitalised word follows ("Gruppo dei Sette", "Ludwig van Beethoven").
CONNECTORS = {
    "de",
    "di",
    "da",
    "del",
    "della",
    "dei",
    "degli",
    "delle",
    "dello",
    "des",
    "du",
    "d",
    "van",
    "von",
    "der",
    "den",
    "of",
    "y",
    "bin",
    "ben",
    "al",
    "la",
    "le",
    "los",
    "las",
    "the",
    "and",
    "et",
    "&",
    "'",
    "-",
    "für",
    "pour",
    "per",
}
# Words before a lone unknown capitalised word that make it a place rather than a person ("a Sassari").
LOC_PREPS = {
    "fr": {"à", "en", "au", "aux", "vers", "de", "du", "depuis"},
    "it": {
        "a",
        "in",
        "ad",
        "da",
        "nel",
        "nella",
        "nello",
        "nei",
        "negli",
        "dal",
        "dalla",
        "verso",
        "presso",
        "tra",
        "fra",
        "sul",
        "sulla",
        "per",
        "dell",
        "della",
        "del",
        "di",
    },
    "en": {"in", "at", "to", "from", "near", "of"},
    "de": {"in", "nach", "aus", "bei", "von"},
    "es": {"en", "a", "hacia", "desde", "de", "del"},
}
# Common given names (any of our languages) that mark a capitalised run as a person.
FIRST_NAMES = set(
    """adam adrien alain alberto alessandro alessia alexander alexandre alexis alfonso alice andrea andreas andrew
    angela angelo anna anne antoine antonio barack benjamin bernard bill bob boris brigitte bruno carla carlo
    carlos caroline catherine charles charlotte chiara christian christine christophe claude claudia daniel
    daniela david davide dominique donald edouard elena elisabeth elizabeth emma emmanuel enrico eric federico
    felipe fernando filippo florence francesca francesco francis francisco françois frank franz frédéric
    gabriel gabriele george georges gerhard giacomo gianni giorgio giovanni giulia giulio giuseppe guido hans
    helmut henri henry hillary isabelle jacques james jan jane javier jean jeanne jennifer jens jérôme joe johann
    john jorge josé joseph juan julia julien karl kate katharina klaus laura laurent lorenzo luca lucia luigi luis
    manuel marco maria marie mario mark martin mary massimo matteo matthew matthias maurizio michael michel
    michele michelle nicola nicolas olivier paolo pascal patrick paul pedro peter philippe pierre pietro rafael
    raffaele ricardo richard roberto robert rosa salvatore sandro sara sarah sébastien sebastian serge sergio
    silvio simon simone sophie stefan stefano stéphane steve susanne thomas tim tom ursula valérie valeria
    vincent vincenzo vladimir walter wolfgang xavier yves""".split()
)
ROMAN = re.compile(r"^[IVXLCDM]+$")
ACRONYM_STOP = {"OK", "TV", "PM", "AM", "CEO", "PDG", "DJ", "CD", "DVD", "PC", "SMS", "GPS", "ID", "VIP", "XL", "UFO"}
_SENTENCE_END = {".", "!", "?", ":", ";", "…"}
_QUOTES = {'"', "«", "»", "“", "”", "(", ")", "-", "—", "–", "'", "‘"}

_lock = threading.Lock()


@cache
def _stop_words(lang: str) -> frozenset[str]:
    try:
        module = __import__(f"spacy.lang.{lang}.stop_words", fromlist=["STOP_WORDS"])
        return frozenset(fold(w) for w in module.STOP_WORDS)
    except ImportError:
        return frozenset()


_NLP: dict[str, object] = {}


def spacy_model(lang: str):  # noqa: ANN201 - spacy.Language, imported lazily
    """The statistical model for `lang` (loaded once, NER only), or None when there is none."""
    name = SPACY_MODELS.get(lang)
    if name is None:
        return None
    with _lock:
        if lang not in _NLP:
            import spacy

            # The NER component has its own tok2vec here, so everything else can go: 3-4x faster.
            _NLP[lang] = spacy.load(
                name, exclude=["tok2vec", "morphologizer", "parser", "attribute_ruler", "lemmatizer", "senter"]
            )
        return _NLP[lang]


@dataclass(slots=True)
class _Cand:
    start: int  # token index
    end: int  # token index, exclusive
    type: str
    entity_id: str
    priority: int  # lower wins among spans of equal length


class _Doc:
    """The token view of one text with the helpers every rule needs."""

    def __init__(self, text: str, lang: str) -> None:
        self.text = text
        self.lang = lang
        self.toks = tokens(text)
        self.words = [m.group(0) for m in self.toks]
        self.folded = [w.casefold() for w in self.words]
        self.stops = _stop_words(lang)
        self.initial = [self._is_initial(i) for i in range(len(self.toks))]
        self._inside: set[str] | None = None

    def _is_initial(self, i: int) -> bool:
        j = i - 1
        while j >= 0 and self.words[j] in _QUOTES:
            j -= 1
        if j < 0:
            return True
        if "\n" in self.text[self.toks[j].end() : self.toks[i].start()]:
            return True
        return self.words[j] in _SENTENCE_END

    def seen_inside(self, i: int) -> bool:
        """The word at a sentence start also occurs capitalised inside a sentence: a name, not just a capital."""
        if self._inside is None:
            self._inside = {w for k, w in enumerate(self.words) if not self.initial[k] and w[:1].isupper()}
        return self.words[i] in self._inside

    def cap(self, i: int) -> bool:
        w = self.words[i]
        return w[:1].isupper() and w[:1].isalpha()

    def adjacent(self, i: int) -> bool:
        """Token i follows token i-1 on the same line (no paragraph break between)."""
        return "\n" not in self.text[self.toks[i - 1].end() : self.toks[i].start()]

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.toks[start].start(), self.toks[end - 1].end()


# -- rule layers ------------------------------------------------------------------------------------------------
def _dates(doc: _Doc) -> list[_Cand]:
    months, days = month_names(doc.lang), day_names(doc.lang)
    lower_case_lang = doc.lang in {"fr", "it", "es"}
    out: list[_Cand] = []
    n = len(doc.words)
    i = 0
    while i < n:
        w = doc.folded[i]
        if w not in months and w not in days and not doc.words[i].isdigit():
            i += 1
            continue
        cased_ok = (not lower_case_lang) == doc.cap(i) or doc.initial[i]
        if w in months and cased_ok and not (w in {"may", "march"} and doc.lang == "en" and not _num_near(doc, i)):
            start, end = i, i + 1
            day = year = None
            # day before: "5 janvier", "1er mai", "5. Januar", "5 de enero"
            k = i - 1
            if k >= 0 and doc.folded[k] == "de" and doc.lang == "es":
                k -= 1
            if k >= 0 and doc.words[k] == "." and doc.lang == "de":
                k -= 1
            if k >= 0 and doc.folded[k] == "er":
                k -= 1
            if k >= 0 and doc.words[k].isdigit() and 1 <= int(doc.words[k]) <= 31:
                day, start = int(doc.words[k]), k
                if k - 1 >= 0 and doc.folded[k - 1] in days:
                    start = k - 1
            # "January 5, 2018"
            k = end
            if day is None and k < n and doc.words[k].isdigit() and 1 <= int(doc.words[k]) <= 31:
                day, end = int(doc.words[k]), k + 1
                if end + 1 < n and doc.words[end] == "," and _is_year(doc.words[end + 1]):
                    year, end = int(doc.words[end + 1]), end + 2
            k = end
            if year is None:
                if k < n and doc.folded[k] == "de" and doc.lang == "es":
                    k += 1
                if k < n and _is_year(doc.words[k]):
                    year, end = int(doc.words[k]), k + 1
            month = months[w]
            if year and day:
                ident = f"date:{year:04d}-{month:02d}-{day:02d}"
            elif year:
                ident = f"date:{year:04d}-{month:02d}"
            else:
                ident = f"date:month-{month:02d}"
            out.append(_Cand(start, end, "DATE", ident, 0))
            i = end
            continue
        if w in days and cased_ok:
            out.append(_Cand(i, i + 1, "DATE", f"date:weekday-{days[w]}", 0))
        elif _is_year(doc.words[i]) and _year_context(doc, i):
            out.append(_Cand(i, i + 1, "DATE", f"date:{doc.words[i]}", 1))
        i += 1
    return out


def _is_year(word: str) -> bool:
    return len(word) == 4 and word.isdigit() and 1800 <= int(word) <= 2099


def _num_near(doc: _Doc, i: int) -> bool:
    return any(0 <= k < len(doc.words) and doc.words[k].isdigit() for k in (i - 1, i + 1))


_YEAR_PREPS = {
    "en",
    "in",
    "nel",
    "dal",
    "del",
    "depuis",
    "since",
    "im",
    "seit",
    "desde",
    "de",
    "du",
    "à",
    "a",
    "al",
    "fin",
    "d",
    "'",
    "of",
    "until",
    "bis",
    "jusqu",
    "fino",
}


def _year_context(doc: _Doc, i: int) -> bool:
    """A bare year only after a temporal preposition ("en 2018", "nel 2023"), not a quantity ("2019 soldats")."""
    return (
        i > 0
        and doc.folded[i - 1] in _YEAR_PREPS
        and not (
            i + 1 < len(doc.words)
            and doc.words[i + 1] in {",", "."}
            and i + 2 < len(doc.words)
            and doc.words[i + 2].isdigit()
        )
    )


def _gazetteer(doc: _Doc) -> list[_Cand]:
    gaz = gazetteer()
    out: list[_Cand] = []
    n = len(doc.words)
    for i in range(n):
        first = doc.words[i]
        if not (first[:1].isupper() or first[:1].isdigit()):
            continue
        longest = gaz.first_len.get(doc.folded[i], 0)
        for length in range(min(longest, n - i), 0, -1):
            k = tuple(doc.folded[i : i + length])
            entry = gaz.entries.get(k)
            if (
                entry is None
                or k in gaz.upper_only
                and not all(w.isupper() for w in doc.words[i : i + length] if w[:1].isalpha())
            ):
                continue
            last = doc.words[i + length - 1]
            if not last[:1].isalnum() and last not in {".", "+"}:
                continue
            if length == 1 and doc.initial[i] and doc.folded[i] in doc.stops:
                break
            if any(not doc.adjacent(k) for k in range(i + 1, i + length)):
                continue
            out.append(_Cand(i, i + length, entry.type, entry.id, 1))
            break
    return out


def _match_title(doc: _Doc, i: int, titles: frozenset[tuple[str, ...]]) -> int:
    """Length of the longest title starting at token i (0 when none)."""
    if doc.folded[i] not in title_firsts(doc.lang):
        return 0
    for length in (3, 2, 1):
        if i + length <= len(doc.words) and tuple(doc.folded[i : i + length]) in titles:
            if (
                length == 1
                and doc.words[i] in {"M", "Me", "Dr", "Pr"}
                and not (i + 1 < len(doc.words) and doc.words[i + 1] == "." or doc.words[i] in {"Mme", "Dr", "Pr"})
            ):
                continue
            return length
    return 0


def _name_after(doc: _Doc, j: int) -> int:
    """End of a run of capitalised words (with name particles) starting at token j; j when there is none."""
    n = len(doc.words)
    end = j
    k = j
    while k < n:
        if k > j and not doc.adjacent(k):
            break
        if (
            doc.cap(k)
            and doc.words[k] not in _SENTENCE_END
            and not (doc.words[k].isupper() and len(doc.words[k]) > 1 and k > j)
        ):
            end = k + 1
            k += 1
        elif (
            doc.folded[k] in CONNECTORS
            and k + 1 < n
            and end > j
            and doc.cap(k + 1)
            and doc.folded[k] not in {"et", "and", "&", "y"}
        ):
            k += 1
        else:
            break
    return end


def _titles(doc: _Doc) -> list[_Cand]:
    titles = title_keys(doc.lang)
    out: list[_Cand] = []
    for i in range(len(doc.words)):
        length = _match_title(doc, i, titles)
        if not length:
            continue
        j = i + length
        end = _name_after(doc, j)
        if end > j and j < len(doc.words) and doc.folded[j] not in CONNECTORS:
            out.append(_Cand(j, end, "PERSON", "", 2))
    return out


def _acronyms(doc: _Doc) -> list[_Cand]:
    out = []
    for i, w in enumerate(doc.words):
        if 2 <= len(w) <= 6 and w.isupper() and w.isalpha() and not ROMAN.match(w) and w not in ACRONYM_STOP:
            # Not inside a shouted headline: neighbours in capitals too.
            if (
                i > 0
                and doc.words[i - 1].isupper()
                and doc.words[i - 1].isalpha()
                and len(doc.words[i - 1]) > 1
                and i + 1 < len(doc.words)
                and doc.words[i + 1].isupper()
                and doc.words[i + 1].isalpha()
            ):
                continue
            out.append(_Cand(i, i + 1, "ORG", "", 3))
    return out


def _runs(doc: _Doc) -> list[_Cand]:
    """Capitalised runs nobody else explained: the rule layer's guess for languages without a model."""
    titles = title_keys(doc.lang)
    out: list[_Cand] = []
    n = len(doc.words)
    i = 0
    while i < n:
        if not doc.cap(i):
            i += 1
            continue
        end = _name_after(doc, i)
        if end <= i:
            i += 1
            continue
        start = i
        while start < end and (
            doc.folded[start] in ARTICLES
            or doc.folded[start] in CONNECTORS
            or (doc.initial[start] and doc.folded[start] in doc.stops)
        ):
            start += 1
        # A title inside the run: the name is what follows the last title word.
        for k in range(end - 1, start - 1, -1):
            length = _match_title(doc, k, titles)
            if length and k + length <= end:
                rest = k + length
                while rest < end and doc.folded[rest] in CONNECTORS:
                    # "Ministro della Difesa": the words after the particle belong to the title.
                    rest = end
                if rest < end:
                    out.append(_Cand(rest, end, "PERSON", "", 4))
                start = end
                break
        if start < end:
            head = _place_head(doc, start)
            cand = _Cand(head, end, "PLACE", "", 5) if head < start else _guess(doc, start, end)
            if cand is not None:
                out.append(cand)
        i = max(end, i + 1)
    return out


_NATURAL = {
    "monte",
    "lago",
    "fiume",
    "isola",
    "golfo",
    "mare",
    "mar",
    "mont",
    "lac",
    "île",
    "mount",
    "lake",
    "canale",
    "valle",
    "passo",
    "pizzo",
    "capo",
    "stretto",
    "baia",
    "océan",
    "oceano",
    "mer",
    "cap",
}


def _place_head(doc: _Doc, start: int) -> int:
    """Start of "monte Rogoria", "lago Maggiore": a lower-case natural feature before the name."""
    if start >= 1 and doc.folded[start - 1] in _NATURAL and not doc.cap(start - 1):
        return start - 1
    return start


_OPEN = {'"': '"', "“": "”", "«": "»", "„": "“"}


def _quoted_titles(doc: _Doc) -> list[_Cand]:
    """Short title-case quotations are names of works: "Il Silmarillion", "Watchmen" (OTHER)."""
    out: list[_Cand] = []
    n = len(doc.words)
    for i, w in enumerate(doc.words):
        close = _OPEN.get(w)
        if close is None or i + 1 >= n or not doc.cap(i + 1):
            continue
        for j in range(i + 2, min(i + 8, n)):
            if doc.words[j] == close:
                inner = range(i + 1, j)
                words = [doc.words[k] for k in inner]
                if all(
                    doc.cap(k) or doc.folded[k] in CONNECTORS or doc.folded[k] in ARTICLES or doc.words[k][:1].isdigit()
                    for k in inner
                    if doc.words[k][:1].isalnum()
                ) and not any(x in _SENTENCE_END for x in words):
                    out.append(_Cand(i + 1, j, "OTHER", "", 6))
                break
            if doc.words[j] in _SENTENCE_END:
                break
    return out


def _guess(doc: _Doc, start: int, end: int) -> _Cand | None:
    words = doc.folded[start:end]
    if any(w in ORG_WORDS for w in words):
        return _Cand(start, end, "ORG", "", 5)
    if words[0] in PLACE_WORDS and end - start > 1:
        return _Cand(start, end, "PLACE", "", 5)
    if fold(words[0]) in FIRST_NAMES or words[0] in FIRST_NAMES:
        return _Cand(start, end, "PERSON", "", 5)
    if doc.lang == "de":
        return None  # every German noun is capitalised: without a known name or a first name, no guess
    plain = all(doc.cap(k) for k in range(start, end))
    if end - start >= 2 and plain:
        return _Cand(start, end, "PERSON", "", 5)
    if end - start >= 2:
        return _Cand(start, end, "OTHER", "", 6)
    if doc.folded[start] in doc.stops or doc.initial[start] and not doc.seen_inside(start):
        return None
    if start > 0 and doc.folded[start - 1] in LOC_PREPS.get(doc.lang, set()):
        return _Cand(start, end, "PLACE", "", 6)
    return _Cand(start, end, "PERSON", "", 7)


def _spacy(doc: _Doc, sdoc) -> list[_Cand]:  # noqa: ANN001 - spacy Doc
    """Map spaCy's character spans onto our tokens, dropping leading articles and titles."""
    out: list[_Cand] = []
    starts = {m.start(): i for i, m in enumerate(doc.toks)}
    ends = {m.end(): i for i, m in enumerate(doc.toks)}
    titles = title_keys(doc.lang)
    for ent in sdoc.ents:
        etype = _SPACY_LABELS.get(ent.label_)
        if etype is None:
            continue
        text = ent.text
        lead = len(text) - len(text.lstrip())
        a, b = ent.start_char + lead, ent.start_char + len(text.rstrip())
        if a not in starts or b not in ends:
            continue
        s, e = starts[a], ends[b] + 1
        # Articles go ("le Japon"), except a capitalised one inside a sentence: "La Havane", "The Used".
        while (
            s + 1 < e
            and (doc.folded[s] in ARTICLES or doc.words[s] == "'")
            and (not doc.cap(s) or doc.initial[s] or doc.words[s + 1] == "'")
        ):
            s += 1
        while s < e and doc.words[s] in {"'", '"', "«", "-"}:
            s += 1
        length = _match_title(doc, s, titles)
        if length and s + length >= e:
            continue  # only a title ("Premier ministre")
        if length:
            s += length
            while s < e and doc.words[s] == ".":
                s += 1
            etype = "PERSON"
        while e > s and (
            not doc.words[e - 1][:1].isalnum()
            or doc.folded[e - 1] in CONNECTORS
            or e < len(doc.words)
            and doc.words[e] == "'"
            and not doc.cap(e - 1)
        ):
            e -= 1
        # The model also marks "mer Adriatique", "golfe du Mexique": keep them when a word is capitalised.
        if s >= e or not any(doc.cap(k) or doc.words[k][:1].isdigit() for k in range(s, e)):
            continue
        out.append(_Cand(s, e, etype, "", 2))
    return out


# -- merging ----------------------------------------------------------------------------------------------------
def _merge(doc: _Doc, cands: Iterable[_Cand]) -> list[_Cand]:
    chosen: list[_Cand] = []
    taken = [False] * len(doc.words)
    ordered = sorted(cands, key=lambda c: (-(c.end - c.start), c.priority, c.start))
    for c in ordered:
        if any(taken[c.start : c.end]):
            continue
        for k in range(c.start, c.end):
            taken[k] = True
        chosen.append(c)
    chosen.sort(key=lambda c: c.start)
    return chosen


def _refine(doc: _Doc, chosen: list[_Cand]) -> list[_Cand]:
    """Whole-span name lists win on type; surnames seen earlier mark later bare mentions as persons."""
    gaz = gazetteer()
    surnames: set[str] = set()
    for c in chosen:
        entry = gaz.lookup(doc.text[doc.toks[c.start].start() : doc.toks[c.end - 1].end()])
        if entry is not None and not c.entity_id and c.type != "PERSON":
            c.type, c.entity_id = entry.type, entry.id
        elif not c.entity_id and c.type != "DATE":
            c.type = _keyword_type(doc, c) or c.type
        if c.type == "PERSON" and c.end - c.start >= 2:
            surnames.add(doc.words[c.end - 1])
    if not surnames:
        return chosen
    taken = [False] * len(doc.words)
    for c in chosen:
        for k in range(c.start, c.end):
            taken[k] = True
    extra = [_Cand(i, i + 1, "PERSON", "", 2) for i, w in enumerate(doc.words) if w in surnames and not taken[i]]
    # A bare surname the model typed otherwise ("Kishida" as LOC) follows the full name.
    for c in chosen:
        if c.end - c.start == 1 and doc.words[c.start] in surnames and not c.entity_id:
            c.type = "PERSON"
    return sorted(chosen + extra, key=lambda c: c.start)


def _keyword_type(doc: _Doc, c: _Cand) -> str | None:
    """Types that the words of a name give away: "Université de X" (ORG), "golfe du Mexique" (PLACE), and
    "Maple Leafs de Toronto", "Oilers d'Edmonton": a name + of + a known place is a club or a company."""
    first = doc.folded[c.start]
    if first in ORG_WORDS:
        return "ORG"
    if first in PLACE_WORDS:
        return "PLACE"
    if c.end - c.start >= 3 and doc.cap(c.start):
        gaz = gazetteer()
        for k in range(c.start + 1, c.end - 1):
            if doc.folded[k] in {"de", "du", "d", "of", "di", "del"}:
                tail = k + 1
                while tail < c.end and (doc.folded[tail] in ARTICLES or doc.words[tail] == "'"):
                    tail += 1
                entry = gaz.entries.get(tuple(doc.folded[tail : c.end])) if tail < c.end else None
                if entry is not None and entry.type == "PLACE" and all(doc.cap(j) for j in range(c.start, k)):
                    return "ORG"
                break
    return None


def _recognise_doc(doc: _Doc, sdoc=None) -> list[Mention]:  # noqa: ANN001
    cands = _dates(doc) + _gazetteer(doc) + _titles(doc) + _acronyms(doc)
    if sdoc is not None:
        cands += _spacy(doc, sdoc)
    else:
        cands += _runs(doc) + _quoted_titles(doc)
    chosen = _refine(doc, _merge(doc, cands))
    out = []
    for c in chosen:
        a, b = doc.span(c.start, c.end)
        out.append(Mention(a, b, c.type, doc.text[a:b], c.entity_id))
    return out


def recognise_many(texts: Sequence[str], lang: str, *, batch_size: int = 32) -> list[list[Mention]]:
    """Mentions (not yet linked across the text) for each text; one model pass over all of them."""
    lang = (lang or "").split("-")[0].lower()
    nlp = spacy_model(lang)
    docs = [_Doc(t, lang) for t in texts]
    if nlp is None:
        return [_recognise_doc(d) for d in docs]
    sdocs = nlp.pipe(texts, batch_size=batch_size)
    return [_recognise_doc(d, s) for d, s in zip(docs, sdocs, strict=True)]


def recognise(text: str, lang: str) -> list[Mention]:
    return recognise_many([text], lang)[0]
