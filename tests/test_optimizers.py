"""The teaching optimizers: the shrinkage rules, exact zeros from prox and coordinate steps, none
from subgradient steps, and the L1-versus-L2 speed experiment's direction on fixed data."""

from __future__ import annotations

import base64

import numpy as np
import pytest

import regviz
from regviz import datasets
from regviz import geometry as geo
from regviz import optimizers as opt
from regviz.data import design_matrix
from regviz.errors import DataError
from regviz.penalties import L1, L2, ElasticNet
from regviz.preprocessing import prepare
from regviz.solvers import lambda_max, solve_at


def _one_feature(seed: int = 0):
    rng = np.random.default_rng(seed)
    x = 3.0 + 2.0 * rng.normal(size=80)
    y = 1.0 + 0.7 * x + rng.normal(size=80)
    zx = (x - x.mean()) / x.std()
    return x, y, float(zx @ (y - y.mean()) / x.size)


@pytest.mark.parametrize("pen", [L1(), L2(), ElasticNet(0.3)], ids=repr)
def test_shrinkage_rules_equal_regviz_fit_on_one_standardized_feature(pen):
    x, y, z = _one_feature()
    for lam in [0.0, 0.1, 0.5, 1.0, 2.0 * abs(z) + 0.1, 10.0]:
        fitted = regviz.fit(x[:, None], y, penalty=pen, lam=lam)
        assert fitted.coef[0] * x.std() == pytest.approx(float(opt.shrink(z, lam, pen)),
                                                         rel=1e-10, abs=1e-12)


def test_l1_is_exactly_zero_on_the_dead_zone_and_l2_only_at_zero():
    x, y, z = _one_feature()
    lam = 2.0 * abs(z) * 1.01  # just inside: |z| <= lam/2
    assert regviz.fit(x[:, None], y, penalty="l1", lam=lam).coef[0] == 0.0
    assert opt.shrink(z, lam, L1()) == 0.0
    assert opt.shrink(z, lam, L2()) != 0.0
    assert opt.dead_zone(lam, L1()) >= abs(z) and opt.dead_zone(lam, L2()) == 0.0
    zs = np.linspace(-3, 3, 601)
    w = opt.shrink(zs, 1.0, L1())
    np.testing.assert_array_equal(w[np.abs(zs) <= 0.5] == 0.0, True)
    np.testing.assert_allclose(w[zs > 0.5], zs[zs > 0.5] - 0.5)


def test_shrink_minimizes_the_one_dimensional_objective():
    v = np.linspace(-4, 4, 80_001)
    for pen in (L1(), L2(), ElasticNet(0.5)):
        for z in (-2.0, -0.3, 0.0, 0.2, 1.7):
            best = v[np.argmin(opt.objective_1d(v, z, 1.3, pen))]
            assert abs(best - float(opt.shrink(z, 1.3, pen))) <= 1e-4


def test_vector_prox_is_the_penalty_prox_1d_coordinate_by_coordinate():
    x = np.array([-2.0, -0.3, 0.0, 0.05, 1.2])
    for pen in (L1(), L2(), ElasticNet(0.4)):
        step, lam = 0.37, 0.9
        expected = [pen.prox_1d(xi / (2 * step), 1 / (2 * step), lam) for xi in x]
        np.testing.assert_allclose(opt.prox(x, step, lam, pen), expected, rtol=1e-14)


def _two_features_with_a_zero():
    problem = geo.problem_of(geo.make_data(np.array([2.0, 0.4]), 0.6, 0.5))
    lam = 0.5 * lambda_max(problem, L1())
    exact = solve_at(problem, L1(), lam)
    assert exact[1] == 0.0 and exact[0] != 0.0  # the case the page shows
    return problem, lam, exact


def _sparse_problem():
    ds = datasets.load("sparse_truth", 0)
    d = design_matrix(ds.frame, ds.target)
    return prepare(d.X, d.y)


def test_ista_and_coordinate_descent_reach_the_exact_solution_and_its_exact_zeros():
    problem, lam, exact = _two_features_with_a_zero()
    step = 1.0 / opt.lipschitz(problem)
    for it in (opt.proximal_gradient(problem, L1(), lam, steps=200, step=step),
               opt.coordinate_descent(problem, L1(), lam, steps=200)):
        np.testing.assert_allclose(it[-1], exact, atol=1e-8)
        np.testing.assert_array_equal(it[-1] == 0.0, exact == 0.0)
    big = _sparse_problem()
    lam = 0.2 * lambda_max(big, L1())
    exact = solve_at(big, L1(), lam)
    assert 0 < np.count_nonzero(exact) < big.p
    ista = opt.proximal_gradient(big, L1(), lam, steps=3000, step=1.0 / opt.lipschitz(big))
    cd = opt.coordinate_descent_to_tol(big, L1(), lam, tol=1e-12)
    for v in (ista[-1], cd.v):
        np.testing.assert_allclose(v, exact, atol=1e-8)
        np.testing.assert_array_equal(v == 0.0, exact == 0.0)


