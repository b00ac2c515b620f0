"""The house-price lesson's data: the sales, the junk columns, the engineered terms.

* :func:`load` turns ``datasets.house_prices`` into a design (text columns
  one-hot encoded by the same code that reads uploaded CSVs) with a
  train/test split, and remembers which columns are junk.
* :func:`with_junk` does the same to any table (a student's upload): it adds
  seeded junk columns (mailbox colours, dogs' names, a lottery number, a
  weekday) beside the student's own features; :func:`cannot_teach` says why a
  table cannot carry the lesson.
* :func:`engineered_features` builds the many polynomial and interaction terms
  the overfitting section needs.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from regviz.data import design_matrix
from regviz.datasets import HOUSE_EFFECTS, HOUSE_JUNK, house_prices
from regviz.errors import DataError
from regviz.house_numbers import money, short_number
from regviz.selection import train_test_split

REAL = tuple(HOUSE_EFFECTS)
MIN_ROWS = 20
"""Fewest rows that carry the lesson: 15 to fit and cross-validate in 5 folds, 5 to test."""
MAX_TERMS = 200
"""Most engineered terms (products of features) the overfitting demo builds."""
N_SALES = 1000
"""Default number of sales: enough that the 1-SE lambda reliably removes all the junk."""
TEST_SIZE = 0.25
N_LAMS = 60
K_FOLDS = 5
PENALTIES = ("l1", "l2")

UNITS = {
    "area_sqft": "square feet of living space",
    "bedrooms": "number of bedrooms",
    "bathrooms": "number of bathrooms (a half bath counts 0.5)",
    "age_years": "years since it was built",
    "lot_acres": "acres of land",
    "distance_km": "km to the city centre",
    "school_rating": "local school's rating, 1 to 10",
    "mailbox_colour": "colour of the mailbox",
    "dog_name": "the previous owner's dog's name",
    "lottery_number": "a lottery number drawn at the listing, 1 to 49",
    "listing_weekday": "day of the week the house was listed",
    "price": "sale price in dollars",
}


# --------------------------------------------------------------------------- the data


class JunkCounts:
    """Counts of junk and real columns, for anything that carries an ``is_junk`` mask."""

    is_junk: np.ndarray

    @property
    def n_junk(self) -> int:
        return int(self.is_junk.sum())

    @property
    def n_real(self) -> int:
        return int((~self.is_junk).sum())


@dataclass(frozen=True)
class HouseData(JunkCounts):
    """The house table, its design matrix and a train/test split."""

    seed: int
    frame: pd.DataFrame
    X: np.ndarray
    y: np.ndarray
    feature_names: list[str]
    source_columns: list[str]
    is_junk: np.ndarray  # bool per column of X
    train: np.ndarray
    test: np.ndarray
    notes: list[str]
    target: str = "price"
    in_dollars: bool = True  # the built-in sales; a student's table has its own units

    @property
    def n_train(self) -> int:
        return len(self.train)

    @property
    def n_test(self) -> int:
        return len(self.test)


def load(seed: int = 0, n: int = N_SALES, test_size: float = TEST_SIZE) -> HouseData:
    """The synthetic sales for ``seed``, one-hot encoded, split into training and test rows."""
    ds = house_prices(n=n, seed=seed)
    design = design_matrix(ds.frame, ds.target)
    if design.X.shape[0] != len(ds.frame):  # pragma: no cover - the data has no gaps
        raise DataError("Rows were dropped while encoding the house table.")
    junk = np.array([src in ds.junk for src in design.source_columns])
    train, test = train_test_split(len(design.y), test_size, seed)
    return HouseData(
        seed=seed, frame=ds.frame, X=design.X, y=design.y,
        feature_names=list(design.feature_names), source_columns=list(design.source_columns),
        is_junk=junk, train=train, test=test, notes=list(design.notes),
    )


def feature_table(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per column, in its own units: what it is, its range and its true effect."""
    rows = []
    for col in frame.columns:
        s = frame[col]
        role = "target" if col == "price" else ("junk" if col in HOUSE_JUNK else "real")
        if ptypes.is_numeric_dtype(s):
            values = (f"{short_number(s.min())} to {short_number(s.max())} "
                      f"(median {short_number(s.median())})")
        else:
            levels = sorted(pd.unique(s.dropna()).tolist())
            values = f"text, {len(levels)} values: {', '.join(map(str, levels))}"
        if role == "real":
            effect = f"{money(HOUSE_EFFECTS[col], signed=True)} per unit"
        elif role == "junk":
            effect = "none"
        else:
            effect = ""
        rows.append({"column": col, "role": role, "meaning": UNITS.get(col, ""),
                     "values": values, "true effect on price": effect})
    return pd.DataFrame(rows)


