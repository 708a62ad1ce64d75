"""The library screen: samples at start, search as you type, no-hit message, opening an article, keymap, help."""

from __future__ import annotations

from pathlib import Path

from test_app_support import list_titles, screen_text, settle, wait_for
from textual.widgets import Input

from tui.app.app import DiglotApp
from tui.app.screens.help import HelpScreen
from tui.app.screens.library import LibraryScreen
from tui.app.screens.reader import ReaderScreen
from tui.app.widgets.article_list import ArticleList
from tui.library.library import Library
from tui.library.model import ArticleDraft
from tui.paths import current_paths
from tui.pipeline import open_library, sync


async def test_library_shows_both_samples_at_start(diglot_home: Path) -> None:
    app = DiglotApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        titles = list_titles(pilot)
        assert len(titles) == 2
        assert {row.lang for row in app.screen.query_one(ArticleList).loaded_rows()} == {"fr", "it"}
        text = screen_text(pilot)
        assert "Le Japon et la France" in text
        assert "Francia e Giappone" in text
        assert "2 articles" in text


async def test_typing_a_name_finds_both_samples(diglot_home: Path) -> None:
    app = DiglotApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        assert app.screen.query_one("#search", Input).has_focus
        await pilot.press(*"Kishida")
        # Results as you type: no Enter, each key runs (or queues) the query.
        articles = app.screen.query_one(ArticleList)
        await wait_for(pilot, lambda: articles.row_height == 2 and articles.total == 2)
        await settle(pilot)
        text = screen_text(pilot)
        assert "2 hits" in text
        assert text.count("Kishida") >= 2  # one highlighted snippet per hit
        rows = articles.loaded_rows()
        assert {row.lang for row in rows} == {"fr", "it"}
        assert all(row.snippet and "Kishida" in row.snippet for row in rows)
        for row in rows:
            assert any(row.snippet[a:b].lower() == "kishida" for a, b in row.highlights)


async def test_latest_query_wins(diglot_home: Path) -> None:
    app = DiglotApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"Hiroshima")
        await pilot.press(*(["backspace"] * len("Hiroshima")), *"Ucraina", "enter")
        await settle(pilot)
        rows = app.screen.query_one(ArticleList).loaded_rows()
        assert [row.lang for row in rows] == ["it"]  # only the Italian text names Ukraine as "Ucraina"


async def test_query_without_hits_shows_a_message(diglot_home: Path) -> None:
    app = DiglotApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"zzyzxqwv", "enter")
        await settle(pilot)
        assert app.screen.query_one(ArticleList).total == 0
        assert "No articles match zzyzxqwv" in screen_text(pilot)


async def test_enter_opens_the_reader_and_escape_goes_back(diglot_home: Path) -> None:
    app = DiglotApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        first = app.screen.query_one(ArticleList).current
        assert first is not None
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.article_id == first.article_id
        assert first.title[:20] in screen_text(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)


async def test_facet_filter_by_language(diglot_home: Path) -> None:
    app = DiglotApp()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        facets = screen.query_one("#facets")
        assert facets.display  # wide enough for the side panel
        facets.focus()
        await pilot.pause()
        # The first selectable option is the first language.
        await pilot.press("down", "enter")
        await settle(pilot)
        assert len(screen.filters) == 1
        assert len(list_titles(pilot)) == 1
        await pilot.press("x")
        await settle(pilot)
        assert screen.filters == {}
        assert len(list_titles(pilot)) == 2


async def test_hostile_titles_and_text_are_shown_literally(diglot_home: Path) -> None:
    library = open_library()
    draft = ArticleDraft(source_key="hostile", raw="x", title="Evil \x1b[31mred[bold]x[/bold]", lang="en")
    library.store.save(draft, ["Plain \x1b[31mred and [bold]x[/bold] and [link=http://e.x]y[/link]."], "en",
                       "Evil \x1b[31mred [bold]x[/bold]")
    sync(library)
    library.close()
    app = DiglotApp()
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        text = screen_text(pilot)
        assert "Evil ␛[31mred [bold]x[/bold]" in text
        assert "\x1b" not in text
        articles = app.screen.query_one(ArticleList)
        index = next(i for i, row in enumerate(articles.loaded_rows()) if row.title.startswith("Evil"))
        articles.cursor = index
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(pilot)
        assert "Plain ␛[31mred and [bold]x[/bold] and [link=http://e.x]y[/link]." in text
        assert "\x1b" not in text


async def test_many_articles_page_lazily(diglot_home: Path) -> None:
    library = Library()
    for n in range(450):
        library.store.save(ArticleDraft(source_key=f"bulk-{n}", raw="x"), [f"Body number {n}."], "en",
                           f"Bulk article {n:04d}")
    library.close()
    app = DiglotApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        articles = app.screen.query_one(ArticleList)
        assert articles.total == 450  # the samples come only into an empty library
        assert len(articles.loaded_rows()) <= 200  # only the first page(s), not every row
        await pilot.press("end")
        await settle(pilot)
        assert articles.current is not None
        assert len(articles.loaded_rows()) < 450


async def test_keymap_override_from_config_file(diglot_home: Path) -> None:
    config = current_paths().config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[keys]\n"app.help" = "h"\n"library.search" = "ctrl+f"\n', encoding="utf-8")
    app = DiglotApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        assert app.screen.query_one("#search", Input).has_focus
        await pilot.press("escape")  # back to the list
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "ctrl+f" in screen_text(pilot).lower() or "^f" in screen_text(pilot)


async def test_broken_config_file_is_a_notification(diglot_home: Path) -> None:
    config = current_paths().config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("[keys\n", encoding="utf-8")
    app = DiglotApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert any("settings file" in n.message for n in app._notifications)  # noqa: SLF001
        assert len(list_titles(pilot)) == 2


