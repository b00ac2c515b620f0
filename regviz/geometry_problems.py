"""Constraint geometry's problems: the data, the region's size, and the exact touching point.

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

Sweeps over the budget and the Lq balls live in ``geometry_sweeps``; outlines,
loss ellipses and contours in ``geometry_shapes``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from regviz.errors import DataError
from regviz.penalties import Penalty, make_penalty
from regviz.preprocessing import Problem, prepare
from regviz.solvers import lambda_max as _lambda_max
from regviz.solvers import solve_at

N_ROWS = 50


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
