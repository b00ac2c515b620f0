"""Elastic-net grid values: one linear solve per grid point on a predicted support.

On a support ``A`` with signs ``s`` the elastic-net optimum is one linear
solve, ``(G_AA + lam(1-a) I) v_A = c_A - lam a/2 s_A``, and it is the optimum
exactly when every ``v_A`` keeps its sign and every other coordinate meets its
KKT bound ``|c_j - G_j v| <= lam a/2``.  So the whole cost of a grid point is
finding the support.  Down a log grid the solution and the residual move
smoothly in log lambda, so the last two grid solutions, extrapolated, predict
the next support; one solve checks it.  When the guess is wrong the support is
corrected (wrong-signed coordinates out, KKT violators in) and solved again,
and after a few misses the general active-set method takes over from the
previous exact solution.  Measured at 2000 x 600 (a = 0.5, 60 lambdas) this
needs about one solve per grid point where the active-set method needed four.

The shift ``lam(1-a)`` changes at every grid point, so no factorization
survives from one grid point to the next (numpy has no triangular solve to
reuse a Cholesky factor, and an eigendecomposition, which would serve every
shift, costs about eight solves at k = 550): one O(k^3) solve per grid point
is this route's floor.
"""

from __future__ import annotations

import numpy as np

from regviz.penalties import Penalty
from regviz.preprocessing import Problem

# Tolerance for a KKT violator, relative to the problem's scale (as solvers._ADD_TOL).
_ADD_TOL = 1e-12
# Corrected supports tried before the general active-set method takes over.
_MAX_TRIES = 4
# Doubtful coordinates bordered onto a solve, and how near (in extrapolation steps)
# a status change must be predicted for a coordinate to count as doubtful.
_MAX_DOUBT = 40
_DOUBT_STEPS = 2.5
# Support size from which bordering pays: below it a second solve costs less than
# the bordering's own bookkeeping (measured at 442 x 10 and 1000 x 100).
_BORDER_FROM = 96


def enet_grid_path(problem: Problem, penalty: Penalty, lams: np.ndarray,
                   warm: np.ndarray | None = None) -> np.ndarray:
    """Standardized coefficients (len(lams), p) on descending ``lams``.

    ``warm`` is the exact solution at a lambda at or above ``lams[0]`` (zero is
    exact at lambda_max).  Every returned row passed the exact optimality test
    on its support (or came from solvers' active-set method, which does too).
    """
    from regviz.solvers import _active_set, _ridge_path, _robust, lambda_max

    G, c = problem.gram, problem.corr
    out = np.zeros((lams.size, problem.p))
    v = np.zeros(problem.p) if warm is None else np.where(problem.free, warm, 0.0)
    history = [(None, v, c - G @ v)]
    top = lambda_max(problem, penalty)
    for i, lam in enumerate(lams):
        if lam >= top:
            continue
        if lam == 0.0:
            v = _ridge_path(problem, lams[i : i + 1])[0]
            out[i] = v
            history = [(None, v, c - G @ v)]
            continue
        found = _solve_predicted(problem, penalty, float(lam), history)
        if found is None:
            exact = _active_set(problem, penalty, float(lam), v)
            v = exact if exact is not None else _robust(problem, penalty, float(lam), v)
            found = v, c - G @ v
        v = found[0]
        out[i] = v
        history = [history[-1], (float(np.log(lam)), v, found[1])]
    return out


def _solve_predicted(problem: Problem, penalty: Penalty, lam: float, history):
    """(v, c - G v) on the predicted support, corrected up to _MAX_TRIES times; else None.

    The doubtful coordinates (those the extrapolation puts within a step or
    two of a status change) are bordered onto the confident support, so a
    wrong guess among them is corrected without a second factorization.
    """
    l1, l2 = penalty.weights(lam)
    half_l1 = 0.5 * l1
    add_tol = _ADD_TOL * max(2.0 * float(np.max(np.abs(problem.corr), initial=0.0)), 1e-300)
    signs, doubt = _predicted_signs(problem, lam, half_l1, history)
    if doubt.size and np.count_nonzero(signs) >= _BORDER_FROM:
        found = _bordered_tries(problem, signs, doubt, half_l1, l2, add_tol)
        if found is not None:
            return found
    for _ in range(_MAX_TRIES):
        idx = np.flatnonzero(signs)
        v = np.zeros(problem.p)
        if idx.size:
            u = _restricted_solve(problem, idx, signs[idx], half_l1, l2)
            if u is None:
                return None
            v[idx] = u
            wrong = idx[u * signs[idx] <= 0]
        else:
            wrong = idx
        resid, violators = _violators(problem, v, signs, half_l1, add_tol)
        if wrong.size == 0 and violators.size == 0:
            return v, resid
        signs[wrong] = 0.0
        signs[violators] = np.sign(resid[violators])
    return None


