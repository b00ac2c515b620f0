"""Turn a table into a regression problem: a finite float64 matrix X, a target y, and notes.

The modelling code only ever sees a finite, C-contiguous float64 matrix.
:func:`design_matrix` gets there from any table: the columns are judged by
:mod:`regviz.features` (what is left out and why), then rows with gaps are
dropped or filled, text levels one-hot encoded, a large table sampled, and
anything that would not make a sensible regression becomes a :class:`DataError`
naming the column or row.  Every silent decision is a plain-English note in
``Design.notes``, so the app can show the student what happened to their data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from regviz.errors import DataError
from regviz.features import MIN_ROWS, Feature, table_columns
from regviz.suggest import suggest_target

__all__ = ["Design", "default_target", "design_matrix", "too_few_rows_message"]


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
    columns = table_columns(df, target, features)
    target_name, notes = columns.target, columns.notes
    y_all = columns.target_values(notes)
    specs, reasons = columns.features(notes)
    if not specs:
        raise DataError(_no_feature_message(reasons, columns.auto))
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
    if n_rows >= MIN_ROWS:
        return None
    start = (
        "The table has a single data row, and one row is not enough to fit anything"
        if n_rows == 1
        else f"The table has only {n_rows} data rows"
    )
    return (
        f"{start}: a regression needs at least {MIN_ROWS} rows, and many more to tell a "
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


def _check_width(specs: list[Feature], max_columns: int) -> None:
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


def _missing_mask(spec: Feature) -> np.ndarray:
    return spec.values < 0 if spec.kind == "category" else np.isnan(spec.values)


def _select_rows(
    y: np.ndarray, specs: list[Feature], missing: str, target: str, notes: list[str]
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
        if keep.sum() < MIN_ROWS:
            counts = {target: int(no_target.sum())}
            counts.update({c: int(m.sum()) for c, m in gaps.items()})
            col = max(counts, key=counts.__getitem__)
            count = counts[col]
            raise DataError(
                f"Only {int(keep.sum())} complete row(s) are left after dropping rows with "
                f"missing values ({int(dropped.sum())} of {n} rows had a missing value, most "
                f"often in '{col}': {count}). At least {MIN_ROWS} are needed: try "
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
        if keep.sum() < MIN_ROWS:
            raise DataError(
                f"Only {int(keep.sum())} row(s) have a value for the target '{target}' "
                f"({int(no_target.sum())} are missing); at least {MIN_ROWS} are needed."
            )
        if no_target.any():
            notes.append(
                f"Dropped {int(no_target.sum())} of {n} rows with a missing target "
                f"'{target}' (a target cannot be imputed)."
            )
    rows = np.flatnonzero(keep)
    return rows, len(rows)


def _assemble(
    specs: list[Feature], rows: np.ndarray, missing: str, notes: list[str]
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
    return suggest_target(df).column if isinstance(df, pd.DataFrame) else None

