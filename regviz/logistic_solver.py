"""Exact L1, L2 and elastic-net logistic regression at one lambda: Newton on the support.

The objective, with y in {0, 1} and ``eta = b + x.w``::

    L(w, b) = mean_i [log(1 + exp(eta_i)) - y_i*eta_i] + lam * P(w)

is the mean log-loss plus the same penalty as the regression lessons, on the
same standardized columns, with the intercept unpenalized.

Exact in the same sense as the least-squares solver: given the support and
the signs, the optimum minimises a smooth convex function, so Newton's method
on the support (IRLS weights from the data fit) converges to machine
precision.  An active-set outer loop adds KKT violators and drops a
coordinate at the point where it would cross zero, so zeros are exactly 0.0
and the objective never rises.  Every solution carries its KKT residual.

The path, the grid and the result objects are in ``logistic_path``.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from regviz.errors import ConvergenceWarning
from regviz.logistic_problem import LogisticProblem
from regviz.penalties import Penalty

# What we promise: relative KKT residual of every returned solution.
KKT_TOL = 1e-9


# A zero coordinate enters when its KKT violation exceeds this (relative).
_ADD_TOL = 1e-12


# Newton on the support stops at this relative gradient (or at the rounding floor).
_NEWTON_TOL = 1e-14


# glmnet's devmax: a fit explaining this much of the null log-loss has separated the classes.
DEVIANCE_RATIO_STOP = 0.999


# Supports at least this wide reuse the curvature product along the path (chord steps).
_CHORD_MIN = 64


# ----------------------------------------------------------------------------- optimality


def kkt_residual(prob: LogisticProblem, pen: Penalty, lam: float, v: np.ndarray,
                 b: float) -> float:
    """Largest distance from optimality (coefficients and intercept), relative to the scale."""
    r = prob.datafit.raw_grad(prob.y, b + prob.Z @ v)
    grad = prob.Z.T @ r / prob.n
    dist = pen.subdiff_distance(v, grad, lam)
    worst = max(float(np.max(dist, initial=0.0)), abs(float(r.mean())))
    return worst / prob.gradient_scale()


def objective(prob: LogisticProblem, pen: Penalty, lam: float, v: np.ndarray, b: float) -> float:
    return float(prob.datafit.value(prob.y, b + prob.Z @ v)) + lam * pen.value(v)


def lambda_max_of(prob: LogisticProblem, pen: Penalty) -> float:
    """Smallest lambda with every coefficient zero: max|z_j.(y - ybar)|/n / a (inf for L2)."""
    return prob.datafit.lambda_max(prob.Z, prob.y, pen)


# ----------------------------------------------------------------------------- Newton


class _Support:
    """The support's columns of Z, gathered once while the support stays the same."""

    def __init__(self, prob: LogisticProblem, idx: np.ndarray):
        self.idx = idx
        self.ZA = prob.Z if idx.size == prob.k else prob.Z[:, idx]
        self._prob = prob
        self._K = None

    def rows_gram(self) -> np.ndarray:
        if self._K is None:
            same = self.idx.size == self._prob.k
            self._K = self._prob.gram_rows() if same else self.ZA @ self.ZA.T
        return self._K


def _woodbury_solve(sup: _Support, h: np.ndarray, c: float, rhs: np.ndarray) -> np.ndarray:
    """(ZA' diag(h) ZA / n + c I)^-1 rhs through the n x n side, for supports wider than tall."""
    ZA = sup.ZA
    n = ZA.shape[0]
    q = np.sqrt(h)
    Q = np.outer(q, q) * sup.rows_gram() / n
    Q.flat[:: n + 1] += c
    inner = _spd_solve(Q, q[:, None] * (ZA @ rhs))
    return (rhs - ZA.T @ (q[:, None] * inner) / n) / c


