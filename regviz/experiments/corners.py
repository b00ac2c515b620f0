"""Experiment 2: why corners win, a Monte Carlo of the classic two-dimensional picture.

Each draw is a quadratic loss ``(w - c)' A (w - c)`` in two dimensions with a
random centre ``c``, a random tilt and an elongation (the ratio of A's two
eigenvalues).  It is minimized exactly under the budget ``|w1| + |w2| <= t``
(the diamond) and under ``w1^2 + w2^2 <= t^2`` (the circle), for all draws at
once with numpy:

* the diamond's boundary is four segments; on each the loss is a 1-D
  quadratic, minimized in closed form and clipped to the segment, and the
  best of the four wins.  A clipped minimizer *is* a vertex, so its zero
  coordinate is exactly 0.0;
* on the circle the solution is ``(A + mu I)^-1 A c`` with ``mu >= 0`` making
  its norm ``t``: a monotone 1-D equation, solved by bisection to machine
  precision.

Both are the penalized solutions at the λ their multipliers give (λ = mu for
L2), which the tests check against ``regviz.fit``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from regviz.experiments._common import check_count, check_positive

_BISECTIONS = 80


@dataclass(frozen=True)
class Corners:
    """Draws, both solutions per draw, and how often a coordinate is exactly zero."""

    centres: np.ndarray  # (N, 2)
    angles: np.ndarray  # (N,) tilt of the long axis of the ellipses
    elongation: np.ndarray  # (N,) ratio of A's eigenvalues, >= 1
    eigen: np.ndarray  # (N, 2) A's eigenvalues (1 and the elongation)
    l1: np.ndarray  # (N, 2) solutions on the diamond
    l2: np.ndarray  # (N, 2) solutions on the circle
    multiplier_l2: np.ndarray  # (N,) mu = the L2 lambda (0 where the centre is inside)
    budget: float
    max_elongation: float

    @property
    def binding(self) -> dict[str, np.ndarray]:
        """Draws whose unpenalized optimum lies outside the region (the budget bites)."""
        return {"l1": np.abs(self.centres).sum(axis=1) > self.budget,
                "l2": np.hypot(self.centres[:, 0], self.centres[:, 1]) > self.budget}

    def zero_mask(self, penalty: str) -> np.ndarray:
        w = self.l1 if penalty == "l1" else self.l2
        return (w == 0.0).any(axis=1)

    def zero_fraction(self, penalty: str) -> float:
        return float(self.zero_mask(penalty).mean())

    def by_elongation(self, n_bins: int = 6) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """(bin edges, share of binding draws with a zero, per penalty) in log-spaced bins."""
        edges = np.geomspace(1.0, max(self.max_elongation, 1.0 + 1e-9), n_bins + 1)
        which = np.clip(np.searchsorted(edges, self.elongation, side="right") - 1, 0, n_bins - 1)
        out = {}
        for pen in ("l1", "l2"):
            bind = self.binding[pen]
            zero = self.zero_mask(pen)
            num = np.bincount(which[bind], weights=zero[bind].astype(float), minlength=n_bins)
            den = np.bincount(which[bind], minlength=n_bins)
            out[pen] = np.divide(num, den, out=np.full(n_bins, np.nan), where=den > 0)
        return edges, out

    def caption(self) -> str:
        n = self.centres.shape[0]
        b1 = self.binding["l1"]
        corner_given_bind = self.zero_mask("l1")[b1].mean() if b1.any() else float("nan")
        return (
            f"{n:,} random losses, budget t = {self.budget:g}, elongation 1 to "
            f"{self.max_elongation:g}. Under L1, {self.zero_fraction('l1'):.1%} of the solutions "
            f"have a coefficient exactly 0 ({corner_given_bind:.1%} of the {int(b1.sum()):,} "
            f"where the budget binds): they sit on a corner of the diamond. Under L2, "
            f"{self.zero_fraction('l2'):.1%} do: the circle has no corners."
        )


def corner_monte_carlo(n_draws: int = 10_000, *, budget: float = 1.0,
                       max_elongation: float = 10.0, spread: float = 1.5,
                       seed: int = 0) -> Corners:
    """Solve ``n_draws`` random 2-D quadratic losses under an L1 and an L2 budget, exactly.

    Centres are normal with sd ``spread`` per coordinate; tilts uniform; the
    elongation is log-uniform between 1 and ``max_elongation``.
    """
    n_draws = check_count(n_draws, "The number of draws", 1, 1_000_000)
    budget = check_positive(budget, "The budget t")
    max_elongation = max(check_positive(max_elongation, "The largest elongation"), 1.0)
    spread = check_positive(spread, "The spread of the centres")
    rng = np.random.default_rng(seed)
    centres = rng.normal(0.0, spread, (n_draws, 2))
    angles = rng.uniform(0.0, np.pi, n_draws)
    elongation = np.exp(rng.uniform(0.0, np.log(max_elongation), n_draws))
    eigen = np.column_stack([np.ones(n_draws), elongation])
    rot = _rotations(angles)
    A = np.einsum("nij,nj,nkj->nik", rot, eigen, rot)
    l1 = diamond_solutions(A, centres, budget)
    l2, mu = circle_solutions(rot, eigen, centres, budget)
    return Corners(centres, angles, elongation, eigen, l1, l2, mu, budget, max_elongation)


def _rotations(angles: np.ndarray) -> np.ndarray:
    c, s = np.cos(angles), np.sin(angles)
    return np.stack([np.stack([c, -s], axis=-1), np.stack([s, c], axis=-1)], axis=-2)


def quadratic(A: np.ndarray, centres: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``(w - c)' A (w - c)`` for every draw."""
    d = w - centres
    return np.einsum("ni,nij,nj->n", d, A, d)


