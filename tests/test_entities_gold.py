"""Entity recognition on the two seed articles against hand-made gold lists (exact span and type), real spaCy."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tui.entities.gazetteer import gazetteer
from tui.entities.service import recognise
from tui.library.ingest import import_seeds
from tui.library.library import Library

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.usefixtures("diglot_home")


def gold_spans(text: str, gold: list[dict[str, str]]) -> set[tuple[int, int, str]]:
    """Offsets of each gold surface (whole word), searched in reading order after the previous one."""
    spans = set()
    pos = 0
    for item in gold:
        match = re.compile(rf"(?<!\w){re.escape(item['text'])}(?!\w)").search(text, pos)
        assert match is not None, f"gold entity {item['text']!r} not found after offset {pos}"
        spans.add((match.start(), match.end(), item["type"]))
        pos = match.end()
    return spans


def f1(predicted: set[tuple[int, int, str]], gold: set[tuple[int, int, str]]) -> tuple[float, float, float]:
    hits = len(predicted & gold)
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(gold) if gold else 0.0
    return precision, recall, (2 * precision * recall / (precision + recall) if hits else 0.0)


@pytest.fixture(scope="module")
def seed_texts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The seeds as the import room cleans and stores them (offsets are into Article.text)."""
    from tui.paths import resolve_paths

    paths = resolve_paths({"DIGLOT_HOME": str(tmp_path_factory.mktemp("seeds-home"))}).ensure()
    library = Library(paths)
    import_seeds(library.store)
    texts = {a.lang: a.text for a in library.store.iter_articles()}
    library.close()
    return texts


@pytest.mark.parametrize("lang", ["fr", "it"])
def test_seed_f1_at_least_090(seed_texts: dict[str, str], lang: str) -> None:
    gold_doc = json.loads((DATA / f"gold_seed_{lang}.json").read_text(encoding="utf-8"))
    text = seed_texts[lang]
    gold = gold_spans(text, gold_doc["entities"])
    predicted = {(m.start, m.end, m.type) for m in recognise(text, lang)}
    precision, recall, score = f1(predicted, gold)
    missed = sorted(gold - predicted)
    extra = sorted(predicted - gold)
    assert score >= 0.9, (precision, recall, [text[a:b] for a, b, _ in missed], [text[a:b] for a, b, _ in extra])


def test_mentions_carry_their_text(seed_texts: dict[str, str]) -> None:
    for lang, text in seed_texts.items():
        for m in recognise(text, lang):
            assert text[m.start : m.end] == m.text
            assert m.entity_id


def test_japan_links_to_one_id_in_every_language() -> None:
    ids = {
        recognise(text, lang)[0].entity_id
        for text, lang in (
            ("Le Japon a signé.", "fr"),
            ("Il Giappone ha firmato.", "it"),
            ("Japan signed.", "en"),
            ("Japan hat unterzeichnet.", "de"),
            ("Japón firmó.", "es"),
        )
    }
    assert ids == {"place:JP"}
    assert {gazetteer().lookup(n).id for n in ("Royaume-Uni", "Regno Unito", "United Kingdom")} == {"place:GB"}


def test_same_people_and_places_across_the_two_seeds(seed_texts: dict[str, str]) -> None:
    fr = {m.entity_id for m in recognise(seed_texts["fr"], "fr")}
    it = {m.entity_id for m in recognise(seed_texts["it"], "it")}
    for ident in (
        "place:JP",
        "place:FR",
        "place:FR-paris",
        "person:fumio-kishida",
        "person:emmanuel-macron",
        "person:sebastien-lecornu",
        "org:g7",
        "other:raa",
        "place:indo-pacific",
        "other:ww2",
    ):
        assert ident in fr and ident in it, ident
