"""Read a student's CSV-like file into a DataFrame, whatever their spreadsheet program wrote.

Semicolons and decimal commas from a German Excel, blank or comment lines above
the header, Excel's "sep=;" line, a table lined up with spaces, rows with too
many fields: after :mod:`regviz.decoding` has turned the bytes into text, this
module detects each (separator, decimal mark, where the header is) and turns
what it cannot read into a :class:`DataError` naming the line and saying what
to change.  Every decision is recorded as a
plain-English note in ``df.attrs["notes"]``.

Public: :func:`read_table`; :func:`detect_layout` and :class:`Layout` (the
detection alone, which ``regviz.codegen`` repeats to write ``read_csv`` options);
the separator names; :func:`clean_names`.  Cells that are numbers written as
text are converted by :mod:`regviz.cells`.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

import numpy as np
import pandas as pd

from regviz.cells import coerce_numeric_columns, looks_like_number
from regviz.decoding import decode, read_bytes
from regviz.errors import DataError

__all__ = [
    "SEPARATORS",
    "SEPARATOR_NAMES",
    "WHITESPACE",
    "Layout",
    "clean_names",
    "detect_layout",
    "read_table",
]

SEPARATORS = (",", ";", "\t", "|")
"""The separators detection chooses between (besides runs of spaces)."""
WHITESPACE = " "
"""What separator detection returns for a table lined up with runs of spaces."""
SEPARATOR_NAMES = {
    ",": "commas", ";": "semicolons", "\t": "tabs", "|": "pipes (|)",
    WHITESPACE: "runs of spaces (the file is space-separated)",
}  # fmt: skip
"""Each separator in words, for notes and for the generated script's comments."""
_SAMPLE_CHARS = 64_000
_SNIFF_CHARS = 16_000


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
    raw = read_bytes(source)
    text, notes = decode(raw)
    df = _parse_text(text, notes)
    df.attrs["notes"] = notes
    return df


@dataclass(frozen=True)
class Layout:
    """Where a table starts in its text and how it is written, as :func:`read_table` sees it.

    ``sep`` is one of :data:`SEPARATORS` or :data:`WHITESPACE`; a table lined up
    with spaces is read as tab-separated text, hence :attr:`parse_sep`.
    """

    start: int  # offset of the header line
    first_line: int  # its 1-based line number
    n_skipped: int  # blank or comment lines above it
    sep: str
    decimal: str  # "." or ","
    header: list[str]
    header_end: int  # offset where the data rows start
    header_lines: int  # lines the header spans (a quoted name may hold a line break)

    @property
    def parse_sep(self) -> str:
        """The separator in the text :func:`detect_layout` returns."""
        return "\t" if self.sep == WHITESPACE else self.sep

    @property
    def header_is_data(self) -> bool:
        """True when the first line holds only numbers: a data row, not column names."""
        return bool(self.header) and all(looks_like_number(name) for name in self.header)

    @property
    def names(self) -> list[str]:
        """The header's fields, or column_1, column_2, ... when the first line is data."""
        if self.header_is_data:
            return [f"column_{i + 1}" for i in range(len(self.header))]
        return self.header


def detect_layout(text: str) -> tuple[str, Layout]:
    """Find the header, separator and decimal mark of decoded text.

    Returns the text with line ends normalized (a space-aligned table rewritten
    with tabs, line numbers unchanged) and its :class:`Layout`.  Raises DataError
    for only blank or comment lines, a title line above the column names, or an
    unclosed quote in the header.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n")
    start, first_line, sep_hint, n_skipped = _skip_preamble(text)
    sample = text[start : start + _SAMPLE_CHARS]
    if len(text) - start > _SAMPLE_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    sep = sep_hint or _detect_separator(sample)
    if sep == WHITESPACE:  # the tab reader then does the work
        text = text[:start] + _whitespace_to_tabs(text[start:])
        sample = _whitespace_to_tabs(sample)
    parse_sep = "\t" if sep == WHITESPACE else sep
    header, header_end, header_lines = _read_header(text, start, parse_sep)
    decimal = _detect_decimal(sample, parse_sep)
    return text, Layout(start, first_line, n_skipped, sep, decimal, header, header_end,
                        header_lines)


def _parse_text(text: str, notes: list[str]) -> pd.DataFrame:
    """Find the header, check every row's field count, then let pandas' C parser do the work."""
    text, layout = detect_layout(text)
    if layout.n_skipped:
        notes.append(f"Skipped {layout.n_skipped} blank or comment line(s) before the header.")
    sep, decimal = layout.parse_sep, layout.decimal
    if layout.sep != ",":
        what = (
            "This looks space-separated (columns lined up with spaces), so it was read that way"
            if layout.sep == WHITESPACE
            else f"Columns are separated by {SEPARATOR_NAMES.get(sep, repr(sep))}"
        )
        if decimal == ",":
            what += "; numbers use decimal commas (1,5 means 1.5)"
        notes.append(what + ".")

    if layout.header_is_data:
        # The first line is data: keep it as a row and invent column names.
        body, body_first_line = text[layout.start :], layout.first_line
        notes.append(
            "The first line contains only numbers, so it was treated as data and the "
            "columns were named column_1, column_2, ..."
        )
    else:
        body = text[layout.header_end :]
        body_first_line = layout.first_line + layout.header_lines

    names_raw = layout.names
    width = _check_field_counts(body, sep, names_raw, body_first_line)
    df = _read_with_pandas(body, sep, decimal, width)
    if df.shape[1] > len(names_raw):  # slicing copies 5,000 blocks: only when needed
        df = df.iloc[:, : len(names_raw)]
    df.columns = clean_names(names_raw)
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
    df, conv_notes = coerce_numeric_columns(df, decimal)
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
        sniffed = csv.Sniffer().sniff(sample[:_SNIFF_CHARS], delimiters="".join(SEPARATORS))
        sniffed_sep = sniffed.delimiter
    except (csv.Error, TypeError, ValueError, IndexError):
        sniffed_sep = None
    best_key: tuple[bool, float, bool, int] | None = None
    best = ","
    title_hint: tuple[str, int] | None = None
    for sep in SEPARATORS:
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
            f"separated by {SEPARATOR_NAMES[sep]}. Remove any title line above the column names."
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


def clean_names(raw: Sequence[str]) -> list[str]:
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

