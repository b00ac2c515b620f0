"""Exact entry lambdas and the homotopy path on shapes with large supports.

The oracle is independent of the code under test: at each entry lambda an
active-set solve just above and just below is certified by tests.oracle's
KKT check on the raw data, and just below, the best model that keeps the
feature at zero (fitted without its column) violates that feature's KKT bound.
"""

from __future__ import annotations

import numpy as np
import pytest

import regviz
from regviz.api import default_grid, path_and_knots
from regviz.block_inverse import BlockInverse
from regviz.homotopy import entry_lambdas_walked, lasso_homotopy
from regviz.penalties import make_penalty
from regviz.preprocessing import prepare
from regviz.solvers import _lasso_like_path, solve_at
from tests.oracle import correlated_table, kkt_violation, standardized

ABOVE, BELOW = 1e-9, 1e-7


@pytest.fixture(scope="module")
def tall():
    return correlated_table(420, 300)


def _forced_zero_gradient(X, y, j: int, lam: float, a: float) -> float:
    """|(2/n) z_j.r| at the best model without feature j, over lam*a (> 1: j must enter)."""
    keep = np.arange(X.shape[1]) != j
    fit = regviz.fit(X[:, keep], y, penalty="l1" if a == 1 else "elasticnet", lam=lam,
                     l1_ratio=a)
    Z, _, _ = standardized(X)
    resid = (y - y.mean()) - (X[:, keep] - X[:, keep].mean(0)) @ fit.coef
    return abs(2.0 / len(y) * Z[:, j] @ resid) / (lam * a)