async def test_help_screen_lists_keys(diglot_home: Path) -> None:
    app = DiglotApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(pilot)
        assert "Diglot help" in text
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)


async def test_no_color_is_respected(diglot_home: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("NO_COLOR", "1")
    app = DiglotApp()
    assert app.no_color
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert len(list_titles(pilot)) == 2


async def test_first_paint_does_not_wait_for_the_library(diglot_home: Path, monkeypatch) -> None:  # noqa: ANN001
    import threading

    from tui.app import core

    real = core.open_library
    release = threading.Event()

    def slow_open(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(core, "open_library", slow_open)
    app = DiglotApp(analyse_on_open=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "Preparing the library" in screen_text(pilot))
        # Painted, with a progress line, while seeding and indexing wait.
        assert "Importing the sample articles" in screen_text(pilot)
        release.set()
        await settle(pilot)
        assert len(list_titles(pilot)) == 2
        assert "Preparing the library" not in screen_text(pilot)


async def test_list_shows_before_the_index_is_synced(diglot_home: Path, monkeypatch) -> None:  # noqa: ANN001
    import threading

    from tui.app import core

    open_library().close()  # not the first start: the samples are stored
    real = core.open_library
    release = threading.Event()

    def slow_open(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(core, "open_library", slow_open)
    app = DiglotApp(analyse_on_open=False)
    async with app.run_test(size=(80, 24)) as pilot:
        # Both at once: the rows are painted while the index sync is still held.
        await wait_for(pilot, lambda: "Preparing the library" in (text := screen_text(pilot))
                       and "Le Japon et la France" in text and "Francia e Giappone" in text)
        release.set()
        await settle(pilot)
        assert "Preparing the library" not in screen_text(pilot)


async def test_first_frame_has_the_rows_when_the_store_opens_in_time(diglot_home: Path, monkeypatch) -> None:  # noqa: ANN001
    from tui.app.screens import library as library_screen

    open_library().close()  # not the first start
    monkeypatch.setattr(library_screen, "FIRST_PAGE_WAIT_S", 10.0)  # "in time", however slow the test machine

    def no_worker(self) -> None:  # noqa: ANN001
        raise AssertionError("the store was read before the screen mounted: no worker round trip expected")

    monkeypatch.setattr(LibraryScreen, "_open_library", no_worker)
    painted: list[tuple[int, bool]] = []
    render_line = ArticleList.render_line

    def spy(self: ArticleList, y: int):  # noqa: ANN202
        if not painted:
            painted.append((len(self._rows), self.has_focus))  # noqa: SLF001
        return render_line(self, y)

    monkeypatch.setattr(ArticleList, "render_line", spy)
    app = DiglotApp(analyse_on_open=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert painted[0] == (2, True)  # the list's very first paint: both rows, and the keys go to the list
        assert len(list_titles(pilot)) == 2
        assert "Le Japon et la France" in screen_text(pilot)


async def test_a_slow_store_open_paints_the_screen_then_the_rows(diglot_home: Path, monkeypatch) -> None:  # noqa: ANN001
    import threading

    from tui.app import core
    from tui.app.screens import library as library_screen

    open_library().close()
    real = core.open_store_with_page
    release = threading.Event()

    def slow(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(core, "open_store_with_page", slow)
    monkeypatch.setattr(library_screen, "FIRST_PAGE_WAIT_S", 0.01)
    app = DiglotApp(analyse_on_open=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "Opening the library" in screen_text(pilot))
        assert app.screen.query_one(ArticleList).has_focus
        release.set()
        await settle(pilot)
        assert len(list_titles(pilot)) == 2
        assert "Opening the library" not in screen_text(pilot)


async def test_command_palette_runs_a_screen_action(diglot_home: Path) -> None:
    from textual.command import CommandPalette

    app = DiglotApp(analyse_on_open=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.query_one("#facets").display
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Filters")
        for _ in range(50):
            await pilot.pause(0.02)
            if "Show or hide the facet panel" in screen_text(pilot):
                break
        assert "Show or hide the facet panel" in screen_text(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert not screen.query_one("#facets").display


def test_config_keys_accept_dotted_and_nested_forms(tmp_path: Path) -> None:
    from tui.app.config import load_config

    path = tmp_path / "config.toml"
    path.write_text('[keys]\n"app.help" = "h"\nreader.side = "b"\n[ui]\ntheme = "nord"\n[reader]\nview = "side"\n',
                    encoding="utf-8")
    config = load_config(path)
    assert config.keys == {"app.help": "h", "reader.side": "b"}
    assert config.theme == "nord"
    assert config.view == "side"


async def test_sort_key_cycles_the_order(diglot_home: Path) -> None:
    app = DiglotApp(analyse_on_open=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "sorted by newest first" in screen_text(pilot)
        before = list_titles(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert "sorted by title" in screen_text(pilot)
        assert list_titles(pilot) == sorted(before, key=str.lower)


async def test_a_damaged_library_is_a_message_not_a_traceback(diglot_home: Path) -> None:
    db = current_paths().db
    db.parent.mkdir(parents=True, exist_ok=True)
    db.write_bytes(b"this is not a database at all")
    app = DiglotApp(analyse_on_open=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "not a SQLite database" in screen_text(pilot)
        assert app.library is None
        await pilot.press("q")
        assert app.return_code == 0  # set by exit(): q quit


async def test_q_quits(diglot_home: Path) -> None:
    app = DiglotApp(analyse_on_open=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.return_code is None
        await pilot.press("q")
        assert app.return_code == 0
