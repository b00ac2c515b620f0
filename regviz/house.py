"""The house-price lesson: L1 throws out the dog's name, L2 keeps it small.

Everything the lesson shows is computed here from the data, with the app's
exact solver, and returned as plain dataclasses; the page only draws them.

* :func:`load` turns ``datasets.house_prices`` into a design (text columns
  one-hot encoded by the same code that reads uploaded CSVs) with a
  train/test split, and remembers which columns are junk.
* :func:`compare` fits L1 and L2 paths on the training rows, cross-validates
  them and scores them on the test rows; :func:`snapshot` reads one lambda.
* :func:`overfit` builds many engineered features (polynomial and interaction
  terms) on a small training set, so least squares nearly interpolates it,
  and shows how either penalty closes the train/test gap.
* :func:`scaling` refits L1 with standardization off, to show how the units
  of a feature decide its fate.
* :func:`junk_survival` repeats the L1/L2 comparison over many seeds.
* :func:`with_junk` does the same to any table (a student's upload): it adds
  seeded junk columns (mailbox colours, dogs' names, a lottery number, a
  weekday) beside the student's own features, so every section above runs
  on their data; :func:`cannot_teach` says why a table cannot carry the lesson.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from regviz.api import lambda_max, path
from regviz.data import design_matrix
from regviz.datasets import HOUSE_EFFECTS, HOUSE_JUNK, house_prices
from regviz.errors import DataError
from regviz.selection import CVResult, cross_validate, kfold, train_test_split

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


class _JunkCounts:
    """Counts of junk and real columns, for anything that carries an ``is_junk`` mask."""

    is_junk: np.ndarray

    @property
    def n_junk(self) -> int:
        return int(self.is_junk.sum())

    @property
    def n_real(self) -> int:
        return int((~self.is_junk).sum())


@dataclass(frozen=True)
class HouseData(_JunkCounts):
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
            values = f"{_num(s.min())} to {_num(s.max())} (median {_num(s.median())})"
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


# --------------------------------------------------------------------------- L1 vs L2


@dataclass(frozen=True)
class Errors:
    """Mean squared error and R^2 on the training and on the test rows."""

    train_mse: float
    test_mse: float
    train_r2: float
    test_r2: float

    @property
    def train_rmse(self) -> float:
        return math.sqrt(self.train_mse)

    @property
    def test_rmse(self) -> float:
        return math.sqrt(self.test_mse)


@dataclass(frozen=True)
class PenaltyFit:
    """One penalty's path on the training rows, scored on the test rows, cross-validated."""

    penalty: str
    lams: np.ndarray
    std_coefs: np.ndarray  # (len(lams), p): dollars per standard deviation of each feature
    coefs: np.ndarray  # (len(lams), p): dollars per unit of each feature
    train_mse: np.ndarray
    test_mse: np.ndarray
    train_r2: np.ndarray
    test_r2: np.ndarray
    cv: CVResult

    @property
    def idx_1se(self) -> int:
        return self.cv.idx_1se

    def errors(self, i: int) -> Errors:
        return Errors(float(self.train_mse[i]), float(self.test_mse[i]),
                      float(self.train_r2[i]), float(self.test_r2[i]))


@dataclass(frozen=True)
class Comparison:
    """L1 and L2 fitted on the same training rows, on their own lambda grids."""

    data: HouseData
    fits: dict[str, PenaltyFit]

    @property
    def l1(self) -> PenaltyFit:
        return self.fits["l1"]

    @property
    def l2(self) -> PenaltyFit:
        return self.fits["l2"]


@dataclass(frozen=True)
class Snapshot(_JunkCounts):
    """One penalty at one lambda: standardized coefficients, errors and the junk count."""

    penalty: str
    lam: float
    index: int
    feature_names: list[str]
    std_coef: np.ndarray
    is_junk: np.ndarray
    errors: Errors

    @property
    def junk_kept(self) -> list[str]:
        return [n for n, w, j in zip(self.feature_names, self.std_coef, self.is_junk, strict=True)
                if j and w != 0]

    @property
    def n_junk_kept(self) -> int:
        return int(np.count_nonzero(self.std_coef[self.is_junk]))

    @property
    def n_real_kept(self) -> int:
        return int(np.count_nonzero(self.std_coef[~self.is_junk]))

    @property
    def real_dropped(self) -> list[str]:
        return [n for n, w, j in zip(self.feature_names, self.std_coef, self.is_junk, strict=True)
                if not j and w == 0]

    @property
    def largest_junk_share(self) -> float:
        """Largest |junk weight| over largest |real weight| (standardized); 0 if no junk is left."""
        junk = float(np.max(np.abs(self.std_coef[self.is_junk]), initial=0.0))
        real = float(np.max(np.abs(self.std_coef[~self.is_junk]), initial=0.0))
        if junk == 0.0:
            return 0.0
        return junk / real if real > 0 else math.inf


