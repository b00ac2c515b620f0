"""The exact L1 path by homotopy, and entry lambdas read off its knots.

LARS with the lasso's drop step (``lasso_homotopy``) follows the L1 path
knot by knot on a block inverse kept by Schur complements
(``regviz.block_inverse``); each knot is a coordinate joining or leaving, so
an L1 feature's entry lambda is one of its join knots (``entries_from_knots``).
Elastic net's path is not piecewise linear in lambda: its entries are walked
on the closed form between grid points (``regviz.entry_walk``).
"""

from __future__ import annotations

import math

import numpy as np

from regviz.block_inverse import BlockInverse
from regviz.entry_walk import entry_lambdas_walked
from regviz.penalties import Penalty
from regviz.preprocessing import Problem
from regviz.solvers import lambda_max


def entries_from_knots(problem: Problem, pen: Penalty, lams: np.ndarray, std: np.ndarray,
                       knots: list[tuple[float, int, int]]) -> np.ndarray:
    """Entry lambdas read off the homotopy's join knots, bracketed by the grid.

    A feature's entry is its first (largest) join knot between the first grid
    point where it is non-zero and the grid point before it; one the knots do
    not place is walked as in entry_lambdas_walked.
    """
    out = np.full(problem.p, np.nan)
    top = lambda_max(problem, pen)
    on = std != 0
    first = np.where(on.any(axis=0), np.argmax(on, axis=0), -1)
    out[first == 0] = min(float(lams[0]), top)
    joins: dict[int, list[float]] = {}
    for lam, j, kind in knots:
        if kind > 0:
            joins.setdefault(j, []).append(lam)
    missing = []
    for j in np.flatnonzero(first > 0):
        i = int(first[j])
        hi, lo = min(float(lams[i - 1]), top), float(lams[i])
        inside = [lam for lam in joins.get(int(j), []) if lo < lam <= hi]
        if inside:
            out[j] = max(inside)
        else:
            missing.append(int(j))
    if missing:
        walked = entry_lambdas_walked(problem, pen, lams, std, only=missing)
        out[missing] = walked[missing]
    return out


def lasso_homotopy(problem: Problem, lams: np.ndarray):
    """(V, knots) of the L1 path on descending ``lams``, or None where it cannot proceed.

    LARS with the lasso's drop step: on each support the solution moves
    linearly in lambda, ``v_A(lam) = G_AA^-1 (c_A - lam/2 s_A)``, so the next
    knot (a coordinate reaching its KKT bound, or an active one reaching zero)
    is a ratio, not a search.  Grid values are read off the segments and
    re-solved once on their support; ``knots`` lists (lambda, j, +1 join / -1 leave).
    None when a joining column lies in the span of the support (p > n, copies):
    the active-set solver handles those.
    """
    G, c = problem.gram, problem.corr
    lams = np.asarray(lams, dtype=float)
    out = np.zeros((lams.size, problem.p))
    knots: list[tuple[float, int, int]] = []
    cur = 2.0 * float(np.max(np.abs(np.where(problem.free, c, 0.0)), initial=0.0))
    block = BlockInverse(G)
    signs = np.zeros(0)
    candidates = problem.free.copy()
    gi = int(np.searchsorted(-lams, -cur, side="right"))  # grid points at or above the top
    if cur == 0.0:
        return out, knots
    # The first coordinate joins at lambda_max itself (a step of zero).
    first = int(np.argmax(np.abs(np.where(problem.free, c, 0.0))))
    step, j, kind = 0.0, first, 1
    g = np.zeros(problem.p)
    r = c.copy()
    while True:
        nxt = cur - step
        if kind > 0:
            sign = np.sign(r[j] - 0.5 * step * g[j]) or 1.0
            if not block.add(j):
                return None
            signs = np.append(signs, sign)
            candidates[j] = False
            just_in, just_out = j, (-1, 0.0)
        else:
            sign_of = dict(zip(block.idx, signs, strict=True))
            block.drop(j)
            signs = np.array([sign_of[i] for i in block.idx])
            candidates[j] = True
            just_in, just_out = -1, (j, sign_of[j])
        knots.append((nxt, j, kind))
        cur = nxt
        idx = block.idx_array
        cols = block.cols()
        vd = block.apply_affine(c[idx], signs, 0.5 * cur)
        v_A, d = vd[:, 0], vd[:, 1]
        js = np.flatnonzero(candidates)
        # Only the inactive rows of G[:, A] are read: late in a tall path they are few,
        # and this product (memory-bound, O(pk)) was a third of the path's time.
        rg = cols[js] @ vd if 2 * js.size < problem.p else (cols @ vd)[js]
        r[js], g[js] = c[js] - rg[:, 0], rg[:, 1]
        step, j, kind = _next_lasso_event(cur, r, g, v_A, d, idx, js, just_in, just_out)
        nxt = cur - step
        while gi < lams.size and lams[gi] > nxt:
            lam = lams[gi]
            if lam > 0:
                out[gi, idx] = block.solve(c[idx] - 0.5 * lam * signs)
                if np.any(out[gi, idx] * signs <= 0):
                    out[gi, idx] = v_A + 0.5 * (cur - lam) * d
            gi += 1
        if gi >= lams.size or not np.isfinite(step):
            return out, knots


def _next_lasso_event(cur, r, g, v_A, d, idx, js, just_in, just_out):
    """(step down in lambda, coordinate, +1 join / -1 leave) of the next knot below cur.

    ``js`` are the inactive coordinates; ``just_out`` = (coordinate, its sign) that
    left at this knot: it sits on that side's bound, so only a return with the
    other sign counts as its next knot.
    """
    tiny = 1e-13 * cur
    best, who, kind = math.inf, -1, 0
    if js.size:
        rj, gj = r[js], g[js]
        up = _ratio(np.maximum(cur - 2.0 * rj, 0.0), 1.0 - gj)
        dn = _ratio(np.maximum(cur + 2.0 * rj, 0.0), 1.0 + gj)
        left, left_sign = just_out
        if left >= 0:
            (up if left_sign > 0 else dn)[js == left] = np.inf
        steps = np.minimum(up, dn)
        steps[steps <= tiny] = np.inf
        k = int(np.argmin(steps))
        if steps[k] < best:
            best, who, kind = float(steps[k]), int(js[k]), 1
    if idx.size:
        steps = _ratio(-2.0 * v_A, np.where(v_A * d < 0, d, 0.0))
        steps[idx == just_in] = np.inf
        steps[steps <= tiny] = np.inf
        k = int(np.argmin(steps))
        if steps[k] < best:
            best, who, kind = float(steps[k]), int(idx[k]), -1
    return best, who, kind


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den where den is non-zero and the ratio positive-or-zero, inf elsewhere."""
    out = np.full(num.shape, np.inf)
    np.divide(num, den, out=out, where=(den != 0) & (num * den >= 0))
    return out
