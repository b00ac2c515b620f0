"""Logistic regression along a lambda grid: the fits, the path, the grid, scikit-learn's mapping.

Separable classes have no unpenalized optimum: as lambda falls the
coefficients grow without bound and the training log-loss goes to 0.  A path
stops, as glmnet does, at the first lambda whose fit explains 99.9% of the
null log-loss, and says so.  Each lambda is solved by ``logistic_solver``,
warm-started from the one above.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from regviz.api import check_grid, check_lam
from regviz.datafits import Logistic, sigmoid
from regviz.errors import DataError
from regviz.logistic_problem import SCALE_FLOOR, LogisticProblem, prepare_logistic
from regviz.logistic_solver import (
    DEVIANCE_RATIO_STOP,
    SeparableError,
    kkt_residual,
    lambda_max_of,
    null_log_loss,
    solve_checked,
    solve_one_lambda,
    unpenalized_fit,
)
from regviz.penalties import Penalty, make_penalty

# ----------------------------------------------------------------------------- results


@dataclass(frozen=True)
class LogisticFit:
    """One solution: coefficients on the original scale, the intercept, its KKT residual."""

    coef: np.ndarray
    intercept: float
    penalty: str
    lam: float
    l1_ratio: float
    kkt: float
    classes: tuple
    train_loss: float
    separable: bool = False
    note: str = ""

    @property
    def n_nonzero(self) -> int:
        return int(np.count_nonzero(self.coef))

    def decision_function(self, X) -> np.ndarray:
        """The log-odds ``b + x.w`` of the positive class."""
        return np.asarray(X, dtype=float) @ self.coef + self.intercept

    def predict_proba(self, X) -> np.ndarray:
        """Probability of the positive class (classes[1])."""
        return sigmoid(self.decision_function(X))

    def predict(self, X) -> np.ndarray:
        """1 where the positive class is more likely than not, else 0."""
        return (self.decision_function(X) > 0).astype(int)


@dataclass(frozen=True)
class LogisticPath:
    """Solutions along a descending lambda grid (cut short where the classes separate).

    ``coefs`` (len(lams), p) is on the original scale, ``std_coefs`` in standardized
    units; ``train_loss`` is the mean log-loss, ``deviance_ratio`` the share of the null
    log-loss it explains.  ``stopped`` says the grid was cut at ``lams[-1]`` because the
    fit there separates the training classes; ``note`` says it in words.
    """

    lams: np.ndarray
    coefs: np.ndarray
    intercepts: np.ndarray
    penalty: str
    l1_ratio: float
    lambda_max: float
    std_coefs: np.ndarray
    train_loss: np.ndarray
    train_accuracy: np.ndarray
    deviance_ratio: np.ndarray
    kkt: np.ndarray = field(repr=False)
    classes: tuple = (0, 1)
    requested: int = 0
    separable: bool = False
    stopped: bool = False
    note: str = ""

    @property
    def n_nonzero(self) -> np.ndarray:
        return np.count_nonzero(self.coefs, axis=1)

    def decision_function(self, X) -> np.ndarray:
        """Log-odds (len(lams), n) of every model on the path."""
        return self.coefs @ np.asarray(X, dtype=float).T + self.intercepts[:, None]

    def predict_proba(self, X) -> np.ndarray:
        return sigmoid(self.decision_function(X))


# ----------------------------------------------------------------------------- public API


def _separable_note(lam: float, accuracy: float, stopped: bool = False) -> str:
    """Why the path ends (or why the fit is on the edge), from the numbers of that fit."""
    return (f"At lambda = {lam:.3g} the fit explains at least {100 * DEVIANCE_RATIO_STOP:.1f}% "
            f"of the null log-loss (training accuracy {100 * accuracy:.1f}%): the classes are "
            "(nearly) separable, so with less penalty the coefficients grow without bound "
            "and there is no unpenalized optimum." + (" The path stops here." if stopped else ""))


def fit_logistic(X, y, *, penalty: str | Penalty, lam: float, l1_ratio: float = 0.5,
                 standardize: bool = True, positive=None) -> LogisticFit:
    """Minimise mean log-loss + lam*P(w) exactly at one lambda.

    Reached by a short warm-started walk down from lambda_max (each active-set step
    small).  lambda = 0 on separable classes has no optimum: a DataError says so.
    """
    pen = make_penalty(penalty, l1_ratio)
    lam = check_lam(lam)
    prob = prepare_logistic(X, y, standardize=standardize, positive=positive)
    v, b = _solve_from_top(prob, pen, lam)
    res = kkt_residual(prob, pen, lam, v, b)
    coef, intercept = prob.to_original(v, b)
    eta = b + prob.Z @ v
    loss = float(prob.datafit.value(prob.y, eta))
    null = null_log_loss(prob)
    separable = 1.0 - loss / null >= DEVIANCE_RATIO_STOP
    accuracy = float(np.mean((eta > 0) == (prob.y == 1)))
    return LogisticFit(coef=coef, intercept=float(intercept), penalty=pen.name, lam=lam,
                       l1_ratio=pen.a, kkt=res, classes=prob.classes, train_loss=loss,
                       separable=bool(separable),
                       note=_separable_note(lam, accuracy) if separable else "")


def _solve_from_top(prob: LogisticProblem, pen: Penalty, lam: float):
    top = lambda_max_of(prob, pen)
    b0 = prob.intercept_at_zero()
    v = np.zeros(prob.k)
    if lam >= top:
        return v, b0
    if lam == 0.0:
        try:
            return unpenalized_fit(prob, pen, v, b0)
        except SeparableError:
            raise DataError("The two classes are (nearly) perfectly separable by these "
                            "features, so the unpenalized fit has no optimum (its "
                            "coefficients grow without bound). Use a lambda above 0.") from None
    if math.isfinite(top):
        steps = int(min(20, max(1, np.ceil(np.log10(top / lam) * 4))))
        for step_lam in np.geomspace(top, lam, steps + 1)[1:-1]:
            v, b0 = solve_one_lambda(prob, pen, float(step_lam), v, b0)
    v, b, _ = solve_checked(prob, pen, lam, v, b0)
    return v, b


def logistic_lambda_max(X, y, *, penalty: str | Penalty, l1_ratio: float = 0.5,
                        standardize: bool = True) -> float:
    """Smallest lambda with every coefficient exactly zero: max_j |z_j.(y - ybar)|/n / a.

    The gradient at w = 0 with the intercept at the log-odds of the base rate; inf for L2.
    """
    pen = make_penalty(penalty, l1_ratio)
    return lambda_max_of(prepare_logistic(X, y, standardize=standardize), pen)


def default_logistic_grid(prob: LogisticProblem, pen: Penalty, n_lams: int = 100) -> np.ndarray:
    """glmnet-style: lambda_max down log-spaced to 1e-3 of it (1e-2 when p >= n).

    L2 has no lambda_max; its grid spans the curvature at w = 0 (base-rate IRLS weight
    times the mean eigenvalue of Z'Z/n) from 100 times above to 1e-4 below.
    """
    if n_lams < 2:
        raise DataError("A path needs at least 2 lambdas.")
    top = lambda_max_of(prob, pen)
    if math.isinf(top):
        rate = float(prob.y.mean())
        curvature = rate * (1 - rate) * max(float(np.mean(prob.Z**2)), 1e-12)
        return np.geomspace(1e2 * curvature, 1e-4 * curvature, n_lams)
    if top <= SCALE_FLOOR:
        raise DataError("No feature varies with the target (lambda_max is 0): "
                        "there is no path to draw.")
    eps = 1e-3 if prob.n > prob.k else 1e-2
    return np.geomspace(top, top * eps, n_lams)


def logistic_path(X, y, *, penalty: str | Penalty, n_lams: int = 100, lams=None,
                  l1_ratio: float = 0.5, standardize: bool = True,
                  positive=None) -> LogisticPath:
    """Exact solutions down a descending grid, warm-started; stops where the classes separate."""
    pen = make_penalty(penalty, l1_ratio)
    prob = prepare_logistic(X, y, standardize=standardize, positive=positive)
    grid = default_logistic_grid(prob, pen, n_lams) if lams is None else check_grid(lams)
    return path_on(prob, pen, grid)


def path_on(prob: LogisticProblem, pen: Penalty, grid: np.ndarray) -> LogisticPath:
    """logistic_path on a prepared problem and a checked descending grid."""
    top = lambda_max_of(prob, pen)
    null = null_log_loss(prob)
    v, b = np.zeros(prob.k), prob.intercept_at_zero()
    if grid[0] < top and math.isfinite(top):
        for lead in np.geomspace(top, grid[0], 6)[1:-1]:  # warm starts begin at a known answer
            v, b = solve_one_lambda(prob, pen, float(lead), v, b)
    V, B, kkt, losses, acc = [], [], [], [], []
    separable = False
    for lam in grid:
        lam = float(lam)
        if lam >= top:
            v, b, res = np.zeros(prob.k), prob.intercept_at_zero(), 0.0
            res = kkt_residual(prob, pen, lam, v, b)
        elif lam == 0.0:
            try:
                v, b = unpenalized_fit(prob, pen, v, b)
            except SeparableError:
                separable = True
                break
            res = kkt_residual(prob, pen, lam, v, b)
        else:
            guess = _predict(V, B, grid, len(V), v, b)
            v, b, res = solve_checked(prob, pen, lam, *guess)
        eta = b + prob.Z @ v
        V.append(v.copy())
        B.append(b)
        kkt.append(res)
        losses.append(float(prob.datafit.value(prob.y, eta)))
        acc.append(float(np.mean((eta > 0) == (prob.y == 1))))
        if null > 0 and 1.0 - losses[-1] / null >= DEVIANCE_RATIO_STOP:
            separable = True
            break
    return _make_path(prob, pen, grid, top, null, V, B, kkt, losses, acc, separable)


def _predict(V: list, B: list, grid: np.ndarray, i: int, v: np.ndarray, b: float):
    """Warm start for grid[i]: the last two solutions extrapolated linearly in log lambda.

    A coordinate the extrapolation would carry across zero keeps its last value, so the
    guess keeps the signs (and zeros) the active set starts from.
    """
    if i < 2 or grid[i - 1] <= 0 or grid[i - 2] <= 0 or grid[i] <= 0:
        return v, b
    step = math.log(grid[i] / grid[i - 1]) / math.log(grid[i - 1] / grid[i - 2])
    guess = V[-1] + step * (V[-1] - V[-2])
    keep = np.sign(guess) != np.sign(V[-1])
    guess[keep] = V[-1][keep]
    return guess, B[-1] + step * (B[-1] - B[-2])


def _make_path(prob, pen, grid, top, null, V, B, kkt, losses, acc, separable) -> LogisticPath:
    m = len(V)
    stopped = separable and m < len(grid)
    if m == 0:
        raise DataError("The two classes are (nearly) perfectly separable by these features "
                        "at every lambda asked for; use larger lambdas.")
    V = np.array(V).reshape(m, prob.k)
    coefs, intercepts = prob.to_original(V, np.array(B))
    losses = np.array(losses)
    note = _separable_note(float(grid[m - 1]), acc[-1], stopped) if separable else ""
    return LogisticPath(
        lams=np.asarray(grid[:m], dtype=float), coefs=coefs, intercepts=intercepts,
        penalty=pen.name, l1_ratio=pen.a, lambda_max=top, std_coefs=prob.full_std(V),
        train_loss=losses, train_accuracy=np.array(acc),
        deviance_ratio=1.0 - losses / null if null > 0 else np.zeros(m),
        kkt=np.array(kkt), classes=prob.classes, requested=int(len(grid)), separable=separable,
        stopped=stopped, note=note)


def logistic_sklearn_equivalent(penalty: str | Penalty, lam: float, l1_ratio: float, n: int):
    """("LogisticRegression", params) minimising the same objective on the standardized design."""
    pen = make_penalty(penalty, l1_ratio)
    return Logistic().sklearn_equivalent(pen, check_lam(lam), int(n))