def test_subgradient_iterates_are_never_exactly_zero_where_the_optimum_is_zero():
    problem, lam, exact = _two_features_with_a_zero()
    for fraction in (0.3, 1.0, 1.8):
        it = opt.subgradient_descent(problem, L1(), lam, steps=500,
                                     step=fraction / opt.lipschitz(problem))
        assert np.all(it[1:, 1] != 0.0)
        assert np.any(it[1:, 1] > 0) and np.any(it[1:, 1] < 0)  # it hops across the axis
    # it still approaches the optimum: the last iterates are close, just not on the axis
    assert np.linalg.norm(it[-1] - exact) < 0.1


def test_gradient_descent_on_l2_glides_to_the_non_zero_ridge_answer():
    problem, lam, _ = _two_features_with_a_zero()
    ridge = solve_at(problem, L2(), lam)
    it = opt.gradient_descent(problem, L2(), lam, steps=300,
                              step=1.0 / (opt.lipschitz(problem) + 2 * lam))
    np.testing.assert_allclose(it[-1], ridge, atol=1e-10)
    assert np.all(it[1:] != 0.0)
    objective = opt.objective(problem, L2(), lam, it)
    assert np.all(np.diff(objective) <= 1e-12)  # a monotone, smooth descent
    with pytest.raises(DataError):
        opt.gradient_descent(problem, L1(), lam, steps=3, step=0.1)


def test_race_matches_the_geometry_solution_and_lands_ista_and_cd_on_zero():
    problem, lam, exact = _two_features_with_a_zero()
    r = opt.race(problem, lam, steps=60)
    np.testing.assert_array_equal(r.exact["ista"], exact)
    assert r.runs["ista"][-1][1] == 0.0 and r.runs["cd"][-1][1] == 0.0
    assert r.runs["subgradient"][-1][1] != 0.0
    assert np.count_nonzero(r.exact["gd_l2"]) == 2
    assert all(len(c) == 7 for c in r.contours.values())


def test_coordinate_descent_to_tol_meets_the_kkt_tolerance_and_agrees_with_sklearn():
    from sklearn.linear_model import Lasso

    problem = _sparse_problem()
    ds = datasets.load("sparse_truth", 0)
    d = design_matrix(ds.frame, ds.target)
    Z = (d.X - d.X.mean(0)) / d.X.std(0)
    lam = 0.05 * lambda_max(problem, L1())
    run = opt.coordinate_descent_to_tol(problem, L1(), lam, tol=1e-10)
    assert run.converged and run.kkt <= 1e-10
    assert opt.kkt(problem, L1(), lam, run.v) <= 1e-10
    sk = Lasso(alpha=lam / 2, tol=1e-14, max_iter=100_000).fit(Z, d.y)
    np.testing.assert_allclose(run.v, sk.coef_, atol=1e-7)


def test_matched_ridge_lambda_has_the_lasso_training_error():
    problem = _sparse_problem()
    lam1 = 0.1 * lambda_max(problem, L1())
    target = float(problem.mse(solve_at(problem, L1(), lam1)))
    lam2 = opt.matched_ridge_lambda(problem, target)
    assert opt.ridge_mse(problem, lam2) == pytest.approx(target, rel=1e-9)


def _table(key: str):
    ds = datasets.load(key, 0)
    d = design_matrix(ds.frame, ds.target)
    problem = prepare(d.X, d.y)
    return problem, opt.speed_table(problem)


def test_speed_direction_l1_is_slower_on_correlated_twins_and_not_on_a_sparse_truth():
    for key, l1_slower in (("twins", True), ("sparse_truth", False)):
        problem, rows = _table(key)
        assert [row.l1_slower for row in rows] == [l1_slower] * len(rows), key
        for row in rows:
            assert row.l1.converged and row.l2.converged
            assert opt.ridge_mse(problem, row.lam_l2) == pytest.approx(row.train_mse, rel=1e-8)


