"""Read a file's bytes with a size bound and turn them into text, or say in one line why not."""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

MAX_BYTES = 50 * 1024 * 1024

# Magic numbers of common binary formats people might point an import at by mistake.
_MAGIC = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or an office document)",
    b"\x1f\x8b": "a gzip archive",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x7fELF": "a program (ELF binary)",
    b"SQLite format 3": "an SQLite database",
    b"BZh": "a bzip2 archive",
    b"\xfd7zXZ": "an xz archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"RIFF": "a media file (RIFF)",
    b"OggS": "an Ogg media file",
    b"ID3": "an MP3 file",
    b"\xd0\xcf\x11\xe0": "an old Office document",
}


class Unreadable(Exception):
    """The file cannot be turned into text; `str()` is the one-line reason."""


def read_bounded(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file, reading at most `limit` + 1 bytes so a huge file is never loaded."""
    try:
        info = os.stat(path)
    except OSError as err:
        raise Unreadable(os_reason(err)) from err
    if not stat.S_ISREG(info.st_mode):
        raise Unreadable("not a regular file")  # FIFOs and devices would block or never end
    if info.st_size > limit:
        raise Unreadable(f"file too large ({_size(info.st_size)}; the limit is {_size(limit)})")
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as err:
        raise Unreadable(os_reason(err)) from err
    if len(data) > limit:  # the file grew after stat()
        raise Unreadable(f"file too large (over {_size(limit)})")
    return data


def decode(data: bytes) -> str:
    """UTF-8, UTF-8 with BOM, UTF-16/32 by BOM, then a charset guess (charset_normalizer), then Latin-1."""
    if not data.strip():
        raise Unreadable("empty file")
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),  # before UTF-16: same first bytes
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return _not_empty(data.decode(codec))
            except UnicodeDecodeError as err:
                raise Unreadable(f"undecodable {codec} text (byte {err.start})") from err
    kind = binary_kind(data)
    if kind:
        raise Unreadable(f"binary file ({kind})")
    try:
        return _not_empty(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    return _not_empty(_guess(data))


def binary_kind(data: bytes) -> str | None:
    """What kind of binary file this is, or None if it looks like text."""
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            return kind
    head = data[:8192]
    nuls = head.count(0)
    if nuls:
        # UTF-16 without a BOM has a NUL in every other byte; let the charset guess try it.
        if nuls * 3 >= len(head) and _looks_utf16(head):
            return None
        if nuls * 20 > len(head) or nuls > 16:  # a stray NUL in text is removed by cleanup
            return "contains NUL bytes"
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    if controls * 10 > len(head):
        return "mostly control bytes"
    return None


def _looks_utf16(head: bytes) -> bool:
    even, odd = head[0::2].count(0), head[1::2].count(0)
    return max(even, odd) * 2 >= len(head) // 2 and min(even, odd) * 10 < len(head) // 2


def _guess(data: bytes) -> str:
    try:
        from charset_normalizer import from_bytes

        matches = list(from_bytes(data[: 1024 * 1024]))  # a sample decides; the whole file is then decoded
        # Short texts fit several single-byte code pages; Windows-1252 (Western Europe) is by far the most
        # common, so it wins whenever it is among the plausible ones (Polish or Czech text rules it out).
        names = [match.encoding for match in matches]
        for western in ("cp1252", "latin_1", "iso8859_15"):
            if western in names:
                return data.decode("cp1252" if western == "cp1252" else western, errors="replace")
        if matches:
            return data.decode(matches[0].encoding, errors="replace")
    except (ImportError, LookupError, ValueError):
        pass
    return data.decode("latin-1")


def _not_empty(text: str) -> str:
    if not text.strip():
        raise Unreadable("empty file")
    return text


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n} bytes"


def os_reason(err: OSError) -> str:
    import errno

    if err.errno == errno.ELOOP:
        return "symbolic link loop"
    if err.errno == errno.ENOENT:
        return "no such file (or a broken link)"
    if err.errno == errno.EACCES:
        return "permission denied"
    if err.errno == errno.EISDIR:
        return "is a folder"
    return (err.strerror or type(err).__name__).strip().lower()
