"""Rule-layer behaviour: dates, titles, articles trimmed, surnames, acronyms, any language (real spaCy for fr)."""

from __future__ import annotations

import pytest

from tui.entities.service import recognise

pytestmark = pytest.mark.usefixtures("diglot_home")


def spans(text: str, lang: str) -> list[tuple[str, str, str]]:
    return [(m.text, m.type, m.entity_id) for m in recognise(text, lang)]


def test_dates_per_language_and_relative_expressions_are_not_dates() -> None:
    assert ("dicembre 2023", "DATE", "date:2023-12") in spans("Nel dicembre 2023, il governo ha deciso.", "it")
    assert ("décembre", "DATE", "date:month-12") in spans("Le Japon a annoncé, en décembre, un plan.", "fr")
    assert ("vendredi", "DATE", "date:weekday-5") in spans("Ils ont déclaré vendredi qu'ils partaient.", "fr")
    assert ("5 January 2018", "DATE", "date:2018-01-05") in spans("It opened on 5 January 2018 in Leeds.", "en")
    assert ("5. Januar 2018", "DATE", "date:2018-01-05") in spans("Am 5. Januar 2018 war es kalt.", "de")
    assert ("5 de enero de 2018", "DATE", "date:2018-01-05") in spans("El 5 de enero de 2018 llovió.", "es")
    assert not [s for s in spans("Il a déclaré le mois dernier que oui.", "fr") if s[1] == "DATE"]
    assert not [s for s in spans("I may go. We march on.", "en") if s[1] == "DATE"]


def test_titles_and_articles_are_not_part_of_names() -> None:
    it = spans("Il Ministro della Difesa francese Sebastien Lecornu e il Presidente Emmanuel Macron a Parigi.", "it")
    assert ("Sebastien Lecornu", "PERSON", "person:sebastien-lecornu") in it
    assert ("Emmanuel Macron", "PERSON", "person:emmanuel-macron") in it
    assert not [s for s in it if "Ministro" in s[0] or "Difesa" in s[0]]
    fr = spans("Le président Emmanuel Macron a vu M. Kishida. Le Japon a signé avec l'Australie.", "fr")
    assert ("Kishida", "PERSON", "person:kishida") in fr
    assert ("Japon", "PLACE", "place:JP") in fr and ("Australie", "PLACE", "place:AU") in fr


def test_surname_links_to_the_full_name_of_the_same_text() -> None:
    text = "Mr Fumio Kishida spoke. Later, Kishida left for Tokyo with Mr. Jones."
    found = spans(text, "en")
    assert [s for s in found if s[0] == "Kishida"] == [("Kishida", "PERSON", "person:fumio-kishida")]
    assert ("Jones", "PERSON", "person:jones") in found


def test_countries_regions_orgs_in_every_language() -> None:
    cases = {
        "fr": "Le Royaume-Uni et le Groupe des Sept dans l'Indo-Pacifique.",
        "it": "Il Regno Unito e il Gruppo dei Sette nell'Indo-Pacifico.",
        "en": "The United Kingdom and the Group of Seven in the Indo-Pacific.",
        "de": "Das Vereinigte Königreich und die Gruppe der Sieben im Indopazifik.",
        "es": "El Reino Unido y el Grupo de los Siete en el Indo-Pacífico.",
    }
    for lang, text in cases.items():
        ids = [s[2] for s in spans(text, lang)]
        assert ids == ["place:GB", "org:g7", "place:indo-pacific"], (lang, ids)


def test_acronym_written_in_another_order_is_the_same_agreement() -> None:
    text = "Hanno firmato un RAA. Il RAA con l'Australia. Poi l'ARA con la Francia."
    found = spans(text, "it")
    assert [s[2] for s in found if s[0] in {"RAA", "ARA"}] == ["other:raa"] * 3
    assert ("UN", "ORG", "org:un") in spans("The UN met.", "en")
    assert not [s for s in spans("Un accord a été signé.", "fr") if s[0] == "Un"]


def test_cities_in_their_local_names() -> None:
    ids = {s[0]: s[2] for s in spans("Pechino, Londra, Parigi e Monaco di Baviera.", "it")}
    assert ids == {
        "Pechino": "place:CN-beijing",
        "Londra": "place:GB-london",
        "Parigi": "place:FR-paris",
        "Monaco di Baviera": "place:DE-munich",
    }
    assert spans("Pékin et Londres.", "fr")[0][2] == "place:CN-beijing"


def test_empty_and_odd_text() -> None:
    assert recognise("", "fr") == [] and recognise("", "it") == []
    assert recognise("\x1b[31m ... 123 !!", "en") == []
    assert isinstance(recognise("JAPON ET FRANCE", "xx"), list)