def _r2(mse: np.ndarray, y: np.ndarray) -> np.ndarray:
    return 1.0 - np.asarray(mse) / float(np.var(y))


def _penalty_fit(X, y, train, test, penalty: str, seed: int, n_lams: int = N_LAMS,
                 k: int = K_FOLDS, folds=None, lams=None) -> PenaltyFit:
    Xtr, ytr, Xte, yte = X[train], y[train], X[test], y[test]
    fitted = path(Xtr, ytr, penalty=penalty, n_lams=n_lams, lams=lams)
    test_mse = np.mean((yte[None, :] - fitted.predict(Xte)) ** 2, axis=1)
    cv = cross_validate(Xtr, ytr, penalty=penalty, lams=fitted.lams, k=k, seed=seed,
                        folds=folds)
    return PenaltyFit(
        penalty=penalty, lams=fitted.lams, std_coefs=fitted.std_coefs, coefs=fitted.coefs,
        train_mse=fitted.train_mse, test_mse=test_mse, train_r2=_r2(fitted.train_mse, ytr),
        test_r2=_r2(test_mse, yte), cv=cv,
    )


def compare(data: HouseData, n_lams: int = N_LAMS, k: int = K_FOLDS) -> Comparison:
    """L1 and L2 paths on the training rows (standardized), each with K-fold CV and test error.

    Both penalties use the same folds, so their lambda_1se are chosen on equal terms.
    """
    folds = kfold(data.n_train, k, data.seed)
    fits = {pen: _penalty_fit(data.X, data.y, data.train, data.test, pen, data.seed, n_lams,
                              k, folds) for pen in PENALTIES}
    return Comparison(data=data, fits=fits)


def snapshot(comparison: Comparison, penalty: str, index: int | None = None) -> Snapshot:
    """``penalty``'s fit at grid point ``index`` (default: its cross-validated lambda_1se)."""
    fit = comparison.fits[penalty]
    i = fit.idx_1se if index is None else int(index)
    if not 0 <= i < len(fit.lams):
        raise DataError(f"Lambda index {i} is outside the grid of {len(fit.lams)} values.")
    return Snapshot(
        penalty=penalty, lam=float(fit.lams[i]), index=i,
        feature_names=comparison.data.feature_names, std_coef=fit.std_coefs[i].copy(),
        is_junk=comparison.data.is_junk, errors=fit.errors(i),
    )


def describe(snap: Snapshot, label: Callable[[str], str] = str) -> str:
    """What happened to the junk at this lambda, in numbers; ``label`` formats column names."""
    name = "L1" if snap.penalty == "l1" else "L2" if snap.penalty == "l2" else snap.penalty
    head = f"{name} at λ = {fmt_lam(snap.lam)}: "
    kept, total = snap.n_junk_kept, snap.n_junk
    if kept == 0:
        return head + f"0 of {total} junk columns survive"
    share = _pct(snap.largest_junk_share)
    if kept == total:
        return head + (f"keeps all {total} junk columns, the largest junk weight is {share} "
                       "of the largest real one")
    names = ", ".join(map(label, snap.junk_kept))
    return head + (f"{kept} of {total} junk columns survive ({names}), the "
                   f"largest at {share} of the largest real weight")


def sentence(l1: Snapshot, l2: Snapshot, label: Callable[[str], str] = str) -> str:
    """The comparison in one sentence, e.g. for a caption."""
    return f"{describe(l1, label)}; {describe(l2, label)}."


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


