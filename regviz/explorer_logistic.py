"""The classification paths' computation under its first name: see :mod:`regviz.paths_logistic`.

Kept so code written against ``regviz.explorer_logistic`` keeps working; new code
imports :mod:`regviz.paths_logistic`.
"""

from regviz.paths_logistic import *  # noqa: F403
from regviz.paths_logistic import LogisticExploration, explore_logistic  # noqa: F401
