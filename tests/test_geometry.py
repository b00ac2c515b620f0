"""Constraint geometry: the touching point is regviz's exact solution, and the pictures are true.

The oracles are independent of regviz where they can be: the KKT check in
``tests/oracle.py`` (from raw X and y), scikit-learn's Lasso and Ridge, an
exact edge-by-edge minimisation for the diamond, and the tangency condition
for the circle.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
import pytest
from sklearn.linear_model import Lasso, Ridge

import regviz
from regviz import geometry as geo
from regviz import geometry_captions as gcap
from regviz.figures import geometry as gfig
from tests.oracle import kkt_violation

PENALTIES = [("l1", 1.0), ("l2", 0.0), ("elasticnet", 0.5), ("elasticnet", 0.2)]
FRACTIONS = [0.05, 0.2, 0.45, 0.7, 0.95]
DATA_2D = [((2.0, 0.7), 0.5, 0.5, 0), ((-1.0, 2.5), -0.8, 1.5, 3), ((1.5, 1.2), 0.9, 0.2, 7)]


@pytest.fixture(scope="module", params=DATA_2D, ids=["tilted", "anti-correlated", "twins"])
def data2(request):
    w, rho, noise, seed = request.param
    return geo.make_data(w, rho, noise, seed=seed)


@pytest.fixture(scope="module")
def data3():
    return geo.make_data((1.8, 0.6, -0.4), 0.4, 0.6, seed=2)


def _fit(data, penalty, a, lam):
    lam = 1e300 if math.isinf(lam) else lam
    return regviz.fit(data.X, data.y, penalty=penalty, lam=lam, l1_ratio=a, standardize=False,
                      fit_intercept=False)


def _t_ols(data, a):
    return float(geo.reach(geo.ols(geo.problem_of(data)), a))


# --- the data controls mean what they say ----------------------------------------------------


@pytest.mark.parametrize("rho", [-0.9, 0.0, 0.35, 0.95])
def test_make_data_has_the_requested_correlation_exactly(rho):
    data = geo.make_data((1.0, -2.0), rho, 0.7, seed=4)
    n = data.n
    assert np.allclose(data.X.T @ data.X / n, [[1, rho], [rho, 1]], atol=1e-12)
    assert np.allclose(data.X.mean(axis=0), 0, atol=1e-12)
    assert abs(data.y.mean()) < 1e-12
    resid_sd = (data.y - data.X @ data.w_true).std()
    assert resid_sd == pytest.approx(0.7, rel=1e-12)


def test_noise_moves_the_ols_point_but_not_the_ellipses():
    quiet = geo.problem_of(geo.make_data((2.0, 0.7), 0.5, 0.0, seed=1))
    noisy = geo.problem_of(geo.make_data((2.0, 0.7), 0.5, 2.0, seed=1))
    assert np.allclose(quiet.gram, noisy.gram, atol=1e-12)  # same tilt and elongation
    assert np.allclose(geo.ols(quiet), [2.0, 0.7], atol=1e-12)  # no noise: OLS = true weights
    assert np.linalg.norm(geo.ols(noisy) - [2.0, 0.7]) > 0.05
    assert geo.mse(noisy, geo.ols(noisy)) > geo.mse(quiet, geo.ols(quiet)) + 1.0


def test_plotted_coordinates_are_the_fit_whatever_the_standardize_and_intercept_settings(data2):
    for standardize in (False, True):
        for fit_intercept in (False, True):
            fit = regviz.fit(data2.X, data2.y, penalty="l1", lam=0.3, standardize=standardize,
                             fit_intercept=fit_intercept)
            ref = _fit(data2, "l1", 1.0, 0.3)
            assert np.allclose(fit.coef, ref.coef, atol=1e-10)


# --- the touching point is the exact solution ------------------------------------------------


@pytest.mark.parametrize(("penalty", "a"), PENALTIES)
def test_touching_point_equals_regviz_fit_at_the_matching_lambda(data2, penalty, a):
    problem = geo.problem_of(data2)
    for frac in FRACTIONS:
        tp = geo.touching_point(problem, penalty, frac * _t_ols(data2, a), a)
        fit = _fit(data2, penalty, a, tp.lam)
        assert np.allclose(tp.w, fit.coef, rtol=0, atol=1e-8)
        assert np.array_equal(tp.w == 0, fit.coef == 0)
        assert kkt_violation(data2.X, data2.y, tp.w, 0.0, lam=tp.lam, a=a, standardize=False,
                             fit_intercept=False) <= 1e-9


@pytest.mark.parametrize(("penalty", "a"), PENALTIES)
def test_touching_point_lies_on_the_boundary_of_the_region_of_reach_t(data2, penalty, a):
    problem = geo.problem_of(data2)
    t_ols = _t_ols(data2, a)
    for frac in FRACTIONS:
        tp = geo.touching_point(problem, penalty, frac * t_ols, a)
        assert float(geo.reach(tp.w, a)) == pytest.approx(frac * t_ols, rel=1e-10)
        assert float(geo.budget(tp.t, a)) == pytest.approx(
            a * np.abs(tp.w).sum() + (1 - a) * tp.w @ tp.w, rel=1e-10)


def test_touching_point_matches_scikit_learn_lasso_and_ridge(data2):
    problem = geo.problem_of(data2)
    n = data2.n
    for frac in (0.3, 0.8):
        l1 = geo.touching_point(problem, "l1", frac * _t_ols(data2, 1.0))
        est = Lasso(alpha=l1.lam / 2, fit_intercept=False, tol=1e-14, max_iter=1_000_000)
        assert np.allclose(est.fit(data2.X, data2.y).coef_, l1.w, atol=1e-8)
        l2 = geo.touching_point(problem, "l2", frac * _t_ols(data2, 0.0))
        est = Ridge(alpha=n * l2.lam, fit_intercept=False)
        assert np.allclose(est.fit(data2.X, data2.y).coef_, l2.w, atol=1e-10)


def _diamond_oracle(problem, t):
    """min MSE over |w1| + |w2| <= t, exactly: OLS if inside, else the best of the four edges."""
    w_ols = geo.ols(problem)
    if np.abs(w_ols).sum() <= t:
        return w_ols
    best, best_val = None, np.inf
    corners = t * np.array([[1, 0], [0, 1], [-1, 0], [0, -1], [1, 0]], dtype=float)
    G, c = problem.gram, problem.corr
    for p0, p1 in zip(corners[:-1], corners[1:], strict=True):
        d = p1 - p0  # MSE(p0 + s d) is a quadratic in s on [0, 1]
        s = np.clip((c @ d - p0 @ G @ d) / (d @ G @ d), 0.0, 1.0)
        w = p0 + s * d
        val = float(geo.mse(problem, w))
        if val < best_val:
            best, best_val = w, val
    return best


def test_l1_touching_point_matches_an_exact_edge_by_edge_minimisation(data2):
    problem = geo.problem_of(data2)
    for frac in np.linspace(0.02, 0.98, 13):
        t = frac * _t_ols(data2, 1.0)
        tp = geo.touching_point(problem, "l1", t)
        assert np.allclose(tp.w, _diamond_oracle(problem, t), atol=1e-9)


def test_l2_touching_point_is_where_an_ellipse_is_tangent_to_the_circle(data2):
    problem = geo.problem_of(data2)
    for frac in (0.1, 0.5, 0.9):
        t = frac * _t_ols(data2, 0.0)
        w = geo.touching_point(problem, "l2", t).w
        grad = problem.gram @ w - problem.corr  # half the MSE gradient
        assert np.linalg.norm(w) == pytest.approx(t, rel=1e-10)
        assert abs(grad[0] * w[1] - grad[1] * w[0]) <= 1e-9 * np.linalg.norm(grad) * t
        assert grad @ w < 0  # the loss falls outward: the constraint binds


def test_touching_point_beats_every_point_of_the_region_boundary(data2):
    problem = geo.problem_of(data2)
    for penalty, a in PENALTIES:
        t = 0.5 * _t_ols(data2, a)
        tp = geo.touching_point(problem, penalty, t, a)
        boundary = geo.region_outline(t, a, 4001)
        assert tp.mse <= float(geo.mse(problem, boundary).min()) + 1e-12


# --- lambda <-> t ------------------------------------------------------------------------------


@pytest.mark.parametrize(("penalty", "a"), PENALTIES)
def test_lambda_t_mapping_round_trips(data2, penalty, a):
    problem = geo.problem_of(data2)
    top = regviz.lambda_max(data2.X, data2.y, penalty=penalty, l1_ratio=a, standardize=False)
    lams = np.geomspace(1e-3, 0.999, 7) * (top if math.isfinite(top) else 10.0)
    for lam in lams:
        t = geo.t_of_lambda(problem, penalty, lam, a)
        back = geo.lambda_of_t(problem, penalty, t, a)
        assert back == pytest.approx(lam, rel=1e-7)
        assert geo.t_of_lambda(problem, penalty, back, a) == pytest.approx(t, rel=1e-12)


@pytest.mark.parametrize(("penalty", "a"), PENALTIES)
def test_t_of_lambda_is_strictly_decreasing_until_everything_is_zero(data2, penalty, a):
    problem = geo.problem_of(data2)
    top = regviz.lambda_max(data2.X, data2.y, penalty=penalty, l1_ratio=a, standardize=False)
    hi = top if math.isfinite(top) else 100.0
    ts = [geo.t_of_lambda(problem, penalty, lam, a) for lam in np.linspace(0, hi, 60)]
    assert np.all(np.diff(ts[:-1]) < 0)
    assert ts[0] == pytest.approx(_t_ols(data2, a), rel=1e-12)
    if math.isfinite(top):
        assert ts[-1] == 0.0


def test_lambda_of_t_ends_are_ols_and_lambda_max(data2):
    problem = geo.problem_of(data2)
    top = regviz.lambda_max(data2.X, data2.y, penalty="l1", standardize=False)
    big = geo.touching_point(problem, "l1", 1.5 * _t_ols(data2, 1.0))
    assert big.lam == 0.0 and big.inside
    assert np.allclose(big.w, geo.ols(problem), atol=1e-12)
    assert geo.lambda_of_t(problem, "l1", 0.0) == pytest.approx(top, rel=1e-14)
    assert geo.touching_point(problem, "l1", 0.0).at_origin
    assert math.isinf(geo.lambda_of_t(problem, "l2", 0.0))


# --- corners -----------------------------------------------------------------------------------


def test_l1_touching_point_is_on_a_corner_exactly_when_fit_has_a_zero(data2):
    problem = geo.problem_of(data2)
    seen = set()
    for frac in np.linspace(0.01, 0.99, 25):
        tp = geo.touching_point(problem, "l1", frac * _t_ols(data2, 1.0))
        fit = _fit(data2, "l1", 1.0, tp.lam)
        has_zero = bool(np.any(fit.coef == 0) and np.any(fit.coef != 0))
        assert tp.on_corner == has_zero
        seen.add(has_zero)
    assert seen == {True, False}  # these data show both: a corner at small t, a side above


def test_first_corner_is_the_exact_t_where_the_l1_path_meets_an_axis(data2):
    problem = geo.problem_of(data2)
    sw = geo.sweep(problem, "l1", [], n_path=60)
    corner = sw.first_corner()
    assert corner is not None and corner.on_corner
    below = geo.touching_point(problem, "l1", corner.t * (1 - 1e-6))
    above = geo.touching_point(problem, "l1", corner.t * (1 + 1e-6))
    assert below.on_corner and np.array_equal(below.zeros, corner.zeros)
    assert not above.on_corner
    assert geo.t_of_lambda(problem, "l1", corner.lam) == pytest.approx(corner.t, rel=1e-9)


def test_l1_path_stays_on_the_axis_from_the_first_corner_to_the_origin(data2):
    sw = geo.sweep(geo.problem_of(data2), "l1", [], n_path=80)
    corner = sw.first_corner()
    later = sw.path_w[sw.path_lam >= corner.lam]
    assert np.all(later[:, corner.zeros] == 0)


def test_ridge_never_reaches_a_corner(data2):
    problem = geo.problem_of(data2)
    ts = np.linspace(0.01, 1.0, 15) * _t_ols(data2, 0.0)
    sw = geo.sweep(problem, "l2", ts, n_path=60)
    assert sw.first_corner() is None
    assert np.all(sw.path_w[sw.path_t > 0] != 0)
    assert not any(tc.on_corner for tc in sw.touches)


def test_sweep_path_runs_from_the_ols_point_to_the_origin(data2):
    problem = geo.problem_of(data2)
    for penalty, a in PENALTIES:
        sw = geo.sweep(problem, penalty, [], a, n_path=40)
        assert np.allclose(sw.path_w[0], geo.ols(problem), atol=1e-10)
        assert np.all(sw.path_w[-1] == 0)
        assert np.all(np.diff(sw.path_t) <= 1e-12)


# --- three coefficients ------------------------------------------------------------------------


@pytest.mark.parametrize(("penalty", "a"), PENALTIES)
def test_3d_touching_point_equals_fit(data3, penalty, a):
    problem = geo.problem_of(data3)
    for frac in (0.1, 0.4, 0.8):
        tp = geo.touching_point(problem, penalty, frac * _t_ols(data3, a), a)
        fit = _fit(data3, penalty, a, tp.lam)
        assert np.allclose(tp.w, fit.coef, rtol=0, atol=1e-8)
        assert float(geo.reach(tp.w, a)) == pytest.approx(tp.t, rel=1e-10)


def test_3d_l1_solution_sits_on_an_edge_or_vertex_when_it_has_zeros(data3):
    problem = geo.problem_of(data3)
    zeros = [int(geo.touching_point(problem, "l1", f * _t_ols(data3, 1.0)).zeros.sum())
             for f in (0.05, 0.5, 0.95)]
    assert zeros[0] == 2 and zeros[-1] == 0  # a vertex near the origin, a face near OLS


def test_octahedron_faces_lie_on_the_l1_sphere():
    v, faces = geo.octahedron(1.7)
    assert faces.shape == (8, 3)
    for face in faces:
        centroid = v[face].mean(axis=0)
        assert np.abs(centroid).sum() == pytest.approx(1.7)
        assert len({tuple(np.nonzero(v[k])[0]) for k in face}) == 3  # one vertex per axis


def test_loss_ellipsoid_and_sphere_are_the_surfaces_they_claim(data3):
    problem = geo.problem_of(data3)
    level = float(geo.mse(problem, geo.ols(problem))) + 0.8
    x, y, z = geo.loss_ellipsoid(problem, level)
    pts = np.stack([x, y, z], axis=-1).reshape(-1, 3)
    assert np.allclose(geo.mse(problem, pts), level, atol=1e-12)
    sx, sy, sz = geo.sphere(0.6)
    assert np.allclose(np.sqrt(sx**2 + sy**2 + sz**2), 0.6)


# --- outlines and contours ---------------------------------------------------------------------


@pytest.mark.parametrize(("penalty", "a"), PENALTIES)
def test_region_outline_is_exactly_the_boundary(penalty, a):
    out = geo.region_outline(1.3, a, 181)
    assert np.allclose(geo.reach(out, a), 1.3, rtol=1e-12)
    assert np.allclose(out[0], out[-1])
    assert any(np.allclose(p, [1.3, 0]) for p in out) and any(np.allclose(p, [0, 1.3])
                                                              for p in out)
    if a == 1.0:
        assert len(out) == 5  # the diamond: its four corners, closed


def test_loss_ellipse_points_have_the_requested_mse(data2):
    problem = geo.problem_of(data2)
    level = float(geo.mse(problem, geo.ols(problem))) + 1.7
    assert np.allclose(geo.mse(problem, geo.loss_ellipse(problem, level)), level, atol=1e-12)
    assert geo.loss_ellipse(problem, level - 10).size == 0


@pytest.mark.parametrize(("penalty", "a"), PENALTIES)
def test_penalized_contours_are_level_sets_around_the_touching_point(data2, penalty, a):
    problem = geo.problem_of(data2)
    pen = regviz.api.make_penalty(penalty, a)
    tp = geo.touching_point(problem, penalty, 0.4 * _t_ols(data2, a), a)
    offsets = [0.05, 0.5, 3.0]
    f_min = float(geo.penalized_objective(problem, pen, tp.lam, tp.w))
    for d, curve in zip(offsets, geo.penalized_contours(problem, pen, tp.lam, tp.w, offsets),
                        strict=True):
        vals = geo.penalized_objective(problem, pen, tp.lam, curve)
        assert np.allclose(vals, f_min + d, rtol=1e-8)
    # The soft form's minimum is the hard form's point: nothing on a fine grid is lower.
    g = np.linspace(-3, 3, 121)
    grid = np.stack(np.meshgrid(g, g), axis=-1).reshape(-1, 2)
    assert f_min <= float(geo.penalized_objective(problem, pen, tp.lam, grid).min()) + 1e-12


# --- Lq balls ----------------------------------------------------------------------------------


def test_lq_search_agrees_with_the_exact_solution_for_q_1_and_2(data2):
    problem = geo.problem_of(data2)
    for q, penalty, a in ((1.0, "l1", 1.0), (2.0, "l2", 0.0)):
        for frac in (0.2, 0.6):
            t = frac * _t_ols(data2, a)
            exact = geo.touching_point(problem, penalty, t).w
            assert np.allclose(geo.lq_touching_point(problem, q, t), exact, atol=1e-7)


def test_lq_half_ball_touching_point_is_on_its_boundary_and_best_there(data2):
    problem = geo.problem_of(data2)
    t = 0.4 * _t_ols(data2, 1.0)
    w = geo.lq_touching_point(problem, 0.5, t)
    assert np.sum(np.sqrt(np.abs(w))) == pytest.approx(math.sqrt(t), rel=1e-9)
    boundary = geo.lq_ball(t, 0.5, 20001)
    assert float(geo.mse(problem, w)) <= float(geo.mse(problem, boundary).min()) + 1e-12


def test_lq_sweep_uses_exact_solutions_for_l1_and_l2(data2):
    problem = geo.problem_of(data2)
    ts = [0.3 * _t_ols(data2, 1.0)]
    pts = geo.lq_sweep(problem, ts)
    assert np.array_equal(pts[1, 0], geo.touching_point(problem, "l1", ts[0]).w)
    assert np.array_equal(pts[3, 0], geo.touching_point(problem, "l2", ts[0]).w)


# --- figures -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small():
    data = geo.make_data((2.0, 0.7), 0.5, 0.5, seed=0)
    ts = np.linspace(0, _t_ols(data, 1.0), 9)
    problem = geo.problem_of(data)
    sweeps = [geo.sweep(problem, p, ts, a, n_path=50) for p, a in (("l1", 1.0), ("l2", 0.0))]
    return data, ts, sweeps


def _check_frames(fig: go.Figure, n_frames: int) -> go.Figure:
    """Frames are attached unvalidated for speed: validate the whole figure here."""
    full = go.Figure(fig.to_dict())  # raises on any invalid property, frames included
    assert len(full.frames) == n_frames == len(full.layout.sliders[0].steps)
    for frame in full.frames:
        assert len(frame.data) == len(frame.traces)
        assert max(frame.traces) < len(full.data)
    return full


def test_constraint_figure_has_one_frame_per_t_and_equal_axes(small):
    data, ts, sweeps = small
    fig = _check_frames(gfig.constraint_figure(data, sweeps[0], ts, start=3), len(ts))
    assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.yaxis2.scaleanchor == "x2"
    assert list(fig.layout.xaxis.range) == list(fig.layout.yaxis.range)
    step = fig.layout.sliders[0].steps[0]
    assert step.method == "animate" and step.args[1]["frame"]["redraw"] is False
    assert "on a corner" in fig.frames[3].data[-1].text[0]  # the readout says so on screen


def test_comparison_3d_and_lq_figures_are_valid(small):
    data, ts, sweeps = small
    _check_frames(gfig.comparison_figure(data, sweeps, ts), len(ts))
    _check_frames(gfig.lq_figure(data, geo.lq_sweep(geo.problem_of(data), ts), ts), len(ts))
    data3 = geo.make_data((2.0, 0.7, 0.4), 0.5, 0.5, seed=0)
    p3 = geo.problem_of(data3)
    ts3 = np.linspace(0, _t_ols(data3, 0.0), 4)
    fig = gfig.figure_3d(data3, [geo.sweep(p3, "l1", ts3, n_path=30),
                                 geo.sweep(p3, "l2", ts3, n_path=30)], ts3)
    fig = _check_frames(fig, len(ts3))
    assert fig.layout.sliders[0].steps[0].args[1]["frame"]["redraw"] is True
    assert fig.layout.scene.aspectmode == "cube"


def test_captions_state_the_corner_in_numbers(small):
    data, ts, sweeps = small
    l1, l2 = sweeps
    text = gcap.constraint_caption(l1, l1.touches[3])
    corner = l1.first_corner()
    assert f"t ≤ {gfig.num(corner.t)}" in text and "w₂ = 0 exactly" in text
    both = gcap.comparison_caption(sweeps, 3)
    assert "stays on it down to the origin" in both
    assert "keeps every coefficient non-zero" in both
    assert "no coefficient is 0 at any t > 0" in gcap.constraint_caption(l2, l2.touches[3])


def test_every_square_panel_anchors_its_own_x_axis_with_equal_ranges(small):
    """square_axes and hide_axes address each subplot's own axes (looked up once per panel)."""
    data, ts, sweeps = small
    figures = [gfig.constraint_figure(data, sweeps[0], ts, start=3),
               gfig.comparison_figure(data, sweeps, ts),
               gfig.lq_figure(data, geo.lq_sweep(geo.problem_of(data), ts), ts)]
    for k, fig in enumerate(figures):
        layout = fig.layout
        squares = [name for name in layout if name.startswith("yaxis") and
                   layout[name].scaleanchor is not None]
        assert squares
        for name in squares:
            y = layout[name]
            x = layout["xaxis" + name[len("yaxis"):]]
            assert y.scaleanchor == y.anchor  # the x axis of this very panel
            assert list(x.range) == list(y.range) and x.zeroline and y.zeroline
            assert x.title.text
            # A row of narrow panels titles only its first y axis: a title beside a later
            # panel ran into the panel on its left.
            assert bool(y.title.text) == (name == "yaxis" or k == 0)
        hidden = [name for name in layout if name.startswith(("xaxis", "yaxis"))
                  and layout[name].visible is False]
        for name in hidden:
            assert list(layout[name].range) == [0, 1] and layout[name].fixedrange


