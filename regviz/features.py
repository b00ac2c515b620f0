"""Which table columns can be features, and what each becomes: numbers, 1/0, or levels.

Between reading a table and building X, every candidate column is judged the
same way wherever it happens (``design_matrix``, the upload page's default
features in :mod:`regviz.suggest`, the generated script in :mod:`regviz.codegen`):
ID-like, empty, constant, date and high-cardinality text columns are left out
with a reason and a note; the rest become a :class:`Feature`.  One function,
:func:`table_columns`, does the judging for all three, so they cannot disagree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from regviz.cells import coerce_column, is_bool_objects
from regviz.errors import DataError
from regviz.reading import clean_names

__all__ = [
    "MAX_ABS_VALUE",
    "MAX_LEVELS",
    "MIN_ROWS",
    "Feature",
    "TableColumns",
    "block_columns",
    "table_columns",
    "target_candidates",
]

MAX_LEVELS = 50
"""Most distinct values a text column may have and still be one-hot encoded."""

MAX_ABS_VALUE = 1e150
"""Largest magnitude allowed in X or y: anything bigger overflows when squared."""

MIN_ROWS = 3
"""Fewest rows a regression is fitted on."""

_ID_NAME_RE = re.compile(
    r"^(?:id|index|idx|row ?(?:id|no|num|number)|unnamed: ?\d+|.*[_ ]id)$", re.IGNORECASE
)


@dataclass(eq=False)
class Feature:
    """How one table column becomes one or more X columns."""

    name: str
    kind: Literal["numeric", "bool", "category"]
    values: np.ndarray  # float64 with NaN (numeric/bool) or int codes with -1 (category)
    levels: list[str] = field(default_factory=list)
    row_number: bool = False  # consecutive whole numbers: kept only if nothing else is usable

    @property
    def width(self) -> int:
        """Columns of X this feature becomes (one-hot: one per level but the reference)."""
        return len(self.levels) - 1 if self.kind == "category" else 1


@dataclass(frozen=True, eq=False)
class TableColumns:
    """A table's target and candidate feature columns, named and converted as design_matrix does.

    ``frame`` is the table with cleaned column names; ``notes`` holds what
    resolving the features and converting the columns had to say.
    """

    frame: pd.DataFrame
    target: str
    candidates: list[str]
    converted: dict[str, pd.Series]
    notes: list[str]
    auto: bool  # no features were named: the automatic exclusions apply

    def target_values(self, notes: list[str]) -> np.ndarray:
        """The target as float64 with NaN gaps; DataError if it is text or empty."""
        return _target_values(self.converted[self.target], self.target, self.frame, notes)

    def features(self, notes: list[str]) -> tuple[list[Feature], dict[str, str]]:
        """The usable features and, per excluded column, the reason (notes say more)."""
        return _build_features(self.converted, self.candidates, self.auto, notes)


def table_columns(
    df: pd.DataFrame, target: object, features: Iterable[str] | str | None = None
) -> TableColumns:
    """Resolve ``target`` and ``features`` (None: every other column) and convert those columns.

    Raises DataError naming a column that is not in the table.
    """
    frame = df.copy(deep=False)
    frame.attrs = {}  # pandas deep-copies attrs (the reader's notes) on every column access
    frame.columns = clean_names([str(c) for c in df.columns])
    target_name = _resolve_target(df, frame, target)
    candidates, notes = _resolve_features(df, frame, target_name, features)
    converted: dict[str, pd.Series] = {}
    for name in [target_name, *candidates]:
        series, col_notes = coerce_column(frame[name], name, ".")
        converted[name] = series
        notes.extend(col_notes)
    return TableColumns(frame, target_name, candidates, converted, notes, features is None)


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
    if is_bool_objects(s):
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
        numeric = [c for c in target_candidates(frame) if c != name]
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
) -> tuple[list[Feature], dict[str, str]]:
    """Classify candidate columns; excluded ones get a note and a reason.

    Consecutive whole numbers look like row numbers and are left out, but only when
    another feature remains: a toy file ``x,y / 1,2 / 2,4 / 3,7`` must still work.
    """
    specs: list[Feature] = []
    reasons: dict[str, str] = {}
    for name in candidates:
        s = converted[name]
        kind = _kind(s)
        if kind == "category":
            judged = _text_feature(name, s, auto)
        else:
            judged = _number_feature(name, _as_float(s, kind), kind, auto)
        if isinstance(judged, Feature):
            if judged.kind == "bool":
                notes.append(f"Column '{name}' is true/false; coded as 1/0.")
            specs.append(judged)
        else:
            reasons[name] = judged[0]
            notes.append(judged[1])
    row_numbers = [spec for spec in specs if spec.row_number]
    if len(row_numbers) < len(specs):  # something else is usable: drop the row numbers
        for spec in row_numbers:
            specs.remove(spec)
            reasons[spec.name] = "ID-like"
            notes.append(
                f"Column '{spec.name}' holds consecutive whole numbers (1, 2, 3, ...) like a row "
                "number or ID; left out. Select it explicitly to use it as a feature."
            )
    for spec in row_numbers if specs == row_numbers else []:
        notes.append(
            f"Column '{spec.name}' holds consecutive whole numbers (1, 2, 3, ...) like a row "
            "number, but no other feature is usable, so it was kept."
        )
    return specs, reasons


def _empty_or_id(name: str, n_present: int, auto: bool) -> tuple[str, str] | None:
    """(reason, note) for a column with no values or, automatically, an ID-like name."""
    if n_present == 0:
        return "empty", f"Column '{name}' is empty (all values missing); left out."
    if auto and _ID_NAME_RE.match(name):
        return "ID-like", f"Column '{name}' looks like an ID or row number; left out."
    return None


def _constant(name: str) -> tuple[str, str]:
    return "constant", f"Column '{name}' has the same value in every row; left out."


def _number_feature(
    name: str, values: np.ndarray, kind: Literal["numeric", "bool"], auto: bool
) -> Feature | tuple[str, str]:
    """A number or true/false column as a feature, or (reason, note) why it is left out."""
    excluded = _empty_or_id(name, int(np.count_nonzero(~np.isnan(values))), auto)
    if excluded:
        return excluded
    _check_finite(values, name)
    finite = values[~np.isnan(values)]
    if finite.min() == finite.max():
        return _constant(name)
    row_number = auto and kind == "numeric" and _is_row_number(finite)
    return Feature(name, kind, values, row_number=row_number)


def _text_feature(name: str, s: pd.Series, auto: bool) -> Feature | tuple[str, str]:
    """A text column as one-hot levels, or (reason, note) why it is left out.

    Raises DataError for too many levels in a column the student chose by name.
    """
    text = s.astype("str").str.strip().where(s.notna())
    text = text.where(text != "")
    present = text.dropna()
    excluded = _empty_or_id(name, len(present), auto)
    if excluded:
        return excluded
    levels = sorted(pd.unique(present).tolist())
    every_row_differs = len(levels) == len(present) >= MIN_ROWS
    if len(levels) == 1:
        return _constant(name)
    if (every_row_differs or (len(levels) > MAX_LEVELS and auto)) and _looks_like_dates(levels):
        return "dates", (
            f"Column '{name}' holds dates (like '{levels[0]}'); left out, because a date is "
            "not a number a regression can use. Add a column such as the year, month or "
            "weekday if the date matters."
        )
    if every_row_differs:
        return "ID-like", (
            f"Column '{name}' has a different text value in every row (like a name or ID), "
            "so it cannot help predict; left out."
        )
    if len(levels) > MAX_LEVELS and auto:
        return "text with too many values", (
            f"Column '{name}' has {len(levels):,} distinct text values, too many to one-hot "
            f"encode (the limit is {MAX_LEVELS}); left out."
        )
    if len(levels) > MAX_LEVELS:
        raise DataError(
            f"Column '{name}' has {len(levels)} distinct text values, too many to one-hot "
            f"encode (the limit is {MAX_LEVELS}). Leave '{name}' out of the features, or "
            "group its values into fewer categories."
        )
    codes = pd.Categorical(text, categories=levels).codes.astype(np.int64)
    return Feature(name, "category", codes, levels)


_DATE_RE = re.compile(
    r"^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})(?:[ T]\d{1,2}:\d{2}.*)?$"
)


def _looks_like_dates(levels: list[str]) -> bool:
    """True when (a sample of) the text values are all written as dates, e.g. 2018-01-01."""
    sample = levels[:: max(1, len(levels) // 200)]
    return bool(sample) and all(_DATE_RE.match(str(v)) for v in sample)


def _is_row_number(values: np.ndarray) -> bool:
    """True for whole numbers that are all distinct and consecutive, like 1..n or 0..n-1."""
    if len(values) < MIN_ROWS or not np.all(values == np.round(values)):
        return False
    ordered = np.sort(values)
    return bool(np.all(np.diff(ordered) == 1))


def block_columns(n_rows: int) -> int:
    """Columns per block so that one float64 block stays near 40 MB whatever the shape."""
    return max(1, min(500, 5_000_000 // max(n_rows, 1)))


def target_candidates(df: pd.DataFrame) -> list[str]:
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
    step = block_columns(len(df))
    for block in range(0, len(numeric), step):
        idx = numeric[block : block + step]
        values = df.iloc[:, idx].to_numpy(dtype=np.float64, na_value=np.nan)
        finite = np.isfinite(values)
        low = np.where(finite, values, np.inf).min(axis=0)
        high = np.where(finite, values, -np.inf).max(axis=0)
        varies = (finite.sum(axis=0) >= 2) & (low < high)
        found += [str(df.columns[i]) for i, ok in zip(idx, varies, strict=True) if ok]
    return found
