"""`diglot entities` and `diglot related` end to end (real store, real index, real spaCy)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tui.cli.main import main

FR, IT = "000_2d6c18cd48965ace", "002_555e5ba141d07459"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_entities_of_any_text_from_stdin(
    diglot_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("Il Giappone e la Francia.\nTokyo e Parigi, giovedì.\n"))
    code, out, _ = run(capsys, "entities", "--lang", "it", "-", "--lines")
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [[s["id"] for s in line["spans"]] for line in lines] == [
        ["place:JP", "place:FR"],
        ["place:JP-tokyo", "place:FR-paris", "date:weekday-4"],
    ]
    first = lines[0]["spans"][0]
    assert (first["start"], first["end"], first["type"], first["text"]) == (3, 11, "PLACE", "Giappone")


def test_entities_of_a_file_as_json_and_text(
    diglot_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Le Japon et M. Kishida.\x1b[31m", encoding="utf-8")
    code, out, _ = run(capsys, "entities", "--lang", "fr", str(path), "--json")
    assert code == 0 and [s["id"] for s in json.loads(out)["spans"]] == ["place:JP", "person:kishida"]
    code, out, _ = run(capsys, "entities", "--lang", "fr", str(path))
    assert code == 0 and "place:JP" in out and "\x1b" not in out
    code, _, err = run(capsys, "entities", "--lang", "fr", str(tmp_path / "missing.txt"))
    assert code == 2 and "No such file" in err and "Traceback" not in err


def test_analyse_then_article_entities_and_related(diglot_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "entities", "--analyse", "--json")
    assert code == 0 and json.loads(out) == {"analysed": 2}
    code, out, _ = run(capsys, "entities", "--analyse", "--json")
    assert json.loads(out) == {"analysed": 0}  # nothing changed
    code, out, _ = run(capsys, "entities", IT, "--json")
    data = json.loads(out)
    by_id = {e["id"]: e for e in data["entities"]}
    assert by_id["place:JP"]["count"] == 4 and "Giappone" in by_id["place:JP"]["aliases"]["it"]
    assert "Japon" in by_id["place:JP"]["aliases"]["fr"]  # aliases gathered from the French article too
    code, out, _ = run(capsys, "entities", FR)
    assert code == 0 and "Fumio Kishida" in out and "[place:JP]" in out
    code, out, _ = run(capsys, "related", FR, "--json")
    assert code == 0 and json.loads(out)["related"][0]["id"] == IT
    code, out, _ = run(capsys, "related", FR)
    assert IT in out
    # The search index received the entity ids.
    from tui.paths import current_paths
    from tui.search.searcher import search

    results = search(current_paths().index, "entity:place:JP")
    assert {h.article_id for h in results.hits} >= {FR, IT}


def test_usage_errors_are_one_line(diglot_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        ["entities"],
        ["entities", "--lines", "x"],
        ["entities", "--analyse", "ID"],
        ["entities", "--lang", "fr"],
    ):
        code, _, err = run(capsys, *argv)
        assert code == 2 and err.count("\n") == 1, argv
    code, _, err = run(capsys, "entities", "nope")
    assert code == 3 and "nope" in err
    code, _, err = run(capsys, "related", "nope")
    assert code == 3
