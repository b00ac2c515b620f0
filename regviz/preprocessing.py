"""Turn raw (X, y) into the small p x p problem every solver works on.

Tall data is bound by one pass over X, so the standardized matrix is never
built: we take column means and the Gram of the raw X once, then centre and
scale the Gram algebraically.  Columns whose mean is large next to their
spread would lose digits in ``X'X - n mu mu'``; for those few columns the
centred products are recomputed exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from regviz.errors import DataError

# Where variance/mean^2 falls below this, ``X'X - n mu mu'`` keeps too few digits.
_CANCELLATION = 1e-4


@dataclass(frozen=True)
class Problem:
    """The fitted problem in standardized coordinates.

    The objective in these coordinates is ``v'Gv - 2c'v + const + lam*P(v)``
    with ``G = Z'Z/n`` and ``c = Z'(y - ybar)/n``, where ``Z`` is the centred
    (and, with standardize, scaled) design.  ``free`` marks columns that can
    carry a coefficient (a constant column cannot).
    """

    gram: np.ndarray
    corr: np.ndarray
    x_mean: np.ndarray
    x_scale: np.ndarray
    y_mean: float
    y_var: float
    n: int
    free: np.ndarray
    fit_intercept: bool

    @property
    def p(self) -> int:
        return self.gram.shape[0]

    def to_original(self, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Map standardized coefficients (..., p) to original-scale coef and intercept."""
        w = np.where(self.free, v / self.x_scale, 0.0)
        if not self.fit_intercept:
            return w, np.zeros(w.shape[:-1])
        return w, self.y_mean - w @ self.x_mean

    def mse(self, v: np.ndarray, vg: np.ndarray | None = None) -> np.ndarray:
        """Training MSE of standardized coefficients, from the Gram alone (vg = v @ G if known)."""
        quad = ((v @ self.gram if vg is None else vg) * v).sum(axis=-1)
        return np.maximum(self.y_var - 2.0 * (v @ self.corr) + quad, 0.0)


def check_xy(X, y) -> tuple[np.ndarray, np.ndarray]:
    """Validate shapes and finiteness; return float64 arrays (X C-contiguous)."""
    try:
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise DataError(f"X and y must be numeric: {exc}") from None
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2:
        raise DataError(f"X must be a 2-D table of numbers, got {X.ndim} dimensions.")
    if y.ndim != 1:
        y = y.reshape(-1) if y.ndim == 2 and 1 in y.shape else y
    if y.ndim != 1:
        raise DataError("y must be a single column of numbers.")
    n, p = X.shape
    if y.shape[0] != n:
        raise DataError(f"X has {n} rows but y has {y.shape[0]}; they must match.")
    if n < 2:
        raise DataError(f"At least 2 rows are needed to fit a model; got {n}.")
    if p < 1:
        raise DataError("X has no columns: at least one feature is needed.")
    _check_values(y[:, None], "y")
    return np.ascontiguousarray(X), y


def _check_values(X: np.ndarray, name: str) -> None:
    """DataError naming the first missing, infinite or overflowing cell of X."""
    bad = ~np.isfinite(X)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        where = f"row {row + 1}" + (f", column {col + 1}" if X.shape[1] > 1 else "")
        raise DataError(f"{name} has a missing or infinite value at {where}.")
    huge = np.abs(X) > 1e150
    if huge.any():
        row, col = np.argwhere(huge)[0]
        raise DataError(
            f"{name} has a value above 1e150 in magnitude at row {row + 1}, which overflows "
            "when squared; rescale that column."
        )


