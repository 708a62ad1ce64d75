"""Import files, folders and globs into the store: read, pick an importer, clean, title, detect language, save.

Bad input never raises out of `import_paths`: each file or record that cannot be imported becomes one line in
`ImportReport.refused`, and the rest goes on. Only cancellation (`Cancelled`) and a broken library stop it.
"""

from __future__ import annotations

import glob
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.errors import DiglotError
from tui.library.cleanup import clean
from tui.library.importers import EXTENSIONS, FormatError, RecordRefusal, choose
from tui.library.importers.decode import Unreadable, decode, os_reason, read_bounded
from tui.library.language import detect
from tui.library.model import ArticleDraft
from tui.library.store import Store
from tui.library.titles import make_title
from tui.progress import CancelToken, Progress, ProgressCallback, ignore_progress
from tui.resources import seeds_dir

STAGE = "import"
BATCH = 200  # drafts saved per transaction: one commit per batch, cancellation checked between batches


@dataclass
class ImportReport:
    """What an import did. Ids of articles imported, updated or unchanged; refused inputs with a reason;
    files skipped in folders because their extension is not an article format."""

    imported: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    files: int = 0

    @property
    def total(self) -> int:
        """Every article or record looked at: accepted (imported, updated, unchanged) or refused."""
        return len(self.imported) + len(self.updated) + len(self.unchanged) + len(self.refused)

    @property
    def accepted(self) -> int:
        return len(self.imported) + len(self.updated) + len(self.unchanged)

    def as_dict(self) -> dict[str, Any]:
        return {
            "imported": list(self.imported),
            "updated": list(self.updated),
            "unchanged": list(self.unchanged),
            "refused": [{"input": where, "reason": reason} for where, reason in self.refused],
            "skipped": list(self.skipped),
            "files": self.files,
            "total": self.total,
            "counts": {
                "imported": len(self.imported),
                "updated": len(self.updated),
                "unchanged": len(self.unchanged),
                "refused": len(self.refused),
                "skipped": len(self.skipped),
            },
        }


@dataclass(frozen=True, slots=True)
class _File:
    path: Path  # as the user named it or as found in a folder (shown in messages)
    real: Path  # absolute, links resolved (the source key)


def import_paths(
    store: Store,
    targets: Sequence[str | Path],
    *,
    progress: ProgressCallback = ignore_progress,
    cancel: CancelToken | None = None,
    on_saved: Callable[[list[str]], None] | None = None,
) -> ImportReport:
    """Import every article found in `targets` (files, folders searched recursively, glob patterns).

    `on_saved(ids)`: called after each committed batch with the ids it imported or updated (the search
    indexer starts on them while the import goes on).
    """
    report = ImportReport()
    files = _expand(targets, report)
    report.files = len(files)
    total = len(files)
    for done, item in enumerate(files):
        if cancel is not None:
            cancel.check()
        progress(Progress(STAGE, done, total, str(item.path)))
        _import_file(
            store, item, report, progress=progress, cancel=cancel, done=done, total=total, on_saved=on_saved
        )
    progress(Progress(STAGE, total, total, ""))
    return report


def import_seeds(store: Store) -> ImportReport:
    """The sample articles shipped with Diglot (first start, empty library)."""
    return import_paths(store, [seeds_dir()])


# -- finding files ----------------------------------------------------------------------------------------------
def _expand(targets: Sequence[str | Path], report: ImportReport) -> list[_File]:
    found: list[_File] = []
    seen: set[str] = set()

    def add(path: Path) -> None:
        real = Path(os.path.realpath(path))  # realpath (not resolve) never raises on a link loop
        if str(real) not in seen:
            seen.add(str(real))
            found.append(_File(path, real))

    for target in targets:
        name = str(target)
        path = Path(name).expanduser()
        if os.path.lexists(path):
            if path.is_dir():
                for item in _walk(path, report):
                    add(item)
            else:
                add(path)
        elif glob.has_magic(name):
            matches = sorted(glob.glob(os.path.expanduser(name), recursive=True))
            if not matches:
                report.refused.append((name, "no file matches this pattern"))
            for match in matches:
                match_path = Path(match)
                if match_path.is_dir():
                    for item in _walk(match_path, report):
                        add(item)
                else:
                    add(match_path)
        else:
            report.refused.append((name, "no such file or folder"))
    return found


def _walk(root: Path, report: ImportReport) -> Iterator[Path]:
    """Files under `root` with an article extension, sorted; links followed, each folder visited once (loops);
    hidden files and folders (.git, .DS_Store) left out."""
    visited: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            info = os.stat(folder)
            if (info.st_dev, info.st_ino) in visited:
                continue  # a link back to a folder already seen: a loop
            visited.add((info.st_dev, info.st_ino))
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as err:
            report.refused.append((str(folder), os_reason(err)))
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                subfolders.append(path)
            elif path.suffix.lower() in EXTENSIONS:
                yield path
            else:
                report.skipped.append(str(path))
        stack.extend(reversed(subfolders))


# -- one file ---------------------------------------------------------------------------------------------------
def _import_file(
    store: Store,
    item: _File,
    report: ImportReport,
    *,
    progress: ProgressCallback,
    cancel: CancelToken | None,
    done: int,
    total: int,
    on_saved: Callable[[list[str]], None] | None = None,
) -> None:
    shown = str(item.path)
    try:
        text = decode(read_bounded(item.path))
    except Unreadable as err:
        report.refused.append((shown, str(err)))
        return
    importer = choose(item.path, text)
    try:
        parsed = list(importer.parse(text, item.real))
    except FormatError as err:
        report.refused.append((shown, str(err)))
        return
    except Exception as err:  # noqa: BLE001 - a parser failing on odd input refuses the file, never the import
        report.refused.append((shown, f"could not read it as {importer.name} ({type(err).__name__})"))
        return
    del text
    if not parsed:
        report.refused.append((shown, "no articles found"))
        return
    real_prefix = str(item.real)
    for start in range(0, len(parsed), BATCH):
        if cancel is not None and start:
            cancel.check()
        if start:
            progress(Progress(STAGE, done, total, f"{shown}: {start} articles"))
        imported, updated = len(report.imported), len(report.updated)
        try:
            with store.transaction():
                for entry in parsed[start : start + BATCH]:
                    if isinstance(entry, RecordRefusal):
                        report.refused.append((entry.where.replace(real_prefix, shown, 1), entry.reason))
                        continue
                    where = shown + entry.source_key[len("file:") + len(real_prefix) :]
                    _save(store, entry, where, report)
        except sqlite3.Error as err:
            raise DiglotError(f"Could not write to the library {store.path}: {err}.") from err
        if on_saved is not None:
            on_saved(report.imported[imported:] + report.updated[updated:])


def _save(store: Store, draft: ArticleDraft, where: str, report: ImportReport) -> None:
    """Clean, title and store one draft, and record the outcome."""
    try:
        lang = draft.lang or detect(draft.raw)
        paragraphs = clean(draft.raw, lang)
        if not paragraphs:
            report.refused.append((where, "no text"))
            return
        title = make_title(draft.title, paragraphs)
    except Exception as err:  # noqa: BLE001 - odd text must not stop the import; the record is refused
        report.refused.append((where, f"could not clean the text ({type(err).__name__})"))
        return
    outcome = store.save(draft, paragraphs, lang, title)
    {"imported": report.imported, "updated": report.updated}.get(outcome.status, report.unchanged).append(
        outcome.article_id
    )
