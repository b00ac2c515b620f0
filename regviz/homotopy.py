"""Exact entry lambdas by following the path between grid points, knot by knot.

On a fixed support ``A`` with signs ``s`` the solution is a closed form,

    v_A(lam) = (G_AA + lam(1-a) I)^-1 (c_A - lam a/2 s_A),

which one eigendecomposition ``G_AA = Q E Q'`` evaluates at any lambda in
O(k) per coordinate: ``v_A = Q f(lam)`` with ``f = (Q'c - lam a/2 Q's) / (E +
lam(1-a))``.  For L1 (a = 1) it is linear in lambda, for elastic net a
rational function.  Between two grid points whose exact solutions are known,
the coordinates that change status are known too (zero at the top, non-zero
at the bottom, or the reverse), so the knots are found by root-finding on
that closed form: the largest lambda at which an inactive coordinate's KKT
bound ``|r_j| <= lam a/2`` is reached or an active one reaches zero.  The
support changes there, the block is decomposed again, and the walk goes on
to the bottom grid point, where it must arrive at the grid's own support and
signs.  No exact solve runs inside a bisection; only if the walk cannot
reproduce the bottom (a coordinate that entered and left between the two
grid points, or a singular block) does a fallback bisect with exact solves.
"""

from __future__ import annotations

import math

import numpy as np

from regviz.penalties import Penalty
from regviz.preprocessing import Problem
from regviz.solvers import BlockInverse, lambda_max, solve_at

# Relative width at which a knot's bracket is considered closed.
_KNOT_RTOL = 1e-15
# Coordinates carried by a Schur complement before the block is decomposed afresh.
_MAX_CARRIED = 24


