"""The public entry points: fit, path, lambda_max, sklearn_equivalent.

One objective everywhere::

    L(w, b) = (1/n) * sum_i (y_i - b - x_i.w)^2 + lam * P(w)

with ``P`` the penalty's ``a*sum|w| + (1-a)*sum w^2``.  The intercept is not
penalized; with ``standardize=True`` columns are centred and divided by
their population sd, and coefficients come back on X's original scale.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from regviz.datafits import Squared, make_datafit
from regviz.errors import DataError
from regviz.homotopy import entries_from_knots, entry_lambdas_walked
from regviz.penalties import Penalty, make_penalty
from regviz.preprocessing import Problem, prepare
from regviz.solvers import kkt_residual, solve_at, solve_path, solve_path_knots
from regviz.solvers import lambda_max as _lambda_max


@dataclass(frozen=True)
class Fit:
    """One solution: coefficients on the original scale and the intercept."""

    coef: np.ndarray
    intercept: float
    penalty: str
    lam: float
    l1_ratio: float
    kkt: float = 0.0

    @property
    def n_nonzero(self) -> int:
        return int(np.count_nonzero(self.coef))

    def predict(self, X) -> np.ndarray:
        return np.asarray(X, dtype=float) @ self.coef + self.intercept


@dataclass(frozen=True)
class Path:
    """Solutions along a strictly descending lambda grid.

    ``coefs`` is (len(lams), p) on the original scale; ``std_coefs`` the same
    in standardized units (comparable across features, what a path plot shows
    when standardize=True).  ``lambda_max`` is inf for ridge.
    """

    lams: np.ndarray
    coefs: np.ndarray
    intercepts: np.ndarray
    penalty: str
    l1_ratio: float
    lambda_max: float
    std_coefs: np.ndarray
    train_mse: np.ndarray
    kkt: np.ndarray = field(repr=False)

    @property
    def n_nonzero(self) -> np.ndarray:
        return np.count_nonzero(self.coefs, axis=1)

    def predict(self, X) -> np.ndarray:
        """Predictions (len(lams), n) of every model on the path."""
        return self.coefs @ np.asarray(X, dtype=float).T + self.intercepts[:, None]


def _other_loss(loss, fit_intercept: bool):
    """The module that solves ``loss`` when it is not least squares (this module), else None.

    The data-fit object names the loss; its solver lives beside it (``regviz.logistic``).
    """
    if isinstance(make_datafit(loss), Squared):
        return None
    if not fit_intercept:
        raise DataError("Logistic regression here always fits an intercept "
                        "(fit_intercept=False is for least squares only).")
    from regviz import logistic

    return logistic


def check_lam(lam: float) -> float:
    """One lambda as a float; a DataError unless it is a finite number >= 0."""
    try:
        lam = float(lam)
    except (TypeError, ValueError):
        raise DataError(f"lambda must be a number, got {lam!r}.") from None
    if not math.isfinite(lam) or lam < 0:
        raise DataError(f"lambda must be a finite number >= 0, got {lam!r}.")
    return lam


def fit(
    X,
    y,
    *,
    penalty: str | Penalty,
    lam: float,
    l1_ratio: float = 0.5,
    standardize: bool = True,
    fit_intercept: bool = True,
    loss: str = "squared",
) -> Fit:
    """Minimise the app's objective at one lambda, exactly.

    ``loss="logistic"`` (y with two classes) minimises the mean log-loss plus the same
    penalty instead, and returns ``regviz.logistic``'s ``LogisticFit``.
    """
    other = _other_loss(loss, fit_intercept)
    if other is not None:
        return other.fit_logistic(X, y, penalty=penalty, lam=lam, l1_ratio=l1_ratio,
                                  standardize=standardize)
    pen = make_penalty(penalty, l1_ratio)
    lam = check_lam(lam)
    problem = prepare(X, y, standardize=standardize, fit_intercept=fit_intercept)
    v = _solve_from_top(problem, pen, lam)
    coef, intercept = problem.to_original(v)
    return Fit(
        coef=coef,
        intercept=float(intercept),
        penalty=pen.name,
        lam=lam,
        l1_ratio=pen.a,
        kkt=kkt_residual(problem, pen, lam, v),
    )


def _solve_from_top(problem: Problem, pen: Penalty, lam: float) -> np.ndarray:
    """One lambda, reached by a short warm-started walk down from lambda_max.

    Walking keeps each active-set step small, as glmnet recommends for a
    single small lambda.
    """
    top = _lambda_max(problem, pen)
    if pen.is_smooth or lam == 0.0 or lam >= top:
        return solve_at(problem, pen, lam)
    steps = int(min(30, max(1, np.ceil(np.log10(top / lam) * 6))))
    grid = np.geomspace(top, lam, steps + 1)[1:]
    return solve_path(problem, pen, grid)[-1]


def default_grid(problem: Problem, pen: Penalty, n_lams: int = 100) -> np.ndarray:
    """glmnet-style grid: lambda_max down log-spaced; ridge spans almost-OLS to almost-zero."""
    if n_lams < 2:
        raise DataError("A path needs at least 2 lambdas.")
    n, p = problem.n, int(problem.free.sum())
    top = _lambda_max(problem, pen)
    if math.isinf(top):
        evals = np.linalg.eigvalsh(problem.gram)
        big = max(float(evals.max(initial=0.0)), 1e-12)
        positive = evals[evals > big * 1e-10]
        small = float(positive.min()) if positive.size else big
        hi, lo = 1e3 * big, max(1e-3 * small, 1e-9 * big)
        return np.geomspace(hi, lo, n_lams)
    if top == 0.0:
        raise DataError("Every feature is uncorrelated with the target (lambda_max is 0).")
    eps = 1e-3 if n > p else 1e-2
    bottom = top * eps
    if pen.a < 1.0:
        # The ridge part lam*(1-a) does not scale with y as the L1 part does: with y in
        # large units it still dominates at top*eps.  Go down until it is 1e-3 of the
        # Gram's average eigenvalue, so the grid reaches weak regularization.
        mean_eval = float(np.trace(problem.gram)) / max(p, 1)
        bottom = min(bottom, 1e-3 * mean_eval / (1.0 - pen.a))
    return np.geomspace(top, bottom, n_lams)


def check_grid(lams) -> np.ndarray:
    """Distinct finite lambdas >= 0, descending; a DataError names what is wrong."""
    lams = np.atleast_1d(np.asarray(lams, dtype=float))
    if lams.ndim != 1 or lams.size == 0:
        raise DataError("lams must be a non-empty list of numbers.")
    if not np.all(np.isfinite(lams)) or np.any(lams < 0):
        raise DataError("Every lambda must be a finite number >= 0.")
    return np.unique(lams)[::-1].copy()


def path(
    X,
    y,
    *,
    penalty: str | Penalty,
    lams=None,
    n_lams: int = 100,
    l1_ratio: float = 0.5,
    standardize: bool = True,
    fit_intercept: bool = True,
    loss: str = "squared",
) -> Path:
    """Solutions on a strictly descending grid, warm-started from the top.

    ``loss="logistic"`` returns ``regviz.logistic``'s ``LogisticPath`` (same fields, with
    ``train_loss`` for ``train_mse``; it stops early where the classes separate).
    """
    other = _other_loss(loss, fit_intercept)
    if other is not None:
        return other.logistic_path(X, y, penalty=penalty, n_lams=n_lams, lams=lams,
                                   l1_ratio=l1_ratio, standardize=standardize)
    pen = make_penalty(penalty, l1_ratio)
    problem = prepare(X, y, standardize=standardize, fit_intercept=fit_intercept)
    grid = default_grid(problem, pen, n_lams) if lams is None else check_grid(lams)
    return path_on(problem, pen, grid)


def path_on(problem: Problem, pen: Penalty, grid: np.ndarray) -> Path:
    """``path`` on an already prepared problem and a checked, descending grid."""
    return path_and_knots(problem, pen, grid)[0]


def path_and_knots(problem: Problem, pen: Penalty, grid: np.ndarray):
    """(path_on's Path, the knots the L1 homotopy found or None): entries come free with L1."""
    top = _lambda_max(problem, pen)
    warm = None
    if grid[0] < top and not math.isinf(top) and pen.a < 1.0:
        # Warm starts must begin where the answer is known: walk down to the grid's top.
        lead = np.geomspace(top, grid[0], 8)[1:-1]
        warm = solve_path(problem, pen, lead)[-1] if lead.size else None
    std, kkt, VG, knots = solve_path_knots(problem, pen, grid, warm)
    coefs, intercepts = problem.to_original(std)
    return _make_path(grid, coefs, intercepts, pen, top, std, problem.mse(std, VG), kkt), knots


def _make_path(grid, coefs, intercepts, pen, top, std, train_mse, kkt) -> Path:
    return Path(
        lams=grid,
        coefs=coefs,
        intercepts=np.asarray(intercepts, dtype=float),
        penalty=pen.name,
        l1_ratio=pen.a,
        lambda_max=top,
        std_coefs=std,
        train_mse=train_mse,
        kkt=kkt,
    )


def lambda_max(
    X, y, *, penalty: str | Penalty, l1_ratio: float = 0.5, standardize: bool = True,
    loss: str = "squared",
) -> float:
    """Smallest lambda with every coefficient exactly zero: (2/n) max|z_j.(y - ybar)| / a.

    Returns inf for ridge (a = 0), where no finite lambda zeroes a coefficient.  With
    ``loss="logistic"``: the gradient at w = 0, the intercept at the base rate's log-odds.
    """
    other = _other_loss(loss, True)
    if other is not None:
        return other.logistic_lambda_max(X, y, penalty=penalty, l1_ratio=l1_ratio,
                                          standardize=standardize)
    pen = make_penalty(penalty, l1_ratio)
    return _lambda_max(prepare(X, y, standardize=standardize), pen)


def sklearn_equivalent(penalty: str | Penalty, lam: float, l1_ratio: float, n: int):
    """(estimator name, params) minimising the same objective on the standardized design."""
    pen = make_penalty(penalty, l1_ratio)
    return pen.sklearn_equivalent(check_lam(lam), int(n))


def entry_lambdas(X, y, p: Path, *, standardize: bool = True, fit_intercept: bool = True):
    """Exact lambda at which each feature first becomes non-zero (nan if never on the grid).

    Found by following the exact path between the two grid points that bracket
    the entry (regviz.homotopy), so it is a knot of the path, not a grid reading.
    """
    pen = make_penalty(p.penalty, p.l1_ratio)
    problem = prepare(X, y, standardize=standardize, fit_intercept=fit_intercept)
    return entry_lambdas_on(problem, pen, p.lams, p.std_coefs)


def entry_lambdas_on(problem: Problem, pen: Penalty, lams: np.ndarray, std: np.ndarray,
                     knots=None):
    """entry_lambdas on a prepared problem (shared with cached callers).

    With the L1 homotopy's ``knots`` an entry is the join knot inside its grid
    bracket; otherwise (and for any feature the knots miss) the path between
    the bracketing grid points is walked (regviz.homotopy).
    """
    if knots is None:
        return entry_lambdas_walked(problem, pen, lams, std)
    return entries_from_knots(problem, pen, lams, std, knots)
