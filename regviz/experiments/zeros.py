"""Experiment 1: how many coefficients are exactly zero, and how small the rest are.

Counts are of coefficients that are exactly 0.0 in floating point, never
"below a tolerance": the solver returns L1's zeros exactly, so a count of 0
for L2 is a statement about the mathematics, not about rounding.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from regviz.api import default_grid, path_on
from regviz.errors import DataError
from regviz.experiments._common import PENALTIES, check_count
from regviz.penalties import make_penalty
from regviz.preprocessing import Problem, prepare
from regviz.solvers import lambda_max, solve_at


@dataclass(frozen=True)
class ZeroCounts:
    """Exactly-zero coefficients per penalty along one shared, descending lambda grid."""

    lams: np.ndarray
    zeros: dict[str, np.ndarray]
    p: int
    lambda_max: dict[str, float]
    smallest: dict[str, np.ndarray]  # smallest non-zero |standardized coefficient| per lambda
    l1_ratio: float

    def caption(self) -> str:
        i = int(np.argmin(np.abs(np.log(self.lams / self.lambda_max["l1"]) - math.log(0.1))))
        lam = self.lams[i]
        return (
            f"{self.p} features, {self.lams.size} values of λ. At λ = {lam:.3g} (a tenth of "
            f"L1's λ_max) L1 has {self.zeros['l1'][i]} coefficients exactly at 0, elastic net "
            f"(a = {self.l1_ratio:g}) {self.zeros['elasticnet'][i]}, L2 "
            f"{self.zeros['l2'][i]}. L2 has {int(self.zeros['l2'].max())} zeros at every λ "
            f"tried, even where its smallest coefficient is "
            f"{float(np.nanmin(self.smallest['l2'])):.1e}: small, never zero. L1 zeroes every "
            f"coefficient from λ_max = {self.lambda_max['l1']:.3g} up, elastic net from "
            f"{self.lambda_max['elasticnet']:.3g}."
        )


def zeros_vs_lambda(X, y, *, l1_ratio: float = 0.5, standardize: bool = True,
                    n_lams: int = 60) -> ZeroCounts:
    """Count exact zeros for L1, L2 and elastic net on one grid from past λ_max downwards.

    One grid for all three, so "as λ grows" means the same λ for each; it starts
    above elastic net's λ_max (L1's divided by a) and ends where L1's default
    path ends.
    """
    if not 0.0 < l1_ratio < 1.0:
        raise DataError(f"l1_ratio (elastic net's mixing a) must be strictly between 0 and 1, "
                        f"got {l1_ratio!r}.")
    n_lams = check_count(n_lams, "The number of lambdas", 2, 1_000)
    problem = prepare(X, y, standardize=standardize)
    l1 = make_penalty("l1")
    top = lambda_max(problem, l1)
    if not math.isfinite(top) or top <= 0:
        raise DataError("Every feature is uncorrelated with the target: nothing to shrink.")
    grid = np.geomspace(2.0 * top / l1_ratio, default_grid(problem, l1)[-1], n_lams)
    zeros, smallest, tops = {}, {}, {}
    for name in PENALTIES:
        pen = make_penalty(name, l1_ratio)
        coefs = path_on(problem, pen, grid).std_coefs[:, problem.free]
        zeros[name] = np.count_nonzero(coefs == 0.0, axis=1)
        magnitude = np.where(coefs == 0.0, np.inf, np.abs(coefs)).min(axis=1)
        smallest[name] = np.where(np.isinf(magnitude), np.nan, magnitude)
        tops[name] = lambda_max(problem, pen)
    return ZeroCounts(grid, zeros, int(problem.free.sum()), tops, smallest, l1_ratio)


@dataclass(frozen=True)
class MatchedMagnitudes:
    """Standardized coefficients of each penalty at the λ that gives one shared training MSE."""

    share: float
    train_mse: float
    lams: dict[str, float]
    coefs: dict[str, np.ndarray]
    achieved_mse: dict[str, float]
    edges: np.ndarray  # log10 bin edges for the non-zero magnitudes
    counts: dict[str, np.ndarray]
    zeros: dict[str, int]

    def caption(self) -> str:
        parts = []
        for name, label in (("l1", "L1"), ("elasticnet", "elastic net"), ("l2", "L2")):
            nonzero = np.abs(self.coefs[name][self.coefs[name] != 0.0])
            low = f", smallest {nonzero.min():.1e}" if nonzero.size else ""
            parts.append(f"{label} {self.zeros[name]} exactly zero{low}")
        return (
            f"All three fits have the same training MSE, {self.train_mse:.4g} (they give up "
            f"{self.share:.0%} of the way from the least-squares fit to predicting the mean). "
            f"Of {next(iter(self.coefs.values())).size} coefficients: " + "; ".join(parts) + "."
        )


def matched_magnitudes(X, y, *, share: float = 0.25, l1_ratio: float = 0.5,
                       standardize: bool = True, bins_per_decade: int = 4) -> MatchedMagnitudes:
    """Fit each penalty at the λ where its training MSE is the same, and bin |coefficients|.

    ``share`` sets that MSE: this far from the weakest fit on the default grids
    (share 0) towards the intercept-only model (share 1).  Training MSE rises
    monotonically with λ for any penalty, so bisection finds each λ exactly.
    """
    if not 0.0 < share <= 0.95:
        raise DataError(f"share must be above 0 and at most 0.95, got {share!r}.")
    if not 0.0 < l1_ratio < 1.0:
        raise DataError(f"l1_ratio (elastic net's mixing a) must be strictly between 0 and 1, "
                        f"got {l1_ratio!r}.")
    bins_per_decade = check_count(bins_per_decade, "Bins per decade", 1, 100)
    problem = prepare(X, y, standardize=standardize)
    pens = {name: make_penalty(name, l1_ratio) for name in PENALTIES}
    paths = {name: path_on(problem, pen, default_grid(problem, pen)) for name, pen in pens.items()}
    floor = max(float(p.train_mse[-1]) for p in paths.values())
    if problem.y_var <= floor * (1 + 1e-12):
        raise DataError("No penalty improves on predicting the mean here: nothing to compare.")
    target = floor + share * (problem.y_var - floor)
    lams, coefs, achieved = {}, {}, {}
    for name, pen in pens.items():
        lams[name], v = _lambda_for_mse(problem, pen, paths[name].lams, paths[name].std_coefs,
                                        paths[name].train_mse, target)
        coefs[name] = v[problem.free]
        achieved[name] = float(problem.mse(v))
    nonzero = np.concatenate([np.abs(c[c != 0.0]) for c in coefs.values()])
    if nonzero.size:
        lo = math.floor(math.log10(nonzero.min()) * bins_per_decade) / bins_per_decade
        hi = math.ceil(math.log10(nonzero.max()) * bins_per_decade + 1e-9) / bins_per_decade
        edges = np.arange(lo, hi + 0.5 / bins_per_decade, 1.0 / bins_per_decade)
    else:
        edges = np.array([0.0, 1.0])
    counts = {name: np.histogram(np.log10(np.abs(c[c != 0.0])), edges)[0]
              for name, c in coefs.items()}
    zeros = {name: int(np.count_nonzero(c == 0.0)) for name, c in coefs.items()}
    return MatchedMagnitudes(share, target, lams, coefs, achieved, edges, counts, zeros)


def _lambda_for_mse(problem: Problem, pen, lams, coefs, mse, target: float):
    """(λ, standardized solution) with training MSE ``target``, bracketed on the path."""
    above = int(np.flatnonzero(mse >= target).max())  # mse falls along the descending grid
    hi, lo = float(lams[above]), float(lams[min(above + 1, lams.size - 1)])
    warm = coefs[above]
    v = warm
    for _ in range(60):
        mid = math.sqrt(hi * lo)
        v = solve_at(problem, pen, mid, warm)
        if problem.mse(v) >= target:
            hi, warm = mid, v
        else:
            lo = mid
        if hi / lo - 1.0 < 1e-12:
            break
    return mid, v