@dataclass(frozen=True)
class Curve:
    """Train and test error of one penalty along its lambda grid, with its lambda_1se."""

    penalty: str
    lams: np.ndarray
    train_mse: np.ndarray
    test_mse: np.ndarray
    train_r2: np.ndarray
    test_r2: np.ndarray
    n_nonzero: np.ndarray
    idx_1se: int

    @property
    def lambda_1se(self) -> float:
        return float(self.lams[self.idx_1se])

    def errors(self, i: int | None = None) -> Errors:
        i = self.idx_1se if i is None else i
        return Errors(float(self.train_mse[i]), float(self.test_mse[i]),
                      float(self.train_r2[i]), float(self.test_r2[i]))


@dataclass(frozen=True)
class Overfit:
    """Least squares on many engineered features of a small training set, then each penalty."""

    feature_names: list[str]
    n_train: int
    n_test: int
    n_terms: int  # polynomial and interaction terms of the real features
    n_junk: int
    min_norm: bool  # True when there are at least as many features as training rows
    ols: Errors
    curves: dict[str, Curve]
    degree: int = 3
    n_base: int = 0  # real features multiplied into the terms
    n_real: int = 0  # real features the data has

    @property
    def n_features(self) -> int:
        return len(self.feature_names)


def overfit(data: HouseData, n_train: int = 100, degree: int = 3, n_lams: int = N_LAMS,
            k: int = K_FOLDS, max_terms: int = MAX_TERMS) -> Overfit:
    """The overfitting demo on ``n_train`` of the training rows, scored on the full test set.

    "No penalty" is least squares; when the features outnumber the training
    rows (p >= n_train) it has no unique answer and the minimum-norm one is
    used (the limit of ridge as lambda -> 0), which fits the training rows
    exactly.
    """
    if not 2 * k <= n_train <= data.n_train:
        raise DataError(f"The small training set needs between {2 * k} and {data.n_train} rows.")
    rng = np.random.default_rng(data.seed + 7_919)
    small = np.sort(rng.choice(data.train, size=n_train, replace=False))
    eng = engineered_features(data, small, degree, max_terms)
    X, y = eng.X, data.y
    ytr, yte = y[small], y[data.test]
    ols_path = path(X[small], ytr, penalty="l2", lams=[0.0])
    ols_train = float(np.mean((ytr - ols_path.predict(X[small])[0]) ** 2))
    ols_test = float(np.mean((yte - ols_path.predict(X[data.test])[0]) ** 2))
    ols = Errors(ols_train, ols_test, float(_r2(ols_train, ytr)), float(_r2(ols_test, yte)))
    folds = kfold(n_train, k, data.seed)
    # L1 stops at 1e-2 of lambda_max, glmnet's floor for wide data: below it the lasso
    # only chases the interpolating fit, slowly, and least squares is drawn anyway.
    top = lambda_max(X[small], ytr, penalty="l1")
    grids = {"l1": np.geomspace(top, 1e-2 * top, n_lams), "l2": None}
    curves = {}
    for pen in PENALTIES:
        fit = _penalty_fit(X, y, small, data.test, pen, data.seed, n_lams, k, folds,
                           lams=grids[pen])
        curves[pen] = Curve(
            penalty=pen, lams=fit.lams, train_mse=fit.train_mse, test_mse=fit.test_mse,
            train_r2=fit.train_r2, test_r2=fit.test_r2,
            n_nonzero=np.count_nonzero(fit.std_coefs, axis=1), idx_1se=fit.idx_1se,
        )
    return Overfit(
        feature_names=eng.names, n_train=n_train, n_test=data.n_test,
        n_terms=int((~eng.is_junk).sum()), n_junk=int(eng.is_junk.sum()),
        min_norm=X.shape[1] >= n_train, ols=ols, curves=curves, degree=eng.degree,
        n_base=eng.n_base, n_real=eng.n_real,
    )


# --------------------------------------------------------------------------- scaling


