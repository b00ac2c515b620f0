"""Figures for the constraint-geometry lesson: pure functions from geometry results to go.Figure.

Why frames: moving the budget t must not cost a server round trip, so each
figure carries one frame per slider position and the slider animates with
``redraw: false``.  Frames hold only what moves (the region's outline, the
touching contour, the solution, the readout text, the penalized contours):
all of them scatter traces, which plotly can swap without a redraw.  The
loss contours are drawn as exact ellipses (scatter lines, not a contour
trace) because they never move and a contour grid would weigh more than
every frame together.  The 3-D figure is the exception: plotly redraws
WebGL scenes, so its frames use ``redraw: true`` and are fewer.

This module keeps the figures' names importable from one place; each view has
its own module: ``geometry_constraint`` (figure 1), ``geometry_comparison``
(figure 2), ``geometry_3d`` (figure 3), ``geometry_lq`` (figure 4), with the
shared traces, axes, slider and path facts in ``geometry_parts`` and the data
caption there too.  Captions (the message of each chart in numbers) are built
beside their figure from the same results, so what the page says always
matches what the chart shows.
"""

from __future__ import annotations

from regviz.figures.geometry_3d import (  # noqa: F401 - the old path keeps working
    caption_3d,
    figure_3d,
)
from regviz.figures.geometry_comparison import (  # noqa: F401 - the old path keeps working
    comparison_caption,
    comparison_figure,
    comparison_readout,
)
from regviz.figures.geometry_constraint import (  # noqa: F401 - the old path keeps working
    constraint_caption,
    constraint_figure,
    constraint_readout,
)
from regviz.figures.geometry_lq import (  # noqa: F401 - the old path keeps working
    lq_caption,
    lq_figure,
    lq_status,
)
from regviz.figures.geometry_parts import (  # noqa: F401 - the old path keeps working
    ANIM,
    ANIM_3D,
    CONTOUR_GREY,
    N_LEVELS,
    SUB,
    always_zero,
    anchor_points,
    axis_title,
    coef_name,
    coef_names,
    contour_trace,
    data_caption,
    default_start,
    frame_update,
    hide_axes,
    lam_text,
    legend_then_slider,
    make_frame,
    mse_levels,
    num,
    panel_range,
    path_inner,
    plain_words,
    play_buttons,
    point_trace,
    region_formula,
    region_trace,
    rgba,
    slider_room,
    solution_trace,
    sometimes_zero,
    square_axes,
    starts_on_axis,
    status,
    t_slider,
    text_trace,
    touch_ellipse_trace,
    vec,
    with_frames,
    xy_of,
    zero_below,
)

__all__ = [
    "ANIM",
    "ANIM_3D",
    "CONTOUR_GREY",
    "N_LEVELS",
    "SUB",
    "always_zero",
    "anchor_points",
    "axis_title",
    "caption_3d",
    "coef_name",
    "coef_names",
    "comparison_caption",
    "comparison_figure",
    "comparison_readout",
    "constraint_caption",
    "constraint_figure",
    "constraint_readout",
    "contour_trace",
    "data_caption",
    "default_start",
    "figure_3d",
    "frame_update",
    "hide_axes",
    "lam_text",
    "legend_then_slider",
    "lq_caption",
    "lq_figure",
    "lq_status",
    "make_frame",
    "mse_levels",
    "num",
    "panel_range",
    "path_inner",
    "plain_words",
    "play_buttons",
    "point_trace",
    "region_formula",
    "region_trace",
    "rgba",
    "slider_room",
    "solution_trace",
    "sometimes_zero",
    "square_axes",
    "starts_on_axis",
    "status",
    "t_slider",
    "text_trace",
    "touch_ellipse_trace",
    "vec",
    "with_frames",
    "xy_of",
    "zero_below",
]
