"""Exact L1, L2 and elastic-net logistic regression, importable from one place.

The objective is the mean log-loss plus the regression lessons' penalty, on the
same standardized columns, the intercept unpenalized.  The code lives in

* ``regviz/logistic_problem.py``: two-class labels from a column, the standardized design;
* ``regviz/logistic_solver.py``: Newton on the support inside an active set, the KKT
  residual every solution carries;
* ``regviz/logistic_path.py``: fit, path and grid (stopping where the classes separate),
  the scikit-learn mapping.
"""

from regviz.logistic_path import *  # noqa: F403 - the old import path keeps working
from regviz.logistic_problem import *  # noqa: F403 - the old import path keeps working
from regviz.logistic_solver import *  # noqa: F403 - the old import path keeps working
