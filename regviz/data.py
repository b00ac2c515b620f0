"""Load a student's CSV file and turn a table into a numeric design matrix.

Students upload whatever their spreadsheet program wrote: semicolons and
decimal commas from a German Excel, Latin-1 accents, a byte-order mark, "N/A"
for gaps, "$1,234" for prices. This module absorbs those differences so the
modelling code only ever sees a finite, C-contiguous float64 matrix, and it
turns everything it cannot absorb into a :class:`DataError` whose message
names the line, row or column and says what to change.

Every silent decision (a converted column, a dropped row, an excluded
feature) is recorded as a plain-English note, so the app can show the
student exactly what happened to their data.

Public API: :func:`read_table`, :func:`design_matrix`, :class:`Design`,
:func:`too_few_rows_message`, :func:`default_target` and :class:`DataError`.
Only numpy, pandas and the standard library are used at run time.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from regviz.errors import DataError

__all__ = [
    "MAX_ABS_VALUE",
    "MAX_FILE_BYTES",
    "MAX_LEVELS",
    "DataError",
    "Design",
    "default_target",
    "design_matrix",
    "read_table",
    "too_few_rows_message",
]

MAX_FILE_BYTES = 200 * 1024 * 1024
"""Largest upload accepted; bigger files would not fit a teaching session's memory."""

MAX_LEVELS = 50
"""Most distinct values a text column may have and still be one-hot encoded."""

MAX_ABS_VALUE = 1e150
"""Largest magnitude allowed in X or y: anything bigger overflows when squared."""

_SEPARATORS = (",", ";", "\t", "|")
WHITESPACE = " "
"""What separator detection returns for a table lined up with runs of spaces."""
_SEP_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "pipes (|)"}
_SAMPLE_CHARS = 64_000
_SNIFF_CHARS = 16_000
_MIN_ROWS = 3

# Compared after str.strip().casefold(); pandas' own list is switched off so we can
# report which markers a column used.
_MISSING_MARKERS = frozenset(
    {
        "", "na", "n/a", "nan", "null", "none", "?", "-", "--", ".", "<na>", "nil",
        "#n/a", "#na", "#div/0!", "#value!", "#ref!", "#num!", "#name?", "#null!",
    }
)  # fmt: skip

_CONTROL_RE = re.compile(r"[\x01-\x08\x0e-\x1f\x7f-\x9f]")
_CURRENCY = "$€£¥"
_NUMBER_RE = (
    r"^(?P<s1>[-+\u2212]?)\s*(?P<c1>[$€£¥]?)\s*(?P<s2>[-+\u2212]?)\s*"
    r"(?P<body>\d[\d.,' \u00a0\u202f]*|[.,]\d+)"
    r"\s*(?P<c2>[$€£¥]?)\s*(?P<pct>%?)$"
)
_GROUP_CHARS = r"[ '\u00a0\u202f]"
_SPACE_GROUPED_RE = r"\d{1,3}(?:[ '\u00a0\u202f]\d{3})+(?:[.,]\d+)?"
_DOT_DECIMAL_RE = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+"
_COMMA_DECIMAL_RE = r"(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d*)?|,\d+"
_PLAIN_NUMBER_RE = re.compile(r"^[-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][-+]?\d+)?$")

_ID_NAME_RE = re.compile(
    r"^(?:id|index|idx|row ?(?:id|no|num|number)|unnamed: ?\d+|.*[_ ]id)$", re.IGNORECASE
)


# --------------------------------------------------------------------------- reading


def read_table(
    source: bytes | bytearray | str | os.PathLike[str] | IO[bytes] | IO[str],
) -> pd.DataFrame:
    """Read an uploaded CSV-like file into a DataFrame, tolerating spreadsheet quirks.

    ``source`` is the file's bytes, a path (a ``str`` containing a line break is
    taken as the CSV text itself), or an open binary/text file object (rewound
    first, because Streamlit hands back the same upload object on every rerun).

    The separator (comma, semicolon, tab, pipe), decimal commas, encoding (UTF-8
    with or without BOM, else Windows-1252) and leading blank/comment lines are
    detected. Text columns that are really numbers (missing-value markers such as
    "N/A", currency signs, thousands separators, percent signs) are converted.
    What was detected or converted is listed in ``df.attrs["notes"]``.

    Raises DataError for anything that is not a readable table: an empty or
    binary file, a header without data rows, rows with the wrong number of
    fields (naming the line), or a file over 200 MB.
    """
    raw = _read_source(source)
    text, notes = _decode(raw)
    df = _parse_text(text, notes)
    df.attrs["notes"] = notes
    return df


def _too_big_message(n_bytes: int) -> str:
    return (
        f"The file is {n_bytes / 1024 / 1024:,.0f} MB, over the size limit of "
        f"{MAX_FILE_BYTES // (1024 * 1024)} MB. Upload a smaller extract (fewer rows or columns)."
    )


def _read_source(source: object) -> bytes:
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


def _decode(raw: bytes) -> tuple[str, list[str]]:
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
    sample = text[:_SAMPLE_CHARS]
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