@dataclass(frozen=True)
class Scaling:
    """L1 on one lambda grid with and without standardization, compared in the same units.

    ``effect_std`` and ``effect_raw`` are (len(lams), p) effects of a one-sd
    change of each feature, in dollars: the standardized coefficients of the
    standardized fit, and the raw fit's coefficients times the feature's sd.
    Without standardization the L1 penalty on feature j's effect is
    multiplied by 1/sd_j (``penalty_factor``): cheap for square feet, dear for
    acres.
    """

    lams: np.ndarray
    default_index: int
    idx_1se: int
    feature_names: list[str]
    is_junk: np.ndarray
    sd: np.ndarray
    effect_std: np.ndarray
    effect_raw: np.ndarray

    @property
    def penalty_factor(self) -> np.ndarray:
        return 1.0 / self.sd

    def ranks(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Ranks by |effect| at grid point i (1 = largest), 0 for a feature set to exactly 0."""
        return rank_by_size(self.effect_std[i]), rank_by_size(self.effect_raw[i])

    def n_changed(self, i: int) -> int:
        """How many features have a different rank (or fate) without standardization."""
        with_std, without = self.ranks(i)
        return int(np.count_nonzero(with_std != without))

    def changes_anywhere(self) -> bool:
        """Whether switching standardization off changes a rank at any lambda of the grid."""
        return any(self.n_changed(i) for i in range(len(self.lams)))

    def shown(self, i: int, limit: int | None = None) -> np.ndarray:
        """Indices worth showing at i: the real features and any junk non-zero in either fit.

        With ``limit``, only that many: the best ranked in either fit (dropped ones last).
        """
        on = (self.effect_std[i] != 0) | (self.effect_raw[i] != 0)
        shown = np.flatnonzero(~self.is_junk | on)
        if limit is None or len(shown) <= limit:
            return shown
        with_std, without = self.ranks(i)
        best = np.minimum(np.where(with_std > 0, with_std, np.inf),
                          np.where(without > 0, without, np.inf))
        keep = shown[np.argsort(best[shown], kind="stable")[:limit]]
        return np.sort(keep)

    def table(self, i: int, unit: str = "$", limit: int | None = None,
              label: Callable[[str], str] = str) -> pd.DataFrame:
        """The shown features at grid point i: sd, penalty weight, effect and rank in both fits.

        ``unit`` names the target's unit in the headers ("$", or "" for a table
        without known units); ``label`` formats feature names (user text).
        """
        with_std, without = self.ranks(i)
        suffix = f" ({unit})" if unit else ""
        rows = []
        for j in self.shown(i, limit):
            rows.append({
                "feature": label(self.feature_names[j]),
                "sd (own units)": float(self.sd[j]),
                "penalty × without std.": float(self.penalty_factor[j]),
                f"standardized: effect{suffix}": _rounded(float(self.effect_std[i, j])),
                "standardized: rank": _rank_label(with_std[j]),
                f"raw units: effect{suffix}": _rounded(float(self.effect_raw[i, j])),
                "raw units: rank": _rank_label(without[j]),
            })
        return pd.DataFrame(rows)


def rank_by_size(effect: np.ndarray) -> np.ndarray:
    """1 for the largest |effect|, 2 for the next, ...; 0 where the effect is exactly 0."""
    effect = np.asarray(effect, dtype=float)
    order = np.argsort(-np.abs(effect), kind="stable")
    ranks = np.zeros(effect.size, dtype=int)
    ranks[order] = np.arange(1, effect.size + 1)
    return np.where(effect != 0, ranks, 0)


def _rounded(x: float) -> float:
    """Whole units for large effects (dollars), four significant digits for small ones."""
    return round(x) if abs(x) >= 100 else float(f"{x:.4g}")


def _rank_label(r: int) -> str:
    return "dropped (0)" if r == 0 else str(int(r))


def scaling(comparison: Comparison) -> Scaling:
    """Refit L1 on the standardized fit's lambda grid with standardization off.

    The default lambda is L1's lambda_1se if the rankings differ there, else
    the nearest grid lambda where they do.
    """
    data, l1 = comparison.data, comparison.l1
    Xtr, ytr = data.X[data.train], data.y[data.train]
    raw = path(Xtr, ytr, penalty="l1", lams=l1.lams, standardize=False)
    sd = Xtr.std(axis=0)
    sd = np.where(sd > 0, sd, 1.0)
    sc = Scaling(
        lams=l1.lams, default_index=l1.idx_1se, idx_1se=l1.idx_1se,
        feature_names=data.feature_names, is_junk=data.is_junk, sd=sd,
        effect_std=l1.std_coefs, effect_raw=raw.coefs * sd,
    )
    changed = np.array([sc.n_changed(i) for i in range(len(sc.lams))])
    if changed[l1.idx_1se] == 0 and changed.any():
        candidates = np.flatnonzero(changed)
        best = candidates[np.argmin(np.abs(candidates - l1.idx_1se))]
        sc = replace(sc, default_index=int(best))
    return sc


# --------------------------------------------------------------------------- many seeds


@dataclass(frozen=True)
class SeedSummary:
    """The L1/L2 comparison at each penalty's lambda_1se, repeated on fresh data per seed."""

    seeds: np.ndarray
    n: int
    n_junk: int
    l1_junk_kept: np.ndarray
    l1_real_dropped: list[list[str]]
    l2_junk_kept: np.ndarray
    l2_junk_share: np.ndarray
    l1_test_rmse: np.ndarray
    l2_test_rmse: np.ndarray

    @property
    def all_junk_zeroed(self) -> int:
        """Number of seeds on which L1 set every junk column to exactly 0."""
        return int(np.count_nonzero(self.l1_junk_kept == 0))

    @property
    def l2_kept_all(self) -> int:
        return int(np.count_nonzero(self.l2_junk_kept == self.n_junk))


