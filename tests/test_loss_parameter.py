"""fit, path and lambda_max take the loss: least squares by default, logistic on request."""

from __future__ import annotations

import numpy as np
import pytest

import regviz
from regviz import DataError
from regviz.logistic import fit_logistic, logistic_lambda_max, logistic_path


def _binary(n: int = 120, p: int = 6, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    y = (X[:, 0] - X[:, 1] + 0.8 * rng.standard_normal(n) > 0).astype(float)
    return X, y


@pytest.mark.parametrize("penalty", ["l1", "l2", "elasticnet"])
def test_loss_logistic_is_the_logistic_solver(penalty):
    X, y = _binary()
    top = regviz.lambda_max(X, y, penalty="l1", loss="logistic")
    assert top == logistic_lambda_max(X, y, penalty="l1")
    lam = 0.1 * top
    got = regviz.fit(X, y, penalty=penalty, lam=lam, loss="logistic")
    want = fit_logistic(X, y, penalty=penalty, lam=lam)
    np.testing.assert_array_equal(got.coef, want.coef)
    assert got.intercept == want.intercept and got.kkt <= 1e-9
    p_got = regviz.path(X, y, penalty=penalty, n_lams=12, loss="logistic")
    p_want = logistic_path(X, y, penalty=penalty, n_lams=12)
    np.testing.assert_array_equal(p_got.coefs, p_want.coefs)
    np.testing.assert_array_equal(p_got.lams, p_want.lams)


def test_the_default_loss_is_least_squares_and_unchanged():
    X, y = _binary()
    y = X @ np.arange(1.0, 7.0) + np.random.default_rng(1).standard_normal(len(y))
    a = regviz.fit(X, y, penalty="l1", lam=0.5)
    b = regviz.fit(X, y, penalty="l1", lam=0.5, loss="squared")
    np.testing.assert_array_equal(a.coef, b.coef)
    assert regviz.lambda_max(X, y, penalty="l1") == regviz.lambda_max(X, y, penalty="l1",
                                                                      loss="mse")


def test_an_unknown_loss_or_a_logistic_fit_without_intercept_is_refused():
    X, y = _binary()
    with pytest.raises(DataError, match="Unknown loss"):
        regviz.fit(X, y, penalty="l1", lam=0.1, loss="hinge")
    with pytest.raises(DataError, match="intercept"):
        regviz.fit(X, y, penalty="l1", lam=0.1, loss="logistic", fit_intercept=False)
