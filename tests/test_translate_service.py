"""Translating the French sample with tiny real Argos packages: alignment, cache, pivot, guards, CLI, views."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest_translate import TinyPackages

from tui.cli.main import main
from tui.library.library import Library
from tui.library.model import Article
from tui.translate import engine
from tui.translate.engine import TranslateOptions, judge
from tui.translate.service import article_sentences, cached_translation, translate_article, translate_articles


def install(*files: Path) -> None:
    for file in files:
        assert main(["models", "install", str(file)]) == 0


def source_sentences(article: Article) -> list[list[str]]:
    text = article.text
    return [[text[a:b] for a, b in para] for para in article_sentences(article)]


def test_copy_model_gives_one_aligned_sentence_per_source_sentence(
    translate_library: Library, french_article: Article, tiny_packages: TinyPackages
) -> None:
    install(tiny_packages.copy_fr_en)
    seen: list[tuple[int, int]] = []
    result = translate_article(translate_library.store, french_article, "en",
                               on_sentence=lambda p, s, pair: seen.append((p, s)))
    expected = source_sentences(french_article)
    assert [[p.source for p in para] for para in result.paragraphs] == expected
    assert [[p.target for p in para] for para in result.paragraphs] == expected  # the model copies
    assert all(p.flag is None for para in result.paragraphs for p in para)
    assert sorted(seen) == [(i, j) for i, para in enumerate(expected) for j in range(len(para))]
    assert result.route == ["fr", "en"] and result.complete
    # Offsets point into the article text; target spans point into the translation text.
    text = french_article.text
    for para, spans in zip(result.paragraphs, result.target_spans(), strict=True):
        for pair, (a, b) in zip(para, spans, strict=True):
            assert text[pair.src_start : pair.src_end] == pair.source
            assert result.text[a:b] == pair.target


def test_stored_flagged_touched_and_cached_open(
    translate_library: Library, french_article: Article, tiny_packages: TinyPackages
) -> None:
    store = translate_library.store
    install(tiny_packages.copy_fr_en)
    assert cached_translation(store, french_article, "en") is None
    before = store.get(french_article.id).revision
    result = translate_article(store, french_article, "en")
    assert store.get(french_article.id).revision == before + 1
    assert store.translation_texts(french_article.id) == {"en": result.text}
    assert store.summaries()[0].translated
    again = cached_translation(store, french_article, "en")
    assert again is not None and again.paragraphs == result.paragraphs and again.route == ["fr", "en"]


def test_second_translation_makes_no_model_call(
    translate_library: Library, french_article: Article, tiny_packages: TinyPackages
) -> None:
    store = translate_library.store
    install(tiny_packages.copy_fr_en)
    first = translate_article(store, french_article, "en")
    calls = engine.total_batch_calls()
    assert calls > 0
    revision = store.get(french_article.id).revision
    seen: list[int] = []
    second = translate_article(store, french_article, "en", on_sentence=lambda p, s, pair: seen.append(s))
    assert engine.total_batch_calls() == calls
    assert second.paragraphs == first.paragraphs
    assert len(seen) == first.sentence_count  # cached sentences are still reported
    assert store.get(french_article.id).revision == revision  # unchanged result: no reindex
    # Without the stored article row, the sentence cache alone still avoids the model.
    with store.transaction() as conn:
        conn.execute("DELETE FROM article_translations")
    assert translate_article(store, french_article, "en").paragraphs == first.paragraphs
    assert engine.total_batch_calls() == calls
    # Another beam is another output: the cache does not answer for it.
    translate_article(store, french_article, "en", options=TranslateOptions(beam_size=1))
    assert engine.total_batch_calls() > calls


def test_map_model_translates_japon(
    translate_library: Library, french_article: Article, tiny_packages: TinyPackages
) -> None:
    install(tiny_packages.copy_fr_en)
    translate_article(translate_library.store, french_article, "en")  # fills the cache with the copy model
    install(tiny_packages.map_fr_en)  # reinstalling changes the package fingerprint, so the cache misses
    result = translate_article(translate_library.store, french_article, "en")
    assert "Japon" in french_article.text
    assert "Japon" not in result.text and "Japan" in result.text
    for para in result.paragraphs:
        for pair in para:
            assert pair.target == pair.source.replace("Japon", "Japan")


def test_pivot_through_english_records_the_route(
    translate_library: Library, french_article: Article, tiny_packages: TinyPackages
) -> None:
    install(tiny_packages.marker_fr_en, tiny_packages.marker_en_it)
    result = translate_article(translate_library.store, french_article, "it")
    assert result.route == ["fr", "en", "it"]
    for para in result.paragraphs:
        for pair in para:
            assert pair.target == f"[IT] [EN] {pair.source}"
    stored = cached_translation(translate_library.store, french_article, "it")
    assert stored is not None and stored.route == ["fr", "en", "it"]
    # The fr->en leg was cached on the way: translating into English needs no model call.
    calls = engine.total_batch_calls()
    english = translate_article(translate_library.store, french_article, "en")
    assert engine.total_batch_calls() == calls
    assert english.paragraphs[0][0].target.startswith("[EN] ")


def test_many_articles_in_one_batch(
    translate_library: Library, french_article: Article, tiny_packages: TinyPackages
) -> None:
    from tui.library.model import ArticleDraft

    install(tiny_packages.copy_fr_en)
    store = translate_library.store
    other = store.get(store.save(ArticleDraft(source_key="b", raw="x"), ["Le chat dort.", "Le Japon."], "fr",
                                 "b").article_id)
    results = translate_articles(store, [french_article, other], "en")
    assert [r.article_id for r in results] == [french_article.id, other.id]
    assert results[1].text == "Le chat dort.\n\nLe Japon."


def test_missing_package_is_one_clear_message(
    translate_library: Library, french_article: Article, tiny_packages: TinyPackages,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["translate", french_article.id, "--to", "en"])
    out, err = capsys.readouterr()
    assert code == 3 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "No translation package for fr -> en" in err and "diglot models install FILE.argosmodel" in err
    install(tiny_packages.marker_fr_en)  # fr->en alone cannot reach Italian
    assert main(["translate", french_article.id, "--to", "it"]) == 3
    assert "fr -> it" in capsys.readouterr().err


def test_translate_command_json_and_views(
    translate_library: Library, french_article: Article, tiny_packages: TinyPackages,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tui.cli.translate_view import print_side_by_side, print_translated

    install(tiny_packages.map_fr_en)
    capsys.readouterr()
    assert main(["translate", "--all", "--to", "en", "--beam", "1", "--json"]) == 0
    out, _ = capsys.readouterr()
    [row] = json.loads(out)
    assert row["id"] == french_article.id and row["route"] == ["fr", "en"] and "Japan" in row["text"]

    assert print_translated(translate_library, french_article, "en") == 0
    out, _ = capsys.readouterr()
    assert "Japan" in out and "Japon" not in out

    width = 100
    assert print_side_by_side(translate_library, french_article, "en", width) == 0
    lines = capsys.readouterr().out.splitlines()
    assert all(len(line) <= width for line in lines)
    pairs = [line.split(" \u2502 ") for line in lines[2:] if "\u2502" in line]
    # Each source sentence starts on the same row as its translation.
    for para in source_sentences(french_article):
        for sentence in para:
            first_words = " ".join(sentence.split()[:3])
            [row_] = [p for p in pairs if p[0].startswith(first_words)] or [None]
            assert row_ is not None, sentence
            assert row_[1].startswith(first_words.replace("Japon", "Japan"))


def test_guards_flag_loops_and_runaway_output() -> None:
    src = ["▁Le", "▁chat", "▁dort", "."]
    assert judge(src, ["▁The", "▁cat", "▁sleeps", "."], 18) is None
    assert judge(src, ["▁the", "▁cat"] * 6, 18) == "repetition"
    assert judge(src, ["▁a", "▁b", "▁c", "▁d", "▁e", "▁f", "▁g", "▁h", "▁i", "▁j", "▁k", "▁l", "▁m", "▁n",
                       "▁o", "▁p", "▁q", "▁r"], 18) == "too_long"
    # Repetition that is in the source is not a loop.
    assert judge(["▁très"] * 5, ["▁very"] * 5, 20) is None


def test_all_skips_languages_without_a_package(
    translate_library: Library, french_article: Article, tiny_packages: TinyPackages,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tui.library.model import ArticleDraft

    store = translate_library.store
    store.save(ArticleDraft(source_key="it", raw="x"), ["Il gatto dorme."], "it", "gatto")
    store.save(ArticleDraft(source_key="en", raw="x"), ["The cat sleeps."], "en", "cat")
    install(tiny_packages.copy_fr_en)
    capsys.readouterr()
    assert main(["translate", "--all", "--to", "en"]) == 0
    out, err = capsys.readouterr()
    assert f"{french_article.id}:" in out and "(fr -> en)" in out
    assert "Skipped 1 article(s) in it: no package it -> en" in err
    assert [s.translated for s in store.summaries(sort="title")] == [False, False, True]


def test_cancel_stops_before_the_model_and_stores_nothing(
    translate_library: Library, french_article: Article, tiny_packages: TinyPackages
) -> None:
    from tui.errors import Cancelled
    from tui.progress import CancelToken

    install(tiny_packages.copy_fr_en)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        translate_article(translate_library.store, french_article, "en", cancel=token)
    assert cached_translation(translate_library.store, french_article, "en") is None


def test_article_already_in_the_target_language(translate_library: Library, french_article: Article) -> None:
    result = translate_article(translate_library.store, french_article, "fr")  # no package needed
    assert result.route == ["fr"]
    assert all(p.target == p.source for para in result.paragraphs for p in para)


def test_threads_split_the_work_but_not_the_result(
    translate_library: Library, french_article: Article, tiny_packages: TinyPackages,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Parallel sub-batches come back in order: 1 and 3 threads give the same aligned sentences."""
    from tui.translate import cache
    from tui.translate.engine import TranslateOptions, unload_all
    from tui.translate.service import translate_articles

    install(tiny_packages.map_fr_en)
    results = []
    for threads in (1, 3):
        unload_all()
        cache.clear(translate_library.store)  # both runs call the model
        with translate_library.store.transaction() as conn:
            conn.execute("DELETE FROM article_translations")
        [done] = translate_articles(translate_library.store, [french_article], "en",
                                    options=TranslateOptions(beam_size=1, inter_threads=threads))
        results.append([[(p.source, p.target) for p in para] for para in done.paragraphs])
    assert results[0] == results[1]
    assert any("Japan" in (target or "") for para in results[0] for _, target in para)

    capsys.readouterr()
    assert main(["translate", french_article.id, "--threads", "0"]) == 2
    assert "--threads must be between 1 and 64" in capsys.readouterr().err
