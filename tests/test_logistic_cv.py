"""Stratified CV for the logistic path; accuracy and AUC computed in numpy."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from regviz.classification_cv import (
    accuracy,
    auc,
    cross_validate_logistic,
    log_loss,
    stratified_kfold,
)
from regviz.errors import DataError
from regviz.logistic import fit_logistic, logistic_path


def data(n=120, p=8, seed=1):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    y = (X[:, 0] - X[:, 1] + rng.normal(size=n) > 0.8).astype(float)
    return X, y


@pytest.mark.parametrize("seed", range(6))
def test_auc_matches_sklearn_with_ties(seed):
    rng = np.random.default_rng(seed)
    y = (rng.random(50) < 0.3).astype(float)
    y[:2] = [0, 1]
    score = np.round(rng.normal(size=50) + y, 1)  # rounding makes ties
    assert auc(y, score) == pytest.approx(roc_auc_score(y, score), abs=1e-15)
    assert auc(y, np.zeros(50)) == 0.5


def test_stratified_folds_partition_rows_and_keep_the_class_balance():
    y = np.r_[np.ones(13), np.zeros(47)]
    folds = stratified_kfold(y, 5, seed=3)
    held = np.concatenate([te for _, te in folds])
    assert np.array_equal(np.sort(held), np.arange(60))
    for tr, te in folds:
        assert np.intersect1d(tr, te).size == 0 and tr.size + te.size == 60
        assert abs(y[te].sum() - 13 / 5) < 1
    with pytest.raises(DataError, match="rarer class has 3 rows"):
        stratified_kfold(np.r_[np.ones(3), np.zeros(30)], 5)


def test_cv_equals_fitting_each_fold_directly():
    X, y = data()
    grid = logistic_path(X, y, penalty="l1", n_lams=15).lams
    cv = cross_validate_logistic(X, y, penalty="l1", lams=grid, k=4, seed=2)
    folds = stratified_kfold(y, 4, seed=2)
    for f, (tr, te) in enumerate(folds):
        for i in (0, 7, 14):
            fit = fit_logistic(X[tr], y[tr], penalty="l1", lam=grid[i])
            eta = fit.decision_function(X[te])
            assert cv.fold_loss[f, i] == pytest.approx(log_loss(y[te], eta), rel=1e-9)
            assert cv.fold_accuracy[f, i] == accuracy(y[te], eta)
            assert cv.fold_auc[f, i] == pytest.approx(roc_auc_score(y[te], eta), abs=1e-12)
    assert cv.mean[cv.idx_min] == cv.mean.min()
    assert cv.lambda_1se >= cv.lambda_min
    assert cv.mean[cv.idx_1se] <= cv.mean[cv.idx_min] + cv.se[cv.idx_min]
    assert np.allclose(cv.deviance, 2 * cv.mean)


def test_cv_curve_ends_where_a_fold_separates():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 30))
    y = (X[:, 0] > 0).astype(float)
    grid = np.geomspace(0.2, 1e-6, 30)
    cv = cross_validate_logistic(X, y, penalty="l2", lams=grid, k=4)
    assert cv.lams.size < grid.size and cv.requested == grid.size
    assert "separable" in cv.note
    assert np.all(np.isfinite(cv.fold_loss))
