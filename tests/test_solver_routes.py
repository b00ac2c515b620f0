"""The fast routes (predicted supports, carried decompositions, drift-tested inverses)
give the same path and entries as the plain ones, and the same answers as scikit-learn.

Shapes have large supports (n > p = 300, grids down to 1e-3 of lambda_max) so that
the routes' shortcuts are exercised many times, not once.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import ElasticNet, Lasso

import regviz
import regviz.enet_path as enet_path
import regviz.entry_walk as entry_walk
from regviz.api import default_grid, entry_lambdas_on, path_and_knots
from regviz.block_inverse import BlockInverse
from regviz.penalties import make_penalty
from regviz.preprocessing import prepare
from regviz.solvers import _lasso_like_path, kkt_residuals
from tests.oracle import correlated_table, kkt_violation, standardized


@pytest.fixture(scope="module")
def tall():
    return correlated_table(420, 300)


@pytest.mark.parametrize("a", [0.5, 0.2, 0.9])
def test_enet_predicted_supports_equal_the_active_set_path_to_1e_10(tall, a, monkeypatch):
    X, y = tall
    problem, pen = prepare(X, y), make_penalty("elasticnet", a)
    grid = default_grid(problem, pen, 40)
    settled = []
    real_tries = enet_path._bordered_tries

    def counting(*args):
        found = real_tries(*args)
        settled.append(found is not None)
        return found

    monkeypatch.setattr(enet_path, "_bordered_tries", counting)
    fast = enet_path.enet_grid_path(problem, pen, grid)
    # Where the support is large, the bordered route (not the fallback) did most of the work.
    assert sum(settled) >= max(8, len(settled) // 2)
    plain = _lasso_like_path(problem, pen, grid, None)
    monkeypatch.setattr(enet_path, "_MAX_DOUBT", 0)  # no bordered corrections
    unbordered = enet_path.enet_grid_path(problem, pen, grid)
    scale = np.abs(plain).max()
    assert (fast != 0).sum(axis=1).max() > 250  # a large support at the bottom
    for other in (plain, unbordered):
        assert np.array_equal(fast == 0, other == 0)
        assert np.max(np.abs(fast - other)) <= 1e-10 * scale
    assert kkt_residuals(problem, pen, grid, fast).max() <= 1e-9


@pytest.mark.parametrize("a", [0.5, 0.2])
def test_entry_walk_with_a_carried_block_equals_a_fresh_decomposition_per_knot(
        tall, a, monkeypatch):
    X, y = tall
    problem, pen = prepare(X, y), make_penalty("elasticnet", a)
    grid = default_grid(problem, pen, 30)
    fitted, _ = path_and_knots(problem, pen, grid)
    bisected = []
    real_bisection = entry_walk._entry_by_bisection

    def counting(*args):
        bisected.append(args[2])
        return real_bisection(*args)

    monkeypatch.setattr(entry_walk, "_entry_by_bisection", counting)
    carried = entry_walk.entry_lambdas_walked(problem, pen, grid, fitted.std_coefs)
    assert bisected == []  # the walk reproduced every grid point by itself
    monkeypatch.setattr(entry_walk, "_MAX_CARRIED", 0)  # decompose afresh at every knot,
    monkeypatch.setattr(entry_walk, "_MAX_AHEAD", 0)  # on the support alone
    fresh = entry_walk.entry_lambdas_walked(problem, pen, grid, fitted.std_coefs)
    finite = np.isfinite(fresh)
    assert finite.sum() > 250
    assert np.array_equal(finite, np.isfinite(carried))
    assert np.allclose(carried[finite], fresh[finite], rtol=1e-10, atol=0)


def test_every_entry_lies_between_its_bracketing_grid_points_and_is_kkt_exact(tall):
    X, y = tall
    a = 0.5
    problem, pen = prepare(X, y), make_penalty("elasticnet", a)
    grid = default_grid(problem, pen, 30)
    fitted, knots = path_and_knots(problem, pen, grid)
    entries = entry_lambdas_on(problem, pen, grid, fitted.std_coefs, knots)
    on = fitted.std_coefs != 0
    for j in np.flatnonzero(np.isfinite(entries)):
        first = int(np.argmax(on[:, j]))
        above = grid[first - 1] if first else np.inf
        assert grid[first] < entries[j] <= above or first == 0
    # Just above and below every 25th entry, the exact fits sit on each side of the change.
    for j in np.flatnonzero(np.isfinite(entries))[::25]:
        lam = entries[j]
        for at, nonzero in ((lam * (1 + 1e-9), False), (lam * (1 - 1e-7), True)):
            fit = regviz.fit(X, y, penalty="elasticnet", lam=at, l1_ratio=a)
            assert (fit.coef[j] != 0) == nonzero
            assert kkt_violation(X, y, fit.coef, fit.intercept, lam=at, a=a) <= 1e-9


@pytest.mark.parametrize(("penalty", "a"), [("l1", 1.0), ("elasticnet", 0.5)])
def test_large_support_path_matches_sklearn_at_tight_tolerance(tall, penalty, a):
    X, y = tall
    Z, sd, _ = standardized(X)
    res = regviz.path(X, y, penalty=penalty, l1_ratio=a, n_lams=30)
    for i in (8, 16, 24):
        lam = float(res.lams[i])
        name, params = regviz.sklearn_equivalent(penalty, lam, a, len(y))
        estimator = {"Lasso": Lasso, "ElasticNet": ElasticNet}[name]
        est = estimator(**params, tol=1e-12, max_iter=1_000_000).fit(Z, y)
        expected = est.coef_ / sd
        assert np.allclose(res.coefs[i], expected, rtol=1e-6,
                           atol=1e-8 * np.abs(expected).max())
        assert np.array_equal(res.coefs[i] == 0, np.abs(expected) < 1e-12)


def test_block_inverse_drift_test_sees_a_damaged_inverse_and_rebuilds(tall):
    X, _ = tall
    G = prepare(X, np.arange(len(X), dtype=float)).gram
    block = BlockInverse(G)
    for j in range(60):
        assert block.add(j)
    assert block.drift() <= 1e-12
    block.inv[3, 3] *= 1.0 + 1e-6  # folds the carried coordinates, then damages the base
    assert block.drift() > 1e-11
    block.updates = block.refresh - 1
    block.drop(59)  # the update that reaches ``refresh`` runs the drift test
    fresh = np.linalg.inv(G[np.ix_(block.idx, block.idx)])
    assert np.max(np.abs(block.inv - fresh)) <= 1e-10 * np.abs(fresh).max()


@pytest.mark.parametrize("lam", [0.0, 0.05])
def test_single_lambda_ridge_solve_equals_the_eigendecomposition_route(tall, lam):
    from regviz.solvers import _ridge_path

    X, y = tall
    problem = prepare(X, y)
    single = _ridge_path(problem, np.array([lam]))[0]
    via_eigen = _ridge_path(problem, np.array([lam, 1.0]))[0]  # two lambdas: one eigh
    assert np.max(np.abs(single - via_eigen)) <= 1e-10 * np.abs(via_eigen).max()
    copied = prepare(np.column_stack([X[:, :20], X[:, 0]]), y)  # singular: a duplicate
    single = _ridge_path(copied, np.array([0.0]))[0]
    via_eigen = _ridge_path(copied, np.array([0.0, 1.0]))[0]
    assert single[0] == pytest.approx(single[20], rel=1e-8)  # min-norm splits the twins
    assert np.max(np.abs(single - via_eigen)) <= 1e-8 * np.abs(via_eigen).max()


def test_block_inverse_drops_a_base_coordinate_while_others_are_carried(tall):
    X, _ = tall
    G = prepare(X, np.arange(len(X), dtype=float)).gram
    block = BlockInverse(G)
    for j in range(40):  # 24 fold into the base, 16 stay carried
        assert block.add(j)
    assert 0 < block.k0 < len(block.idx)
    for j in (3, 17, 0):  # base coordinates
        block.drop(j)
    assert block.k0 == 21 and len(block.idx) == 37  # dropped from the base, nothing folded
    b = np.linspace(-1.0, 1.0, len(block.idx))
    sub = G[np.ix_(block.idx, block.idx)]
    assert np.max(np.abs(sub @ block.apply(b) - b)) <= 1e-10
    assert np.max(np.abs(block.inv - np.linalg.inv(sub))) <= 1e-10 * np.abs(block.inv).max()
