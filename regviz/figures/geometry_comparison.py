"""Figure 2 of the geometry lesson: the penalties' paths side by side as t shrinks, and its caption.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from regviz import geometry as geo
from regviz.figures.geometry_parts import (
    ANIM,
    always_zero,
    anchor_points,
    axis_title,
    coef_name,
    coef_names,
    contour_trace,
    default_start,
    frame_update,
    hide_axes,
    lam_text,
    legend_then_slider,
    make_frame,
    mse_levels,
    num,
    panel_range,
    play_buttons,
    point_trace,
    region_trace,
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
from regviz.figures.style import DEFAULT, PENALTY_COLOURS, PENALTY_LABELS, Style
from regviz.geometry import Data, Sweep, Touch

# ---------------------------------------------------------------------------
# Figure 2: the paths as t shrinks, side by side


def comparison_readout(sw: Sweep, touch: Touch, style: Style | None = None) -> str:
    return "<br>".join([
        f"<b>{PENALTY_LABELS[sw.penalty]}</b>: ŵ = {vec(touch.w)}",
        lam_text(touch, sw.lam_max).split(" (")[0],
        status(touch, style),
    ])


def comparison_figure(
    data: Data, sweeps: list[Sweep], ts, style: Style = DEFAULT, start: int | None = None
) -> go.Figure:
    """One panel per penalty (same data, same t): the region shrinks, the path is traced."""
    problem = geo.problem_of(data)
    w_ols = geo.ols(problem)
    start = default_start(ts) if start is None else start
    lo, hi = panel_range(anchor_points(data, w_ols))
    levels, step = mse_levels(problem, lo, hi)
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
        fig.add_trace(contour_trace(problem, levels, step, style, i == 0), row=1, col=i + 1)
        fig.add_trace(go.Scatter(
            x=sw.path_w[:, 0], y=sw.path_w[:, 1], mode="lines", name="whole path",
            legendgroup="path", showlegend=i == 0, hoverinfo="skip",
            line=dict(color=colour, width=1, dash="dot"),
        ), row=1, col=i + 1)
        fig.add_trace(point_trace(w_ols, "OLS point", style, colour=style.ink, show=i == 0,
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
        frames.append(make_frame(k, idx, data_k))
    for i in range(n):
        square_axes(fig, 1, i + 1, lo, hi, style, "x" if i == 0 else f"x{i + 1}",
                     (axis_title(data, 0), axis_title(data, 1)))
        hide_axes(fig, 2, i + 1)
    fig.update_layout(**style.layout(
        sliders=[t_slider(ts, start, style, ANIM)],
        updatemenus=[play_buttons(len(ts), style, ANIM)],
    ))
    legend_then_slider(fig, style, plot=620 if style.scale > 1.0 else 420, top=40)
    return with_frames(fig, frames)


def _comparison_dynamic(problem, sw: Sweep, touch: Touch, style: Style, full: bool,
                        show: bool) -> list[go.Scatter]:
    colour = PENALTY_COLOURS[sw.penalty]
    trail = np.vstack([sw.path_w[sw.path_t >= touch.t], touch.w[None, :]])
    text = comparison_readout(sw, touch, style)
    if not full:
        rx, ry = xy_of([geo.region_outline(touch.t, sw.a, 181)])
        ex, ey = xy_of([geo.loss_ellipse(problem, touch.mse, 121)])
        return [frame_update(x=rx, y=ry), frame_update(x=ex, y=ey),
                frame_update(x=trail[:, 0], y=trail[:, 1]),
                frame_update(x=[float(touch.w[0])], y=[float(touch.w[1])]),
                frame_update(text=[text])]
    return [
        region_trace(touch.t, sw.a, colour, "region of reach t", show=show),
        touch_ellipse_trace(problem, touch, style, show=show),
        go.Scatter(x=trail[:, 0], y=trail[:, 1], mode="lines", name="path so far",
                   legendgroup="trail", showlegend=show, hoverinfo="skip",
                   line=dict(color=colour, width=style.line * 1.5)),
        solution_trace(touch, colour, style, name="solution ŵ", show=show),
        text_trace(text, style, x=0.02, y=1.0, size=0.9),
    ]


def comparison_caption(sweeps: list[Sweep], touch_index: int) -> str:
    parts = []
    for sw in sweeps:
        label = PENALTY_LABELS[sw.penalty]
        tc = sw.touches[touch_index]
        ev = sw.first_corner()
        if ev is not None and starts_on_axis(sw, ev) and zero_below(sw, sw.t_ols):
            parts.append(f"{label} stays on the {coef_name(int(np.flatnonzero(~ev.zeros)[0]))} "
                         "axis at every t: the OLS point itself lies on it")
            continue
        if ev is not None:
            zero = np.flatnonzero(ev.zeros)
            below = sw.path_w[sw.path_lam > ev.lam][:, zero]
            stays = ("stays on it down to the origin" if not np.any(below)
                     else "later leaves it again")
            parts.append(
                f"{label} reaches the {coef_name(int(np.flatnonzero(~ev.zeros)[0]))} axis at "
                f"t = {num(ev.t)} (λ = {num(ev.lam)}) and {stays}: "
                f"{coef_names(zero)} = 0 exactly at t = {num(ev.t)}")
            if not np.any(below):
                parts[-1] += " and every smaller t"
            continue
        zero = always_zero(sw)
        crossing = sometimes_zero(sw)
        if zero.size:
            parts.append(f"{label} has {coef_names(zero)} = 0 all along the path only because the "
                         "OLS point already has it (no corner involved)")
        elif crossing.size:
            parts.append(f"{label} reaches no corner, but {coef_names(crossing)} changes sign, "
                         f"passing through 0 at one t only (at t = {num(tc.t)}: "
                         f"ŵ = {vec(tc.w)})")
        else:
            parts.append(f"{label} keeps every coefficient non-zero for every t > 0 "
                         f"(at t = {num(tc.t)}: ŵ = {vec(tc.w)})")
    return "As t shrinks from the OLS point to 0: " + "; ".join(parts) + "."
