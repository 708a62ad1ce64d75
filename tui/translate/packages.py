"""Argos Translate packages in Diglot's own folder: list, install from a file (validated first), remove.

Nothing here touches the network except `download_package`, which runs only when the user asks for
`diglot models install SRC TGT`. Argos is always redirected into our folders before it is imported.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import sys
import tempfile
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from tui.errors import DiglotError, NotFoundError
from tui.paths import Paths, current_paths, redirect_argos
from tui.progress import CancelToken, Progress, ProgressCallback, ignore_progress

MARKER = ".diglot.json"  # written into each folder we install: sha256 of the file it came from
_CODE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$")
_MAX_UNPACKED = 8 * 1024**3  # refuse zip bombs: no real package comes near this
_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"


def index_url() -> str:
    """Argos's package index, or the mirror named by ARGOS_PACKAGE_INDEX (Argos's own setting: a base URL)."""
    base = os.environ.get("ARGOS_PACKAGE_INDEX", "").strip()
    if not base:
        return _INDEX_URL
    return base if base.endswith(".json") else base.rstrip("/") + "/index.json"


class MissingPackageError(NotFoundError):
    """No installed package (direct or through English) for a language pair."""

    def __init__(self, source: str, target: str) -> None:
        super().__init__(
            f"No translation package for {source} -> {target}. Install one from a file with "
            f"`diglot models install FILE.argosmodel` (translate-{source}_{target}), or download it with "
            f"`diglot models install {source} {target}` when online."
        )
        self.source = source
        self.target = target


@dataclass(frozen=True, slots=True)
class PackageInfo:
    """An installed (or, from a fetched index, available) translation package."""

    from_code: str
    to_code: str
    name: str
    version: str
    installed: bool
    path: Path | None = None
    fingerprint: str = ""
    size: int = 0

    @property
    def pair(self) -> str:
        return f"{self.from_code}->{self.to_code}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.from_code, "to": self.to_code, "name": self.name, "version": self.version,
            "installed": self.installed, "path": str(self.path) if self.path else None,
            "fingerprint": self.fingerprint, "size": self.size,
        }


def packages_dir(paths: Paths | None = None) -> Path:
    folder = (paths or current_paths()).argos_packages
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def argos_package_module(paths: Paths | None = None):  # noqa: ANN201 - argostranslate.package
    """`argostranslate.package`, imported only after its folders point into ours."""
    if "argostranslate" not in sys.modules:
        redirect_argos(paths or current_paths())
    import argostranslate.package

    return argostranslate.package


# -- listing ------------------------------------------------------------------------------------------------
def installed_packages(paths: Paths | None = None) -> list[PackageInfo]:
    """Installed translate packages, read from their metadata (no model is loaded)."""
    found: list[PackageInfo] = []
    folder = packages_dir(paths)
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith(".") or not entry.is_dir():
            continue  # ".tmp-*" folders are installs in progress or leftovers of a crash
        meta = _read_json(entry / "metadata.json")
        if not isinstance(meta, dict) or meta.get("type", "translate") != "translate":
            continue
        src, tgt = meta.get("from_code"), meta.get("to_code")
        if not (isinstance(src, str) and isinstance(tgt, str)):
            continue
        found.append(PackageInfo(
            from_code=src, to_code=tgt, name=str(meta.get("package_name") or entry.name),
            version=str(meta.get("package_version", "")), installed=True, path=entry,
            fingerprint=_fingerprint(entry, meta), size=_folder_size(entry),
        ))
    return found


def list_packages(paths: Paths | None = None) -> list[PackageInfo]:
    """Installed packages, plus those of the Argos index if one was downloaded before (never fetched here)."""
    installed = installed_packages(paths)
    have = {(p.from_code, p.to_code) for p in installed}
    available = [p for p in _index_packages(paths) if (p.from_code, p.to_code) not in have]
    return installed + available


def find_package(source: str, target: str, paths: Paths | None = None) -> PackageInfo | None:
    for info in installed_packages(paths):
        if info.from_code == source and info.to_code == target:
            return info
    return None


def find_route(source: str, target: str, paths: Paths | None = None) -> list[PackageInfo]:
    """The packages to chain: the direct one, else source->en->target. Raises MissingPackageError."""
    installed = {(p.from_code, p.to_code): p for p in installed_packages(paths)}
    if (source, target) in installed:
        return [installed[(source, target)]]
    if "en" not in (source, target) and (source, "en") in installed and ("en", target) in installed:
        return [installed[(source, "en")], installed[("en", target)]]
    raise MissingPackageError(source, target)


# -- installing ---------------------------------------------------------------------------------------------
def install_package(
    path: str | Path, paths: Paths | None = None, *, progress: ProgressCallback = ignore_progress
) -> PackageInfo:
    """Install a .argosmodel file. The archive is checked before anything is extracted, extracted into a
    hidden folder, then renamed into place, so a failure leaves nothing behind."""
    source = Path(path).expanduser()
    if not source.is_file():
        raise NotFoundError(f"No such package file: {source}")
    folder = packages_dir(paths)
    _clean_leftovers(folder)
    progress(Progress("install", 0, 3, "checking"))
    top, meta = validate_archive(source)
    src, tgt = meta["from_code"], meta["to_code"]
    digest = _sha256(source)
    staging = Path(tempfile.mkdtemp(prefix=".tmp-install-", dir=folder))
    try:
        progress(Progress("install", 1, 3, "extracting"))
        _extract(source, top, staging / "pkg")
        _check_loadable(staging / "pkg")
        (staging / "pkg" / MARKER).write_text(
            json.dumps({"sha256": digest, "file": source.name, "installed_at": time.time()}) + "\n"
        )
        progress(Progress("install", 2, 3, "activating"))
        destination = folder / f"translate-{src}_{tgt}"
        old = [p.path for p in installed_packages(paths) if (p.from_code, p.to_code) == (src, tgt) and p.path]
        graveyard = Path(tempfile.mkdtemp(prefix=".tmp-old-", dir=folder))
        for index, existing in enumerate(old):
            os.replace(existing, graveyard / str(index))
        os.replace(staging / "pkg", destination)
        shutil.rmtree(graveyard, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    forget_loaded()
    progress(Progress("install", 3, 3, "done"))
    info = find_package(src, tgt, paths)
    assert info is not None
    return info


def validate_archive(path: Path) -> tuple[str, dict[str, Any]]:
    """Check a .argosmodel without extracting it; return its top folder and metadata. Raises DiglotError."""
    name = path.name
    if not zipfile.is_zipfile(path):
        raise DiglotError(f"{name} is not an Argos package (not a zip archive, or truncated).")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            bad = archive.testzip()
            if bad is not None:
                raise DiglotError(f"{name} is damaged (bad checksum in {bad}).")
            tops = set()
            total = 0
            for info in infos:
                _check_member(name, info)
                tops.add(PurePosixPath(info.filename).parts[0])
                total += info.file_size
            if len(tops) != 1:
                raise DiglotError(f"{name} must hold exactly one top-level folder.")
            if total > _MAX_UNPACKED:
                raise DiglotError(f"{name} unpacks to more than {_MAX_UNPACKED >> 30} GB; refused.")
            top = tops.pop()
            names = {info.filename.rstrip("/") for info in infos}
            for required in ("metadata.json", "sentencepiece.model", "model/model.bin"):
                if f"{top}/{required}" not in names:
                    raise DiglotError(f"{name} is not a translation package: {required} is missing.")
            try:
                meta = json.loads(archive.read(f"{top}/metadata.json").decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as err:
                raise DiglotError(f"{name}: metadata.json is not valid JSON ({err}).") from err
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as err:  # truncated or damaged
        raise DiglotError(f"{name} is damaged or truncated ({err}).") from err
    _check_metadata(name, meta)
    return top, meta


def _check_member(name: str, info: zipfile.ZipInfo) -> None:
    member = info.filename
    parts = PurePosixPath(member).parts
    if (
        not member or member.startswith(("/", "\\")) or "\\" in member or re.match(r"^[A-Za-z]:", member)
        or any(part in ("..", ".") for part in parts) or "\x00" in member
    ):
        raise DiglotError(f"{name} is refused: unsafe path {member!r} in the archive.")
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)  # 0 when the archiver recorded permissions only
    if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
        raise DiglotError(f"{name} is refused: {member!r} is a link or a special file.")
    if info.flag_bits & 0x1:
        raise DiglotError(f"{name} is refused: encrypted entries.")


def _check_metadata(name: str, meta: Any) -> None:
    if not isinstance(meta, dict):
        raise DiglotError(f"{name}: metadata.json must be an object.")
    if meta.get("type", "translate") != "translate":
        raise DiglotError(f"{name} is a {meta.get('type')!r} package, not a translation package.")
    for key in ("from_code", "to_code"):
        value = meta.get(key)
        if not isinstance(value, str) or not _CODE.match(value):
            raise DiglotError(f"{name}: metadata.json has no valid {key}.")
    if meta["from_code"] == meta["to_code"]:
        raise DiglotError(f"{name}: from_code and to_code are the same.")
    prefix = meta.get("target_prefix", "")
    if not isinstance(prefix, str) or not isinstance(meta.get("package_version", ""), str | int | float):
        raise DiglotError(f"{name}: metadata.json has malformed fields.")


def _extract(path: Path, top: str, destination: Path) -> None:
    """Extract member by member to paths we computed ourselves (never extractall)."""
    destination.mkdir(parents=True)
    root = destination.resolve()
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            rel = PurePosixPath(info.filename).relative_to(top)
            target = (destination / rel).resolve()
            if target != root and root not in target.parents:
                raise DiglotError(f"{path.name} is refused: {info.filename!r} escapes the package folder.")
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)


def _check_loadable(folder: Path) -> None:
    """The tokenizer must load and the model folder must look like CTranslate2's, before it goes live."""
    import sentencepiece as spm

    try:
        spm.SentencePieceProcessor(model_file=str(folder / "sentencepiece.model"))
    except (RuntimeError, OSError) as err:
        raise DiglotError(f"The package's sentencepiece.model does not load ({err}).") from err
    if not (folder / "model" / "model.bin").stat().st_size:
        raise DiglotError("The package's model/model.bin is empty.")


