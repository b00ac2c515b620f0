"""Constraint geometry: the region P(w) <= budget, the loss ellipses, and where they touch.

This module keeps the lesson's names importable from one place; the code lives in

* ``regviz/geometry_problems.py``: the data, the region's size, the exact touching point
  (and why the module exists, with its conventions: coordinates, the reach t, one zero
  tolerance);
* ``regviz/geometry_sweeps.py``: the touching point along the budget, and the Lq balls;
* ``regviz/geometry_shapes.py``: outlines, loss ellipses, contours and 3-D shapes.
"""

from regviz.geometry_problems import *  # noqa: F403 - the old import path keeps working
from regviz.geometry_shapes import *  # noqa: F403 - the old import path keeps working
from regviz.geometry_sweeps import *  # noqa: F403 - the old import path keeps working
