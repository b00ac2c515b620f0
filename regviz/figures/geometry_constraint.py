"""Figure 1 of the geometry lesson: hard constraint beside soft penalty, with t <-> lambda.

Its caption is ``regviz.geometry_captions.constraint_caption``, built from the same sweep.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from regviz import geometry as geo
from regviz.figures import geometry_parts as gp
from regviz.figures.style import DEFAULT, PENALTY_COLOURS, PENALTY_LABELS, Style
from regviz.geometry import Data, Sweep, Touch
from regviz.penalties import make_penalty


def constraint_readout(sw: Sweep, touch: Touch, style: Style | None = None) -> str:
    a = sw.a
    if a == 0.0:
        region = f"{gp.region_formula(a)} = {gp.num(touch.t**2)}"
    elif a == 1.0:
        region = gp.region_formula(a).replace("≤ t", f"≤ {gp.num(touch.t)}")
    else:
        region = f"P(w) ≤ {a:g}t + {1 - a:g}t² = {gp.num(touch.budget)}"
    lines = [
        f"<b>t = {gp.num(touch.t)}</b>:  {region}",
        f"⇔ <b>{gp.lam_text(touch, sw.lam_max)}</b> in MSE + λ·P(w)",
        f"ŵ = {gp.vec(touch.w)}",
        f"MSE = {gp.num(touch.mse)}  (OLS: {gp.num(sw.mse_ols)})",
        gp.status(touch, style.feature_colour if style else None),
    ]
    return "<br>".join(lines)


def constraint_figure(
    data: Data, sw: Sweep, ts, style: Style = DEFAULT, start: int | None = None
) -> go.Figure:
    """Hard constraint | soft penalty | t <-> lambda, one frame per t in ``ts``."""
    problem = geo.problem_of(data)
    w_ols = geo.ols(problem)
    colour = PENALTY_COLOURS[sw.penalty]
    start = gp.default_start(ts) if start is None else start
    lo, hi = gp.panel_range(gp.anchor_points(data, w_ols))
    levels, step = gp.mse_levels(problem, lo, hi)
    offsets = step * np.array([0.1, 0.3, 0.6, 1.0, 2.0, 3.0, 4.0, 5.0])
    stacked = style.presenting
    fig, pos = _constraint_grid(sw, stacked)
    fig.add_trace(gp.contour_trace(problem, levels, step, style, True), row=1, col=1)
    _add_paths(fig, data, sw, w_ols, colour, style)
    lam_lo, lam_hi = _add_lambda_map(fig, sw, colour, style, pos["map"])

    # Dynamic traces, in the order every frame lists them.
    first = len(fig.data)
    dyn = _constraint_dynamic(problem, sw, sw.touches[start], offsets, style, colour, full=True)
    places = [pos["hard"]] * 3 + [pos["soft"]] * 2 + [pos["map"], pos["text"]]
    for trace, (row, col) in zip(dyn, places, strict=True):
        fig.add_trace(trace, row=row, col=col)
    idx = list(range(first, first + len(dyn)))
    frames = [
        gp.make_frame(k, idx,
                      _constraint_dynamic(problem, sw, tc, offsets, style, colour, full=False))
        for k, tc in enumerate(sw.touches)
    ]

    titles = (gp.axis_title(data, 0), gp.axis_title(data, 1))
    gp.square_axes(fig, 1, 1, lo, hi, style, "x", titles)
    gp.square_axes(fig, 1, 2, lo, hi, style, "x2", titles)
    _lambda_map_axes(fig, pos["map"], lam_lo, lam_hi)
    gp.hide_axes(fig, *pos["text"])
    _constraint_controls(fig, sw, ts, start, style, stacked)
    return gp.with_frames(fig, frames)


def _constraint_grid(sw: Sweep, stacked: bool) -> tuple[go.Figure, dict[str, tuple[int, int]]]:
    """The subplots and where each panel sits: hard, soft, the t <-> lambda map, the readout."""
    label = PENALTY_LABELS[sw.penalty] + (f" (a = {sw.a:g})" if sw.penalty == "elasticnet" else "")
    titles = (f"<b>Hard constraint</b>, {label}<br>least MSE inside the region",
              "<b>Soft penalty</b>, same λ<br>contours of MSE + λ·P(w)", "t ↔ λ, one to one", "")
    if stacked:  # presentation: the map and the readout get a row of their own, full width
        fig = make_subplots(rows=2, cols=2, row_heights=[0.6, 0.4], horizontal_spacing=0.1,
                            vertical_spacing=0.12, subplot_titles=titles)
        return fig, dict(hard=(1, 1), soft=(1, 2), map=(2, 1), text=(2, 2))
    fig = make_subplots(
        rows=2, cols=3, specs=[[{"rowspan": 2}, {"rowspan": 2}, {}], [None, None, {}]],
        column_widths=[0.36, 0.36, 0.28], row_heights=[0.45, 0.55], horizontal_spacing=0.07,
        vertical_spacing=0.19, subplot_titles=titles,
    )
    return fig, dict(hard=(1, 1), soft=(1, 2), map=(1, 3), text=(2, 3))


def _add_paths(fig: go.Figure, data: Data, sw: Sweep, w_ols: np.ndarray, colour: str,
               style: Style) -> None:
    """Both plane panels' static traces: the path of w as t shrinks, OLS, the true weights."""
    for col in (1, 2):
        fig.add_trace(go.Scatter(
            x=sw.path_w[:, 0], y=sw.path_w[:, 1], mode="lines", name="path of ŵ as t shrinks",
            legendgroup="path", showlegend=col == 1,
            line=dict(color=colour, width=style.line, dash="dot"), hoverinfo="skip",
        ), row=1, col=col)
        fig.add_trace(gp.point_trace(w_ols, "OLS point (λ = 0)", style, colour=style.ink,
                                  show=col == 1, group="ols"), row=1, col=col)
        if data.simulated:
            fig.add_trace(gp.point_trace(data.w_true, "true weights w*", style, colour=style.ink,
                                      symbol="x-thin", size=0.9, show=col == 1, group="true"),
                          row=1, col=col)


