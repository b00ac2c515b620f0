"""What λ buys, from a known truth: bias, variance, and the price of tuning on the test set.

Every training sample is drawn afresh from one known linear model, so the
quantities that are only words elsewhere become numbers:

* squared bias: how far the average prediction (over training samples) is from the truth;
* variance: how much predictions move from one training sample to the next;
* test error: the error on new points, which is bias² + variance + noise (the
  decomposition is checked on the simulation itself, by the tests).

The second experiment tunes λ on the test set, as one should not, and compares
the error that choice claims with its true error on new data (computed exactly
from the known truth: ``noise² + b² + (w - w_hat)' Σ (w - w_hat)``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from regviz.api import path
from regviz.errors import DataError
from regviz.penalties import make_penalty
from regviz.selection import cross_validate

KINDS = ("sparse", "dense")


@dataclass(frozen=True)
class Truth:
    """A linear model ``y = x.w + noise*e`` with x ~ N(0, Σ), Σ equicorrelated (rho)."""

    w: np.ndarray
    noise: float
    rho: float
    kind: str

    @property
    def p(self) -> int:
        return self.w.size

    @property
    def cov(self) -> np.ndarray:
        return (1.0 - self.rho) * np.eye(self.p) + self.rho * np.ones((self.p, self.p))

    def draw(self, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """n rows of (X, y) from the model."""
        shared = rng.normal(size=(n, 1))
        X = math.sqrt(1.0 - self.rho) * rng.normal(size=(n, self.p)) + math.sqrt(self.rho) * shared
        return X, X @ self.w + self.noise * rng.normal(size=n)

    def excess_error(self, coefs: np.ndarray, intercepts: np.ndarray) -> np.ndarray:
        """Expected squared error on a new point above the noise: b² + (w - ŵ)'Σ(w - ŵ)."""
        d = np.asarray(coefs) - self.w
        return np.einsum("...i,ij,...j->...", d, self.cov, d) + np.asarray(intercepts) ** 2


def make_truth(kind: str, *, p: int = 30, k: int = 5, noise: float = 2.0, rho: float = 0.3,
               seed: int = 0) -> Truth:
    """Sparse (k of p coefficients non-zero) or dense (all p), with the same signal size |w|."""
    if kind not in KINDS:
        raise DataError(f"The truth must be one of {', '.join(KINDS)}, got {kind!r}.")
    if not 1 <= k <= p:
        raise DataError(f"Need 1 <= k <= p, got k = {k}, p = {p}.")
    if not (noise > 0 and math.isfinite(noise)):
        raise DataError("The noise level must be a positive number.")
    if not 0.0 <= rho < 1.0:
        raise DataError("The correlation rho must be in [0, 1).")
    rng = np.random.default_rng(seed + 31_000)
    w = np.zeros(p)
    if kind == "sparse":
        w[:k] = rng.choice([-1.0, 1.0], k) * rng.uniform(1.0, 2.0, k)
    else:
        w = rng.normal(size=p)
    size = 1.5 * math.sqrt(k)  # the same |w| for both kinds, so only the shape differs
    w *= size / np.linalg.norm(w)
    return Truth(w=w, noise=float(noise), rho=float(rho), kind=kind)


def lambda_grid(truth: Truth, penalty: str, n: int, *, n_lams: int = 30,
                seed: int = 0) -> np.ndarray:
    """A descending grid: L1 from λ_max of a pilot sample down 1000-fold; L2 from 1e2 to 1e-3."""
    if penalty == "l2":
        return np.geomspace(1e2, 1e-3, n_lams)
    X, y = truth.draw(n, np.random.default_rng(seed + 77))
    Z = (X - X.mean(0)) / X.std(0)
    top = 2.0 / n * float(np.max(np.abs(Z.T @ (y - y.mean()))))
    return np.geomspace(top, top * 1e-3, n_lams)


@dataclass(frozen=True)
class BiasVariance:
    """Per λ (descending): squared bias, variance, simulated test error and its MC error.

    ``mc_gap`` is the simulated test error minus (bias² + variance + noise²), one
    term per training sample; its mean over samples is the decomposition's
    Monte Carlo error and its standard error says how large that may be.
    """

    penalty: str
    lams: np.ndarray
    bias2: np.ndarray
    variance: np.ndarray
    test_error: np.ndarray
    test_se: np.ndarray
    noise_var: float
    mc_gap: np.ndarray
    mc_gap_se: np.ndarray
    lambda_cv: float
    reps: int

    @property
    def total(self) -> np.ndarray:
        """bias² + variance + noise²: what the test error should be."""
        return self.bias2 + self.variance + self.noise_var

    @property
    def best(self) -> int:
        """Index of the λ with the lowest simulated test error."""
        return int(np.argmin(self.test_error))


