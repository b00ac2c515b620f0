"""Choosing lambda for a classifier: stratified K-fold CV of the logistic path.

Every fold refits the path on its training rows (standardized with those rows
only) on the full data's grid, as cv.glmnet does.  The curve is the mean
held-out log-loss (glmnet's binomial deviance divided by 2) with its standard
error; lambda_min and lambda_1se follow the 1-SE rule.  Accuracy and AUC are
reported beside it, computed here in numpy.

A fold whose training rows become separable stops its path early (see
regviz.logistic); the curve then ends at the smallest lambda every fold
reached, and ``note`` says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from regviz.datafits import Logistic
from regviz.errors import DataError
from regviz.logistic import binary_labels, check_grid, path_on, prepare_logistic
from regviz.penalties import Penalty, make_penalty
from regviz.selection import LambdaChoices, one_se_rule


def stratified_kfold(y01: np.ndarray, k: int = 5, seed: int = 0):
    """K folds as (train_idx, test_idx), each class dealt round the folds in shuffled order."""
    y01 = np.asarray(y01)
    if k < 2:
        raise DataError("Cross-validation needs at least 2 folds.")
    counts = [int(np.sum(y01 == c)) for c in (0, 1)]
    if min(counts) < k:
        raise DataError(f"The rarer class has {min(counts)} rows, too few for {k}-fold "
                        "stratified cross-validation (each fold needs one); use fewer folds.")
    rng = np.random.default_rng(seed)
    fold_of = np.empty(y01.size, dtype=int)
    offset = 0
    for c in (0, 1):
        rows = rng.permutation(np.flatnonzero(y01 == c))
        fold_of[rows] = (np.arange(rows.size) + offset) % k
        offset += rows.size  # the next class continues where this one stopped: even fold sizes
    return [(np.flatnonzero(fold_of != f), np.flatnonzero(fold_of == f)) for f in range(k)]


def log_loss(y01: np.ndarray, eta: np.ndarray) -> np.ndarray:
    """Mean log-loss over the last axis, from log-odds (no overflow)."""
    return Logistic().value(y01, eta)


def accuracy(y01: np.ndarray, eta: np.ndarray) -> np.ndarray:
    """Share of rows on the right side of probability 1/2 (eta = 0 counts as class 0)."""
    return np.mean((np.asarray(eta) > 0) == (np.asarray(y01) == 1), axis=-1)


def auc(y01, score) -> float:
    """Area under the ROC curve: P(score of a positive > score of a negative), ties count 1/2.

    The Mann-Whitney form with mid-ranks, so tied scores (all-zero models) give 0.5.
    """
    y01 = np.asarray(y01, dtype=float).ravel()
    score = np.asarray(score, dtype=float).ravel()
    n_pos = float(y01.sum())
    n_neg = y01.size - n_pos
    if n_pos == 0 or n_neg == 0:
        raise DataError("AUC needs rows of both classes.")
    order = np.argsort(score, kind="mergesort")
    sorted_scores = score[order]
    ranks = np.empty(score.size)
    # Mid-ranks: every member of a run of ties gets the mean of the run's positions.
    starts = np.flatnonzero(np.r_[True, sorted_scores[1:] != sorted_scores[:-1]])
    ends = np.r_[starts[1:], score.size]
    mid = (starts + ends + 1) / 2.0
    ranks[order] = np.repeat(mid, ends - starts)
    return float((ranks[y01 == 1].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


@dataclass(frozen=True)
class ClassificationCV(LambdaChoices):
    """Held-out log-loss per fold and lambda, its mean and SE, accuracy and AUC beside it."""

    lams: np.ndarray
    fold_loss: np.ndarray  # (k, len(lams))
    mean: np.ndarray
    se: np.ndarray
    idx_min: int
    idx_1se: int
    fold_accuracy: np.ndarray
    fold_auc: np.ndarray
    requested: int
    note: str = ""

    @property
    def accuracy(self) -> np.ndarray:
        return self.fold_accuracy.mean(axis=0)

    @property
    def auc(self) -> np.ndarray:
        return self.fold_auc.mean(axis=0)

    @property
    def deviance(self) -> np.ndarray:
        """glmnet's binomial deviance: twice the mean log-loss."""
        return 2.0 * self.mean


def cross_validate_logistic(X, y, *, penalty: str | Penalty, lams, l1_ratio: float = 0.5,
                            standardize: bool = True, k: int = 5, seed: int = 0,
                            folds=None, positive=None) -> ClassificationCV:
    """Stratified K-fold CV of the logistic path on the grid ``lams``."""
    y01, _ = binary_labels(y, positive)
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[:, None]
    grid = check_grid(lams)
    pen = make_penalty(penalty, l1_ratio)
    folds = stratified_kfold(y01, k, seed) if folds is None else folds
    losses, accs, aucs = [], [], []
    for train, test in folds:
        if np.unique(y01[test]).size < 2 or np.unique(y01[train]).size < 2:
            raise DataError("Every fold needs rows of both classes; use stratified folds.")
        fitted = path_on(prepare_logistic(X[train], y01[train], standardize=standardize),
                         pen, grid)
        eta = fitted.decision_function(X[test])
        losses.append(log_loss(y01[test], eta))
        accs.append(accuracy(y01[test], eta))
        aucs.append(np.array([auc(y01[test], e) for e in eta]))
    return _summarize(grid, losses, accs, aucs)


def _summarize(grid, losses, accs, aucs) -> ClassificationCV:
    m = min(len(x) for x in losses)
    fold_loss = np.array([x[:m] for x in losses])
    mean = fold_loss.mean(axis=0)
    se = fold_loss.std(axis=0, ddof=1) / np.sqrt(fold_loss.shape[0])
    lams = grid[:m]
    idx_min, idx_1se = one_se_rule(lams, mean, se)
    note = ""
    if m < grid.size:
        note = (f"The curve ends at lambda = {lams[-1]:.3g} ({m} of {grid.size} lambdas): below "
                "it at least one fold's training rows are separable, so its path stops there.")
    return ClassificationCV(
        lams=lams, fold_loss=fold_loss, mean=mean, se=se, idx_min=idx_min, idx_1se=idx_1se,
        fold_accuracy=np.array([x[:m] for x in accs]),
        fold_auc=np.array([x[:m] for x in aucs]), requested=int(grid.size), note=note)
