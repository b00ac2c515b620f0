"""Exact entry lambdas by following the path between grid points, knot by knot.

On a fixed support ``A`` with signs ``s`` the solution is a closed form,

    v_A(lam) = (G_AA + lam(1-a) I)^-1 (c_A - lam a/2 s_A),

which one eigendecomposition ``G_AA = Q E Q'`` evaluates at any lambda:
``v_A = Q f(lam)`` with ``f = (Q'c - lam a/2 Q's) / (E + lam(1-a))``.  For
L1 (a = 1) it is linear in lambda, for elastic net a rational function.
Between two grid points whose exact solutions are known, the knots are found
by root-finding on that closed form: the largest lambda at which an inactive
coordinate's KKT bound ``|r_j| <= lam a/2`` is reached or an active one
reaches zero.

An eigendecomposition costs about eight linear solves (k = 550), so one is
not spent per knot: the decomposed base block stays while the support
changes, and the changes are carried by a Schur complement.  A coordinate
that joins borders the system with its Gram column; a base coordinate that
leaves borders it with the constraint ``v_i = 0`` (a row ``e_i`` with a zero
diagonal, its multiplier taking the place of its stationarity equation).  The
base is decomposed afresh only when ``_MAX_CARRIED`` changes have piled up,
and the walk carries it from one grid interval to the next, checking at each
grid point that it arrives at the grid's own support and signs.  No exact
solve runs inside a bisection; only if the walk cannot reproduce a grid point
(a coordinate that entered and left between two grid points, or a singular
block) does a fallback bisect with exact solves.
"""

from __future__ import annotations

import math

import numpy as np

from regviz.penalties import Penalty
from regviz.preprocessing import Problem
from regviz.solvers import lambda_max, solve_at

# Relative width at which a knot's bracket is considered closed.
_KNOT_RTOL = 1e-15
# Changes carried by the Schur complement before the block is decomposed afresh.
_MAX_CARRIED = 32
# Coordinates about to join put into a fresh base as constraints (fewer than _MAX_CARRIED).
_MAX_AHEAD = 24


