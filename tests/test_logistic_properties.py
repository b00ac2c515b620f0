"""Hypothesis: on random shapes (p > n, copies, constants, rare classes, separable classes)
every returned logistic solution is optimal by an independent KKT check and finite."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regviz.logistic import KKT_TOL, fit_logistic, logistic_lambda_max, logistic_path
from tests.test_logistic import oracle_kkt


@st.composite
def problems(draw):
    n = draw(st.integers(6, 40))
    p = draw(st.integers(1, 60))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p)) * rng.choice([1e-3, 1.0, 1e3], size=p)
    if p > 2 and draw(st.booleans()):
        X[:, 1] = X[:, 0]  # an exact copy
    if p > 3 and draw(st.booleans()):
        X[:, 2] = 7.0  # a constant column
    n_pos = draw(st.integers(2, n - 2))  # a rare class is allowed
    kind = draw(st.sampled_from(["noise", "signal", "separable"]))
    score = rng.normal(size=n) if kind == "noise" else X[:, -1] + 0.3 * rng.normal(size=n)
    if kind == "separable":
        score = X[:, -1]
    y = np.zeros(n)
    y[np.argsort(-score)[:n_pos]] = 1.0
    return X, y


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.sampled_from([1.0, 0.0, 0.5, 0.9]))
def test_every_solution_on_the_path_is_optimal_and_finite(data, a):
    X, y = data
    path = logistic_path(X, y, penalty="elasticnet", l1_ratio=a, n_lams=12)
    assert np.all(np.isfinite(path.coefs)) and np.all(np.isfinite(path.intercepts))
    assert np.all(path.kkt <= KKT_TOL)
    for lam, coef, b in zip(path.lams, path.coefs, path.intercepts, strict=True):
        assert oracle_kkt(X, y, coef, b, lam, a) <= KKT_TOL
    if path.stopped:
        assert path.deviance_ratio[-1] >= 0.999 and path.note


@settings(max_examples=40, deadline=None)
@given(problems(), st.sampled_from([1.0, 0.5]), st.floats(0.0, 0.999))
def test_single_fit_is_optimal_and_zero_at_lambda_max(data, a, frac):
    X, y = data
    top = logistic_lambda_max(X, y, penalty="elasticnet", l1_ratio=a)
    assert fit_logistic(X, y, penalty="elasticnet", l1_ratio=a, lam=top).n_nonzero == 0
    lam = top * (1 - frac) if top > 0 else 0.1
    fit = fit_logistic(X, y, penalty="elasticnet", l1_ratio=a, lam=lam)
    assert np.all(np.isfinite(fit.coef))
    assert oracle_kkt(X, y, fit.coef, fit.intercept, lam, a) <= KKT_TOL
