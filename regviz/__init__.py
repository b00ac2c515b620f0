"""regviz: exact L1, L2 and elastic-net solvers and the figures that teach them.

The public API is small and stable: ``fit``, ``path``, ``lambda_max``,
``sklearn_equivalent``, the result types ``Fit`` and ``Path``, and
``DataError`` for input the library cannot use.
"""

from regviz.api import Fit, Path, entry_lambdas, fit, lambda_max, path, sklearn_equivalent
from regviz.errors import ConvergenceWarning, DataError

__all__ = [
    "ConvergenceWarning",
    "DataError",
    "Fit",
    "Path",
    "entry_lambdas",
    "fit",
    "lambda_max",
    "path",
    "sklearn_equivalent",
]
