"""Bad input never stops an import: each bad file or record is refused with a one-line reason."""

from __future__ import annotations

import codecs
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.errors import Cancelled, DiglotError
from tui.library.importers.decode import MAX_BYTES
from tui.library.ingest import import_paths
from tui.library.store import Store
from tui.progress import CancelToken, Progress

GOOD = "Le conseil municipal a voté le budget mardi soir après un long débat."


@pytest.fixture
def store(diglot_home: Path, tmp_path: Path) -> Iterator[Store]:
    db = Store(tmp_path / "library.sqlite3")
    yield db
    db.close()


def refused_reason(store: Store, path: Path) -> str:
    good = path.parent / "zz-good.txt"
    good.write_text(GOOD, encoding="utf-8")
    report = import_paths(store, [path, good])
    assert report.accepted == 1 and store.get("zz-good"), "the good file still imports"
    assert len(report.refused) == 1 and report.refused[0][0] == str(path), report.refused
    reason = report.refused[0][1]
    assert "\n" not in reason and reason
    return reason


def test_binary_file(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    assert refused_reason(store, path) == "binary file (a PNG image)"


def test_unknown_binary_with_nul_bytes(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "blob.txt"
    path.write_bytes(os.urandom(64) + b"\x00" * 64 + os.urandom(64))
    assert refused_reason(store, path).startswith("binary file")


def test_empty_and_blank_files(store: Store, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert refused_reason(store, empty) == "empty file"
    blank = tmp_path / "blank.md"
    blank.write_text(" \n\t\n \n")
    assert refused_reason(store, blank) == "empty file"


def test_metadata_without_text(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "only-meta.txt"
    path.write_text("title: Nothing here\ndate 2024-01-01\n")
    assert refused_reason(store, path) == "no text"


def test_only_control_characters(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "controls.txt"
    path.write_text("\x1b\x1b\n\x1b\x7f\n", encoding="utf-8")
    assert refused_reason(store, path) == "no text"
    mostly = tmp_path / "mostly.txt"
    mostly.write_bytes(b"\x01\x02\x03\x04\x05 ab")
    assert refused_reason(store, mostly) == "binary file (mostly control bytes)"


def test_polish_cp1250_is_decoded(store: Store, tmp_path: Path) -> None:
    text = "Zażółć gęślą jaźń, powiedział minister w Warszawie we wtorek wieczorem."
    path = tmp_path / "polish.txt"
    path.write_bytes(text.encode("cp1250"))
    import_paths(store, [path])
    article = store.get("polish")
    assert article.paragraphs == [text] and article.lang == "pl"


def test_latin1_file_is_decoded(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Le député a présenté une réforme de l'été dernier à Besançon.".encode("latin-1"))
    report = import_paths(store, [path])
    assert not report.refused
    assert store.get("latin1").paragraphs == ["Le député a présenté une réforme de l'été dernier à Besançon."]


def test_cp1252_quotes_are_decoded(store: Store, tmp_path: Path) -> None:
    text = "Il a dit : \u201cnous continuerons\u201d \u2013 et l\u2019assemblée a applaudi longuement ce soir-là."
    path = tmp_path / "cp1252.txt"
    path.write_bytes(text.encode("cp1252"))
    import_paths(store, [path])
    assert store.get("cp1252").paragraphs == [text]


@pytest.mark.parametrize(
    ("name", "encoded"),
    [
        ("utf8sig.txt", codecs.BOM_UTF8 + GOOD.encode("utf-8")),
        ("utf16le.txt", codecs.BOM_UTF16_LE + GOOD.encode("utf-16-le")),
        ("utf16be.txt", codecs.BOM_UTF16_BE + GOOD.encode("utf-16-be")),
        ("utf32.txt", GOOD.encode("utf-32")),
    ],
)
def test_unicode_with_bom(store: Store, tmp_path: Path, name: str, encoded: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(encoded)
    report = import_paths(store, [path])
    assert not report.refused
    assert store.get(path.stem).paragraphs == [GOOD]


def test_utf16_without_bom(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "nobom.txt"
    path.write_bytes(
        ("The city council approved the budget on Tuesday evening after a long debate. " * 3).encode("utf-16-le")
    )
    report = import_paths(store, [path])
    assert not report.refused
    assert store.get("nobom").paragraphs[0].startswith("The city council approved")


def test_bad_utf16_after_bom(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "badbom.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + b"a\x00\x00\xdc")  # a lone low surrogate
    assert refused_reason(store, path).startswith("undecodable utf-16 text")


def test_stray_nul_byte_in_text_is_removed(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "nul.txt"
    path.write_bytes(("Un texte long avec un octet nul\x00 égaré au milieu. " * 4).encode("utf-8"))
    report = import_paths(store, [path])
    assert not report.refused
    assert "\x00" not in store.get("nul").text


def test_file_over_50_mb_is_refused_without_reading_it(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "huge.jsonl"
    with path.open("wb") as handle:  # sparse: no 50 MB written to disk
        handle.truncate(MAX_BYTES + 1)
    assert refused_reason(store, path).startswith("file too large (50.0 MB; the limit is 50.0 MB)")


def test_symlink_loop(store: Store, tmp_path: Path) -> None:
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    assert refused_reason(store, loop) == "symbolic link loop"


def test_folder_with_symlink_loops(store: Store, tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "back").symlink_to(root)  # a folder link to an ancestor
    (root / "a.txt").symlink_to(root / "b.txt")
    (root / "b.txt").symlink_to(root / "a.txt")
    (root / "ok.txt").write_text(GOOD)
    report = import_paths(store, [root])
    assert report.imported == ["ok"]
    assert sorted(report.refused) == [
        (str(root / "a.txt"), "symbolic link loop"),
        (str(root / "b.txt"), "symbolic link loop"),
    ]


def test_broken_link(store: Store, tmp_path: Path) -> None:
    link = tmp_path / "broken.txt"
    link.symlink_to(tmp_path / "gone.txt")
    assert refused_reason(store, link) == "no such file (or a broken link)"


def test_fifo_is_not_read(store: Store, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert refused_reason(store, fifo) == "not a regular file"


# A real permission-denied case (as the `nobody` user) is in test_reliability_files.py.
def test_unreadable_file_simulated(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Running as root, permissions cannot deny a read: make open() fail the way it would."""
    path = tmp_path / "secret.txt"
    path.write_text(GOOD)
    real_open = open

    def guarded_open(file, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", guarded_open)
    assert refused_reason(store, path) == "permission denied"


def test_malformed_json_file(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"text": "unfinished', encoding="utf-8")
    reason = refused_reason(store, path)
    assert reason.startswith("malformed JSON (line 1, column 10")


def test_deeply_nested_json(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    assert refused_reason(store, path) in {"JSON nested too deeply", "not an object but an array"}


def test_jsonl_all_records_bad(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "junk.jsonl"
    path.write_text('not json\n{"title": "no text"}\n', encoding="utf-8")
    report = import_paths(store, [path])
    assert report.accepted == 0
    assert report.refused == [
        (f"{path}:1", "malformed JSON line (Expecting value, column 1)"),
        (f"{path}:2", "no text field (text, body or content)"),
    ]


def test_hostile_content_is_stored_literally(store: Store, tmp_path: Path) -> None:
    hostile = (
        "Robert'); DROP TABLE articles; -- [bold red]not markup[/bold red] <script>alert('x')</script> "
        "{{ template }} ${HOME} $(rm -rf /) %s %n \u202eevil\u202c"
    )
    path = tmp_path / "hostile.txt"
    path.write_text(f"title: [link=file:///etc/passwd]click[/link]\n\n{hostile}\x1b]0;owned\x07 end.", encoding="utf-8")
    report = import_paths(store, [path])
    article = store.get(report.imported[0])
    assert article.title == "[link=file:///etc/passwd]click[/link]"
    assert article.paragraphs == [hostile + "]0;owned end."]  # control characters removed, the rest verbatim
    assert "\x1b]0;owned\x07" in article.raw  # the raw text is kept exactly as read
    assert store.count() == 1  # and the table is still there


def test_reimport_unchanged_updated_and_moved(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("date 2024-02-01\nFirst version of the story, told in full.", encoding="utf-8")
    first = import_paths(store, [path])
    assert first.imported == ["story"]
    revision = store.get("story").revision

    again = import_paths(store, [path])
    assert (again.imported, again.updated, again.unchanged) == ([], [], ["story"])

    path.write_text("date 2024-02-02\nSecond version of the story, now corrected.", encoding="utf-8")
    changed = import_paths(store, [path])
    assert changed.updated == ["story"] and not changed.imported
    article = store.get("story")
    assert article.paragraphs == ["Second version of the story, now corrected."]
    assert article.date == "2024-02-02" and article.revision == revision + 1

    copy = tmp_path / "elsewhere" / "copy-of-story.txt"
    copy.parent.mkdir()
    copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    moved = import_paths(store, [copy])
    assert moved.unchanged == ["story"] and not moved.imported
    assert store.count() == 1


def test_whitespace_only_change_is_unchanged(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "ws.txt"
    path.write_text("A short story about the sea.\n\nIt ends here.", encoding="utf-8")
    import_paths(store, [path])
    path.write_text("A short  story about the\u00a0sea.\r\n\r\n\r\nIt ends here.  \n", encoding="utf-8")
    assert import_paths(store, [path]).unchanged == ["ws"]


def test_progress_reports_files(store: Store, tmp_path: Path) -> None:
    for i in range(3):
        (tmp_path / f"f{i}.txt").write_text(f"Article {i} has a sentence of its own.", encoding="utf-8")
    steps: list[Progress] = []
    import_paths(store, [tmp_path], progress=steps.append)
    assert {s.stage for s in steps} == {"import"}
    assert [(s.done, s.total) for s in steps] == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert steps[0].detail == str(tmp_path / "f0.txt")


def test_cancel_between_files(store: Store, tmp_path: Path) -> None:
    for i in range(3):
        (tmp_path / f"f{i}.txt").write_text(f"Article {i} has a sentence of its own.", encoding="utf-8")
    token = CancelToken()

    def on_progress(step: Progress) -> None:
        if step.done == 1:
            token.cancel()  # while the second file is imported: the third is not started

    with pytest.raises(Cancelled):
        import_paths(store, [tmp_path], progress=on_progress, cancel=token)
    assert store.all_ids() == ["f0", "f1"]  # what was stored before the cancel stays


def test_broken_library_is_an_error_not_a_refusal(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "ok.txt"
    path.write_text(GOOD)
    store.conn.execute("DROP TABLE articles")

    with pytest.raises(DiglotError, match="Could not write to the library"):
        import_paths(store, [path])


_SUFFIXES = [".txt", ".md", ".json", ".jsonl", ".html", ".rss", ""]
_STARTS = [
    b"",
    b"{",
    b"[",
    b"<",
    b"<?xml version='1.0'?><rss><channel><item>",
    b"---\n",
    b"<html><body><p>",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"title: x\n",
    b'{"text": "',
]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.sampled_from(_STARTS), body=st.binary(max_size=300), suffix=st.sampled_from(_SUFFIXES))
def test_random_bytes_never_raise(store: Store, tmp_path: Path, start: bytes, body: bytes, suffix: str) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(start + body)
    report = import_paths(store, [path])
    assert report.files == 1
    assert report.accepted + len(report.refused) >= 1
    for where, reason in report.refused:
        assert where.startswith(str(path)) and reason and "\n" not in reason