@dataclass(frozen=True)
class SeedOutcome:
    """One seed's row of a :class:`SeedSummary`: small, so it is cheap to keep per seed."""

    seed: int
    n: int
    n_junk: int
    l1_junk_kept: int
    l1_real_dropped: list[str]
    l2_junk_kept: int
    l2_junk_share: float
    l1_test_rmse: float
    l2_test_rmse: float


def seed_outcome(seed: int, n: int = N_SALES, comparison: Comparison | None = None) -> SeedOutcome:
    """Draw the data for ``seed``, fit L1 and L2 at their lambda_1se, count junk survivors.

    ``comparison`` is ``compare(load(seed, n))`` when the caller already has it (the
    lesson's own sample), so it is not fitted twice.
    """
    comp = compare(load(int(seed), n)) if comparison is None else comparison
    a, b = snapshot(comp, "l1"), snapshot(comp, "l2")
    return SeedOutcome(
        seed=int(seed), n=n, n_junk=a.n_junk, l1_junk_kept=a.n_junk_kept,
        l1_real_dropped=list(a.real_dropped), l2_junk_kept=b.n_junk_kept,
        l2_junk_share=float(b.largest_junk_share), l1_test_rmse=float(a.errors.test_rmse),
        l2_test_rmse=float(b.errors.test_rmse),
    )


def seed_outcomes(seeds, n: int = N_SALES) -> list[SeedOutcome]:
    """:func:`seed_outcome` for each seed (one call: one trip to a worker process)."""
    return [seed_outcome(int(s), n) for s in seeds]


def summarize_seeds(outcomes: list[SeedOutcome]) -> SeedSummary:
    """Stack per-seed outcomes (all drawn with the same number of sales) into a summary."""
    if not outcomes:
        raise ValueError("no seeds to summarize")
    if len({o.n for o in outcomes}) != 1:
        raise ValueError("outcomes drawn with different numbers of sales")
    return SeedSummary(
        seeds=np.array([o.seed for o in outcomes], dtype=int), n=outcomes[0].n,
        n_junk=outcomes[0].n_junk,
        l1_junk_kept=np.array([o.l1_junk_kept for o in outcomes]),
        l1_real_dropped=[list(o.l1_real_dropped) for o in outcomes],
        l2_junk_kept=np.array([o.l2_junk_kept for o in outcomes]),
        l2_junk_share=np.array([o.l2_junk_share for o in outcomes]),
        l1_test_rmse=np.array([o.l1_test_rmse for o in outcomes]),
        l2_test_rmse=np.array([o.l2_test_rmse for o in outcomes]),
    )


def junk_survival(seeds, n: int = N_SALES) -> SeedSummary:
    """For each seed: draw the data, fit L1 and L2 at their lambda_1se, count junk survivors."""
    return summarize_seeds(seed_outcomes(seeds, n))


# --------------------------------------------------------------------------- captions


