"""Sentence splitting: offsets are exact, titles and initials do not end sentences, paragraphs are kept."""

from __future__ import annotations

import pytest
from conftest_translate import seed_paragraphs

from tui.translate.segment import split_sentences


def sentences(text: str, lang: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text, lang)]


def test_titles_and_initials_do_not_split() -> None:
    text = "Il a parlé avec M. Kishida hier. Le Dr. Martin était là. J. Dupont aussi."
    assert sentences(text, "fr") == ["Il a parlé avec M. Kishida hier.", "Le Dr. Martin était là.",
                                     "J. Dupont aussi."]
    assert sentences("Mr. Smith met Mrs. Jones. They talked.", "en") == ["Mr. Smith met Mrs. Jones.", "They talked."]
    assert sentences("Il sig. Rossi è arrivato. Poi è partito.", "it") == ["Il sig. Rossi è arrivato.",
                                                                           "Poi è partito."]


def test_quotes_stay_with_their_sentence_and_offsets_are_exact() -> None:
    # pysbd drops the quotes from this segment; the offsets must still point at the real text.
    text = 'He said "Hello." Then he left.'
    assert sentences(text, "en") == ['He said "Hello."', "Then he left."]
    text = "« Je souhaite avancer », a déclaré le président. Puis il est parti."
    assert sentences(text, "fr") == ["« Je souhaite avancer », a déclaré le président.", "Puis il est parti."]


def test_paragraph_breaks_always_end_a_sentence() -> None:
    text = "Le ministre a déclaré le mois dernier\n\nque Paris espérait conclure."
    assert sentences(text, "fr") == ["Le ministre a déclaré le mois dernier", "que Paris espérait conclure."]


def test_seed_spans_cover_every_word_in_order() -> None:
    text = "\n\n".join(seed_paragraphs())
    spans = split_sentences(text, "fr")
    assert all(a < b and text[a:b] == text[a:b].strip() for a, b in spans)
    assert all(spans[i][1] <= spans[i + 1][0] for i in range(len(spans) - 1))
    covered = "".join(text[a:b] for a, b in spans)
    assert covered.replace(" ", "") == "".join(text.split())
    assert not any(s.endswith(" M.") for s in sentences(text, "fr"))


@pytest.mark.parametrize("lang", ["xx", "pt-BR", "ja"])
def test_unknown_languages_fall_back(lang: str) -> None:
    assert len(sentences("One sentence. Another one!", lang)) == 2


def test_empty_text() -> None:
    assert split_sentences("", "fr") == []
    assert split_sentences("  \n\n  ", "fr") == []