class _Segment:
    """The closed-form path on one support and sign pattern.

    The block of a base support A0 is decomposed once (``G_A0A0 = Q E Q'``);
    coordinates B that join later are carried by the Schur complement of the
    base block, so a knot that adds one coordinate costs O(k m^2) per
    evaluation instead of a new O(k^3) decomposition.
    """

    def __init__(self, problem: Problem, pen: Penalty, idx: np.ndarray, signs: np.ndarray):
        self.problem = problem
        self.h, self.b = 0.5 * pen.a, 1.0 - pen.a
        G, c = problem.gram, problem.corr
        self.idx0, self.s0 = idx, signs
        if idx.size:
            self.evals, self.Q = np.linalg.eigh(G[np.ix_(idx, idx)])
        else:
            self.evals, self.Q = np.zeros(0), np.zeros((0, 0))
        self.qc, self.qs = self.Q.T @ c[idx], self.Q.T @ signs
        self.idxB, self.sB = np.zeros(0, dtype=int), np.zeros(0)
        self.W = np.zeros((idx.size, 0))
        self.GBB, self.cB = np.zeros((0, 0)), np.zeros(0)

    @property
    def idx(self) -> np.ndarray:
        return np.concatenate([self.idx0, self.idxB])

    @property
    def signs(self) -> np.ndarray:
        return np.concatenate([self.s0, self.sB])

    def add(self, j: int, sign: float) -> None:
        """Carry one more coordinate by the Schur complement (no new decomposition)."""
        G = self.problem.gram
        self.W = np.column_stack([self.W, self.Q.T @ G[self.idx0, j]])
        self.idxB, self.sB = np.append(self.idxB, j), np.append(self.sB, sign)
        self.GBB = G[np.ix_(self.idxB, self.idxB)]
        self.cB = self.problem.corr[self.idxB]

    def remove_carried(self, j: int) -> None:
        """A carried coordinate leaves: drop it from the Schur complement (no decomposition)."""
        keep = self.idxB != j
        self.W = self.W[:, keep]
        self.idxB, self.sB = self.idxB[keep], self.sB[keep]
        self.GBB = self.GBB[np.ix_(keep, keep)]
        self.cB = self.cB[keep]

    def solve(self, lams, derivative: bool = False):
        """(z, vB[, dz, dvB]) per lam: v_A0 = Q z, v_B = vB, and their d/dlam.

        The derivative solves the same system (G_AA + lam(1-a) I) v' = -a/2 s - (1-a) v,
        so it reuses the Schur complement's inverse.
        """
        lams = np.atleast_1d(np.asarray(lams, dtype=float))
        D = 1.0 / (self.evals + self.b * lams[:, None])
        t0 = self.qc - self.h * lams[:, None] * self.qs
        m = self.idxB.size
        if m == 0:
            z, vB = t0 * D, np.zeros((lams.size, 0))
            if not derivative:
                return z, vB
            return z, vB, D * (-self.h * self.qs - self.b * z), vB
        W = self.W
        S = self.GBB - (W.T[None, :, :] * D[:, None, :]) @ W
        S[:, np.arange(m), np.arange(m)] += self.b * lams[:, None]
        S_inv = np.linalg.inv(S)

        def system(t, rB):
            vB = np.einsum("nml,nl->nm", S_inv, rB - (D * t) @ W)
            return D * (t - vB @ W.T), vB

        z, vB = system(t0, self.cB - self.h * lams[:, None] * self.sB)
        if not derivative:
            return z, vB
        dz, dvB = system(-self.h * self.qs - self.b * z, -self.h * self.sB - self.b * vB)
        return z, vB, dz, dvB

    def coef(self, lam: float) -> np.ndarray:
        z, vB = self.solve(lam)
        return np.concatenate([self.Q @ z[0], vB[0]])

    def residual(self, lam: float) -> np.ndarray:
        """c - G v(lam) for every coordinate: one O(pk) product."""
        G = self.problem.gram
        return self.problem.corr - G[:, self.idx] @ self.coef(lam)

    def enter_excess(self, cols: np.ndarray, sign_lo: np.ndarray):
        """(s_j r_j(lam) - lam a/2, its d/dlam) for the given columns, each at its own lam."""
        G, c = self.problem.gram, self.problem.corr
        gq = (self.Q.T @ G[np.ix_(self.idx0, cols)]).T
        gB = G[np.ix_(cols, self.idxB)]

        def fn(lams):
            z, vB, dz, dvB = self.solve(lams, derivative=True)
            r = c[cols] - np.einsum("ik,ik->i", gq, z) - np.einsum("im,im->i", gB, vB)
            dr = -np.einsum("ik,ik->i", gq, dz) - np.einsum("im,im->i", gB, dvB)
            return sign_lo * r - self.h * lams, sign_lo * dr - self.h
        return fn

    def signed_values(self, pos: np.ndarray):
        """(v_i(lam) s_i, its d/dlam) for the given positions in idx, each at its own lam."""
        k0 = self.idx0.size
        in_base = pos < k0
        rows = self.Q[np.where(in_base, pos, 0)]
        extra = np.where(in_base, 0, pos - k0)
        signs = self.signs[pos]
        pick = np.arange(pos.size)

        def fn(lams):
            z, vB, dz, dvB = self.solve(lams, derivative=True)
            value = np.einsum("ik,ik->i", rows, z)
            slope = np.einsum("ik,ik->i", rows, dz)
            if vB.shape[1]:
                value = np.where(in_base, value, vB[pick, extra])
                slope = np.where(in_base, slope, dvB[pick, extra])
            return value * signs, slope * signs
        return fn