class _Segment:
    """The closed-form path on a base block's eigendecomposition plus carried changes.

    Carried entry ``i`` is either a joined coordinate (``joined[i]``, ``ref[i]``
    its index) or a base coordinate that left (``ref[i]`` its base position).
    """

    def __init__(self, problem: Problem, pen: Penalty, idx: np.ndarray, signs: np.ndarray):
        self.problem = problem
        self.pen = pen
        self.h, self.b = 0.5 * pen.a, 1.0 - pen.a
        G, c = problem.gram, problem.corr
        self.idx0, self.s0 = np.asarray(idx, dtype=int), np.asarray(signs, dtype=float).copy()
        if self.idx0.size:
            self.evals, self.Q = np.linalg.eigh(G[np.ix_(self.idx0, self.idx0)])
        else:
            self.evals, self.Q = np.zeros(0), np.zeros((0, 0))
        self.qc, self.qs = self.Q.T @ c[self.idx0], self.Q.T @ self.s0
        self.pos0 = {int(j): q for q, j in enumerate(self.idx0)}
        self.removed = np.zeros(self.idx0.size, dtype=bool)
        self.ref, self.joined = np.zeros(0, dtype=int), np.zeros(0, dtype=bool)
        self.sB, self.cB = np.zeros(0), np.zeros(0)
        self.W, self.GBB = np.zeros((self.idx0.size, 0)), np.zeros((0, 0))
        self._solved: tuple | None = None  # (lam, derivative, result) of the last solve
        self._gq = np.empty((problem.p, self.idx0.size))
        self._has_gq = np.zeros(problem.p, dtype=bool)

    @property
    def carried(self) -> int:
        return self.ref.size

    @property
    def idx(self) -> np.ndarray:
        return np.concatenate([self.idx0[~self.removed], self.ref[self.joined]])

    @property
    def signs(self) -> np.ndarray:
        return np.concatenate([self.s0[~self.removed], self.sB[self.joined]])

    def gq(self, cols: np.ndarray) -> np.ndarray:
        """Q' G[base, j] for each j in cols (rows), computed once per base and column."""
        new = cols[~self._has_gq[cols]]
        if new.size:
            self._gq[new] = (self.Q.T @ self.problem.gram[np.ix_(self.idx0, new)]).T
            self._has_gq[new] = True
        return self._gq[cols]

    def _carry(self, ref: int, joined: bool, w: np.ndarray, g_row: np.ndarray, g_jj: float,
               c_j: float, sign: float) -> None:
        self._solved = None
        m = self.carried
        GBB = np.zeros((m + 1, m + 1))
        GBB[:m, :m], GBB[m, :m], GBB[:m, m], GBB[m, m] = self.GBB, g_row, g_row, g_jj
        self.GBB = GBB
        self.W = np.column_stack([self.W, w])
        self.ref, self.joined = np.append(self.ref, ref), np.append(self.joined, joined)
        self.cB, self.sB = np.append(self.cB, c_j), np.append(self.sB, sign)

    def _uncarry(self, i: int) -> None:
        self._solved = None
        keep = np.arange(self.carried) != i
        self.W, self.GBB = self.W[:, keep], self.GBB[np.ix_(keep, keep)]
        self.ref, self.joined = self.ref[keep], self.joined[keep]
        self.cB, self.sB = self.cB[keep], self.sB[keep]

    def join(self, j: int, sign: float) -> None:
        """Coordinate j becomes active with this sign (no new decomposition)."""
        q = self.pos0.get(j)
        if q is not None and self.removed[q]:  # a base coordinate comes back
            self._uncarry(int(np.flatnonzero(~self.joined & (self.ref == q))[0]))
            self.removed[q] = False
            self.qs += self.Q[q] * (sign - self.s0[q])
            self._solved = None
            self.s0[q] = sign
            return
        G = self.problem.gram
        g_row = np.where(self.joined, G[j, self.ref], 0.0)
        self._carry(j, True, self.gq(np.array([j]))[0], g_row, G[j, j],
                    self.problem.corr[j], sign)

    def leave(self, j: int) -> None:
        """Coordinate j leaves the support: uncarried if it joined, else constrained to 0."""
        at = np.flatnonzero(self.joined & (self.ref == j))
        if at.size:
            self._uncarry(int(at[0]))
            return
        q = self.pos0[j]
        self.removed[q] = True
        self._carry(q, False, self.Q[q].copy(), np.zeros(self.carried), 0.0, 0.0, 0.0)

    def solve(self, lam: float, derivative: bool = False):
        """(z, vB[, dz, dvB]) at lam: base values Q z, carried values vB, and d/dlam.

        The derivative solves the same bordered system with right-hand side
        -a/2 s - (1-a) v (the shift's derivative, on the shifted rows only).
        Cost O(k0 m^2) for the Schur complement S(lam), m the carried count; the
        last result is kept, as a knot's lambda is solved again to join there.
        """
        last = self._solved
        if last is not None and last[0] == lam and (last[1] or not derivative):
            return last[2] if derivative else last[2][:2]
        out = self._solve(lam, derivative)
        self._solved = (lam, derivative, out)
        return out

    def _solve(self, lam: float, derivative: bool):
        D = 1.0 / (self.evals + self.b * lam)
        t0 = self.qc - self.h * lam * self.qs
        if self.carried == 0:
            z, vB = t0 * D, np.zeros(0)
            if not derivative:
                return z, vB
            return z, vB, D * (-self.h * self.qs - self.b * z), vB
        W = self.W
        WD = W.T * D
        shifted = self.joined.astype(float)
        S = self.GBB - WD @ W
        S.flat[:: self.carried + 1] += self.b * lam * shifted
        S_inv = np.linalg.inv(S)

        def system(t, rB):
            vB = S_inv @ (rB - WD @ t)
            return D * (t - W @ vB), vB

        z, vB = system(t0, self.cB - self.h * lam * self.sB)
        if not derivative:
            return z, vB
        dz, dvB = system(-self.h * self.qs - self.b * z,
                         -self.h * self.sB - self.b * shifted * vB)
        return z, vB, dz, dvB

    def full(self, z: np.ndarray, vB: np.ndarray) -> np.ndarray:
        """One solution (z, vB of one lambda) as a length-p vector, exactly 0 off the support."""
        v = np.zeros(self.problem.p)
        base = self.Q @ z
        base[self.removed] = 0.0
        v[self.idx0] = base
        v[self.ref[self.joined]] = vB[self.joined]
        return v

    def residual_at(self, lam: float, j: int) -> float:
        """c_j - G_j v(lam) for one coordinate j: O(k) from the cached Q' G[base, j]."""
        z, vB = self.solve(lam)
        g_joined = np.where(self.joined, self.problem.gram[j, self.ref], 0.0)
        return float(self.problem.corr[j] - self.gq(np.array([j]))[0] @ z - g_joined @ vB)

    def residual_of(self, v: np.ndarray, cols=None) -> np.ndarray:
        """c - G v for every coordinate (or only cols): one O(p^2) product at most."""
        G, c = self.problem.gram, self.problem.corr
        if cols is None:
            return c - G @ v
        if 2 * len(cols) >= self.problem.p:  # gathering most rows costs more than the product
            return c[cols] - (G @ v)[cols]
        return c[cols] - G[cols] @ v

    def knot_functions(self, enter: np.ndarray, sign_lo: np.ndarray, leave: np.ndarray):
        """F(lam) -> (f, df/dlam) for the candidates, positive where a status must change.

        For an inactive column j, ``f = s_j r_j(lam) - lam a/2`` (its KKT bound is
        broken when positive); for an active coordinate, ``f = -s_j v_j(lam)`` (it
        has crossed zero).  Both at one lambda from one solve of the bordered system.
        """
        c = self.problem.corr
        gq = self.gq(enter)
        gB = np.where(self.joined, self.problem.gram[enter[:, None], self.ref[None, :]], 0.0)
        joined_at = {int(j): i for i, j in enumerate(self.ref) if self.joined[i]}
        in_base = np.array([int(j) not in joined_at for j in leave], dtype=bool)
        pos = np.array([self.pos0.get(int(j), 0) for j in leave], dtype=int)
        extra = np.array([joined_at.get(int(j), 0) for j in leave], dtype=int)
        rows = self.Q[pos[in_base]]
        signs = np.where(in_base, self.s0[pos] if self.s0.size else 0.0,
                         self.sB[extra] if self.sB.size else 0.0)

        def fn(lam: float):
            z, vB, dz, dvB = self.solve(lam, derivative=True)
            r = c[enter] - gq @ z - gB @ vB
            dr = -(gq @ dz) - gB @ dvB
            value, slope = np.zeros(leave.size), np.zeros(leave.size)
            if vB.size:
                value, slope = vB[extra], dvB[extra]
            value[in_base], slope[in_base] = rows @ z, rows @ dz
            f = np.concatenate([sign_lo * r - self.h * lam, -signs * value])
            return f, np.concatenate([sign_lo * dr - self.h, -signs * slope])
        return fn


