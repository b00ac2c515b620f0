"""Is a target column a class label?  Two distinct values make it one; text needs it.

A table's target becomes a classification target when it holds exactly two
distinct values (0/1, yes/no, true/false, two text levels).  Which level is
"1" follows :func:`regviz.logistic.binary_labels`: the larger number, True,
or the later text in sorted order ("yes" over "no", "malignant" over
"benign"), so the app, the solver and a generated script agree.  A text target
with more than two levels cannot be fitted at all here; :func:`target_task`
says so with the column, the number of classes and how to make it binary.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from regviz.errors import DataError

__all__ = ["TargetTask", "encode_binary", "target_task"]

_SHOWN_LEVELS = 6


@dataclass(frozen=True)
class TargetTask:
    """What a target column supports: "classification", "regression" or neither ("none")."""

    column: str
    task: str
    levels: tuple = ()  # the two classes (negative, positive) for a binary target
    counts: tuple = ()  # rows per level, in the order of ``levels``
    message: str = ""  # why the column cannot be a target, in words ("none" only)

    @property
    def binary(self) -> bool:
        return self.task == "classification"

    @property
    def zero_one(self) -> bool:
        """The two levels are already the numbers 0 and 1 (a number a regression can take)."""
        return self.binary and [_number(v) for v in self.levels] == [0.0, 1.0]

    @property
    def positive(self):
        return self.levels[1] if self.binary else None


def _number(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _is_text(series: pd.Series) -> bool:
    return not (ptypes.is_numeric_dtype(series.dtype) or ptypes.is_bool_dtype(series.dtype))


def _levels(series: pd.Series) -> tuple[list, list[int]]:
    """Distinct non-missing values in the order binary_labels uses, with their counts."""
    present = series.dropna()
    if _is_text(series):
        present = present.astype(str).str.strip()
        present = present[present != ""]
        counts = present.value_counts()
        order = sorted(counts.index, key=str)
    else:
        counts = present.value_counts()
        order = sorted(counts.index)
    return list(order), [int(counts[v]) for v in order]


def _plain(value):
    """Numpy scalars as plain Python values (for messages and equality with user input)."""
    return value.item() if isinstance(value, np.generic) else value


def target_task(df: pd.DataFrame, column: str) -> TargetTask:
    """Which task ``df[column]`` supports as a target.

    Two distinct values: classification.  More values: regression if numeric,
    otherwise "none" with a message (the column, the classes, how to make it binary).
    """
    series = df[column]
    levels, counts = _levels(series)
    if len(levels) == 2:
        return TargetTask(str(column), "classification", tuple(map(_plain, levels)),
                          tuple(counts))
    if not _is_text(series):
        return TargetTask(str(column), "regression")
    return TargetTask(str(column), "none", tuple(map(_plain, levels)), tuple(counts),
                      _not_binary_message(str(column), levels, counts))


def _not_binary_message(column: str, levels: list, counts: list[int]) -> str:
    if not levels:
        return f"The column '{column}' has no values: nothing to predict."
    if len(levels) == 1:
        return (f"The column '{column}' holds one class only ('{levels[0]}' in all "
                f"{counts[0]} rows): a classifier needs rows of two classes.")
    by_size = sorted(zip(counts, levels, strict=True), key=lambda t: -t[0])
    shown = ", ".join(f"'{v}' ({c} rows)" for c, v in by_size[:_SHOWN_LEVELS])
    more = f" and {len(levels) - _SHOWN_LEVELS} more" if len(levels) > _SHOWN_LEVELS else ""
    top = by_size[0][1]
    return (f"The column '{column}' has {len(levels)} classes ({shown}{more}). The lessons fit "
            "two classes (logistic regression) or a number (least squares). To make it "
            f"binary, add a column that is 1 where '{column}' is '{top}' and 0 elsewhere (one "
            "class against the rest), or merge the classes into two in your spreadsheet, and "
            "upload the file again.")


def encode_binary(df: pd.DataFrame, column: str, levels: tuple) -> pd.DataFrame:
    """A copy of ``df`` whose ``column`` is 1.0 for ``levels[1]``, 0.0 for ``levels[0]``.

    Missing cells stay missing (design_matrix drops those rows and says so).
    """
    if len(levels) != 2:
        raise DataError(f"A binary target needs two classes, got {len(levels)}.")
    series = df[column]
    if _is_text(series):
        keys = series.astype(str).str.strip().where(series.notna())
        keys = keys.where(keys != "")
        targets = [str(v) for v in levels]
    else:
        keys, targets = series, list(levels)
    coded = pd.Series(np.nan, index=series.index, dtype=float)
    coded[keys == targets[0]] = 0.0
    coded[keys == targets[1]] = 1.0
    unknown = keys.notna() & coded.isna()
    if unknown.any():
        row = int(np.flatnonzero(unknown.to_numpy())[0])
        raise DataError(f"The target '{column}' has the value '{series.iloc[row]}' at row "
                        f"{row + 1}, which is neither '{levels[0]}' nor '{levels[1]}'.")
    out = df.copy()
    out[column] = coded
    out.attrs = dict(df.attrs)
    return out