def _parse_text(text: str, notes: list[str]) -> pd.DataFrame:
    """Find the header, check every row's field count, then let pandas' C parser do the work."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n")
    start, first_line, sep_hint, n_skipped = _skip_preamble(text)
    if n_skipped:
        notes.append(f"Skipped {n_skipped} blank or comment line(s) before the header.")
    sample = text[start : start + _SAMPLE_CHARS]
    if len(text) - start > _SAMPLE_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    sep = sep_hint or _detect_separator(sample)
    spaced = sep == WHITESPACE
    if spaced:  # the tab reader below then does the work; line numbers are unchanged
        text = text[:start] + _whitespace_to_tabs(text[start:])
        sample, sep = _whitespace_to_tabs(sample), "\t"
    header, header_end, header_lines = _read_header(text, start, sep)
    body = text[header_end:]
    body_first_line = first_line + header_lines

    decimal = _detect_decimal(sample, sep)
    if sep != ",":
        what = (
            "This looks space-separated (columns lined up with spaces), so it was read that way"
            if spaced
            else f"Columns are separated by {_SEP_NAMES.get(sep, repr(sep))}"
        )
        if decimal == ",":
            what += "; numbers use decimal commas (1,5 means 1.5)"
        notes.append(what + ".")

    if header and all(_looks_like_number(name) for name in header):
        # The first line is data: keep it as a row and invent column names.
        names_raw = [f"column_{i + 1}" for i in range(len(header))]
        body = text[start:]
        body_first_line = first_line
        notes.append(
            "The first line contains only numbers, so it was treated as data and the "
            "columns were named column_1, column_2, ..."
        )
    else:
        names_raw = header

    width = _check_field_counts(body, sep, names_raw, body_first_line)
    df = _read_with_pandas(body, sep, decimal, width)
    if df.shape[1] > len(names_raw):  # slicing copies 5,000 blocks: only when needed
        df = df.iloc[:, : len(names_raw)]
    df.columns = _clean_names(names_raw)
    df = _drop_empty_unnamed(df, names_raw, notes)
    n_before = len(df)
    if _may_have_empty_rows(body, sep):  # dropna costs ~0.5 s on 5,000 columns: only if needed
        df = df.dropna(how="all")
    if len(df) == 0:
        shown = ", ".join(str(c) for c in df.columns[:8])
        raise DataError(
            f"The file has a header ({shown}) but no data rows below it. "
            "Add at least a few rows of data."
        )
    if len(df) < n_before:
        notes.append(f"Skipped {n_before - len(df)} empty row(s).")
        df = df.reset_index(drop=True)
    df, conv_notes = _coerce_numeric_columns(df, decimal)
    notes.extend(conv_notes)
    return df


def _may_have_empty_rows(body: str, sep: str) -> bool:
    """True if some line holds only separators, blanks or quotes (a row pandas reads as gaps)."""
    return re.search(rf'(?m)^[ \t{re.escape(sep)}"]*$', body) is not None


def _skip_preamble(text: str) -> tuple[int, int, str | None, int]:
    """Skip blank lines, '#' comments and Excel's 'sep=;' line before the header.

    Returns (offset of header, its 1-based line number, separator hint, lines skipped).
    """
    pos, line_no, skipped, sep_hint = 0, 1, 0, None
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end == -1 else end
        stripped = text[pos:end].strip()
        match = re.fullmatch(r"sep=(.)", stripped, flags=re.IGNORECASE)
        if match and sep_hint is None and skipped == 0 and match.group(1) not in "\"'":
            sep_hint = match.group(1)
        elif stripped and not stripped.startswith("#"):
            return pos, line_no, sep_hint, skipped
        else:
            skipped += 1
        pos, line_no = end + 1, line_no + 1
    raise DataError("The file contains only blank or comment lines, no table.")


def _csv_rows(text: str, sep: str) -> list[list[str]]:
    try:
        return list(csv.reader(io.StringIO(text), delimiter=sep, skipinitialspace=True))
    except csv.Error:
        return []


def _is_blank_row(row: Sequence[str]) -> bool:
    return all(not cell.strip() for cell in row)


def _row_fits(row: Sequence[str], header: Sequence[str]) -> bool:
    """A row fits if it has the header's field count, give or take trailing empties."""
    n, expected = len(row), len(header)
    if n == expected:
        return True
    if n > expected:
        return _is_blank_row(row[expected:])
    return all(not name.strip() for name in header[n:])


def _detect_separator(sample: str) -> str:
    """Pick the separator giving the most consistent multi-column split of the sample.

    A candidate that splits the header into several fields beats one that does not;
    among those, the one whose rows agree best with the header wins. csv.Sniffer
    alone is easily fooled by decimal commas, so its guess only breaks ties.
    """
    try:
        sniffed = csv.Sniffer().sniff(sample[:_SNIFF_CHARS], delimiters="".join(_SEPARATORS))
        sniffed_sep = sniffed.delimiter
    except (csv.Error, TypeError, ValueError, IndexError):
        sniffed_sep = None
    best_key: tuple[bool, float, bool, int] | None = None
    best = ","
    title_hint: tuple[str, int] | None = None
    for sep in _SEPARATORS:
        rows = [r for r in _csv_rows(sample, sep) if r and not _is_blank_row(r)]
        if not rows:
            continue
        header, data = rows[0], rows[1:]
        fits = sum(_row_fits(r, header) for r in data)
        consistency = fits / len(data) if data else 1.0
        key = (len(header) > 1, consistency, sniffed_sep == sep, len(header))
        if best_key is None or key > best_key:
            best_key, best = key, sep
        if len(header) == 1 and len(data) >= 2:
            counts = pd.Series([len(r) for r in data]).value_counts()
            if counts.index[0] > 2 and counts.iloc[0] >= 0.9 * len(data):
                title_hint = (sep, int(counts.index[0]))
    if (best_key is None or not best_key[0]) and _whitespace_separated(sample):
        return WHITESPACE
    if best_key is not None and not best_key[0] and title_hint is not None:
        sep, n = title_hint
        raise DataError(
            f"The first line has a single field, but the rows below have {n} fields "
            f"separated by {_SEP_NAMES[sep]}. Remove any title line above the column names."
        )
    return best


def _whitespace_separated(sample: str) -> bool:
    """True when runs of spaces split the header and (nearly) every row into the same count."""
    lines = [line.split() for line in sample.split("\n") if line.strip()]
    if len(lines) < 2 or len(lines[0]) < 2 or '"' in sample:
        return False
    fits = sum(len(fields) == len(lines[0]) for fields in lines[1:])
    return fits >= 0.9 * (len(lines) - 1)


def _whitespace_to_tabs(text: str) -> str:
    """Rewrite a space-aligned table as tab-separated text (one tab per run of blanks)."""
    text = re.sub(r"^[ \t]+|[ \t]+$", "", text, flags=re.MULTILINE)
    return re.sub(r"[ \t]+", "\t", text)


def _read_header(text: str, start: int, sep: str) -> tuple[list[str], int, int]:
    """Parse the header row (which may contain quoted line breaks).

    Returns (field names, offset where the data starts, number of lines used).
    """
    pos, n_lines, quotes = start, 0, 0
    while True:
        end = text.find("\n", pos)
        end = len(text) if end == -1 else end
        quotes += text.count('"', pos, end)
        n_lines += 1
        pos = end + 1
        if quotes % 2 == 0:
            break
        if pos >= len(text):
            raise DataError(
                'The header line opens a quote (") that is never closed, so the whole file '
                "reads as one column name. Remove or close that quote."
            )
    header_text = text[start:end]
    rows = _csv_rows(header_text, sep)
    fields = rows[0] if rows else [header_text]
    return [f.strip() for f in fields], min(pos, len(text)), n_lines