def _largest_root(fn, lo: float, hi: float, f_lo: np.ndarray):
    """(lam, candidate) of the largest root in (lo, hi] of any component of fn.

    Each component is positive at lo (``f_lo``, known to the caller from the
    solution there) and at most 0 at hi.  One bracket [L, U]
    is shared: each step evaluates every component at one lambda (one solve),
    the largest per-component Newton estimate inside the bracket (regula
    falsi, then bisection, when Newton leaves it).  If any component is
    positive there, the largest root lies above and only those components stay
    live; else it lies below.  Returns the side where every component is at
    most 0 (up to a relative 1e-13 of its scale): the largest lambda at which
    the old support is still optimal.
    """
    f_hi, d_hi = fn(hi)
    ftol = 1e-13 * np.maximum(np.abs(f_lo), np.abs(f_hi))
    L, U = lo, hi
    fL, fU = f_lo, np.minimum(f_hi, 0.0)
    live = f_lo > 0
    at_hi = live & (f_hi >= -ftol)
    if at_hi.any():  # already on its bound at hi (a tie with the last knot): no search
        return hi, int(np.flatnonzero(at_hi)[np.argmax(f_lo[at_hi])])
    x_last, f_last, d_last = hi, f_hi, d_hi
    for _ in range(200):
        if U - L <= _KNOT_RTOL * U:
            break
        with np.errstate(divide="ignore", invalid="ignore"):
            newton = x_last - f_last / d_last
            falsi = U - fU * (U - L) / (fU - fL)
        guess = np.where((newton > L) & (newton < U), newton, falsi)
        guess = np.where((guess > L) & (guess < U), guess, 0.5 * (L + U))
        x = float(np.max(guess[live]))
        f, d = fn(x)
        x_last, f_last, d_last = x, f, d
        above = live & (f > ftol)
        if above.any():
            L, fL, live = x, np.where(above, f, fL), above
            continue
        U, fU = x, np.minimum(f, 0.0)
        if np.any(live & (f >= -ftol)):
            live &= f >= -ftol
            break
    k = int(np.flatnonzero(live)[np.argmax((fL - fU)[live])]) if live.any() else 0
    return U, k


def _next_knot(seg: _Segment, lo: float, hi: float):
    """(lam, coordinate, 'in'|'out', sign at lo) of the first status change below hi, or None."""
    problem = seg.problem
    idx = seg.idx
    v_lo = seg.full(*seg.solve(lo))
    off = problem.free.copy()
    off[idx] = False
    off = np.flatnonzero(off)
    r_lo = np.zeros(problem.p)
    r_lo[off] = seg.residual_of(v_lo, off)  # only the inactive rows: few late in a path
    scale = 2.0 * float(np.max(np.abs(problem.corr), initial=0.0))
    enter = off[np.abs(r_lo[off]) - seg.h * lo > 1e-12 * scale]
    crossed = v_lo[idx] * seg.signs <= 0
    leave = idx[crossed]
    if enter.size + leave.size == 0:
        return None
    sign_lo = np.sign(r_lo[enter])
    f_lo = np.concatenate([sign_lo * r_lo[enter] - seg.h * lo, -seg.signs[crossed] * v_lo[leave]])
    lam, k = _largest_root(seg.knot_functions(enter, sign_lo, leave), lo, hi, f_lo)
    if k < enter.size:
        return lam, int(enter[k]), "in", float(sign_lo[k])
    return lam, int(leave[k - enter.size]), "out", 0.0