def _violators(problem: Problem, v: np.ndarray, signs: np.ndarray, half_l1: float,
               add_tol: float):
    """(c - G v, the coordinates off the support whose KKT bound v breaks)."""
    resid = problem.corr - problem.gram @ v
    excess = np.abs(resid) - half_l1
    excess[(signs != 0) | ~problem.free] = -np.inf
    return resid, np.flatnonzero(excess > add_tol)


def _bordered_tries(problem: Problem, signs: np.ndarray, doubt: np.ndarray, half_l1: float,
                    l2: float, add_tol: float):
    """(v, c - G v) with the confident support fixed and ``doubt`` settled by Schur; or None.

    One solve with the confident block gives its solution x0 and Y = K^-1 G[A0, B];
    any subset T of the doubtful B is then an |T| x |T| Schur system.  None when
    a confident coordinate changes sign or a violator lies outside B; ``signs``
    then holds the corrected guess (flipped coordinates out, violators in), so
    the caller's next solve starts from what this one learned.
    """
    G, c = problem.gram, problem.corr
    base = np.setdiff1d(np.flatnonzero(signs), doubt)
    cross = G[base][:, doubt]
    X = factor_solve(problem, base, l2, np.column_stack([c[base] - half_l1 * signs[base],
                                                         cross]))
    if X is None:
        return None
    x0, Y = X[:, 0], X[:, 1:]
    schur = G[doubt][:, doubt] - cross.T @ Y
    schur.flat[:: doubt.size + 1] += l2
    rhs0 = c[doubt] - cross.T @ x0
    for _ in range(_MAX_TRIES):
        T = np.flatnonzero(signs[doubt])
        vT = np.zeros(0)
        if T.size:
            try:
                vT = np.linalg.solve(schur[np.ix_(T, T)], rhs0[T] - half_l1 * signs[doubt[T]])
            except np.linalg.LinAlgError:
                return None
        v = np.zeros(problem.p)
        v[base] = x0 - Y[:, T] @ vT
        v[doubt[T]] = vT
        if not np.all(np.isfinite(v)):
            return None
        wrong = np.flatnonzero((v * signs <= 0) & (signs != 0))
        resid, violators = _violators(problem, v, signs, half_l1, add_tol)
        if wrong.size == 0 and violators.size == 0:
            return v, resid
        settled_here = np.isin(wrong, doubt).all() and np.isin(violators, doubt).all()
        signs[wrong] = 0.0
        signs[violators] = np.sign(resid[violators])
        if not settled_here:
            return None
    return None


def _predicted_signs(problem: Problem, lam: float, half_l1: float, history):
    """(signs of the support expected at lam, the doubtful coordinates, most doubtful first).

    With two earlier solutions, coefficients and residuals are extrapolated
    linearly in log lambda, and a coordinate is doubtful when its predicted
    distance from a status change is under two steps of the extrapolation; with
    one, its support plus the coordinates whose residual already breaks the new
    bound, and no doubts.
    """
    (x1, v1, r1), (x2, v2, r2) = history[0], history[-1]
    two = x1 is not None and x2 is not None and len(history) == 2
    if two:
        t = (np.log(lam) - x2) / (x2 - x1)
        v_pred, r_pred = v2 + t * (v2 - v1), r2 + t * (r2 - r1)
    else:
        v_pred, r_pred = v2, r2
    signs = np.where(v_pred * np.sign(v2) > 0, np.sign(v2), 0.0)
    out = v2 == 0
    enter = out & problem.free & (np.abs(r_pred) > half_l1)
    signs[enter] = np.sign(r_pred[enter])
    if not two:
        return signs, np.zeros(0, dtype=int)
    with np.errstate(divide="ignore", invalid="ignore"):
        margin = np.where(out, np.abs(np.abs(r_pred) - half_l1) / np.abs(r_pred - r2),
                          np.abs(v_pred) / np.abs(v_pred - v2))
    margin[~problem.free | ~np.isfinite(margin)] = np.inf
    near = np.flatnonzero(margin < _DOUBT_STEPS)
    near = near[np.argsort(margin[near])][:_MAX_DOUBT]
    return signs, np.sort(near)


def _restricted_solve(problem: Problem, idx: np.ndarray, signs: np.ndarray, half_l1: float,
                      l2: float) -> np.ndarray | None:
    """The stationary point on support idx with these signs; None if the block is singular."""
    return factor_solve(problem, idx, l2, problem.corr[idx] - half_l1 * signs)


def factor_solve(problem: Problem, idx: np.ndarray, l2: float, rhs: np.ndarray):
    """(G_AA + l2 I)^-1 rhs on support idx, or None if singular: the route's one O(k^3) step.

    Public so that benchmarks/scale.py can count and time the factorizations.
    """
    system = problem.gram[idx][:, idx]
    system.flat[:: idx.size + 1] += l2
    try:
        out = np.linalg.solve(system, rhs)
    except np.linalg.LinAlgError:
        return None
    return out if np.all(np.isfinite(out)) else None
