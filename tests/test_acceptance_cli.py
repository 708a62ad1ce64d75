"""Issue #2's acceptance, through the installed `diglot` command in subprocesses, as a user would type it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DIGLOT = Path(sys.executable).parent / "diglot"
NTREX = Path(__file__).parent / "data" / "ntrex128" / "articles.jsonl"
FRENCH, ITALIAN = "000_2d6c18cd48965ace", "002_555e5ba141d07459"


@pytest.fixture
def run(tmp_path: Path):
    assert DIGLOT.exists(), f"the diglot command is not installed next to {sys.executable}"
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "DIGLOT_HOME": str(tmp_path / "lib"), "HOME": str(home)}

    def _run(*args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([str(DIGLOT), *args], env=env, capture_output=True, text=True, timeout=300)
        assert "Traceback" not in done.stderr, done.stderr
        if ok:
            assert done.returncode == 0, (args, done.stdout, done.stderr)
        return done

    _run.home = home  # type: ignore[attr-defined]
    return _run


def hit_ids(done: subprocess.CompletedProcess[str]) -> list[str]:
    return [hit["id"] for hit in json.loads(done.stdout)["hits"]]


def test_first_search_lists_both_samples(run) -> None:
    assert sorted(hit_ids(run("search", "Kishida", "--json"))) == [FRENCH, ITALIAN]


def test_version_and_help(run) -> None:
    assert run("--version").stdout.startswith("diglot ")
    helptext = run("--help").stdout
    for command in ("import", "search", "list", "show", "reindex", "translate", "models", "entities"):
        assert command in helptext


def test_language_aware_queries(run, tmp_path: Path) -> None:
    article = tmp_path / "securite.txt"
    article.write_text("title La sécurité des exercices\n\nLa sécurité des frontières est une priorité.\n", "utf-8")
    run("import", str(article))
    done = run("search", "securite", "--json")
    hits = json.loads(done.stdout)["hits"]
    assert [h["id"] for h in hits] == ["securite"]
    snippet = hits[0]["snippet"]
    assert any(snippet[a:b].lower() == "sécurité" for a, b in hits[0]["highlights"])
    assert FRENCH in hit_ids(run("search", "exercice lang:fr", "--json"))
    assert set(hit_ids(run("search", "exercice lang:fr", "--json"))) <= {FRENCH, "securite"}
    assert hit_ids(run("search", "esercitazione", "--json")) == [ITALIAN]
    assert hit_ids(run("search", '"accord d\'accès"', "--json")) == [FRENCH]


def test_malformed_query_is_one_clear_line(run) -> None:
    done = run("search", '"unbalanced (', ok=False)
    assert done.returncode in (0, 1, 2)
    assert len(done.stderr.strip().splitlines()) <= 1


def test_importing_twice_never_duplicates(run, tmp_path: Path) -> None:
    local = tmp_path / "articles.jsonl"
    shutil.copy(NTREX, local)
    expected = sum(1 for line in local.read_text("utf-8").splitlines() if line.strip())
    first = json.loads(run("import", str(local), "--json").stdout)
    second = json.loads(run("import", str(local), "--json").stdout)
    assert expected == 615
    assert len(first["imported"]) == expected
    assert second["imported"] == [] and len(second["unchanged"]) == expected
    listed = json.loads(run("list", "--limit", "100000", "--json").stdout)
    assert len(listed) == expected + 2
