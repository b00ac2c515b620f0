"""Everything the path explorer shows, computed once per data and settings.

The path is fitted on the training split, so the test error beside it is
honest; cross-validation runs on the training split too, on the same grid.
Per-lambda readouts (objective value, penalty, scikit-learn call) are
computed here so the figure only has to draw them.  One pass over X gives
the moments of every CV fold and of the test rows; the training problem and
each fold's are pools of those blocks (regviz.preprocessing.pooled).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from regviz.api import (
    Path,
    default_grid,
    entry_lambdas_on,
    path_and_knots,
    path_on,
)
from regviz.errors import DataError
from regviz.penalties import L2, Penalty, make_penalty
from regviz.preprocessing import check_xy, heldout_mse, pooled, problem_from_moments, row_blocks
from regviz.selection import CVResult, cross_validate_blocks, kfold, train_test_split


@dataclass(frozen=True)
class Exploration:
    """A path on the training rows with its errors, CV choices and readouts."""

    feature_names: list[str]
    path: Path
    train_mse: np.ndarray
    test_mse: np.ndarray
    cv: CVResult | None
    entry_lams: np.ndarray
    penalty_values: np.ndarray
    objective: np.ndarray
    sklearn_calls: list[str]
    ols_coef: np.ndarray | None
    ols_train_mse: float | None
    ols_test_mse: float | None
    n_train: int
    n_test: int
    standardize: bool
    notes: list[str]

    @property
    def display_coefs(self) -> np.ndarray:
        """What the path plot shows: standardized units when standardizing, else raw."""
        return self.path.std_coefs if self.standardize else self.path.coefs

    def caption(self, label: str) -> str:
        """The paths chart's message, every number read off this exploration.

        ``label`` names the data; the page escapes the whole sentence (user names included).
        """
        p = self.path
        text = (f"{label}: {self.n_train} training rows, {self.n_test} test rows, "
                f"{len(self.feature_names)} features. ")
        if np.isfinite(p.lambda_max):
            text += f"All coefficients are exactly 0 for λ ≥ λ_max = {p.lambda_max:.4g}. "
        else:
            exact_zeros = int(np.count_nonzero(p.coefs == 0.0))
            text += ("Ridge sets no coefficient exactly to 0 at any λ of the grid: every "
                     "feature stays in. " if exact_zeros == 0 else
                     f"Ridge has {exact_zeros} exactly-zero coefficient values on the grid. ")
        if self.cv is not None:
            i = self.cv.idx_1se
            text += (f"Cross-validation picks λ_min = {self.cv.lambda_min:.4g} and "
                     f"λ_1se = {self.cv.lambda_1se:.4g} ({p.n_nonzero[i]} non-zero, test MSE "
                     f"{self.test_mse[i]:.4g}).")
        return text


def explore(
    X,
    y,
    feature_names: list[str],
    *,
    penalty: str,
    l1_ratio: float = 0.5,
    standardize: bool = True,
    n_lams: int = 60,
    k: int = 5,
    test_size: float = 0.25,
    seed: int = 0,
    progress: Callable[[str, float], None] | None = None,
) -> Exploration:
    """Fit the path on a training split, score it on the rest, cross-validate it.

    ``progress(step, fraction)``, if given, is called as each stage starts (the
    step in words, the fraction of the work done so far).  An exception raised
    inside it stops the computation and propagates: that is how a caller with
    a time limit, or a newer request, cancels a long run.
    """
    report = progress or (lambda step, fraction: None)
    report("Reading the table", 0.0)
    X, y, tr, te = _checked_split(X, y, feature_names, test_size, seed)
    pen = make_penalty(penalty, l1_ratio)
    notes: list[str] = []
    problem, train_parts, test_part = _training_problem(X, y, tr, te, k, seed, standardize)
    if not problem.free.all():
        dropped = [feature_names[j] for j in np.flatnonzero(~problem.free)]
        notes.append(f"Constant on the training rows, so fixed at 0: {', '.join(dropped)}.")
    grid = default_grid(problem, pen, n_lams)
    report("Exact path on the training rows", 0.05)
    fitted, knots = path_and_knots(problem, pen, grid)
    test_mse = heldout_mse(test_part, fitted.coefs, fitted.intercepts)
    report("Entry lambdas", 0.2)
    entry_lams = entry_lambdas_on(problem, pen, fitted.lams, fitted.std_coefs, knots)
    cv = _cross_validation(train_parts, pen, fitted.lams, standardize, report)
    if cv is None:
        notes.append(f"Too few training rows ({len(tr)}) for {k}-fold cross-validation.")
    report("Least squares", 0.95)
    ols_coef, ols_train, ols_test = _least_squares(problem, test_part, len(tr), standardize)
    if ols_coef is None:
        notes.append("More features than training rows: least squares (lambda = 0) has no "
                     "unique answer, so the path stops short of it.")
    return Exploration(
        feature_names=list(feature_names),
        path=fitted,
        train_mse=fitted.train_mse,
        test_mse=test_mse,
        cv=cv,
        entry_lams=entry_lams,
        penalty_values=np.array([pen.value(v) for v in fitted.std_coefs]),
        objective=objective_values(pen, fitted.lams, fitted.std_coefs, fitted.train_mse),
        sklearn_calls=[pen.sklearn_call(lam, len(tr)) for lam in fitted.lams],
        ols_coef=ols_coef,
        ols_train_mse=ols_train,
        ols_test_mse=ols_test,
        n_train=len(tr),
        n_test=len(te),
        standardize=standardize,
        notes=notes,
    )


def _checked_split(X, y, feature_names: list[str], test_size: float, seed: int):
    """X and y checked, and the train/test rows; a DataError says what is unusable."""
    X, y = check_xy(X, y)
    n, p = X.shape
    if len(feature_names) != p:
        raise DataError(f"{p} columns but {len(feature_names)} feature names.")
    if np.ptp(y) == 0:
        raise DataError("The target is constant: there is nothing to predict.")
    tr, te = train_test_split(n, test_size, seed)
    if np.ptp(y[tr]) == 0:
        raise DataError("The target is constant on the training rows; use more data.")
    return X, y, tr, te


def _training_problem(X, y, tr, te, k: int, seed: int, standardize: bool):
    """The training rows' problem, each CV fold's moments and the test rows' moments.

    One pass over X gives the moments of each CV fold's rows and of the test
    rows; the training problem pools the folds.  Too few rows for ``k`` folds
    leave one block (no cross-validation).
    """
    folds = kfold(len(tr), k, seed) if len(tr) >= 2 * k else [(None, np.arange(len(tr)))]
    parts = row_blocks(X, y, [tr[held] for _, held in folds] + [te])
    train_parts, test_part = parts[:-1], parts[-1]
    problem = problem_from_moments(pooled(train_parts), standardize=standardize)
    return problem, train_parts, test_part


def _cross_validation(train_parts, pen: Penalty, lams: np.ndarray, standardize: bool,
                      report: Callable[[str, float], None]) -> CVResult | None:
    """K-fold CV on the path's grid, reporting each fold; None with a single block."""
    if len(train_parts) <= 1:
        return None

    def fold_progress(f: int, folds: int) -> None:
        report(f"Cross-validation, fold {f + 1} of {folds}", 0.35 + 0.55 * f / folds)

    return cross_validate_blocks(train_parts, pen, lams, standardize=standardize,
                                 progress=fold_progress)