def _root_down(fn, lo: float, hi: float, n: int) -> np.ndarray:
    """Per component, the root of fn in (lo, hi], given fn(lo) > 0 >= fn(hi).

    ``fn`` returns values and slopes.  Newton steps from a regula falsi start,
    kept inside a shrinking bracket (bisection when a step leaves it): exact
    in one step where fn is linear in lambda, a few where it is rational
    (elastic net).  Returns the side where fn <= 0 (up to a relative 1e-13 of
    its scale), the largest lambda at which the old support is still
    optimal.  Only the largest root is wanted: brackets lying wholly below
    another's lower end stop early.
    """
    a, b = np.full(n, lo), np.full(n, hi)
    fa, _ = fn(a)
    fb, _ = fn(b)
    fb = np.minimum(fb, 0.0)
    ftol = 1e-13 * np.maximum(np.abs(fa), np.abs(fb))
    with np.errstate(divide="ignore", invalid="ignore"):
        x = b - fb * (b - a) / (fb - fa)
    open_ = fb < -ftol
    for _ in range(100):
        x = np.where((x > a) & (x < b), x, 0.5 * (a + b))
        fx, slope = fn(np.where(open_, x, b))
        pos = (fx > ftol) & open_
        neg = (fx <= ftol) & open_
        a = np.where(pos, x, a)
        b = np.where(neg, x, b)
        open_ &= (np.abs(fx) > ftol) & (b - a > _KNOT_RTOL * b) & (b >= a.max())
        if not open_.any():
            break
        with np.errstate(divide="ignore", invalid="ignore"):
            x = x - fx / slope
    return b


def _next_knot(seg: _Segment, lo: float, hi: float, active_mask: np.ndarray):
    """(lam, coordinate, 'in'|'out') of the first status change below hi, or None before lo."""
    problem = seg.problem
    r_lo = seg.residual(lo)
    excess = np.abs(r_lo) - seg.h * lo
    excess[active_mask | ~problem.free] = -np.inf
    scale = 2.0 * float(np.max(np.abs(problem.corr), initial=0.0))
    enter = np.flatnonzero(excess > 1e-12 * scale)
    leave = np.flatnonzero(seg.coef(lo) * seg.signs <= 0)
    best = None
    if enter.size:
        roots = _root_down(seg.enter_excess(enter, np.sign(r_lo[enter])), lo, hi, enter.size)
        k = int(np.argmax(roots))
        best = (float(roots[k]), int(enter[k]), "in")
    if leave.size:
        positive = seg.signed_values(leave)

        def shrinking(lams):
            value, slope = positive(lams)
            return -value, -slope

        roots = _root_down(shrinking, lo, hi, leave.size)
        k = int(np.argmax(roots))
        if best is None or roots[k] > best[0]:
            best = (float(roots[k]), int(seg.idx[leave[k]]), "out")
    return best


def _walk(problem: Problem, pen: Penalty, v_hi: np.ndarray, v_lo: np.ndarray, lo: float,
          hi: float, wanted: set[int], max_knots: int):
    """Entry lambdas of ``wanted`` between hi and lo, or None if the walk misses the bottom."""
    idx = np.flatnonzero(v_hi)
    seg = _Segment(problem, pen, idx, np.sign(v_hi[idx]))
    found: dict[int, float] = {}
    cur = hi
    for _ in range(max_knots):
        active = np.zeros(problem.p, dtype=bool)
        active[seg.idx] = True
        knot = _next_knot(seg, lo, cur, active)
        if knot is None:
            break
        lam, j, kind = knot
        if kind == "in":
            sign = np.sign(seg.residual(lam)[j]) or np.sign(seg.residual(lo)[j])
            if seg.idxB.size >= _MAX_CARRIED:
                seg = _Segment(problem, pen, seg.idx, seg.signs)
            seg.add(j, sign)
            if j in wanted and j not in found:
                found[j] = lam
        elif j in seg.idxB:
            seg.remove_carried(j)
        else:
            keep = seg.idx != j
            seg = _Segment(problem, pen, seg.idx[keep], seg.signs[keep])
        cur = lam
    else:
        return None
    idx, signs = seg.idx, seg.signs
    bottom = np.flatnonzero(v_lo)
    if not (np.array_equal(np.sort(idx), bottom)
            and np.array_equal(signs[np.argsort(idx)], np.sign(v_lo[bottom]))):
        return None
    return found if wanted <= found.keys() else None


