"""Every sentence the geometry lesson states is checked against the numbers it describes.

Hypothesis sweeps the page's controls (true weights, correlation, noise,
seed, penalty and mixing a), with the degenerate corners pinned as explicit
examples: ρ = 0, σ = 0, an OLS point on an axis, ρ = ±0.95, a = 0.05 and
0.95.  For every t frame, the readout's words ("no zero", "exactly 0", "on a
corner", "at the origin", "inside") must match the touching point, the
touching point must satisfy the penalized problem's optimality conditions
at its λ (so its zeros are real zeros), and no coordinate may be a rounding
crumb.  The captions' claims about the whole path ("keeps every coefficient
non-zero", "for every t ≤ …", "at every t") are checked against every path
point and every frame.
"""

from __future__ import annotations

import math
import re

import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from regviz import geometry as geo
from regviz import geometry_captions as gcap

FRAMES = 9
SUB = {"w₁": 0, "w₂": 1, "w₃": 2}
WEIGHT = st.sampled_from([-3.0, -1.2, -0.5, 0.0, 0.3, 0.8, 2.0, 3.0])
RHO = st.sampled_from([-0.95, -0.6, 0.0, 0.3, 0.5, 0.95])
NOISE = st.sampled_from([0.0, 0.2, 1.0, 3.0])
PENALTY = st.sampled_from([("l1", 1.0), ("l2", 0.0), ("elasticnet", 0.05),
                           ("elasticnet", 0.5), ("elasticnet", 0.95)])
