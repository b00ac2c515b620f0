"""The paths lesson's computation under its first name: it lives in :mod:`regviz.paths`.

Kept so code written against ``regviz.explorer.explore`` (the issues, old notebooks)
keeps working; new code imports :mod:`regviz.paths`.
"""

from regviz.paths import *  # noqa: F403
from regviz.paths import Exploration, explore  # noqa: F401 - the names callers use