def _detect_decimal(sample: str, sep: str) -> str:
    """Return ',' when a non-comma-separated file writes numbers like 1,5."""
    if sep == ",":
        return "."
    comma_sure = comma_maybe = dot_sure = grouped = 0
    for row in _csv_rows(sample, sep)[1:]:
        for cell in row:
            value = cell.strip().lstrip("-+")
            if re.fullmatch(r"\d+,\d+", value):
                whole, frac = value.split(",")
                if len(frac) != 3 or len(whole) > 3 or whole == "0":
                    comma_sure += 1
                else:
                    comma_maybe += 1
            elif re.fullmatch(r"\d+\.\d+", value):
                whole, frac = value.split(".")
                if len(frac) != 3 or len(whole) > 3 or whole == "0":
                    dot_sure += 1
            elif re.fullmatch(r"\d{1,3}(,\d{3}){2,}(\.\d+)?|\d{1,3},\d{3}\.\d+", value):
                grouped += 1
    if comma_sure > dot_sure:
        return ","
    if comma_sure == 0 and dot_sure == 0 and comma_maybe > 0 and grouped == 0:
        return ","
    return "."


def _looks_like_number(value: str) -> bool:
    return bool(_PLAIN_NUMBER_RE.match(value.strip()))


def _check_field_counts(body: str, sep: str, header: list[str], first_line: int) -> int:
    """Refuse ragged rows, naming the first bad line; return the widest row's field count.

    Separators and quotes are counted per line with numpy on the raw bytes, so a 50 MB
    file takes a fraction of a second; only lines whose count is off or that contain
    quotes go through the csv module, which knows about quoted separators.
    """
    if not body.strip():
        return len(header)
    raw = body.encode("utf-8", errors="surrogatepass")
    if len(sep.encode("utf-8")) != 1 or raw.count(b'"') > 100_000:
        width, bad = _scan_rows(body, sep, header, first_line, len(header))
        if bad:
            raise DataError(_ragged_message(bad, header, sep))
        return width
    arr = np.frombuffer(raw, dtype=np.uint8)
    newlines = np.flatnonzero(arr == ord("\n"))
    starts = np.concatenate(([0], newlines + 1))
    ends = np.concatenate((newlines, [arr.size]))
    n_sep = _count_per_line(arr, starts, ends, ord(sep))
    n_quote = _count_per_line(arr, starts, ends, ord('"'))
    special = np.flatnonzero((n_sep + 1 != len(header)) | (n_quote > 0))
    width = len(header)
    bad: list[tuple[int, int, int]] = []
    covered = -1
    for i in special.tolist():
        if i <= covered:
            continue
        j, odd = i, n_quote[i] % 2
        while odd and j + 1 < len(starts):  # a quoted value continues on the next line
            j += 1
            odd ^= n_quote[j] % 2
        covered = j
        chunk = raw[starts[i] : ends[j]].decode("utf-8", errors="replace")
        width, found = _scan_rows(chunk, sep, header, first_line + i, width)
        bad.extend(found)
        if len(bad) > 1:
            break
    if bad:
        raise DataError(_ragged_message(bad, header, sep))
    return width


def _count_per_line(arr: np.ndarray, starts: np.ndarray, ends: np.ndarray, byte: int) -> np.ndarray:
    positions = np.flatnonzero(arr == byte)
    return np.searchsorted(positions, ends) - np.searchsorted(positions, starts)


def _scan_rows(
    text: str, sep: str, header: list[str], first_line: int, width: int
) -> tuple[int, list[tuple[int, int, int]]]:
    """Check rows with the csv module; return the new width and up to two bad rows.

    Bad rows are (line number, field count, lines the row spans).
    """
    bad: list[tuple[int, int, int]] = []
    reader = csv.reader(io.StringIO(text), delimiter=sep, skipinitialspace=True)
    prev = 0
    try:
        for row in reader:
            if _is_blank_row(row):
                width = max(width, len(row))  # ";;;" rows: harmless, but pandas needs the room
            elif row:
                if _row_fits(row, header):
                    width = max(width, len(row))
                else:
                    bad.append((first_line + prev, len(row), reader.line_num - prev))
                    if len(bad) > 1:
                        break
            prev = reader.line_num
    except csv.Error as exc:
        raise DataError(
            f'Line {first_line + prev} could not be read ({exc}). Look for a quote (") '
            "that is opened but never closed."
        ) from exc
    return width, bad


def _ragged_message(bad: list[tuple[int, int, int]], header: list[str], sep: str) -> str:
    line_no, n_fields, span = bad[0]
    message = (
        f"Line {line_no} has {n_fields} field(s) but the header has {len(header)}. "
        "Every row needs one value per column: check for a missing value, or a "
        f"separator ({sep!r}) inside a value that is not in quotes."
    )
    if span > 1:
        message += (
            f' The row spans {span} lines, so a quote (") on line {line_no} is probably '
            "never closed."
        )
    if len(bad) > 1:
        message += f" Line {bad[1][0]} has the same problem."
    return message


def _read_with_pandas(body: str, sep: str, decimal: str, width: int) -> pd.DataFrame:
    try:
        return pd.read_csv(
            io.StringIO(body),
            sep=sep,
            header=None,
            names=list(range(width)),
            index_col=False,
            decimal=decimal,
            keep_default_na=False,
            na_values=[""],
            skipinitialspace=True,
            skip_blank_lines=True,
            quotechar='"',
            engine="c",
            low_memory=False,
        )
    except pd.errors.EmptyDataError:
        return pd.DataFrame({i: pd.Series(dtype="float64") for i in range(width)})
    except (ValueError, TypeError, OverflowError, MemoryError, csv.Error) as exc:
        raise DataError(f"The file could not be read as a table: {exc}") from exc


