"""The house-price lesson's computations: L1 throws out the dog's name, L2 keeps it small.

Everything the lesson shows is computed here from the data, with the app's
exact solver, and returned as plain dataclasses; the page only draws them.

* :func:`compare` fits L1 and L2 paths on the training rows, cross-validates
  them and scores them on the test rows; :func:`snapshot` reads one lambda.
* :func:`overfit` fits many engineered features on a small training set, so
  least squares nearly interpolates it, and shows how either penalty closes
  the train/test gap.
* :func:`scaling` refits L1 with standardization off, to show how the units
  of a feature decide its fate.
* :func:`junk_survival` repeats the L1/L2 comparison over many seeds.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from regviz.api import lambda_max, path
from regviz.errors import DataError
from regviz.house_data import (
    K_FOLDS,
    MAX_TERMS,
    N_LAMS,
    N_SALES,
    PENALTIES,
    HouseData,
    JunkCounts,
    count_terms,
    engineered_features,
    is_binary,
    load,
    plan_terms,
    with_junk,
)
from regviz.selection import CVResult, cross_validate, kfold

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
class Snapshot(JunkCounts):
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
