"""Iterative optimizers for the app's objective, to show how L1's zeros are (or are not) made.

The exact solver (``regviz.solvers``) identifies the support and solves one
linear system; it stays the answer everywhere else in the app.  These small
functions exist to *teach*: they run the textbook methods on the same
standardized Gram problem (``regviz.preprocessing.Problem``) and the same
penalty objects, and return every iterate, so a page can animate them.

In a problem's coordinates the objective is ``F(v) = v'Gv - 2c'v + const +
lam*P(v)``: smooth part ``f(v) = v'Gv - 2c'v`` (gradient ``2(Gv - c)``,
Lipschitz constant ``2*max eig(G)``) plus ``lam*P``.

``Penalty.prox_1d`` is the scalar coordinate step.  The proximal operator of
``step*lam*P`` for a whole vector is written here (``prox``, vectorized);
it is ``prox_1d(x/(2 step), 1/(2 step), lam)`` coordinate by coordinate,
which the tests check.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from regviz.errors import DataError
from regviz.penalties import Penalty
from regviz.preprocessing import Problem

# ---------------------------------------------------------------------------
# One standardized feature: the shrinkage rules in closed form


def shrink(z, lam: float, pen: Penalty) -> np.ndarray:
    """Penalized coefficient of one standardized feature whose least-squares coefficient is z.

    With one feature of variance 1 the objective is ``(v - z)^2 + lam*P(v)`` up to a
    constant, minimized by ``S(z, lam*a/2) / (1 + lam*(1-a))``: soft-thresholding at
    lam/2 for L1 (the dead zone |z| <= lam/2), ``z/(1 + lam)`` for L2.
    """
    z = np.asarray(z, dtype=float)
    l1, l2 = pen.weights(lam)
    return np.sign(z) * np.maximum(np.abs(z) - 0.5 * l1, 0.0) / (1.0 + l2)


def objective_1d(v, z: float, lam: float, pen: Penalty) -> np.ndarray:
    """``(v - z)^2 + lam*P(v)``: the one-feature objective less its constant."""
    v = np.asarray(v, dtype=float)
    return (v - z) ** 2 + lam * (pen.a * np.abs(v) + (1.0 - pen.a) * v * v)


def dead_zone(lam: float, pen: Penalty) -> float:
    """Half-width of the range of z whose solution is exactly 0 (0 without an L1 part)."""
    return 0.5 * lam * pen.a


# ---------------------------------------------------------------------------
# Pieces shared by the iterative methods


def smooth_gradient(problem: Problem, v: np.ndarray) -> np.ndarray:
    """Gradient of the MSE part, ``2(Gv - c)``."""
    return 2.0 * (problem.gram @ v - problem.corr)


def lipschitz(problem: Problem) -> float:
    """Lipschitz constant of the MSE gradient: ``2*max eig(G)`` (never 0)."""
    return max(2.0 * float(np.linalg.eigvalsh(problem.gram)[-1]), 1e-300)


def objective(problem: Problem, pen: Penalty, lam: float, V) -> np.ndarray:
    """``MSE(v) + lam*P(v)`` at coefficient vectors V (..., p)."""
    V = np.asarray(V, dtype=float)
    P = pen.a * np.abs(V).sum(axis=-1) + (1.0 - pen.a) * (V * V).sum(axis=-1)
    return problem.mse(V) + lam * P


def prox(x: np.ndarray, step: float, lam: float, pen: Penalty) -> np.ndarray:
    """``argmin_u |u - x|^2/(2 step) + lam*P(u)``: soft-threshold, then shrink (vectorized)."""
    l1, l2 = pen.weights(lam)
    return np.sign(x) * np.maximum(np.abs(x) - step * l1, 0.0) / (1.0 + 2.0 * step * l2)


def kkt(problem: Problem, pen: Penalty, lam: float, v: np.ndarray) -> float:
    """Largest per-coordinate distance from optimality, relative to the gradient at 0."""
    dist = pen.subdiff_distance(v, smooth_gradient(problem, v), lam)
    scale = max(2.0 * float(np.max(np.abs(problem.corr), initial=0.0)), 1e-300)
    return float(np.max(np.where(problem.free, dist, 0.0), initial=0.0)) / scale


def _check(steps: int, step: float) -> None:
    if steps < 1:
        raise DataError("At least one iteration is needed.")
    if not (step > 0 and math.isfinite(step)):
        raise DataError(f"The step size must be a positive number, got {step!r}.")


def _start(problem: Problem, start) -> np.ndarray:
    v = np.zeros(problem.p) if start is None else np.array(start, dtype=float).ravel()
    if v.shape != (problem.p,):
        raise DataError(f"The starting point needs {problem.p} coordinates.")
    return v


# ---------------------------------------------------------------------------
# The four methods: each returns its iterates (steps + 1, p), the start first


def subgradient_descent(problem: Problem, pen: Penalty, lam: float, *, steps: int,
                        step: float, start=None) -> np.ndarray:
    """Subgradient method with the classic diminishing step ``step/sqrt(k+1)``.

    The subgradient used is ``2(Gv - c) + lam*(a*sign(v) + 2(1-a)v)`` with sign(0) = 0.
    A step that crosses an axis overshoots it: iterates hop from side to side of 0
    and land on exactly 0 only by a floating-point accident.
    """
    _check(steps, step)
    v = _start(problem, start)
    out = np.empty((steps + 1, problem.p))
    out[0] = v
    l1, l2 = pen.weights(lam)
    for k in range(steps):
        g = smooth_gradient(problem, v) + l1 * np.sign(v) + 2.0 * l2 * v
        v = v - step / math.sqrt(k + 1.0) * g
        out[k + 1] = v
    return out


def proximal_gradient(problem: Problem, pen: Penalty, lam: float, *, steps: int,
                      step: float, start=None) -> np.ndarray:
    """ISTA: a gradient step on the MSE, then the penalty's prox (soft-thresholding).

    The prox sets to exactly 0 every coordinate the gradient step leaves within
    ``step*lam*a`` of 0, so a zero of the optimum is reached exactly and kept.
    Converges for ``step < 2/L`` (``lipschitz``).
    """
    _check(steps, step)
    v = _start(problem, start)
    out = np.empty((steps + 1, problem.p))
    out[0] = v
    for k in range(steps):
        v = prox(v - step * smooth_gradient(problem, v), step, lam, pen)
        out[k + 1] = v
    return out


def coordinate_descent(problem: Problem, pen: Penalty, lam: float, *, steps: int,
                       start=None) -> np.ndarray:
    """Cyclic coordinate descent, recording the point after every one-coordinate update.

    Each update minimizes the objective exactly along one axis: that is
    ``Penalty.prox_1d`` (soft-thresholding), so a coordinate whose pull is
    inside the dead zone becomes exactly 0.  ``steps`` counts coordinate
    updates (a sweep is p of them).
    """
    _check(steps, 1.0)
    v = _start(problem, start)
    out = np.empty((steps + 1, problem.p))
    out[0] = v
    G, c = problem.gram, problem.corr
    for k in range(steps):
        j = k % problem.p
        if problem.free[j]:
            r = c[j] - (G[j] @ v - G[j, j] * v[j])
            v = v.copy()
            v[j] = pen.prox_1d(float(r), float(G[j, j]), lam)
        out[k + 1] = v
    return out


def gradient_descent(problem: Problem, pen: Penalty, lam: float, *, steps: int,
                     step: float, start=None) -> np.ndarray:
    """Plain gradient descent: for a smooth objective (no L1 part, i.e. L2) only.

    The L2 objective's gradient ``2(Gv - c) + 2 lam v`` is zero at the answer, so
    the iterates glide into it; they reach a coordinate's 0 only if the answer has one.
    """
    _check(steps, step)
    if pen.a != 0.0:
        raise DataError("Gradient descent needs a smooth objective: use the L2 penalty.")
    v = _start(problem, start)
    out = np.empty((steps + 1, problem.p))
    out[0] = v
    for k in range(steps):
        v = v - step * (smooth_gradient(problem, v) + 2.0 * lam * v)
        out[k + 1] = v
    return out


# ---------------------------------------------------------------------------
# Coordinate descent to a tolerance, for timing against the exact solver


@dataclass(frozen=True)
class Run:
    """Coordinate descent to a KKT tolerance: answer, sweeps used, seconds, final residual."""

    v: np.ndarray
    sweeps: int
    seconds: float
    kkt: float
    converged: bool


def coordinate_descent_to_tol(problem: Problem, pen: Penalty, lam: float, *,
                              tol: float = 1e-8, max_sweeps: int = 100_000,
                              start=None) -> Run:
    """Cyclic coordinate descent from 0 (or ``start``) until the relative KKT residual <= tol.

    The gradient ``Gv - c`` is kept up to date with one vector update per
    changed coordinate (numpy does the O(p) work); the KKT check is one
    vectorized pass per sweep.  Plain cyclic CD, no active sets or screening.
    """
    if not (tol > 0 and math.isfinite(tol)):
        raise DataError(f"The tolerance must be a positive number, got {tol!r}.")
    began = time.perf_counter()
    v = _start(problem, start)
    G, c = problem.gram, problem.corr
    l1, l2 = pen.weights(lam)
    half_l1 = 0.5 * l1
    diag = np.diag(G).copy()
    free = np.flatnonzero(problem.free)
    resid = G @ v - c  # half the MSE gradient
    scale = max(2.0 * float(np.max(np.abs(c), initial=0.0)), 1e-300)
    sweeps, residual = 0, kkt(problem, pen, lam, v)
    while residual > tol and sweeps < max_sweeps:
        for j in free:
            old = v[j]
            r = diag[j] * old - resid[j]
            new = math.copysign(max(abs(r) - half_l1, 0.0), r) / (diag[j] + l2)
            if new != old:
                v[j] = new
                resid += G[:, j] * (new - old)
        sweeps += 1
        dist = pen.subdiff_distance(v, 2.0 * resid, lam)
        residual = float(np.max(dist[free], initial=0.0)) / scale
    return Run(v=v, sweeps=sweeps, seconds=time.perf_counter() - began, kkt=residual,
               converged=residual <= tol)


# ---------------------------------------------------------------------------
# Is L1 slower to train?  L1 and L2 at the same training error, by the same method

LEVELS = (("strong", 0.5), ("medium", 0.1), ("weak", 0.01))


def ridge_mse(problem: Problem, lam: float) -> float:
    """Training MSE of the exact ridge solution at lam (closed form)."""
    v = np.linalg.solve(problem.gram + lam * np.eye(problem.p), problem.corr)
    return float(problem.mse(v))


def matched_ridge_lambda(problem: Problem, target_mse: float) -> float:
    """The ridge λ whose exact solution has training MSE ``target_mse`` (bisection in log λ).

    Ridge's training MSE rises continuously from the least-squares floor to
    var(y) as λ grows, so any target strictly between has one answer.
    """
    evals, Q = np.linalg.eigh(problem.gram)
    qc = Q.T @ problem.corr

    def mse_at(lam: float) -> float:
        u = qc / (evals + lam)
        return float(problem.y_var - 2.0 * qc @ u + (evals * u) @ u)

    lo, hi = 1e-12, 1.0
    while mse_at(hi) < target_mse and hi < 1e15:
        hi *= 10.0
    for _ in range(200):
        mid = math.sqrt(lo * hi)
        lo, hi = (mid, hi) if mse_at(mid) < target_mse else (lo, mid)
        if hi / lo < 1.0 + 1e-13:
            break
    return math.sqrt(lo * hi)


def _best_seconds(fn, repeats: int = 3) -> float:
    best = math.inf
    for _ in range(repeats):
        began = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - began)
    return best


@dataclass(frozen=True)
class SpeedRow:
    """One training-error level: L1 and L2 by coordinate descent and by the exact solver."""

    level: str
    lam_l1: float
    lam_l2: float
    train_mse: float
    l1: Run
    l2: Run
    exact_l1_seconds: float
    exact_l2_seconds: float
    nonzero_l1: int

    @property
    def l1_slower(self) -> bool:
        """Did L1 need more coordinate-descent sweeps than L2 at this training error?"""
        return self.l1.sweeps > self.l2.sweeps


def speed_table(problem: Problem, *, tol: float = 1e-8, levels=LEVELS,
                max_sweeps: int = 20_000) -> list[SpeedRow]:
    """L1 at ``fraction * λ_max`` and L2 at the λ with the same training MSE, timed.

    Both by plain cyclic coordinate descent from 0 to relative KKT residual ``tol``,
    and by regviz's exact solver (``regviz.solvers.solve_at``).
    """
    from regviz.penalties import L1, L2
    from regviz.solvers import lambda_max, solve_at

    l1, l2 = L1(), L2()
    top = lambda_max(problem, l1)
    if not (top > 0 and math.isfinite(top)):
        raise DataError("No feature is correlated with the target: every L1 fit is all zeros.")
    rows = []
    for name, fraction in levels:
        lam1 = fraction * top
        exact1 = solve_at(problem, l1, lam1)
        target = float(problem.mse(exact1))
        lam2 = matched_ridge_lambda(problem, target)
        run1 = coordinate_descent_to_tol(problem, l1, lam1, tol=tol, max_sweeps=max_sweeps)
        run2 = coordinate_descent_to_tol(problem, l2, lam2, tol=tol, max_sweeps=max_sweeps)
        rows.append(SpeedRow(
            level=name, lam_l1=lam1, lam_l2=lam2, train_mse=target, l1=run1, l2=run2,
            exact_l1_seconds=_best_seconds(lambda lam=lam1: solve_at(problem, l1, lam)),
            exact_l2_seconds=_best_seconds(lambda lam=lam2: solve_at(problem, l2, lam)),
            nonzero_l1=int(np.count_nonzero(exact1)),
        ))
    return rows


# ---------------------------------------------------------------------------
# The race on a two-feature problem (the geometry page's data)


METHOD_LABELS = {
    "subgradient": "Subgradient descent (L1)",
    "ista": "Proximal gradient, ISTA (L1)",
    "cd": "Coordinate descent (L1)",
    "gd_l2": "Gradient descent (L2)",
}
"""The methods :func:`race` runs, by key, in the order the lesson shows them."""


@dataclass(frozen=True)
class Race:
    """Four methods' iterates on one problem, their exact optima and objective contours."""

    lam: float
    step_fraction: float
    runs: dict
    exact: dict
    contours: dict


