"""Constraint geometry drawn: region outlines, loss ellipses, penalized contours, 3-D shapes.

Every curve is computed in the plotted coordinates (the fitted coefficients),
with the diamond's corners included exactly, so a figure never approximates a
corner the lesson is about.
"""

from __future__ import annotations

import math

import numpy as np

from regviz.geometry_problems import budget, mse, ols
from regviz.penalties import Penalty
from regviz.preprocessing import Problem

# ---------------------------------------------------------------------------
# Outlines: regions, loss ellipses, penalized contours


def unit_directions(n: int) -> np.ndarray:
    """n unit vectors round the circle (closed: the last equals the first).

    n - 1 is rounded up to a multiple of 4 so the axis directions, where the
    diamond's corners are, are included exactly.
    """
    m = 4 * math.ceil((n - 1) / 4)
    k = np.arange(m + 1)
    phi = 2.0 * math.pi * k / m
    u = np.column_stack([np.cos(phi), np.sin(phi)])
    on_axis = (k % (m // 4)) == 0
    u[on_axis] = np.round(u[on_axis])
    return u


def region_outline(t: float, a: float, n: int = 361) -> np.ndarray:
    """Closed outline (m, 2) of ``P(w) <= budget(t)``: exact corners for the diamond."""
    u = unit_directions(n)
    if a == 1.0:
        u = u[(np.arange(len(u)) % ((len(u) - 1) // 4)) == 0]  # the diamond: just its vertices
    return u * _radial(u, t, a)[:, None]


def _radial(u: np.ndarray, t: float, a: float) -> np.ndarray:
    """Distance from the origin to the region's boundary along unit directions u."""
    s = float(budget(t, a))
    l1 = np.abs(u).sum(axis=-1)
    if a == 1.0:
        return s / l1
    if a == 0.0:
        return np.full(len(u), float(t))
    b = 1.0 - a
    return 2.0 * s / (a * l1 + np.sqrt((a * l1) ** 2 + 4.0 * b * s))


def loss_ellipse(problem: Problem, level: float, n: int = 181) -> np.ndarray:
    """The MSE contour ``{w : MSE(w) = level}`` as a closed curve (m, 2); empty below the floor.

    Exact: ``w = w_ols + sqrt(level - MSE_ols) * L^-T u`` with ``G = L L'``.
    """
    centre = ols(problem)
    excess = level - float(mse(problem, centre))
    if excess < 0:
        return np.empty((0, 2))
    L = np.linalg.cholesky(problem.gram)
    u = unit_directions(n)
    return centre + math.sqrt(excess) * np.linalg.solve(L.T, u.T).T


def penalized_objective(problem: Problem, pen: Penalty, lam: float, W) -> np.ndarray:
    """``MSE(w) + lam*P(w)`` at coefficient vectors W (..., p)."""
    W = np.asarray(W, dtype=float)
    P = pen.a * np.abs(W).sum(axis=-1) + (1.0 - pen.a) * (W * W).sum(axis=-1)
    return mse(problem, W) + lam * P


def penalized_contours(
    problem: Problem, pen: Penalty, lam: float, w_min: np.ndarray, offsets, n: int = 181
) -> list[np.ndarray]:
    """Contours of ``MSE + lam*P`` at ``F(w_min) + offsets`` (w_min its exact minimizer).

    Along a ray from ``w_min`` the objective is quadratic between the points where the ray
    crosses an axis (|w_j| has its corner there), so each ray's crossing of each level is
    the root of a quadratic on the first piece that reaches the level: exact, where the
    general bisection it replaced took 240 steps (most of the constraint figure's build).
    Offsets at or below 0 give empty curves.
    """
    def f(W):
        return penalized_objective(problem, pen, lam, W)

    centre = np.asarray(w_min, dtype=float)
    return _piecewise_quadratic_curves(f, centre, float(f(centre)), offsets, n)


def _piecewise_quadratic_curves(f, centre: np.ndarray, f0: float, offsets,
                                n: int) -> list[np.ndarray]:
    """Level curves ``f = f0 + offset`` around the minimizer ``centre`` (``f(centre) = f0``)
    of an f that is convex, and quadratic between axis crossings along each ray."""
    u = unit_directions(n)  # (n, 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        corners = -centre[None, :] / u
    corners = np.sort(np.where(np.isfinite(corners) & (corners > 0), corners, np.inf), axis=1)
    starts = np.concatenate([np.zeros((len(u), 1)), corners], axis=1)  # (n, pieces)
    ends = np.concatenate([corners, np.full((len(u), 1), np.inf)], axis=1)
    live = np.isfinite(starts)  # a ray crossing fewer axes has fewer pieces
    bounded = live & np.isfinite(ends)
    # Three points on each piece fix its quadratic f(s + t h) = c + b t + a t^2, t = 0, 1, 2.
    s0 = np.where(live, starts, 0.0)
    hh = np.where(bounded, (np.where(bounded, ends, 0.0) - s0) / 2.0, 1.0)
    r = s0[..., None] + hh[..., None] * np.arange(3.0)  # (n, pieces, 3)
    vals = f(centre + r[..., None] * u[:, None, None, :])
    c = vals[..., 0]
    a = (vals[..., 2] - 2.0 * vals[..., 1] + c) / 2.0
    b = vals[..., 1] - c - a
    curves = []
    for level in (f0 + float(d) for d in offsets):
        if not level > f0:
            curves.append(np.empty((0, 2)))
            continue
        gap = level - c  # > 0 on the pieces that start below the level
        with np.errstate(invalid="ignore", divide="ignore"):
            t = 2.0 * gap / (b + np.sqrt(np.maximum(b * b + 4.0 * a * gap, 0.0)))
        radius = s0 + t * hh
        inside = live & (gap > 0) & (radius <= ends) & np.isfinite(radius)
        first = np.argmax(inside, axis=1)  # the first piece that reaches the level
        rows = np.arange(len(u))
        curves.append(centre + radius[rows, first][:, None] * u)
    return curves


# ---------------------------------------------------------------------------
# Three coefficients: octahedron, sphere, ellipsoid


def octahedron(t: float) -> tuple[np.ndarray, np.ndarray]:
    """The L1 ball ``|w|_1 <= t`` in 3-D: 6 vertices and 8 triangular faces (i, j, k)."""
    v = t * np.array([[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]],
                     dtype=float)
    faces = np.array([[x, y, z] for x in (0, 1) for y in (2, 3) for z in (4, 5)])
    return v, faces


def _sphere_grid(m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    theta = np.linspace(0.0, math.pi, m)
    phi = np.linspace(0.0, 2.0 * math.pi, 2 * m - 1)
    th, ph = np.meshgrid(theta, phi, indexing="ij")
    return np.sin(th) * np.cos(ph), np.sin(th) * np.sin(ph), np.cos(th)


def sphere(t: float, m: int = 19) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The L2 ball's surface ``|w|_2 = t`` as (x, y, z) grids for a plotly Surface."""
    x, y, z = _sphere_grid(m)
    return t * x, t * y, t * z


def loss_ellipsoid(problem: Problem, level: float, m: int = 19):
    """The 3-D MSE contour ``MSE(w) = level`` as (x, y, z) grids (None below the floor)."""
    centre = ols(problem)
    excess = level - float(mse(problem, centre))
    if excess < 0:
        return None
    x, y, z = _sphere_grid(m)
    U = np.stack([x, y, z], axis=-1)
    L = np.linalg.cholesky(problem.gram)
    W = centre + math.sqrt(excess) * np.linalg.solve(L.T, U.reshape(-1, 3).T).T.reshape(U.shape)
    return W[..., 0], W[..., 1], W[..., 2]
