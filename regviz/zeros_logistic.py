"""Exact zeros against λ for a two-class target: the sparsity lab's first tab, logistic.

The same count as :func:`regviz.experiments.zeros.zeros_vs_lambda` (L1, L2 and
elastic net on one shared grid from above elastic net's λ_max down to L1's
default end), on the exact logistic paths of :mod:`regviz.logistic`.  A path
that stops early because the classes separate cuts the shared grid to where
all three reached, and ``note`` says so.
"""

from __future__ import annotations

import math

import numpy as np

from regviz.errors import DataError
from regviz.experiments.zeros import ZeroCounts
from regviz.logistic import default_logistic_grid, lambda_max_of, path_on, prepare_logistic
from regviz.penalties import make_penalty

PENALTIES = ("l1", "elasticnet", "l2")


def logistic_zeros_vs_lambda(X, y, *, l1_ratio: float = 0.5, standardize: bool = True,
                             n_lams: int = 60) -> tuple[ZeroCounts, str]:
    """(zero counts per penalty along one grid, a note when separable classes cut it short)."""
    if not 0.0 < l1_ratio < 1.0:
        raise DataError(f"l1_ratio (elastic net's mixing a) must be strictly between 0 and 1, "
                        f"got {l1_ratio!r}.")
    prob = prepare_logistic(X, y, standardize=standardize)
    l1 = make_penalty("l1")
    top = lambda_max_of(prob, l1)
    if not math.isfinite(top) or top <= 0:
        raise DataError("No feature moves the log-odds at w = 0: nothing to shrink.")
    grid = np.geomspace(2.0 * top / l1_ratio, default_logistic_grid(prob, l1, 2)[-1], n_lams)
    coefs, tops = {}, {}
    for name in PENALTIES:
        pen = make_penalty(name, l1_ratio)
        coefs[name] = path_on(prob, pen, grid).std_coefs[:, prob.free]
        tops[name] = lambda_max_of(prob, pen)
    m = min(c.shape[0] for c in coefs.values())
    zeros, smallest = {}, {}
    for name, c in coefs.items():
        c = c[:m]
        zeros[name] = np.count_nonzero(c == 0.0, axis=1)
        magnitude = np.where(c == 0.0, np.inf, np.abs(c)).min(axis=1)
        smallest[name] = np.where(np.isinf(magnitude), np.nan, magnitude)
    note = ""
    if m < n_lams:
        note = (f"The grid stops at λ = {grid[m - 1]:.3g} ({m} of {n_lams} values): below it "
                "the classes are (nearly) separable on these features, so at least one "
                "penalty's coefficients would grow without bound.")
    return ZeroCounts(grid[:m], zeros, int(prob.free.sum()), tops, smallest, l1_ratio), note