def race(problem: Problem, lam: float, *, step_fraction: float = 1.0, start=(0.0, 0.0),
         steps: int = 40, n_contours: int = 7) -> Race:
    """Subgradient, ISTA and coordinate descent on the L1 objective, gradient descent on L2.

    Steps are ``step_fraction / L`` with L the Lipschitz constant of each method's
    smooth part (the subgradient method's step also decays as 1/sqrt(k+1)).  Exact
    optima come from regviz's solver via ``regviz.geometry.solve``.
    """
    from regviz import geometry as geo
    from regviz.penalties import L1, L2

    if not (0.0 < step_fraction < 2.0):
        raise DataError("The step must be between 0 and 2 (in units of 1/L).")
    l1, l2 = L1(), L2()
    base = lipschitz(problem)
    runs = {
        "subgradient": subgradient_descent(problem, l1, lam, steps=steps,
                                           step=step_fraction / base, start=start),
        "ista": proximal_gradient(problem, l1, lam, steps=steps, step=step_fraction / base,
                                  start=start),
        "cd": coordinate_descent(problem, l1, lam, steps=steps, start=start),
        "gd_l2": gradient_descent(problem, l2, lam, steps=steps,
                                  step=step_fraction / (base + 2.0 * lam), start=start),
    }
    exact = {"l1": geo.solve(problem, l1, lam), "l2": geo.solve(problem, l2, lam)}
    exact_by_method = {k: exact["l2" if k == "gd_l2" else "l1"] for k in runs}
    contours = {}
    for name, pen in (("l1", l1), ("l2", l2)):
        w = exact[name]
        spread = max(float(objective(problem, pen, lam, np.asarray(start, float)))
                     - float(objective(problem, pen, lam, w)), 1e-3)
        offsets = spread * np.geomspace(0.01, 1.5, n_contours)
        contours[name] = geo.penalized_contours(problem, pen, lam, w, offsets)
    contours_by_method = {k: contours["l2" if k == "gd_l2" else "l1"] for k in runs}
    return Race(lam=lam, step_fraction=step_fraction, runs=runs, exact=exact_by_method,
                contours=contours_by_method)
