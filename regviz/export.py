"""Tables a student takes away: coefficients, whole paths, and a CSV writer that is safe to open.

Why a special CSV writer: a spreadsheet program treats a cell that starts with
``=``, ``+``, ``-`` or ``@`` (and, in some programs, a tab or carriage return)
as a formula, and a formula can fetch URLs or run commands ("CSV injection").
Exported files carry column names and category levels that came from an
uploaded file, i.e. from someone else's text, so every *text* cell, header
cells included, that starts with one of those characters gets a single quote
in front of it, which spreadsheets display as plain text.  Numbers are never
touched: ``-1.5`` in a numeric column is a number, not a formula, and must stay
one so the file still computes.

Pure functions, no Streamlit: the download buttons live in ``ui/downloads.py``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

__all__ = ["FORMULA_PREFIXES", "coefficients_frame", "neutralize", "path_frame", "safe_csv"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet evaluate a cell (OWASP's CSV-injection list)."""

INTERCEPT = "(intercept)"


def neutralize(value: object) -> object:
    """Prefix a text value with ``'`` if a spreadsheet would run it as a formula.

    Anything that is not a ``str`` (numbers, booleans, missing values) is returned
    unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_csv(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV bytes of ``df`` (without its index), with formula-like text neutralized.

    Header cells and cells of text columns are checked (see :func:`neutralize`);
    numeric and boolean columns are written exactly as pandas writes them, with
    full precision, so the file round-trips through ``pd.read_csv``.
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"safe_csv needs a pandas DataFrame, got {type(df).__name__}.")
    out = df.copy(deep=False)
    out.columns = [neutralize(str(name)) for name in df.columns]
    for j in range(out.shape[1]):
        column = out.iloc[:, j]
        if ptypes.is_numeric_dtype(column) or ptypes.is_bool_dtype(column):
            continue  # numbers (negative ones too) stay numbers
        if isinstance(column.dtype, pd.CategoricalDtype):
            column = column.astype(object)
        out.isetitem(j, column.map(neutralize))
    # CRLF rows (RFC 4180): the csv writer then also quotes cells containing a bare \r.
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def _unique_meta(names: Sequence[str], meta: Sequence[str]) -> list[str]:
    """Feature names that do not collide with the frame's own columns (lambda, intercept...)."""
    taken = set(meta)
    out = []
    for name in names:
        name = str(name)
        while name in taken:
            name = f"{name} (feature)"
        taken.add(name)
        out.append(name)
    return out


def coefficients_frame(
    feature_names: Sequence[str],
    coef: np.ndarray | Sequence[float],
    intercept: float,
    lam: float,
    penalty: str,
    l1_ratio: float,
) -> pd.DataFrame:
    """One fitted model as a tidy table: one row per term, the intercept first.

    Columns: ``term``, ``coefficient`` (original units of X), ``nonzero``, and the
    settings that produced it (``lambda``, ``penalty``, ``l1_ratio``) repeated on
    every row, so the file explains itself when opened on its own.
    """
    coef = np.asarray(coef, dtype=float).ravel()
    if coef.size != len(feature_names):
        raise ValueError(f"{coef.size} coefficients but {len(feature_names)} feature names.")
    terms = [INTERCEPT, *(str(n) for n in feature_names)]
    values = np.concatenate(([float(intercept)], coef))
    return pd.DataFrame(
        {
            "term": pd.Series(terms, dtype=object),
            "coefficient": values,
            "nonzero": values != 0.0,
            "lambda": float(lam),
            "penalty": str(penalty),
            "l1_ratio": float(l1_ratio),
        }
    )


def path_frame(
    feature_names: Sequence[str],
    lams: np.ndarray | Sequence[float],
    coefs: np.ndarray,
    intercepts: np.ndarray | Sequence[float],
) -> pd.DataFrame:
    """A whole path, wide: one row per lambda (largest first), one column per feature.

    Columns: ``lambda``, ``n_nonzero``, ``intercept`` and then the features in
    design order (a feature called like one of those three gets " (feature)"
    appended).  Coefficients are on the original scale of X.
    """
    lams = np.asarray(lams, dtype=float).ravel()
    coefs = np.asarray(coefs, dtype=float)
    intercepts = np.asarray(intercepts, dtype=float).ravel()
    if coefs.ndim != 2 or coefs.shape != (lams.size, len(feature_names)):
        raise ValueError(
            f"coefs must be (len(lams), n_features) = ({lams.size}, {len(feature_names)}), "
            f"got {coefs.shape}."
        )
    if intercepts.size != lams.size:
        raise ValueError(f"{intercepts.size} intercepts for {lams.size} lambdas.")
    meta = ["lambda", "n_nonzero", "intercept"]
    names = _unique_meta(feature_names, meta)
    frame = pd.DataFrame(coefs, columns=pd.Index(names, dtype=object))
    frame.insert(0, "lambda", lams)
    frame.insert(1, "n_nonzero", np.count_nonzero(coefs, axis=1))
    frame.insert(2, "intercept", intercepts)
    return frame
