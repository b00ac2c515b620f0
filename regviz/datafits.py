"""Data-fit terms as small objects beside the penalties, so one solver serves both losses.

Every objective in regviz is ``mean_i loss(y_i, eta_i) + lam * P(w)`` with the
linear predictor ``eta = b + x.w`` and an unpenalized intercept ``b``.  A
data-fit object says what that loss is, per sample: its value, its first and
second derivative in ``eta`` (the second is the IRLS weight that Newton's
method on a fixed support needs), the optimal intercept when every
coefficient is zero (which fixes ``lambda_max``), and the scikit-learn call
that minimises the same objective.  The solver never asks a data fit for its
name.

* ``Squared``: ``(y - eta)^2``, the mean squared error of the regression lessons.
* ``Logistic``: ``log(1 + exp(eta)) - y*eta`` with y in {0, 1}, the mean
  log-loss (glmnet's binomial deviance divided by 2), written with
  ``np.logaddexp`` so that no margin overflows.
"""

from __future__ import annotations

import math

import numpy as np

from regviz.errors import DataError
from regviz.penalties import Penalty


class Datafit:
    """``mean_i loss(y_i, eta_i)``; subclasses give the per-sample loss and its derivatives."""

    name = "datafit"

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self).__name__)

    def losses(self, y: np.ndarray, eta: np.ndarray) -> np.ndarray:
        """Per-sample loss (rows along the last axis)."""
        raise NotImplementedError

    def value(self, y: np.ndarray, eta: np.ndarray) -> np.ndarray:
        """The data-fit term: mean loss over the last axis (one per model if eta is 2-D)."""
        return np.mean(self.losses(y, eta), axis=-1)

    def raw_grad(self, y: np.ndarray, eta: np.ndarray) -> np.ndarray:
        """d loss_i / d eta_i; the gradient in w is ``X' raw_grad / n``."""
        raise NotImplementedError

    def raw_hessian(self, y: np.ndarray, eta: np.ndarray) -> np.ndarray:
        """d^2 loss_i / d eta_i^2: the IRLS weights; the Hessian in w is ``X' diag(.) X / n``."""
        raise NotImplementedError

    def derivatives(self, y: np.ndarray, eta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(raw_grad, raw_hessian) together: a Newton step needs both at the same point."""
        return self.raw_grad(y, eta), self.raw_hessian(y, eta)

    def intercept_at_zero(self, y: np.ndarray) -> float:
        """The optimal intercept when every coefficient is zero."""
        raise NotImplementedError

    def gradient_at_zero(self, Z: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Gradient in w at w = 0 with the intercept at its optimum, for centred columns Z."""
        eta = np.full(y.shape, self.intercept_at_zero(y))
        return Z.T @ self.raw_grad(y, eta) / len(y)

    def lambda_max(self, Z: np.ndarray, y: np.ndarray, penalty: Penalty) -> float:
        """Smallest lambda at which w = 0 is optimal (inf when the penalty has no L1 part)."""
        return penalty.alpha_max(self.gradient_at_zero(Z, y))


class Squared(Datafit):
    """``(y - eta)^2``: the mean squared error of the regression objective."""

    name = "squared"

    def losses(self, y, eta):
        return (np.asarray(y) - np.asarray(eta)) ** 2

    def raw_grad(self, y, eta):
        return 2.0 * (np.asarray(eta) - np.asarray(y))

    def raw_hessian(self, y, eta):
        return np.full(np.shape(eta), 2.0)

    def intercept_at_zero(self, y) -> float:
        return float(np.mean(y))

    def sklearn_equivalent(self, penalty: Penalty, lam: float, n: int) -> tuple[str, dict]:
        """Lasso / Ridge / ElasticNet arguments, as the penalty maps them."""
        return penalty.sklearn_equivalent(lam, n)


def sigmoid(eta: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-eta)) without overflow for any finite eta."""
    return np.exp(-np.logaddexp(0.0, -np.asarray(eta, dtype=float)))


def log_odds(rate: float) -> float:
    """log(rate / (1 - rate)), the intercept whose probability is ``rate``."""
    return math.log(rate) - math.log1p(-rate)


class Logistic(Datafit):
    """``log(1 + exp(eta)) - y*eta`` for y in {0, 1}: the mean log-loss."""

    name = "logistic"

    def losses(self, y, eta):
        # log(1 + e^eta) = max(eta, 0) + log1p(e^-|eta|): never overflows (faster than logaddexp).
        eta = np.asarray(eta, dtype=float)
        return np.maximum(eta, 0.0) + np.log1p(np.exp(-np.abs(eta))) - np.asarray(y) * eta

    def raw_grad(self, y, eta):
        return self.derivatives(y, eta)[0]

    def raw_hessian(self, y, eta):
        return self.derivatives(y, eta)[1]

    def derivatives(self, y, eta):
        """p - y and p(1 - p) from one exp(-|eta|): no overflow, no cancellation at large |eta|."""
        eta = np.asarray(eta, dtype=float)
        e = np.exp(-np.abs(eta))
        inv = 1.0 / (1.0 + e)
        p = np.where(eta >= 0, inv, e * inv)
        return p - np.asarray(y), e * inv * inv

    def intercept_at_zero(self, y) -> float:
        """The log-odds of the base rate (both classes present, so it is finite)."""
        return log_odds(float(np.mean(y)))

    def null_value(self, y) -> float:
        """Mean log-loss of the intercept-only model: the entropy of the base rate."""
        rate = float(np.mean(y))
        return -(rate * math.log(rate) + (1.0 - rate) * math.log1p(-rate))

    def sklearn_equivalent(self, penalty: Penalty, lam: float, n: int) -> tuple[str, dict]:
        """LogisticRegression arguments minimising the same objective on the standardized design.

        scikit-learn minimises ``C * sum loss + r*|w|_1 + (1 - r)/2 * |w|^2``; dividing by
        ``n*C`` and matching ``l1*|w|_1 + l2*|w|^2`` gives ``1/(n*C) = l1 + 2*l2`` and
        ``r = l1 / (l1 + 2*l2)``: C = 1/(n*lam) for L1, 1/(2*n*lam) for L2, and
        1/(n*lam*(2 - a)) with l1_ratio = a/(2 - a) for elastic net.  L1 needs a solver that
        leaves the intercept unpenalized: saga (liblinear penalizes it).
        """
        l1, l2 = penalty.weights(lam)
        total = l1 + 2.0 * l2
        ratio = l1 / total if total > 0 else float(penalty.a)
        params = {
            "C": 1.0 / (n * total) if total > 0 else math.inf,
            "l1_ratio": ratio,
            "solver": "lbfgs" if ratio == 0.0 else "saga",
            "fit_intercept": True,
        }
        return "LogisticRegression", params


DATAFITS = {"squared": Squared, "logistic": Logistic}


def make_datafit(loss: str | Datafit) -> Datafit:
    """Data-fit object from a name ("squared", "logistic") or pass one through."""
    if isinstance(loss, Datafit):
        return loss
    key = str(loss).lower().strip()
    aliases = {"squared": "squared", "mse": "squared", "logistic": "logistic",
               "log": "logistic", "logloss": "logistic", "binomial": "logistic"}
    if key not in aliases:
        raise DataError(f"Unknown loss {loss!r}; choose 'squared' or 'logistic'.")
    return DATAFITS[aliases[key]]()