SLOW = settings(max_examples=30, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


def _named(text: str) -> set[int]:
    return {SUB[m] for m in re.findall(r"w[₁₂₃]", text)}


def _kkt_ok(problem, sw: geo.Sweep, tc: geo.Touch) -> bool:
    """The touching point is the penalized optimum at its λ: zeros and non-zeros alike."""
    if tc.inside or math.isinf(tc.lam) or tc.at_origin:
        return True
    w, lam, a = tc.w, tc.lam, sw.a
    grad = 2.0 * (problem.gram @ w - problem.corr) + 2.0 * lam * (1.0 - a) * w
    scale = max(float(np.abs(problem.corr).max()), lam, 1e-12)
    tol = 1e-7 * scale
    zero = w == 0
    if np.any(np.abs(grad[zero]) > lam * a + tol):
        return False
    return bool(np.all(np.abs(grad[~zero] + lam * a * np.sign(w[~zero])) <= tol))


def check_status(problem, sw: geo.Sweep, tc: geo.Touch) -> None:
    words = gcap.plain_words(gcap.status(tc))
    w = tc.w
    scale = geo.coef_scale(problem)
    assert np.all((w == 0) | (np.abs(w) > geo.ZERO_TOL * scale)), w  # no rounding crumbs
    assert _kkt_ok(problem, sw, tc), (tc, words)
    zeros = set(np.flatnonzero(w == 0))
    if "no zero" in words:
        assert not zeros, words
    if "exactly 0" in words:
        assert _named(words.split(":")[-1]) == zeros, (words, w)
    if "corner" in words and "not a corner" not in words:
        assert sw.a > 0 and len(zeros) == 1 and w.size == 2, words
    if "on an edge" in words:
        assert sw.a > 0 and len(zeros) == 1 and w.size == 3, words
    if "on a vertex" in words:
        assert sw.a > 0 and len(zeros) == 2 and w.size == 3, words
    if "at the origin" in words:
        assert not np.any(w), words
    if "inside the region" in words:
        assert tc.lam == 0 and geo.reach(geo.ols(problem), sw.a) <= tc.t * (1 + 1e-12)


def check_path_claims(sw: geo.Sweep, text: str) -> None:
    """Claims about the whole path, against every path point and every frame."""
    inner = sw.path_w[sw.path_t > 0]
    frames = np.array([tc.w for tc in sw.touches if tc.t > 0]).reshape(-1, sw.path_w.shape[1])
    if "keeps every coefficient non-zero for every t > 0" in text or "no coefficient is 0" in text:
        assert np.all(inner != 0) and np.all(frames != 0), text
        s = np.sign(inner)
        assert not np.any(s[1:] * s[:-1] < 0), text  # no sign change: never passes through 0
    for printed in re.findall(r"for every t ≤ ([0-9.,e+-]+)", text):
        bound = printed.rstrip(",").replace(",", "")  # "27,300" is grouped, not two numbers
        t_max = float(bound) * (1 + 5e-3)  # printed to 3 significant digits
        rows = sw.path_w[(sw.path_t > 0) & (sw.path_t <= t_max * (1 - 1e-2))]
        assert np.all(np.any(rows == 0, axis=1)), text
        tcs = [tc for tc in sw.touches if 0 < tc.t <= float(bound) * (1 - 1e-2)]
        assert all(np.any(tc.w == 0) for tc in tcs), text
    if "at every t" in text and "leaves" not in text:
        m = re.search(r"\((w[₁₂₃](?:, w[₁₂₃])*(?: and w[₁₂₃])?) = 0", text) or re.search(
            r"(w[₁₂₃](?:, w[₁₂₃])*(?: and w[₁₂₃])?) = 0 at every t", text)
        if m:
            cols = sorted(_named(m.group(1)))
            assert np.all(inner[:, cols] == 0) and np.all(frames[:, cols] == 0), text


def _sweeps(data, penalties, frames=FRAMES, grid_a=1.0):
    problem = geo.problem_of(data)
    ts = np.linspace(0.0, float(geo.reach(geo.ols(problem), grid_a)), frames)
    return problem, ts, [geo.sweep(problem, pen, ts, a) for pen, a in penalties]


@SLOW
@given(w1=WEIGHT, w2=WEIGHT, rho=RHO, noise=NOISE, seed=st.integers(0, 50), pen=PENALTY)
@example(w1=0.8, w2=0.0, rho=0.0, noise=0.0, seed=0, pen=("l2", 0.0))  # the case
@example(w1=0.8, w2=0.0, rho=0.6, noise=0.0, seed=0, pen=("l2", 0.0))  # ridge leaves the axis
@example(w1=0.0, w2=0.0, rho=0.5, noise=1.0, seed=2, pen=("l1", 1.0))  # w* = 0
@example(w1=2.0, w2=-1.2, rho=0.95, noise=0.0, seed=0, pen=("elasticnet", 0.05))
@example(w1=2.0, w2=1.2, rho=-0.95, noise=0.2, seed=0, pen=("elasticnet", 0.95))
def test_every_2d_statement_matches_its_numbers(w1, w2, rho, noise, seed, pen):
    data = geo.make_data((w1, w2), rho, noise, seed=seed)
    problem = geo.problem_of(data)
    if geo.degenerate(problem):
        assert not np.any(geo.ols(problem)) and w1 == w2 == 0 and noise == 0
        return
    pens = [("l1", 1.0), *([pen] if pen[0] == "elasticnet" else []), ("l2", 0.0)]
    _, ts, sweeps = _sweeps(data, pens)
    mine = sweeps[[p for p, _ in pens].index(pen[0])]
    for k, tc in enumerate(mine.touches):
        check_status(problem, mine, tc)
        caption = gcap.constraint_caption(mine, tc)
        check_path_claims(mine, caption)
        comparison = gcap.comparison_caption(sweeps, k)
        for sw, part in zip(sweeps, comparison.split(": ", 1)[1].split("; "), strict=True):
            check_path_claims(sw, part)
    for sw in sweeps:
        for tc in sw.touches:
            check_status(problem, sw, tc)


@SLOW
@given(w=st.tuples(WEIGHT, WEIGHT, WEIGHT), rho=st.sampled_from([-0.45, 0.0, 0.45, 0.95]),
       noise=NOISE, seed=st.integers(0, 20))
@example(w=(1.2, 0.0, -1.2), rho=0.0, noise=0.0, seed=0)  # the 3-D case
def test_every_3d_statement_matches_its_numbers(w, rho, noise, seed):
    data = geo.make_data(w, rho, noise, seed=seed)
    problem = geo.problem_of(data)
    if geo.degenerate(problem):
        return
    _, ts, sweeps = _sweeps(data, [("l1", 1.0), ("l2", 0.0)], frames=7, grid_a=0.0)
    for k in range(len(ts)):
        caption = gcap.caption_3d(sweeps, k)
        for sw, part in zip(sweeps, caption.split(": ", 1)[1].split("; "), strict=True):
            check_status(problem, sw, sw.touches[k])
            check_path_claims(sw, part)


@SLOW
@given(w1=WEIGHT, w2=WEIGHT, rho=RHO, noise=NOISE)
@example(w1=0.8, w2=0.0, rho=0.0, noise=0.0)
@example(w1=0.8, w2=0.0, rho=0.7, noise=0.0)  # q = 1.5 must leave the axis here
def test_lq_readouts_match_their_points(w1, w2, rho, noise):
    data = geo.make_data((w1, w2), rho, noise, seed=1)
    problem = geo.problem_of(data)
    if geo.degenerate(problem):
        return
    ts = np.linspace(0.0, float(geo.reach(geo.ols(problem), 1.0)), 7)
    points = geo.lq_sweep(problem, ts)
    scale = geo.coef_scale(problem)
    for i, q in enumerate(geo.LQ_VALUES):
        for k in range(len(ts)):
            w = points[i, k]
            assert np.all((w == 0) | (np.abs(w) > geo.ZERO_TOL * scale)), w
            words = gcap.plain_words(gcap.lq_status(w))
            if "no zero" in words:
                assert np.all(w != 0)
            if "exactly" in words:
                assert _named(words) == set(np.flatnonzero(w == 0))
            if q > 1 and ts[k] > 0 and np.any(w == 0) and np.any(w):
                # A smooth ball touches an axis only where the loss's slope along its edge
                # vanishes there; otherwise the minimizer lies within the zero rule's
                # tolerance of the axis: the slope has not changed sign by that distance.
                j = int(np.flatnonzero(w == 0)[0])
                s = float(np.sign(w[1 - j]))
                slope0 = geo.lq_axis_slope(problem, q, float(ts[k]), 0.0, j, s)
                eps = -np.sign(slope0) * geo.ZERO_TOL * scale
                beyond = geo.lq_axis_slope(problem, q, float(ts[k]), eps, j, s)
                flat = abs(slope0) <= geo.ZERO_TOL * float(np.abs(problem.corr).max())
                assert flat or np.sign(beyond) == np.sign(slope0), (q, ts[k], w)


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).filter(lambda v: v != 0))
@example(27_345.0)
@example(999.6)      # rounds up to 1,000: grouped, not "1e+03"
@example(999_600.0)  # rounds up to 1e+06: past the grouped range
@example(-35_000.0)
def test_printed_numbers_read_back_to_three_digits(x):
    """num() prints what the readouts and sliders show: it reads back within rounding to 3
    significant digits, and thousands are grouped rather than in e-notation."""
    printed = gcap.num(x)
    back = float(printed.replace(",", ""))
    assert abs(back - x) <= 5e-3 * abs(x), (x, printed)
    assert ("e" in printed) == (not 1e3 <= abs(back) < 1e6 and not 1e-4 <= abs(back) < 1e3), \
        (x, printed)
