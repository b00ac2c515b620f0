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

The public API is importable from here; the code lives in
``logistic_problem`` (labels, the standardized design), ``logistic_solver``
(Newton on the support, the active set, the KKT residual) and
``logistic_path`` (fit, path, grid, the scikit-learn mapping).
"""

from __future__ import annotations

from regviz.logistic_path import (  # noqa: F401 - the old path keeps working
    LogisticFit,
    LogisticPath,
    check_grid,
    default_logistic_grid,
    fit_logistic,
    logistic_lambda_max,
    logistic_path,
    logistic_sklearn_equivalent,
    path_on,
)
from regviz.logistic_problem import (  # noqa: F401 - the old path keeps working
    SCALE_FLOOR,
    LogisticProblem,
    binary_labels,
    prepare_logistic,
)
from regviz.logistic_solver import (  # noqa: F401 - the old path keeps working
    DEVIANCE_RATIO_STOP,
    KKT_TOL,
    SeparableError,
    kkt_residual,
    lambda_max_of,
    null_log_loss,
    objective,
    solve_checked,
    solve_one_lambda,
    unpenalized_fit,
)

__all__ = [
    "DEVIANCE_RATIO_STOP",
    "KKT_TOL",
    "LogisticFit",
    "LogisticPath",
    "LogisticProblem",
    "SCALE_FLOOR",
    "SeparableError",
    "binary_labels",
    "check_grid",
    "default_logistic_grid",
    "fit_logistic",
    "kkt_residual",
    "lambda_max_of",
    "logistic_lambda_max",
    "logistic_path",
    "logistic_sklearn_equivalent",
    "null_log_loss",
    "objective",
    "path_on",
    "prepare_logistic",
    "solve_checked",
    "solve_one_lambda",
    "unpenalized_fit",
]
