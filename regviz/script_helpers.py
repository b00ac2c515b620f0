"""The functions every generated scikit-learn script carries, copied in by ``inspect.getsource``.

:mod:`regviz.codegen` copies them verbatim into the script, and runs these very
functions on the uploaded bytes before offering it, to check that they rebuild
the app's X and y.  So they use only pandas, numpy, math, re and the script's
``MISSING_MARKERS`` constant (here the reader's own set), and no other name of
this package.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from regviz.cells import MISSING_MARKERS

__all__ = ["HELPERS", "MISSING_MARKERS", "build_design", "clean_text", "load_csv", "to_number"]


def load_csv(source, sep, decimal, encoding, skiprows, names):
    """Read the CSV with the options regviz's reader detected.

    Gaps stay empty here; markers such as "N/A" are handled by clean_text.
    """
    df = pd.read_csv(
        source,
        sep=sep,
        decimal=decimal,
        encoding=encoding,
        skiprows=skiprows,
        header=None if names else 0,
        names=names,
        index_col=False,
        keep_default_na=False,
        na_values=[""],
        skipinitialspace=True,
    )
    df.columns = [
        f"column_{i + 1}" if str(c).startswith("Unnamed: ") else str(c).strip()
        for i, c in enumerate(df.columns)
    ]
    return df.dropna(how="all").reset_index(drop=True)


def clean_text(column):
    """Strip spaces around text; regviz's missing-value markers become missing."""

    def clean(value):
        if isinstance(value, str):
            value = value.strip()
            return None if value.casefold() in MISSING_MARKERS else value
        return value

    return column.astype(object).map(clean)


def to_number(column, decimal):
    """Numbers as regviz reads them: currency signs, thousands separators and % removed.

    "12%" becomes 12 (a percentage, not 0.12); true/false becomes 1/0.
    """
    if pd.api.types.is_bool_dtype(column) or pd.api.types.is_numeric_dtype(column):
        return column.astype("float64")

    def number(value):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return np.nan
        if not isinstance(value, str):
            return float(value)
        text = re.sub(r"[$€£¥%'\s]", "", value.replace("\u2212", "-"))
        if decimal == ",":  # 1.234,5 -> 1234.5
            return float(text.replace(".", "").replace(",", "."))
        return float(text.replace(",", ""))  # 1,234.5 -> 1234.5

    return clean_text(column).map(number).astype("float64")


def build_design(df, target, features, sources, missing, gap_columns, decimal, decimals):
    """X and y exactly as regviz's design_matrix builds them.

    A feature named like its source column is a number (or true/false, as 1/0).
    A feature "column=level" is a one-hot column: 1 where the text is that level.
    The reference level (first in sorted order) has no column of its own.
    missing="drop": rows with a gap in the target or any gap column are removed.
    missing="impute": numeric gaps get the column mean, text gaps the most common
    value (ties: first in sorted order); rows without a target are removed.
    """
    y = to_number(df[target], decimals.get(target, decimal))
    keep = y.notna()
    if missing == "drop":
        for col in gap_columns:
            keep &= clean_text(df[col]).notna()
    columns = []
    for name, source in zip(features, sources, strict=True):
        if name == source:
            values = to_number(df[source], decimals.get(source, decimal))
            values = values.fillna(values.mean())
        else:
            text = clean_text(df[source])
            counts = text.value_counts()
            mode = min(counts.index[counts == counts.max()])
            level = name[len(source) + 1 :]
            values = (text.fillna(mode) == level).astype("float64")
        columns.append(values[keep].to_numpy(dtype="float64"))
    X = pd.DataFrame(np.column_stack(columns), columns=list(features))
    return X, y[keep].to_numpy(dtype="float64")


HELPERS = (load_csv, clean_text, to_number, build_design)
"""In the order the script defines them."""
