"""Opening an article whose translation is cached loads no model code, and reads the same data as the services."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest_translate import TinyPackages

from tui.app import core
from tui.paths import current_paths
from tui.pipeline import open_library

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("ctranslate2", "argostranslate", "spacy")
# Not models, but most of a first open's time (~0.7 s under load): the services behind them and the splitter.
SERVICES = ("tui.translate.service", "tui.entities.service", "pysbd")

# Runs in a fresh interpreter: start the app, open the article side by side, report what was shown and imported.
CHILD = """
import asyncio, json, sys
from tui.app.app import DiglotApp
from tui.app.screens.reader import ReaderScreen
from tui.app.widgets.aligned import AlignedView

async def main():
    app = DiglotApp(analyse_on_open=False)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(500):
            if app.library is not None:
                break
            await pilot.pause(0.02)
        await app.workers.wait_for_complete()
        before = sorted(m for m in sys.modules if m.split(".")[0] in HEAVY)
        had = set(sys.modules)
        app.push_screen(ReaderScreen(ARTICLE, view="side"))
        for _ in range(500):
            if isinstance(app.screen, ReaderScreen) and app.screen.doc is not None:
                break
            await pilot.pause(0.02)
        await app.workers.wait_for_complete()
        await pilot.pause(0.1)
        screen = app.screen
        print(json.dumps({
            "before": before,
            "after": sorted(m for m in sys.modules if m.split(".")[0] in HEAVY),
            "cached": screen.translation is not None,
            "services": sorted(m for m in SERVICES if m in sys.modules and m not in had),
            "lines": screen.query_one(AlignedView).plain_lines(),
        }))

asyncio.run(main())
"""


def _translated_french(package: Path) -> tuple[str, str]:
    """A French article translated with the marker package and analysed for names (as a user would have it)."""
    from tui.progress import CancelToken
    from tui.translate.packages import install_package

    install_package(package, current_paths())
    library = open_library()
    try:
        article = next(a for a in library.store.iter_articles() if a.lang == "fr")
        translation = core.translate_article(library, article, "en", progress=lambda _: None,
                                             cancel=CancelToken(), on_sentence=lambda *_: None)
        core.analyse_article(library, article)
        return article.id, translation.paragraphs[0][0].target
    finally:
        library.close()


def test_cached_article_opens_without_model_modules(
    diglot_home: Path, sealed_home: Path, tiny_packages: TinyPackages
) -> None:
    article_id, first_target = _translated_french(tiny_packages.marker_fr_en)
    code = CHILD.replace("HEAVY", repr(HEAVY)).replace("SERVICES", repr(SERVICES)).replace("ARTICLE", repr(article_id))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300,
                         check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    shown = json.loads(out.stdout.strip().splitlines()[-1])
    assert shown["cached"]
    assert shown["after"] == [], f"opening a cached article imported {shown['after']}"
    assert shown["services"] == [], f"opening a cached article imported {shown['services']}"
    right = [line.split("│", 1)[1] for line in shown["lines"] if "│" in line]
    assert first_target.startswith("[EN]")
    assert any(part.strip().startswith(first_target[:20]) for part in right)


def test_reader_data_agrees_with_the_services(
    diglot_home: Path, sealed_home: Path, tiny_packages: TinyPackages
) -> None:
    from tui.entities.service import mentions
    from tui.translate.service import cached_translation

    article_id, _ = _translated_french(tiny_packages.marker_fr_en)
    library = open_library()
    try:
        data = core.reader_data(library, article_id, "en")
        article = library.store.get(article_id)
        assert data.article == article
        assert data.translation == cached_translation(library.store, article, "en")
        assert data.src_mentions == mentions(library.store, article_id, "original")
        assert data.src_mentions
        assert data.tgt_mentions == mentions(library.store, article_id, "en")
        none = core.reader_data(library, article_id, "de")  # no translation into German: original layer only
        assert none.translation is None and none.tgt_mentions == []
        assert none.src_mentions == data.src_mentions
    finally:
        library.close()
