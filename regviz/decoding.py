"""Bytes of an uploaded file to text: the size limit, the source kinds, the encoding.

Students upload what their spreadsheet wrote: UTF-8 with or without a
byte-order mark, Windows-1252 accents, UTF-16 from Excel's "Unicode text"
(sometimes without a byte-order mark), or by mistake a workbook or a zip.
:func:`decode` settles the encoding and refuses binary files with a hint about
what they are; :mod:`regviz.reading` then finds the table in the text.
"""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path

from regviz.errors import DataError

__all__ = ["MAX_FILE_BYTES", "decode", "read_bytes", "utf16_without_bom"]

MAX_FILE_BYTES = 200 * 1024 * 1024
"""Largest upload accepted; bigger files would not fit a teaching session's memory."""

_CONTROL_RE = re.compile(r"[\x01-\x08\x0e-\x1f\x7f-\x9f]")
_CONTROL_SAMPLE_CHARS = 64_000  # characters checked for control characters


def _too_big_message(n_bytes: int) -> str:
    return (
        f"The file is {n_bytes / 1024 / 1024:,.0f} MB, over the size limit of "
        f"{MAX_FILE_BYTES // (1024 * 1024)} MB. Upload a smaller extract (fewer rows or columns)."
    )


def read_bytes(source: object) -> bytes:
    """Return the raw bytes of ``source`` without ever reading more than the size limit."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    elif isinstance(source, str) and ("\n" in source or "\r" in source):
        data = source.encode("utf-8", errors="replace")
    elif isinstance(source, (str, os.PathLike)):
        data = _read_path(source)
    elif hasattr(source, "read"):
        data = _read_file_object(source)
    else:
        raise DataError(
            f"Cannot read a table from a {type(source).__name__}; "
            "pass the file's bytes, a path, or an open file."
        )
    if len(data) > MAX_FILE_BYTES:
        raise DataError(_too_big_message(len(data)))
    return data


def _read_path(source: str | os.PathLike[str]) -> bytes:
    """Read a file from disk, checking its size before reading it."""
    try:
        path = Path(source)
        is_dir = path.is_dir()
        size = 0 if is_dir else path.stat().st_size
    except (OSError, ValueError, TypeError) as exc:  # missing, no permission, NUL in name
        reason = getattr(exc, "strerror", None) or str(exc)
        raise DataError(f"Could not open the file '{source}': {reason}.") from exc
    if is_dir:
        raise DataError(f"'{path}' is a folder, not a file. Choose a CSV file.")
    if size > MAX_FILE_BYTES:
        raise DataError(_too_big_message(size))
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DataError(f"Could not read the file '{source}': {exc.strerror or exc}.") from exc


def _read_file_object(source: object) -> bytes:
    try:
        if getattr(source, "seekable", lambda: False)():
            source.seek(0)  # type: ignore[attr-defined]
        chunk = source.read(MAX_FILE_BYTES + 1)  # type: ignore[attr-defined]
    except (OSError, ValueError, TypeError, UnicodeError) as exc:
        raise DataError(f"Could not read the uploaded file: {exc}.") from exc
    if isinstance(chunk, str):
        return chunk.encode("utf-8", errors="replace")
    if isinstance(chunk, (bytes, bytearray, memoryview)):
        return bytes(chunk)
    raise DataError("The uploaded file did not return bytes or text when read.")


def decode(raw: bytes) -> tuple[str, list[str]]:
    """Turn bytes into text, refusing binary files with a hint about what they are."""
    notes: list[str] = []
    if not raw or raw.isspace():
        raise DataError("The file is empty. Choose a CSV file that contains a table.")
    if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise DataError(
            "This looks like an Excel workbook or a zip archive, not a CSV text file. "
            "In your spreadsheet program use 'Save as' > 'CSV' and upload that file."
        )
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = raw.decode("utf-16")
        except UnicodeError as exc:
            raise DataError("The file claims to be UTF-16 text but cannot be decoded.") from exc
    elif b"\x00" in raw and (utf16 := utf16_without_bom(raw)) is not None:
        text = raw.decode(utf16)
        notes.append(
            f"The file is UTF-16 text ({_UTF16_WORDS[utf16]}) without a byte-order mark; "
            "it was read as such."
        )
    elif b"\x00" in raw:
        raise DataError(
            "The file contains binary data (NUL bytes), so it is not a CSV text file. "
            "Export the table as CSV and upload that."
        )
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = raw.decode("cp1252")
            except UnicodeDecodeError:
                text = raw.decode("latin-1")
            notes.append(
                "The file is not valid UTF-8, so it was read as Windows-1252 / Latin-1 "
                "(Western European); check that accented letters look right."
            )
    text = text.lstrip("\ufeff").rstrip("\x1a")  # BOM inside UTF-16; DOS end-of-file mark
    sample = text[:_CONTROL_SAMPLE_CHARS]
    n_control = len(_CONTROL_RE.findall(sample))
    if n_control > max(2, len(sample) // 100):
        raise DataError(
            "The file contains binary data (control characters), so it is not a CSV text "
            "file. Export the table as CSV and upload that."
        )
    if not text.strip():
        raise DataError("The file is empty. Choose a CSV file that contains a table.")
    return text, notes


_UTF16_WORDS = {"utf-16-le": "little-endian", "utf-16-be": "big-endian"}


def utf16_without_bom(raw: bytes) -> str | None:
    """'utf-16-le' or '-be' when ``raw`` is UTF-16 text that lacks a byte-order mark.

    Windows tools write such files; ASCII text in UTF-16 has a NUL in every other
    byte, on the odd positions for little-endian and the even ones for big-endian.
    """
    sample = raw[: 2 * 4096]
    half = len(sample) // 2
    if half < 2 or len(raw) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    for name, nul, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if nul >= 0.6 * half and other <= 0.05 * half:
            try:
                raw.decode(name)
            except UnicodeDecodeError:
                return None
            return name
    return None
