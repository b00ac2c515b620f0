"""Constraint geometry: the region P(w) <= budget, the loss ellipses, and where they touch.

This module keeps the lesson's names importable from one place; the code lives in

* ``regviz/geometry_problems.py``: the data, the region's size, the exact touching point;
* ``regviz/geometry_sweeps.py``: the touching point along the budget, and the Lq balls;
* ``regviz/geometry_shapes.py``: outlines, loss ellipses, contours and 3-D shapes.

Why it exists, and its conventions (coordinates, the reach t, one zero
tolerance), are in ``geometry_problems``.
"""

from __future__ import annotations

from regviz.geometry_problems import (  # noqa: F401 - the old path keeps working
    MAX_ABS_TABLE_RHO,
    N_ROWS,
    ZERO_TOL,
    Data,
    Touch,
    budget,
    coef_scale,
    correlation_matrix,
    degenerate,
    ellipse_axes,
    from_table,
    lambda_of_t,
    make_data,
    mse,
    ols,
    problem_of,
    reach,
    reach_of_budget,
    snap,
    solve,
    t_of_lambda,
    table_problem,
    touching_point,
)
from regviz.geometry_shapes import (  # noqa: F401 - the old path keeps working
    level_curves,
    loss_ellipse,
    loss_ellipsoid,
    octahedron,
    penalized_contours,
    penalized_objective,
    region_outline,
    sphere,
    unit_directions,
)
from regviz.geometry_sweeps import (  # noqa: F401 - the old path keeps working
    LQ_VALUES,
    Sweep,
    lq_axis_slope,
    lq_ball,
    lq_sweep,
    lq_touching_point,
    sweep,
)

__all__ = [
    "Data",
    "LQ_VALUES",
    "MAX_ABS_TABLE_RHO",
    "N_ROWS",
    "Sweep",
    "Touch",
    "ZERO_TOL",
    "budget",
    "coef_scale",
    "correlation_matrix",
    "degenerate",
    "ellipse_axes",
    "from_table",
    "lambda_of_t",
    "level_curves",
    "loss_ellipse",
    "loss_ellipsoid",
    "lq_axis_slope",
    "lq_ball",
    "lq_sweep",
    "lq_touching_point",
    "make_data",
    "mse",
    "octahedron",
    "ols",
    "penalized_contours",
    "penalized_objective",
    "problem_of",
    "reach",
    "reach_of_budget",
    "region_outline",
    "snap",
    "solve",
    "sphere",
    "sweep",
    "t_of_lambda",
    "table_problem",
    "touching_point",
    "unit_directions",
]
