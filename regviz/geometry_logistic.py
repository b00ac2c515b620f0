"""Constraint geometry for a two-class target: log-loss contours and exact touching points.

The loss surface over (w1, w2) has the intercept profiled out: at every grid
point the intercept is the one minimising the mean log-loss there, so a contour
is the set of coefficient pairs whose best achievable loss is the same.  These
contours are not ellipses (the loss is not quadratic), yet the exact penalized
fit still sits where the contour through its loss level touches the region, and
the L1 region's corners still make exact zeros.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from regviz.errors import DataError
from regviz.logistic import fit_logistic, logistic_lambda_max, prepare_logistic

NEWTON_STEPS = 100
GRADIENT_TOL = 1e-13
ROOM = 2.0  # window half-width over the larger region's reach
MIN_HALF = 1.0
CHUNK_ROWS = 2048  # grid points per vectorized Newton block (bounds memory to ~CHUNK x n)


def standardized_pair(X, y) -> tuple[np.ndarray, np.ndarray, tuple]:
    """(Z, y01, classes): the two columns centred and population-sd scaled, labels 0/1.

    The same standardization the solver uses, so the picture's w are the app's
    standardized coefficients.  Raises DataError when a column does not vary.
    """
    prob = prepare_logistic(X, y)
    if prob.k != 2:
        raise DataError("Both chosen columns must vary to draw the log-loss picture; "
                        f"{2 - prob.k} of them is constant.")
    return prob.Z, prob.y, prob.classes


def _profile_block(Z: np.ndarray, y: np.ndarray, W: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Safeguarded 1-D Newton on the intercept, one row per coefficient pair in W."""
    eta0 = W @ Z.T  # (m, n)
    base = float(np.log(y.mean()) - np.log1p(-y.mean()))
    # mean sigmoid(b + eta0) <= ybar at lo and >= ybar at hi: the root lies between.
    lo, hi = base - eta0.max(axis=1), base - eta0.min(axis=1)
    b = np.clip(np.full(W.shape[0], base), lo, hi)
    for _ in range(NEWTON_STEPS):
        eta = b[:, None] + eta0
        p = np.exp(-np.logaddexp(0.0, -eta))
        grad = p.mean(axis=1) - y.mean()
        if np.max(np.abs(grad)) < GRADIENT_TOL:
            break
        hess = (p * (1.0 - p)).mean(axis=1)
        lo = np.where(grad < 0, b, lo)
        hi = np.where(grad > 0, b, hi)
        step = b - grad / np.maximum(hess, 1e-300)
        inside = (step > lo) & (step < hi)
        b = np.where(inside, step, 0.5 * (lo + hi))
    eta = b[:, None] + eta0
    loss = (np.logaddexp(0.0, eta) - y * eta).mean(axis=1)
    return loss, b


def profiled_loss(Z: np.ndarray, y: np.ndarray, W) -> tuple[np.ndarray, np.ndarray]:
    """(mean log-loss, best intercept) at each coefficient pair in W (..., 2)."""
    W = np.asarray(W, dtype=float)
    flat = W.reshape(-1, 2)
    losses, intercepts = np.empty(len(flat)), np.empty(len(flat))
    for start in range(0, len(flat), CHUNK_ROWS):
        part = slice(start, start + CHUNK_ROWS)
        losses[part], intercepts[part] = _profile_block(Z, y, flat[part])
    return losses.reshape(W.shape[:-1]), intercepts.reshape(W.shape[:-1])


@dataclass(frozen=True)
class Touch:
    """One penalty's exact fit at lambda, in standardized coordinates."""

    penalty: str  # "l1" or "l2"
    w: np.ndarray  # (2,) standardized coefficients; exact 0.0 where the solver zeroes one
    intercept: float
    loss: float  # mean log-loss at (w, intercept): the level of the contour through w
    reach: float  # t: L1 norm (diamond) or L2 norm (circle)
    kkt: float


def touch(Z: np.ndarray, y: np.ndarray, penalty: str, lam: float) -> Touch:
    """The exact penalized logistic fit at lam and the reach of its region."""
    fit = fit_logistic(Z, y, penalty=penalty, lam=lam, standardize=False)
    w = np.asarray(fit.coef, dtype=float)
    t = float(np.abs(w).sum()) if penalty == "l1" else float(np.hypot(*w))
    return Touch(penalty, w, fit.intercept + 0.0, fit.train_loss, t, fit.kkt)


def lambda_grid(Z: np.ndarray, y: np.ndarray, count: int = 41, decades: float = 3.0) -> np.ndarray:
    """Log grid from the logistic L1 lambda_max (both coefficients 0) down ``decades``."""
    top = logistic_lambda_max(Z, y, penalty="l1", standardize=False)
    return top * np.logspace(0.0, -decades, count)


@dataclass(frozen=True)
class Picture:
    """Everything the figure draws at one lambda."""

    w1s: np.ndarray
    w2s: np.ndarray
    loss: np.ndarray  # (len(w2s), len(w1s)) profiled mean log-loss
    l1: Touch
    l2: Touch
    lam: float


def picture(Z: np.ndarray, y: np.ndarray, lam: float, half: float | None = None,
            size: int = 81) -> Picture:
    """The profiled log-loss on a size x size grid of [-half, half]^2 and both touches.

    Without ``half`` the window fits this lambda's regions with room around them,
    so small regions at large lambda stay readable.
    """
    l1, l2 = touch(Z, y, "l1", lam), touch(Z, y, "l2", lam)
    if half is None:
        half = max(ROOM * max(l1.reach, l2.reach), MIN_HALF)
    w1s = np.linspace(-half, half, size)
    w2s = np.linspace(-half, half, size)
    W = np.stack(np.meshgrid(w1s, w2s), axis=-1)
    loss, _ = profiled_loss(Z, y, W)
    return Picture(w1s, w2s, loss, l1, l2, float(lam))


def default_index(Z: np.ndarray, y: np.ndarray, lams: np.ndarray) -> int:
    """A grid position where the L1 fit sits on a corner (one exact zero), if any.

    The middle of those positions, so the first view shows the lesson; otherwise
    a third of the way down the grid.
    """
    corners = [i for i, lam in enumerate(lams)
               if np.count_nonzero(touch(Z, y, "l1", float(lam)).w) == 1]
    return corners[len(corners) // 2] if corners else len(lams) // 3
