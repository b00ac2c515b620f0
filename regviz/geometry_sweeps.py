"""Constraint geometry swept: the touching point along the budget, and the Lq balls.

:func:`sweep` follows the touching point as the region grows, with the knots
(where a coefficient leaves zero) inserted exactly; the Lq functions do the
same for ``|w1|^q + |w2|^q <= t^q``.  The only numerical search of the
geometry lesson is :func:`lq_touching_point` (q = 0.5 is not convex and regviz
does not solve it): a fine search along the ball's boundary, refined by golden
section.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from regviz.geometry_problems import (
    ZERO_TOL,
    Touch,
    coef_scale,
    mse,
    ols,
    reach,
    snap,
    solve,
    touching_point,
)
from regviz.geometry_shapes import unit_directions
from regviz.penalties import Penalty, make_penalty
from regviz.preprocessing import Problem
from regviz.solvers import lambda_max as _lambda_max
from regviz.solvers import solve_path

# ---------------------------------------------------------------------------
# The whole path as t shrinks, with its corners found exactly


@dataclass(frozen=True)
class Sweep:
    """One penalty's constrained solutions at given reaches, plus its full path.

    ``touches`` follow the requested ``ts``.  ``path_w`` runs from the OLS
    point (lam = 0) to the origin, dense in lambda, with the exact points
    where a coefficient reaches zero (``events``) inserted, so a drawn path
    has its kinks in the right place.
    """

    penalty: str
    a: float
    t_ols: float
    lam_max: float
    mse_ols: float
    touches: tuple[Touch, ...]
    path_lam: np.ndarray
    path_w: np.ndarray
    path_t: np.ndarray
    events: tuple[Touch, ...]

    def first_corner(self) -> Touch | None:
        """The largest-t point of the path that sits on a corner (some, not all, zeros).

        From there down to the origin the path stays on the axes (in 2-D).
        None when the path never reaches a corner (ridge, or a path that goes
        straight to the origin).
        """
        nz = np.count_nonzero(self.path_w, axis=1)
        on = (nz > 0) & (nz < self.path_w.shape[1]) if self.a > 0 else np.zeros(nz.size, bool)
        if not on.any():
            return None
        i = int(np.flatnonzero(on)[np.argmax(self.path_t[on])])
        for event in self.events:  # usually the exact event bisection found
            if event.lam == self.path_lam[i]:
                return event
        # The path starts on an axis (the OLS point has the zero): MSE about the floor.
        return Touch(t=float(self.path_t[i]), lam=float(self.path_lam[i]), w=self.path_w[i],
                     mse=self.mse_ols, a=self.a)

    @property
    def corner_t(self) -> float | None:
        """Largest t at which the solution sits on a corner (None if it never does)."""
        corner = self.first_corner()
        return None if corner is None else corner.t


def sweep(
    problem: Problem, pen: Penalty | str, ts, l1_ratio: float = 0.5, n_path: int = 120
) -> Sweep:
    """Touching points at every reach in ``ts`` and the exact path they lie on."""
    pen = make_penalty(pen, l1_ratio)
    top = _lambda_max(problem, pen)
    lams, W = _path_grid(problem, pen, top, n_path)
    lams, W, events = _insert_events(problem, pen, lams, W)
    path_t = reach(W, pen.a)
    touches = []
    for t in np.asarray(ts, dtype=float):
        touches.append(touching_point(problem, pen, t, bracket=_bracket(lams, path_t, t)))
    return Sweep(
        penalty=pen.name,
        a=pen.a,
        t_ols=float(path_t[0]),
        lam_max=top,
        mse_ols=float(mse(problem, W[0])),
        touches=tuple(touches),
        path_lam=lams,
        path_w=W,
        path_t=path_t,
        events=tuple(events),
    )


def _path_grid(problem: Problem, pen: Penalty, top: float, n: int):
    """Ascending lambdas from 0 and their exact solutions; ends at the origin."""
    if math.isinf(top):
        evals = np.linalg.eigvalsh(problem.gram)
        scale = max(float(np.abs(problem.corr).max()), 1e-300)
        grid = np.geomspace(1e-4 * max(evals[0], 1e-12), 1e4 * max(evals[-1], scale), n)
    else:
        grid = top * np.geomspace(1e-5, 1.0, n)
    lams = np.concatenate([[0.0], grid])
    W = snap(solve_path(problem, pen, lams[::-1])[::-1], coef_scale(problem))
    if math.isinf(top):
        lams = np.append(lams, math.inf)
        W = np.vstack([W, np.zeros(problem.p)])
    return lams, W


def _insert_events(problem: Problem, pen: Penalty, lams: np.ndarray, W: np.ndarray):
    """Bisect every grid step where the zero pattern changes; insert the exact points.

    A step can hide several changes (a short stretch on an axis just below
    lambda_max, say): after each bisection the part below the change found
    is searched again, until its two ends share a pattern.
    """
    if pen.a == 0.0:
        return lams, W, []
    top = _lambda_max(problem, pen)
    zero = W == 0
    new_l, new_w, events = [], [], []
    for i in np.flatnonzero(np.any(zero[1:] != zero[:-1], axis=1)):
        lo, w_lo, hi, w_hi = lams[i], W[i], lams[i + 1], W[i + 1]
        for _ in range(2 * problem.p + 2):
            lam, w, w_below = _bisect_change(problem, pen, lo, w_lo, hi, w_hi, top)
            new_l.append(lam)
            new_w.append(w)
            events.append(Touch(t=float(reach(w, pen.a)), lam=lam, w=w,
                                mse=float(mse(problem, w)), a=pen.a))
            if np.array_equal(w_below == 0, w_lo == 0):
                break
            hi, w_hi = lam, w_below
    if new_l:
        lams = np.concatenate([lams, new_l])
        W = np.vstack([W, new_w])
        order = np.argsort(lams, kind="stable")
        lams, W = lams[order], W[order]
    return lams, W, events


def _bisect_change(problem, pen, lo, w_lo, hi, w_hi, top):
    """The exact lambda where the zero pattern of ``w_hi`` starts, going up from lo.

    Returns (lambda, solution there, solution just below it).
    """
    pattern = w_hi == 0
    if pattern.all() and hi >= top:
        # The last coefficient reaches zero at lambda_max itself, known exactly.
        below = max(lo, top * (1.0 - 1e-12))
        return float(top), np.zeros(problem.p), solve(problem, pen, below, warm=w_lo)
    for _ in range(200):
        if hi - lo <= 1e-15 * hi:
            break
        mid = 0.5 * (lo + hi)
        v = solve(problem, pen, mid, warm=w_hi)
        if np.array_equal(v == 0, pattern):
            hi, w_hi = mid, v
        else:
            lo, w_lo = mid, v
    return float(hi), w_hi, w_lo


def _bracket(lams: np.ndarray, ts: np.ndarray, t: float) -> tuple[float, float] | None:
    """Two path lambdas whose reaches straddle t (ts decreases along lams)."""
    if t >= ts[0] or t <= 0:
        return None
    k = int(np.searchsorted(-ts, -t))  # first index with ts[k] <= t
    k = min(max(k, 1), ts.size - 1)
    lo, hi = float(lams[k - 1]), float(lams[k])
    if math.isinf(hi) or not ts[k - 1] >= t >= ts[k]:
        return None
    return lo, hi


# ---------------------------------------------------------------------------
# Lq balls: where convexity and sparsity meet


def lq_ball(t: float, q: float, n: int = 361) -> np.ndarray:
    """Closed outline (m, 2) of ``|w1|^q + |w2|^q <= t^q`` (reach t on each axis)."""
    u = unit_directions(n)
    return u * _lq_radial(u, t, q)[:, None]


def _lq_radial(u: np.ndarray, t: float, q: float) -> np.ndarray:
    return t / (np.abs(u) ** q).sum(axis=-1) ** (1.0 / q)


def lq_touching_point(problem: Problem, q: float, t: float, n: int = 2881) -> np.ndarray:
    """The point of ``|w|_q <= t`` with the smallest MSE (the global one when q < 1).

    The OLS point if it is inside; otherwise a minimizer lies on the boundary.
    The boundary is searched at n angles (the axes, where the q <= 1 corners
    are, included exactly) and the best one refined by golden section; an
    axis point wins ties, so a corner is reported as exact zeros.
    """
    w_ols = ols(problem)
    if np.sum(np.abs(w_ols) ** q) <= t**q:
        return w_ols
    if t <= 0:
        return np.zeros(2)

    def point(phi):
        u = np.stack([np.cos(phi), np.sin(phi)], axis=-1)
        return u * _lq_radial(u, t, q)[..., None]

    u = unit_directions(n)
    m = len(u) - 1
    pts = u * _lq_radial(u, t, q)[:, None]
    vals = mse(problem, pts)
    k = int(np.argmin(vals[:-1]))
    best, best_val = pts[k], vals[k]
    step = 2.0 * math.pi / m
    lo, hi = (k - 1) * step, (k + 1) * step
    gr = (math.sqrt(5.0) - 1.0) / 2.0
    x1, x2 = hi - gr * (hi - lo), lo + gr * (hi - lo)
    f1, f2 = float(mse(problem, point(x1))), float(mse(problem, point(x2)))
    for _ in range(64):  # the bracket shrinks by 0.618 each step: to ~1e-13 radians
        if f1 < f2:
            hi, x2, f2 = x2, x1, f1
            x1 = hi - gr * (hi - lo)
            f1 = float(mse(problem, point(x1)))
        else:
            lo, x1, f1 = x1, x2, f2
            x2 = lo + gr * (hi - lo)
            f2 = float(mse(problem, point(x2)))
    cand = point(0.5 * (lo + hi))
    on_axis = k % (m // 4) == 0
    # Below q = 1 an axis point is a corner, the exact minimizer over a whole range of t: it
    # keeps its place unless the refinement is clearly better.  Above q = 1 the ball is smooth
    # and an axis point only wins if nothing beside it is lower (a slope that vanishes there).
    margin = 1e-12 * max(abs(float(best_val)), 1.0) if on_axis and q <= 1 else 0.0
    if float(mse(problem, cand)) < best_val - margin:
        best = cand
    elif on_axis and q > 1:
        best = _leave_axis(problem, q, t, np.asarray(best, dtype=float))
    return snap(best, coef_scale(problem))


def lq_axis_slope(problem: Problem, q: float, t: float, delta: float, j: int, s: float) -> float:
    """d MSE / d delta along the smooth ball's edge, at ``w_j = delta`` near the axis point.

    The other coordinate is ``s * (t^q - |delta|^q)^(1/q)``.  Computed from the
    gradient, which stays accurate where differences of MSE values vanish in
    rounding (the minimizer can sit 1e-11 off the axis).
    """
    i = 1 - j
    w = np.zeros(2)
    w[j] = delta
    rest = max(t**q - abs(delta) ** q, 0.0)
    w[i] = s * rest ** (1.0 / q)
    g = 2.0 * (problem.gram @ w - problem.corr)
    dwi = -s * abs(delta) ** (q - 1.0) * math.copysign(1.0, delta) * rest ** (1.0 / q - 1.0)
    return float(g[j] + g[i] * dwi)


def _leave_axis(problem: Problem, q: float, t: float, axis_point: np.ndarray) -> np.ndarray:
    """For q > 1: the axis point, or the true minimizer just off it (found by its slope).

    A smooth ball is touched on an axis only where the loss's slope along the
    edge is 0 there; otherwise the minimizer is off the axis, on the downhill side.
    """
    j = int(np.flatnonzero(axis_point == 0)[0]) if np.any(axis_point == 0) else int(
        np.argmin(np.abs(axis_point)))
    s = math.copysign(1.0, axis_point[1 - j])
    slope0 = lq_axis_slope(problem, q, t, 0.0, j, s)
    if abs(slope0) <= ZERO_TOL * max(float(np.abs(problem.corr).max()), 1e-300):
        return axis_point
    side = -math.copysign(1.0, slope0)
    lo, hi = 0.0, t * 0.01
    while lq_axis_slope(problem, q, t, side * hi, j, s) * side < 0 and hi < t:
        lo, hi = hi, min(2.0 * hi, t)
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            break
        if lq_axis_slope(problem, q, t, side * mid, j, s) * side < 0:
            lo = mid
        else:
            hi = mid
    delta = side * 0.5 * (lo + hi)
    w = np.zeros(2)
    w[j] = delta
    w[1 - j] = s * max(t**q - abs(delta) ** q, 0.0) ** (1.0 / q)
    return w


LQ_VALUES = (0.5, 1.0, 1.5, 2.0)


def lq_sweep(problem: Problem, ts, qs=LQ_VALUES) -> np.ndarray:
    """Touching points (len(qs), len(ts), 2) of the Lq balls of reach t.

    q = 1 and q = 2 are L1 and L2: their points are regviz's exact solutions;
    the others come from ``lq_touching_point``.
    """
    out = np.zeros((len(qs), len(ts), 2))
    for i, q in enumerate(qs):
        for k, t in enumerate(np.asarray(ts, dtype=float)):
            if q in (1.0, 2.0):
                out[i, k] = touching_point(problem, "l1" if q == 1.0 else "l2", t).w
            else:
                out[i, k] = lq_touching_point(problem, q, t)
    return out
