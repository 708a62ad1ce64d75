"""`diglot models install fr en` downloading for real, from a package index served over HTTP on this machine.

The index and the package are served by a local HTTP server (the machine has no route to the Argos index); the
installed `diglot` command reaches it through ARGOS_PACKAGE_INDEX, Argos's own setting for a mirror, so the whole
download path runs: fetch the index, pick the pair, stream the archive with progress, validate, install.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest_translate import TinyPackages

DIGLOT = Path(sys.executable).parent / "diglot"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *_: object) -> None:  # keep the test output clean
        pass


@pytest.fixture
def mirror(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An HTTP server on 127.0.0.1 serving a folder; yields (base URL, folder)."""
    folder = tmp_path / "mirror"
    folder.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", folder
    finally:
        server.shutdown()
        server.server_close()


def _publish(folder: Path, base: str, packages: dict[tuple[str, str], bytes | None]) -> None:
    """Write index.json (Argos's format) and the archives; None = listed in the index but not served (404)."""
    entries = []
    for (src, tgt), data in packages.items():
        name = f"translate-{src}_{tgt}-1_0.argosmodel"
        if data is not None:
            (folder / name).write_bytes(data)
        entries.append({"package_name": f"translate-{src}_{tgt}", "package_version": "1.0", "from_code": src,
                        "to_code": tgt, "from_name": src, "to_name": tgt, "type": "translate",
                        "links": [base + name]})
    (folder / "index.json").write_text(json.dumps(entries), encoding="utf-8")


@pytest.fixture
def diglot(tmp_path: Path, mirror: tuple[str, Path]):
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update({"DIGLOT_HOME": str(tmp_path / "lib"), "HOME": str(home), "ARGOS_PACKAGE_INDEX": mirror[0],
                "NO_PROXY": "127.0.0.1,localhost"})

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([str(DIGLOT), *args], env=env, capture_output=True, text=True, timeout=300)
        assert "Traceback" not in done.stderr, done.stderr
        return done

    run.home = home  # type: ignore[attr-defined]
    run.lib = tmp_path / "lib"  # type: ignore[attr-defined]
    return run


def _installed(lib: Path) -> list[str]:
    folder = lib / "data" / "argos-packages"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_download_installs_lists_and_translates(diglot, mirror: tuple[str, Path], tiny_packages: TinyPackages,
                                                 ) -> None:
    base, folder = mirror
    _publish(folder, base, {("fr", "en"): tiny_packages.map_fr_en.read_bytes(),
                            ("en", "de"): tiny_packages.copy_fr_en.read_bytes()})
    assert DIGLOT.exists(), f"the diglot command is not installed next to {sys.executable}"

    done = diglot("models", "install", "fr", "en")
    assert done.returncode == 0, done.stderr
    assert "fr -> en" in done.stdout

    listed = json.loads(diglot("models", "list", "--json").stdout)
    pairs = {(p["from"], p["to"]): p["installed"] for p in listed}
    assert pairs[("fr", "en")] is True
    assert pairs[("en", "de")] is False  # known from the index fetched during the download, not installed

    # The downloaded package is the one that translates: the mapping model writes "Japan" for "Japon".
    found = json.loads(diglot("search", "Kishida", "lang:fr", "--json").stdout)["hits"]
    article = found[0]["id"]
    assert diglot("translate", article).returncode == 0
    shown = diglot("show", article, "--translated").stdout
    assert "Japan" in shown and "Japon" not in shown
    assert not any(diglot.home.rglob("*")), "the download wrote under $HOME"  # type: ignore[attr-defined]
    assert not list((diglot.lib / "cache").rglob("*.argosmodel*"))  # type: ignore[attr-defined]


@pytest.mark.parametrize("case", ["not_in_index", "not_served", "corrupt"])
def test_failed_download_is_one_line_and_installs_nothing(diglot, mirror: tuple[str, Path], case: str,
                                                           tiny_packages: TinyPackages) -> None:
    base, folder = mirror
    packages: dict[tuple[str, str], bytes | None] = {("en", "de"): tiny_packages.copy_fr_en.read_bytes()}
    if case == "not_served":
        packages[("fr", "en")] = None
    elif case == "corrupt":
        packages[("fr", "en")] = tiny_packages.copy_fr_en.read_bytes()[:5000]  # a cut download
    _publish(folder, base, packages)

    done = diglot("models", "install", "fr", "en")
    assert done.returncode != 0
    assert done.stderr.startswith("diglot: ") and done.stderr.count("\n") == 1, done.stderr
    expected = {"not_in_index": "has no package fr -> en", "not_served": "Download failed",
                "corrupt": "is unusable: translate-fr_en.argosmodel is not an Argos package"}[case]
    assert expected in done.stderr
    assert _installed(diglot.lib) == []  # type: ignore[attr-defined]
    assert not list((diglot.lib / "cache").rglob("*.argosmodel*"))  # type: ignore[attr-defined]