def prepare(X, y, *, standardize: bool = True, fit_intercept: bool = True) -> Problem:
    """Build the standardized-space Gram problem from raw X and y in one pass over X."""
    X, y = check_xy(X, y)
    n = X.shape[0]
    y_mean = float(y.mean()) if fit_intercept else 0.0
    yc = y - y_mean
    with np.errstate(all="ignore"):  # non-finite input becomes a DataError just below
        gram_raw = X.T @ X
        # One more pass gives both the column sums and X'yc; non-finite X shows up here too.
        sums = X.T @ np.column_stack([np.ones(n), yc])
    diag = np.diag(gram_raw)
    if not (np.all(np.isfinite(diag)) and np.all(np.isfinite(sums))) or diag.max() > 1e290:
        _check_values(X, "X")
        if fit_intercept:  # values within the guard whose sums overflow: work in units
            m = pooled(row_blocks(X, y, [np.arange(n)]))
            return problem_from_moments(m, standardize=standardize)
    constant = np.zeros(X.shape[1], dtype=bool)
    if fit_intercept:
        mu = sums[:, 0] / n
        gram = gram_raw
        gram -= n * np.outer(mu, mu)
        risky = np.flatnonzero(np.diag(gram) <= _CANCELLATION * n * mu**2)
        if risky.size:
            constant[risky] = np.all(X[:, risky] == X[0, risky], axis=0)
            gram = _exact_centred_columns(X, mu, gram, risky)
        corr_raw = sums[:, 1] - mu * yc.sum()
    else:
        mu = np.zeros(X.shape[1])
        gram = gram_raw
        corr_raw = sums[:, 1]
    free = ~constant & (np.diag(gram) > 0)
    if standardize:
        # Population sd (ddof=0); without an intercept, still the spread around the mean.
        sd = np.sqrt(np.diag(gram) / n) if fit_intercept else X.std(axis=0)
        free &= sd > 0
        scale = np.where(free, sd, 1.0)
    else:
        scale = np.ones(X.shape[1])
    # One symmetric multiply keeps G exactly symmetric (X'X and mu mu' already are).
    inv = np.where(free, 1.0 / scale, 0.0)
    gram *= np.outer(inv, inv / n)
    corr = corr_raw * inv / n
    return Problem(
        gram=gram,
        corr=corr,
        x_mean=mu,
        x_scale=scale,
        y_mean=y_mean,
        y_var=float(mean_square(yc)),
        n=n,
        free=free,
        fit_intercept=fit_intercept,
    )


def _exact_centred_columns(X: np.ndarray, mu: np.ndarray, gram: np.ndarray, cols: np.ndarray):
    """Recompute Gram rows/columns of ill-conditioned columns from centred copies."""
    gram = gram.copy()
    xc = X[:, cols] - mu[cols]
    block = X.T @ xc - np.outer(mu, xc.sum(axis=0))
    gram[:, cols] = block
    gram[cols, :] = block.T
    return gram


def mean_square(r: np.ndarray, axis: int = -1) -> np.ndarray:
    """mean(r**2) along ``axis`` without overflow: scaled by the largest |r| first.

    Values the data guard accepts (1e150) square to 1e300; their sum over many
    rows, or the square of such a mean (a variance of MSEs), would overflow.
    """
    r = np.asarray(r, dtype=float)
    s = np.max(np.abs(r), axis=axis, keepdims=True, initial=0.0)
    s = np.where(s > 0, s, 1.0)
    return (np.mean((r / s) ** 2, axis=axis, keepdims=True) * s**2).squeeze(axis)


def _power_of_two_units(X: np.ndarray) -> np.ndarray:
    """Per column a power of two near max|x|: dividing by it is exact and keeps X'X finite."""
    big = np.max(np.abs(X), axis=0, initial=0.0)
    return np.where(big > 0, np.exp2(np.floor(np.log2(np.where(big > 0, big, 1.0)))), 1.0)


@dataclass(frozen=True)
class Moments:
    """Means and centred second moments of one block of rows (X in units of ``unit``).

    Blocks pool exactly by the parallel-axis rule, so a fold's training rows
    are the pool of the other folds: one pass over X serves every fold, and no
    Gram is centred by subtracting large numbers.
    """

    n: int
    x_mean: np.ndarray  # of X / unit
    y_mean: float
    xx: np.ndarray  # mean (x - mean)(x - mean)' of X / unit
    xy: np.ndarray  # mean (x - mean)(y - y_mean)
    yy: float  # mean (y - y_mean)^2
    unit: np.ndarray  # powers of two
    constant: np.ndarray  # column constant on these rows
    first: np.ndarray  # the block's first row of X / unit (to compare constants across blocks)


def block_moments(X: np.ndarray, y: np.ndarray, rows: np.ndarray, unit: np.ndarray) -> Moments:
    """Moments of X[rows], y[rows]; X already checked, ``unit`` shared by every block."""
    Xb = X[rows] / unit
    yb = y[rows]
    n = len(rows)
    mu = Xb.mean(axis=0)
    first = Xb[0].copy()
    Xb -= mu
    y_mean = float(yb.mean())
    yc = yb - y_mean
    xx = Xb.T @ Xb / n
    xy = Xb.T @ yc / n
    diag = np.diag(xx)
    constant = np.zeros(X.shape[1], dtype=bool)
    risky = np.flatnonzero(diag <= _CANCELLATION * mu**2)
    if risky.size:
        constant[risky] = np.all(X[np.ix_(rows, risky)] == X[rows[0], risky], axis=0)
        xx[constant, :] = 0.0
        xx[:, constant] = 0.0
        xy[constant] = 0.0
    return Moments(n=n, x_mean=mu, y_mean=y_mean, xx=xx, xy=xy, yy=float(mean_square(yc)),
                   unit=unit, constant=constant, first=first)


