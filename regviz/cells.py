"""Text cells to numbers: missing-value markers, currency signs, thousands separators, percent.

Spreadsheets write numbers as text ("$1,234", "1.234,5", "12%", "N/A"). A text
column becomes float64 only when every value parses (all or nothing, so nothing
is guessed), and each conversion is described in a note for the student.
Used by the reader (:mod:`regviz.reading`) on every column it reads, and by the
design builder (:mod:`regviz.design`) on tables that did not come from the reader.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

__all__ = [
    "MISSING_MARKERS",
    "coerce_column",
    "coerce_numeric_columns",
    "is_bool_objects",
    "looks_like_number",
]

# Compared after str.strip().casefold(); pandas' own list is switched off so we can
# report which markers a column used.
MISSING_MARKERS = frozenset(
    {
        "", "na", "n/a", "nan", "null", "none", "?", "-", "--", ".", "<na>", "nil",
        "#n/a", "#na", "#div/0!", "#value!", "#ref!", "#num!", "#name?", "#null!",
    }
)  # fmt: skip
"""The cell values read as missing (compared after strip + casefold)."""

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


def looks_like_number(value: str) -> bool:
    """True for a plain number such as 12, -3.5, 1,5 or 2e3 (a header of these is data)."""
    return bool(_PLAIN_NUMBER_RE.match(value.strip()))


def coerce_numeric_columns(df: pd.DataFrame, decimal: str) -> tuple[pd.DataFrame, list[str]]:
    """Convert text columns that hold numbers; blank out missing-value markers everywhere."""
    notes: list[str] = []
    changed = {}
    for i, (name, dtype) in enumerate(zip(df.columns, df.dtypes, strict=True)):
        if not _is_text_dtype(dtype):
            continue  # numbers and booleans from the parser need nothing (and no column access)
        column = df.iloc[:, i]
        converted, col_notes = coerce_column(column, str(name), decimal)
        if converted is not column:
            changed[name] = converted
        notes.extend(col_notes)
    if changed:
        df = df.copy(deep=False)
        for name, series in changed.items():
            df[name] = series
    return df, notes


def is_bool_objects(s: pd.Series) -> bool:
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


def coerce_column(s: pd.Series, name: str, decimal: str) -> tuple[pd.Series, list[str]]:
    """Return ``s`` with markers as NaN and, if every value is a number, as float64.

    Works on the distinct values only, so a million-row column of a few categories
    costs one hash pass instead of a million regex matches.
    """
    if not _is_text(s) or is_bool_objects(s):
        return s, []
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    text = pd.Series(uniques, dtype=object).astype(str).str.strip()
    is_marker = text.str.casefold().isin(MISSING_MARKERS).to_numpy()
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

