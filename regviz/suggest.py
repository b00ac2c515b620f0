"""Defaults for a student's table: which column to predict, and from which columns.

A default is a claim about the student's data, so it is chosen by evidence and
says which: a column named like a quantity people predict, the only 0/1 column,
or the column the others predict best in a straight-line fit.  When nothing
stands out, no target is suggested and the page asks.  Picking the last numeric
column (the old rule) fitted Day for airquality and carb for mtcars.

Wide tables get a bounded default feature set (the columns most related to the
target), so a 5,000-column file opens with a model the lessons can fit quickly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from regviz.errors import DataError
from regviz.features import Feature, block_columns, table_columns, target_candidates

__all__ = ["MAX_DEFAULT_FEATURES", "TargetSuggestion", "default_features", "suggest_target"]

MAX_DEFAULT_FEATURES = 100
"""Most feature columns selected at first; the student can add others."""

# Usual names of the quantity to predict, strongest first.  The first group must be the
# whole name (a "y" inside "pos_y" is a coordinate); the second may be one word of it.
_WHOLE_NAMES = ("target", "y", "outcome", "label", "response", "class", "lifeexp")
_NAME_WORDS = (
    "price", "saleprice", "medv", "charges", "sales", "revenue", "income", "salary", "wage",
    "wages", "cost", "mpg", "consumption", "score", "grade", "rentals", "demand", "count",
    "cnt", "yield", "tip", "quality", "rating", "profit", "value",
)  # fmt: skip
# Calendar and position columns are predictors, not things to predict.
_NOT_A_TARGET = re.compile(
    r"^(?:year|yr|month|mon|day|date|week|weekday|dow|hour|minute|time|lat|latitude|lon|lng"
    r"|longitude|.*_(?:lat|lon|num|code|year|month|day))$",
    re.IGNORECASE,
)
_MIN_R2 = 0.5  # below this, "the others predict it" is not evidence
_MAX_R2 = 0.999  # above this the column is a copy or a sum of others, not a target
_MAX_PREDICTORS = 60  # more columns: the predictability check is skipped
_RANK_ROWS = 20_000  # rows used to rank features on large tables


@dataclass(frozen=True)
class TargetSuggestion:
    """A suggested target column (or None) and the sentence saying why."""

    column: str | None
    reason: str


def suggest_target(df: pd.DataFrame) -> TargetSuggestion:
    """Suggest the column to predict, by name, by being the only 0/1 column, or by fit."""
    candidates = target_candidates(df)
    if not candidates:
        return TargetSuggestion(None, "No column holds numbers that vary, so there is no "
                                      "regression target to suggest.")
    named = _named_like_target(candidates)
    if named is not None:
        column, word = named
        how = "is" if word in _WHOLE_NAMES else "contains"
        return TargetSuggestion(column, f"Suggested because its name {how} '{word}', a usual "
                                        "name for the quantity to predict.")
    binary = _zero_one_columns(df, candidates)
    if len(binary) == 1:
        return TargetSuggestion(binary[0], "Suggested because it is the only column holding "
                                           "just 0 and 1, the usual coding of an outcome.")
    fitted = _most_predictable(df, candidates)
    if fitted is not None:
        column, r2 = fitted
        return TargetSuggestion(column, f"Suggested because the other numeric columns predict it "
                                        f"best: a straight-line fit explains {r2:.0%} of its "
                                        "variance, so a model has something to find.")
    return TargetSuggestion(None, "No column is named like a target and none is clearly "
                                  "predictable from the others: pick the column to predict.")


def _words(name: str) -> list[str]:
    """'SalePrice' -> ['sale', 'price']; 'exam_score' -> ['exam', 'score']."""
    return [w.lower() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+", name)]


def _named_like_target(candidates: list[str]) -> tuple[str, str] | None:
    """(column, matched word) for the strongest usual name; ties go to the later column."""
    best: tuple[int, int, str, str] | None = None
    for position, column in enumerate(candidates):
        whole = re.sub(r"[^a-z0-9]", "", column.lower())
        ranks = [(i, w) for i, w in enumerate(_WHOLE_NAMES) if whole == w]
        words = set(_words(column))
        ranks += [(len(_WHOLE_NAMES) + i, w) for i, w in enumerate(_NAME_WORDS)
                  if w == whole or w in words]
        if ranks:
            rank, word = min(ranks)
            key = (rank, -position, column, word)
            if best is None or key < best:
                best = key
    return None if best is None else (best[2], best[3])


def _zero_one_columns(df: pd.DataFrame, candidates: list[str]) -> list[str]:
    """Candidates whose values are all 0 or 1 (gaps aside); candidates vary, so both occur."""
    found = []
    step = block_columns(len(df))
    for block in range(0, len(candidates), step):
        names = candidates[block : block + step]
        values = df[names].to_numpy(dtype=np.float64, na_value=np.nan)
        zero_one = ((values == 0) | (values == 1) | np.isnan(values)).all(axis=0)
        found += [name for name, ok in zip(names, zero_one, strict=True) if ok]
    return found


def _most_predictable(df: pd.DataFrame, candidates: list[str]) -> tuple[str, float] | None:
    """The candidate with the largest R^2 on all other candidates, if between the bounds.

    R^2 of column j on the rest is 1 - 1/(C^-1)_jj for the correlation matrix C: one
    small inverse gives every column's fit at once.
    """
    if not 2 <= len(candidates) <= _MAX_PREDICTORS:
        return None
    values = df[candidates].to_numpy(dtype=np.float64, na_value=np.nan)
    values = values[np.isfinite(values).all(axis=1)]
    if len(values) > _RANK_ROWS:
        values = values[np.linspace(0, len(values) - 1, _RANK_ROWS).astype(int)]
    if len(values) < max(2 * len(candidates), len(candidates) + 10):
        return None
    sd = values.std(axis=0)
    if not (sd > 0).all():
        return None
    z = (values - values.mean(axis=0)) / sd
    corr = z.T @ z / len(z)
    with np.errstate(divide="ignore", invalid="ignore"):
        r2 = 1.0 - 1.0 / np.diag(np.linalg.pinv(corr, hermitian=True))
    best: tuple[float, str] | None = None
    for column, fit in zip(candidates, r2, strict=True):
        if _NOT_A_TARGET.match(column) or not _MIN_R2 <= fit <= _MAX_R2:
            continue
        if best is None or fit > best[0]:
            best = (float(fit), column)
    return None if best is None else (best[1], best[0])


def default_features(
    df: pd.DataFrame,
    target: str,
    *,
    limit: int = MAX_DEFAULT_FEATURES,
    max_columns: int = 2_000,
) -> tuple[list[str], list[str]]:
    """Columns the automatic rules keep for ``target`` and notes on what was left out.

    The rules are design_matrix's own (IDs, empty, constant and high-cardinality
    text columns are left out).  When more than ``limit`` columns remain, or their
    one-hot width exceeds ``max_columns``, the ones most related to the target are
    kept (absolute correlation; for text, the square root of the share of variance
    its levels explain), listed in table order, and a note says so.
    """
    columns = table_columns(df, target)
    notes: list[str] = []
    specs, _ = columns.features(notes)
    left_out = [note for note in notes if "left out" in note.lower()]
    width = sum(spec.width for spec in specs)
    if len(specs) <= limit and width <= max_columns:
        return [spec.name for spec in specs], left_out
    try:
        y = columns.target_values([])
    except DataError:
        y = None
    chosen = _strongest(specs, y, limit, max_columns)
    onehot = f" ({width:,} after one-hot encoding)" if width != len(specs) else ""
    left_out.append(
        f"The table has {len(specs):,} usable feature columns{onehot}; the {len(chosen):,} most "
        f"strongly related to '{columns.target}' are selected at first, to keep every lesson "
        f"quick. Add others in the Features box (up to {max_columns:,} columns)."
    )
    return [spec.name for spec in specs if spec.name in chosen], left_out


def _strongest(
    specs: list[Feature], y: np.ndarray | None, limit: int, max_columns: int
) -> set[str]:
    """Names of up to ``limit`` specs, strongest first, within ``max_columns`` of width."""
    strength = np.zeros(len(specs))
    if y is not None:
        rows = np.flatnonzero(~np.isnan(y))
        if len(rows) > _RANK_ROWS:
            rows = rows[np.linspace(0, len(rows) - 1, _RANK_ROWS).astype(int)]
        strength = _strengths(specs, y[rows], rows)
    chosen: set[str] = set()
    width = 0
    for k in np.argsort(-strength, kind="stable"):
        spec = specs[k]
        if len(chosen) == limit:
            break
        if width + spec.width <= max_columns:
            chosen.add(spec.name)
            width += spec.width
    return chosen


def _strengths(specs: list[Feature], t: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """|correlation| with t for numbers (complete columns in blocks), eta for text."""
    out = np.zeros(len(specs))
    plain = [k for k, s in enumerate(specs) if s.kind != "category"]
    tc = t - t.mean()
    t_norm = np.sqrt(tc @ tc)
    for block in range(0, len(plain), 256):
        ks = plain[block : block + 256]
        x = np.column_stack([specs[k].values[rows] for k in ks])
        complete = ~np.isnan(x).any(axis=0)
        xc = x[:, complete] - x[:, complete].mean(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            r = (tc @ xc) / (np.sqrt((xc * xc).sum(axis=0)) * t_norm)
        out[np.asarray(ks)[complete]] = np.abs(np.nan_to_num(r))
        for k in np.asarray(ks)[~complete]:
            out[k] = _strength(specs[k], t, rows)
    for k, spec in enumerate(specs):
        if spec.kind == "category":
            out[k] = _strength(spec, t, rows)
    return out


def _strength(spec: Feature, t: np.ndarray, rows: np.ndarray) -> float:
    """|correlation| with t for numbers; sqrt(between-level share of variance) for text."""
    x = spec.values[rows]
    if spec.kind == "category":
        ok = x >= 0
        codes, t = x[ok].astype(np.int64), t[ok]
        if len(t) < 2 or t.var() == 0:
            return 0.0
        counts = np.bincount(codes, minlength=len(spec.levels))
        sums = np.bincount(codes, weights=t, minlength=len(spec.levels))
        present = counts > 0
        means = sums[present] / counts[present]
        between = float((counts[present] * (means - t.mean()) ** 2).sum())
        return float(np.sqrt(between / (t.var() * len(t))))
    ok = ~np.isnan(x)
    x, t = x[ok], t[ok]
    if len(t) < 2 or x.std() == 0 or t.std() == 0:
        return 0.0
    return float(abs(np.corrcoef(x, t)[0, 1]))
