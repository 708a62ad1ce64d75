"""The entities service on a real store: analysis, stored mentions and entities, lookups, related articles."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tui.entities import service
from tui.errors import Cancelled, NotFoundError
from tui.library.ingest import import_seeds
from tui.library.library import Library
from tui.library.store import Store
from tui.progress import CancelToken, Progress

FR, IT = "000_2d6c18cd48965ace", "002_555e5ba141d07459"


@pytest.fixture
def store(diglot_home: Path) -> Store:
    library = Library()
    import_seeds(library.store)
    yield library.store
    library.close()


def _add_translation(store: Store, article_id: str, target: str, text: str) -> None:
    article = store.get(article_id)
    with store.transaction() as conn:
        conn.execute(
            "INSERT OR REPLACE INTO article_translations VALUES (?,?,?,?,?,?,?)",
            (article_id, target, article.content_hash, json.dumps([article.lang, target]), "[]", text, time.time()),
        )


def test_analyse_article_stores_mentions_entities_and_flags(store: Store) -> None:
    article = store.get(FR)
    revision = article.revision
    count = service.analyse_article(store, article)
    assert count == len(set(store.entity_ids(FR)))
    found = service.mentions(store, FR)
    assert found and all(article.text[m.start : m.end] == m.text for m in found)
    assert {"place:JP", "person:fumio-kishida", "org:g7", "other:raa"} <= {m.entity_id for m in found}
    assert store.summaries(ids=[FR])[0].entity_count == count
    assert store.get(FR).revision > revision  # the index must pick the entities up
    names = store.entity_names(FR)
    assert "Japon" in names and "Fumio Kishida" in names


def test_translation_layers_are_analysed_too(store: Store) -> None:
    text = "Japan and France agreed on Friday, Prime Minister Fumio Kishida said in Hiroshima."
    _add_translation(store, FR, "en", text)
    service.analyse_article(store, store.get(FR))
    english = service.mentions(store, FR, layer="en")
    assert [(m.text, m.entity_id) for m in english if m.type != "DATE"] == [
        ("Japan", "place:JP"),
        ("France", "place:FR"),
        ("Fumio Kishida", "person:fumio-kishida"),
        ("Hiroshima", "place:JP-hiroshima"),
    ]
    assert all(text[m.start : m.end] == m.text for m in english)
    japan = service.find_entity(store, "place:JP")
    assert japan is not None and "Japan" in japan.aliases["en"] and "Japon" in japan.aliases["fr"]


def test_analyse_all_progress_pending_and_cancel(store: Store) -> None:
    assert set(service.pending_ids(store)) == {FR, IT}
    seen: list[Progress] = []
    assert service.analyse_all(store, progress=seen.append) == 2
    assert seen[-1].done == seen[-1].total == 2
    assert service.pending_ids(store) == []
    _add_translation(store, IT, "en", "Japan and France.")
    assert service.pending_ids(store) == [IT]  # a new translation layer needs analysing
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        service.analyse_all(store, cancel=token, force=True)


def test_one_id_across_languages_and_lookups(store: Store) -> None:
    service.analyse_all(store)
    for name in ("Japon", "Giappone", "Japan", "place:JP", "japon"):
        entity = service.find_entity(store, name)
        assert entity is not None and entity.id == "place:JP", name
    assert service.find_entity(store, "Kishida").id == "person:fumio-kishida"
    assert service.find_entity(store, "M. Personne Inconnue") is None
    assert service.articles_naming(store, "place:JP") == [FR, IT]
    assert service.articles_naming(store, "person:sebastien-lecornu") == [FR, IT]  # "Sébastien"/"Sebastien"
    entities = dict((e.id, n) for e, n in service.article_entities(store, IT))
    assert entities["place:JP"] == 4 and entities["other:raa"] == 4  # three RAA and the one ARA


def test_related_articles_find_the_other_language(store: Store) -> None:
    service.analyse_all(store)
    assert service.related_articles(store, FR)[0][0] == IT
    assert service.related_articles(store, IT)[0][0] == FR
    with pytest.raises(NotFoundError):
        service.related_articles(store, "nope")


def test_numbers_are_language_independent() -> None:
    assert service.numbers("2 000 soldats et 1,5 milliard") == {"num:2000", "num:1.5"}
    assert service.numbers("2,000 troops and 1.5 billion") == {"num:2000", "num:1.5"}
    assert service.numbers("2.000 Soldaten, 832 Tote") == {"num:2000", "num:832"}


def test_related_uses_english_translations_when_both_have_one(store: Store) -> None:
    _add_translation(store, FR, "en", "Japan and France agreed to deepen defence cooperation, Fumio Kishida said.")
    _add_translation(store, IT, "en", "France and Japan agreed to start talks on defence cooperation with Kishida.")
    service.analyse_all(store)
    (first, score), *_ = service.related_articles(store, FR)
    assert first == IT and 0 < score <= 1
