"""Hostile article content (escape sequences, control and bidi characters, Rich markup) is shown literally:
nothing reaches the terminal raw, in the CLI (`list`, `show`, `search`) or in the UI (Textual Pilot)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_reliability_support import ESC, HOSTILE, TERMINAL_UNSAFE, assert_clean_output

from tui.cli.main import main

TITLE = f"Le [bold]maire[/bold] {HOSTILE} [link=http://x]clic[/link]"
BODY = (
    f"Le ministre [bold]Dupont[/bold] a parlé hier soir à la mairie. {HOSTILE} fin de la phrase.\n\n"
    "Voir [link=http://x]ici[/link] et [red on white]rouge[/] puis \x1b[2J\x1b[H la suite du texte.\n\n"
    "Un paragraphe \x9b31m avec \x90 un DCS \x9d un OSC \x85 et \u202ed\u00e9tourn\u00e9\u202c pour finir."
)
SOURCE = "\x1b[31mAgence\x1b[0m [bold]Presse[/bold] \u202eesserp"


def write_hostile(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    records = [{"id": "hostile", "title": TITLE, "text": BODY, "source": SOURCE, "lang": "fr", "date": "2023-05-02"}]
    (folder / "hostile.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    (folder / "header.txt").write_text(
        "title \x1b]0;pwned\x07[bold]Titre[/bold] \x1b[5mclignote\n\nLe préfet [italic]Martin[/italic] a signé"
        " l'arrêté \x1b]8;;http://evil\x1b\\lien\x1b]8;;\x1b\\ ce matin.\n",
        encoding="utf-8",
    )
    return folder


def check_literal(text: str) -> None:
    assert_clean_output(text)
    assert ESC not in text
    assert "[bold]" in text


def test_cli_list_show_search_are_literal(
    diglot_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_hostile(tmp_path / "in")
    assert main(["import", str(folder)]) == 0
    out, err = capsys.readouterr()
    assert_clean_output(out, err)

    assert main(["list", "--limit", "0"]) == 0
    out, err = capsys.readouterr()
    check_literal(out)
    assert_clean_output(err)
    assert "[link=http://x]clic[/link]" in out
    assert "[bold]Titre[/bold]" in out

    for args in (["show", "hostile"], ["show", "hostile", "--raw"], ["show", "header"]):
        assert main(args) == 0
        out, err = capsys.readouterr()
        check_literal(out)
        assert_clean_output(err)
    assert main(["show", "hostile"]) == 0
    out = capsys.readouterr().out
    assert "[bold]Dupont[/bold]" in out and "[link=http://x]ici[/link]" in out and "[red on white]rouge[/]" in out
    assert "Presse" in out  # the source line
    assert main(["show", "hostile", "--raw"]) == 0
    raw = capsys.readouterr().out
    assert "␛]0;pwned␇" in raw  # the raw text shows its escape sequences as visible symbols

    for query in ("Dupont", "maire", "Martin", "Presse OR rouge"):
        assert main(["search", query]) == 0, query
        out, err = capsys.readouterr()
        check_literal(out)
        assert_clean_output(err)
    assert main(["search", "Dupont"]) == 0
    assert "[bold]Dupont[/bold]" in capsys.readouterr().out  # in the snippet, not turned into bold

    # JSON output escapes control characters (ESC is written as \u001b, never as a raw byte).
    for args in (["list", "--json"], ["show", "hostile", "--json", "--raw"], ["search", "--json", "Dupont"]):
        assert main(args) == 0
        out, err = capsys.readouterr()
        assert_clean_output(out, err)  # json escapes C0 controls; C1 controls and bidi overrides too
        assert "[bold]" in out and json.loads(out)


def test_cli_subprocess_output_is_literal(tmp_path: Path) -> None:
    """The same through a real `diglot` process writing to pipes (what a terminal would receive)."""
    from test_reliability_support import run_diglot

    folder = write_hostile(tmp_path / "in")
    home = tmp_path / "home"
    assert run_diglot(home, "import", str(folder)).returncode == 0
    for args in (("list",), ("show", "hostile"), ("show", "hostile", "--raw"), ("search", "Dupont")):
        result = run_diglot(home, *args)
        assert result.returncode == 0, result.stderr
        check_literal(result.stdout)
        assert_clean_output(result.stderr)


async def test_ui_shows_markup_and_escapes_literally(diglot_home: Path, tmp_path: Path) -> None:
    pytest.importorskip("tui.app.app")
    from test_app_support import settle, wait_for
    from textual.widgets import Input

    from tui.app.app import DiglotApp
    from tui.app.screens.reader import ReaderScreen
    from tui.app.widgets.article_list import ArticleList
    from tui.pipeline import import_and_index, open_library

    library = open_library()
    try:
        import_and_index(library, [write_hostile(tmp_path / "in")])
    finally:
        library.close()

    def screen_text(app: DiglotApp) -> str:
        strips = app.screen._compositor.render_strips()  # noqa: SLF001 - what the terminal gets, as text
        return "\n".join(strip.text for strip in strips)

    app = DiglotApp(analyse_on_open=False)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        shown = screen_text(app)
        check_literal(shown)
        assert "Le [bold]maire[/bold]" in shown  # the list row, literally
        assert app.title == "Diglot" and "pwned" not in (app.sub_title or "")

        # Search as you type: the hit's snippet is literal too.
        await pilot.press("slash", *"Dupont")
        articles = app.screen.query_one(ArticleList)
        await wait_for(pilot, lambda: articles.total == 1 and articles.row_height == 2)
        await settle(pilot)
        shown = screen_text(app)
        check_literal(shown)
        assert "[bold]Dupont[/bold]" in shown

        app.screen.query_one("#search", Input).value = ""
        await settle(pilot)
        app.open_article("hostile")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        shown = screen_text(app)
        check_literal(shown)
        assert "[bold]Dupont[/bold]" in shown and "[link=http://x]ici[/link]" in shown
        svg = app.export_screenshot()
        assert ESC not in svg and not any(c in svg for c in TERMINAL_UNSAFE if c not in "\n\t")
        assert "[bold]" in svg
