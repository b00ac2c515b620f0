"""explore from one pass over X: the same numbers as fitting each piece directly, with progress."""

from __future__ import annotations

import numpy as np
import pytest

from regviz.api import path
from regviz.paths import explore
from regviz.selection import cross_validate, kfold, train_test_split


def _data(n=300, p=40, seed=5):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) * rng.uniform(0.5, 20, p) + rng.uniform(-5, 5, p)
    y = (X[:, :6] - X[:, :6].mean(0)) / X[:, :6].std(0) @ rng.uniform(1, 3, 6)
    return X, y + 2.0 * rng.standard_normal(n)


@pytest.mark.parametrize(("penalty", "a"), [("l1", 1.0), ("elasticnet", 0.5)])
def test_explore_equals_fitting_the_training_rows_directly(penalty, a):
    X, y = _data()
    ex = explore(X, y, [f"x{j}" for j in range(X.shape[1])], penalty=penalty, l1_ratio=a)
    tr, te = train_test_split(len(y), 0.25, 0)
    direct = path(X[tr], y[tr], penalty=penalty, lams=ex.path.lams, l1_ratio=a)
    tol = 1e-10 * np.abs(direct.coefs).max()
    assert np.allclose(ex.path.coefs, direct.coefs, rtol=1e-9, atol=tol)
    resid = y[te][None, :] - direct.predict(X[te])
    assert np.allclose(ex.test_mse, np.mean(resid**2, axis=1), rtol=1e-9)
    folds = [(tr_f, te_f) for tr_f, te_f in kfold(len(tr), 5, 0)]
    cv = cross_validate(X[tr], y[tr], penalty=penalty, lams=ex.path.lams, l1_ratio=a, folds=folds)
    assert np.allclose(ex.cv.fold_mse, cv.fold_mse, rtol=1e-9)
    for f, (tr_f, te_f) in enumerate(folds):
        fold_path = path(X[tr][tr_f], y[tr][tr_f], penalty=penalty, lams=ex.path.lams, l1_ratio=a)
        held = y[tr][te_f][None, :] - fold_path.predict(X[tr][te_f])
        assert np.allclose(ex.cv.fold_mse[f], np.mean(held**2, axis=1), rtol=1e-9)


def test_progress_reports_each_stage_in_order_and_can_cancel():
    X, y = _data()
    names = [f"x{j}" for j in range(X.shape[1])]
    seen = []
    explore(X, y, names, penalty="l1", progress=lambda step, frac: seen.append((step, frac)))
    fractions = [frac for _, frac in seen]
    assert fractions == sorted(fractions) and fractions[0] == 0.0
    assert sum("fold" in step for step, _ in seen) == 5

    class StopError(Exception):
        pass

    def cancel(step, frac):
        if "fold 2" in step:
            raise StopError

    with pytest.raises(StopError):
        explore(X, y, names, penalty="l1", progress=cancel)
