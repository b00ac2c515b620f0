"""Figure 4 of the geometry lesson: Lq balls from q < 1 to q > 1, where convexity and sparsity meet.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from regviz import geometry as geo
from regviz.figures import geometry_parts as gp
from regviz.figures.style import DEFAULT, PENALTY_COLOURS, Style
from regviz.geometry import Data
from regviz.geometry_captions import lq_status

# ---------------------------------------------------------------------------
# Figure 4: Lq balls


def lq_figure(data: Data, points: np.ndarray, ts, qs=geo.LQ_VALUES, style: Style = DEFAULT,
              start: int | None = None) -> go.Figure:
    """One panel per q: the ball |w|_q <= t and its touching point, same data and t."""
    problem = geo.problem_of(data)
    w_ols = geo.ols(problem)
    start = gp.default_start(ts) if start is None else start
    lo, hi = gp.panel_range([w_ols])
    levels, step = gp.mse_levels(problem, lo, hi)
    n = len(qs)
    titles = [f"q = {q:g}<br>" + ("corners, not convex" if q < 1 else "corners and convex"
                                  if q == 1 else "convex, no corners") for q in qs]
    fig = make_subplots(rows=2, cols=n, row_heights=[0.78, 0.22], vertical_spacing=0.14,
                        horizontal_spacing=0.04, subplot_titles=titles + [""] * n)
    colours = ["#CC79A7", PENALTY_COLOURS["l1"], "#E69F00", PENALTY_COLOURS["l2"]]
    for i in range(n):
        fig.add_trace(gp.contour_trace(problem, levels, step, style, False), row=1, col=i + 1)
        fig.add_trace(gp.point_trace(w_ols, "OLS point", style, colour=style.ink, show=False),
                      row=1, col=i + 1)
    first = len(fig.data)

    def dynamic(k: int, full: bool) -> list:
        out = []
        for i, q in enumerate(qs):
            colour = colours[i % len(colours)]
            w = points[i, k]
            x, y = gp.xy_of([geo.lq_ball(float(ts[k]), q, 181)])
            ex, ey = gp.xy_of([geo.loss_ellipse(problem, float(geo.mse(problem, w)), 121)])
            inside = bool(np.sum(np.abs(w_ols) ** q) <= float(ts[k]) ** q)
            text = f"ŵ = {gp.vec(w)}<br>{lq_status(w, inside)}"
            if not full:
                out += [gp.frame_update(x=x, y=y), gp.frame_update(x=ex, y=ey),
                        gp.frame_update(x=[w[0]], y=[w[1]]), gp.frame_update(text=[text])]
                continue
            out += [
                go.Scatter(x=x, y=y, mode="lines", fill="toself", fillcolor=gp.rgba(colour, 0.22),
                           line=dict(color=colour, width=2), showlegend=False, hoverinfo="skip"),
                go.Scatter(x=ex, y=ey, mode="lines", showlegend=False, hoverinfo="skip",
                           line=dict(color=style.ink, width=1.2, dash="dash")),
                go.Scatter(x=[w[0]], y=[w[1]], mode="markers", showlegend=False,
                           marker=dict(color=colour, size=style.marker * 1.6,
                                       line=dict(color=style.ink, width=2)),
                           hovertemplate="ŵ = (%{x:.4g}, %{y:.4g})<extra></extra>"),
                gp.text_trace(text, style, x=0.02, y=0.7, size=0.9),
            ]
        return out

    for i, trace in enumerate(dynamic(start, True)):
        fig.add_trace(trace, row=1 if i % 4 < 3 else 2, col=i // 4 + 1)
    idx = list(range(first, first + 4 * n))
    frames = [gp.make_frame(k, idx, dynamic(k, False)) for k in range(len(ts))]
    for i in range(n):
        gp.square_axes(fig, 1, i + 1, lo, hi, style, "x" if i == 0 else f"x{i + 1}",
                       (gp.axis_title(data, 0), gp.axis_title(data, 1) if i == 0 else None))
        gp.hide_axes(fig, 2, i + 1)
    gp.slider_below(fig, ts, start, style, gp.ANIM,
                    height=round(420 * min(style.scale, 1.4)) + gp.slider_room(style) - 60,
                    margin=dict(l=max(45, round(style.font * 2.4)), r=10, t=70))
    fig.update_annotations(font_size=round(style.font * 0.9))
    return gp.with_frames(fig, frames)
