"""Figures for the constraint-geometry lesson, importable from one place.

Each view has its own module; the captions are in ``regviz.geometry_captions``,
built from the same results, so what the page says matches what the chart shows:

* ``geometry_constraint.py``: figure 1, hard constraint beside soft penalty, t <-> lambda;
* ``geometry_comparison.py``: figure 2, the penalties' paths side by side;
* ``geometry_3d.py``: figure 3, three coefficients;
* ``geometry_lq.py``: figure 4, the Lq balls;
* ``geometry_parts.py``: the shared traces, axes, t slider and frames.
"""

from regviz.figures.geometry_3d import *  # noqa: F403 - the old import path keeps working
from regviz.figures.geometry_comparison import *  # noqa: F403 - the old import path keeps working
from regviz.figures.geometry_constraint import *  # noqa: F403 - the old import path keeps working
from regviz.figures.geometry_lq import *  # noqa: F403 - the old import path keeps working
from regviz.figures.geometry_parts import *  # noqa: F403 - the old import path keeps working