# -- removing -----------------------------------------------------------------------------------------------
def remove_package(source: str, target: str, paths: Paths | None = None) -> PackageInfo:
    info = find_package(source, target, paths)
    if info is None or info.path is None:
        raise NotFoundError(f"No installed package {source} -> {target}. See `diglot models list`.")
    folder = packages_dir(paths)
    graveyard = Path(tempfile.mkdtemp(prefix=".tmp-old-", dir=folder))
    os.replace(info.path, graveyard / "pkg")  # disappears from listings at once, even if rmtree is slow
    shutil.rmtree(graveyard, ignore_errors=True)
    forget_loaded()
    return info


def forget_loaded() -> None:
    """Drop every loaded model and Argos's own caches, so a reinstalled package is really used."""
    from tui.translate import engine

    engine.unload_all()
    translate = sys.modules.get("argostranslate.translate")
    if translate is not None:
        translate.installed_translates.clear()
        translate.get_installed_languages.cache_clear()


# -- downloading (only on the user's explicit request) ------------------------------------------------------
def download_package(
    source: str, target: str, paths: Paths | None = None, *,
    progress: ProgressCallback = ignore_progress, cancel: CancelToken | None = None,
) -> PackageInfo:
    """Fetch the Argos index, download the package for source->target, install it through the file path."""
    import urllib.request

    paths = paths or current_paths()
    hint = (f"Download translate-{source}_{target}.argosmodel on a connected machine "
            f"(https://www.argosopentech.com/argospm/index/) and run `diglot models install FILE.argosmodel`.")
    progress(Progress("download", 0, 0, "package index"))
    try:
        with urllib.request.urlopen(index_url(), timeout=20) as response:  # noqa: S310 - Argos index or mirror
            raw = response.read()
        index = json.loads(raw)
    except Exception as err:  # offline, DNS, TLS, proxy, bad JSON: all mean "cannot download now"
        raise DiglotError(f"Cannot reach the Argos package index ({_reason(err)}). {hint}") from err
    index_file = _index_file(paths)
    index_file.parent.mkdir(parents=True, exist_ok=True)
    index_file.write_bytes(raw)
    match = [m for m in index if isinstance(m, dict) and m.get("from_code") == source
             and m.get("to_code") == target and m.get("type", "translate") == "translate"]
    if not match or not match[0].get("links"):
        raise NotFoundError(f"The Argos index has no package {source} -> {target}.")
    downloads = paths.cache / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    part = downloads / f"translate-{source}_{target}.argosmodel.part"
    finished = part.with_suffix("")  # only a complete download loses ".part"
    link = str(match[0]["links"][0])
    try:
        with urllib.request.urlopen(link, timeout=60) as response, open(part, "wb") as out:  # noqa: S310
            total = int(response.headers.get("Content-Length") or 0)
            done = 0
            while chunk := response.read(1 << 20):
                if cancel:
                    cancel.check()
                out.write(chunk)
                done += len(chunk)
                progress(Progress("download", done, total, "bytes"))
        os.replace(part, finished)
        try:
            return install_package(finished, paths, progress=progress)
        except DiglotError as err:
            raise DiglotError(f"The package downloaded from {link} is unusable: {err}") from err
    except DiglotError:
        raise
    except Exception as err:
        raise DiglotError(f"Download failed ({_reason(err)}). {hint}") from err
    finally:
        part.unlink(missing_ok=True)
        finished.unlink(missing_ok=True)


