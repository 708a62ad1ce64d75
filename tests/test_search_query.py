"""Queries: languages, accents, elisions, phrases, filters, fuzzy, facets, did-you-mean, malformed input."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_search_index import save_seeds, save_text  # tests/ is on sys.path (rootdir import mode)

from tui.cli.main import main
from tui.errors import UsageError
from tui.library.store import Store
from tui.search.highlight import match_spans
from tui.search.indexer import sync_index
from tui.search.searcher import Searcher, SearchResults

SECURITY_FR = (
    "Le gouvernement renforce la sécurité des frontières.\n\n"
    "Les ministres ont discuté de l'accès aux ports et de la sécurité maritime."
)
ELECTION_EN = "The government called an early election after the budget vote failed."
WAHL_DE = "Die Regierung hat die Wahl auf den Herbst verschoben."
ELECCION_ES = "El gobierno convocó elecciones anticipadas para el otoño."


@pytest.fixture(autouse=True)
def _home(diglot_home: Path) -> Path:
    """Every test gets its own DIGLOT_HOME (the shared index below lives in a pytest tmp dir too)."""
    return diglot_home


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """One library and index for the whole module (built once: the hypothesis test reuses it)."""
    root = tmp_path_factory.mktemp("search-world")
    store = Store(root / "library.sqlite3")
    fr, it = save_seeds(store)
    ids = {
        "fr": fr, "it": it,
        "security": save_text(store, "t:sec", "fr", SECURITY_FR, date="2019-03-02", source="Le Monde"),
        "election": save_text(store, "t:elec", "en", ELECTION_EN, date="2018-06-10", source="Reuters"),
        "wahl": save_text(store, "t:wahl", "de", WAHL_DE, date="2018-11-01", source="Reuters"),
        "eleccion": save_text(store, "t:elecc", "es", ELECCION_ES, date="2021-01-15", source="El País"),
    }
    sync_index(store, root / "index")
    searcher = Searcher(root / "index", store=store)
    yield {"searcher": searcher, "ids": ids, "store": store}
    searcher.close()
    store.close()


def hits(world: dict[str, object], query: str, **kw: object) -> list[str]:
    searcher = world["searcher"]
    assert isinstance(searcher, Searcher)
    return [h.article_id for h in searcher.search(query, limit=50, **kw).hits]


def ids(world: dict[str, object]) -> dict[str, str]:
    return world["ids"]  # type: ignore[return-value]


def test_a_name_finds_both_languages(world) -> None:
    assert set(hits(world, "Kishida")) == {ids(world)["fr"], ids(world)["it"]}


def test_accents_do_not_matter(world) -> None:
    assert hits(world, "securite") == [ids(world)["security"]]
    assert hits(world, "sécurité") == [ids(world)["security"]]
    assert hits(world, "SECURITE") == [ids(world)["security"]]


def test_stemming_per_language(world) -> None:
    assert hits(world, "exercice lang:fr") == [ids(world)["fr"]]  # "exercices" in the text
    assert hits(world, "esercitazione") == [ids(world)["it"]]  # "esercitazioni" in the text
    assert ids(world)["election"] in hits(world, "elections")


def test_elisions(world) -> None:
    assert ids(world)["fr"] in hits(world, "accès")  # the text says "d'accès"
    assert ids(world)["security"] in hits(world, "acces")  # "l'accès"
    assert hits(world, "l’accès lang:fr")  # typographic apostrophe in the query


def test_phrase_with_elision(world) -> None:
    assert hits(world, '"accord d\'accès"') == [ids(world)["fr"]]
    assert hits(world, '"accès accord"') == []


def test_stop_words_and_les(world) -> None:
    with pytest.raises(UsageError, match="stop words"):
        world["searcher"].search("les")
    with pytest.raises(UsageError):
        world["searcher"].search("le la les des")


def test_stop_word_of_one_language_does_not_hide_another(world) -> None:
    # "the" is an English stop word: it must not be required in the French field either.
    assert hits(world, "the government") == [ids(world)["election"]]
    assert hits(world, '"die Regierung"') == [ids(world)["wahl"]]


def test_boolean_operators(world) -> None:
    both = set(hits(world, "Kishida"))
    assert set(hits(world, "Kishida AND Giappone")) == {ids(world)["it"]}
    assert set(hits(world, "Kishida NOT Giappone")) == {ids(world)["fr"]}
    assert set(hits(world, "Giappone OR Japon")) == both


def test_field_filters(world) -> None:
    assert hits(world, "Kishida lang:it") == [ids(world)["it"]]
    assert hits(world, "Kishida", lang="fr") == [ids(world)["fr"]]
    assert set(hits(world, "source:reuters")) == {ids(world)["election"], ids(world)["wahl"]}
    assert hits(world, "date:2019") == [ids(world)["security"]]
    assert hits(world, "date:2018-06") == [ids(world)["election"]]
    assert set(hits(world, "date:[2018 TO 2019]")) == {
        ids(world)["election"], ids(world)["wahl"], ids(world)["security"]}
    assert set(hits(world, "date:[2018-07 TO 2019-03]")) == {ids(world)["wahl"], ids(world)["security"]}
    assert hits(world, "year:2021") == [ids(world)["eleccion"]]
    assert set(hits(world, "date:[2020 TO]")) == {ids(world)["eleccion"], ids(world)["fr"]}
    assert hits(world, "date:[2018-06-01 TO 2018-06-30]") == [ids(world)["election"]]
    assert hits(world, "gobierno", filters={"source": "El País"}) == [ids(world)["eleccion"]]


def test_prefix_and_fuzzy(world) -> None:
    assert ids(world)["security"] in hits(world, "secur*")
    assert ids(world)["security"] in hits(world, "gouvernment~")
    assert ids(world)["wahl"] in hits(world, "Regirung~")
    assert set(hits(world, "Kishidda~")) == {ids(world)["fr"], ids(world)["it"]}


def test_every_word_is_required(world) -> None:
    assert hits(world, "Kishida zzqxwv") == []
    assert hits(world, "Kishida gobeirnoxx~") == []
    assert hits(world, "Kishida OR zzqxwv")


def test_did_you_mean(world) -> None:
    results = world["searcher"].search("gouvernment")
    assert results.suggestion == "gouvernement"
    assert world["searcher"].search("Kishidda").suggestion == "Kishida"
    assert world["searcher"].search("Kishida").suggestion is None


def test_facets_count_all_hits(world) -> None:
    results = world["searcher"].search("gouvernement OR government OR Regierung OR gobierno OR Kishida", limit=1)
    assert results.total == 6
    assert len(results.hits) == 1
    assert dict(results.facets["lang"]) == {"fr": 2, "it": 1, "en": 1, "de": 1, "es": 1}
    assert dict(results.facets["source"]) == {"Seeds": 2, "Reuters": 2, "Le Monde": 1, "El País": 1}
    assert dict(results.facets["year"]) == {"2018": 2, "2019": 1, "2021": 1, "2023": 1}


def test_paging(world) -> None:
    everything = hits(world, "gouvernement OR government OR Regierung OR gobierno OR Kishida")
    searcher = world["searcher"]
    page = searcher.search("gouvernement OR government OR Regierung OR gobierno OR Kishida", limit=2, offset=2)
    assert [h.article_id for h in page.hits] == everything[2:4]
    assert page.total == 6


def test_snippets_and_highlights(world) -> None:
    results = world["searcher"].search("sécurité")
    hit = results.hits[0]
    marked = [hit.snippet[a:b] for a, b in hit.highlights]
    assert marked == ["sécurité", "sécurité"]
    assert not hit.translated
    # Elided words: only the word itself is marked, not "d'".
    hit = world["searcher"].search("accès lang:fr").hits[0]
    assert all(hit.snippet[a:b].lower() == "accès" for a, b in hit.highlights)


def test_match_spans_for_the_reader() -> None:
    text = "La sécurité d'accès. Securite!"
    assert [text[a:b] for a, b in match_spans(text, "fr", "securite")] == ["sécurité", "Securite"]
    assert [text[a:b] for a, b in match_spans(text, "fr", "accès")] == ["accès"]
    assert [text[a:b] for a, b in match_spans(text, "fr", "secur*")] == ["sécurité", "Securite"]
    assert match_spans(text, "fr", "NOT securite") == []
    with pytest.raises(UsageError):
        match_spans(text, "fr", "foo:bar")


@pytest.mark.parametrize(
    "query",
    ['"unbalanced', "(unbalanced", "date:[2018 TO", "accord)", "]]][[[", '""', "AND", "OR OR", "NOT",
     "*", "?", "~", "x~9", "::", "lang:", "title:", "^^^", "\x00\x1b[31m", "secur* AND (", "a" * 400],
)
def test_odd_queries_never_crash(world, query: str) -> None:
    try:
        results = world["searcher"].search(query)
    except UsageError as err:
        assert "\n" not in str(err)
    else:
        assert isinstance(results, SearchResults)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("foo:bar", "Unknown field 'foo'"),
        ("x" * 600, "too long"),
        ("!!! ,,,", "Nothing to search for"),
        ("...", "Nothing to search for"),
        ("s*", "wildcard"),
        ("*ecurite", "wildcard"),
        ("date:yesterday", "not a date"),
        ("   ", "Empty query"),
    ],
)
def test_malformed_queries_are_usage_errors(world, query: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        world["searcher"].search(query)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=120))
def test_any_text_is_results_or_usage_error(world, text: str) -> None:
    try:
        results = world["searcher"].search(text)
    except UsageError as err:
        assert str(err) and "\n" not in str(err)
    else:
        assert isinstance(results, SearchResults)
        assert results.total >= len(results.hits)


# -- CLI -------------------------------------------------------------------------------------------------------
def test_cli_search_json(diglot_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "Kishida", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"query", "total", "hits", "facets", "suggestion"}
    assert data["total"] >= 2
    hit = data["hits"][0]
    assert set(hit) == {"id", "title", "lang", "date", "source", "score", "snippet", "highlights"}
    assert all(hit["snippet"][a:b] == "Kishida" for a, b in hit["highlights"])
    assert set(data["facets"]) == {"lang", "source", "year", "entity"}


def test_cli_search_text_and_exit_codes(diglot_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "Kishida", "--limit", "1"]) == 0
    out = capsys.readouterr().out
    assert "Kishida" in out and "match" in out
    assert main(["search", "zzqxwv"]) == 1
    assert main(["search", "foo:bar"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("diglot: Unknown field") and "Traceback" not in err


def test_cli_search_does_not_pass_escape_sequences(diglot_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tui.library.library import Library

    library = Library()
    save_text(library.store, "t:evil", "en", "Harmless \x1b]0;pwned\x07 headline about walruses.")
    library.close()
    assert main(["search", "walruses"]) == 0
    assert "\x1b" not in capsys.readouterr().out


def test_cli_reindex(diglot_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "Kishida", "--json"]) == 0
    capsys.readouterr()
    assert main(["reindex"]) == 0
    assert "Indexed" in capsys.readouterr().err
    assert main(["search", "Kishida", "--json"]) == 0
