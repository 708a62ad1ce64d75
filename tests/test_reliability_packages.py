"""Bad language packages (.argosmodel) are refused with one line and leave nothing in the packages folder;
a package installed before stays usable."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest_translate import TinyPackages, packages_left
from test_reliability_support import assert_clean_output

from tui.cli.main import main
from tui.errors import DiglotError
from tui.library.library import Library


def _members(package: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(package) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _rezip(path: Path, entries: dict[str, bytes], *, modes: dict[str, int] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if modes and name in modes:
                info.external_attr = modes[name] << 16
            archive.writestr(info, data)
    return path


def _garbage(src: Path, out: Path) -> Path:
    out.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 64)
    return out


def _truncated(src: Path, out: Path) -> Path:
    data = src.read_bytes()
    out.write_bytes(data[: len(data) // 2])
    return out


def _tail_cut(src: Path, out: Path) -> Path:
    data = src.read_bytes()
    out.write_bytes(data[:-30])  # the central directory is cut: not a zip any more
    return out


def _bad_crc(src: Path, out: Path) -> Path:
    data = bytearray(src.read_bytes())
    start = data.find(b"model.bin") + 200  # inside the compressed model
    for i in range(start, start + 64):
        data[i] ^= 0xFF
    out.write_bytes(bytes(data))
    return out


def _escaping(src: Path, out: Path) -> Path:
    entries = _members(src)
    top = next(iter(entries)).split("/")[0]
    entries[f"{top}/../evil"] = b"owned"
    return _rezip(out, entries)


def _escaping_deep(src: Path, out: Path) -> Path:
    entries = _members(src)
    top = next(iter(entries)).split("/")[0]
    entries[f"{top}/model/../../../evil"] = b"owned"
    return _rezip(out, entries)


def _absolute(src: Path, out: Path) -> Path:
    entries = _members(src)
    entries["/tmp/evil-diglot-absolute"] = b"owned"
    return _rezip(out, entries)


def _symlink(src: Path, out: Path) -> Path:
    entries = _members(src)
    top = next(iter(entries)).split("/")[0]
    entries[f"{top}/link"] = b"/etc/passwd"
    return _rezip(out, entries, modes={f"{top}/link": 0o120777})


def _no_metadata(src: Path, out: Path) -> Path:
    return _rezip(out, {k: v for k, v in _members(src).items() if not k.endswith("metadata.json")})


def _bad_metadata(src: Path, out: Path) -> Path:
    entries = _members(src)
    name = next(k for k in entries if k.endswith("metadata.json"))
    entries[name] = b'{"type": "translate", "from_code": "fr",'
    return _rezip(out, entries)


def _hostile_codes(src: Path, out: Path) -> Path:
    entries = _members(src)
    name = next(k for k in entries if k.endswith("metadata.json"))
    entries[name] = b'{"type": "translate", "from_code": "../../x", "to_code": "en"}'
    return _rezip(out, entries)


def _broken_tokenizer(src: Path, out: Path) -> Path:
    entries = _members(src)
    name = next(k for k in entries if k.endswith("sentencepiece.model"))
    entries[name] = b"\x00not a sentencepiece model"
    return _rezip(out, entries)


def _two_tops(src: Path, out: Path) -> Path:
    entries = _members(src)
    entries["other/README.md"] = b"hello"
    return _rezip(out, entries)


BAD: dict[str, Callable[[Path, Path], Path]] = {
    "garbage": _garbage, "truncated": _truncated, "central directory cut": _tail_cut, "bad checksum": _bad_crc,
    "../evil entry": _escaping, "deep ../ entry": _escaping_deep, "absolute entry": _absolute,
    "symlink entry": _symlink, "no metadata.json": _no_metadata, "broken metadata.json": _bad_metadata,
    "path-like language codes": _hostile_codes, "broken tokenizer": _broken_tokenizer, "two top folders": _two_tops,
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_package_refused_without_leftovers(
    translate_library: Library, tiny_packages: TinyPackages, diglot_home: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str], case: str,
) -> None:
    from tui.translate.packages import installed_packages

    # A good package first: a failed install must not damage or replace it.
    assert main(["models", "install", str(tiny_packages.marker_en_it)]) == 0
    capsys.readouterr()
    before = packages_left(diglot_home)
    bad = BAD[case](tiny_packages.copy_fr_en, tmp_path / f"bad-{case.replace(' ', '_').replace('/', '')}.argosmodel")

    code = main(["models", "install", str(bad)])
    out, err = capsys.readouterr()
    assert code != 0, (case, out, err)
    assert_clean_output(out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("diglot: "), (case, err)
    assert packages_left(diglot_home) == before, "something was left in the packages folder"
    assert [(p.from_code, p.to_code) for p in installed_packages()] == [("en", "it")]
    for evil in (diglot_home / "data" / "evil", diglot_home / "evil", tmp_path / "evil",
                 Path("/tmp/evil-diglot-absolute")):
        assert not evil.exists(), evil

    # The same through the function the UI calls.
    from tui.translate.packages import install_package

    with pytest.raises(DiglotError) as raised:
        install_package(bad)
    assert "\n" not in str(raised.value)
    assert packages_left(diglot_home) == before
