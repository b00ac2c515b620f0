"""Exact L1, L2 and elastic-net logistic regression, generic over the data fit.

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

Separable classes have no unpenalized optimum: as lambda falls the
coefficients grow without bound and the training log-loss goes to 0.  A path
stops, as glmnet does, at the first lambda whose fit explains 99.9% of the
null log-loss, and says so.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np

from regviz.datafits import Datafit, Logistic, sigmoid
from regviz.errors import ConvergenceWarning, DataError
from regviz.penalties import Penalty, make_penalty

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
# Smallest gradient scale: below it the features carry no signal worth a relative residual.
_SCALE_FLOOR = 1e-12


# ----------------------------------------------------------------------------- labels


def binary_labels(y, positive=None, name: str = "The target") -> tuple[np.ndarray, tuple]:
    """(y as 0.0/1.0, (negative class, positive class)) from any two-valued column.

    Booleans, two numbers (the larger is positive) and two text levels (the later
    in sorted order is positive, so "yes" over "no") are accepted; ``positive``
    picks the positive class explicitly.  One class, a class with a single row,
    three or more classes and missing labels are DataErrors that say which.
    """
    arr = np.asarray(y)
    if arr.ndim == 2 and 1 in arr.shape:
        arr = arr.reshape(-1)
    if arr.ndim != 1:
        raise DataError(f"{name} must be a single column of labels.")
    if arr.size == 0:
        raise DataError(f"{name} is empty.")
    levels, codes = _levels(arr, name)
    counts = np.bincount(codes, minlength=len(levels))
    _check_two_classes(levels, counts, name)
    pos = 1
    if positive is not None:
        matches = [i for i, level in enumerate(levels) if level == positive]
        if not matches:
            raise DataError(f"{positive!r} is not one of the target's classes "
                            f"({levels[0]!r}, {levels[1]!r}).")
        pos = matches[0]
    return (codes == pos).astype(float), (levels[1 - pos], levels[pos])


def _levels(arr: np.ndarray, name: str) -> tuple[list, np.ndarray]:
    """Sorted distinct labels and each row's index into them; missing labels are errors."""
    if arr.dtype.kind in "biuf":
        values = arr.astype(float)
        bad = np.flatnonzero(~np.isfinite(values))
        if bad.size:
            raise DataError(f"{name} is missing (or infinite) at row {bad[0] + 1}; "
                            "every row needs a class.")
        uniq, codes = np.unique(values, return_inverse=True)
        levels = [bool(u) if arr.dtype.kind == "b" else _plain_number(u) for u in uniq]
        return levels, codes
    texts = []
    for i, value in enumerate(arr.tolist()):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            raise DataError(f"{name} is missing at row {i + 1}; every row needs a class.")
        texts.append(str(value))
    uniq, codes = np.unique(np.array(texts, dtype=object), return_inverse=True)
    return list(uniq), codes


def _plain_number(u: float):
    return int(u) if float(u).is_integer() else float(u)


def _check_two_classes(levels: list, counts: np.ndarray, name: str) -> None:
    listing = ", ".join(f"{level!r}: {c} row{'s' if c != 1 else ''}"
                        for level, c in zip(levels, counts, strict=True))
    if len(levels) == 1:
        raise DataError(f"{name} has one class only ({levels[0]!r} in all {counts[0]} rows); "
                        "a classifier needs rows of two classes.")
    if len(levels) > 2:
        shown = listing if len(levels) <= 8 else ", ".join(map(repr, levels[:8])) + ", ..."
        hint = _spelling_hint(levels)
        raise DataError(f"{name} has {len(levels)} classes ({shown}); logistic regression here "
                        "needs exactly two. " + hint)
    lonely = [lv for lv, c in zip(levels, counts, strict=True) if c < 2]
    if lonely:
        raise DataError(f"{name}'s class {lonely[0]!r} has only 1 row ({listing}); each class "
                        "needs at least 2 rows to fit and check a classifier.")


def _spelling_hint(levels: list) -> str:
    """Point at levels that differ only in case or spaces; otherwise say how to make two."""
    folded: dict[str, list] = {}
    for level in levels:
        folded.setdefault(str(level).strip().lower(), []).append(level)
    same = [group for group in folded.values() if len(group) > 1]
    if same:
        pair = " and ".join(repr(v) for v in same[0])
        return (f"{pair} differ only in capitals or spaces: fix the spelling so each class is "
                "written one way.")
    return ("Check for typos among the rare classes, or make the target binary "
            "(one class against the rest).")


# ----------------------------------------------------------------------------- the problem


