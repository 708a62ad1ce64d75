"""Bad files in an import batch: each gets one clear line in the summary, the rest of the batch still imports."""

from __future__ import annotations

import json
import os
import random
import shutil
import socket
import stat
import tempfile
from pathlib import Path

import pytest
from test_reliability_support import GOOD_FR, assert_clean_output, refused_lines, run_python

from tui.cli.main import main
from tui.library.importers.decode import MAX_BYTES
from tui.library.ingest import import_paths
from tui.library.store import Store

FEED_HEAD = '<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title>'
# A realistic 1 MB paragraph with no line break (few distinct words, as in real prose).
ONE_LINE = " ".join(
    f"Phrase {i} : le conseil a voté le budget des écoles et des transports de la ville." for i in range(12_500)
)


def make_bad_batch(folder: Path) -> tuple[dict[str, str], dict[str, str]]:
    """A folder of bad files next to good ones: ({refused name: reason}, {accepted name: a phrase of its text})."""
    folder.mkdir(parents=True)
    refused: dict[str, str] = {}
    accepted: dict[str, str] = {}

    (folder / "good.txt").write_text(GOOD_FR, encoding="utf-8")
    accepted["good.txt"] = "écoles de la ville"
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + random.Random(1).randbytes(4096))
    refused["image.txt"] = "binary file (a PNG image)"
    (folder / "program.md").write_bytes(b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 8)
    refused["program.md"] = "binary file (a program (ELF binary))"
    (folder / "noise.html").write_bytes(random.Random(2).randbytes(8192))
    refused["noise.html"] = "binary file"
    (folder / "empty.txt").write_bytes(b"")
    refused["empty.txt"] = "empty file"
    with open(folder / "huge.txt", "wb") as handle:  # sparse: 60 MB on paper, refused before any read
        handle.truncate(60 * 1024 * 1024)
    refused["huge.txt"] = "file too large (60.0 MB; the limit is 50.0 MB)"
    (folder / "oneline.txt").write_text(ONE_LINE, encoding="utf-8")
    accepted["oneline.txt"] = "Phrase 12499 : le conseil"
    (folder / "utf16.txt").write_bytes("Le café du matin est très bon, dit le maître d'hôtel.".encode("utf-16"))
    accepted["utf16.txt"] = "maître d'hôtel"
    (folder / "latin1.txt").write_bytes("Le député a reçu une lettre à Besançon en février.".encode("latin-1"))
    accepted["latin1.txt"] = "reçu une lettre à Besançon en février"
    (folder / "invalid.txt").write_bytes(b"Le maire \xc3\x28 a parl\xff des travaux du pont de la gare hier.")
    accepted["invalid.txt"] = "des travaux du pont de la gare"
    (folder / "nul.txt").write_bytes(b"Le tribunal\x00 a rendu sa d\xc3\xa9cision\x00 jeudi apr\xc3\xa8s-midi.")
    accepted["nul.txt"] = "décision jeudi après-midi"
    (folder / "nuls.txt").write_bytes(b"\x00\x00texte \x00\x00" * 200)
    refused["nuls.txt"] = "binary file (contains NUL bytes)"
    (folder / "cut.html").write_text(
        f"<!doctype html><html><head><title>Budget voté</title></head><body><article><p>{GOOD_FR} Les élus ont",
        encoding="utf-8",
    )
    accepted["cut.html"] = "Les élus ont"
    (folder / "cut-head.html").write_text("<html><head><title>Budget", encoding="utf-8")
    refused["cut-head.html"] = "no readable text in the page"
    (folder / "cut.rss").write_text(
        FEED_HEAD + "<item><title>Un</title><description>La préfecture a fermé trois routes de montagne après"
        " les chutes de neige.</description></item><item><title>Deux</title><description>Les élus ont",
        encoding="utf-8",
    )
    accepted["cut.rss"] = "trois routes de montagne"
    refused["cut.rss#1"] = "feed entry without text"
    (folder / "broken.json").write_text('[{"title": "Un", "text": "Le port a rouvert', encoding="utf-8")
    refused["broken.json"] = "malformed JSON"
    os.mkfifo(folder / "pipe.txt")  # would block a naive open().read() forever
    refused["pipe.txt"] = "not a regular file"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "socket.md"))
    server.close()
    refused["socket.md"] = "not a regular file"
    (folder / "dangling.txt").symlink_to(folder / "missing.txt")
    refused["dangling.txt"] = "no such file (or a broken link)"
    (folder / "loop-a.txt").symlink_to(folder / "loop-b.txt")
    (folder / "loop-b.txt").symlink_to(folder / "loop-a.txt")
    refused["loop-a.txt"] = "symbolic link loop"
    refused["loop-b.txt"] = "symbolic link loop"
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to("..")  # a folder loop: must neither hang nor import twice
    (folder / "sub" / "itself").symlink_to(".")
    (folder / "dir.txt").mkdir()  # a folder named like a file is searched like any folder
    (folder / "dir.txt" / "inner.txt").write_text("La bibliothèque municipale ouvrira le dimanche dès mars.")
    accepted["dir.txt/inner.txt"] = "ouvrira le dimanche"
    return refused, accepted


