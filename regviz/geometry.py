"""Constraint geometry: the region P(w) <= budget, the loss ellipses, and where they touch.

Why this module exists: the picture students have seen (an ellipse touching
a diamond at a corner) is usually drawn by hand.  Here every point is
computed.  The penalized problem ``MSE(w) + lam*P(w)`` and the constrained
problem ``min MSE(w) subject to P(w) <= budget`` have the same solution when
``budget = P(w_hat(lam))``, so the touching point is the exact regviz
solution at the matching lambda, found by root-finding on
``lam -> P(w_hat(lam))`` (monotone), never by searching pixels.

Conventions (chosen so the picture is in the plotted coordinates):

* Data come from ``make_data``: centred columns whose correlation matrix is
  exactly the requested one and whose population sd is exactly 1, and a
  centred y.  Fits use ``standardize=False, fit_intercept=False``; because
  everything is centred and already unit-scaled, the other three settings
  give the same coefficients, and the axes of every plot are the fitted
  coefficients themselves.
* The size of a region is its **reach t**: where its boundary crosses each
  axis.  The region is ``P(w) <= budget(t) = a*t + (1-a)*t^2``: for L1
  ``|w1| + |w2| <= t`` (the diamond), for L2 ``w1^2 + w2^2 <= t^2`` (the
  circle of radius t), for elastic net the rounded diamond between them.
  One t gives nested regions with the same axis points, the classic picture.
* In these coordinates ``MSE(w) = MSE(w_ols) + (w - w_ols)' G (w - w_ols)``
  with ``G = X'X/n``: the loss contours are ellipses centred on the OLS point
  whose tilt and elongation come from X alone (the correlation); the noise
  moves the OLS point and raises the floor, it does not reshape them.

One tolerance rule for zeros (``ZERO_TOL``): a quantity whose size is at
most ``ZERO_TOL`` times its scale is exactly 0.0 (coefficients and distances
between points: the largest OLS coefficient; MSEs: y's variance).  Solvers
with an L1 part produce exact zeros by thresholding, but ridge's linear
solve, the whitened data and the Lq search leave rounding crumbs (4.9e-18
where the answer is 0); ``snap`` removes them at the source, so every
point, path and caption sees the same zeros.

Everything here is pure numpy plus regviz's own solver.  The only numerical
search is ``lq_touching_point`` (q = 0.5 is not convex and regviz does not
solve it): a fine search along the ball's boundary, refined by golden section.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from regviz.errors import DataError
from regviz.penalties import Penalty, make_penalty
from regviz.preprocessing import Problem, prepare
from regviz.solvers import lambda_max as _lambda_max
from regviz.solvers import solve_at, solve_path

N_ROWS = 50
MAX_ABS_RHO = 0.95

# ---------------------------------------------------------------------------
# Data whose controls mean what they say


@dataclass(frozen=True)
class Data:
    """Centred two- or three-feature data with unit-sd columns.

    Simulated data (``make_data``): ``w_true`` is where the OLS point would
    land without noise; ``ols`` is where it actually lands.  A table's
    columns (``from_table``): ``w_true`` is None (nobody knows the truth),
    ``names`` holds the chosen columns, ``noise`` is NaN and ``rho`` is the
    first two features' sample correlation.
    """

    X: np.ndarray
    y: np.ndarray
    w_true: np.ndarray | None
    rho: float
    noise: float
    seed: int
    names: tuple[str, ...] = ()

    @property
    def simulated(self) -> bool:
        return self.w_true is not None

    @property
    def p(self) -> int:
        return self.X.shape[1]

    @property
    def n(self) -> int:
        return self.X.shape[0]


def correlation_matrix(p: int, rho: float) -> np.ndarray:
    """Equicorrelation: 1 on the diagonal, rho everywhere else."""
    return (1.0 - rho) * np.eye(p) + rho * np.ones((p, p))


def make_data(w_true, rho: float, noise: float, *, n: int = N_ROWS, seed: int = 0) -> Data:
    """X with ``X'X/n`` exactly the equicorrelation matrix, ``y = X w_true + noise * e``.

    X is built by whitening a Gaussian draw (so its sample covariance is
    exactly I) and colouring it with the Cholesky factor of the target.  The
    noise ``e`` is centred and scaled to population sd exactly 1, so ``noise``
    is its standard deviation.  The same seed gives the same draw for every
    rho and noise: moving a slider moves the picture continuously.
    """
    w_true = np.asarray(w_true, dtype=float).ravel()
    p = w_true.size
    if p < 1:
        raise DataError("w_true needs at least one coefficient.")
    rho = float(rho)
    if not (-1.0 / max(p - 1, 1) < rho < 1.0):
        raise DataError(f"rho = {rho} does not give a valid correlation matrix for {p} features.")
    if noise < 0 or not math.isfinite(noise):
        raise DataError("noise must be a finite number >= 0.")
    if n < p + 2:
        raise DataError(f"n must be at least {p + 2}.")
    rng = np.random.default_rng(seed)
    Z = rng.normal(size=(n, p))
    e = rng.normal(size=n)
    Z -= Z.mean(axis=0)
    Z = Z @ np.linalg.inv(np.linalg.cholesky(Z.T @ Z / n)).T
    X = Z @ np.linalg.cholesky(correlation_matrix(p, rho)).T
    e -= e.mean()
    e /= e.std()
    y = X @ w_true + float(noise) * e
    return Data(X=X, y=y, w_true=w_true, rho=rho, noise=float(noise), seed=int(seed))


ZERO_TOL = 1e-12
"""Coordinates within ``ZERO_TOL`` times ``coef_scale`` of zero are exactly 0.0 (see module)."""


def coef_scale(problem: Problem) -> float:
    """The picture's scale: the largest OLS coefficient (0 when y is constant)."""
    return float(np.abs(np.linalg.solve(problem.gram, problem.corr)).max())


