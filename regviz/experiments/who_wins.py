"""Experiment 5: who predicts better depends on the truth.

Each repetition draws a truth and a training sample, picks each penalty's λ
by 5-fold cross-validation (λ_min) on the training rows only, and scores the
fitted model on a large fresh test sample from the same population.  Errors
are reported relative to the noise variance, the best any model can do
(1.0 = perfect knowledge of the truth).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from regviz.api import default_grid, path_on
from regviz.errors import DataError
from regviz.experiments._common import (
    PENALTIES,
    PenaltyParts,
    check_count,
    check_positive,
    equicorrelated,
    read_only,
)
from regviz.penalties import make_penalty
from regviz.preprocessing import prepare
from regviz.selection import cross_validate

TRUTHS = ("sparse", "dense")
LABELS = {"l1": "L1", "l2": "L2", "elasticnet": "elastic net"}


def true_coefficients(rng: np.random.Generator, truth: str, p: int, k: int) -> np.ndarray:
    """Sparse: k effects of size 1 to 3 with random signs, the rest 0.  Dense: all N(0, 0.5²)."""
    if truth == "sparse":
        coef = np.zeros(p)
        coef[:k] = rng.choice([-1.0, 1.0], k) * rng.uniform(1.0, 3.0, k)
        return coef
    if truth == "dense":
        return rng.normal(0.0, 0.5, p)
    raise DataError(f"truth must be 'sparse' or 'dense', got {truth!r}.")


@dataclass(frozen=True)
class Contest:
    """Relative test errors, (repeats,) per truth and penalty, and who won each repetition."""

    errors: dict[str, dict[str, np.ndarray]]
    n: int
    p: int
    k: int
    noise: float
    rho: float
    l1_ratio: float

    def wins(self, truth: str) -> dict[str, int]:
        """How many repetitions each penalty had the lowest test error in."""
        table = np.column_stack([self.errors[truth][pen] for pen in PENALTIES])
        best = np.argmin(table, axis=1)
        return {pen: int(np.count_nonzero(best == i)) for i, pen in enumerate(PENALTIES)}

    def median(self, truth: str, penalty: str) -> float:
        return float(np.median(self.errors[truth][penalty]))

    def caption(self) -> str:
        parts = []
        for truth in TRUTHS:
            wins = self.wins(truth)
            repeats = self.errors[truth]["l1"].size
            medians = ", ".join(f"{LABELS[p]} {self.median(truth, p):.3f}" for p in PENALTIES)
            won = ", ".join(f"{LABELS[p]} {wins[p]}" for p in PENALTIES)
            what = f"{self.k} of {self.p} features matter" if truth == "sparse" else (
                f"all {self.p} matter a little")
            l1_better = int(np.count_nonzero(self.errors[truth]["l1"] < self.errors[truth]["l2"]))
            parts.append(f"{truth} truth ({what}), {repeats} repetitions: median test error "
                         f"{medians}; lowest error {won}; head to head, L1 beats L2 in "
                         f"{l1_better} of {repeats}")
        text = ". ".join(parts)
        return (f"Test MSE divided by the noise variance (1 is the best possible), n = {self.n} "
                f"training rows. {text[0].upper()}{text[1:]}.")


def who_wins(*, n: int = 100, p: int = 30, k: int = 5, noise: float = 1.0, rho: float = 0.2,
             l1_ratio: float = 0.5, repeats: int = 10, n_test: int = 2_000, n_lams: int = 25,
             seed: int = 0) -> Contest:
    """Test error of L1, L2 and elastic net at their CV λ_min, sparse and dense truths."""
    n = check_count(n, "The number of rows n", 20, 100_000)
    p = check_count(p, "The number of features p", 2, 2_000)
    k = check_count(k, "The number of true features k", 1, p)
    noise = check_positive(noise, "The noise sd")
    repeats = check_count(repeats, "The number of repetitions", 1, 1_000)
    n_test = check_count(n_test, "The number of test rows", 10, 1_000_000)
    setting = (n, p, k, noise, rho, repeats, n_test, n_lams, seed)
    found = _PARTS.each(PENALTIES, l1_ratio, setting, lambda names: _test_errors(
        names, l1_ratio, n, p, k, noise, rho, repeats, n_test, n_lams, seed))
    errors = {truth: {pen: found[pen][truth] for pen in PENALTIES} for truth in TRUTHS}
    return Contest(errors, n, p, k, noise, rho, l1_ratio)


# Each penalty's test errors per setting: moving elastic net's a refits elastic net alone.
_PARTS = PenaltyParts()


def _test_errors(names: list[str], l1_ratio: float, n: int, p: int, k: int, noise: float,
                 rho: float, repeats: int, n_test: int, n_lams: int,
                 seed: int) -> dict[str, dict[str, np.ndarray]]:
    """Relative test errors of the penalties ``names``, per truth, on the seed's draws.

    The draws (truth, rows, folds) come from the seed alone, in the same order whichever
    penalties are fitted, so a penalty's errors are the same computed alone or with others.
    """
    rng = np.random.default_rng(seed)
    errors = {name: {truth: np.empty(repeats) for truth in TRUTHS} for name in names}
    for truth in TRUTHS:
        for r in range(repeats):
            coef = true_coefficients(rng, truth, p, k)
            X = equicorrelated(rng, n + n_test, p, rho)
            y = X @ coef + rng.normal(0.0, noise, n + n_test)
            Xtr, ytr, Xte, yte = X[:n], y[:n], X[n:], y[n:]
            problem = prepare(Xtr, ytr)
            fold_seed = int(rng.integers(0, 2**31))
            for name in names:
                pen = make_penalty(name, l1_ratio)
                grid = default_grid(problem, pen, n_lams)
                cv = cross_validate(Xtr, ytr, penalty=name, lams=grid, l1_ratio=l1_ratio,
                                    seed=fold_seed)
                full = path_on(problem, pen, grid)
                pred = Xte @ full.coefs[cv.idx_min] + full.intercepts[cv.idx_min]
                errors[name][truth][r] = np.mean((yte - pred) ** 2) / noise**2
    return {name: {truth: read_only(e) for truth, e in errs.items()}
            for name, errs in errors.items()}