def _clean_names(raw: Sequence[str]) -> list[str]:
    """Strip names, name blanks after their position and make duplicates unique."""
    names = [name.strip() or f"column_{i + 1}" for i, name in enumerate(raw)]
    seen: set[str] = set()
    out = []
    for name in names:
        candidate, k = name, 0
        while candidate in seen:
            k += 1
            candidate = f"{name}.{k}"
        seen.add(candidate)
        out.append(candidate)
    return out


def _drop_empty_unnamed(df: pd.DataFrame, raw: Sequence[str], notes: list[str]) -> pd.DataFrame:
    """Drop columns that exist only because of trailing separators (no name, no values)."""
    empty = [
        name for name, r in zip(df.columns, raw, strict=True)
        if not r.strip() and df[name].isna().all()
    ]  # fmt: skip
    if empty and len(empty) < df.shape[1]:
        notes.append(f"Dropped {len(empty)} empty column(s) without a name.")
        return df.drop(columns=empty)
    return df


# --------------------------------------------------------------------------- numbers


def _coerce_numeric_columns(df: pd.DataFrame, decimal: str) -> tuple[pd.DataFrame, list[str]]:
    """Convert text columns that hold numbers; blank out missing-value markers everywhere."""
    notes: list[str] = []
    changed = {}
    for i, (name, dtype) in enumerate(zip(df.columns, df.dtypes, strict=True)):
        if not _is_text_dtype(dtype):
            continue  # numbers and booleans from the parser need nothing (and no column access)
        column = df.iloc[:, i]
        converted, col_notes = _coerce_column(column, str(name), decimal)
        if converted is not column:
            changed[name] = converted
        notes.extend(col_notes)
    if changed:
        df = df.copy(deep=False)
        for name, series in changed.items():
            df[name] = series
    return df, notes


def _is_bool_objects(s: pd.Series) -> bool:
    """True for an object column holding only booleans (pandas' reading of True/False/gap)."""
    if not ptypes.is_object_dtype(s):
        return False
    nonnull = s.dropna()
    return bool(len(nonnull)) and bool(nonnull.map(lambda v: isinstance(v, (bool, np.bool_))).all())


def _to_float(values: pd.Series) -> pd.Series | None:
    """Parse strings to float64, or None if any value is not a number."""
    try:
        out = pd.to_numeric(values, errors="coerce").astype("float64")
    except (ValueError, TypeError, OverflowError):
        return None
    return None if out.isna().any() else out


def _is_text_dtype(dtype: object) -> bool:
    return (ptypes.is_object_dtype(dtype) or ptypes.is_string_dtype(dtype)) and not isinstance(
        dtype, pd.CategoricalDtype
    )


def _is_text(s: pd.Series) -> bool:
    return _is_text_dtype(s.dtype)


def _coerce_column(s: pd.Series, name: str, decimal: str) -> tuple[pd.Series, list[str]]:
    """Return ``s`` with markers as NaN and, if every value is a number, as float64.

    Works on the distinct values only, so a million-row column of a few categories
    costs one hash pass instead of a million regex matches.
    """
    if not _is_text(s) or _is_bool_objects(s):
        return s, []
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    text = pd.Series(uniques, dtype=object).astype(str).str.strip()
    is_marker = text.str.casefold().isin(_MISSING_MARKERS).to_numpy()
    shown_marker = is_marker & (text != "").to_numpy()
    notes = []
    if shown_marker.any():
        markers = sorted(set(text[shown_marker]))
        shown = ", ".join(f"'{m}'" for m in markers[:5])
        n = int(np.isin(codes, np.flatnonzero(shown_marker)).sum())
        notes.append(f"Column '{name}': treated {shown} as missing ({n} value(s)).")
    values = text[~is_marker].reset_index(drop=True)
    numbers, how = _parse_numbers(values, decimal)
    if numbers is not None:
        table = np.full(len(text) + 1, np.nan)  # last slot serves code -1 (missing)
        table[np.flatnonzero(~is_marker)] = numbers.to_numpy(dtype=np.float64)
        if how:
            notes.append(f"Column '{name}' had {how}; parsed as numbers.")
        return pd.Series(table[codes], index=s.index, dtype="float64"), notes
    if not is_marker.any() and np.array_equal(
        text.to_numpy(dtype=object), np.asarray(uniques, dtype=object)
    ):
        return s, notes  # plain text, already clean
    table = text.where(~is_marker).to_numpy(dtype=object)
    table = np.append(table, np.nan)
    return pd.Series(table[codes], index=s.index, dtype="str"), notes


def _parse_numbers(values: pd.Series, decimal: str) -> tuple[pd.Series | None, str]:
    """Parse every value as a number or return None (all or nothing, so nothing is guessed).

    Returns the parsed floats and a description of what had to be removed.
    """
    if len(values) == 0:
        return pd.Series(dtype="float64"), ""
    if len(values) > 2_000 and _parse_numbers(values.iloc[:1_000], decimal)[0] is None:
        return None, ""  # all or nothing: a failing sample settles it cheaply
    if decimal == "." or not values.str.contains(".", regex=False).any():
        plain = _to_float(values)
        if plain is not None:
            return plain, ""
    parts = values.str.extract(_NUMBER_RE)
    if parts["body"].isna().any():
        return None, ""
    if ((parts["s1"] != "") & (parts["s2"] != "")).any() or (
        (parts["c1"] != "") & (parts["c2"] != "")
    ).any():
        return None, ""
    body = parts["body"].str.strip()
    spaced = body.str.fullmatch(_SPACE_GROUPED_RE)
    body = body.where(~spaced, body.str.replace(_GROUP_CHARS, "", regex=True))
    dot_ok = body.str.fullmatch(_DOT_DECIMAL_RE).all()
    comma_ok = body.str.fullmatch(_COMMA_DECIMAL_RE).all()
    if dot_ok and (not comma_ok or decimal == "."):
        style = "."
        digits = body.str.replace(",", "", regex=False)
    elif comma_ok:
        style = ","
        digits = body.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        return None, ""
    numbers = _to_float(digits)
    if numbers is None:
        return None, ""
    negative = (parts["s1"] + parts["s2"]).isin(["-", "\u2212"]).to_numpy()
    numbers = pd.Series(np.where(negative, -numbers.to_numpy(float), numbers), index=values.index)
    found = []
    if ((parts["c1"] != "") | (parts["c2"] != "")).any():
        found.append("currency signs")
    thousands = "," if style == "." else "."
    if spaced.any() or body.str.contains(thousands, regex=False).any():
        found.append("thousands separators")
    if style == "," and body.str.contains(",", regex=False).any():
        found.append("decimal commas")
    if (parts["pct"] != "").any():
        found.append("percent signs (kept as percentages, so '12%' is 12)")
    return numbers, " and ".join(found)