def snap(w, scale: float) -> np.ndarray:
    """``w`` with every coordinate of size at most ``ZERO_TOL * scale`` set to exactly 0.0."""
    w = np.array(w, dtype=float)
    w[np.abs(w) <= ZERO_TOL * scale] = 0.0
    return w


def from_table(X, y, names) -> Data:
    """Two or three columns of a table at the standardized scale, and its centred target.

    Each column is centred and divided by its population sd (the scale on
    which the app penalizes), y is centred and keeps its units, so the
    coefficients, MSE and lambda mean what they mean on the paths page with
    "Standardize features" on.  Raises DataError, naming the cause, when the
    picture cannot be drawn (see ``table_problem``).
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float).ravel()
    names = tuple(str(n) for n in names)
    problem = table_problem(X, y, names)
    if problem:
        raise DataError(problem)
    Z = (X - X.mean(axis=0)) / X.std(axis=0)
    rho = float(np.corrcoef(Z[:, 0], Z[:, 1])[0, 1])
    return Data(X=Z, y=y - y.mean(), w_true=None, rho=rho, noise=math.nan, seed=0,
                names=names)


MAX_ABS_TABLE_RHO = 0.999


def table_problem(X, y, names) -> str | None:
    """Why these columns cannot make the picture, and what would (None when they can)."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float).ravel()
    if X.ndim != 2 or X.shape[1] not in (2, 3):
        return "the picture needs two features (three for the 3-D view): choose more."
    if X.shape[0] < X.shape[1] + 2:
        return (f"{X.shape[0]} rows cannot place {X.shape[1]} coefficients and their "
                f"ellipses: at least {X.shape[1] + 2} rows are needed.")
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(y))):
        return "some values are missing or not finite: clean or impute them on Your data."
    if np.ptp(y) == 0:
        return ("the target is constant: no feature can explain anything, so there is no "
                "least-squares point to shrink. Choose a target that varies.")
    constant = [n for n, col in zip(names, X.T, strict=True) if np.ptp(col) == 0]
    if constant:
        return (f"feature {constant[0]} is constant: it cannot be standardized or carry a "
                "coefficient. Choose a feature that varies.")
    R = np.corrcoef(X.T)
    off = np.abs(R[~np.eye(len(R), dtype=bool)])
    if off.max() >= MAX_ABS_TABLE_RHO or np.linalg.matrix_rank(R) < len(R):
        return ("these features are (almost) perfectly correlated, so the loss has no single "
                "minimum and its ellipses are unbounded lines. Choose features that are not "
                "copies of each other.")
    return None