def _add_lambda_map(fig: go.Figure, sw: Sweep, colour: str, style: Style,
                    place: tuple[int, int]) -> tuple[float, float]:
    """The t <-> lambda curve over the sweep's finite lambdas; returns their range."""
    finite = [(tc.t, tc.lam) for tc in sw.touches if 0 < tc.lam < math.inf]
    lam_lo = min((lam for _, lam in finite), default=1e-3)
    lam_hi = max((lam for _, lam in finite), default=1.0)
    keep = (sw.path_lam > 0) & np.isfinite(sw.path_lam) & (sw.path_lam >= lam_lo / 3) & (
        sw.path_lam <= lam_hi * 3)
    fig.add_trace(go.Scatter(
        x=sw.path_t[keep], y=sw.path_lam[keep], mode="lines", showlegend=False,
        line=dict(color=colour, width=style.line),
        hovertemplate="t = %{x:.4g}<br>λ = %{y:.4g}<extra></extra>",
    ), row=place[0], col=place[1])
    return lam_lo, lam_hi


def _lambda_map_axes(fig: go.Figure, place: tuple[int, int], lam_lo: float,
                     lam_hi: float) -> None:
    """Reach t across, lambda up on a log scale with 1-2-5 ticks."""
    fig.update_xaxes(title_text="reach t", row=place[0], col=place[1])
    y_lo, y_hi = math.log10(lam_lo) - 0.3, math.log10(lam_hi) + 0.3
    ticks = [m * 10.0**e for e in range(math.floor(y_lo), math.ceil(y_hi) + 1) for m in (1, 2, 5)
             if y_lo <= math.log10(m * 10.0**e) <= y_hi]
    fig.update_yaxes(title=dict(text="λ (log scale)", standoff=2), type="log",
                     row=place[0], col=place[1],
                     range=[y_lo, y_hi], tickvals=ticks, ticktext=[f"{v:g}" for v in ticks])


def _constraint_controls(fig: go.Figure, sw: Sweep, ts, start: int, style: Style,
                         stacked: bool) -> None:
    """The t slider, play buttons (and "first corner" when there is one), legend, height."""
    corner = [k for k, tc in enumerate(sw.touches) if tc.on_corner]
    extra = []
    if corner:
        extra.append(dict(label="first corner", method="animate",
                          args=[[str(max(corner))], gp.ANIM]))
    fig.update_layout(**style.layout(
        showlegend=True,
        sliders=[gp.t_slider(ts, start, style, gp.ANIM, x=0.3 if extra else 0.16)],
        updatemenus=[gp.play_buttons(len(ts), style, gp.ANIM, extra)],
    ))
    fig.update_annotations(font_size=round(style.font * 0.95))
    gp.legend_then_slider(fig, style, plot=1000 if stacked else 420, top=80 if stacked else 70,
                       axis_below=stacked)


def _constraint_dynamic(problem, sw: Sweep, touch: Touch, offsets, style: Style, colour: str,
                        full: bool) -> list[go.Scatter]:
    pen = make_penalty(sw.penalty, sw.a)
    lam = touch.lam
    if touch.inside or math.isinf(lam) or touch.at_origin:
        curves = []  # lam = 0: the penalized contours are the MSE contours; lam = inf: a point
        if touch.inside:
            curves = [geo.loss_ellipse(problem, touch.mse + d, 121) for d in offsets]
    else:
        curves = geo.penalized_contours(problem, pen, lam, touch.w, offsets, 121)
    px, py = gp.xy_of(curves)
    rx, ry = gp.xy_of([geo.region_outline(touch.t, sw.a, 181)])
    ex, ey = gp.xy_of([geo.loss_ellipse(problem, touch.mse, 121)])
    wx, wy = [float(touch.w[0])], [float(touch.w[1])]
    lam_y = [lam] if 0 < lam < math.inf else [None]
    text = constraint_readout(sw, touch, style)
    if not full:
        # Frames carry only the changing data.
        return [gp.frame_update(x=rx, y=ry), gp.frame_update(x=ex, y=ey),
                gp.frame_update(x=wx, y=wy), gp.frame_update(x=px, y=py),
                gp.frame_update(x=wx, y=wy),
                gp.frame_update(x=[touch.t], y=lam_y), gp.frame_update(text=[text])]
    return [
        gp.region_trace(touch.t, sw.a, colour, "region P(w) ≤ budget(t)", show=True),
        gp.touch_ellipse_trace(problem, touch, style, show=True),
        gp.solution_trace(touch, colour, style, show=True),
        go.Scatter(x=px, y=py, mode="lines", line=dict(color=colour, width=1.2),
                   name="contours of MSE + λ·P(w)", hoverinfo="skip"),
        gp.solution_trace(touch, colour, style, name="minimum of MSE + λ·P(w)"),
        go.Scatter(x=[touch.t], y=lam_y, mode="markers", showlegend=False,
                   marker=dict(color=colour, size=style.marker * 1.6,
                               line=dict(color=style.ink, width=2)),
                   hovertemplate="t = %{x:.4g}<br>λ = %{y:.4g}<extra></extra>"),
        gp.text_trace(text, style, size=0.92),
    ]
