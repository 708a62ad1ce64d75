"""Metadata normalisation: dates (partial kept, full to ISO), language tags, titles, language detection."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from tui.library.importers.base import normalise_date, normalise_lang
from tui.library.language import UNKNOWN, detect, sample
from tui.library.titles import first_sentence, make_title, shorten


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-05", "2023-05"),
        ("2023", "2023"),
        ("2023-5", "2023-05"),
        ("2023-05-19", "2023-05-19"),
        ("2023-05-19T10:00:00+02:00", "2023-05-19"),
        ("2023/05/19", "2023-05-19"),
        ("20230519", "2023-05-19"),
        ("19/05/2023", "2023-05-19"),
        ("19.05.2023", "2023-05-19"),
        ("05/19/2023", "2023-05-19"),  # only the US order is possible
        ("Fri, 19 May 2023 10:00:00 +0000", "2023-05-19"),
        ("19 mai 2023", "2023-05-19"),
        ("May 19, 2023", "2023-05-19"),
        ("Published 3rd March 2021", "2021-03-03"),
        ("mai 2023", "2023-05"),
        (dt.date(2020, 1, 2), "2020-01-02"),
        (dt.datetime(2020, 1, 2, 23, 59), "2020-01-02"),
        (time.struct_time((2021, 7, 4, 0, 0, 0, 6, 185, 0)), "2021-07-04"),
        (2019, "2019"),
        ("2023-13", None),
        ("2023-02-30", None),
        ("yesterday", None),
        ("", None),
        (None, None),
        (True, None),
        ("x" * 500, None),
    ],
)
def test_normalise_date(value: object, expected: str | None) -> None:
    assert normalise_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("fr", "fr"),
        ("FR", "fr"),
        ("fr-FR", "fr"),
        ("pt_BR", "pt"),
        ("fra", "fr"),
        ("deu", "de"),
        ("und", None),
        ("French", None),
        ("", None),
        (None, None),
        (42, None),
        ("zh-Hant-TW", "zh"),
    ],
)
def test_normalise_lang(value: object, expected: str | None) -> None:
    assert normalise_lang(value) == expected


def test_title_given_wins_and_is_tidied() -> None:
    assert make_title("  Un\u00a0titre \x1b donné\n", ["Premier paragraphe."]) == "Un titre donné"


def test_title_from_first_sentence() -> None:
    assert make_title(None, ["Le Japon signe. La France aussi."]) == "Le Japon signe"
    assert make_title(None, ["Why now? Because."]) == "Why now?"
    assert make_title(None, ["M. Kishida est arrivé à Paris. Puis autre chose."]) == "M. Kishida est arrivé à Paris"
    assert make_title(None, ["The U.S. and Japan met. Then more."]) == "The U.S. and Japan met"


def test_long_title_shortened_at_a_word_boundary() -> None:
    text = "Le Japon et la France ont déclaré vendredi qu'ils souhaitaient approfondir leur coopération bilatérale."
    title = make_title(None, [text])
    assert title == "Le Japon et la France ont déclaré vendredi qu'ils souhaitaient approfondir leur…"
    assert len(title) <= 81
    assert shorten("x" * 200, 80) == "x" * 79 + "…"
    assert shorten("short", 80) == "short"


def test_title_without_text() -> None:
    assert make_title(None, []) == "Untitled"
    assert make_title("   ", []) == "Untitled"


def test_first_sentence_without_end() -> None:
    assert first_sentence("no full stop here") == "no full stop here"


def test_detect_languages() -> None:
    assert detect("Le gouvernement a annoncé vendredi une nouvelle réforme des retraites.") == "fr"
    assert detect("Il governo ha annunciato venerdì una nuova riforma delle pensioni.") == "it"
    assert detect("Die Regierung hat am Freitag eine neue Rentenreform angekündigt.") == "de"
    assert detect("Правительство в пятницу объявило о новой пенсионной реформе.") == "ru"
    assert detect("政府は金曜日に新しい年金改革を発表した。") == "ja"
    assert detect("12 345 — 678") == UNKNOWN
    assert detect("") == UNKNOWN


def test_detection_sample_is_bounded() -> None:
    text = "mot " * 10_000
    assert len(sample(text)) <= 600
    assert sample("  a   b  ") == "a b"
