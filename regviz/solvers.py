"""Exact solvers for ``v'Gv - 2c'v + lam*P(v)`` in standardized coordinates.

* No L1 part (ridge): one symmetric eigendecomposition of the Gram gives
  every lambda in closed form (one lambda alone: one linear solve).
* L1: the exact homotopy (regviz.homotopy.lasso_homotopy, LARS with the
  lasso's drop step) on a block inverse updated by Schur complements
  (regviz.block_inverse), which also yields every knot of the path.
* Elastic net: one solve per grid point on a support predicted from the last
  two (regviz.enet_path), checked by KKT; the active-set method below when
  the prediction cannot be corrected cheaply, and under 100 columns.
* L1 where the homotopy cannot proceed (a joining column in the span of the
  support), and elastic net's fallback: an active-set method.  Given the support and the
  signs, the optimum is one linear solve; the method moves from a
  sign-consistent point towards that solve, drops a coordinate that would
  cross zero, and adds the worst KKT violator, one at a time (Lawson and
  Hanson's scheme for sign-constrained least squares).  Warm-started down a
  lambda grid, each step needs a solve or two, and the answer is exact up to
  rounding: zeros are exactly 0.0.  Coordinate descent is kept as the
  fallback for the rare degenerate case, followed by the same exact polish.

Every path is certified: rows whose KKT residual exceeds KKT_TOL are solved
again by the fallback.
"""

from __future__ import annotations

import warnings

import numpy as np

from regviz.errors import ConvergenceWarning
from regviz.penalties import Penalty
from regviz.preprocessing import Problem

# Inner tolerance for adding a violator, relative to the problem's scale.
_ADD_TOL = 1e-12
# What we promise: relative KKT residual of every returned solution.
KKT_TOL = 1e-9
# Columns from which elastic net's predicted-support route (regviz.enet_path) beats
# the active set's cached block: 60-point paths at 1000 rows took 3.5 vs 1.4 ms at
# 10 columns, 8.9 vs 8.5 ms at 100 and 27.5 vs 40.2 ms at 200.
_PREDICTED_FROM = 100


def kkt_scale(problem: Problem) -> float:
    """Natural scale of the gradient: its size at w = 0 (2 max|c|), never 0."""
    return max(2.0 * float(np.max(np.abs(problem.corr), initial=0.0)), 1e-300)


def kkt_residual(problem: Problem, penalty: Penalty, lam: float, v: np.ndarray) -> float:
    """Largest distance from optimality over coordinates, relative to kkt_scale."""
    return float(kkt_residuals(problem, penalty, np.array([lam]), v[None, :])[0])


def kkt_residuals(problem: Problem, penalty: Penalty, lams: np.ndarray, V: np.ndarray,
                  VG: np.ndarray | None = None):
    """kkt_residual for every row of V (one solution per lambda), in one pass.

    ``VG`` (= V @ G) may be passed when the caller already has it.
    """
    if VG is None:
        VG = V @ problem.gram
    grad = 2.0 * (VG - problem.corr)
    dist = penalty.subdiff_distance(V, grad, np.asarray(lams, dtype=float)[:, None])
    dist[:, ~problem.free] = 0.0
    return dist.max(axis=1, initial=0.0) / kkt_scale(problem)


def lambda_max(problem: Problem, penalty: Penalty) -> float:
    """Smallest lambda at which every coefficient is exactly zero (inf for ridge)."""
    return penalty.alpha_max(-2.0 * problem.corr)


def solve_path(
    problem: Problem, penalty: Penalty, lams: np.ndarray, warm: np.ndarray | None = None
) -> np.ndarray:
    """Standardized coefficients (len(lams), p) for descending lams, warm-started.

    ``warm`` must be the exact solution at a lambda at or above ``lams[0]``
    (zero, the default, is exact at lambda_max).
    """
    return solve_path_checked(problem, penalty, lams, warm)[0]