def _bisected_level_curves(f, centre, levels, n: int = 181) -> list[np.ndarray]:
    """The oracle: closed level curves of any convex f of 2-D points, one per level, by bisection
    (the app's general method before the closed form).

    f's sublevel sets are convex and contain ``centre`` (its minimizer), so
    each ray from the centre crosses a level exactly once; the crossing is
    found by doubling then bisection (all levels and rays at once), to about
    1e-11 of the distance.  Levels at or below f(centre) give empty curves.
    """
    centre = np.asarray(centre, dtype=float)
    u = geo.unit_directions(n)
    levels = np.asarray(levels, dtype=float)
    f0 = float(f(centre))
    live = levels > f0
    target = levels[live][:, None]
    if target.size == 0:
        return [np.empty((0, 2)) for _ in levels]

    def below(r):
        return f(centre + r[..., None] * u) < target

    lo = np.zeros((target.shape[0], len(u)))
    hi = np.ones_like(lo)
    for _ in range(200):
        low = below(hi)
        if not low.any():
            break
        lo = np.where(low, hi, lo)
        hi = np.where(low, 2.0 * hi, hi)
    for _ in range(36):  # to ~1e-11 of the radius: far below a pixel
        mid = 0.5 * (lo + hi)
        low = below(mid)
        lo = np.where(low, mid, lo)
        hi = np.where(low, hi, mid)
    r = 0.5 * (lo + hi)
    curves = iter(centre + r[..., None] * u)
    return [next(curves) if ok else np.empty((0, 2)) for ok in live]


