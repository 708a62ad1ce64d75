"""Each import format end to end: real files in tmp dirs (or tests/data), a real store."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.library.importers import FEED, HTML, JSON, JSONL, MARKDOWN, TEXT, choose
from tui.library.ingest import import_paths, import_seeds
from tui.library.model import Article
from tui.library.store import Store

DATA = Path(__file__).parent / "data"


@pytest.fixture
def store(diglot_home: Path, tmp_path: Path) -> Iterator[Store]:
    db = Store(tmp_path / "library.sqlite3")
    yield db
    db.close()


def only(store: Store) -> Article:
    ids = store.all_ids()
    assert len(ids) == 1, ids
    return store.get(ids[0])


def by_key(store: Store) -> dict[str, Article]:
    return {a.source_key: a for a in store.iter_articles()}


def copy(name: str, folder: Path, new_name: str | None = None) -> Path:
    target = folder / (new_name or name)
    shutil.copy(DATA / name, target)
    return target


# -- plain text ------------------------------------------------------------------------------------------------
def test_text_with_metadata_lines(store: Store, tmp_path: Path) -> None:
    path = copy("note_meta.txt", tmp_path)
    report = import_paths(store, [path])
    assert report.imported == ["note_meta"] and not report.refused
    article = only(store)
    assert article.source_key == f"file:{path.resolve()}"
    assert (article.title, article.date, article.lang, article.source) == (
        "Un pont rouvre à Lyon",
        "2023-05-19",
        "fr",
        "Le Petit Lyonnais",
    )
    assert article.paragraphs == [
        "Le pont Lafayette a rouvert lundi après deux ans de travaux, a annoncé la mairie.",
        "Les cyclistes disposent désormais d'une voie séparée sur toute la longueur de l'ouvrage.",
    ]


def test_metadata_key_then_text_on_the_same_line(store: Store, tmp_path: Path) -> None:
    """The French seed starts with " date 2023-05 Le Japon ...": the date is metadata, the rest is text."""
    path = tmp_path / "same-line.txt"
    path.write_text(" date 2023-05 Le Japon et la France ont parlé vendredi.\n\nDeuxième paragraphe.", encoding="utf-8")
    import_paths(store, [path])
    article = only(store)
    assert article.date == "2023-05"
    assert article.paragraphs == ["Le Japon et la France ont parlé vendredi.", "Deuxième paragraphe."]
    assert article.title == "Le Japon et la France ont parlé vendredi"


def test_prose_starting_with_a_key_word_is_not_metadata(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "prose.txt"
    path.write_text("Date night is back in fashion, say restaurant owners in Leeds.\n", encoding="utf-8")
    import_paths(store, [path])
    article = only(store)
    assert article.date is None
    assert article.paragraphs == ["Date night is back in fashion, say restaurant owners in Leeds."]


def test_seeds(store: Store) -> None:
    report = import_seeds(store)
    assert sorted(report.imported) == ["000_2d6c18cd48965ace", "002_555e5ba141d07459"]
    french, italian = store.get("000_2d6c18cd48965ace"), store.get("002_555e5ba141d07459")
    assert (french.lang, french.date) == ("fr", "2023-05")
    assert french.title == "Le Japon et la France ont déclaré vendredi qu'ils souhaitaient approfondir leur…"
    assert len(french.paragraphs) == 16
    assert (italian.lang, italian.date) == ("it", None)
    assert italian.title.startswith("Francia e Giappone hanno concordato giovedì")
    assert len(italian.title) <= 81 and italian.title.endswith("…")


def test_language_detected_when_not_given(store: Store, tmp_path: Path) -> None:
    texts = {
        "en.txt": "The government announced on Friday that the new bridge would open to traffic next spring.",
        "de.txt": "Die Regierung kündigte am Freitag an, dass die neue Brücke im nächsten Frühjahr eröffnet wird.",
        "es.txt": "El gobierno anunció el viernes que el nuevo puente se abrirá al tráfico la próxima primavera.",
    }
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    import_paths(store, [tmp_path])
    assert {Path(a.source_key).stem: a.lang for a in store.iter_articles()} == {"en": "en", "de": "de", "es": "es"}


def test_given_language_wins_over_detection(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "labelled.txt"
    path.write_text("lang it\n\nThis text is in English but its file says Italian.", encoding="utf-8")
    import_paths(store, [path])
    assert only(store).lang == "it"


# -- Markdown ---------------------------------------------------------------------------------------------------
def test_markdown_with_front_matter(store: Store, tmp_path: Path) -> None:
    path = copy("article.md", tmp_path)
    report = import_paths(store, [path])
    assert report.imported == ["berlin-bibliothek"]
    article = only(store)
    assert (article.title, article.date, article.lang, article.source) == (
        "Berlin eröffnet neue Bibliothek",
        "2024-03-07",
        "de",
        "Stadtzeitung",
    )
    assert article.paragraphs == [
        "Die neue Zentralbibliothek in Berlin hat am Donnerstag ihre Türen geöffnet. Sie bietet Platz für eine "
        "Million Bücher und viele Leseplätze.",
        "- Öffnungszeiten: täglich von 8 bis 22 Uhr",
        "- Eintritt frei",
    ]


def test_markdown_with_broken_front_matter_is_refused(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "broken.md"
    path.write_text("---\ntitle: [unclosed\ndate: 2024\n---\n\nBody text here.\n", encoding="utf-8")
    report = import_paths(store, [path])
    assert store.count() == 0
    assert len(report.refused) == 1 and report.refused[0][0] == str(path)
    assert "front matter" in report.refused[0][1]


def test_markdown_yaml_cannot_run_code(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "evil.md"
    path.write_text("---\ntitle: !!python/object/apply:os.system ['echo pwned']\n---\n\nText.\n", encoding="utf-8")
    report = import_paths(store, [path])
    assert store.count() == 0 and report.refused


# -- JSON and JSON Lines ---------------------------------------------------------------------------------------
def test_json_array_with_bad_records(store: Store, tmp_path: Path) -> None:
    path = copy("articles.json", tmp_path)
    report = import_paths(store, [path])
    assert sorted(report.imported) == ["es-1", "pt-1"]
    assert report.refused == [
        (f"{path}[2]", "no text field (text, body or content)"),
        (f"{path}[3]", "not an object but a string"),
    ]
    articles = by_key(store)
    spanish = articles[f"file:{path.resolve()}#es-1"]
    assert (spanish.lang, spanish.date, spanish.title, spanish.source) == (
        "es",
        "2022-11-03",
        "Madrid amplía el metro",
        "Diario de prueba",
    )
    assert spanish.paragraphs == [
        "El metro de Madrid abrirá tres estaciones nuevas el próximo año.",
        "Las obras costarán 200 millones de euros.",
    ]
    portuguese = articles[f"file:{path.resolve()}#pt-1"]
    assert (portuguese.lang, portuguese.date, portuguese.source) == ("pt", "2022", "Jornal de teste")
    assert len(portuguese.paragraphs) == 2


def test_json_single_object_and_wrapped_list(store: Store, tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"title": "Solo", "lang": "en", "date": "2021-02-03", "body": "A single article."}))
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text(json.dumps({"articles": [{"id": 7, "text": "Seventh article text.", "lang": "en"}]}))
    report = import_paths(store, [one, wrapped])
    assert not report.refused
    articles = by_key(store)
    assert articles[f"file:{one.resolve()}#0"].title == "Solo"
    assert articles[f"file:{wrapped.resolve()}#7"].paragraphs == ["Seventh article text."]
    assert report.imported == ["one", "7"]


def test_json_text_holding_html(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "scraped.json"
    html = "<p>First <b>paragraph</b>.</p><p>Second one.</p><script>x()</script>"
    record = {"id": "h1", "lang": "en", "content": html}
    path.write_text(json.dumps([record, {"id": "h2", "lang": "en", "text": "Maths: 1 < 2 and <b> stays."}]))
    import_paths(store, [path])
    assert store.get("h1").paragraphs == ["First paragraph.", "Second one."]
    assert store.get("h2").paragraphs == ["Maths: 1 < 2 and <b> stays."]


def test_jsonl_subset_of_ntrex(store: Store, tmp_path: Path) -> None:
    path = copy("ntrex_subset.jsonl", tmp_path)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    report = import_paths(store, [path])
    assert report.imported == [r["id"] for r in records] and not report.refused
    first = store.get(records[0]["id"])
    assert first.source_key == f"file:{path.resolve()}#{records[0]['id']}"
    assert (first.lang, first.title, first.date) == (records[0]["lang"], records[0]["title"], None)
    assert first.source == records[0]["source"]
    assert first.paragraphs[0] == records[0]["text"].split("\n")[0]


def test_jsonl_outlet_used_when_no_source(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "outlet.jsonl"
    path.write_text(json.dumps({"id": "x1", "lang": "en", "text": "Some text.", "outlet": "BBC"}) + "\n")
    import_paths(store, [path])
    assert store.get("x1").source == "BBC"


def test_jsonl_malformed_lines_refused_with_line_numbers(store: Store, tmp_path: Path) -> None:
    good = [json.dumps({"id": f"a{i}", "lang": "en", "text": f"Article number {i}."}) for i in range(3)]
    lines = [good[0], '{"id": "broken", "text": "no closing', "", good[1], "[1, 2]", good[2], '{"id": "x"} trailing']
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_paths(store, [path])
    assert report.imported == ["a0", "a1", "a2"]
    assert [where for where, _ in report.refused] == [f"{path}:2", f"{path}:5", f"{path}:7"]
    assert "malformed JSON line" in report.refused[0][1]
    assert report.refused[1][1] == "not an object but an array"


# -- HTML -------------------------------------------------------------------------------------------------------
def test_html_page(store: Store, tmp_path: Path) -> None:
    path = copy("page.html", tmp_path)
    report = import_paths(store, [path])
    assert report.imported == ["page"]
    article = only(store)
    assert (article.title, article.date, article.lang, article.source) == (
        "Venezia limita i turisti",
        "2024-04-25",
        "it",
        "Giornale di prova",
    )
    assert len(article.paragraphs) == 3
    assert article.paragraphs[0].startswith("Da giovedì i visitatori giornalieri di Venezia")
    text = article.text
    assert "tracking" not in text and "Home" not in text and "diritti riservati" not in text


def test_short_and_truncated_html(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "cut.html"
    path.write_text(
        "<html><head><title>Cut page</title></head><body><p>Only the first sentence survived.<p>And th",
        encoding="utf-8",
    )
    report = import_paths(store, [path])
    assert not report.refused
    article = only(store)
    assert article.title == "Cut page"
    assert article.paragraphs == ["Only the first sentence survived.", "And th"]


def test_html_without_text_is_refused(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><head><script>var a = 1;</script></head><body></body></html>", encoding="utf-8")
    report = import_paths(store, [path])
    assert report.refused == [(str(path), "no readable text in the page")]


# -- feeds ------------------------------------------------------------------------------------------------------
def test_rss_feed_each_entry_an_article(store: Store, tmp_path: Path) -> None:
    path = copy("feed.rss", tmp_path)
    report = import_paths(store, [path])
    assert report.imported == ["marseille-tramway", "nantes-arbres-2023"]
    tram = store.get("marseille-tramway")
    assert tram.source_key == f"file:{path.resolve()}#https://example.fr/2023/marseille-tramway.html"
    assert (tram.title, tram.date, tram.lang, tram.source) == (
        "Marseille inaugure un tramway",
        "2023-09-12",
        "fr",
        "Nouvelles de test",
    )
    assert tram.paragraphs == [
        "La nouvelle ligne de tramway relie le port à la gare Saint-Charles en douze minutes.",
        "Elle transportera, selon la métropole, quarante mille voyageurs par jour.",
    ]
    assert store.get("nantes-arbres-2023").source_key.endswith("#nantes-arbres-2023")


def test_atom_feed_with_html_title(store: Store, tmp_path: Path) -> None:
    path = copy("feed.atom", tmp_path)
    report = import_paths(store, [path])
    assert report.imported == ["harbour-reopens-after-storm"]
    article = only(store)
    assert (article.title, article.date, article.lang) == ("Harbour reopens after storm", "2024-01-02", "en")
    assert article.paragraphs == [
        "The harbour reopened on Tuesday after a storm damaged two of its piers last week.",
        "Ferries will resume their normal timetable on Friday.",
    ]


def test_truncated_feed_keeps_complete_entries(store: Store, tmp_path: Path) -> None:
    text = (DATA / "feed.rss").read_text(encoding="utf-8")
    cut = text[: text.index("<title>Nantes")]
    path = tmp_path / "cut.rss"
    path.write_text(cut, encoding="utf-8")
    report = import_paths(store, [path])
    assert "marseille-tramway" in report.imported
    assert store.count() == 1


def test_feed_with_latin1_declaration(store: Store, tmp_path: Path) -> None:
    xml = (
        '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Flux</title>'
        "<item><title>Été</title><guid>ete-1</guid><description>Un été très chaud à Besançon.</description>"
        "</item></channel></rss>"
    )
    path = tmp_path / "latin.rss"
    path.write_bytes(xml.encode("latin-1"))
    report = import_paths(store, [path])
    assert not report.refused
    assert store.get("ete-1").paragraphs == ["Un été très chaud à Besançon."]


def test_feed_never_fetches_anything(store: Store, tmp_path: Path) -> None:
    """Feed content that looks like a URL is parsed as content, never opened."""
    path = tmp_path / "url.rss"
    path.write_text("http://127.0.0.1:9/feed.xml", encoding="utf-8")
    report = import_paths(store, [path])
    assert store.count() == 0 and report.refused and report.refused[0][0] == str(path)


# -- choosing the importer --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("a.txt", "Just prose.", TEXT),
        ("a.txt", "<!DOCTYPE html><html><body><p>x</p></body></html>", HTML),
        ("a.txt", "[Reuters] A story that starts with a bracket.", TEXT),
        ("a.txt", "---\ntitle: x\n---\nbody", MARKDOWN),
        ("a.md", "# Heading\n\nText", MARKDOWN),
        ("a.json", '{"text": "a"}\n{"text": "b"}\n', JSONL),
        ("a.json", '{\n  "text": "a"\n}\n', JSON),
        ("a.jsonl", '[{"text": "a"}]', JSON),
        ("a.html", '<?xml version="1.0"?><rss version="2.0"></rss>', FEED),
        ("a.xml", "<?xml version='1.0'?>\n<!-- c -->\n<feed xmlns='http://www.w3.org/2005/Atom'></feed>", FEED),
        ("a.xml", "<html><head></head><body>x</body></html>", HTML),
        ("noext", '{"text": "a"}', JSON),
        ("noext", '{"text": "a"}\n{"text": "b"}', JSONL),
        ("noext", "<rss version='2.0'><channel></channel></rss>", FEED),
        ("noext", "Plain words.", TEXT),
        ("a.weird", "\ufeff<html><body>x</body></html>", HTML),
    ],
)
def test_choose_by_extension_and_content(name: str, content: str, expected: object) -> None:
    assert choose(Path(name), content) is expected


def test_content_decides_for_a_misnamed_file(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "really-jsonl.txt.json"
    path.write_text('{"id": "m1", "text": "One.", "lang": "en"}\n{"id": "m2", "text": "Two.", "lang": "en"}\n')
    report = import_paths(store, [path])
    assert report.imported == ["m1", "m2"]


def test_file_without_extension_is_sniffed(store: Store, tmp_path: Path) -> None:
    feed = tmp_path / "downloaded_feed"
    shutil.copy(DATA / "feed.rss", feed)
    report = import_paths(store, [feed])
    assert report.imported == ["marseille-tramway", "nantes-arbres-2023"]


# -- folders and globs ------------------------------------------------------------------------------------------
def test_folder_recursive_and_glob(store: Store, tmp_path: Path) -> None:
    root = tmp_path / "news"
    (root / "a" / "b").mkdir(parents=True)
    (root / ".hidden").mkdir()
    copy("note_meta.txt", root)
    copy("article.md", root / "a")
    copy("feed.atom", root / "a" / "b")
    (root / ".hidden" / "secret.txt").write_text("Hidden folders are not imported.")
    (root / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 100)
    report = import_paths(store, [root])
    assert sorted(report.imported) == ["berlin-bibliothek", "harbour-reopens-after-storm", "note_meta"]
    assert report.skipped == [str(root / "photo.jpg")] and not report.refused
    assert report.files == 3

    other = Store(tmp_path / "other.sqlite3")
    try:
        report = import_paths(other, [str(root / "**" / "*.md"), str(root / "*.txt")])
        assert sorted(report.imported) == ["berlin-bibliothek", "note_meta"]
    finally:
        other.close()


def test_missing_path_and_empty_glob(store: Store, tmp_path: Path) -> None:
    report = import_paths(store, [tmp_path / "nope.txt", str(tmp_path / "*.nothing")])
    assert report.refused == [
        (str(tmp_path / "nope.txt"), "no such file or folder"),
        (str(tmp_path / "*.nothing"), "no file matches this pattern"),
    ]
    assert report.total == 2 and report.accepted == 0


def test_same_file_named_twice_is_read_once(store: Store, tmp_path: Path) -> None:
    path = copy("note_meta.txt", tmp_path)
    report = import_paths(store, [path, tmp_path, str(tmp_path / "*.txt")])
    assert report.files == 1 and report.imported == ["note_meta"] and not report.unchanged


def test_report_as_dict_is_json(store: Store, tmp_path: Path) -> None:
    path = copy("articles.json", tmp_path)
    data = import_paths(store, [path]).as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["counts"] == {"imported": 2, "updated": 0, "unchanged": 0, "refused": 2, "skipped": 0}
    assert data["total"] == 4
    assert data["refused"][0] == {"input": f"{path}[2]", "reason": "no text field (text, body or content)"}