def degenerate(problem: Problem) -> str | None:
    """Why the picture is empty (the OLS point is the origin), or None.

    With y exactly explained by nothing (w* = 0 and no noise), every region
    contains the least-squares point: there is nothing to shrink.
    """
    if not np.any(ols(problem)):
        return ("the least-squares point is the origin (every coefficient is already 0), so "
                "every region contains it and nothing shrinks. Give a true weight or some "
                "noise a non-zero value.")
    return None


def problem_of(data: Data) -> Problem:
    """The Gram problem in plotted coordinates (no standardizing, no intercept)."""
    return prepare(data.X, data.y, standardize=False, fit_intercept=False)


def ols(problem: Problem) -> np.ndarray:
    """The unpenalized least-squares point, the centre of every loss ellipse (zeros snapped)."""
    w = np.linalg.solve(problem.gram, problem.corr)
    return snap(w, float(np.abs(w).max()))


def mse(problem: Problem, W) -> np.ndarray:
    """Training MSE at coefficient vectors ``W`` (..., p), from the Gram alone.

    The zero rule again, on y's scale: an MSE within ``ZERO_TOL`` of y's
    variance from 0 is 0.0 (the Gram form leaves 2e-16 where the fit is exact).
    """
    m = problem.mse(np.asarray(W, dtype=float))
    return np.where(m <= ZERO_TOL * problem.y_var, 0.0, m)


def ellipse_axes(problem: Problem) -> tuple[np.ndarray, np.ndarray]:
    """(eigenvalues ascending, eigenvectors as columns) of G: the long axis comes first."""
    return np.linalg.eigh(problem.gram)


# ---------------------------------------------------------------------------
# Budget t <-> lambda


def budget(t, a: float):
    """P on the boundary of the region of reach t: ``a*t + (1-a)*t^2``."""
    t = np.asarray(t, dtype=float)
    return a * t + (1.0 - a) * t * t


def reach_of_budget(s, a: float):
    """Inverse of ``budget``: the reach t of the region ``P(w) <= s``."""
    s = np.maximum(np.asarray(s, dtype=float), 0.0)
    if a == 1.0:
        return s
    if a == 0.0:
        return np.sqrt(s)
    b = 1.0 - a
    return 2.0 * s / (a + np.sqrt(a * a + 4.0 * b * s))  # the stable root of b t^2 + a t = s


def reach(w, a: float):
    """The reach t of the smallest region (of this shape) that contains ``w``.

    L1: ``|w|_1``; L2: ``|w|_2``; elastic net: the t with ``budget(t) = P(w)``.
    """
    w = np.asarray(w, dtype=float)
    value = a * np.abs(w).sum(axis=-1) + (1.0 - a) * (w * w).sum(axis=-1)
    return reach_of_budget(value, a)


def solve(problem: Problem, pen: Penalty, lam: float, warm: np.ndarray | None = None):
    """regviz's exact solution at lam (lam = inf gives the origin)."""
    if math.isinf(lam):
        return np.zeros(problem.p)
    return snap(solve_at(problem, pen, float(lam), warm=warm), coef_scale(problem))


def t_of_lambda(problem: Problem, pen: Penalty | str, lam: float, l1_ratio: float = 0.5) -> float:
    """The reach t of the constrained problem that the penalized one at lam solves."""
    pen = make_penalty(pen, l1_ratio)
    return float(reach(solve(problem, pen, lam), pen.a))