# --------------------------------------------------------------------------- design


@dataclass(frozen=True, eq=False)
class Design:
    """A regression problem ready for fitting: finite float64 X and y plus provenance.

    ``feature_names[j]`` labels column ``j`` of ``X``; ``source_columns[j]`` is the
    table column it came from (the same name unless one-hot encoded, where names
    look like ``colour=red``). ``notes`` lists, in plain sentences, every row or
    column that was dropped, imputed, sampled or encoded.
    """

    X: np.ndarray
    y: np.ndarray
    feature_names: list[str]
    notes: list[str]
    n_onehot: int = 0
    source_columns: list[str] = field(default_factory=list)
    target: str = ""
    n_available: int = 0  # usable rows before sampling; 0 means len(y)

    def __post_init__(self) -> None:
        if not self.source_columns:
            object.__setattr__(self, "source_columns", list(self.feature_names))
        if not self.n_available:
            object.__setattr__(self, "n_available", len(self.y))

    @property
    def sampled(self) -> bool:
        """True when X holds a random sample of the usable rows (the table was too large)."""
        return self.n_available > len(self.y)

    def rows_phrase(self, n_file: int) -> str:
        """The rows used, in words, saying so when they are a sample (captions must not say all)."""
        n = len(self.y)
        if self.sampled:
            return (f"{n:,} rows, a random sample of the {self.n_available:,} usable rows "
                    f"(the file has {n_file:,})")
        if n >= n_file:
            return f"all {n:,} rows of the file"
        return f"{n:,} of the file's {n_file:,} rows"


@dataclass(eq=False)
class _Feature:
    """How one table column becomes one or more X columns."""

    name: str
    kind: Literal["numeric", "bool", "category"]
    values: np.ndarray  # float64 with NaN (numeric/bool) or int codes with -1 (category)
    levels: list[str] = field(default_factory=list)

    @property
    def width(self) -> int:
        return len(self.levels) - 1 if self.kind == "category" else 1


def design_matrix(
    df: pd.DataFrame,
    target: str,
    features: Iterable[str] | str | None = None,
    *,
    missing: Literal["drop", "impute"] = "drop",
    max_rows: int = 200_000,
    max_columns: int = 2_000,
    seed: int = 0,
) -> Design:
    """Build a finite numeric design matrix ``X`` and target ``y`` from a table.

    ``features=None`` uses every other column except ones that carry no usable
    signal (ID-like, all missing, constant), each excluded with a note. Text,
    boolean and category columns are one-hot encoded, dropping the first level in
    sorted order as the reference. ``missing="drop"`` removes incomplete rows;
    ``missing="impute"`` fills numeric gaps with the column mean and text gaps with
    the most common value (rows without a target are always removed). More than
    ``max_rows`` rows are randomly sampled with ``seed``, keeping their order.

    Raises DataError, naming the column or row, whenever the result would not be
    a sensible regression problem.
    """
    _check_options(df, missing, max_rows, max_columns, seed)
    frame = df.copy(deep=False)
    frame.attrs = {}  # pandas deep-copies attrs (the reader's notes) on every column access
    frame.columns = _clean_names([str(c) for c in df.columns])
    target_name = _resolve_target(df, frame, target)
    auto = features is None
    candidates, notes = _resolve_features(df, frame, target_name, features)

    converted: dict[str, pd.Series] = {}
    for name in [target_name, *candidates]:
        series, col_notes = _coerce_column(frame[name], name, ".")
        converted[name] = series
        notes.extend(col_notes)

    y_all = _target_values(converted[target_name], target_name, frame, notes)
    specs, reasons = _build_features(converted, candidates, auto, notes)
    if not specs:
        raise DataError(_no_feature_message(reasons, auto))
    _check_width(specs, max_columns)

    rows, n_total = _select_rows(y_all, specs, missing, target_name, notes)
    if len(rows) > max_rows:
        rng = np.random.default_rng(seed)
        rows = np.sort(rng.choice(rows, size=max_rows, replace=False))
        notes.append(
            f"The table has {n_total:,} usable rows; a random sample of {max_rows:,} rows "
            f"(seed {seed}) was used to keep fitting fast."
        )
    y = np.ascontiguousarray(y_all[rows], dtype=np.float64)
    if y.size and np.all(y == y[0]):
        raise DataError(
            f"Target '{target_name}' has the same value ({y[0]:g}) in every usable row, so "
            "there is nothing to predict. Choose another target column."
        )
    X, names, sources, n_onehot = _assemble(specs, rows, missing, notes)
    if not (np.isfinite(X).all() and np.isfinite(y).all()):  # pragma: no cover - guarded above
        raise DataError("The data still contains non-finite values after cleaning.")
    return Design(X, y, names, notes, n_onehot, sources, target_name, n_total)


def too_few_rows_message(n_rows: int) -> str | None:
    """Why a table of ``n_rows`` rows cannot be fitted, or None when it has enough.

    Said before anything else: with one row every column is "constant", and a
    message about constant features would send the student looking in the wrong place.
    """
    if n_rows >= _MIN_ROWS:
        return None
    start = (
        "The table has a single data row, and one row is not enough to fit anything"
        if n_rows == 1
        else f"The table has only {n_rows} data rows"
    )
    return (
        f"{start}: a regression needs at least {_MIN_ROWS} rows, and many more to tell a "
        "pattern from noise. Add rows to the file."
    )