def _spd_solve(M: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """Solve with a symmetric positive (semi-)definite M; a tiny shift if it is singular."""
    try:
        x = np.linalg.solve(M, rhs)
        if np.all(np.isfinite(x)):
            return x
    except np.linalg.LinAlgError:
        pass
    shift = 1e-12 * max(float(np.trace(M)) / max(M.shape[0], 1), 1e-300)
    return np.linalg.lstsq(M + shift * np.eye(M.shape[0]), rhs, rcond=None)[0]


def _curvature(prob: LogisticProblem, sup: _Support, h: np.ndarray, reuse: bool):
    """(ZA' diag(h) ZA / n, ZA' h / n, mean h, whether it is from an earlier point).

    The n*k^2 product is the dominant cost of a Newton step on tall data.  Along a path the
    weights change little, so the last product on the same support may stand in for the
    current one (a chord step: still a descent direction, linear but fast convergence);
    the caller asks for a fresh one whenever a chord step gains less than 10x.
    """
    cached = prob.cache.get("curvature")
    reuse = reuse and sup.idx.size >= _CHORD_MIN  # below it, the product costs little
    if reuse and cached is not None and np.array_equal(cached[0], sup.idx):
        return cached[1], cached[2], cached[3], True
    ZA, n = sup.ZA, prob.n
    fresh = ((ZA.T * h) @ ZA / n, ZA.T @ h / n, float(h.sum()) / n)
    prob.cache["curvature"] = (sup.idx.copy(), *fresh)
    return (*fresh, False)


def _newton_direction(prob: LogisticProblem, sup: _Support, h, c, g_u, g_b, reuse: bool):
    """(d_u, d_b, chord?): the Newton step on the support and the intercept, intercept eliminated.

    The ridge part ``c`` is added to the curvature at every step (it changes with lambda).
    """
    n, k = sup.ZA.shape
    if k > n and c > 0:
        m, s = sup.ZA.T @ h / n, float(h.sum()) / n
        x = _woodbury_solve(sup, h, c, np.column_stack([g_u, m]))
        chord = False
    else:
        D, m, s, chord = _curvature(prob, sup, h, reuse)
        M = D.copy()
        M.flat[:: k + 1] += c
        x = _spd_solve(M, np.column_stack([g_u, m]))
    schur = s - float(m @ x[:, 1])
    d_b = (-g_b + float(m @ x[:, 0])) / max(schur, 1e-300 + 1e-14 * s)
    return -x[:, 0] - x[:, 1] * d_b, d_b, chord


class _Smooth:
    """The objective on a fixed support with fixed signs: smooth and convex."""

    def __init__(self, prob, pen, lam):
        self.prob, self.df = prob, prob.datafit
        self.l1, self.l2 = pen.weights(lam)

    def value(self, eta, u, s) -> float:
        return float(self.df.value(self.prob.y, eta)) + self.l1 * float(s @ u) + self.l2 * float(
            u @ u)


def _newton_on_support(prob, pen, lam, v, b, active, signs):
    """Minimise on ``active`` with the signs fixed; drop a coordinate where it reaches zero.

    Returns (v, b, active).  Entrants (at 0) whose Newton step points against their sign
    leave before any step is taken, so every step stays in the signs' orthant.
    """
    n, y, df = prob.n, prob.y, prob.datafit
    sm = _Smooth(prob, pen, lam)
    tol = _NEWTON_TOL * prob.gradient_scale()
    sup = None
    best = last = math.inf
    stalls = 0
    chord = False
    for _ in range(300):
        idx = np.flatnonzero(active)
        if sup is None or not np.array_equal(sup.idx, idx):
            sup = _Support(prob, idx)
        u, s = v[idx], signs[idx]
        eta = b + sup.ZA @ u
        r, h = df.derivatives(y, eta)
        g_u = sup.ZA.T @ r / n + sm.l1 * s + 2.0 * sm.l2 * u
        g_b = float(r.mean())
        gnorm = max(float(np.max(np.abs(g_u), initial=0.0)), abs(g_b))
        if gnorm <= tol:
            break
        # Near the rounding floor a gradient that stops halving cannot be lowered further;
        # far from it, damped steps may shrink it slowly, and the loop goes on.
        near_floor = gnorm <= 1e-6 * prob.gradient_scale()
        stalls = stalls + 1 if near_floor and gnorm >= 0.5 * best else 0
        best = min(best, gnorm)
        if stalls >= 3:
            break
        reuse = not (chord and gnorm > 0.1 * last)  # a slow chord step: refresh the curvature
        last = gnorm
        d_u, d_b, chord = _newton_direction(prob, sup, h, 2.0 * sm.l2, g_u, g_b, reuse)
        if sm.l1 > 0:
            wrong = (u == 0) & (d_u * s <= 0)
            if wrong.any():
                active[idx[wrong]] = False
                v[idx[wrong]] = 0.0
                continue
        slope = float(g_u @ d_u) + g_b * d_b
        if not slope < 0 or not np.all(np.isfinite(d_u)):
            break
        t_max, hits = _crossing(u, d_u, s) if sm.l1 > 0 else (1.0, None)
        dz = sup.ZA @ d_u + d_b
        t = _armijo(sm, eta, dz, u, d_u, s, slope, t_max)
        if t == 0.0:  # no step lowers the objective: rounding has the last word
            break
        v[idx] = u + t * d_u
        b = b + t * d_b
        if hits is not None and t == t_max and t_max < 1.0:
            gone = idx[hits]
            v[gone] = 0.0
            active[gone] = False
    return v, b, active


def _crossing(u, d, s):
    """Largest step before a coordinate on the support reaches zero, and which ones reach it."""
    toward = d * s < 0
    if not toward.any():
        return 1.0, None
    with np.errstate(divide="ignore"):
        frac = np.where(toward, -u / np.where(toward, d, 1.0), np.inf)
    t = float(frac.min())
    if t >= 1.0:
        return 1.0, None
    return t, toward & (frac <= t)


def _armijo(sm: _Smooth, eta, dz, u, d_u, s, slope, t_max):
    """Backtracking on the smooth objective from the largest allowed step."""
    f0 = sm.value(eta, u, s)
    allowance = 1e-15 * abs(f0)
    t = t_max
    for _ in range(60):
        if sm.value(eta + t * dz, u + t * d_u, s) <= f0 + 1e-4 * t * slope + allowance:
            return t
        t *= 0.5
    return 0.0


# ----------------------------------------------------------------------------- one lambda


def solve_one_lambda(prob: LogisticProblem, pen: Penalty, lam: float, v: np.ndarray, b: float):
    """Exact minimiser at one lambda from a warm start: Newton on the support, violators in."""
    l1, _ = pen.weights(lam)
    if l1 == 0 and prob.k > prob.n:
        small, V = prob.row_space()
        theta, b = solve_one_lambda(small, pen, lam, V.T @ v, b)
        return V @ theta, b
    v = v.copy()
    active = np.ones(prob.k, dtype=bool) if l1 == 0 else v != 0
    signs = np.sign(v)
    add_tol = _ADD_TOL * prob.gradient_scale()
    one_at_a_time = False
    for _ in range(4 * prob.k + 50):
        v, b, active = _newton_on_support(prob, pen, lam, v, b, active, signs)
        if l1 == 0:
            return v, b
        grad = prob.Z.T @ prob.datafit.raw_grad(prob.y, b + prob.Z @ v) / prob.n
        dist = np.where(active, 0.0, np.maximum(np.abs(grad) - l1, 0.0))
        if not np.any(dist > add_tol):
            return v, b
        entering = np.flatnonzero(dist > add_tol)
        if one_at_a_time:
            entering = entering[[int(np.argmax(dist[entering]))]]
        signs[entering] = -np.sign(grad[entering])
        before = active.copy()
        active[entering] = True
        v_next, b_next, active_next = _newton_on_support(prob, pen, lam, v, b, active, signs)
        if not np.any(active_next & ~before):
            if one_at_a_time:  # even the worst violator alone will not move: a rounding tie
                return v_next, b_next
            one_at_a_time = True
        v, b, active = v_next, b_next, active_next
    return v, b


def solve_checked(prob, pen, lam, v, b):
    """solve_one_lambda, with a cold restart if the warm start fell short; warns if still short."""
    v1, b1 = solve_one_lambda(prob, pen, lam, v, b)
    res = kkt_residual(prob, pen, lam, v1, b1)
    if res > KKT_TOL:
        v2, b2 = solve_one_lambda(prob, pen, lam, np.zeros(prob.k), prob.intercept_at_zero())
        res2 = kkt_residual(prob, pen, lam, v2, b2)
        if res2 < res:
            v1, b1, res = v2, b2, res2
    if res > KKT_TOL:
        warnings.warn(f"Logistic solver stopped at relative KKT residual {res:.2e} "
                      f"(> {KKT_TOL:g}) at lambda={lam:g}.", ConvergenceWarning, stacklevel=3)
    return v1, b1, res


def unpenalized_fit(prob: LogisticProblem, pen: Penalty, v, b):
    """lambda = 0: the maximum-likelihood fit, or SeparableError when the classes separate."""
    v, b = solve_one_lambda(prob, pen, 0.0, v, b)
    loss = float(prob.datafit.value(prob.y, b + prob.Z @ v))
    null = null_log_loss(prob)
    if null > 0 and 1.0 - loss / null >= DEVIANCE_RATIO_STOP:
        raise SeparableError(loss)
    return v, b


class SeparableError(Exception):
    """The fit has (nearly) separated the classes: no finite unpenalized optimum."""


def null_log_loss(prob: LogisticProblem) -> float:
    eta = np.full(prob.n, prob.intercept_at_zero())
    return float(prob.datafit.value(prob.y, eta))
