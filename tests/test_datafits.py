"""Data-fit objects: derivatives against finite differences, lambda_max, no overflow."""

from __future__ import annotations

import numpy as np
import pytest

from regviz.datafits import Logistic, Squared, make_datafit, sigmoid
from regviz.errors import DataError
from regviz.penalties import make_penalty


@pytest.mark.parametrize("df", [Squared(), Logistic()])
def test_derivatives_match_finite_differences(df):
    rng = np.random.default_rng(0)
    y = (rng.random(20) < 0.5).astype(float)
    eta = rng.normal(size=20) * 3
    h = 1e-6
    up, down = df.losses(y, eta + h), df.losses(y, eta - h)
    assert np.allclose((up - down) / (2 * h), df.raw_grad(y, eta), atol=1e-7)
    g_up, g_down = df.raw_grad(y, eta + h), df.raw_grad(y, eta - h)
    assert np.allclose((g_up - g_down) / (2 * h), df.raw_hessian(y, eta), atol=1e-7)


def test_logistic_is_finite_at_huge_margins():
    df = Logistic()
    eta = np.array([-1e308, -800.0, 0.0, 800.0, 1e308])
    y = np.array([0.0, 1.0, 1.0, 0.0, 1.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        loss = df.losses(y[1:-1], eta[1:-1])
        sig = sigmoid(eta)
    assert np.all(np.isfinite(loss)) and loss[0] == pytest.approx(800.0)
    assert np.array_equal(sig, [0.0, 0.0, 0.5, 1.0, 1.0])
    assert np.all(df.raw_hessian(y, eta) >= 0)


def test_intercept_at_zero_is_optimal():
    y = np.r_[np.ones(3), np.zeros(7)]
    for df in (Squared(), Logistic()):
        b = df.intercept_at_zero(y)
        assert abs(df.raw_grad(y, np.full(10, b)).mean()) < 1e-15
    null = Logistic().value(y, np.full(10, np.log(3 / 7)))
    assert Logistic().null_value(y) == pytest.approx(null)


def test_lambda_max_comes_from_the_penalty():
    rng = np.random.default_rng(1)
    Z = rng.normal(size=(30, 4))
    Z -= Z.mean(axis=0)
    y = (Z[:, 0] > 0).astype(float)
    g = Z.T @ (y.mean() - y) / 30
    assert Logistic().lambda_max(Z, y, make_penalty("l1")) == pytest.approx(np.abs(g).max())
    assert Logistic().lambda_max(Z, y, make_penalty("elasticnet", 0.25)) == pytest.approx(
        np.abs(g).max() / 0.25)
    assert Logistic().lambda_max(Z, y, make_penalty("l2")) == np.inf
    assert Squared().lambda_max(Z, y, make_penalty("l1")) == pytest.approx(
        2 * np.abs(g).max())


def test_squared_defers_to_the_penalty_mapping_and_names_resolve():
    pen = make_penalty("l1")
    assert Squared().sklearn_equivalent(pen, 0.2, 10) == pen.sklearn_equivalent(0.2, 10)
    assert make_datafit("binomial") == Logistic()
    with pytest.raises(DataError, match="Unknown loss"):
        make_datafit("hinge")
