"""The logistic lessons' problem: two-class labels read from a column, and the standardized design.

:func:`binary_labels` turns a target column into 0/1 with words for what went
wrong (one class, three classes, a spelling that differs by case);
:func:`prepare_logistic` standardizes the features as the regression solver
does, so one lambda means the same penalty in both.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from regviz.datafits import Datafit, Logistic
from regviz.errors import DataError

# Smallest gradient scale: below it the features carry no signal worth a relative residual.
SCALE_FLOOR = 1e-12


# ----------------------------------------------------------------------------- labels


def binary_labels(y, positive=None, name: str = "The target") -> tuple[np.ndarray, tuple]:
    """(y as 0.0/1.0, (negative class, positive class)) from any two-valued column.

    Booleans, two numbers (the larger is positive) and two text levels (the later
    in sorted order is positive, so "yes" over "no") are accepted; ``positive``
    picks the positive class explicitly.  One class, a class with a single row,
    three or more classes and missing labels are DataErrors that say which.
    """
    arr = np.asarray(y)
    if arr.ndim == 2 and 1 in arr.shape:
        arr = arr.reshape(-1)
    if arr.ndim != 1:
        raise DataError(f"{name} must be a single column of labels.")
    if arr.size == 0:
        raise DataError(f"{name} is empty.")
    levels, codes = _levels(arr, name)
    counts = np.bincount(codes, minlength=len(levels))
    _check_two_classes(levels, counts, name)
    pos = 1
    if positive is not None:
        matches = [i for i, level in enumerate(levels) if level == positive]
        if not matches:
            raise DataError(f"{positive!r} is not one of the target's classes "
                            f"({levels[0]!r}, {levels[1]!r}).")
        pos = matches[0]
    return (codes == pos).astype(float), (levels[1 - pos], levels[pos])


def _levels(arr: np.ndarray, name: str) -> tuple[list, np.ndarray]:
    """Sorted distinct labels and each row's index into them; missing labels are errors."""
    if arr.dtype.kind in "biuf":
        values = arr.astype(float)
        bad = np.flatnonzero(~np.isfinite(values))
        if bad.size:
            raise DataError(f"{name} is missing (or infinite) at row {bad[0] + 1}; "
                            "every row needs a class.")
        uniq, codes = np.unique(values, return_inverse=True)
        levels = [bool(u) if arr.dtype.kind == "b" else _plain_number(u) for u in uniq]
        return levels, codes
    texts = []
    for i, value in enumerate(arr.tolist()):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            raise DataError(f"{name} is missing at row {i + 1}; every row needs a class.")
        texts.append(str(value))
    uniq, codes = np.unique(np.array(texts, dtype=object), return_inverse=True)
    return list(uniq), codes


def _plain_number(u: float):
    return int(u) if float(u).is_integer() else float(u)


def _check_two_classes(levels: list, counts: np.ndarray, name: str) -> None:
    listing = ", ".join(f"{level!r}: {c} row{'s' if c != 1 else ''}"
                        for level, c in zip(levels, counts, strict=True))
    if len(levels) == 1:
        raise DataError(f"{name} has one class only ({levels[0]!r} in all {counts[0]} rows); "
                        "a classifier needs rows of two classes.")
    if len(levels) > 2:
        shown = listing if len(levels) <= 8 else ", ".join(map(repr, levels[:8])) + ", ..."
        hint = _spelling_hint(levels)
        raise DataError(f"{name} has {len(levels)} classes ({shown}); logistic regression here "
                        "needs exactly two. " + hint)
    lonely = [lv for lv, c in zip(levels, counts, strict=True) if c < 2]
    if lonely:
        raise DataError(f"{name}'s class {lonely[0]!r} has only 1 row ({listing}); each class "
                        "needs at least 2 rows to fit and check a classifier.")


def _spelling_hint(levels: list) -> str:
    """Point at levels that differ only in case or spaces; otherwise say how to make two."""
    folded: dict[str, list] = {}
    for level in levels:
        folded.setdefault(str(level).strip().lower(), []).append(level)
    same = [group for group in folded.values() if len(group) > 1]
    if same:
        pair = " and ".join(repr(v) for v in same[0])
        return (f"{pair} differ only in capitals or spaces: fix the spelling so each class is "
                "written one way.")
    return ("Check for typos among the rare classes, or make the target binary "
            "(one class against the rest).")


# ----------------------------------------------------------------------------- the problem


