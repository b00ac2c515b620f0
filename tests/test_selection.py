"""Splits, K-fold CV on a path and the 1-SE rule, checked against scikit-learn on the same folds."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_diabetes
from sklearn.linear_model import ElasticNet, Lasso
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import regviz
from regviz import DataError
from regviz.selection import cross_validate, kfold, one_se_rule, train_test_split


def test_kfold_partitions_every_row_exactly_once():
    folds = kfold(23, 5, seed=3)
    tests = np.concatenate([te for _, te in folds])
    assert sorted(tests) == list(range(23))
    for tr, te in folds:
        assert set(tr).isdisjoint(te) and len(tr) + len(te) == 23


def test_train_test_split_is_seeded_and_disjoint():
    tr, te = train_test_split(100, 0.25, seed=1)
    tr2, te2 = train_test_split(100, 0.25, seed=1)
    assert np.array_equal(te, te2) and len(te) == 25 and set(tr).isdisjoint(te)
    with pytest.raises(DataError):
        train_test_split(3, 0.25)


@pytest.mark.parametrize(("penalty", "a"), [("l1", 1.0), ("elasticnet", 0.5)])
def test_cross_validation_matches_sklearn_on_the_same_folds(penalty, a):
    X, y = load_diabetes(return_X_y=True, scaled=False)
    lams = regviz.path(X, y, penalty=penalty, l1_ratio=a, n_lams=12).lams
    folds = kfold(len(y), 5, seed=0)
    cv = cross_validate(X, y, penalty=penalty, lams=lams, l1_ratio=a, folds=folds)
    expected = np.empty((5, lams.size))
    for f, (tr, te) in enumerate(folds):
        for i, lam in enumerate(lams):
            name, params = regviz.sklearn_equivalent(penalty, lam, a, len(tr))
            est = {"Lasso": Lasso, "ElasticNet": ElasticNet}[name](
                **params, tol=1e-13, max_iter=1_000_000)
            model = make_pipeline(StandardScaler(), est).fit(X[tr], y[tr])
            expected[f, i] = np.mean((y[te] - model.predict(X[te])) ** 2)
    assert np.allclose(cv.fold_mse, expected, rtol=1e-8)
    assert np.allclose(cv.mean, expected.mean(axis=0), rtol=1e-8)
    assert np.allclose(cv.se, expected.std(axis=0, ddof=1) / np.sqrt(5), rtol=1e-6)


def test_one_se_rule_picks_the_largest_lambda_within_one_standard_error():
    lams = np.array([10.0, 5.0, 2.0, 1.0, 0.5])
    mean = np.array([9.0, 4.2, 4.05, 4.0, 4.1])
    se = np.array([0.1, 0.1, 0.1, 0.3, 0.1])
    idx_min, idx_1se = one_se_rule(lams, mean, se)
    assert idx_min == 3 and idx_1se == 1  # 4.2 <= 4.0 + 0.3


def test_lambda_1se_is_never_smaller_than_lambda_min():
    X, y = load_diabetes(return_X_y=True)
    lams = regviz.path(X, y, penalty="l1", n_lams=30).lams
    cv = cross_validate(X, y, penalty="l1", lams=lams, k=5, seed=4)
    assert cv.lambda_1se >= cv.lambda_min
    assert cv.mean[cv.idx_1se] <= cv.mean[cv.idx_min] + cv.se[cv.idx_min]


def test_too_few_rows_for_the_folds_is_a_data_error():
    with pytest.raises(DataError, match="fewer folds"):
        kfold(7, 5)