def diamond_solutions(A: np.ndarray, centres: np.ndarray, budget: float) -> np.ndarray:
    """Exact minimizers of ``(w - c)'A(w - c)`` over ``|w1| + |w2| <= budget``, (N, 2)."""
    vertices = budget * np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]])
    n = centres.shape[0]
    best = np.empty((n, 2))
    best_val = np.full(n, np.inf)
    for k in range(4):
        start, end = vertices[k], vertices[(k + 1) % 4]
        d = end - start
        curvature = np.einsum("i,nij,j->n", d, A, d)
        slope = np.einsum("i,nij,nj->n", d, A, centres - start)
        s = np.clip(slope / curvature, 0.0, 1.0)
        w = start + s[:, None] * d
        # A clipped minimizer is the vertex itself: write it exactly, zero included.
        w[s == 0.0] = start
        w[s == 1.0] = end
        val = quadratic(A, centres, w)
        better = val < best_val
        best[better], best_val[better] = w[better], val[better]
    inside = np.abs(centres).sum(axis=1) <= budget
    best[inside] = centres[inside]
    return best


def circle_solutions(rot: np.ndarray, eigen: np.ndarray, centres: np.ndarray,
                     budget: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact minimizers over ``|w|_2 <= budget`` and their multipliers mu, for A = R diag R'."""
    c_rot = np.einsum("nji,nj->ni", rot, centres)  # R'c
    norm_c = np.hypot(centres[:, 0], centres[:, 1])
    outside = norm_c > budget
    lo = np.zeros(centres.shape[0])
    hi = eigen.max(axis=1) * norm_c / budget  # at mu = hi the norm is at most the budget
    for _ in range(_BISECTIONS):
        mid = 0.5 * (lo + hi)
        norm = np.linalg.norm(eigen * c_rot / (eigen + mid[:, None]), axis=1)
        too_long = norm > budget
        lo = np.where(too_long, mid, lo)
        hi = np.where(too_long, hi, mid)
    mu = np.where(outside, 0.5 * (lo + hi), 0.0)
    w_rot = eigen * c_rot / (eigen + mu[:, None])
    return np.einsum("nij,nj->ni", rot, w_rot), mu
