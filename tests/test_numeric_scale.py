"""Values near the data guard (1e150): no intermediate overflows, the same choices as at unit scale.

With y and X near 1e140 the squared errors are near 1e280; their squares (a
variance of fold MSEs) or lam*(v.v) would overflow, which once made
lambda_1se equal lambda_max and every coefficient 0.
"""

from __future__ import annotations

import numpy as np
import pytest

from regviz.paths import explore
from regviz.preprocessing import (
    heldout_mse,
    mean_square,
    pooled,
    prepare,
    problem_from_moments,
    row_blocks,
)
from regviz.selection import cross_validate, kfold


def _data(n=240, p=15, seed=1):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) * rng.uniform(0.5, 5, p)
    y = X[:, :4] @ np.array([2.0, -1.5, 1.0, 0.7]) + rng.standard_normal(n)
    return X, y


def _choices(ex):
    support = ex.path.std_coefs[ex.cv.idx_1se] != 0
    return ex.cv.idx_min, ex.cv.idx_1se, support


@pytest.mark.parametrize(("penalty", "y_scale"),
                         [("l1", 1e140), ("l2", 1e140), ("l1", 1e78), ("elasticnet", 1.0)])
def test_explore_at_1e140_makes_the_same_choices_as_at_unit_scale(penalty, y_scale):
    # Elastic net mixes lam*|v| (scales with y) and lam*v.v (does not): only X is scaled there.
    X, y = _data()
    names = [f"x{j}" for j in range(X.shape[1])]
    unit = explore(X, y, names, penalty=penalty)
    big = explore(X * 1e140, y * y_scale, names, penalty=penalty)
    assert np.all(np.isfinite(big.cv.se)) and np.all(np.isfinite(big.objective))
    assert np.all(np.isfinite(big.test_mse))
    i_min, i_1se, support = _choices(unit)
    b_min, b_1se, b_support = _choices(big)
    assert (b_min, b_1se) == (i_min, i_1se)
    assert np.array_equal(support, b_support) and support.any()
    assert np.allclose(big.cv.se / y_scale**2, unit.cv.se, rtol=1e-8)
    assert np.allclose(big.objective / y_scale**2, unit.objective, rtol=1e-8)
    assert np.allclose(big.test_mse / y_scale**2, unit.test_mse, rtol=1e-8)


def test_cross_validation_standard_error_is_finite_near_the_guard():
    X, y = _data()
    s = 0.9e150 / np.abs(y).max()  # the largest target the guard accepts
    lams = np.geomspace(1.0, 1e-3, 10)
    cv = cross_validate(X, y * s, penalty="l1", lams=lams * s)
    ref = cross_validate(X, y, penalty="l1", lams=lams)
    assert np.all(np.isfinite(cv.se)) and cv.se.max() > 0
    assert (cv.idx_min, cv.idx_1se) == (ref.idx_min, ref.idx_1se)


def test_prepare_keeps_the_gram_finite_when_sums_of_squares_would_overflow():
    X, y = _data(n=3000, p=4)
    sx, sy = 0.9e150 / np.abs(X).max(), 0.9e150 / np.abs(y).max()
    big = prepare(X * sx, y * sy)
    ref = prepare(X, y)
    assert np.allclose(big.gram, ref.gram, rtol=1e-12, atol=1e-14)
    assert np.allclose(big.corr / sy, ref.corr, rtol=1e-10)
    assert np.isfinite(big.y_var) and big.y_var / sy**2 == pytest.approx(ref.y_var, rel=1e-10)


def test_mean_square_does_not_overflow():
    r = np.full(10_000, 1.5e150)
    assert mean_square(r) == pytest.approx(2.25e300, rel=1e-12)


def test_pooled_fold_moments_equal_preparing_the_fold_directly():
    rng = np.random.default_rng(4)
    n = 203
    X = rng.standard_normal((n, 5)) * [1.0, 1e3, 0.01, 5.0, 1.0] + [0.0, 1e6, -3.0, 7.0, 2.5]
    X[:, 4] = 2.5
    X[:40, 3] = 7.0  # constant on the first fold only
    y = X[:, 0] - 2e-3 * X[:, 1] + rng.standard_normal(n)
    folds = kfold(n, 5, seed=2)
    folds = [(np.setdiff1d(np.arange(n), np.arange(40)), np.arange(40))] + [
        (np.setdiff1d(np.arange(n), te), te) for te in np.array_split(np.arange(40, n), 4)]
    parts = row_blocks(X, y, [te for _, te in folds])
    for f, (tr, te) in enumerate(folds):
        for standardize in (True, False):
            got = problem_from_moments(pooled(parts[:f] + parts[f + 1 :]),
                                       standardize=standardize)
            want = prepare(X[tr], y[tr], standardize=standardize)
            assert np.array_equal(got.free, want.free)
            g_tol, c_tol = 1e-10 * np.abs(want.gram).max(), 1e-10 * np.abs(want.corr).max()
            assert np.allclose(got.gram, want.gram, rtol=1e-10, atol=g_tol)
            assert np.allclose(got.corr, want.corr, rtol=1e-10, atol=c_tol)
            assert np.allclose(got.x_mean, want.x_mean, rtol=1e-12)
            assert np.allclose(got.x_scale, want.x_scale, rtol=1e-10)
            assert got.y_mean == pytest.approx(want.y_mean, rel=1e-12)
            assert got.y_var == pytest.approx(want.y_var, rel=1e-10)
        coefs = rng.standard_normal((3, 5))
        intercepts = rng.standard_normal(3)
        direct = np.mean((y[te][None, :] - coefs @ X[te].T - intercepts[:, None]) ** 2, axis=1)
        assert np.allclose(heldout_mse(parts[f], coefs, intercepts), direct, rtol=1e-9)
    all_rows = pooled(parts)
    assert np.array_equal(all_rows.constant, [False, False, False, False, True])