def lambda_of_t(
    problem: Problem,
    pen: Penalty | str,
    t: float,
    l1_ratio: float = 0.5,
    *,
    bracket: tuple[float, float] | None = None,
) -> float:
    """The lambda whose penalized solution has reach exactly t.

    ``t >= reach(OLS)``: 0 (the OLS point is inside; the constraint does not
    bind).  ``t <= 0``: lambda_max for a penalty with an L1 part (the
    smallest lambda with every coefficient zero), inf for ridge.  Between,
    ``lam -> t(lam)`` is continuous and strictly decreasing, and Brent's
    method on exact solves finds the root to machine precision.
    """
    pen = make_penalty(pen, l1_ratio)
    t = float(t)
    t_ols = float(reach(ols(problem), pen.a))
    top = _lambda_max(problem, pen)
    if t >= t_ols:
        return 0.0
    if t <= 0.0:
        return top

    def g(lam: float) -> float:
        return t_of_lambda(problem, pen, lam) - t

    if bracket is not None:
        lo, hi = bracket
    elif math.isinf(top):
        lo, hi = 0.0, max(float(np.trace(problem.gram)), 1e-12)
        while g(hi) > 0:
            lo, hi = hi, 4.0 * hi
    else:
        lo, hi = 0.0, top
    # Within rounding of an end (t a hair below the OLS reach, say) the end is the answer.
    if g(lo) <= 0:
        return lo
    if g(hi) >= 0:
        return hi
    return _brent(g, lo, hi, xtol=1e-15, ftol=1e-14 * max(t_ols, 1e-300))


def _brent(f, a: float, b: float, *, xtol: float, ftol: float, max_iter: int = 200) -> float:
    """Brent's root finder (inverse quadratic interpolation, bisection as a safeguard).

    ``f(a)`` and ``f(b)`` must have opposite signs (or one be 0).
    """
    fa, fb = f(a), f(b)
    if fa == 0:
        return a
    if fb == 0:
        return b
    if fa * fb > 0:
        raise ValueError("root not bracketed")
    if abs(fa) < abs(fb):
        a, b, fa, fb = b, a, fb, fa
    c, fc, d = a, fa, b - a
    bisected = True
    for _ in range(max_iter):
        if abs(fb) <= ftol or abs(b - a) <= xtol * max(abs(b), 1e-300):
            return b
        if fa != fc and fb != fc:
            s = (a * fb * fc / ((fa - fb) * (fa - fc)) + b * fa * fc / ((fb - fa) * (fb - fc))
                 + c * fa * fb / ((fc - fa) * (fc - fb)))
        else:
            s = b - fb * (b - a) / (fb - fa)
        lo, hi = sorted(((3 * a + b) / 4, b))
        tol = xtol * max(abs(b), 1e-300)
        if (not lo < s < hi
                or (bisected and abs(s - b) >= abs(b - c) / 2)
                or (not bisected and abs(s - b) >= abs(c - d) / 2)
                or (bisected and abs(b - c) < tol)
                or (not bisected and abs(c - d) < tol)):
            s, bisected = (a + b) / 2, True
        else:
            bisected = False
        fs = f(s)
        d, c, fc = c, b, fb
        if fa * fs < 0:
            b, fb = s, fs
        else:
            a, fa = s, fs
        if abs(fa) < abs(fb):
            a, b, fa, fb = b, a, fb, fa
    return b


@dataclass(frozen=True)
class Touch:
    """The constrained solution at reach t: where the smallest loss contour meets the region.

    ``lam`` is the matching penalized lambda (0 when the OLS point is inside
    the region, inf for ridge at t = 0).
    """

    t: float
    lam: float
    w: np.ndarray
    mse: float
    a: float

    @property
    def budget(self) -> float:
        return float(budget(self.t, self.a))

    @property
    def zeros(self) -> np.ndarray:
        return self.w == 0.0

    @property
    def inside(self) -> bool:
        """The OLS point is inside the region: the constraint does not bind (lam = 0)."""
        return self.lam == 0.0

    @property
    def at_origin(self) -> bool:
        return not np.any(self.w)

    @property
    def on_corner(self) -> bool:
        """Some, not all, coefficients exactly 0 on a region with an L1 part.

        That is a point where the boundary is not smooth: a corner of the
        diamond in 2-D, an edge or vertex of the octahedron in 3-D.
        """
        nz = int(np.count_nonzero(self.w))
        return self.a > 0 and 0 < nz < self.w.size