@pytest.mark.parametrize("a", [1.0, 0.5])
def test_entry_lambdas_are_kkt_exact_on_both_sides_with_300_features(tall, a):
    X, y = tall
    pen = make_penalty("elasticnet", a) if a < 1 else make_penalty("l1")
    problem = prepare(X, y)
    grid = default_grid(problem, pen, 40)
    assert grid[-1] == pytest.approx(grid[0] * 1e-3) or a < 1  # down to 1e-3 of lambda_max
    fitted, knots = path_and_knots(problem, pen, grid)
    entries = regviz.api.entry_lambdas_on(problem, pen, grid, fitted.std_coefs, knots)
    order = np.argsort(-np.nan_to_num(entries, nan=-1.0))
    entered = order[: int(np.isfinite(entries).sum())]
    assert entered.size > 250  # a large support: most features enter above 1e-3 lambda_max
    for j in entered[:: max(1, entered.size // 12)]:
        lam = entries[j]
        row = int(np.searchsorted(-grid, -lam))
        warm = fitted.std_coefs[max(row - 1, 0)]
        above, below = solve_at(problem, pen, lam * (1 + ABOVE), warm), solve_at(
            problem, pen, lam * (1 - BELOW), warm)
        assert above[j] == 0.0 and below[j] != 0.0
        for v, at in ((above, lam * (1 + ABOVE)), (below, lam * (1 - BELOW))):
            coef, intercept = problem.to_original(v)
            assert kkt_violation(X, y, coef, float(intercept), lam=at, a=a) <= 1e-9
        # Without j, j's bound is broken just below its entry (and holds just above).
        assert _forced_zero_gradient(X, y, j, lam * (1 - BELOW), a) > 1.0
        assert _forced_zero_gradient(X, y, j, lam * (1 + ABOVE), a) <= 1.0 + 1e-9


def test_l1_homotopy_equals_a_from_scratch_solve_to_1e_10(tall):
    X, y = tall
    problem, pen = prepare(X, y), make_penalty("l1")
    grid = default_grid(problem, pen, 30)
    V, knots = lasso_homotopy(problem, grid)
    assert len(knots) >= 290
    scale = np.abs(V).max()
    for i in range(0, grid.size, 3):
        scratch = solve_at(problem, pen, grid[i])
        assert np.max(np.abs(V[i] - scratch)) <= 1e-10 * scale
        assert np.array_equal(V[i] == 0, scratch == 0)
    active_set = _lasso_like_path(problem, pen, grid, None)
    assert np.max(np.abs(V - active_set)) <= 1e-10 * scale


def test_l1_homotopy_on_wide_data_matches_the_active_set():
    X, y = correlated_table(150, 400, seed=2)
    problem, pen = prepare(X, y), make_penalty("l1")
    grid = default_grid(problem, pen, 30)
    walked = lasso_homotopy(problem, grid)
    assert walked is not None
    V, knots = walked
    drops = sum(kind < 0 for _, _, kind in knots)
    assert drops > 0  # the drop step is exercised
    active_set = _lasso_like_path(problem, pen, grid, None)
    assert np.max(np.abs(V - active_set)) <= 1e-10 * np.abs(V).max()


def test_knot_entries_equal_the_walked_entries(tall):
    X, y = tall
    problem, pen = prepare(X, y), make_penalty("l1")
    grid = default_grid(problem, pen, 30)
    fitted, knots = path_and_knots(problem, pen, grid)
    from_knots = regviz.api.entry_lambdas_on(problem, pen, grid, fitted.std_coefs, knots)
    walked = entry_lambdas_walked(problem, pen, grid, fitted.std_coefs)
    finite = np.isfinite(walked)
    assert np.array_equal(finite, np.isfinite(from_knots))
    assert np.allclose(from_knots[finite], walked[finite], rtol=1e-10)


def test_block_inverse_after_many_joins_and_leaves_equals_a_fresh_inverse(tall):
    X, _ = tall
    G = prepare(X, np.arange(len(X), dtype=float)).gram
    block = BlockInverse(G)
    rng = np.random.default_rng(7)
    for step in range(200):
        if block.idx and (step % 3 == 2):
            block.drop(int(rng.choice(block.idx)))
        else:
            out = [j for j in range(G.shape[0]) if j not in block.idx]
            assert block.add(int(rng.choice(out)))
    fresh = np.linalg.inv(G[np.ix_(block.idx, block.idx)])
    assert np.max(np.abs(block.inv - fresh)) <= 1e-10 * np.abs(fresh).max()
    cols = G[:, block.idx]
    assert np.array_equal(block.cols(), cols)


def test_block_inverse_refuses_a_column_in_the_span_of_the_block():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((50, 3))
    X = np.column_stack([X, X[:, 0] + X[:, 1]])
    G = prepare(X, rng.standard_normal(50)).gram
    block = BlockInverse(G)
    assert block.add(0) and block.add(1)
    assert not block.add(3)


def test_l1_path_through_lambda_zero_ends_at_least_squares(tall):
    X, y = tall
    res = regviz.path(X[:, :20], y, penalty="l1", lams=[1.0, 0.1, 0.0])
    ols = regviz.fit(X[:, :20], y, penalty="l2", lam=0.0)
    assert np.allclose(res.coefs[-1], ols.coef, rtol=1e-9)
    assert np.all(res.kkt <= 1e-9)


def test_l1_homotopy_lets_a_dropped_feature_return_with_the_other_sign():
    from sklearn.datasets import load_diabetes

    from regviz.solvers import kkt_residuals

    X, y = load_diabetes(return_X_y=True, scaled=False)
    problem, pen = prepare(X, y), make_penalty("l1")
    grid = default_grid(problem, pen, 100)
    V, knots = lasso_homotopy(problem, grid)  # on its own, before any certified fallback
    assert kkt_residuals(problem, pen, grid, V).max() <= 1e-12
    left = [(lam, j) for lam, j, kind in knots if kind < 0]
    assert left  # diabetes' lasso path drops a feature
    lam_out, j = left[0]
    back = [lam for lam, i, kind in knots if i == j and kind > 0 and lam < lam_out]
    assert back and np.any(np.sign(V[grid < back[0], j]) != np.sign(V[grid > lam_out, j][-1]))


def test_shifted_block_inverse_after_reset_and_joins_equals_a_fresh_inverse(tall):
    X, _ = tall
    G = prepare(X, np.arange(len(X), dtype=float)).gram
    block = BlockInverse(G, 0.3)
    block.reset(np.arange(40), 0.3)
    for j in range(40, 70):
        assert block.add(j)
    block.drop(5)
    block.drop(60)
    sub = G[np.ix_(block.idx, block.idx)] + 0.3 * np.eye(len(block.idx))
    assert np.max(np.abs(block.inv - np.linalg.inv(sub))) <= 1e-10 * np.abs(block.inv).max()