def pooled(parts: list[Moments]) -> Moments:
    """The moments of the union of disjoint blocks (parallel-axis rule, no cancellation)."""
    n = sum(m.n for m in parts)
    share = [m.n / n for m in parts]
    mu = sum(w * m.x_mean for w, m in zip(share, parts, strict=True))
    y_mean = sum(w * m.y_mean for w, m in zip(share, parts, strict=True))
    weights = np.asarray(share)
    dx = np.array([m.x_mean - mu for m in parts])  # (blocks, p) offsets of the block means
    dy = np.array([m.y_mean - y_mean for m in parts])
    xx = (dx.T * weights) @ dx
    for w, m in zip(share, parts, strict=True):
        xx += w * m.xx
    xy = sum(w * m.xy for w, m in zip(share, parts, strict=True)) + (dx.T * weights) @ dy
    yy = sum(w * m.yy for w, m in zip(share, parts, strict=True)) + float(weights @ dy**2)
    constant = np.logical_and.reduce([m.constant for m in parts])
    constant &= np.logical_and.reduce([m.first == parts[0].first for m in parts])
    xx[constant, :] = 0.0
    xx[:, constant] = 0.0
    xy[constant] = 0.0
    return Moments(n=n, x_mean=mu, y_mean=float(y_mean), xx=xx, xy=xy, yy=float(yy),
                   unit=parts[0].unit, constant=constant, first=parts[0].first)


def row_blocks(X, y, blocks: list[np.ndarray]) -> list[Moments]:
    """Moments of each block of rows, in one pass over X (the blocks are disjoint)."""
    X, y = check_xy(X, y)
    with np.errstate(all="ignore"):
        unit = _power_of_two_units(X)
    if not np.all(np.isfinite(unit)) or unit.max(initial=0.0) > 1e150:
        _check_values(X, "X")
    return [block_moments(X, y, np.asarray(rows), unit) for rows in blocks]


def problem_from_moments(m: Moments, *, standardize: bool = True) -> Problem:
    """The same Problem ``prepare`` builds (with an intercept), from pooled moments."""
    free = ~m.constant & (np.diag(m.xx) > 0)
    sd = np.sqrt(np.diag(m.xx))
    scale = np.where(free, sd, 1.0) if standardize else 1.0 / m.unit
    inv = np.where(free, 1.0 / scale, 0.0)
    gram = m.xx * np.outer(inv, inv)
    corr = m.xy * inv
    if not (np.all(np.isfinite(gram)) and np.all(np.isfinite(corr))):
        raise DataError("The columns' values are too large to fit without standardizing; "
                        "rescale them or keep standardization on.")
    x_scale = np.where(free, scale * m.unit, 1.0)
    return Problem(gram=gram, corr=corr, x_mean=m.x_mean * m.unit, x_scale=x_scale,
                   y_mean=m.y_mean, y_var=m.yy, n=m.n, free=free, fit_intercept=True)


def heldout_mse(m: Moments, coefs: np.ndarray, intercepts: np.ndarray) -> np.ndarray:
    """Mean squared error on the block's rows of each model (coefs (L, p) original scale).

    From the block's moments: the spread part y'y - 2w'xy + w'xx w plus the
    squared offset of the means, all divided by one scale so nothing overflows.
    """
    w = coefs * m.unit  # coefficients for X / unit
    offset = m.y_mean - intercepts - w @ m.x_mean
    s = max(np.sqrt(m.yy), float(np.max(np.abs(offset), initial=0.0)), 1e-300)
    used = np.flatnonzero(np.any(w != 0, axis=0))  # sparse paths: only the columns in use
    ws = w[:, used] / s
    quad = ((ws @ m.xx[np.ix_(used, used)]) * ws).sum(axis=1)
    spread = m.yy / s**2 - 2.0 * (ws @ m.xy[used]) / s + quad
    return (np.maximum(spread, 0.0) + (offset / s) ** 2) * s**2