def _least_squares(problem, test_part, n_train: int, standardize: bool):
    """(coefficients, training MSE, test MSE) at lambda = 0, or Nones when not unique."""
    if n_train <= problem.free.sum() + 1:
        return None, None, None
    ols = path_on(problem, L2(), np.array([0.0]))
    ols_coef = (ols.std_coefs if standardize else ols.coefs)[0]
    ols_test = float(heldout_mse(test_part, ols.coefs, ols.intercepts)[0])
    return ols_coef, float(ols.train_mse[0]), ols_test


def objective_values(pen: Penalty, lams: np.ndarray, V: np.ndarray,
                     mse: np.ndarray) -> np.ndarray:
    """MSE + lam*P(v) per lambda, in units of the target's scale so no product overflows.

    With y near 1e140, lam and v are both near 1e140 and lam*(v.v) would be
    1e420, though the objective itself (at most var(y)) is near 1e280.
    """
    s = max(float(np.max(np.abs(V), initial=0.0)), float(np.sqrt(np.max(mse, initial=0.0))),
            1e-300)
    Vs = V / s
    l1, l2 = pen.a * lams, (1.0 - pen.a) * lams
    penalty_part = (l1 / s) * np.abs(Vs).sum(axis=1) + l2 * (Vs * Vs).sum(axis=1)
    return (mse / s**2 + penalty_part) * s**2
