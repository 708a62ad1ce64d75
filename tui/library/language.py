"""Language identification (py3langid) for articles that do not say their language.

The model loads once, on first use (about a second), restricted to languages news articles are written in;
only a prefix of the text is classified, which is enough and keeps detection well under a millisecond.
"""

from __future__ import annotations

import threading

UNKNOWN = "und"
SAMPLE_CHARS = 600

# Languages Diglot may meet in news (and Argos Translate covers most of); others are folded into the nearest.
NEWS_LANGUAGES = (
    "af ar az be bg bn bs ca cs cy da de el en eo es et eu fa fi fr ga gl he hi hr hu hy id is it ja ka kk ko "
    "lt lv mk ms mt nb nl no pl pt ro ru sk sl sq sr sv sw ta th tl tr uk ur uz vi zh"
).split()

_lock = threading.Lock()
_identifier = None


def _model():  # noqa: ANN202 - py3langid has no type hints
    global _identifier
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)
            known = set(identifier.nb_classes)
            identifier.set_languages([code for code in NEWS_LANGUAGES if code in known])
            _identifier = identifier
        return _identifier


def sample(text: str, size: int = SAMPLE_CHARS) -> str:
    """The first `size` characters of the text, whitespace collapsed, cut at a word boundary."""
    head = " ".join(text[: size * 2].split())
    if len(head) <= size:
        return head
    cut = head.rfind(" ", 0, size)
    return head[: cut if cut > size // 2 else size]


def detect(text: str) -> str:
    """ISO 639-1 code of the text's language, or "und" when there are no letters to go by."""
    head = sample(text)
    if sum(ch.isalpha() for ch in head) < 3:
        return UNKNOWN
    code, _score = _model().classify(head)
    return str(code)