def _reason(err: BaseException) -> str:
    reason = getattr(err, "reason", None) or err
    return " ".join(str(reason).split())[:120] or type(err).__name__


def _index_file(paths: Paths | None) -> Path:
    """Where Argos itself keeps the downloaded index (inside our redirected XDG data folder)."""
    return (paths or current_paths()).argos_home / "data" / "argos-translate" / "index.json"


def _index_packages(paths: Paths | None) -> list[PackageInfo]:
    data = _read_json(_index_file(paths))
    if not isinstance(data, list):
        return []
    found = []
    for meta in data:
        if isinstance(meta, dict) and meta.get("type", "translate") == "translate":
            src, tgt = meta.get("from_code"), meta.get("to_code")
            if isinstance(src, str) and isinstance(tgt, str):
                found.append(PackageInfo(src, tgt, str(meta.get("package_name") or f"translate-{src}_{tgt}"),
                                         str(meta.get("package_version", "")), installed=False))
    return found


# -- helpers ------------------------------------------------------------------------------------------------
def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _fingerprint(folder: Path, meta: dict[str, Any]) -> str:
    """Identifies the exact model: the archive hash we recorded, else the model file's size and time."""
    marker = _read_json(folder / MARKER)
    if isinstance(marker, dict) and isinstance(marker.get("sha256"), str):
        ident = marker["sha256"]
    else:
        try:
            st = (folder / "model" / "model.bin").stat()
            ident = f"{st.st_size}:{st.st_mtime_ns}"
        except OSError:
            ident = "?"
    base = f"{meta.get('from_code')}-{meta.get('to_code')}@{meta.get('package_version', '')}"
    return f"{base}#{hashlib.blake2b(ident.encode(), digest_size=8).hexdigest()}"


def _folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _clean_leftovers(folder: Path) -> None:
    """Remove hidden staging folders an interrupted install or remove left behind (older than a minute)."""
    now = time.time()
    for entry in folder.glob(".tmp-*"):
        try:
            if now - entry.stat().st_mtime > 60:
                shutil.rmtree(entry, ignore_errors=True)
        except OSError:
            pass
