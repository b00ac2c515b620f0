"""Independent checks of optimality, computed from raw X and y (not from the solver's Gram)."""

from __future__ import annotations

import numpy as np


def standardized(X: np.ndarray, standardize: bool = True, fit_intercept: bool = True):
    """Z as the objective defines it, with the mask of columns that can be non-zero."""
    X = np.asarray(X, dtype=float)
    mu = X.mean(axis=0) if fit_intercept else np.zeros(X.shape[1])
    Z = X - mu
    sd = X.std(axis=0)
    constant = np.all(X == X[0], axis=0) if fit_intercept else np.all(X == 0, axis=0)  # noqa: SIM300
    if standardize:
        free = (sd > 0) & ~constant
        Z = np.where(free, Z / np.where(free, sd, 1.0), 0.0)
        return Z, np.where(free, sd, 1.0), free
    free = ~constant
    return np.where(free, Z, 0.0), np.ones(X.shape[1]), free


def kkt_violation(X, y, coef, intercept, *, lam, a, standardize=True, fit_intercept=True):
    """Relative KKT residual of (coef, intercept) for the app's objective.

    Zero coefficients need |(2/n) z_j.r| <= lam*a; non-zero ones need the
    gradient to balance the penalty exactly.  Also checks the intercept.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n = len(y)
    Z, sd, free = standardized(X, standardize, fit_intercept)
    v = coef * sd
    assert np.all(coef[~free] == 0), "a column that cannot carry weight got a coefficient"
    mu = X.mean(axis=0) if fit_intercept else np.zeros(X.shape[1])
    ybar = y.mean() if fit_intercept else 0.0
    # Centred residual: y - b - Xw with b = ybar - mu.w, without cancelling large numbers.
    yc = y - ybar
    resid = yc - (X - mu) @ coef
    scale = max(2.0 / n * np.max(np.abs(Z.T @ yc)), 1e-300)
    grad = -2.0 / n * (Z.T @ resid) + 2.0 * lam * (1 - a) * v
    l1 = lam * a
    dist = np.where(v != 0, np.abs(grad + l1 * np.sign(v)), np.maximum(np.abs(grad) - l1, 0.0))
    worst = float(np.max(dist[free], initial=0.0)) / scale
    expected_b = ybar - mu @ coef
    tol = 1e-9 * (abs(ybar) + abs(mu) @ abs(coef) + 1e-300)
    assert abs(intercept - expected_b) <= tol, "intercept is not the unpenalized optimum"
    return worst


def correlated_table(n: int, p: int, seed: int = 0):
    """A correlated pair, 10 true features, noise, columns in mixed units (large supports)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    X[:, 1] = 0.95 * X[:, 0] + np.sqrt(1 - 0.95**2) * X[:, 1]
    X = X * rng.uniform(0.5, 20, p) + rng.uniform(-5, 5, p)
    w = np.zeros(p)
    w[:10] = rng.choice([-1.0, 1.0], 10) * rng.uniform(1.0, 3.0, 10)
    y = (X - X.mean(0)) / X.std(0) @ w + 2.0 * rng.standard_normal(n)
    return X, y