def one_hot_table(data: HouseData, column: str = "mailbox_colour", rows: int = 6):
    """The first rows of a text column beside the 0/1 columns it became, and the reference level.

    Returns (table, reference level).  The reference level (first in sorted
    order) has no column of its own: it is the row of all zeros.
    """
    # The junk's own columns, never a student's column that happens to share its name.
    cols = [j for j, src in enumerate(data.source_columns)
            if src == column and (data.is_junk[j] or column not in JUNK_MEANING)]
    if not cols:
        raise DataError(f"'{column}' was not one-hot encoded.")
    table = pd.DataFrame({column: data.frame[column].iloc[:rows].to_numpy()})
    for j in cols:
        table[data.feature_names[j]] = data.X[:rows, j].astype(int)
    levels = sorted(pd.unique(data.frame[column]).tolist())
    encoded = {data.feature_names[j].split("=", 1)[-1] for j in cols}
    reference = next(level for level in levels if level not in encoded)
    return table, reference


# --------------------------------------------------------------------------- junk in your data

JUNK_COLOURS = ("red", "blue", "green", "black", "white")
JUNK_NAMES = ("Rex", "Bella", "Max", "Luna", "Charlie", "Daisy")
JUNK_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
JUNK_MEANING = {
    "mailbox_colour": f"a random colour ({len(JUNK_COLOURS)} possible)",
    "dog_name": f"a random dog's name ({len(JUNK_NAMES)} possible)",
    "lottery_number": "a lottery number, 1 to 49",
    "listing_weekday": "a random weekday",
}
_JUNK_STREAM = 0x4A554E4B  # keeps the junk's random stream apart from the split's


def junk_frame(n: int, seed: int) -> pd.DataFrame:
    """Four columns that cannot matter, drawn at random with ``seed``, one row per row of data."""
    rng = np.random.default_rng([int(seed), _JUNK_STREAM])
    return pd.DataFrame({
        "mailbox_colour": rng.choice(JUNK_COLOURS, n),
        "dog_name": rng.choice(JUNK_NAMES, n),
        "lottery_number": rng.integers(1, 50, n),
        "listing_weekday": rng.choice(JUNK_WEEKDAYS, n),
    })


def _unique(name: str, taken: set[str]) -> str:
    while name in taken:
        name += " (junk)"
    taken.add(name)
    return name


def encode_junk(junk: pd.DataFrame, taken: Sequence[str] = ()):
    """(X, names, sources): text columns one-hot with the first sorted level as reference.

    Names are ``column=level`` as for an uploaded table, made unique against
    ``taken`` (the student's own feature names) so a junk column never shares a
    name with a real one.
    """
    used = set(map(str, taken))
    cols, names, sources = [], [], []
    for col in junk.columns:
        values = junk[col].to_numpy()
        if ptypes.is_numeric_dtype(junk[col]):
            cols.append(values.astype(float))
            names.append(_unique(col, used))
            sources.append(col)
            continue
        for level in sorted(set(values.tolist()))[1:]:
            cols.append((values == level).astype(float))
            names.append(_unique(f"{col}={level}", used))
            sources.append(col)
    return np.column_stack(cols), names, sources