def errors_caption(l1: Snapshot, l2: Snapshot, fmt: Callable[[float], str] | None = None) -> str:
    """Train and test error of both fits, in dollars (or ``fmt``, the target's own units)."""
    fmt = fmt or money
    parts = []
    for snap in (l1, l2):
        e = snap.errors
        name = "L1" if snap.penalty == "l1" else "L2"
        parts.append(f"{name}: typical error (RMSE) {fmt(e.train_rmse)} on the training rows, "
                     f"{fmt(e.test_rmse)} on the test rows (test R² {e.test_r2:.2f})")
    return "; ".join(parts) + "."


def lesson(seed: int, n: int = N_SALES) -> tuple[Comparison, Scaling]:
    """Sections 2 and 4 of the lesson for one sample: the comparison and the scaling view."""
    comparison = compare(load(seed, n))
    return comparison, scaling(comparison)


def your_lesson(X, y, feature_names, target: str, seed: int) -> tuple[Comparison, Scaling]:
    """Sections 2 and 4 on a student's table with seeded junk columns added."""
    comparison = compare(with_junk(X, y, feature_names, target, seed))
    return comparison, scaling(comparison)


def your_overfit(X, y, feature_names, target: str, seed: int, n_train: int) -> Overfit:
    """Section 3 on a student's table: products of their features, plus the junk columns."""
    return overfit(with_junk(X, y, feature_names, target, seed), n_train)


def n_engineered(data: HouseData, degree: int = 3, max_terms: int = MAX_TERMS) -> int:
    """How many features the overfitting demo builds on ``data`` (terms plus junk columns)."""
    binary = is_binary(data.X[:, ~data.is_junk])
    chosen, d = plan_terms(np.zeros((1, len(binary))), np.zeros(1), binary, degree, max_terms)
    return count_terms(binary[chosen], d) + data.n_junk


def overfit_lesson(seed: int, n: int, n_train: int) -> Overfit:
    """Section 3 of the lesson for one sample: 135 engineered features on ``n_train`` rows."""
    return overfit(load(seed, n), n_train)


def overfit_caption(ov: Overfit, fmt: Callable[[float], str] | None = None) -> str:
    """The overfitting story in numbers (amounts in dollars, or by ``fmt``)."""
    amount = fmt or money
    ols = "minimum-norm least squares" if ov.min_norm else "least squares"
    o = ov.ols
    text = (f"{ov.n_features} features, {ov.n_train} training rows. No penalty ({ols}): "
            f"training R² {o.train_r2:.3f} (RMSE {amount(o.train_rmse)}), test R² "
            f"{o.test_r2:.2f} (RMSE {amount(o.test_rmse)}).")
    for pen, c in ov.curves.items():
        e = c.errors()
        name = "L1" if pen == "l1" else "L2"
        text += (f" {name} at λ_1se = {fmt_lam(c.lambda_1se)}: training R² {e.train_r2:.2f}, "
                 f"test R² {e.test_r2:.2f} (RMSE {amount(e.test_rmse)}"
                 + (f", {int(c.n_nonzero[c.idx_1se])} of {ov.n_features} features kept"
                    if pen == "l1" else "") + ").")
    return text


def scaling_caption(sc: Scaling, i: int, label: Callable[[str], str] = str,
                    limit: int | None = None) -> str:
    """Which features change rank or fate when standardization is off, at grid point i.

    ``label`` formats feature names (user text); ``limit`` is the chart's.
    """
    with_std, without = sc.ranks(i)
    names = [label(name) for name in sc.feature_names]
    shown = sc.shown(i, limit)
    lost = [names[j] for j in shown if with_std[j] and not without[j]]
    gained = [names[j] for j in shown if without[j] and not with_std[j]]
    text = f"L1 at λ = {fmt_lam(float(sc.lams[i]))}: {sc.n_changed(i)} features change rank."
    if lost:
        verb = "is" if len(lost) == 1 else "are"
        text += f" Without standardization {_join(lost)} {verb} dropped."
    if gained:
        verb = "survives" if len(gained) == 1 else "survive"
        text += f" {_join(gained)} {verb} only without standardization."
    order = sorted(shown, key=lambda j: -sc.penalty_factor[j])
    listed = [f"{names[j]} {sc.penalty_factor[j]:.2g}×" for j in order]
    if len(listed) > 12:  # the dearest and the cheapest say it; the table has the rest
        listed = [*listed[:5], f"… {len(listed) - 10} more …", *listed[-5:]]
    text += (" Penalty per sd of effect without standardization, relative to with: "
             + ", ".join(listed) + ".")
    every = len(sc.shown(i))
    if len(shown) < every:
        text += (f" The chart shows the {len(shown)} best ranked in either fit of the {every} "
                 "real or non-zero columns; the table below has them all.")
    return text