def _check_options(
    df: object, missing: object, max_rows: object, max_columns: object, seed: object
) -> None:
    if not isinstance(df, pd.DataFrame):
        raise DataError(f"Expected a table (pandas DataFrame), got {type(df).__name__}.")
    if df.shape[1] == 0 or df.shape[0] == 0:
        raise DataError("The table is empty: it needs at least one row and two columns.")
    too_few = too_few_rows_message(df.shape[0])
    if too_few:
        raise DataError(too_few)
    if not isinstance(missing, str) or missing not in ("drop", "impute"):
        raise DataError(f"missing must be 'drop' or 'impute', not {missing!r}.")
    for label, value in (("max_rows", max_rows), ("max_columns", max_columns)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise DataError(f"{label} must be a positive whole number, not {value!r}.")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise DataError(f"seed must be a non-negative whole number, not {seed!r}.")


def _available(frame: pd.DataFrame, limit: int = 15) -> str:
    names = [f"'{c}'" for c in frame.columns[:limit]]
    more = frame.shape[1] - limit
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")


def _lookup(
    df: pd.DataFrame, frame: pd.DataFrame, label: object, index: dict[str, str] | None = None
) -> str | None:
    """Map a caller's column label (original or cleaned/str form) to its cleaned name.

    ``index`` (from :func:`_label_index`) answers text labels at once; without it each
    lookup scans the columns, which cost minutes on a 5,000-column file.
    """
    if index is not None and isinstance(label, str) and label in index:
        return index[label]
    for i, original in enumerate(df.columns):
        try:
            same = bool(original == label)
        except (TypeError, ValueError):
            same = False
        if same or (isinstance(label, str) and str(original) == label):
            return str(frame.columns[i])
    if isinstance(label, str) and label in set(frame.columns):
        return label
    return None


def _label_index(df: pd.DataFrame, frame: pd.DataFrame) -> dict[str, str]:
    """Original text label -> cleaned name, the first column winning as in :func:`_lookup`."""
    index: dict[str, str] = {}
    for original, clean in zip(df.columns, frame.columns, strict=True):
        if isinstance(original, str):
            index.setdefault(original, str(clean))
    return index


def _resolve_target(df: pd.DataFrame, frame: pd.DataFrame, target: object) -> str:
    name = _lookup(df, frame, target)
    if name is None:
        raise DataError(
            f"Target column '{target}' is not in the table. Available columns: {_available(frame)}."
        )
    return name


def _resolve_features(
    df: pd.DataFrame, frame: pd.DataFrame, target: str, features: Iterable[str] | str | None
) -> tuple[list[str], list[str]]:
    notes: list[str] = []
    if features is None:
        return [c for c in frame.columns if c != target], notes
    requested = [features] if isinstance(features, str) else list(features)
    names, unknown = [], []
    index = _label_index(df, frame)
    seen: set[str] = set()
    for label in requested:
        name = _lookup(df, frame, label, index)
        if name is None:
            unknown.append(f"'{label}'")
        elif name == target:
            notes.append(f"'{target}' is the target, so it was not also used as a feature.")
        elif name not in seen:
            seen.add(name)
            names.append(name)
    if unknown:
        raise DataError(
            f"Feature column(s) {', '.join(unknown)} not in the table. Available columns: "
            f"{_available(frame)}."
        )
    if not names:
        raise DataError(
            "No feature columns were chosen. Pick at least one column besides the target."
        )
    return names, notes


def _first_bad_row(values: np.ndarray, bad: np.ndarray) -> tuple[int, float]:
    i = int(np.flatnonzero(bad)[0])
    return i + 1, float(values[i])


def _check_finite(values: np.ndarray, name: str) -> None:
    """Refuse inf and huge values, naming the column and the first offending data row."""
    with np.errstate(invalid="ignore"):
        infinite = np.isinf(values)
        huge = np.abs(np.where(np.isnan(values), 0.0, values)) > MAX_ABS_VALUE
    if infinite.any():
        row, value = _first_bad_row(values, infinite)
        raise DataError(
            f"Column '{name}' has an infinite value ({value}) in data row {row}. "
            "Fix or delete that value, or leave the column out."
        )
    if huge.any():
        row, value = _first_bad_row(values, huge)
        raise DataError(
            f"Column '{name}' has a value too large to use ({value:.3g} in data row {row}); "
            f"values must be smaller than {MAX_ABS_VALUE:.0e} in size. Rescale the column "
            "(e.g. use thousands or millions as the unit) or remove that row."
        )


def _kind(s: pd.Series) -> Literal["numeric", "bool", "category"]:
    dtype = s.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "biuf":  # the common case, without
        return "bool" if dtype.kind == "b" else "numeric"  # pandas' slower dtype checks
    if ptypes.is_bool_dtype(s):
        return "bool"
    if ptypes.is_numeric_dtype(s) and not ptypes.is_complex_dtype(s):
        return "numeric"
    if _is_bool_objects(s):
        return "bool"
    return "category"


def _as_float(s: pd.Series, kind: str) -> np.ndarray:
    if kind == "bool":
        return np.array([np.nan if pd.isna(v) else float(bool(v)) for v in s], dtype=np.float64)
    return s.to_numpy(dtype=np.float64, na_value=np.nan)


def _target_values(s: pd.Series, name: str, frame: pd.DataFrame, notes: list[str]) -> np.ndarray:
    kind = _kind(s)
    if kind == "category":
        examples = ", ".join(f"'{v}'" for v in pd.unique(s.dropna().astype(str))[:3])
        numeric = [c for c in _target_candidates(frame) if c != name]
        hint = f" such as {', '.join(repr(c) for c in numeric[:5])}" if numeric else ""
        raise DataError(
            f"Target '{name}' is text (values like {examples}), but regression needs a number "
            f"to predict. Choose a numeric column{hint} as the target."
        )
    y = _as_float(s, kind)
    if kind == "bool":
        notes.append(f"Target '{name}' is true/false; it was coded as 1/0.")
    if np.isnan(y).all():
        raise DataError(
            f"Target '{name}' has no values (every row is missing). Choose another target."
        )
    _check_finite(y, name)
    return y


def _build_features(
    converted: dict[str, pd.Series], candidates: list[str], auto: bool, notes: list[str]
) -> tuple[list[_Feature], dict[str, str]]:
    """Classify candidate columns; excluded ones get a note and a reason.

    Consecutive whole numbers look like row numbers and are left out, but only when
    another feature remains: a toy file ``x,y / 1,2 / 2,4 / 3,7`` must still work.
    """
    specs: list[_Feature] = []
    row_numbers: list[_Feature] = []  # excluded later, unless they are all that is left
    reasons: dict[str, str] = {}

    def exclude(name: str, reason: str, note: str) -> None:
        reasons[name] = reason
        notes.append(note)

    for name in candidates:
        s = converted[name]
        kind = _kind(s)
        if kind == "category":
            text = s.astype("str").str.strip().where(s.notna())
            text = text.where(text != "")
            present = text.dropna()
            n_present = len(present)
        else:
            values = _as_float(s, kind)
            n_present = int(np.count_nonzero(~np.isnan(values)))
        if n_present == 0:
            exclude(name, "empty", f"Column '{name}' is empty (all values missing); left out.")
            continue
        if auto and _ID_NAME_RE.match(name):
            exclude(name, "ID-like", f"Column '{name}' looks like an ID or row number; left out.")
            continue
        if kind != "category":
            _check_finite(values, name)
            finite = values[~np.isnan(values)]
            if finite.min() == finite.max():
                exclude(
                    name, "constant", f"Column '{name}' has the same value in every row; left out."
                )
            elif auto and kind == "numeric" and _is_row_number(finite):
                row_numbers.append(_Feature(name, kind, values))
                specs.append(row_numbers[-1])
            else:
                if kind == "bool":
                    notes.append(f"Column '{name}' is true/false; coded as 1/0.")
                specs.append(_Feature(name, kind, values))
            continue
        levels = sorted(pd.unique(present).tolist())
        if len(levels) == 1:
            exclude(name, "constant", f"Column '{name}' has the same value in every row; left out.")
        elif (
            (len(levels) == len(present) >= _MIN_ROWS) or (len(levels) > MAX_LEVELS and auto)
        ) and _looks_like_dates(levels):
            exclude(
                name, "dates",
                f"Column '{name}' holds dates (like '{levels[0]}'); left out, because a date is "
                "not a number a regression can use. Add a column such as the year, month or "
                "weekday if the date matters.",
            )  # fmt: skip
        elif len(levels) == len(present) and len(present) >= _MIN_ROWS:
            exclude(
                name, "ID-like",
                f"Column '{name}' has a different text value in every row (like a name or ID), "
                "so it cannot help predict; left out.",
            )  # fmt: skip
        elif len(levels) > MAX_LEVELS and auto:
            exclude(
                name, "text with too many values",
                f"Column '{name}' has {len(levels):,} distinct text values, too many to one-hot "
                f"encode (the limit is {MAX_LEVELS}); left out.",
            )  # fmt: skip
        elif len(levels) > MAX_LEVELS:
            raise DataError(
                f"Column '{name}' has {len(levels)} distinct text values, too many to one-hot "
                f"encode (the limit is {MAX_LEVELS}). Leave '{name}' out of the features, or "
                "group its values into fewer categories."
            )
        else:
            codes = pd.Categorical(text, categories=levels).codes.astype(np.int64)
            specs.append(_Feature(name, "category", codes, levels))
    if len(row_numbers) < len(specs):  # something else is usable: drop the row numbers
        for spec in row_numbers:
            specs.remove(spec)
            exclude(
                spec.name, "ID-like",
                f"Column '{spec.name}' holds consecutive whole numbers (1, 2, 3, ...) like a row "
                "number or ID; left out. Select it explicitly to use it as a feature.",
            )  # fmt: skip
    for spec in row_numbers if specs == row_numbers else []:
        notes.append(
            f"Column '{spec.name}' holds consecutive whole numbers (1, 2, 3, ...) like a row "
            "number, but no other feature is usable, so it was kept."
        )
    return specs, reasons


_DATE_RE = re.compile(
    r"^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})(?:[ T]\d{1,2}:\d{2}.*)?$"
)


def _looks_like_dates(levels: list[str]) -> bool:
    """True when (a sample of) the text values are all written as dates, e.g. 2018-01-01."""
    sample = levels[:: max(1, len(levels) // 200)]
    return bool(sample) and all(_DATE_RE.match(str(v)) for v in sample)


def _is_row_number(values: np.ndarray) -> bool:
    """True for whole numbers that are all distinct and consecutive, like 1..n or 0..n-1."""
    if len(values) < _MIN_ROWS or not np.all(values == np.round(values)):
        return False
    ordered = np.sort(values)
    return bool(np.all(np.diff(ordered) == 1))


def _no_feature_message(reasons: dict[str, str], auto: bool) -> str:
    if not reasons:
        return "No usable feature column is left. Choose at least one other column."
    kinds = sorted(set(reasons.values()))
    listed = ", ".join(f"'{n}' ({r})" for n, r in list(reasons.items())[:10])
    which = "all other columns were" if auto else "every chosen feature was"
    advice = (
        " Select ID-like columns explicitly if you really want to use them."
        if "ID-like" in kinds
        else " Add columns that vary from row to row."
    )
    return f"No usable feature: {which} {' or '.join(kinds)}: {listed}.{advice}"


def _check_width(specs: list[_Feature], max_columns: int) -> None:
    """Refuse more than ``max_columns`` columns in X; one-hot is blamed only for its share."""
    width = sum(spec.width for spec in specs)
    if width <= max_columns:
        return
    cats = sorted((s for s in specs if s.kind == "category"), key=lambda s: -len(s.levels))
    if not cats:
        raise DataError(
            f"{width:,} feature columns are chosen, more than the limit of {max_columns:,}. "
            "Choose fewer feature columns."
        )
    plain = len(specs) - len(cats)
    added = sum(s.width for s in cats)
    widest = ", ".join(f"'{s.name}' ({len(s.levels)} levels)" for s in cats[:5])
    raise DataError(
        f"{plain:,} number column(s) plus {added:,} one-hot column(s) from {len(cats):,} text "
        f"column(s) make {width:,} feature columns, more than the limit of {max_columns:,}. "
        f"The widest text columns are {widest}; leave some of them out, or choose fewer columns."
    )


def _missing_mask(spec: _Feature) -> np.ndarray:
    return spec.values < 0 if spec.kind == "category" else np.isnan(spec.values)


def _select_rows(
    y: np.ndarray, specs: list[_Feature], missing: str, target: str, notes: list[str]
) -> tuple[np.ndarray, int]:
    """Return the indices of rows to use, applying the missing-value policy."""
    n = len(y)
    no_target = np.isnan(y)
    gaps = {spec.name: _missing_mask(spec) for spec in specs}
    any_gap = np.zeros(n, dtype=bool)
    for mask in gaps.values():
        any_gap |= mask
    if missing == "drop":
        dropped = no_target | any_gap
        keep = ~dropped
        if keep.sum() < _MIN_ROWS:
            counts = {target: int(no_target.sum())}
            counts.update({c: int(m.sum()) for c, m in gaps.items()})
            col = max(counts, key=counts.__getitem__)
            count = counts[col]
            raise DataError(
                f"Only {int(keep.sum())} complete row(s) are left after dropping rows with "
                f"missing values ({int(dropped.sum())} of {n} rows had a missing value, most "
                f"often in '{col}': {count}). At least {_MIN_ROWS} are needed: try "
                "missing='impute', or leave out the columns with many gaps."
            )
        if dropped.any():
            counts = {target: int(no_target.sum())}
            counts.update({c: int(m.sum()) for c, m in gaps.items()})
            where = ", ".join(f"'{c}': {k}" for c, k in counts.items() if k)
            notes.append(
                f"Dropped {int(dropped.sum())} of {n} rows with missing values "
                f"(missing per column: {where})."
            )
    else:
        keep = ~no_target
        if keep.sum() < _MIN_ROWS:
            raise DataError(
                f"Only {int(keep.sum())} row(s) have a value for the target '{target}' "
                f"({int(no_target.sum())} are missing); at least {_MIN_ROWS} are needed."
            )
        if no_target.any():
            notes.append(
                f"Dropped {int(no_target.sum())} of {n} rows with a missing target "
                f"'{target}' (a target cannot be imputed)."
            )
    rows = np.flatnonzero(keep)
    return rows, len(rows)


def _assemble(
    specs: list[_Feature], rows: np.ndarray, missing: str, notes: list[str]
) -> tuple[np.ndarray, list[str], list[str], int]:
    """Fill X column by column, imputing if asked, then drop columns constant in these rows."""
    columns: list[np.ndarray] = []
    names: list[str] = []
    sources: list[str] = []
    onehot: list[bool] = []
    filled: list[str] = []
    for spec in specs:
        if spec.kind == "category":
            codes = spec.values
            present = codes[codes >= 0]
            mode = int(np.bincount(present, minlength=len(spec.levels)).argmax())
            sub = codes[rows]
            n_gap = int((sub < 0).sum())
            if n_gap:
                sub = np.where(sub < 0, mode, sub)
                filled.append(
                    f"'{spec.name}' ({n_gap}) with its most common value '{spec.levels[mode]}'"
                )
            for k, level in enumerate(spec.levels[1:], start=1):
                columns.append((sub == k).astype(np.float64))
                names.append(f"{spec.name}={level}")
                sources.append(spec.name)
                onehot.append(True)
            shown = ", ".join(f"{spec.name}={level}" for level in spec.levels[1:4])
            notes.append(
                f"Column '{spec.name}' was one-hot encoded into {spec.width} column(s) "
                f"({shown}{', ...' if spec.width > 3 else ''}); '{spec.levels[0]}' is the "
                "reference level (first in sorted order)."
            )
        else:
            values = spec.values
            sub = values[rows]
            gap = np.isnan(sub)
            if gap.any():
                mean = float(np.mean(values[~np.isnan(values)]))
                filled.append(f"'{spec.name}' ({int(gap.sum())}) with its mean ({mean:.4g})")
                sub = np.where(gap, mean, sub)
            columns.append(sub)
            names.append(spec.name)
            sources.append(spec.name)
            onehot.append(False)
    if filled and missing == "impute":
        notes.append("Filled missing values: " + "; ".join(filled) + ".")

    keep = [j for j, col in enumerate(columns) if col.size and col.min() != col.max()]
    dropped = [names[j] for j in range(len(columns)) if j not in set(keep)]
    if dropped:
        shown = ", ".join(f"'{d}'" for d in dropped[:10])
        notes.append(
            f"Left out {len(dropped)} column(s) that are constant in the rows used: {shown}."
        )
    if not keep:
        raise DataError(
            "No usable feature: every feature column is constant in the rows that remain "
            "after removing missing values. Choose other features or use missing='impute'."
        )
    X = np.empty((len(rows), len(keep)), dtype=np.float64, order="C")
    for out_j, j in enumerate(keep):
        X[:, out_j] = columns[j]
    return (
        X,
        [names[j] for j in keep],
        [sources[j] for j in keep],
        sum(onehot[j] for j in keep),
    )


def default_target(df: pd.DataFrame) -> str | None:
    """Suggest a target by evidence (its name, a 0/1 column, predictability), never by position.

    Returns None when nothing stands out, so the UI asks the student; the reason
    for a suggestion comes from :func:`regviz.suggest.suggest_target`.
    """
    from regviz.suggest import suggest_target  # suggest builds on this module

    return suggest_target(df).column if isinstance(df, pd.DataFrame) else None


def _block_columns(n_rows: int) -> int:
    """Columns per block so that one float64 block stays near 40 MB whatever the shape."""
    return max(1, min(500, 5_000_000 // max(n_rows, 1)))


def _target_candidates(df: pd.DataFrame) -> list[str]:
    """Numeric columns that vary and are not named like an ID, in table order.

    Columns are checked in blocks of one 2-D array each: per-column access cost
    seconds on a 5,000-column table.
    """
    numeric = [
        i for i, (label, dtype) in enumerate(zip(df.columns, df.dtypes, strict=True))
        if ptypes.is_numeric_dtype(dtype) and not ptypes.is_bool_dtype(dtype)
        and not ptypes.is_complex_dtype(dtype) and not _ID_NAME_RE.match(str(label))
    ]  # fmt: skip
    found = []
    step = _block_columns(len(df))
    for block in range(0, len(numeric), step):
        idx = numeric[block : block + step]
        values = df.iloc[:, idx].to_numpy(dtype=np.float64, na_value=np.nan)
        finite = np.isfinite(values)
        low = np.where(finite, values, np.inf).min(axis=0)
        high = np.where(finite, values, -np.inf).max(axis=0)
        varies = (finite.sum(axis=0) >= 2) & (low < high)
        found += [str(df.columns[i]) for i, ok in zip(idx, varies, strict=True) if ok]
    return found
