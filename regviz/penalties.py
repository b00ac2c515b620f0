"""Penalties as small objects, so the solver is generic over them.

Every penalty here is ``P(w) = a*sum|w| + (1-a)*sum w^2`` for some mixing
``a`` in [0, 1]: L1 is a = 1, L2 is a = 0, elastic net is anything between.
Each class carries what the solver needs (its one-coordinate update, its
distance from optimality, the lambda at which zero is optimal, whether it has
an L1 part at all), its words (``label``, ``short_label``) and the
scikit-learn mapping; the solver never branches on a penalty's name or on
``a``.
"""

from __future__ import annotations

import math

import numpy as np

from regviz.errors import DataError


class Penalty:
    """``a*|w|_1 + (1-a)*|w|_2^2``, the one family every lesson uses."""

    name = "elasticnet"
    label = "Elastic net"
    """How the app names the penalty: legends, selectors, captions."""
    short_label = "Elastic net"
    """The name in a sentence or a tight legend, e.g. "L1 at λ = 3"."""

    def __init__(self, l1_ratio: float):
        a = float(l1_ratio)
        if not 0.0 <= a <= 1.0 or math.isnan(a):
            raise DataError(f"l1_ratio must be between 0 and 1, got {l1_ratio!r}.")
        self.a = a

    def __repr__(self) -> str:
        return f"{type(self).__name__}(a={self.a:g})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Penalty) and self.a == other.a

    def __hash__(self) -> int:
        return hash(self.a)

    @property
    def has_l1_part(self) -> bool:
        """Whether the penalty has corners (a > 0): exact zeros, a finite lambda_max."""
        return self.a > 0.0

    @property
    def is_smooth(self) -> bool:
        """Ridge (a = 0): differentiable, no exact zeros, one linear solve per lambda."""
        return not self.has_l1_part

    @property
    def is_pure_l1(self) -> bool:
        """The lasso (a = 1): the path is piecewise linear, so a homotopy walks it exactly."""
        return self.a == 1.0

    def value(self, w: np.ndarray) -> float:
        """P(w): the sum of absolute values (not |sum|) and the squared norm (not the norm)."""
        w = np.asarray(w, dtype=float)
        return float(self.a * np.abs(w).sum() + (1.0 - self.a) * (w @ w))

    def weights(self, lam: float) -> tuple[float, float]:
        """(weight on sum|w|, weight on sum w^2) in the objective at this lambda."""
        return lam * self.a, lam * (1.0 - self.a)

    def prox_1d(self, r: float, h: float, lam: float) -> float:
        """Exact minimizer over one coordinate of ``h v^2 - 2 r v + lam*P(v)``.

        Soft-thresholding for L1, scaled soft-thresholding for elastic net,
        plain shrinkage for L2: this is the coordinate-descent step.
        """
        l1, l2 = self.weights(lam)
        shrunk = math.copysign(max(abs(r) - 0.5 * l1, 0.0), r)
        return shrunk / (h + l2) if h + l2 > 0 else 0.0

    def subdiff_distance(self, v: np.ndarray, grad: np.ndarray, lam: float) -> np.ndarray:
        """Per coordinate, how far ``-grad`` is from the penalty's subdifferential.

        ``grad`` is the gradient of the smooth part (the MSE) only.  Zero at
        the optimum: this is the KKT residual, used as stopping rule and oracle.
        """
        l1, l2 = self.weights(lam)
        g = grad + 2.0 * l2 * v
        return np.where(v != 0, np.abs(g + l1 * np.sign(v)), np.maximum(np.abs(g) - l1, 0.0))

    def generalized_support(self, v: np.ndarray) -> np.ndarray:
        """Coordinates the penalty lets be non-zero: all for L2, the non-zeros otherwise."""
        if self.is_smooth:
            return np.ones(np.shape(v), dtype=bool)
        return np.asarray(v) != 0

    def alpha_max(self, gradient0: np.ndarray) -> float:
        """Smallest lambda at which w = 0 is optimal; inf when there is no L1 part."""
        if self.is_smooth:
            return math.inf
        return float(np.max(np.abs(gradient0), initial=0.0)) / self.a

    def sklearn_equivalent(self, lam: float, n: int) -> tuple[str, dict]:
        """scikit-learn estimator and arguments minimising the same objective."""
        a = self.a
        if self.is_smooth:
            return "Ridge", {"alpha": n * lam, "fit_intercept": True}
        if self.is_pure_l1:
            return "Lasso", {"alpha": lam / 2.0, "fit_intercept": True}
        return "ElasticNet", {
            "alpha": lam * (1.0 - a / 2.0),
            "l1_ratio": a / (2.0 - a),
            "fit_intercept": True,
        }

    def sklearn_call(self, lam: float, n: int) -> str:
        """The scikit-learn call as a student would type it, e.g. ``Lasso(alpha=0.05)``.

        Four significant digits, and no ``fit_intercept`` (True, scikit-learn's default).
        """
        estimator, params = self.sklearn_equivalent(lam, n)
        args = ", ".join(f"{k}={v:.4g}" for k, v in params.items() if k != "fit_intercept")
        return f"{estimator}({args})"


class L1(Penalty):
    """Lasso: ``sum|w_j|``."""

    name = "l1"
    label = "L1 (lasso)"
    short_label = "L1"

    def __init__(self):
        super().__init__(1.0)


class L2(Penalty):
    """Ridge: ``sum w_j^2``, the squared norm."""

    name = "l2"
    label = "L2 (ridge)"
    short_label = "L2"

    def __init__(self):
        super().__init__(0.0)


class ElasticNet(Penalty):
    """``a*sum|w_j| + (1-a)*sum w_j^2`` with ``a = l1_ratio``."""

    name = "elasticnet"


PENALTY_NAMES = ("l1", "l2", "elasticnet")
PENALTY_CLASSES: dict[str, type[Penalty]] = {"l1": L1, "l2": L2, "elasticnet": ElasticNet}
"""Each penalty's class by name: where its label and short label are read without an instance."""


def make_penalty(penalty: str | Penalty, l1_ratio: float = 0.5) -> Penalty:
    """Penalty object from a name ("l1", "l2", "elasticnet") or pass one through."""
    if isinstance(penalty, Penalty):
        return penalty
    key = str(penalty).lower().replace("-", "").replace("_", "").replace(" ", "")
    aliases = {"l1": "l1", "lasso": "l1", "l2": "l2", "ridge": "l2",
               "elasticnet": "elasticnet", "enet": "elasticnet"}
    if key not in aliases:
        raise DataError(f"Unknown penalty {penalty!r}; choose one of {', '.join(PENALTY_NAMES)}.")
    name = aliases[key]
    if name == "l1":
        return L1()
    if name == "l2":
        return L2()
    return ElasticNet(l1_ratio)