def _fresh_segment(problem: Problem, pen: Penalty, idx: np.ndarray, signs: np.ndarray,
                   ahead: np.ndarray) -> _Segment:
    """A new decomposition of support idx whose base also holds the coordinates ``ahead``.

    Coordinates the grid shows joining soon enter the base as constraints
    (``v_j = 0``); when one joins, its constraint is dropped, so the carried
    count falls instead of rising and one decomposition lasts about twice as
    many knots (eigendecompositions were half the walk's time at 2500 x 1000).
    """
    extra = np.setdiff1d(ahead, idx)[: _MAX_AHEAD]
    seg = _Segment(problem, pen, np.concatenate([idx, extra]),
                   np.concatenate([signs, np.zeros(extra.size)]))
    for j in extra:
        seg.leave(int(j))
    return seg


def _walk(seg: _Segment, v_lo: np.ndarray, lo: float, hi: float, wanted: set[int],
          max_knots: int, found: dict[int, float], ahead: np.ndarray) -> _Segment | None:
    """Walk seg from hi down to lo, noting entries of ``wanted`` in ``found``.

    Returns the segment at lo, or None if the walk misses the grid's support there.
    ``ahead`` are coordinates expected to join soon (for a fresh decomposition).
    """
    problem, pen = seg.problem, seg.pen
    cur = hi
    for _ in range(max_knots):
        knot = _next_knot(seg, lo, cur)
        if knot is None:
            break
        lam, j, kind, sign_lo = knot
        if seg.carried >= _MAX_CARRIED:
            seg = _fresh_segment(problem, pen, seg.idx, seg.signs, ahead)
        if kind == "in":
            seg.join(j, float(np.sign(seg.residual_at(lam, j))) or sign_lo)
            if j in wanted and j not in found:
                found[j] = lam
        else:
            seg.leave(j)
        cur = lam
    else:
        return None
    idx, signs = seg.idx, seg.signs
    bottom = np.flatnonzero(v_lo)
    if not (np.array_equal(np.sort(idx), bottom)
            and np.array_equal(signs[np.argsort(idx)], np.sign(v_lo[bottom]))):
        return None
    return seg


def entry_lambdas_walked(problem: Problem, pen: Penalty, lams: np.ndarray,
                         std: np.ndarray, only: list[int] | None = None) -> np.ndarray:
    """Exact lambda at which each coordinate (or each of ``only``) first leaves zero.

    One walk runs down the grid from the first interval with an entry to the
    last, carrying its decomposed block across grid points; an interval the
    walk cannot reproduce is bisected and the walk restarts below it.
    """
    out = np.full(problem.p, np.nan)
    if pen.is_smooth:
        return out
    top = lambda_max(problem, pen)
    on = std != 0
    entered = np.where(on.any(axis=0), np.argmax(on, axis=0), -1)  # first non-zero row
    first = entered.copy()
    if only is not None:
        first[~np.isin(np.arange(problem.p), only)] = -1
    out[first == 0] = min(float(lams[0]), top)
    steps = np.unique(first[first > 0])
    seg = None
    for i in range(int(steps.min()), int(steps.max()) + 1) if steps.size else ():
        wanted = {int(j) for j in np.flatnonzero(first == i)}
        hi, lo = min(float(lams[i - 1]), top), float(lams[i])
        changes = int(np.count_nonzero(np.sign(std[i - 1]) != np.sign(std[i])))
        ahead = _joining_soon(std, entered, i)
        if seg is None:
            idx = np.flatnonzero(std[i - 1])
            seg = _fresh_segment(problem, pen, idx, np.sign(std[i - 1, idx]), ahead)
        found: dict[int, float] = {}
        seg = _walk(seg, std[i], lo, hi, wanted, 4 * changes + 8, found, ahead)
        if seg is None or not wanted <= found.keys():
            found = {j: _entry_by_bisection(problem, pen, j, std[i], lo, hi) for j in wanted}
            seg = None
        for j, lam in found.items():
            out[j] = lam
    return out


def _joining_soon(std: np.ndarray, first: np.ndarray, i: int) -> np.ndarray:
    """Coordinates whose first non-zero grid point is i or later, at most _MAX_AHEAD,
    earliest first (within a grid point, the largest first)."""
    later = np.flatnonzero(first >= i)
    if later.size == 0 or _MAX_AHEAD == 0:
        return later
    order = np.lexsort((-np.abs(std[first[later], later]), first[later]))
    return later[order[:_MAX_AHEAD]]


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