def check_reasons(found: dict[str, str], refused: dict[str, str], folder: Path) -> None:
    shown = {where.replace(str(folder) + "/", "", 1): reason for where, reason in found.items()}
    assert set(shown) == set(refused), (shown, refused)
    for name, reason in refused.items():
        assert shown[name].startswith(reason), (name, shown[name])
        assert "\n" not in shown[name] and len(shown[name]) < 160


def check_accepted(store: Store, accepted: dict[str, str]) -> None:
    texts = [article.text for article in store.iter_articles()]
    for name, phrase in accepted.items():
        assert any(phrase in text for text in texts), f"{name}: {phrase!r} not imported"
    for text in texts:
        assert "\x00" not in text and "\ufffd\ufffd" not in text


def test_bad_files_cli_summary(diglot_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "batch"
    refused, accepted = make_bad_batch(folder)
    code = main(["import", str(folder)])
    out, err = capsys.readouterr()
    assert_clean_output(out, err)
    assert code == 4, (out, err)  # some refused, the rest imported
    first = out.splitlines()[0]
    assert first.startswith(f"Imported {len(accepted)},") and first.endswith(f"refused {len(refused)}."), first
    check_reasons(refused_lines(out), refused, folder)
    from tui.library.library import Library

    library = Library()
    try:
        check_accepted(library.store, accepted)
        assert library.store.count_stale() == 0  # the good part was indexed too
    finally:
        library.close()
    # The same batch again: nothing changes, the same reasons, still no traceback.
    assert main(["import", str(folder)]) == 4
    again, err = capsys.readouterr()
    assert_clean_output(again, err)
    assert again.splitlines()[0] == f"Imported 0, updated 0, unchanged {len(accepted)}, refused {len(refused)}."


def test_bad_files_ingest_report(diglot_home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    refused, accepted = make_bad_batch(folder)
    store = Store(tmp_path / "library.sqlite3")
    try:
        report = import_paths(store, [folder])
        check_reasons(dict(report.refused), refused, folder)
        assert len(report.imported) == len(accepted)
        check_accepted(store, accepted)
        # Each bad file named on its own (not through a folder) is refused the same way, one line each.
        singles = [folder / name for name in refused if "#" not in name]
        report = import_paths(store, [*singles, folder / "good.txt"])
        assert report.unchanged and not report.imported
        check_reasons(dict(report.refused), {k: v for k, v in refused.items() if "#" not in k}, folder)
    finally:
        store.close()


def test_missing_paths_and_empty_globs(diglot_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "good.txt").write_text(GOOD_FR, encoding="utf-8")
    code = main(["import", str(tmp_path / "nope.txt"), str(tmp_path / "*.nothing"), str(tmp_path / "good.txt")])
    out, err = capsys.readouterr()
    assert_clean_output(out, err)
    assert code == 4
    assert refused_lines(out) == {
        str(tmp_path / "nope.txt"): "no such file or folder",
        str(tmp_path / "*.nothing"): "no file matches this pattern",
    }


@pytest.mark.skipif(not hasattr(os, "setuid") or os.geteuid() != 0, reason="needs root to switch to another user")
def test_permission_denied_as_another_user(tmp_path: Path) -> None:
    """Tests run as root, which reads any file: the import runs as `nobody`, so chmod 000 really denies."""
    shared = Path(tempfile.mkdtemp(prefix="diglot-perm-"))  # /tmp itself is open to everyone
    try:
        shared.chmod(0o777)
        batch = shared / "batch"
        batch.mkdir()
        (batch / "good.txt").write_text(GOOD_FR, encoding="utf-8")
        secret = batch / "secret.txt"
        secret.write_text("Le conseil a voté.", encoding="utf-8")
        secret.chmod(0)
        locked = batch / "locked"
        locked.mkdir()
        (locked / "inner.txt").write_text("Le conseil a voté hier.", encoding="utf-8")
        locked.chmod(0)
        warm = shared / "warm.txt"
        warm.write_text("La mairie a ouvert une nouvelle école primaire.", encoding="utf-8")
        home = shared / "home"
        # As root: load every module and model the import needs (the interpreter lives under /root, closed to
        # `nobody`), then hand the library to `nobody`, drop privileges and import the batch.
        code = f"""
import contextlib, io, os, subprocess, sys
from tui.cli.main import main
import tui.library.importers.decode, charset_normalizer, encodings.idna
with contextlib.redirect_stdout(io.StringIO()):
    assert main(["import", {str(warm)!r}]) == 0
    main(["list"]); main(["search", "école"])
subprocess.run(["chown", "-R", "65534:65534", {str(home)!r}], check=True)
os.setgid(65534); os.setuid(65534)
sys.exit(main(["import", {str(batch)!r}]))
"""
        result = run_python(code, home)
        assert_clean_output(result.stdout, result.stderr)
        assert result.returncode == 4, result.stdout + result.stderr
        found = refused_lines(result.stdout)
        assert found == {str(secret): "permission denied", str(locked): "permission denied"}, result.stdout
        assert result.stdout.startswith("Imported 1,")
    finally:
        for path in shared.rglob("*"):
            if path.is_dir() and not path.is_symlink():
                path.chmod(stat.S_IRWXU)
        shutil.rmtree(shared, ignore_errors=True)


MEMORY_PROBE = """
import json, resource, sys
from pathlib import Path
from tui.cli.main import main
from tui.library.ingest import import_paths
from tui.library.library import Library

def peak_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

warm, huge = {warm!r}, {huge!r}
assert main(["import", warm]) == 0        # warm up: importers, language model, index writer
before = peak_kb()
code = main(["import", huge])             # the CLI path
library = Library()
report = import_paths(library.store, [huge])   # the ingest path
library.close()
print(json.dumps({{"code": code, "delta_kb": peak_kb() - before, "refused": report.refused}}))
"""


def test_huge_file_memory_stays_bounded(tmp_path: Path) -> None:
    """A 60 MB file (real bytes) is refused without being read: peak memory grows by far less than its size."""
    huge = tmp_path / "huge.txt"
    line = (GOOD_FR + "\n").encode("utf-8")
    with open(huge, "wb") as handle:
        for _ in range(60 * 1024 * 1024 // len(line) + 1):
            handle.write(line)
    assert huge.stat().st_size > MAX_BYTES
    warm = tmp_path / "warm.txt"
    warm.write_text("La mairie a ouvert une nouvelle école primaire dans le quartier nord.", encoding="utf-8")
    result = run_python(MEMORY_PROBE.format(warm=str(warm), huge=str(huge)), tmp_path / "home")
    assert_clean_output(result.stdout, result.stderr)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    data = json.loads(lines[-1])
    assert data["code"] == 1  # nothing imported: the only file was refused
    assert data["refused"] == [[str(huge), "file too large (60.0 MB; the limit is 50.0 MB)"]]
    assert f"{huge}: file too large" in result.stdout
    assert data["delta_kb"] < 16 * 1024, f"peak memory grew by {data['delta_kb']} KB for a refused 60 MB file"


def test_one_megabyte_line_is_kept_whole(diglot_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "long-line.txt"
    path.write_text(ONE_LINE, encoding="utf-8")
    assert len(ONE_LINE.encode()) > 1_000_000
    assert main(["import", str(path)]) == 0
    assert main(["search", "--json", "Phrase"]) == 0
    out, err = capsys.readouterr()
    assert_clean_output(out, err)
    hits = json.loads(out[out.index("{"):])["hits"]
    assert "long-line" in [hit["id"] for hit in hits]
    from tui.library.library import Library

    library = Library()
    try:
        article = library.store.get("long-line")
        words = ONE_LINE.split()
        assert article.text.split() == words  # no word lost or reordered
    finally:
        library.close()


def test_hostile_markup_files(diglot_home: Path, tmp_path: Path) -> None:
    """External entities are never read (XXE), entity bombs do not expand, deep nesting is refused or read."""
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRETVALUE42", encoding="utf-8")
    folder = tmp_path / "markup"
    folder.mkdir()
    doctype = f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    (folder / "xxe.rss").write_text(
        f'<?xml version="1.0"?>{doctype}<rss version="2.0"><channel><title>F</title><item><title>Fuite</title>'
        "<description>Le texte &xxe; fin de la phrase ici.</description></item></channel></rss>", encoding="utf-8")
    (folder / "xxe.atom").write_text(
        f'<?xml version="1.0"?>{doctype}<feed xmlns="http://www.w3.org/2005/Atom"><title>F</title><entry>'
        "<title>Fuite atom</title><content>Le texte &xxe; fin de la phrase.</content></entry></feed>",
        encoding="utf-8")
    (folder / "xxe.html").write_text(
        f'<?xml version="1.0"?>{doctype}<html><body><p>Le texte &xxe; de la page, fin de la phrase.</p></body></html>',
        encoding="utf-8")
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(9)
    )
    (folder / "bomb.rss").write_text(  # a billion laughs: 10^10 characters if expanded
        f'<?xml version="1.0"?><!DOCTYPE rss [{entities}]><rss version="2.0"><channel><item><title>Lol</title>'
        "<description>Début &j; fin.</description></item></channel></rss>", encoding="utf-8")
    (folder / "deep.json").write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    (folder / "deep.html").write_text(
        "<html><body>" + "<div>" * 50_000 + "Le texte profond est ici." + "</div>" * 50_000 + "</body></html>",
        encoding="utf-8")
    store = Store(tmp_path / "library.sqlite3")
    try:
        report = import_paths(store, [folder])
        assert dict(report.refused) == {str(folder / "deep.json"): "JSON nested too deeply"}, report.refused
        texts = [a.title + " " + a.text + " " + a.raw for a in store.iter_articles()]
        assert len(texts) == 5
        assert not any("SECRETVALUE42" in text for text in texts)
        assert all(len(text) < 10_000 for text in texts)
        assert any("Le texte profond est ici." in text for text in texts)
    finally:
        store.close()