def cannot_teach(X: np.ndarray, y: np.ndarray, target: str = "the target",
                 label: Callable[[str], str] = str) -> str | None:
    """Why this table cannot carry the lesson (and what would), or None if it can.

    ``label`` formats the target's name for where the sentence is shown (user text).
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    n = len(y)
    if n < MIN_ROWS:
        return (f"The lesson needs at least {MIN_ROWS} rows: {MIN_ROWS - 5} to fit and "
                f"cross-validate in {K_FOLDS} folds and 5 to test the finished models. This "
                f"table has {n}. Upload a table with more rows.")
    if np.all(y == y[0]):
        return (f"The target {label(target)} has the same value ({y[0]:g}) in every row, so "
                "there is nothing to predict and no penalty has anything to keep or drop. "
                "Choose a target that varies.")
    if X.ndim != 2 or X.shape[1] == 0 or bool(np.ptp(X, axis=0).max() == 0):
        return ("Every feature of this table is constant, so no feature can explain anything "
                "and there is nothing for L1 to tell apart from the junk. Choose features "
                "that vary.")
    return None


def with_junk(X: np.ndarray, y: np.ndarray, feature_names: Sequence[str], target: str,
              seed: int = 0, notes: Sequence[str] = (), test_size: float = TEST_SIZE) -> HouseData:
    """The student's design with seeded junk columns beside it, and a train/test split.

    ``frame`` of the result holds the four junk columns as drawn (before
    encoding); the student's own table is already encoded in ``X``.
    """
    why = cannot_teach(X, y, target)
    if why:
        raise DataError(why)
    X = np.asarray(X, dtype=float)
    n, p = X.shape
    junk = junk_frame(n, seed)
    Xj, jnames, jsources = encode_junk(junk, feature_names)
    train, test = train_test_split(n, test_size, seed)
    return HouseData(
        seed=int(seed), frame=junk, X=np.ascontiguousarray(np.column_stack([X, Xj])),
        y=np.asarray(y, dtype=float), feature_names=[*map(str, feature_names), *jnames],
        source_columns=[*map(str, feature_names), *jsources],
        is_junk=np.r_[np.zeros(p, bool), np.ones(len(jnames), bool)], train=train, test=test,
        notes=list(notes), target=str(target), in_dollars=False,
    )


def your_features(data: HouseData, label: Callable[[str], str] = str) -> pd.DataFrame:
    """One row per column of the model: whose it is, its spread and range, in its own units."""
    Xtr = data.X[data.train]
    rows = []
    for j, name in enumerate(data.feature_names):
        col = Xtr[:, j]
        rows.append({"column": label(name), "role": "junk" if data.is_junk[j] else "yours",
                     "sd (own units)": float(col.std()), "min": float(col.min()),
                     "max": float(col.max())})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- overfitting


@dataclass(frozen=True)
class Engineered:
    """Many engineered features: polynomial and interaction terms, plus the junk columns."""

    X: np.ndarray
    names: list[str]
    is_junk: np.ndarray
    degree: int
    n_base: int = 0  # real features multiplied
    n_real: int = 0  # real features available


def engineered_features(data: HouseData, rows: np.ndarray, degree: int = 3,
                        max_terms: int = MAX_TERMS) -> Engineered:
    """Products of up to ``degree`` of the real features, plus the junk columns as they are.

    The real features are centred and scaled with the mean and sd of ``rows``
    (the training rows) before multiplying, so that squares and cubes of
    square feet stay on a sane scale.  A 0/1 column is never raised to a power
    (its square is itself).  At most ``max_terms`` terms: the highest degree
    that fits every feature, else degree 2 on the features most correlated
    with y on ``rows``.  For the house (7 real features, degree 3) that is 119
    terms; with the 16 junk columns, 135 features.
    """
    if degree < 1:
        raise DataError("The polynomial degree must be at least 1.")
    real = np.flatnonzero(~data.is_junk)
    base = data.X[:, real]
    mu, sd = base[rows].mean(axis=0), base[rows].std(axis=0)
    sd = np.where(sd > 0, sd, 1.0)
    z = (base - mu) / sd
    binary = is_binary(base)
    chosen, degree = plan_terms(z[rows], data.y[rows], binary, degree, max_terms)
    names = [data.feature_names[real[j]] for j in chosen]
    cols, term_names = [], []
    for d in range(1, degree + 1):
        for combo in itertools.combinations_with_replacement(range(len(chosen)), d):
            if any(binary[chosen[j]] and combo.count(j) > 1 for j in set(combo)):
                continue
            cols.append(np.prod(z[:, [chosen[j] for j in combo]], axis=1))
            term_names.append(_monomial_name(combo, names))
    junk_idx = np.flatnonzero(data.is_junk)
    X = np.column_stack([*cols, data.X[:, junk_idx]])
    term_names += [data.feature_names[j] for j in junk_idx]
    is_junk = np.r_[np.zeros(len(cols), bool), np.ones(len(junk_idx), bool)]
    return Engineered(X=np.ascontiguousarray(X), names=term_names, is_junk=is_junk,
                      degree=degree, n_base=len(chosen), n_real=len(real))


def is_binary(X: np.ndarray) -> np.ndarray:
    """Per column: at most two distinct values (a 0/1 column; its powers add nothing)."""
    return np.array([np.unique(X[:, j]).size <= 2 for j in range(X.shape[1])], dtype=bool)


def count_terms(binary: Sequence[bool], degree: int) -> int:
    """How many products of 1..degree features there are, a 0/1 feature at most once in each."""
    b = int(np.count_nonzero(binary))
    c = len(binary) - b
    total = 0
    for k in range(1, degree + 1):  # j distinct 0/1 factors and a multiset of k - j others
        for j in range(min(b, k) + 1):
            rest = k - j
            total += math.comb(b, j) * (math.comb(c + rest - 1, rest) if rest else 1)
    return total


def plan_terms(z: np.ndarray, y: np.ndarray, binary: np.ndarray, degree: int,
               max_terms: int = MAX_TERMS) -> tuple[list[int], int]:
    """(features to multiply, degree) so that at most ``max_terms`` terms are built.

    Every feature at the highest degree (down to 2) that fits; else degree 2 on
    the features most correlated with ``y`` (``z`` standardized on the same rows).
    """
    binary = np.asarray(binary, dtype=bool)
    every = list(range(len(binary)))
    for d in range(degree, 1, -1):
        if count_terms(binary, d) <= max_terms:
            return every, d
    d = min(degree, 2)
    if count_terms(binary, d) <= max_terms:
        return every, d
    strength = np.abs(z.T @ (y - y.mean()))
    order = np.argsort(-strength, kind="stable")
    m = len(every)
    while m > 1 and count_terms(binary[order[:m]], d) > max_terms:
        m -= 1
    return sorted(order[:m].tolist()), d


_SUPERSCRIPT = {2: "²", 3: "³", 4: "⁴", 5: "⁵"}


def _monomial_name(combo: tuple[int, ...], names: Sequence[str] = REAL) -> str:
    parts = []
    for j in sorted(set(combo)):
        power = combo.count(j)
        parts.append(names[j] + (_SUPERSCRIPT.get(power, f"^{power}") if power > 1 else ""))
    return "·".join(parts)
