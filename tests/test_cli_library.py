"""`diglot import`, `list` and `show` run through the real entry point, with DIGLOT_HOME in a tmp dir."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tui.cli.main import main

DATA = Path(__file__).parent / "data"
FRENCH = "000_2d6c18cd48965ace"
ITALIAN = "002_555e5ba141d07459"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def news(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    for name in ("note_meta.txt", "article.md", "feed.atom"):
        shutil.copy(DATA / name, folder / name)
    return folder


def test_first_start_seeds_the_library(diglot_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "list")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == [FRENCH, ITALIAN]  # date order, undated last
    assert lines[0].split()[1:3] == ["fr", "2023-05"]
    assert (diglot_home / "data" / "library.sqlite3").is_file()


def test_import_folder_then_again(diglot_home: Path, news: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "import", str(news))
    assert code == 0
    assert out.splitlines() == ["Imported 3, updated 0, unchanged 0, refused 0."]

    code, out, _ = run(capsys, "import", str(news))
    assert code == 0
    assert out.splitlines() == ["Imported 0, updated 0, unchanged 3, refused 0."]

    code, out, _ = run(capsys, "list", "--json")
    ids = {row["id"] for row in json.loads(out)}
    assert ids == {FRENCH, ITALIAN, "note_meta", "berlin-bibliothek", "harbour-reopens-after-storm"}


def test_import_json_report(diglot_home: Path, news: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "import", "--json", str(news / "note_meta.txt"))
    assert code == 0
    report = json.loads(out)
    assert report["imported"] == ["note_meta"]
    assert report["counts"] == {"imported": 1, "updated": 0, "unchanged": 0, "refused": 0, "skipped": 0}


def test_import_partial_and_total_refusal(
    diglot_home: Path, news: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad\x1b[31m.jsonl"
    bad.write_text('{"id": "j1", "text": "A good record.", "lang": "en"}\nnot json\n', encoding="utf-8")
    code, out, _ = run(capsys, "import", str(news / "note_meta.txt"), str(bad), str(tmp_path / "missing.txt"))
    assert code == 4
    lines = out.splitlines()
    assert lines[0] == "Imported 2, updated 0, unchanged 0, refused 2."
    assert lines[1] == "Refused:"
    assert lines[2] == f"  {tmp_path / 'missing.txt'}: no such file or folder"  # found before reading files
    # The file name's escape sequence is shown, never sent to the terminal.
    assert lines[3] == f"  {tmp_path}/bad\u241b[31m.jsonl:2: malformed JSON line (Expecting value, column 1)"
    assert "\x1b" not in out

    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, out, _ = run(capsys, "import", str(empty))
    assert code == 1
    assert out.splitlines() == ["Imported 0, updated 0, unchanged 0, refused 1.", "Refused:", f"  {empty}: empty file"]


def test_import_skipped_files_and_empty_folder(
    diglot_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "pics"
    folder.mkdir()
    (folder / "a.jpg").write_bytes(b"\xff\xd8\xff")
    code, out, _ = run(capsys, "import", str(folder))
    assert code == 1
    assert "Skipped 1 file(s)" in out and "No articles found." in out


def test_import_help_documents_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["import", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "exit codes:" in out and "4    some files or records were refused" in out


def test_list_filters_sorts_limits(diglot_home: Path, news: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "import", str(news))
    code, out, _ = run(capsys, "list", "--lang", "de")
    assert code == 0 and [line.split()[0] for line in out.splitlines()] == ["berlin-bibliothek"]

    code, out, _ = run(capsys, "list", "--sort", "title", "--json")
    titles = [row["title"] for row in json.loads(out)]
    assert titles == sorted(titles, key=str.casefold)

    code, out, err = run(capsys, "list", "--limit", "2")
    assert len(out.splitlines()) == 2 and "2 of 5 articles" in err

    code, out, _ = run(capsys, "list", "--lang", "xx")
    assert code == 0 and out == ""

    with pytest.raises(SystemExit):
        main(["list", "--limit", "-1"])


def test_show_article(diglot_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", FRENCH)
    assert code == 0
    lines = out.split("\n")
    assert lines[0] == "Le Japon et la France ont déclaré vendredi qu'ils souhaitaient approfondir leur…"
    assert lines[1] == f"id {FRENCH} · lang fr · date 2023-05"
    paragraphs = out.split("\n\n")[1:]
    assert len(paragraphs) == 16 and paragraphs[4] == (
        "Le Japon a signé des accords d'accès réciproque (RAA) avec l'Australie et le Royaume-Uni."
    )

    code, out, _ = run(capsys, "show", FRENCH, "--json")
    data = json.loads(out)
    assert data["id"] == FRENCH and len(data["paragraphs"]) == 16 and "raw" not in data

    code, out, _ = run(capsys, "show", FRENCH, "--raw")
    assert "pacifisme traditionnel.\n\npacifisme traditionnel." in out  # the text before cleanup

    code, out, _ = run(capsys, "show", FRENCH, "--json", "--raw")
    assert json.loads(out)["raw"].startswith("Le Japon et la France")


def test_show_unknown_id(diglot_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "show", "nope")
    assert code == 3 and out == ""
    assert err.startswith("diglot: No article with id 'nope'") and err.count("\n") == 1


def test_show_hostile_text_is_made_visible(
    diglot_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "evil.txt"
    path.write_text(
        "title: \x1b[2J[red]Pwned[/red]\n\nHello \x1b]8;;http://x\x07link\x1b]8;;\x07 [b]x[/b].", encoding="utf-8"
    )
    assert run(capsys, "import", str(path))[0] == 0
    code, out, _ = run(capsys, "show", "evil")
    assert code == 0 and "\x1b" not in out and "\x07" not in out
    assert out.splitlines()[0] == "[2J[red]Pwned[/red]"  # controls removed by cleanup, markup kept as text
    code, out, _ = run(capsys, "show", "evil", "--raw")
    assert "\x1b" not in out and "\u241b]8;;http://x\u2407link" in out  # raw keeps them: shown as symbols


def test_show_translated_options_are_checked(diglot_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "show", FRENCH, "--translated", "--json")
    assert code == 2 and "--json and --raw show the original" in err
    with pytest.raises(SystemExit):
        main(["show", FRENCH, "--translated", "--side-by-side"])


def test_show_dispatches_to_translate_view(
    diglot_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.cli.translate_view as view

    calls: list[tuple] = []
    monkeypatch.setattr(view, "print_translated", lambda lib, art, target: calls.append(("t", art.id, target)) or 0)
    monkeypatch.setattr(
        view, "print_side_by_side", lambda lib, art, target, width: calls.append(("s", art.id, target, width)) or 0
    )
    assert main(["show", FRENCH, "--translated"]) == 0
    assert main(["show", FRENCH, "--side-by-side", "--to", "IT", "--width", "90"]) == 0
    assert main(["show", ITALIAN, "--to", "de"]) == 0
    assert calls == [("t", FRENCH, "en"), ("s", FRENCH, "it", 90), ("t", ITALIAN, "de")]


def test_show_translated_for_real(
    diglot_home: Path,
    sealed_home: Path,
    tiny_packages,
    capsys: pytest.CaptureFixture[str],  # noqa: ANN001
) -> None:
    """With a tiny real Argos package (copies its input, "Japon" -> "Japan")."""
    from tui.translate.packages import install_package

    install_package(tiny_packages.map_fr_en)
    code, out, _ = run(capsys, "show", FRENCH, "--translated")
    assert code == 0
    assert out.startswith("Japan et la France") or out.startswith("Le Japan et la France")
    code, out, _ = run(capsys, "show", FRENCH, "--side-by-side", "--width", "100")
    assert code == 0 and all(len(line) <= 100 for line in out.splitlines()) and "\u2502" in out
