"""Figure 2 of the geometry lesson: the penalties' paths side by side as t shrinks.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from regviz import geometry as geo
from regviz.figures import geometry_parts as gp
from regviz.figures.style import DEFAULT, PENALTY_COLOURS, PENALTY_LABELS, Style
from regviz.geometry import Data, Sweep, Touch

# ---------------------------------------------------------------------------
# Figure 2: the paths as t shrinks, side by side


def comparison_readout(sw: Sweep, touch: Touch, style: Style | None = None) -> str:
    status = gp.status(touch, style.feature_colour if style else None)
    if style is not None and style.presenting:
        # Presenting, three readouts side by side: "on a curved side, not a corner: no zero"
        # on one line ran into its neighbour's.
        status = status.replace(": ", ":<br>", 1)
    return "<br>".join([
        f"<b>{PENALTY_LABELS[sw.penalty]}</b>: ŵ = {gp.vec(touch.w)}",
        gp.lam_text(touch, sw.lam_max).split(" (")[0],
        status,
    ])


def comparison_figure(
    data: Data, sweeps: list[Sweep], ts, style: Style = DEFAULT, start: int | None = None
) -> go.Figure:
    """One panel per penalty (same data, same t): the region shrinks, the path is traced."""
    problem = geo.problem_of(data)
    w_ols = geo.ols(problem)
    start = gp.default_start(ts) if start is None else start
    lo, hi = gp.panel_range(gp.anchor_points(data, w_ols))
    levels, step = gp.mse_levels(problem, lo, hi)
    n = len(sweeps)
    fig = make_subplots(
        rows=2, cols=n, row_heights=[0.77, 0.23], vertical_spacing=0.15,
        horizontal_spacing=0.06,
        subplot_titles=[PENALTY_LABELS[s.penalty]
                        + (f" (a = {s.a:g})" if s.penalty == "elasticnet" else "")
                        for s in sweeps] + [""] * n,
    )
    for i, sw in enumerate(sweeps):
        colour = PENALTY_COLOURS[sw.penalty]
        fig.add_trace(gp.contour_trace(problem, levels, step, style, i == 0), row=1, col=i + 1)
        fig.add_trace(go.Scatter(
            x=sw.path_w[:, 0], y=sw.path_w[:, 1], mode="lines", name="whole path",
            legendgroup="path", showlegend=i == 0, hoverinfo="skip",
            line=dict(color=colour, width=1, dash="dot"),
        ), row=1, col=i + 1)
        fig.add_trace(gp.point_trace(w_ols, "OLS point", style, colour=style.ink, show=i == 0,
                             group="ols"), row=1, col=i + 1)
    first = len(fig.data)
    per = 5
    for i, sw in enumerate(sweeps):
        for trace, row in zip(_comparison_dynamic(problem, sw, sw.touches[start], style, True,
                                                  i == 0), [1, 1, 1, 1, 2], strict=True):
            fig.add_trace(trace, row=row, col=i + 1)
    idx = list(range(first, first + per * n))
    frames = []
    for k in range(len(ts)):
        data_k = []
        for sw in sweeps:
            data_k += _comparison_dynamic(problem, sw, sw.touches[k], style, False, False)
        frames.append(gp.make_frame(k, idx, data_k))
    for i in range(n):
        gp.square_axes(fig, 1, i + 1, lo, hi, style, "x" if i == 0 else f"x{i + 1}",
                       (gp.axis_title(data, 0), gp.axis_title(data, 1) if i == 0 else None))
        gp.hide_axes(fig, 2, i + 1)
    fig.update_layout(**style.layout(
        sliders=[gp.t_slider(ts, start, style, gp.ANIM)],
        updatemenus=[gp.play_buttons(len(ts), style, gp.ANIM)],
    ))
    gp.legend_then_slider(fig, style, plot=620 if style.presenting else 420, top=40)
    return gp.with_frames(fig, frames)


def _comparison_dynamic(problem, sw: Sweep, touch: Touch, style: Style, full: bool,
                        show: bool) -> list[go.Scatter]:
    colour = PENALTY_COLOURS[sw.penalty]
    trail = np.vstack([sw.path_w[sw.path_t >= touch.t], touch.w[None, :]])
    text = comparison_readout(sw, touch, style)
    if not full:
        rx, ry = gp.xy_of([geo.region_outline(touch.t, sw.a, 181)])
        ex, ey = gp.xy_of([geo.loss_ellipse(problem, touch.mse, 121)])
        return [gp.frame_update(x=rx, y=ry), gp.frame_update(x=ex, y=ey),
                gp.frame_update(x=trail[:, 0], y=trail[:, 1]),
                gp.frame_update(x=[float(touch.w[0])], y=[float(touch.w[1])]),
                gp.frame_update(text=[text])]
    return [
        gp.region_trace(touch.t, sw.a, colour, "region of reach t", show=show),
        gp.touch_ellipse_trace(problem, touch, style, show=show),
        go.Scatter(x=trail[:, 0], y=trail[:, 1], mode="lines", name="path so far",
                   legendgroup="trail", showlegend=show, hoverinfo="skip",
                   line=dict(color=colour, width=style.line * 1.5)),
        gp.solution_trace(touch, colour, style, name="solution ŵ", show=show),
        gp.text_trace(text, style, x=0.02, y=1.0, size=0.9),
    ]
