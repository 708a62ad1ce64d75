"""The reader: o/t/s views with a real (tiny) Argos package, streaming, missing package hint, cursor."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from conftest_translate import TinyPackages
from test_app_support import reader_lines, screen_text, settle

from tui.app import core
from tui.app.app import DiglotApp
from tui.app.screens.reader import ReaderScreen
from tui.app.widgets.aligned import AlignedView
from tui.library.library import Library
from tui.paths import current_paths
from tui.pipeline import open_library


def _french_id() -> str:
    library = open_library()
    try:
        return next(s.id for s in library.store.summaries(limit=10) if s.lang == "fr")
    finally:
        library.close()


def _install(package: Path) -> None:
    from tui.translate.packages import install_package

    install_package(package, current_paths())


async def _open(pilot, article_id: str, query: str = "") -> ReaderScreen:  # noqa: ANN001
    await settle(pilot)
    pilot.app.open_article(article_id, query=query)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReaderScreen)
    return screen


async def test_views_switch_with_o_t_s(diglot_home: Path, sealed_home: Path, tiny_packages: TinyPackages) -> None:
    article_id = _french_id()
    _install(tiny_packages.marker_fr_en)
    app = DiglotApp()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, article_id)
        view = screen.query_one(AlignedView)
        assert view.mode == "original"
        original = reader_lines(pilot)
        assert original[0].startswith("Le Japon et la France")
        assert not any("[EN]" in line for line in original)

        await pilot.press("t")
        await settle(pilot)
        assert view.mode == "translation"
        lines = reader_lines(pilot)
        assert lines[0].startswith("[EN] Le Japon et la France")
        assert "fr → en" in screen_text(pilot)

        await pilot.press("s")
        await settle(pilot)
        assert view.mode == "side"
        lines = reader_lines(pilot)
        left, right = lines[0].split("│", 1)
        assert left.strip().startswith("Le Japon")
        assert right.strip().startswith("[EN] Le Japon")

        await pilot.press("o")
        await settle(pilot)
        assert reader_lines(pilot) == original


async def test_side_by_side_pairs_start_on_the_same_row(
    diglot_home: Path, sealed_home: Path, tiny_packages: TinyPackages
) -> None:
    article_id = _french_id()
    _install(tiny_packages.marker_fr_en)
    app = DiglotApp()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, article_id)
        await pilot.press("s")
        await settle(pilot)
        view = screen.query_one(AlignedView)
        lines = view.plain_lines()
        assert screen.doc is not None
        for index, (first, _last) in enumerate(view._sentence_lines):  # noqa: SLF001
            left, right = lines[first].split("│", 1)
            sentence = screen.doc.sentences[index]
            assert left.strip(), f"sentence {index} has no source on its first row"
            if sentence.target:
                assert right.strip().startswith("[EN]"), f"pair {index} does not start on the same row"
        # The cursor moves sentence by sentence and the status follows.
        await pilot.press("j", "j")
        assert view.cursor == 2
        assert "sentence 3/" in screen_text(pilot)
        await pilot.press("k")
        assert view.cursor == 1
        # Moving the cursor redraws two blocks only: the result equals a full rebuild.
        moved = [strip.text for strip in view._lines]  # noqa: SLF001
        cursor_bg = view.get_component_rich_style("aligned--cursor").bgcolor
        first, last = view._sentence_lines[1]  # noqa: SLF001
        assert all(any(seg.style and seg.style.bgcolor == cursor_bg for seg in view._lines[n])  # noqa: SLF001
                   for n in range(first, last + 1))
        old_first, _ = view._sentence_lines[2]  # noqa: SLF001
        assert not any(seg.style and seg.style.bgcolor == cursor_bg for seg in view._lines[old_first])  # noqa: SLF001
        view.rebuild()
        assert [strip.text for strip in view._lines] == moved  # noqa: SLF001


async def test_cached_translation_opens_at_once(diglot_home: Path, sealed_home: Path,
                                               tiny_packages: TinyPackages) -> None:
    article_id = _french_id()
    _install(tiny_packages.marker_fr_en)
    from tui.translate.service import translate_article

    library = Library()
    translate_article(library.store, library.store.get(article_id), "en")
    library.close()
    app = DiglotApp()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, article_id)
        assert screen.translation is not None
        await pilot.press("t")
        await pilot.pause()
        assert screen._job is None  # noqa: SLF001 - no translation job: the cached one is shown
        assert reader_lines(pilot)[0].startswith("[EN]")


async def test_missing_package_shows_install_hint(diglot_home: Path, sealed_home: Path) -> None:
    article_id = _french_id()
    app = DiglotApp()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, article_id)
        await pilot.press("s")
        await settle(pilot)
        notice = screen.notice_text()
        assert "No translation package for fr -> en" in notice
        assert "diglot models install" in notice
        assert "diglot models install" in screen_text(pilot)
        # The original stays readable next to the empty column.
        assert reader_lines(pilot)[0].startswith("Le Japon")


async def test_search_hits_are_marked_in_the_reader(diglot_home: Path) -> None:
    article_id = _french_id()
    app = DiglotApp()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, article_id, query="Kishida")
        assert screen.doc is not None
        hits = [(a, b) for a, b, kind in screen.doc.src_marks if kind == "hit"]
        assert hits
        assert all(screen.doc.text[a:b] == "Kishida" for a, b in hits)
        view = screen.query_one(AlignedView)
        hit_style = view.get_component_rich_style("aligned--hit")
        styled = [seg for strip in view._lines for seg in strip if seg.text.strip() == "Kishida"]  # noqa: SLF001
        assert styled and all(seg.style and seg.style.bgcolor == hit_style.bgcolor for seg in styled)
        # n jumps from hit to hit.
        hit_sentences = screen.hit_sentences()
        assert len(hit_sentences) >= 2
        await pilot.press("n")
        assert view.cursor == hit_sentences[0]
        await pilot.press("n")
        assert view.cursor == hit_sentences[1]
        await pilot.press("N")
        assert view.cursor == hit_sentences[0]


async def test_escape_cancels_a_running_translation_then_goes_back(
    diglot_home: Path, sealed_home: Path, tiny_packages: TinyPackages, monkeypatch: pytest.MonkeyPatch
) -> None:
    article_id = _french_id()
    _install(tiny_packages.marker_fr_en)
    real = core.translate_article
    started = threading.Event()

    def gated(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        # The tiny model is too fast to cancel by hand: hold the job until the user cancels, then run it for real.
        started.set()
        cancel = kwargs["cancel"]
        for _ in range(500):
            if cancel.cancelled:
                break
            time.sleep(0.01)
        return real(*args, **kwargs)

    monkeypatch.setattr(core, "translate_article", gated)
    app = DiglotApp()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, article_id)
        await pilot.press("s")
        assert screen._job is not None  # noqa: SLF001
        assert "esc cancel" in screen_text(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert screen._job is None  # noqa: SLF001
        assert screen.translation is None
        assert "cancelled" in screen.notice_text().lower()
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ReaderScreen)


async def test_sentences_appear_as_they_arrive(
    diglot_home: Path, sealed_home: Path, tiny_packages: TinyPackages, monkeypatch: pytest.MonkeyPatch
) -> None:
    article_id = _french_id()
    _install(tiny_packages.marker_fr_en)
    real = core.translate_article
    release = threading.Event()

    def held(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        forward = kwargs["on_sentence"]
        calls = [0]

        def on_sentence(paragraph, index, pair):  # noqa: ANN001, ANN202
            forward(paragraph, index, pair)
            calls[0] += 1
            if calls[0] == 2:  # hold the rest until the test has looked at the half-translated view
                release.wait(10)

        kwargs["on_sentence"] = on_sentence
        return real(*args, **kwargs)

    monkeypatch.setattr(core, "translate_article", held)
    app = DiglotApp(analyse_on_open=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(pilot, article_id)
        await pilot.press("s")
        view = screen.query_one(AlignedView)
        for _ in range(300):
            await pilot.pause(0.02)
            if sum("[EN]" in line for line in view.plain_lines()) >= 2:
                break
        lines = view.plain_lines()
        assert sum("[EN]" in line for line in lines) == 2
        assert any(line.rstrip().endswith("│ …") for line in lines)  # the others are still to come
        assert "Translating fr → en" in screen_text(pilot)  # the progress bar
        assert screen._job is not None  # noqa: SLF001
        release.set()
        await settle(pilot)
        assert screen._job is None  # noqa: SLF001
        assert not any(line.rstrip().endswith("│ …") for line in view.plain_lines())


async def test_pivot_route_is_shown(diglot_home: Path, sealed_home: Path, tiny_packages: TinyPackages) -> None:
    article_id = _french_id()
    _install(tiny_packages.marker_fr_en)
    _install(tiny_packages.marker_en_it)
    config = current_paths().config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[reader]\ntarget = "it"\n', encoding="utf-8")
    app = DiglotApp(analyse_on_open=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(pilot, article_id)
        await pilot.press("t")
        await settle(pilot)
        assert screen.route == ["fr", "en", "it"]
        assert "fr → en → it" in screen_text(pilot)
        assert reader_lines(pilot)[0].startswith("[IT] [EN] Le Japon")
        # l switches the target language (English, then Italian again), using each cached translation.
        await pilot.press("l")
        await settle(pilot)
        assert screen.target == "en"
        assert reader_lines(pilot)[0].startswith("[EN] Le Japon")
        await pilot.press("l")
        await settle(pilot)
        assert screen.target == "it"
        assert screen._job is None  # noqa: SLF001 - cached: nothing translated again
        assert reader_lines(pilot)[0].startswith("[IT] [EN] Le Japon")


async def test_flagged_sentences_are_marked(diglot_home: Path) -> None:
    from tui.app.widgets.aligned import ReaderDoc, Sentence

    app = DiglotApp(analyse_on_open=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = "Une phrase. Deux phrases."
        doc = ReaderDoc(text, "fr", [[Sentence((0, 11), "One sentence.", None),
                                      Sentence((12, 25), "salad salad salad", "repetition")]])
        doc.assemble_translation()
        view = app.screen.query_one("#articles").parent  # any container: mount a view of our own
        aligned = AlignedView()
        await view.mount(aligned)
        aligned.mode = "side"
        aligned.set_doc(doc)
        await pilot.pause()
        lines = aligned.plain_lines()
        assert any("⚑ repetition: salad salad salad" in line for line in lines)
        flag = aligned.get_component_rich_style("aligned--flag", partial=True)
        assert any(seg.text.startswith("⚑") and seg.style and seg.style.color == flag.color
                   for strip in aligned._lines for seg in strip)  # noqa: SLF001