def bias_variance(truth: Truth, penalty: str, *, n_train: int = 50, n_test: int = 200,
                  reps: int = 100, n_lams: int = 30, seed: int = 0) -> BiasVariance:
    """Refit on ``reps`` fresh training samples; decompose the error at fixed test points.

    Test points are drawn once; each training sample gets its own fresh noise
    at those points, independent of the fit, so the simulated test error is an
    unbiased estimate of bias² + variance + noise².
    """
    if reps < 2:
        raise DataError("At least two training samples are needed to measure variance.")
    pen = make_penalty(penalty)
    lams = lambda_grid(truth, pen.name, n_train, n_lams=n_lams, seed=seed)
    rng = np.random.default_rng(seed)
    X_test, _ = truth.draw(n_test, rng)
    f_test = X_test @ truth.w
    preds = np.empty((reps, lams.size, n_test))
    errors = np.empty((reps, lams.size))
    lambda_cv = math.nan
    for r in range(reps):
        X, y = truth.draw(n_train, rng)
        fitted = path(X, y, penalty=pen, lams=lams)
        preds[r] = fitted.predict(X_test)
        if r == 0:
            lambda_cv = cross_validate(X, y, penalty=pen.name, lams=lams, seed=seed).lambda_min
        eps = truth.noise * rng.normal(size=n_test)
        errors[r] = np.mean((f_test + eps - preds[r]) ** 2, axis=1)
    mean_pred = preds.mean(axis=0)
    bias2 = np.mean((mean_pred - f_test) ** 2, axis=1)
    variance = np.mean(preds.var(axis=0), axis=1)
    noise_var = truth.noise**2
    # Per sample: its error less (its own squared distance from the truth) less noise²;
    # the mean of the distances is exactly bias² + variance, so these average to the gap.
    dist = np.mean((preds - f_test) ** 2, axis=2)
    gaps = errors - dist - noise_var
    return BiasVariance(
        penalty=pen.name, lams=lams, bias2=bias2, variance=variance,
        test_error=errors.mean(axis=0), test_se=errors.std(axis=0, ddof=1) / math.sqrt(reps),
        noise_var=noise_var, mc_gap=gaps.mean(axis=0),
        mc_gap_se=gaps.std(axis=0, ddof=1) / math.sqrt(reps), lambda_cv=float(lambda_cv),
        reps=reps,
    )


@dataclass(frozen=True)
class TuneOnTest:
    """Per training draw: the test error each choice of λ reports and its true error.

    ``claimed`` is the test-set error at the λ picked *on that test set*;
    ``fresh`` the same model's exact expected error on new data.  ``cv_claimed``
    and ``cv_fresh`` are the same for the λ picked by 5-fold CV on the training
    set, where the test set was not used to choose.
    """

    penalty: str
    claimed: np.ndarray
    fresh: np.ndarray
    cv_claimed: np.ndarray
    cv_fresh: np.ndarray
    n_test: int

    @property
    def optimism(self) -> np.ndarray:
        """How much lower the claim is than the truth, per draw (positive: too rosy)."""
        return self.fresh - self.claimed

    @property
    def cv_optimism(self) -> np.ndarray:
        return self.cv_fresh - self.cv_claimed


def tune_on_test(truth: Truth, penalty: str, *, n_train: int = 50, n_test: int = 30,
                 reps: int = 60, n_lams: int = 30, seed: int = 0) -> TuneOnTest:
    """Pick λ on the test set (wrong) and by CV (right), over ``reps`` fresh draws."""
    if reps < 2:
        raise DataError("At least two draws are needed.")
    pen = make_penalty(penalty)
    lams = lambda_grid(truth, pen.name, n_train, n_lams=n_lams, seed=seed)
    rng = np.random.default_rng(seed + 1)
    out = np.empty((4, reps))
    for r in range(reps):
        X, y = truth.draw(n_train, rng)
        X_test, y_test = truth.draw(n_test, rng)
        fitted = path(X, y, penalty=pen, lams=lams)
        test_err = np.mean((y_test - fitted.predict(X_test)) ** 2, axis=1)
        fresh = truth.noise**2 + truth.excess_error(fitted.coefs, fitted.intercepts)
        i_test = int(np.argmin(test_err))
        i_cv = cross_validate(X, y, penalty=pen.name, lams=lams, seed=seed + r).idx_min
        out[:, r] = test_err[i_test], fresh[i_test], test_err[i_cv], fresh[i_cv]
    return TuneOnTest(penalty=pen.name, claimed=out[0], fresh=out[1], cv_claimed=out[2],
                      cv_fresh=out[3], n_test=n_test)