@dataclass(frozen=True)
class LogisticProblem:
    """The data in standardized coordinates: ``eta = b + Z v`` over the free columns."""

    Z: np.ndarray  # (n, k): centred (and scaled) columns that can carry a coefficient
    y: np.ndarray  # (n,) 0.0 / 1.0
    free: np.ndarray  # (p,) which original columns are in Z
    x_mean: np.ndarray
    x_scale: np.ndarray
    classes: tuple
    datafit: Datafit = field(default_factory=Logistic)
    cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def n(self) -> int:
        return self.Z.shape[0]

    @property
    def k(self) -> int:
        return self.Z.shape[1]

    @property
    def p(self) -> int:
        return self.free.size

    def to_original(self, V: np.ndarray, B: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Standardized (..., k) and intercepts -> original-scale (..., p) coef and intercept."""
        V = np.asarray(V, dtype=float)
        W = np.zeros(V.shape[:-1] + (self.p,))
        W[..., self.free] = V / self.x_scale[self.free]
        return W, np.asarray(B, dtype=float) - W @ self.x_mean

    def full_std(self, V: np.ndarray) -> np.ndarray:
        """Standardized coefficients over all p columns (0 for constant ones)."""
        out = np.zeros(np.shape(V)[:-1] + (self.p,))
        out[..., self.free] = V
        return out

    def intercept_at_zero(self) -> float:
        return self.datafit.intercept_at_zero(self.y)

    def gradient_scale(self) -> float:
        """The gradient's size at w = 0: the scale of every relative KKT residual."""
        if "scale" not in self.cache:
            g0 = self.datafit.gradient_at_zero(self.Z, self.y)
            self.cache["scale"] = max(float(np.max(np.abs(g0), initial=0.0)), SCALE_FLOOR)
        return self.cache["scale"]

    def row_space(self) -> tuple[LogisticProblem, np.ndarray]:
        """(the problem on Z's row space, its basis V): Z = (Z V) V' with V (k x rank).

        Without an L1 part the optimum lies in Z's row space (stationarity gives
        ``2*l2*v = -Z'r/n``), so a wide problem is solved exactly in at most n dimensions.
        """
        if "row_space" not in self.cache:
            U, sing, Vt = np.linalg.svd(self.Z, full_matrices=False)
            floor = sing[0] * max(self.Z.shape) * np.finfo(float).eps if sing.size else 0.0
            keep = sing > floor
            small = LogisticProblem(Z=U[:, keep] * sing[keep], y=self.y,
                                    free=np.ones(int(keep.sum()), dtype=bool),
                                    x_mean=np.zeros(int(keep.sum())),
                                    x_scale=np.ones(int(keep.sum())), classes=self.classes,
                                    datafit=self.datafit)
            small.cache["scale"] = self.gradient_scale()
            self.cache["row_space"] = (small, Vt[keep].T)
        return self.cache["row_space"]

    def gram_rows(self) -> np.ndarray:
        """Z Z' (n x n), for Newton steps on more coordinates than rows."""
        if "ZZt" not in self.cache:
            self.cache["ZZt"] = self.Z @ self.Z.T
        return self.cache["ZZt"]


def _check_x(X, n: int) -> np.ndarray:
    try:
        X = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise DataError(f"X must be numeric: {exc}") from None
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2:
        raise DataError(f"X must be a 2-D table of numbers, got {X.ndim} dimensions.")
    if X.shape[0] != n:
        raise DataError(f"X has {X.shape[0]} rows but y has {n}; they must match.")
    if X.shape[1] < 1:
        raise DataError("X has no columns: at least one feature is needed.")
    bad = ~np.isfinite(X)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise DataError(f"X has a missing or infinite value at row {row + 1}, column {col + 1}.")
    if np.max(np.abs(X), initial=0.0) > 1e150:
        raise DataError("X has a value above 1e150 in magnitude, which overflows when "
                        "squared; rescale that column.")
    return X


def prepare_logistic(X, y, *, standardize: bool = True, positive=None,
                     datafit: Datafit | None = None) -> LogisticProblem:
    """Labels to 0/1, columns centred and (population-sd) scaled; constant columns left out."""
    y01, classes = binary_labels(y, positive)
    X = _check_x(X, y01.size)
    mu = X.mean(axis=0)
    Xc = X - mu
    sd = np.sqrt(np.mean(Xc**2, axis=0))
    free = ~np.all(X[0] == X, axis=0) & (sd > 0)
    scale = np.where(free & standardize, sd, 1.0)
    Z = np.ascontiguousarray(Xc[:, free] / scale[free])
    return LogisticProblem(Z=Z, y=y01, free=free, x_mean=mu, x_scale=scale, classes=classes,
                           datafit=Logistic() if datafit is None else datafit)