def units_sentence(sc: Scaling, target: str, label: Callable[[str], str] = str,
                   fmt: Callable[[float], str] | None = None) -> str | None:
    """The widest and the narrowest spread in their own units, and what that costs under L1.

    Among the real features if there are two with different spreads, else among
    every column (junk included); None if every spread is the same.
    """
    fmt = fmt or number
    real = np.flatnonzero(~sc.is_junk)
    pool = real if np.ptp(sc.sd[real]) > 0 and len(real) > 1 else np.arange(len(sc.sd))
    if np.ptp(sc.sd[pool]) == 0:
        return None
    wide, narrow = pool[np.argmax(sc.sd[pool])], pool[np.argmin(sc.sd[pool])]
    a, b = label(sc.feature_names[wide]), label(sc.feature_names[narrow])
    ratio = sc.sd[wide] / sc.sd[narrow]
    return (f"One standard deviation of {a} is {fmt(sc.sd[wide])} in its own units; one of "
            f"{b} is {fmt(sc.sd[narrow])}. To move {label(target)} by the same amount, "
            f"{b}'s coefficient must be {fmt(ratio)} times larger than {a}'s, and without "
            f"standardization L1 charges by the size of the coefficient: {a} is cheap to keep "
            f"and {b} is dear.")


def seeds_caption(ss: SeedSummary) -> str:
    """How often L1 removed all the junk, and what L2 did, over the seeds."""
    count = len(ss.seeds)
    first, last = int(ss.seeds.min()), int(ss.seeds.max())
    text = (f"Over {count} fresh draws of {ss.n:,} sales (seeds {first}–{last}), L1 at its "
            f"λ_1se set all {ss.n_junk} junk columns to exactly 0 in {ss.all_junk_zeroed} of "
            f"{count}")
    worst = int(ss.l1_junk_kept.max(initial=0))
    if ss.all_junk_zeroed < count:
        text += f" (at worst {worst} survived)"
    text += (f". L2 kept all {ss.n_junk} in {ss.l2_kept_all} of {count}; its largest junk "
             f"weight was a median {_pct(float(np.median(ss.l2_junk_share)))} of the largest "
             "real one.")
    dropped = sorted({name for names in ss.l1_real_dropped for name in names})
    if dropped:
        times = {name: sum(name in d for d in ss.l1_real_dropped) for name in dropped}
        text += " L1 also dropped a real feature now and then: " + ", ".join(
            f"{name} ({times[name]}×)" for name in dropped) + "."
    return text


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# --------------------------------------------------------------------------- formatting


def fmt_lam(lam: float) -> str:
    """A lambda for a sentence: 12,300 / 45.6 / 0.0123 / 1.2e-05."""
    if lam == 0:
        return "0"
    if 100 <= abs(lam) < 1e7:
        return f"{lam:,.0f}"
    if 1e-3 <= abs(lam) < 100:
        return f"{lam:.3g}"
    return f"{lam:.2g}"


def number(x: float) -> str:
    """An amount in the table's own units: 12,300 / 45.6 / 0.0123 / 1.2e-05."""
    x = float(x)
    if x == 0 or not math.isfinite(x):
        return f"{x:g}"
    if 1_000 <= abs(x) < 1e9:
        return f"{x:,.0f}"
    if 1e-3 <= abs(x) < 1_000:
        return f"{x:.3g}"
    return f"{x:.2e}"


def _pct(share: float) -> str:
    if not math.isfinite(share):
        return "more than all"
    pct = 100 * share
    if pct == 0:
        return "0%"
    if pct < 0.1:
        return f"{pct:.2g}%"
    return f"{pct:.1f}%" if pct < 10 else f"{pct:.0f}%"


def money(x: float, signed: bool = False) -> str:
    """Dollars for a sentence: $27,330, −$800 (+$110 with signed=True)."""
    sign = "+" if signed and x > 0 else "−" if x < 0 else ""
    return f"{sign}${abs(x):,.0f}"


def _num(x) -> str:
    x = float(x)
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:g}"
