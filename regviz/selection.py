"""Choosing lambda honestly: a held-out split and K-fold cross-validation.

Every fold refits the whole path on its own training rows (standardizing with
those rows only) on the full data's lambda grid, as cv.glmnet does, so the
error curves line up with the path the student is looking at.  The folds'
moments come from one pass over X; a fold's training moments are the pool of
the other folds' (regviz.preprocessing.pooled), and held-out errors come from
the held-out block's moments, so no fold re-reads the table.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from regviz.api import check_grid, path_on
from regviz.errors import DataError
from regviz.penalties import Penalty, make_penalty
from regviz.preprocessing import (
    Moments,
    check_xy,
    heldout_mse,
    mean_square,
    pooled,
    prepare,
    problem_from_moments,
    row_blocks,
)


def train_test_split(n: int, test_size: float = 0.25, seed: int = 0):
    """Shuffled (train_idx, test_idx), both sorted; at least 2 rows on each side."""
    if not 0 < test_size < 1:
        raise DataError(f"test_size must be between 0 and 1, got {test_size!r}.")
    n_test = int(round(n * test_size))
    if n_test < 2 or n - n_test < 3:
        raise DataError(f"{n} rows are too few to hold out a test set; at least 5 are needed.")
    order = np.random.default_rng(seed).permutation(n)
    return np.sort(order[n_test:]), np.sort(order[:n_test])


def kfold(n: int, k: int = 5, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """K shuffled folds of near-equal size, as (train_idx, test_idx) pairs."""
    if k < 2:
        raise DataError("Cross-validation needs at least 2 folds.")
    if n < 2 * k:
        raise DataError(f"{n} rows are too few for {k}-fold cross-validation; use fewer folds.")
    order = np.random.default_rng(seed).permutation(n)
    chunks = np.array_split(order, k)
    return [
        (np.sort(np.concatenate(chunks[:i] + chunks[i + 1 :])), np.sort(chunk))
        for i, chunk in enumerate(chunks)
    ]


class LambdaChoices:
    """λ_min and λ_1se read off a CV result's grid (``lams``, ``idx_min``, ``idx_1se``)."""

    @property
    def lambda_min(self) -> float:
        return float(self.lams[self.idx_min])

    @property
    def lambda_1se(self) -> float:
        return float(self.lams[self.idx_1se])


@dataclass(frozen=True)
class CVResult(LambdaChoices):
    """Fold-by-fold held-out MSE on a lambda grid, and the two classic choices."""

    lams: np.ndarray
    fold_mse: np.ndarray  # (k, len(lams))
    mean: np.ndarray
    se: np.ndarray
    idx_min: int
    idx_1se: int


def one_se_rule(lams: np.ndarray, mean: np.ndarray, se: np.ndarray) -> tuple[int, int]:
    """(index of the lowest mean, index of the largest lambda within one SE of it)."""
    idx_min = int(np.argmin(mean))
    within = np.flatnonzero(mean <= mean[idx_min] + se[idx_min])
    idx_1se = int(within[np.argmax(lams[within])])
    return idx_min, idx_1se


def cross_validate(
    X,
    y,
    *,
    penalty: str,
    lams,
    l1_ratio: float = 0.5,
    standardize: bool = True,
    k: int = 5,
    seed: int = 0,
    folds: list[tuple[np.ndarray, np.ndarray]] | None = None,
) -> CVResult:
    """K-fold CV of the whole path; lambda_min and lambda_1se by cv.glmnet's 1-SE rule.

    When the folds' held-out rows partition the table (always for ``kfold``),
    one pass over X gives every fold's moments and each training set is the
    pool of the other folds; otherwise each fold is prepared from its rows.
    """
    X, y = check_xy(X, y)
    grid = check_grid(lams)
    folds = kfold(len(y), k, seed) if folds is None else folds
    pen = make_penalty(penalty, l1_ratio)
    if _is_partition(folds, len(y)):
        parts = row_blocks(X, y, [te for _, te in folds])
        return cross_validate_blocks(parts, pen, grid, standardize=standardize)
    fold_mse = np.empty((len(folds), grid.size))
    for f, (tr, te) in enumerate(folds):
        fitted = path_on(prepare(X[tr], y[tr], standardize=standardize), pen, grid)
        fold_mse[f] = mean_square(y[te][None, :] - fitted.predict(X[te]))
    return _summarize(grid, fold_mse)


def cross_validate_blocks(parts: list[Moments], pen: Penalty, grid: np.ndarray, *,
                          standardize: bool = True, progress=None) -> CVResult:
    """CV where fold f holds out block f and trains on the pool of the others.

    ``progress(f, k)`` is called before fold f (of k) starts, if given.
    """
    fold_mse = np.empty((len(parts), grid.size))
    for f, held_out in enumerate(parts):
        if progress is not None:
            progress(f, len(parts))
        train = pooled(parts[:f] + parts[f + 1 :])
        fitted = path_on(problem_from_moments(train, standardize=standardize), pen, grid)
        fold_mse[f] = heldout_mse(held_out, fitted.coefs, fitted.intercepts)
    return _summarize(grid, fold_mse)


def _is_partition(folds, n: int) -> bool:
    held = np.concatenate([np.asarray(te) for _, te in folds])
    if held.size != n or not np.array_equal(np.sort(held), np.arange(n)):
        return False
    return all(len(tr) + len(te) == n and not np.isin(tr, te).any() for tr, te in folds)


def _summarize(lams: np.ndarray, fold_mse: np.ndarray) -> CVResult:
    """Mean and standard error over folds, scaled so that squaring MSEs cannot overflow."""
    k = fold_mse.shape[0]
    mean = fold_mse.mean(axis=0)
    s = np.max(np.abs(fold_mse), axis=0)
    s = np.where(s > 0, s, 1.0)
    se = (fold_mse / s).std(axis=0, ddof=1) * s / np.sqrt(k)
    idx_min, idx_1se = one_se_rule(lams, mean, se)
    return CVResult(lams=lams, fold_mse=fold_mse, mean=mean, se=se, idx_min=idx_min,
                    idx_1se=idx_1se)
