"""Installing, listing and removing packages through the `diglot models` command; bad archives are refused."""

from __future__ import annotations

import json
import stat
import zipfile
from pathlib import Path

import pytest
from conftest_translate import TinyPackages, packages_left

from tui.cli.main import main
from tui.library.library import Library


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_install_list_remove(translate_library: Library, tiny_packages: TinyPackages, diglot_home: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "models", "install", str(tiny_packages.copy_fr_en))
    assert (code, err) == (0, "")
    assert "fr -> en" in out
    assert packages_left(diglot_home) == ["translate-fr_en"]

    code, out, _ = run(capsys, "models", "list", "--json")
    listed = json.loads(out)
    assert code == 0
    assert [(p["from"], p["to"], p["installed"]) for p in listed] == [("fr", "en", True)]

    code, out, _ = run(capsys, "models", "remove", "fr", "en")
    assert code == 0 and "Removed fr -> en" in out
    assert packages_left(diglot_home) == []
    code, _, err = run(capsys, "models", "remove", "fr", "en")
    assert code == 3 and "No installed package fr -> en" in err


def test_reinstall_replaces_the_pair(translate_library: Library, tiny_packages: TinyPackages, diglot_home: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    from tui.translate.packages import installed_packages

    assert main(["models", "install", str(tiny_packages.copy_fr_en)]) == 0
    first = installed_packages()[0].fingerprint
    assert main(["models", "install", str(tiny_packages.map_fr_en)]) == 0
    assert packages_left(diglot_home) == ["translate-fr_en"]
    assert installed_packages()[0].fingerprint != first  # the sentence cache keys change with the package


def _zip(path: Path, entries: dict[str, bytes], *, modes: dict[str, int] | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name)
            if modes and name in modes:
                info.external_attr = modes[name] << 16
            archive.writestr(info, data)
    return path


def _valid_entries(source: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(source) as archive:
        return {i.filename: archive.read(i) for i in archive.infolist() if not i.is_dir()}


@pytest.mark.parametrize("case", [
    "garbage", "truncated", "dotdot", "absolute", "symlink", "no_metadata", "bad_metadata", "no_model",
    "no_sentencepiece", "two_folders", "crc", "bad_sentencepiece",
])
def test_bad_archives_are_refused_and_leave_nothing(
    case: str, translate_library: Library, tiny_packages: TinyPackages, diglot_home: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    good = tiny_packages.copy_fr_en
    entries = _valid_entries(good)
    top = next(iter(entries)).split("/")[0]
    bad = tmp_path / f"{case}.argosmodel"
    if case == "garbage":
        bad.write_bytes(b"this is not a zip file at all" * 100)
    elif case == "truncated":
        bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif case == "dotdot":
        _zip(bad, {**entries, f"{top}/../../escaped.txt": b"x"})
    elif case == "absolute":
        _zip(bad, {**entries, "/tmp/diglot-escaped.txt": b"x"})
    elif case == "symlink":
        _zip(bad, {**entries, f"{top}/link": b"/etc/passwd"}, modes={f"{top}/link": stat.S_IFLNK | 0o777})
    elif case == "no_metadata":
        _zip(bad, {k: v for k, v in entries.items() if not k.endswith("metadata.json")})
    elif case == "bad_metadata":
        _zip(bad, {**entries, f"{top}/metadata.json": b'{"from_code": "fr", "to_code": "../x"}'})
    elif case == "no_model":
        _zip(bad, {k: v for k, v in entries.items() if "/model/" not in k})
    elif case == "no_sentencepiece":
        _zip(bad, {k: v for k, v in entries.items() if not k.endswith("sentencepiece.model")})
    elif case == "two_folders":
        _zip(bad, {**entries, "other/README.md": b"x"})
    elif case == "bad_sentencepiece":  # passes the archive checks, fails after extraction: staging removed
        _zip(bad, {**entries, f"{top}/sentencepiece.model": b"not a sentencepiece model"})
    elif case == "crc":
        data = bytearray(good.read_bytes())
        offset = data.find(b"translate-fr_en-tiny/model/model.bin") + 200  # inside the stored/deflated data
        data[offset : offset + 64] = bytes(64)
        bad.write_bytes(bytes(data))
    code, out, err = run(capsys, "models", "install", str(bad))
    assert code != 0, out
    assert err.startswith("diglot: ") and err.count("\n") == 1 and "Traceback" not in err
    assert packages_left(diglot_home) == []
    assert not (tmp_path / "escaped.txt").exists() and not Path("/tmp/diglot-escaped.txt").exists()


def test_missing_file_is_a_clear_error(translate_library: Library, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "models", "install", "/nonexistent/fr_en.argosmodel")
    assert code == 3 and "No such package file" in err


def test_install_by_name_offline_says_how_to_install_from_a_file(
    translate_library: Library, diglot_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "models", "install", "fr", "en")
    assert code == 1
    assert "diglot models install FILE.argosmodel" in err and "Traceback" not in err
    assert packages_left(diglot_home) == []