def entry_lambdas_walked(problem: Problem, pen: Penalty, lams: np.ndarray,
                         std: np.ndarray, only: list[int] | None = None) -> np.ndarray:
    """Exact lambda at which each coordinate (or each of ``only``) first leaves zero."""
    out = np.full(problem.p, np.nan)
    if pen.is_smooth:
        return out
    top = lambda_max(problem, pen)
    on = std != 0
    first = np.where(on.any(axis=0), np.argmax(on, axis=0), -1)
    if only is not None:
        first[~np.isin(np.arange(problem.p), only)] = -1
    out[first == 0] = min(float(lams[0]), top)
    for i in np.unique(first[first > 0]):
        wanted = {int(j) for j in np.flatnonzero(first == i)}
        hi, lo = min(float(lams[i - 1]), top), float(lams[i])
        changes = int(np.count_nonzero(np.sign(std[i - 1]) != np.sign(std[i])))
        found = _walk(problem, pen, std[i - 1], std[i], lo, hi, wanted, 4 * changes + 8)
        if found is None:
            found = {j: _entry_by_bisection(problem, pen, j, std[i], lo, hi) for j in wanted}
        for j, lam in found.items():
            out[j] = lam
    return out


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


def _entry_by_bisection(problem: Problem, pen: Penalty, j: int, warm: np.ndarray, lo: float,
                        hi: float) -> float:
    """Last resort: bisect with full exact solves (a coordinate entered and left in the step)."""
    for _ in range(60):
        if hi / lo - 1.0 < 1e-13:
            break
        mid = math.sqrt(hi * lo)
        v = solve_at(problem, pen, mid, warm=warm)
        if v[j] != 0:
            lo, warm = mid, v
        else:
            hi = mid
    return float(hi)


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
        idx = np.asarray(block.idx, dtype=int)
        cols = block.cols()
        vd = block.apply_affine(c[idx], signs, 0.5 * cur)
        v_A, d = vd[:, 0], vd[:, 1]
        rg = cols @ vd
        r, g = c - rg[:, 0], rg[:, 1]
        step, j, kind = _next_lasso_event(cur, r, g, v_A, d, idx, candidates, just_in, just_out)
        nxt = cur - step
        while gi < lams.size and lams[gi] > nxt:
            lam = lams[gi]
            if lam > 0:
                out[gi, idx] = block.solve(c[idx] - 0.5 * lam * signs, cols[idx])
                if np.any(out[gi, idx] * signs <= 0):
                    out[gi, idx] = v_A + 0.5 * (cur - lam) * d
            gi += 1
        if gi >= lams.size or not np.isfinite(step):
            return out, knots


def _next_lasso_event(cur, r, g, v_A, d, idx, candidates, just_in, just_out):
    """(step down in lambda, coordinate, +1 join / -1 leave) of the next knot below cur.

    ``just_out`` = (coordinate, its sign) that left at this knot: it sits on that
    side's bound, so only a return with the other sign counts as its next knot.
    """
    tiny = 1e-13 * cur
    best, who, kind = math.inf, -1, 0
    js = np.flatnonzero(candidates)
    if js.size:
        rj, gj = r[js], g[js]
        with np.errstate(divide="ignore", invalid="ignore"):
            up = np.where(1.0 - gj > 0, np.maximum(cur - 2.0 * rj, 0.0) / (1.0 - gj), np.inf)
            dn = np.where(1.0 + gj > 0, np.maximum(cur + 2.0 * rj, 0.0) / (1.0 + gj), np.inf)
        left, left_sign = just_out
        if left >= 0:
            at = np.flatnonzero(js == left)
            (up if left_sign > 0 else dn)[at] = np.inf
        steps = np.minimum(up, dn)
        steps[steps <= tiny] = np.inf
        k = int(np.argmin(steps))
        if steps[k] < best:
            best, who, kind = float(steps[k]), int(js[k]), 1
    if idx.size:
        with np.errstate(divide="ignore", invalid="ignore"):
            steps = np.where(v_A * d < 0, -2.0 * v_A / d, np.inf)
        steps[idx == just_in] = np.inf
        steps[steps <= tiny] = np.inf
        k = int(np.argmin(steps))
        if steps[k] < best:
            best, who, kind = float(steps[k]), int(idx[k]), -1
    return best, who, kind