@pytest.mark.parametrize(("penalty", "a"), PENALTIES)
@pytest.mark.parametrize("fraction", [0.0, 0.15, 0.4, 0.9])  # 0: every coefficient is 0
def test_exact_penalized_contours_equal_bisection_on_every_ray(data2, penalty, a, fraction):
    """The closed form (a quadratic per piece of each ray) against the general bisection."""
    problem = geo.problem_of(data2)
    pen = regviz.api.make_penalty(penalty, a)
    tp = geo.touching_point(problem, penalty, fraction * _t_ols(data2, a), a)
    if not math.isfinite(tp.lam):  # ridge at t = 0: lambda is infinite, there is no objective
        return
    offsets = [-1.0, 0.0, 0.01, 0.5, 3.0, 40.0]  # at or below the minimum: no curve
    exact = geo.penalized_contours(problem, pen, tp.lam, tp.w, offsets, 121)
    f_min = float(geo.penalized_objective(problem, pen, tp.lam, tp.w))
    bisected = _bisected_level_curves(lambda W: geo.penalized_objective(problem, pen, tp.lam, W),
                                tp.w, [f_min + d for d in offsets], 121)
    for d, mine, ref in zip(offsets, exact, bisected, strict=True):
        assert mine.shape == ref.shape == ((0, 2) if d <= 0 else (121, 2))
        scale = 1.0 + float(np.abs(ref - tp.w).max(initial=0.0))
        assert np.allclose(mine, ref, rtol=0, atol=1e-9 * scale)


def test_comparison_readouts_wrap_their_status_when_presenting(small):
    """Presenting, three readouts side by side: the status on one line ran into the next."""
    from regviz.figures.geometry_comparison import comparison_readout
    from regviz.figures.style import Style

    data, ts, sweeps = small
    sw = sweeps[0]
    touch = sw.touches[len(ts) // 2]
    laptop = comparison_readout(sw, touch, Style())
    shown = comparison_readout(sw, touch, Style(scale=1.6))
    assert shown.count("<br>") == laptop.count("<br>") + 1
    assert shown.replace(":<br>", ": ") == laptop