def test_bad_settings_raise_data_error():
    problem, lam, _ = _two_features_with_a_zero()
    with pytest.raises(DataError):
        opt.proximal_gradient(problem, L1(), lam, steps=0, step=0.1)
    with pytest.raises(DataError):
        opt.proximal_gradient(problem, L1(), lam, steps=3, step=-1.0)
    with pytest.raises(DataError):
        opt.coordinate_descent(problem, L1(), lam, steps=3, start=[1.0, 2.0, 3.0])
    with pytest.raises(DataError):
        opt.race(problem, lam, step_fraction=2.5)


def _decoded(data) -> np.ndarray:
    """A series from a figure's JSON: a list, or plotly's typed-array form."""
    if isinstance(data, dict):
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=np.dtype(data["dtype"]))
    return np.asarray(data, dtype=float)


@pytest.fixture(scope="module")
def shrink_spec():
    from regviz.figures import optimizers as fo
    from regviz.figures.style import Style

    lams, zs = np.array([0.5, 1.2, 2.5]), np.linspace(-3.0, 3.0, 13)
    return lams, zs, fo.shrinkage_figure(lams, 0.4, zs, 1, 6, Style()).to_dict()


def test_shrinkage_figure_is_valid_plotly_and_each_frame_draws_every_lambdas_objective(
        shrink_spec):
    import plotly.graph_objects as go

    from regviz.figures import optimizers as fo

    lams, zs, spec = shrink_spec
    go.Figure(spec)  # full validation of data, layout and every frame: raises if invalid
    pens = [pen for _, pen, _ in fo.shrinkage_penalties(0.4)]
    moving = spec["frames"][0]["traces"]
    curves = moving[: lams.size * len(pens)]
    w_grid = _decoded(spec["data"][curves[0]]["x"])
    assert 0.0 in w_grid  # L1's kink is drawn
    for frame, z in zip(spec["frames"], zs, strict=True):
        assert frame["traces"] == moving
        for i, lam in enumerate(lams):
            for k, pen in enumerate(pens):
                curve = frame["data"][i * len(pens) + k]
                assert "x" not in curve  # the w grid never moves, so frames omit it
                w = float(opt.shrink(z, lam, pen))
                want = (opt.objective_1d(w_grid, z, lam, pen)
                        - float(opt.objective_1d(w, z, lam, pen)))
                np.testing.assert_allclose(_decoded(curve["y"]), want, rtol=1e-6, atol=1e-6)
        for k, pen in enumerate(pens):  # one dot per λ on each rule, at (z, w)
            dot = frame["data"][lams.size * len(pens) + 2 * k]
            assert _decoded(dot["x"]).tolist() == [z] * lams.size
            np.testing.assert_array_equal(_decoded(dot["y"]), opt.shrink(np.full(3, z), lams,
                                                                          pen))


def test_shrinkage_lambda_slider_shows_exactly_one_lambdas_curves_and_dead_zone(shrink_spec):
    lams, _zs, spec = shrink_spec
    steps = spec["layout"]["sliders"][1]["steps"]
    assert [float(s["label"]) for s in steps] == lams.tolist()
    for i, step in enumerate(steps):
        assert step["method"] == "update"  # in the browser: restyle + relayout, no rerun
        restyle, relayout, traces = step["args"]
        shown = [t for t, vis in zip(traces, restyle["visible"], strict=True) if vis]
        zones = [t for t in shown if spec["data"][t].get("fill") == "toself"]
        assert len(zones) == 1
        half = max(_decoded(spec["data"][zones[0]]["x"]))
        assert half == pytest.approx(lams[i] / 2)  # L1's dead zone |z| <= λ/2
        for opacity in restyle["marker.opacity"]:
            if isinstance(opacity, list):  # the dots: only this λ's is opaque
                assert opacity == [1.0 if k == i else 0.0 for k in range(lams.size)]
        assert f"λ = {lams[i]:g}" in relayout["annotations[0].text"]
    # Each rule curve drawn for a λ is that λ's rule.
    for i, lam in enumerate(lams):
        restyle, _, traces = steps[i]["args"]
        rules = [t for t, vis in zip(traces, restyle["visible"], strict=True)
                 if vis and spec["data"][t]["xaxis"] == "x" and not spec["data"][t].get("fill")
                 and spec["data"][t]["mode"] == "lines"]
        assert len(rules) == 3
        for t, pen in zip(rules, (L1(), ElasticNet(0.4), L2()), strict=True):
            x = _decoded(spec["data"][t]["x"])
            np.testing.assert_allclose(_decoded(spec["data"][t]["y"]), opt.shrink(x, lam, pen))