def solve_path_checked(
    problem: Problem, penalty: Penalty, lams: np.ndarray, warm: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(V, KKT residual per lambda, V @ G): the path with its certificate of optimality."""
    return solve_path_knots(problem, penalty, lams, warm)[:3]


def solve_path_knots(problem: Problem, penalty: Penalty, lams: np.ndarray,
                     warm: np.ndarray | None = None):
    """solve_path_checked plus the path's knots [(lambda, j, +1 join / -1 leave)] when known.

    L1 runs the exact homotopy (regviz.homotopy.lasso_homotopy), which yields
    every knot; where it cannot proceed, and for elastic net, the active-set
    method solves each grid point and the knots are None.
    """
    from regviz.enet_path import enet_grid_path  # both build on this module
    from regviz.homotopy import lasso_homotopy

    lams = np.asarray(lams, dtype=float)
    knots = None
    if penalty.is_smooth:
        out = _ridge_path(problem, lams)
    else:
        walked = lasso_homotopy(problem, lams) if penalty.is_pure_l1 else None
        if walked is not None:
            out, knots = walked
            zero = lams == 0.0  # lambda = 0 is least squares (minimum norm), as elsewhere
            if zero.any():
                out[zero] = _ridge_path(problem, lams[zero])
        elif penalty.is_pure_l1 or problem.p < _PREDICTED_FROM:
            out = _lasso_like_path(problem, penalty, lams, warm)
        else:
            out = enet_grid_path(problem, penalty, lams, warm)
    VG = out @ problem.gram
    kkt = kkt_residuals(problem, penalty, lams, out, VG)
    bad = np.flatnonzero((kkt > KKT_TOL) & (lams > 0))
    if bad.size and penalty.has_l1_part:
        for i in bad:
            out[i] = _robust(problem, penalty, lams[i], out[i])
        VG[bad] = out[bad] @ problem.gram
        kkt[bad] = kkt_residuals(problem, penalty, lams[bad], out[bad], VG[bad])
        knots = None
    return out, kkt, VG, knots


def _lasso_like_path(problem, penalty, lams, warm) -> np.ndarray:
    out = np.zeros((lams.size, problem.p))
    v = np.zeros(problem.p) if warm is None else warm
    top = lambda_max(problem, penalty)
    support = _SupportCache(problem, np.zeros(problem.p))
    for i, lam in enumerate(lams):
        if lam >= top:
            continue
        if lam == 0.0:
            v = _ridge_path(problem, lams[i : i + 1])[0]
        else:
            fast = support.try_step(penalty, lam)
            if fast is not None:
                out[i] = v = fast
                continue
            found = _active_set(problem, penalty, lam, v)
            v = found if found is not None else _robust(problem, penalty, lam, v)
            support = _SupportCache(problem, v)
        out[i] = v
    return out


def solve_at(problem: Problem, penalty: Penalty, lam: float, warm: np.ndarray | None = None):
    """Exact standardized solution at one lambda, optionally warm-started."""
    if penalty.is_smooth or lam == 0.0:
        return _ridge_path(problem, np.array([lam]))[0]
    if lam >= lambda_max(problem, penalty):
        return np.zeros(problem.p)
    start = np.zeros(problem.p) if warm is None else np.where(problem.free, warm, 0.0)
    v = _active_set(problem, penalty, lam, start)
    if v is not None and kkt_residual(problem, penalty, lam, v) <= KKT_TOL:
        return v
    return _robust(problem, penalty, lam, start if v is None else v)


def _robust(problem: Problem, penalty: Penalty, lam: float, start: np.ndarray) -> np.ndarray:
    """Coordinate descent, then the exact polish; warns if still short of KKT_TOL."""
    v = _coordinate_descent(problem, penalty, lam, start)
    res = kkt_residual(problem, penalty, lam, v)
    polished = _active_set(problem, penalty, lam, v)
    if polished is not None:
        res_polished = kkt_residual(problem, penalty, lam, polished)
        if res_polished <= res:
            v, res = polished, res_polished
    if res > KKT_TOL:
        warnings.warn(
            f"Solver stopped at relative KKT residual {res:.2e} (> {KKT_TOL:g}) at lambda={lam:g}; "
            "the data may be nearly collinear.",
            ConvergenceWarning,
            stacklevel=3,
        )
    return v


class _SupportCache:
    """The active block of the Gram, gathered once and reused down the grid.

    While the support and signs stay the same, the solution at a new lambda
    is one small linear solve and one matrix-vector product.  Columns that
    start to violate KKT are appended to the block in place; only when a
    coefficient would have to leave (a sign change) does the general
    active-set method run.
    """

    def __init__(self, problem: Problem, v: np.ndarray):
        self.problem = problem
        # Beyond n - 1 columns a lasso block is singular: leave those cases to _active_set.
        self.max_size = problem.n - 1 if problem.fit_intercept else problem.n
        self._set(np.flatnonzero(v), np.sign(v[v != 0]))
        self.add_tol = _ADD_TOL * kkt_scale(problem)

    def _set(self, idx: np.ndarray, signs: np.ndarray) -> None:
        G = self.problem.gram
        self.idx, self.signs = idx, signs
        self.block = G[np.ix_(idx, idx)]
        self.corr = self.problem.corr[idx]
        self.cols = G[:, idx]
        self.others = self.problem.free.copy()
        self.others[idx] = False

    def try_step(self, penalty: Penalty, lam: float) -> np.ndarray | None:
        """The exact solution at lam if no coefficient must leave the support, else None."""
        l1, l2 = penalty.weights(lam)
        half_l1 = 0.5 * l1
        for _ in range(6):
            k = self.idx.size
            if k:
                system = self.block.copy()
                system.flat[:: k + 1] += l2
                try:
                    u = np.linalg.solve(system, self.corr - half_l1 * self.signs)
                except np.linalg.LinAlgError:
                    return None
                if not np.all(u * self.signs > 0):
                    return None
                resid = self.problem.corr - self.cols @ u
            else:
                u, resid = np.zeros(0), self.problem.corr
            excess = np.abs(resid) - half_l1
            excess[~self.others] = -np.inf
            viol = np.flatnonzero(excess > self.add_tol)
            if viol.size == 0:
                v = np.zeros(self.problem.p)
                v[self.idx] = u
                return v
            if l2 == 0.0 and k + viol.size > self.max_size - 1:
                return None
            self._set(np.concatenate([self.idx, viol]),
                      np.concatenate([self.signs, np.sign(resid[viol])]))
        return None


def _ridge_path(problem: Problem, lams: np.ndarray) -> np.ndarray:
    """(G + lam I)^-1 c for every lam from one eigendecomposition; lam = 0 is min-norm OLS.

    A single lambda on a well-posed block is one Cholesky-screened solve instead
    (at 1000 columns the eigendecomposition costs as much as twenty solves).
    """
    if lams.size == 1:
        free = np.flatnonzero(problem.free)
        system = problem.gram[free][:, free]
        system.flat[:: free.size + 1] += lams[0]
        solved, _ = _solve_or_null_direction(system, problem.corr[free]) if free.size else (
            np.zeros(0), None)
        if solved is not None:
            out = np.zeros((1, problem.p))
            out[0, free] = solved
            return out
    evals, evecs = np.linalg.eigh(problem.gram)
    evals = np.maximum(evals, 0.0)
    proj = evecs.T @ problem.corr
    floor = max(float(evals.max(initial=0.0)), 1e-300) * problem.p * np.finfo(float).eps
    denom = evals[None, :] + lams[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(denom > floor, 1.0 / denom, 0.0)
    return (factor * proj) @ evecs.T


def _active_set(problem: Problem, penalty: Penalty, lam: float, start: np.ndarray):
    """Exact solve by sign-constrained active set; None if it cannot proceed.

    Violators enter in batches (many enter between two grid points of a wide
    problem); a coordinate whose restricted optimum has the wrong sign is
    dropped at the point where it reaches zero, so the objective never rises.

    Long because the loop's state (active set, signs, the blocked and fresh
    coordinates, the batch size) changes together in every branch; split into
    helpers it would travel as a bundle of eight values and the invariant that
    the objective never rises would no longer be readable in one place.
    """
    G, c = problem.gram, problem.corr
    l1, l2 = penalty.weights(lam)
    half_l1 = 0.5 * l1
    add_tol = _ADD_TOL * kkt_scale(problem)
    v = start.copy()
    signs = np.sign(v)
    active = v != 0
    blocked = np.zeros(problem.p, dtype=bool)
    fresh = np.zeros(problem.p, dtype=bool)
    batch = 64
    for _ in range(20 * problem.p + 200):
        idx = np.flatnonzero(active)
        if idx.size:
            system = G[np.ix_(idx, idx)]
            system.flat[:: idx.size + 1] += l2
            rhs = c[idx] - half_l1 * signs[idx]
            null = None
            if l2 == 0.0 and fresh.any():
                # A new column may lie in the span of the active ones (p > n, copies):
                # then the block is singular and a plain solve returns noise.
                u, null = _solve_or_null_direction(system, rhs)
            else:
                try:
                    u = np.linalg.solve(system, rhs)
                except np.linalg.LinAlgError:
                    u = None
            if null is not None:
                if fresh.sum() > 1:
                    active[fresh], fresh[:] = False, False
                    batch = 1
                    continue
                if not _swap_along_null(v, idx, signs, null, fresh, active):
                    active[fresh], blocked[fresh], fresh[:] = False, True, False
                    continue
                blocked[:] = False
                fresh[:] = False
                continue
            if u is None or not np.all(np.isfinite(u)):
                if not fresh.any():
                    return None
                active[fresh], blocked[fresh], fresh[:] = False, True, False
                batch = 1
                continue
            wrong = u * signs[idx] <= 0
            if wrong.any():
                cur = v[idx]
                gap = cur[wrong] - u[wrong]
                frac = np.ones(idx.size)
                frac[wrong] = np.divide(cur[wrong], gap, out=np.zeros_like(gap), where=gap != 0)
                step = float(np.min(frac))
                if step > 0:
                    blocked[:] = False
                v[idx] = cur + step * (u - cur)
                hit = idx[wrong & (frac <= step)]
                v[hit], active[hit] = 0.0, False
                if step == 0 and fresh.sum() > 1:
                    batch = 1  # a batch entered together; let its members enter one by one
                elif step == 0:
                    blocked[hit] = True  # entered alone with the wrong sign: a tie, not a violator
                fresh[:] = False
                continue
            v[idx] = u
        fresh[:] = False
        v[~active] = 0.0
        resid = c - G[:, idx] @ v[idx] if idx.size else c.copy()
        excess = np.abs(resid) - half_l1
        excess[active | blocked | ~problem.free] = -np.inf
        viol = np.flatnonzero(excess > add_tol)
        if viol.size == 0:
            return v
        pick = viol[np.argsort(-excess[viol])[:batch]]
        active[pick], fresh[pick] = True, True
        signs[pick] = np.sign(resid[pick])
    return None


def _solve_or_null_direction(system: np.ndarray, rhs: np.ndarray):
    """(solution, None) for a well-posed block, (None, null vector) for a singular one.

    A Cholesky factor screens cheaply: a Gram block with a column in the span
    of the others has a vanishing pivot.  Only then is the eigendecomposition
    needed, for the direction along which the fit does not change.
    """
    try:
        pivots = np.diag(np.linalg.cholesky(system))
        if pivots.min() ** 2 > 1e-11 * max(float(np.diag(system).max()), 1e-300):
            return np.linalg.solve(system, rhs), None
    except np.linalg.LinAlgError:
        pass
    evals, evecs = np.linalg.eigh(system)
    if evals[0] <= 1e-11 * max(evals[-1], 1e-300):
        return None, evecs[:, 0]
    return evecs @ ((evecs.T @ rhs) / evals), None


def _swap_along_null(v, idx, signs, null, fresh, active) -> bool:
    """LARS's drop step: slide along a direction that leaves the fit unchanged.

    Moving along ``null`` keeps Zv fixed, so only the L1 term changes, and
    in the direction that lets the new column enter with its sign that term
    falls; slide until an old column reaches zero, and drop it.
    """
    pos = int(np.flatnonzero(fresh[idx])[0])
    d = null * np.sign(null[pos] * signs[idx[pos]] or 1.0)
    if abs(d[pos]) < 1e-12:
        return False
    cur = v[idx]
    shrinking = (cur * d < 0) & (np.arange(idx.size) != pos)
    if not shrinking.any():
        return False
    frac = np.full(idx.size, np.inf)
    frac[shrinking] = -cur[shrinking] / d[shrinking]
    k = int(np.argmin(frac))
    v[idx] = cur + frac[k] * d
    v[idx[k]] = 0.0
    active[idx[k]] = False
    return True


def _coordinate_descent(problem: Problem, penalty: Penalty, lam: float, v: np.ndarray):
    """Cyclic coordinate descent on the Gram: slow but always converges."""
    G, c = problem.gram, problem.corr
    v = v.copy()
    q = c - G @ v
    diag = np.diag(G)
    coords = np.flatnonzero(problem.free)
    max_sweeps = max(50, min(20_000, 20_000_000 // max(coords.size * problem.p, 1)))
    for _ in range(max_sweeps):
        biggest = 0.0
        for j in coords:
            old = v[j]
            new = penalty.prox_1d(q[j] + diag[j] * old, diag[j], lam)
            if new != old:
                q -= G[:, j] * (new - old)
                v[j] = new
                biggest = max(biggest, abs(new - old))
        if biggest <= 1e-15 * max(float(np.max(np.abs(v))), 1e-300):
            break
    return v