@dataclass(frozen=True)
class LogisticProblem:
    """The data in standardized coordinates: ``eta = b + Z v`` over the free columns."""

    Z: np.ndarray  # (n, k): centred (and scaled) columns that can carry a coefficient
    y: np.ndarray  # (n,) 0.0 / 1.0
    free: np.ndarray  # (p,) which original columns are in Z
    x_mean: np.ndarray
    x_scale: np.ndarray
    classes: tuple
    datafit: Datafit = field(default_factory=Logistic)
    cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def n(self) -> int:
        return self.Z.shape[0]

    @property
    def k(self) -> int:
        return self.Z.shape[1]

    @property
    def p(self) -> int:
        return self.free.size

    def to_original(self, V: np.ndarray, B: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Standardized (..., k) and intercepts -> original-scale (..., p) coef and intercept."""
        V = np.asarray(V, dtype=float)
        W = np.zeros(V.shape[:-1] + (self.p,))
        W[..., self.free] = V / self.x_scale[self.free]
        return W, np.asarray(B, dtype=float) - W @ self.x_mean

    def full_std(self, V: np.ndarray) -> np.ndarray:
        """Standardized coefficients over all p columns (0 for constant ones)."""
        out = np.zeros(np.shape(V)[:-1] + (self.p,))
        out[..., self.free] = V
        return out

    def intercept_at_zero(self) -> float:
        return self.datafit.intercept_at_zero(self.y)

    def gradient_scale(self) -> float:
        """The gradient's size at w = 0: the scale of every relative KKT residual."""
        if "scale" not in self.cache:
            g0 = self.datafit.gradient_at_zero(self.Z, self.y)
            self.cache["scale"] = max(float(np.max(np.abs(g0), initial=0.0)), _SCALE_FLOOR)
        return self.cache["scale"]

    def row_space(self) -> tuple[LogisticProblem, np.ndarray]:
        """(the problem on Z's row space, its basis V): Z = (Z V) V' with V (k x rank).

        Without an L1 part the optimum lies in Z's row space (stationarity gives
        ``2*l2*v = -Z'r/n``), so a wide problem is solved exactly in at most n dimensions.
        """
        if "row_space" not in self.cache:
            U, sing, Vt = np.linalg.svd(self.Z, full_matrices=False)
            floor = sing[0] * max(self.Z.shape) * np.finfo(float).eps if sing.size else 0.0
            keep = sing > floor
            small = LogisticProblem(Z=U[:, keep] * sing[keep], y=self.y,
                                    free=np.ones(int(keep.sum()), dtype=bool),
                                    x_mean=np.zeros(int(keep.sum())),
                                    x_scale=np.ones(int(keep.sum())), classes=self.classes,
                                    datafit=self.datafit)
            small.cache["scale"] = self.gradient_scale()
            self.cache["row_space"] = (small, Vt[keep].T)
        return self.cache["row_space"]

    def gram_rows(self) -> np.ndarray:
        """Z Z' (n x n), for Newton steps on more coordinates than rows."""
        if "ZZt" not in self.cache:
            self.cache["ZZt"] = self.Z @ self.Z.T
        return self.cache["ZZt"]


def _check_x(X, n: int) -> np.ndarray:
    try:
        X = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise DataError(f"X must be numeric: {exc}") from None
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2:
        raise DataError(f"X must be a 2-D table of numbers, got {X.ndim} dimensions.")
    if X.shape[0] != n:
        raise DataError(f"X has {X.shape[0]} rows but y has {n}; they must match.")
    if X.shape[1] < 1:
        raise DataError("X has no columns: at least one feature is needed.")
    bad = ~np.isfinite(X)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise DataError(f"X has a missing or infinite value at row {row + 1}, column {col + 1}.")
    if np.max(np.abs(X), initial=0.0) > 1e150:
        raise DataError("X has a value above 1e150 in magnitude, which overflows when "
                        "squared; rescale that column.")
    return X


def prepare_logistic(X, y, *, standardize: bool = True, positive=None,
                     datafit: Datafit | None = None) -> LogisticProblem:
    """Labels to 0/1, columns centred and (population-sd) scaled; constant columns left out."""
    y01, classes = binary_labels(y, positive)
    X = _check_x(X, y01.size)
    mu = X.mean(axis=0)
    Xc = X - mu
    sd = np.sqrt(np.mean(Xc**2, axis=0))
    free = ~np.all(X[0] == X, axis=0) & (sd > 0)
    scale = np.where(free & standardize, sd, 1.0)
    Z = np.ascontiguousarray(Xc[:, free] / scale[free])
    return LogisticProblem(Z=Z, y=y01, free=free, x_mean=mu, x_scale=scale, classes=classes,
                           datafit=Logistic() if datafit is None else datafit)


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


def _solve(prob: LogisticProblem, pen: Penalty, lam: float, v: np.ndarray, b: float):
    """Exact minimiser at one lambda from a warm start: Newton on the support, violators in."""
    l1, _ = pen.weights(lam)
    if l1 == 0 and prob.k > prob.n:
        small, V = prob.row_space()
        theta, b = _solve(small, pen, lam, V.T @ v, b)
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


def _solve_checked(prob, pen, lam, v, b):
    """_solve, with a cold restart if the warm start fell short; warns if still short."""
    v1, b1 = _solve(prob, pen, lam, v, b)
    res = kkt_residual(prob, pen, lam, v1, b1)
    if res > KKT_TOL:
        v2, b2 = _solve(prob, pen, lam, np.zeros(prob.k), prob.intercept_at_zero())
        res2 = kkt_residual(prob, pen, lam, v2, b2)
        if res2 < res:
            v1, b1, res = v2, b2, res2
    if res > KKT_TOL:
        warnings.warn(f"Logistic solver stopped at relative KKT residual {res:.2e} "
                      f"(> {KKT_TOL:g}) at lambda={lam:g}.", ConvergenceWarning, stacklevel=3)
    return v1, b1, res


def _unpenalized(prob: LogisticProblem, pen: Penalty, v, b):
    """lambda = 0: the maximum-likelihood fit, or _SeparableError when the classes separate."""
    v, b = _solve(prob, pen, 0.0, v, b)
    loss = float(prob.datafit.value(prob.y, b + prob.Z @ v))
    null = _null_value(prob)
    if null > 0 and 1.0 - loss / null >= DEVIANCE_RATIO_STOP:
        raise _SeparableError(loss)
    return v, b


class _SeparableError(Exception):
    """The fit has (nearly) separated the classes: no finite unpenalized optimum."""


def _null_value(prob: LogisticProblem) -> float:
    eta = np.full(prob.n, prob.intercept_at_zero())
    return float(prob.datafit.value(prob.y, eta))


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


def _check_lam(lam) -> float:
    try:
        lam = float(lam)
    except (TypeError, ValueError):
        raise DataError(f"lambda must be a number, got {lam!r}.") from None
    if not math.isfinite(lam) or lam < 0:
        raise DataError(f"lambda must be a finite number >= 0, got {lam!r}.")
    return lam


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
    lam = _check_lam(lam)
    prob = prepare_logistic(X, y, standardize=standardize, positive=positive)
    v, b = _solve_from_top(prob, pen, lam)
    res = kkt_residual(prob, pen, lam, v, b)
    coef, intercept = prob.to_original(v, b)
    eta = b + prob.Z @ v
    loss = float(prob.datafit.value(prob.y, eta))
    null = _null_value(prob)
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
            return _unpenalized(prob, pen, v, b0)
        except _SeparableError:
            raise DataError("The two classes are (nearly) perfectly separable by these "
                            "features, so the unpenalized fit has no optimum (its "
                            "coefficients grow without bound). Use a lambda above 0.") from None
    if math.isfinite(top):
        steps = int(min(20, max(1, np.ceil(np.log10(top / lam) * 4))))
        for step_lam in np.geomspace(top, lam, steps + 1)[1:-1]:
            v, b0 = _solve(prob, pen, float(step_lam), v, b0)
    v, b, _ = _solve_checked(prob, pen, lam, v, b0)
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
    if top <= _SCALE_FLOOR:
        raise DataError("No feature varies with the target (lambda_max is 0): "
                        "there is no path to draw.")
    eps = 1e-3 if prob.n > prob.k else 1e-2
    return np.geomspace(top, top * eps, n_lams)


def check_grid(lams) -> np.ndarray:
    """Distinct finite lambdas >= 0, descending."""
    lams = np.atleast_1d(np.asarray(lams, dtype=float))
    if lams.ndim != 1 or lams.size == 0:
        raise DataError("lams must be a non-empty list of numbers.")
    if not np.all(np.isfinite(lams)) or np.any(lams < 0):
        raise DataError("Every lambda must be a finite number >= 0.")
    return np.unique(lams)[::-1].copy()


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
    null = _null_value(prob)
    v, b = np.zeros(prob.k), prob.intercept_at_zero()
    if grid[0] < top and math.isfinite(top):
        for lead in np.geomspace(top, grid[0], 6)[1:-1]:  # warm starts begin at a known answer
            v, b = _solve(prob, pen, float(lead), v, b)
    V, B, kkt, losses, acc = [], [], [], [], []
    separable = False
    for lam in grid:
        lam = float(lam)
        if lam >= top:
            v, b, res = np.zeros(prob.k), prob.intercept_at_zero(), 0.0
            res = kkt_residual(prob, pen, lam, v, b)
        elif lam == 0.0:
            try:
                v, b = _unpenalized(prob, pen, v, b)
            except _SeparableError:
                separable = True
                break
            res = kkt_residual(prob, pen, lam, v, b)
        else:
            guess = _predict(V, B, grid, len(V), v, b)
            v, b, res = _solve_checked(prob, pen, lam, *guess)
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
    return Logistic().sklearn_equivalent(pen, _check_lam(lam), int(n))