def touching_point(
    problem: Problem,
    pen: Penalty | str,
    t: float,
    l1_ratio: float = 0.5,
    *,
    bracket: tuple[float, float] | None = None,
) -> Touch:
    """The exact constrained solution at reach t (regviz's solution at the matching lambda)."""
    pen = make_penalty(pen, l1_ratio)
    lam = lambda_of_t(problem, pen, t, bracket=bracket)
    w = solve(problem, pen, lam)
    return Touch(t=float(t), lam=float(lam), w=w, mse=float(mse(problem, w)), a=pen.a)


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
# Outlines: regions, loss ellipses, penalized contours


def _directions(n: int) -> np.ndarray:
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
    u = _directions(n)
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
    u = _directions(n)
    return centre + math.sqrt(excess) * np.linalg.solve(L.T, u.T).T


def penalized_objective(problem: Problem, pen: Penalty, lam: float, W) -> np.ndarray:
    """``MSE(w) + lam*P(w)`` at coefficient vectors W (..., p)."""
    W = np.asarray(W, dtype=float)
    P = pen.a * np.abs(W).sum(axis=-1) + (1.0 - pen.a) * (W * W).sum(axis=-1)
    return mse(problem, W) + lam * P


def level_curves(f, centre: np.ndarray, levels, n: int = 181) -> list[np.ndarray]:
    """Closed level curves of a convex function f of 2-D points, one per level.

    f's sublevel sets are convex and contain ``centre`` (its minimizer), so
    each ray from the centre crosses a level exactly once; the crossing is
    found by doubling then bisection (all levels and rays at once), to about
    1e-11 of the distance.  Levels at or below f(centre) give empty curves.
    """
    centre = np.asarray(centre, dtype=float)
    u = _directions(n)
    levels = np.asarray(levels, dtype=float)
    f0 = float(f(centre))
    live = levels > f0
    target = levels[live][:, None]
    if target.size == 0:
        return [np.empty((0, 2)) for _ in levels]

    def below(r):
        return f(centre + r[..., None] * u) < target

    lo = np.zeros((target.shape[0], len(u)))
    hi = np.ones_like(lo)
    for _ in range(200):
        low = below(hi)
        if not low.any():
            break
        lo = np.where(low, hi, lo)
        hi = np.where(low, 2.0 * hi, hi)
    for _ in range(36):  # to ~1e-11 of the radius: far below a pixel
        mid = 0.5 * (lo + hi)
        low = below(mid)
        lo = np.where(low, mid, lo)
        hi = np.where(low, hi, mid)
    r = 0.5 * (lo + hi)
    curves = iter(centre + r[..., None] * u)
    return [next(curves) if ok else np.empty((0, 2)) for ok in live]


def penalized_contours(
    problem: Problem, pen: Penalty, lam: float, w_min: np.ndarray, offsets, n: int = 181
) -> list[np.ndarray]:
    """Contours of ``MSE + lam*P`` at ``F(w_min) + offsets`` (w_min its exact minimizer)."""
    f_min = float(penalized_objective(problem, pen, lam, w_min))
    return level_curves(lambda W: penalized_objective(problem, pen, lam, W), w_min,
                        [f_min + d for d in offsets], n)


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


# ---------------------------------------------------------------------------
# Lq balls: where convexity and sparsity meet


def lq_ball(t: float, q: float, n: int = 361) -> np.ndarray:
    """Closed outline (m, 2) of ``|w1|^q + |w2|^q <= t^q`` (reach t on each axis)."""
    u = _directions(n)
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

    u = _directions(n)
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
