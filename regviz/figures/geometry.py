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

Captions (the message of each chart in numbers) are built here too, from the
same results, so what the page says always matches what the chart shows.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from regviz import geometry as geo
from regviz.figures.style import DEFAULT, PENALTY_COLOURS, PENALTY_LABELS, Style, short_name
from regviz.geometry import Data, Sweep, Touch
from regviz.penalties import make_penalty
from regviz.usertext import plotly_text

SUB = "₁₂₃"
CONTOUR_GREY = "#9A9A9A"
N_LEVELS = 8

_ANIM = dict(mode="immediate", frame=dict(duration=0, redraw=False), transition=dict(duration=0))
_ANIM_3D = dict(mode="immediate", frame=dict(duration=0, redraw=True), transition=dict(duration=0))


# ---------------------------------------------------------------------------
# Small text helpers


def num(x: float) -> str:
    """A number as the page prints it: exact zeros as "0", infinity as "∞"."""
    if x == 0:
        return "0"
    if math.isinf(x):
        return "∞"
    return f"{x:.3g}"


def vec(w) -> str:
    return "(" + ", ".join(num(float(v)) for v in w) + ")"


def _name(j: int) -> str:
    return f"w{SUB[j]}"


def _coloured(j: int, style: Style) -> str:
    return f"<span style='color:{style.feature_colour(j)}'><b>{_name(j)}</b></span>"


def _names(idx, style: Style | None = None) -> str:
    parts = [(_coloured(j, style) if style else _name(j)) for j in idx]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def region_formula(a: float, p: int = 2) -> str:
    """The region's inequality in words a student can read off the plot."""
    absum = " + ".join(f"|{_name(j)}|" for j in range(p))
    sqsum = " + ".join(f"{_name(j)}²" for j in range(p))
    if a == 1.0:
        return f"{absum} ≤ t"
    if a == 0.0:
        return f"{sqsum} ≤ t²"
    return f"{a:g}·({absum}) + {1 - a:g}·({sqsum}) ≤ {a:g}·t + {1 - a:g}·t²"


def lam_text(touch: Touch, lam_max: float) -> str:
    if touch.inside:
        return "λ = 0"
    if math.isinf(touch.lam):
        return "λ → ∞"
    if touch.at_origin:
        return f"λ ≥ λ_max = {num(lam_max)}"
    return f"λ = {num(touch.lam)}"


def status(touch: Touch, style: Style | None = None) -> str:
    """Where the solution sits on the region, in words: corner, smooth side, inside, origin."""
    p = touch.w.size
    if touch.at_origin:
        return "at the origin: every coefficient is 0"
    if touch.inside:
        return "OLS point inside the region: λ = 0"
    zeros = np.flatnonzero(touch.zeros)
    verb = "is" if zeros.size == 1 else "are"
    if touch.on_corner:
        where = "on a corner" if p == 2 else ("on an edge" if zeros.size == 1 else "on a vertex")
        return f"<b>{where}: {_names(zeros, style)} {verb} exactly 0</b>"
    shape = "circle" if p == 2 else "sphere"
    if zeros.size:  # ridge (no corners) with a zero: the smooth surface meets an axis plane
        return f"on the smooth {shape}, not a corner: {_names(zeros, style)} {verb} exactly 0"
    if touch.a == 0.0:
        return f"on the smooth {shape}: no zero"
    return ("on a side, not a corner: no zero" if touch.a == 1.0
            else "on a curved side, not a corner: no zero")


def _plain(html: str) -> str:
    """Drop the few tags the readouts use, for captions and alt text."""
    for tag in ("<b>", "</b>", "</span>"):
        html = html.replace(tag, "")
    while "<span" in html:
        start = html.index("<span")
        html = html[:start] + html[html.index(">", start) + 1:]
    return html


# ---------------------------------------------------------------------------
# Geometry-to-trace helpers


def _upd(**kw) -> go.Scatter:
    """A frame's partial trace: only the changing data, built without plotly's validation.

    Validation is what makes building hundreds of frame traces slow; these
    carry nothing but arrays and text, checked once on the full traces.
    """
    return go.Scatter(**kw, _validate=False)


def _frame(k: int, traces: list[int], data: list) -> go.Frame:
    return go.Frame(name=str(k), traces=traces, data=data, _validate=False)


def _with_frames(fig: go.Figure, frames: list[go.Frame]) -> go.Figure:
    """Attach frames without plotly re-validating every one (the slow part of building).

    ``fig.frames = ...`` copies and validates each frame again; frames built
    by ``_frame`` are plain data, so they are attached directly.  The tests
    rebuild every figure through ``go.Figure(fig.to_dict())``, which validates
    all of it.
    """
    fig._frame_objs = tuple(frames)
    return fig


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _xy(curves) -> tuple[np.ndarray, np.ndarray]:
    """Curves (each (m, 2)) joined into one x and one y array, NaN between them."""
    parts = []
    for c in curves:
        if len(c):
            parts += [np.asarray(c, dtype=float), np.full((1, 2), np.nan)]
    if not parts:
        return np.array([np.nan], dtype=np.float32), np.array([np.nan], dtype=np.float32)
    xy = np.vstack(parts[:-1]).astype(np.float32)
    return xy[:, 0], xy[:, 1]


def _nice(x: float) -> float:
    """1, 2 or 5 times a power of ten, close to x."""
    if x <= 0 or not math.isfinite(x):
        return 1.0
    e = math.floor(math.log10(x))
    f = x / 10**e
    return (1.0 if f < 1.5 else 2.0 if f < 3.5 else 5.0 if f < 7.5 else 10.0) * 10**e


def _anchors(data: Data, w_ols: np.ndarray) -> list[np.ndarray]:
    """Points every panel must show: the OLS point, and the truth when it is known."""
    return [w_ols, data.w_true] if data.simulated else [w_ols]


def axis_title(data: Data, j: int) -> str:
    """``w₁`` or, for a table's columns, ``w₁ (its name)``: elided to fit, plotly-escaped."""
    if not data.names:
        return _name(j)
    return f"{_name(j)} ({plotly_text(short_name(data.names[j], 24))})"


def panel_range(points, pad: float = 0.3) -> tuple[float, float]:
    """One range for both axes of a 2-D panel holding the origin and these points."""
    pts = np.vstack([np.zeros((1, 2)), np.asarray(points, dtype=float).reshape(-1, 2)])
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    span = max(float((hi - lo).max()), 0.5)
    centre = 0.5 * (lo + hi)
    half = 0.5 * span * (1 + 2 * pad)
    return float(min(centre.min() - half, -0.15 * span)), float(max(centre.max() + half,
                                                                       0.15 * span))


def mse_levels(problem, lo: float, hi: float) -> tuple[np.ndarray, float]:
    """Evenly spaced MSE levels above the OLS floor that fill a [lo, hi]^2 panel."""
    corners = np.array([[lo, lo], [lo, hi], [hi, lo], [hi, hi]])
    floor = float(geo.mse(problem, geo.ols(problem)))
    top = float(geo.mse(problem, corners).max()) - floor
    step = _nice(top / N_LEVELS)
    return floor + step * np.arange(1, N_LEVELS + 1), step


def _contours(problem, levels, step: float, style: Style, show: bool) -> go.Scatter:
    x, y = _xy([geo.loss_ellipse(problem, lv, 121) for lv in levels])
    return go.Scatter(
        x=x, y=y, mode="lines", name=f"MSE contours (every +{num(step)})", legendgroup="mse",
        showlegend=show, line=dict(color=CONTOUR_GREY, width=1), hoverinfo="skip",
    )


def _point(w, name: str, style: Style, *, colour: str, symbol: str = "circle",
           size: float = 1.0, show: bool = True, group: str | None = None) -> go.Scatter:
    return go.Scatter(
        x=[float(w[0])], y=[float(w[1])], mode="markers", name=name, showlegend=show,
        legendgroup=group or name,
        marker=dict(color=colour, size=style.marker * 1.3 * size, symbol=symbol,
                    line=dict(color=style.ink, width=1)),
        hovertemplate=f"{name}<br>w₁ = %{{x:.4g}}<br>w₂ = %{{y:.4g}}<extra></extra>",
    )


def _region(t: float, a: float, colour: str, name: str = "", show: bool = False) -> go.Scatter:
    x, y = _xy([geo.region_outline(t, a, 181)])
    return go.Scatter(x=x, y=y, mode="lines", fill="toself", fillcolor=_rgba(colour, 0.22),
                      line=dict(color=colour, width=2), name=name, showlegend=show,
                      legendgroup="region", hoverinfo="skip")


def _touch_ellipse(problem, touch: Touch, style: Style, show: bool = False) -> go.Scatter:
    x, y = _xy([geo.loss_ellipse(problem, touch.mse, 121)])
    return go.Scatter(x=x, y=y, mode="lines", line=dict(color=style.ink, width=1.5, dash="dash"),
                      name="smallest contour that touches", legendgroup="touch",
                      showlegend=show, hoverinfo="skip")


def _solution(touch: Touch, colour: str, style: Style, name: str = "constrained solution ŵ",
              show: bool = False) -> go.Scatter:
    return go.Scatter(
        x=[float(touch.w[0])], y=[float(touch.w[1])], mode="markers", name=name,
        legendgroup="solution", showlegend=show,
        marker=dict(color=colour, size=style.marker * 1.9, symbol="circle",
                    line=dict(color=style.ink, width=2)),
        hovertemplate="ŵ = (%{x:.6g}, %{y:.6g})<extra></extra>",
    )


def _text(text: str, style: Style, x: float = 0.0, y: float = 1.0,
          position: str = "bottom right", size: float = 1.0) -> go.Scatter:
    # cliponaxis=False: a readout too long for its cell shows whole (and a layout test can see
    # it) instead of being cut silently at the cell's edge.
    return go.Scatter(x=[x], y=[y], mode="text", text=[text], textposition=position,
                      textfont=dict(size=round(style.font * size), color=style.ink),
                      showlegend=False, hoverinfo="skip", cliponaxis=False)


def _square_axes(fig, row: int, col: int, lo: float, hi: float, style: Style,
                 anchor: str, titles: tuple[str, str] = (_name(0), _name(1))) -> None:
    """Equal scales on both axes (the circle stays round), the axes' zero lines drawn."""
    tick = dict(size=round(style.font * 0.85))
    fig.update_xaxes(tickfont=tick, row=row, col=col)
    fig.update_yaxes(tickfont=tick, row=row, col=col)
    fig.update_xaxes(range=[lo, hi], zeroline=True, zerolinewidth=1.5,
                     zerolinecolor=style.ink, constrain="domain", row=row, col=col,
                     title=dict(text=titles[0], font=dict(color=style.feature_colour(0))))
    fig.update_yaxes(range=[lo, hi], zeroline=True, zerolinewidth=1.5,
                     zerolinecolor=style.ink, scaleanchor=anchor, scaleratio=1,
                     constrain="domain", row=row, col=col,
                     title=dict(text=titles[1], font=dict(color=style.feature_colour(1)),
                                standoff=2))


def _hide_axes(fig, row: int, col: int) -> None:
    fig.update_xaxes(visible=False, range=[0, 1], fixedrange=True, row=row, col=col)
    fig.update_yaxes(visible=False, range=[0, 1], fixedrange=True, row=row, col=col)


def _slider(ts, start: int, style: Style, anim: dict, prefix: str = "t = ",
            x: float = 0.16) -> dict:
    steps = [dict(method="animate", label=num(float(t)), args=[[str(k)], anim])
             for k, t in enumerate(ts)]
    return dict(
        active=start, steps=steps, x=x, len=1.0 - x, y=0.0, yanchor="top", pad=dict(t=45, b=10),
        currentvalue=dict(prefix=prefix, font=dict(size=style.font, color=style.ink),
                          xanchor="left"),
        font=dict(color="rgba(0,0,0,0)", size=2),  # step labels would overlap; currentvalue shows t
        ticklen=4, minorticklen=2,
    )


def _buttons(n: int, style: Style, anim: dict, extra=()) -> dict:
    play = dict(anim, frame=dict(duration=140, redraw=anim["frame"]["redraw"]))
    buttons = [
        dict(label="▶ shrink t", method="animate",
             args=[[str(k) for k in range(n - 1, -1, -1)], play]),
        *extra,
    ]
    return dict(type="buttons", direction="right", x=0.0, y=0.0, xanchor="left", yanchor="top",
                pad=dict(t=62), showactive=False, buttons=buttons,
                font=dict(size=round(style.font * 0.9)))


# ---------------------------------------------------------------------------
# Figure 1: hard constraint next to soft penalty, with the t <-> lambda mapping


def default_start(ts) -> int:
    """The frame a figure opens on: t at 40% of its range (often on a corner for L1)."""
    ts = np.asarray(ts, dtype=float)
    return int(np.argmin(np.abs(ts - 0.4 * ts.max())))


def constraint_readout(sw: Sweep, touch: Touch, style: Style | None = None) -> str:
    a = sw.a
    if a == 0.0:
        region = f"{region_formula(a)} = {num(touch.t**2)}"
    elif a == 1.0:
        region = region_formula(a).replace("≤ t", f"≤ {num(touch.t)}")
    else:
        region = f"P(w) ≤ {a:g}t + {1 - a:g}t² = {num(touch.budget)}"
    lines = [
        f"<b>t = {num(touch.t)}</b>:  {region}",
        f"⇔ <b>{lam_text(touch, sw.lam_max)}</b> in MSE + λ·P(w)",
        f"ŵ = {vec(touch.w)}",
        f"MSE = {num(touch.mse)}  (OLS: {num(sw.mse_ols)})",
        status(touch, style),
    ]
    return "<br>".join(lines)


def constraint_figure(
    data: Data, sw: Sweep, ts, style: Style = DEFAULT, start: int | None = None
) -> go.Figure:
    """Hard constraint | soft penalty | t <-> lambda, one frame per t in ``ts``."""
    problem = geo.problem_of(data)
    w_ols = geo.ols(problem)
    colour = PENALTY_COLOURS[sw.penalty]
    start = default_start(ts) if start is None else start
    lo, hi = panel_range(_anchors(data, w_ols))
    levels, step = mse_levels(problem, lo, hi)
    offsets = step * np.array([0.1, 0.3, 0.6, 1.0, 2.0, 3.0, 4.0, 5.0])
    label = PENALTY_LABELS[sw.penalty] + (f" (a = {sw.a:g})" if sw.penalty == "elasticnet" else "")

    titles = (f"<b>Hard constraint</b>, {label}<br>least MSE inside the region",
              "<b>Soft penalty</b>, same λ<br>contours of MSE + λ·P(w)", "t ↔ λ, one to one", "")
    stacked = style.scale > 1.0
    if stacked:  # presentation: the map and the readout get a row of their own, full width
        fig = make_subplots(rows=2, cols=2, row_heights=[0.6, 0.4], horizontal_spacing=0.1,
                            vertical_spacing=0.12, subplot_titles=titles)
        pos = dict(hard=(1, 1), soft=(1, 2), map=(2, 1), text=(2, 2))
    else:
        fig = make_subplots(
            rows=2, cols=3, specs=[[{"rowspan": 2}, {"rowspan": 2}, {}], [None, None, {}]],
            column_widths=[0.36, 0.36, 0.28], row_heights=[0.45, 0.55], horizontal_spacing=0.07,
            vertical_spacing=0.19, subplot_titles=titles,
        )
        pos = dict(hard=(1, 1), soft=(1, 2), map=(1, 3), text=(2, 3))
    # Static traces.
    fig.add_trace(_contours(problem, levels, step, style, True), row=1, col=1)
    for col in (1, 2):
        fig.add_trace(go.Scatter(
            x=sw.path_w[:, 0], y=sw.path_w[:, 1], mode="lines", name="path of ŵ as t shrinks",
            legendgroup="path", showlegend=col == 1,
            line=dict(color=colour, width=style.line, dash="dot"), hoverinfo="skip",
        ), row=1, col=col)
        fig.add_trace(_point(w_ols, "OLS point (λ = 0)", style, colour=style.ink,
                             show=col == 1, group="ols"), row=1, col=col)
        if data.simulated:
            fig.add_trace(_point(data.w_true, "true weights w*", style, colour=style.ink,
                                 symbol="x-thin", size=0.9, show=col == 1, group="true"),
                          row=1, col=col)
    finite = [(tc.t, tc.lam) for tc in sw.touches if 0 < tc.lam < math.inf]
    lam_lo = min((lam for _, lam in finite), default=1e-3)
    lam_hi = max((lam for _, lam in finite), default=1.0)
    keep = (sw.path_lam > 0) & np.isfinite(sw.path_lam) & (sw.path_lam >= lam_lo / 3) & (
        sw.path_lam <= lam_hi * 3)
    fig.add_trace(go.Scatter(
        x=sw.path_t[keep], y=sw.path_lam[keep], mode="lines", showlegend=False,
        line=dict(color=colour, width=style.line),
        hovertemplate="t = %{x:.4g}<br>λ = %{y:.4g}<extra></extra>",
    ), row=pos["map"][0], col=pos["map"][1])

    # Dynamic traces, in the order every frame lists them.
    first = len(fig.data)
    touch = sw.touches[start]
    dyn = _constraint_dynamic(problem, sw, touch, offsets, style, colour, full=True)
    places = [pos["hard"]] * 3 + [pos["soft"]] * 2 + [pos["map"], pos["text"]]
    for trace, (row, col) in zip(dyn, places, strict=True):
        fig.add_trace(trace, row=row, col=col)
    idx = list(range(first, first + len(dyn)))
    frames = [
        _frame(k, idx, _constraint_dynamic(problem, sw, tc, offsets, style, colour, full=False))
        for k, tc in enumerate(sw.touches)
    ]

    titles = (axis_title(data, 0), axis_title(data, 1))
    _square_axes(fig, 1, 1, lo, hi, style, "x", titles)
    _square_axes(fig, 1, 2, lo, hi, style, "x2", titles)
    fig.update_xaxes(title_text="reach t", row=pos["map"][0], col=pos["map"][1])
    y_lo, y_hi = math.log10(lam_lo) - 0.3, math.log10(lam_hi) + 0.3
    ticks = [m * 10.0**e for e in range(math.floor(y_lo), math.ceil(y_hi) + 1) for m in (1, 2, 5)
             if y_lo <= math.log10(m * 10.0**e) <= y_hi]
    fig.update_yaxes(title=dict(text="λ (log scale)", standoff=2), type="log",
                     row=pos["map"][0], col=pos["map"][1],
                     range=[y_lo, y_hi], tickvals=ticks, ticktext=[f"{v:g}" for v in ticks])
    _hide_axes(fig, *pos["text"])
    corner = [k for k, tc in enumerate(sw.touches) if tc.on_corner]
    extra = []
    if corner:
        extra.append(dict(label="first corner", method="animate",
                          args=[[str(max(corner))], _ANIM]))
    fig.update_layout(**style.layout(
        showlegend=True,
        sliders=[_slider(ts, start, style, _ANIM, x=0.3 if extra else 0.16)],
        updatemenus=[_buttons(len(ts), style, _ANIM, extra)],
    ))
    fig.update_annotations(font_size=round(style.font * 0.95))
    _legend_then_slider(fig, style, plot=1000 if stacked else 420, top=80 if stacked else 70,
                        axis_below=stacked)
    return _with_frames(fig, frames)


def slider_room(style: Style) -> int:
    """Pixels the t slider and its buttons need under a plot (current value, rail, ticks)."""
    return round(125 * max(style.scale, 1.0) ** 0.5)


def _legend_then_slider(fig: go.Figure, style: Style, plot: int, top: int,
                        legend_rows: int | None = None, axis_below: bool = False) -> None:
    """Legend under the plots, then the t slider and its buttons, none overlapping.

    Paper coordinates below 0 are fractions of the plotting area's height, so
    each position is worked out in pixels first: the legend's rows at its font
    size (two on a laptop; three in presentation mode, where the chart is
    narrower and the text larger), then the slider and buttons under it.
    ``axis_below``: the lowest subplot has a visible x axis, whose tick labels
    and title the legend must clear.
    """
    rows = legend_rows or (2 if style.scale <= 1.0 else 3)
    legend_font = round(style.font * 0.85)
    legend_px = rows * round(legend_font * 1.9) + 8
    gap = round(style.font * 3.6) if axis_below else 12
    slider_top = gap + legend_px + 6
    bottom = slider_top + slider_room(style)
    fig.update_layout(
        height=plot + top + bottom,
        margin=dict(l=55, r=15, t=top, b=bottom),
        legend=dict(orientation="h", x=0.0, y=-gap / plot, xanchor="left", yanchor="top",
                    font=dict(size=legend_font)),
    )
    fig.layout.sliders[0].y = -slider_top / plot
    fig.layout.updatemenus[0].y = -slider_top / plot


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
    px, py = _xy(curves)
    rx, ry = _xy([geo.region_outline(touch.t, sw.a, 181)])
    ex, ey = _xy([geo.loss_ellipse(problem, touch.mse, 121)])
    wx, wy = [float(touch.w[0])], [float(touch.w[1])]
    lam_y = [lam] if 0 < lam < math.inf else [None]
    text = constraint_readout(sw, touch, style)
    if not full:
        # Frames carry only the changing data.
        return [_upd(x=rx, y=ry), _upd(x=ex, y=ey), _upd(x=wx, y=wy), _upd(x=px, y=py),
                _upd(x=wx, y=wy), _upd(x=[touch.t], y=lam_y), _upd(text=[text])]
    return [
        _region(touch.t, sw.a, colour, "region P(w) ≤ budget(t)", show=True),
        _touch_ellipse(problem, touch, style, show=True),
        _solution(touch, colour, style, show=True),
        go.Scatter(x=px, y=py, mode="lines", line=dict(color=colour, width=1.2),
                   name="contours of MSE + λ·P(w)", hoverinfo="skip"),
        _solution(touch, colour, style, name="minimum of MSE + λ·P(w)"),
        go.Scatter(x=[touch.t], y=lam_y, mode="markers", showlegend=False,
                   marker=dict(color=colour, size=style.marker * 1.6,
                               line=dict(color=style.ink, width=2)),
                   hovertemplate="t = %{x:.4g}<br>λ = %{y:.4g}<extra></extra>"),
        _text(text, style, size=0.92),
    ]


def _inner(sw: Sweep) -> np.ndarray:
    """The path's points with t > 0 (the origin itself has every coefficient 0)."""
    return sw.path_w[sw.path_t > 0]


def always_zero(sw: Sweep) -> np.ndarray:
    """Coefficients that are exactly 0 at every point of the path with t > 0."""
    inner = _inner(sw)
    if not inner.size:
        return np.array([], dtype=int)
    return np.flatnonzero(np.all(inner == 0, axis=0))


def sometimes_zero(sw: Sweep) -> np.ndarray:
    """Coefficients that are 0 somewhere on the path (t > 0) or change sign along it.

    A sign change between two computed points means the coefficient passes
    through 0 between them (ridge can do that with correlated features).
    """
    inner = _inner(sw)
    if not inner.size:
        return np.array([], dtype=int)
    s = np.sign(inner)
    crosses = np.any(s[1:] * s[:-1] < 0, axis=0)
    return np.flatnonzero(np.any(inner == 0, axis=0) | crosses)


def zero_below(sw: Sweep, t: float) -> bool:
    """Every point of the path with 0 < t' <= t has some coefficient exactly 0."""
    rows = sw.path_w[(sw.path_t > 0) & (sw.path_t <= t)]
    return bool(np.all(np.any(rows == 0, axis=1)))


def _from_ols(sw: Sweep, corner: Touch) -> bool:
    """The path is on the axis from the start: the OLS point has the zero (up to rounding)."""
    return corner.t >= sw.t_ols * (1.0 - 1e-9) or corner.lam <= 1e-9 * sw.lam_max


def constraint_caption(sw: Sweep, touch: Touch) -> str:
    """The first chart's message at its opening frame, in numbers."""
    label = PENALTY_LABELS[sw.penalty]
    text = (f"{label}: at t = {num(touch.t)} the constrained solution is ŵ = {vec(touch.w)}, "
            f"{_plain(status(touch))}; the penalized form gives the same point at "
            f"{lam_text(touch, sw.lam_max)}. ")
    return text + _path_sentence(sw)


def _path_sentence(sw: Sweep) -> str:
    """What the whole path does with zeros, each clause checked against the path's points."""
    ev = sw.first_corner()
    always = always_zero(sw)
    if ev is not None and _from_ols(sw, ev):
        zero = np.flatnonzero(ev.zeros)
        held = np.all(_inner(sw)[:, zero] == 0)
        return (f"The OLS point itself lies on an axis ({_names(zero)} = 0), so the path starts "
                "on a corner" + (" and that coefficient is exactly 0 at every t." if held
                                 else "; it leaves that axis as t shrinks."))
    if ev is not None:
        zero = np.flatnonzero(ev.zeros)
        if zero_below(sw, ev.t):
            return (f"The solution is on a corner ({_names(zero)} = 0 exactly) for every t ≤ "
                    f"{num(ev.t)}, that is λ ≥ {num(ev.lam)}.")
        return (f"The solution first reaches a corner ({_names(zero)} = 0 exactly) at t = "
                f"{num(ev.t)} (λ = {num(ev.lam)}) and later leaves it again.")
    if always.size:
        return (f"{_names(always)} = 0 at every t only because the OLS point already has it "
                "(no corner involved).")
    crossing = sometimes_zero(sw)
    if crossing.size:
        return (f"No corner is reached; {_names(crossing)} changes sign along the path, so it "
                "passes through 0 at one t without staying there.")
    if sw.a == 0.0:
        return "The circle has no corners: no coefficient is 0 at any t > 0."
    return "With these data the solution reaches no corner before the origin."


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
    lo, hi = panel_range(_anchors(data, w_ols))
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
        fig.add_trace(_contours(problem, levels, step, style, i == 0), row=1, col=i + 1)
        fig.add_trace(go.Scatter(
            x=sw.path_w[:, 0], y=sw.path_w[:, 1], mode="lines", name="whole path",
            legendgroup="path", showlegend=i == 0, hoverinfo="skip",
            line=dict(color=colour, width=1, dash="dot"),
        ), row=1, col=i + 1)
        fig.add_trace(_point(w_ols, "OLS point", style, colour=style.ink, show=i == 0,
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
        frames.append(_frame(k, idx, data_k))
    for i in range(n):
        _square_axes(fig, 1, i + 1, lo, hi, style, "x" if i == 0 else f"x{i + 1}",
                     (axis_title(data, 0), axis_title(data, 1)))
        _hide_axes(fig, 2, i + 1)
    fig.update_layout(**style.layout(
        sliders=[_slider(ts, start, style, _ANIM)],
        updatemenus=[_buttons(len(ts), style, _ANIM)],
    ))
    _legend_then_slider(fig, style, plot=620 if style.scale > 1.0 else 420, top=40)
    return _with_frames(fig, frames)


def _comparison_dynamic(problem, sw: Sweep, touch: Touch, style: Style, full: bool,
                        show: bool) -> list[go.Scatter]:
    colour = PENALTY_COLOURS[sw.penalty]
    trail = np.vstack([sw.path_w[sw.path_t >= touch.t], touch.w[None, :]])
    text = comparison_readout(sw, touch, style)
    if not full:
        rx, ry = _xy([geo.region_outline(touch.t, sw.a, 181)])
        ex, ey = _xy([geo.loss_ellipse(problem, touch.mse, 121)])
        return [_upd(x=rx, y=ry), _upd(x=ex, y=ey), _upd(x=trail[:, 0], y=trail[:, 1]),
                _upd(x=[float(touch.w[0])], y=[float(touch.w[1])]), _upd(text=[text])]
    return [
        _region(touch.t, sw.a, colour, "region of reach t", show=show),
        _touch_ellipse(problem, touch, style, show=show),
        go.Scatter(x=trail[:, 0], y=trail[:, 1], mode="lines", name="path so far",
                   legendgroup="trail", showlegend=show, hoverinfo="skip",
                   line=dict(color=colour, width=style.line * 1.5)),
        _solution(touch, colour, style, name="solution ŵ", show=show),
        _text(text, style, x=0.02, y=1.0, size=0.9),
    ]


def comparison_caption(sweeps: list[Sweep], touch_index: int) -> str:
    parts = []
    for sw in sweeps:
        label = PENALTY_LABELS[sw.penalty]
        tc = sw.touches[touch_index]
        ev = sw.first_corner()
        if ev is not None and _from_ols(sw, ev) and zero_below(sw, sw.t_ols):
            parts.append(f"{label} stays on the {_name(int(np.flatnonzero(~ev.zeros)[0]))} "
                         "axis at every t: the OLS point itself lies on it")
            continue
        if ev is not None:
            zero = np.flatnonzero(ev.zeros)
            below = sw.path_w[sw.path_lam > ev.lam][:, zero]
            stays = ("stays on it down to the origin" if not np.any(below)
                     else "later leaves it again")
            parts.append(
                f"{label} reaches the {_name(int(np.flatnonzero(~ev.zeros)[0]))} axis at "
                f"t = {num(ev.t)} (λ = {num(ev.lam)}) and {stays}: "
                f"{_names(zero)} = 0 exactly at t = {num(ev.t)}")
            if not np.any(below):
                parts[-1] += " and every smaller t"
            continue
        zero = always_zero(sw)
        crossing = sometimes_zero(sw)
        if zero.size:
            parts.append(f"{label} has {_names(zero)} = 0 all along the path only because the "
                         "OLS point already has it (no corner involved)")
        elif crossing.size:
            parts.append(f"{label} reaches no corner, but {_names(crossing)} changes sign, "
                         f"passing through 0 at one t only (at t = {num(tc.t)}: "
                         f"ŵ = {vec(tc.w)})")
        else:
            parts.append(f"{label} keeps every coefficient non-zero for every t > 0 "
                         f"(at t = {num(tc.t)}: ŵ = {vec(tc.w)})")
    return "As t shrinks from the OLS point to 0: " + "; ".join(parts) + "."


# ---------------------------------------------------------------------------
# Figure 3: three coefficients


def figure_3d(data: Data, sweeps: list[Sweep], ts, style: Style = DEFAULT,
              start: int | None = None) -> go.Figure:
    """Octahedron (L1) and sphere (L2) with the loss ellipsoid touching each; rotatable."""
    problem = geo.problem_of(data)
    w_ols = geo.ols(problem)
    start = default_start(ts) if start is None else start
    n = len(sweeps)
    # Every ball up to the largest t (the sphere through the OLS point) fits in the box.
    R = 1.1 * max(float(np.max(ts)), float(np.linalg.norm(w_ols)),
                  float(np.linalg.norm(_anchors(data, w_ols)[-1])), 0.5)
    fig = make_subplots(
        rows=2, cols=n, row_heights=[0.84, 0.16], vertical_spacing=0.02,
        horizontal_spacing=0.02,
        specs=[[{"type": "scene"}] * n, [{"type": "xy"}] * n],
        subplot_titles=[f"{PENALTY_LABELS[s.penalty]}: "
                        + ("octahedron" if s.a == 1.0 else "sphere" if s.a == 0.0
                           else "rounded octahedron") for s in sweeps] + [""] * n,
    )
    for i, sw in enumerate(sweeps):
        colour = PENALTY_COLOURS[sw.penalty]
        for j in range(3):
            end = np.zeros(3)
            end[j] = R
            fig.add_trace(go.Scatter3d(
                x=[-end[0], end[0]], y=[-end[1], end[1]], z=[-end[2], end[2]], mode="lines",
                line=dict(color=style.feature_colour(j), width=4), showlegend=False,
                hoverinfo="skip", name=_name(j)), row=1, col=i + 1)
        fig.add_trace(go.Scatter3d(
            x=sw.path_w[:, 0], y=sw.path_w[:, 1], mode="lines", z=sw.path_w[:, 2],
            line=dict(color=colour, width=5), name="path of ŵ", showlegend=False,
            hoverinfo="skip"), row=1, col=i + 1)
        fig.add_trace(go.Scatter3d(
            x=[w_ols[0]], y=[w_ols[1]], z=[w_ols[2]], mode="markers", showlegend=False,
            marker=dict(color=style.ink, size=4), name="OLS",
            hovertemplate="OLS (%{x:.3g}, %{y:.3g}, %{z:.3g})<extra></extra>"),
            row=1, col=i + 1)
    first = len(fig.data)
    for i, sw in enumerate(sweeps):
        for trace, row in zip(_dynamic_3d(problem, sw, sw.touches[start], style, True),
                              [1, 1, 1, 2], strict=True):
            fig.add_trace(trace, row=row, col=i + 1)
    idx = list(range(first, first + 4 * n))
    frames = [
        _frame(k, idx, [tr for sw in sweeps
                        for tr in _dynamic_3d(problem, sw, sw.touches[k], style, False)])
        for k in range(len(ts))
    ]
    axis = dict(range=[-R, R], showbackground=False, zeroline=False,
                tickfont=dict(size=round(style.font * 0.75)))
    for i in range(n):
        name = "scene" if i == 0 else f"scene{i + 1}"
        fig.layout[name].update(
            aspectmode="cube",
            xaxis=dict(axis, title=dict(text=axis_title(data, 0),
                                         font=dict(color=style.feature_colour(0)))),
            yaxis=dict(axis, title=dict(text=axis_title(data, 1),
                                         font=dict(color=style.feature_colour(1)))),
            zaxis=dict(axis, title=dict(text=axis_title(data, 2),
                                         font=dict(color=style.feature_colour(2)))),
            camera=dict(eye=dict(x=0.6, y=-2.3, z=0.9)),  # the whole box stays in view
        )
        _hide_axes(fig, 2, i + 1)
    fig.update_layout(**style.layout(
        height=round(620 * min(style.scale, 1.4)) + slider_room(style) - 90,
        showlegend=False,
        sliders=[_slider(ts, start, style, _ANIM_3D)],
        updatemenus=[_buttons(len(ts), style, _ANIM_3D)],
        margin=dict(l=10, r=10, t=40, b=slider_room(style)),
    ))
    fig.layout.sliders[0].y = -0.02
    fig.layout.updatemenus[0].y = -0.02
    return _with_frames(fig, frames)


def _dynamic_3d(problem, sw: Sweep, touch: Touch, style: Style, validate: bool) -> list:
    """The moving 3-D traces; WebGL frames are redrawn, so they carry full traces."""
    colour = PENALTY_COLOURS[sw.penalty]
    t = max(touch.t, 1e-9)
    v3 = dict(_validate=validate)
    if sw.a == 1.0:
        v, f = geo.octahedron(t)
        shape = go.Mesh3d(x=v[:, 0], y=v[:, 1], z=v[:, 2], i=f[:, 0], j=f[:, 1], k=f[:, 2],
                          color=colour, opacity=0.55, flatshading=True, hoverinfo="skip",
                          name="L1 ball", **v3)
    else:
        x, y, z = (np.asarray(g, dtype=np.float32) for g in
                   (geo.sphere(t) if sw.a == 0.0 else _rounded_ball(t, sw.a)))
        shape = go.Surface(x=x, y=y, z=z, colorscale=[[0, colour], [1, colour]], opacity=0.55,
                           showscale=False, hoverinfo="skip", name="ball", **v3)
    ell = geo.loss_ellipsoid(problem, touch.mse)
    if ell is None:
        ell = (np.full((2, 2), np.nan),) * 3
    ell = [np.asarray(g, dtype=np.float32) for g in ell]
    ellipsoid = go.Surface(x=ell[0], y=ell[1], z=ell[2],
                           colorscale=[[0, CONTOUR_GREY], [1, CONTOUR_GREY]], opacity=0.2,
                           showscale=False, hoverinfo="skip", name="loss ellipsoid", **v3)
    w = touch.w
    point = go.Scatter3d(x=[w[0]], y=[w[1]], z=[w[2]], mode="markers", name="ŵ",
                         marker=dict(color=colour, size=7, line=dict(color=style.ink, width=2)),
                         hovertemplate="ŵ = (%{x:.4g}, %{y:.4g}, %{z:.4g})<extra></extra>", **v3)
    text = "<br>".join([f"t = {num(touch.t)}: ŵ = {vec(w)}", status(touch, style)])
    label = _text(text, style, x=0.05, y=0.95, size=0.9) if validate else _upd(text=[text])
    return [shape, ellipsoid, point, label]


def _rounded_ball(t: float, a: float, m: int = 19):
    x, y, z = geo.sphere(1.0, m)
    U = np.stack([x, y, z], axis=-1)
    s = float(geo.budget(t, a))
    l1 = np.abs(U).sum(axis=-1)
    r = 2.0 * s / (a * l1 + np.sqrt((a * l1) ** 2 + 4.0 * (1.0 - a) * s))
    return x * r, y * r, z * r


def caption_3d(sweeps: list[Sweep], touch_index: int) -> str:
    parts = []
    for sw in sweeps:
        tc = sw.touches[touch_index]
        parts.append(f"{PENALTY_LABELS[sw.penalty]} ŵ = {vec(tc.w)}, {_plain(status(tc))}")
        if sw.corner_t is not None and zero_below(sw, sw.corner_t):
            parts[-1] += f" (some coefficient is 0 for every t ≤ {num(sw.corner_t)})"
    return f"At t = {num(sweeps[0].touches[touch_index].t)}: " + "; ".join(parts) + "."


# ---------------------------------------------------------------------------
# Figure 4: Lq balls


def lq_status(w, inside: bool = False) -> str:
    zeros = np.flatnonzero(np.asarray(w) == 0)
    if inside:
        return "OLS point inside the ball"
    if not np.any(w):
        return "at the origin"
    if zeros.size:
        return f"<b>{_names(zeros)} = 0 exactly</b>"
    return "no zero"


def lq_figure(data: Data, points: np.ndarray, ts, qs=geo.LQ_VALUES, style: Style = DEFAULT,
              start: int | None = None) -> go.Figure:
    """One panel per q: the ball |w|_q <= t and its touching point, same data and t."""
    problem = geo.problem_of(data)
    w_ols = geo.ols(problem)
    start = default_start(ts) if start is None else start
    lo, hi = panel_range([w_ols])
    levels, step = mse_levels(problem, lo, hi)
    n = len(qs)
    titles = [f"q = {q:g}<br>" + ("corners, not convex" if q < 1 else "corners and convex"
                                  if q == 1 else "convex, no corners") for q in qs]
    fig = make_subplots(rows=2, cols=n, row_heights=[0.78, 0.22], vertical_spacing=0.14,
                        horizontal_spacing=0.04, subplot_titles=titles + [""] * n)
    colours = ["#CC79A7", PENALTY_COLOURS["l1"], "#E69F00", PENALTY_COLOURS["l2"]]
    for i in range(n):
        fig.add_trace(_contours(problem, levels, step, style, False), row=1, col=i + 1)
        fig.add_trace(_point(w_ols, "OLS point", style, colour=style.ink, show=False),
                      row=1, col=i + 1)
    first = len(fig.data)

    def dynamic(k: int, full: bool) -> list:
        out = []
        for i, q in enumerate(qs):
            colour = colours[i % len(colours)]
            w = points[i, k]
            x, y = _xy([geo.lq_ball(float(ts[k]), q, 181)])
            ex, ey = _xy([geo.loss_ellipse(problem, float(geo.mse(problem, w)), 121)])
            inside = bool(np.sum(np.abs(w_ols) ** q) <= float(ts[k]) ** q)
            text = f"ŵ = {vec(w)}<br>{lq_status(w, inside)}"
            if not full:
                out += [_upd(x=x, y=y), _upd(x=ex, y=ey), _upd(x=[w[0]], y=[w[1]]),
                        _upd(text=[text])]
                continue
            out += [
                go.Scatter(x=x, y=y, mode="lines", fill="toself", fillcolor=_rgba(colour, 0.22),
                           line=dict(color=colour, width=2), showlegend=False, hoverinfo="skip"),
                go.Scatter(x=ex, y=ey, mode="lines", showlegend=False, hoverinfo="skip",
                           line=dict(color=style.ink, width=1.2, dash="dash")),
                go.Scatter(x=[w[0]], y=[w[1]], mode="markers", showlegend=False,
                           marker=dict(color=colour, size=style.marker * 1.6,
                                       line=dict(color=style.ink, width=2)),
                           hovertemplate="ŵ = (%{x:.4g}, %{y:.4g})<extra></extra>"),
                _text(text, style, x=0.02, y=0.7, size=0.9),
            ]
        return out

    for i, trace in enumerate(dynamic(start, True)):
        fig.add_trace(trace, row=1 if i % 4 < 3 else 2, col=i // 4 + 1)
    idx = list(range(first, first + 4 * n))
    frames = [_frame(k, idx, dynamic(k, False)) for k in range(len(ts))]
    for i in range(n):
        _square_axes(fig, 1, i + 1, lo, hi, style, "x" if i == 0 else f"x{i + 1}",
                     (axis_title(data, 0), axis_title(data, 1)))
        _hide_axes(fig, 2, i + 1)
    fig.update_layout(**style.layout(
        height=round(420 * min(style.scale, 1.4)) + slider_room(style) - 60,
        showlegend=False,
        sliders=[_slider(ts, start, style, _ANIM)],
        updatemenus=[_buttons(len(ts), style, _ANIM)],
        margin=dict(l=45, r=10, t=70, b=slider_room(style)),
    ))
    fig.update_annotations(font_size=round(style.font * 0.9))
    fig.layout.sliders[0].y = -0.02
    fig.layout.updatemenus[0].y = -0.02
    return _with_frames(fig, frames)


def lq_caption(points: np.ndarray, ts, qs, touch_index: int) -> str:
    t = float(ts[touch_index])
    parts = []
    for i, q in enumerate(qs):
        w = points[i, touch_index]
        parts.append(f"q = {q:g}: ŵ = {vec(w)} ({_plain(lq_status(w))})")
    return (f"At t = {num(t)}: " + "; ".join(parts) + ". Balls with q ≤ 1 have corners on the "
            "axes (zeros); balls with q ≥ 1 are convex (one minimum, easy to find). Only q = 1 "
            "is both.")


# ---------------------------------------------------------------------------
# What the data controls do, in numbers


def data_caption(data: Data) -> str:
    """What correlation and noise did to this picture: tilt, elongation, OLS shift, floor."""
    problem = geo.problem_of(data)
    w_ols = geo.ols(problem)
    evals, evecs = geo.ellipse_axes(problem)
    long_axis = evecs[:, 0] * np.sign(evecs[np.argmax(np.abs(evecs[:, 0])), 0])
    ratio = math.sqrt(evals[-1] / evals[0])
    floor = float(geo.mse(problem, w_ols))
    if not data.simulated:
        return _table_caption(data, ratio, long_axis, w_ols, floor)
    scale = max(float(np.abs(w_ols).max()), float(np.abs(data.w_true).max()))
    shift = float(np.linalg.norm(geo.snap(w_ols - data.w_true, scale)))
    rho = data.rho
    if data.p == 2 and abs(rho) > 1e-12:
        tilt = (f"The loss ellipses are {ratio:.3g} times longer than wide, their long axis along "
                f"{vec(np.round(long_axis, 3))}: along it the two features can trade weight "
                "for little loss. ")
    else:
        tilt = ("With uncorrelated features the loss contours are circles: no direction is "
                "cheaper than another. ")
    return (
        f"{data.n} rows, features with correlation exactly {rho:g} and sd 1, centred (so the "
        f"intercept is 0). {tilt}Noise σ = {data.noise:g} moved the OLS point from the true "
        f"weights {vec(data.w_true)} to {vec(w_ols)} (a distance of {num(shift)}) and set the "
        f"MSE floor at {num(floor)}; it does not change the ellipses' shape, which comes from "
        "the features alone."
    )


def _table_caption(data: Data, ratio: float, long_axis: np.ndarray, w_ols: np.ndarray,
                   floor: float) -> str:
    """What a table's two columns made of the picture (column names are the page's to show)."""
    shape = ("circles: no direction is cheaper than another" if ratio < 1 + 1e-9 else
             f"{ratio:.3g} times longer than wide, their long axis along "
             f"{vec(np.round(long_axis, 3))}")
    return (f"{data.n} rows; both features centred and divided by their sd (the scale the app "
            f"penalizes on), the target centred. Their correlation is {data.rho:.3g}, so the "
            f"loss ellipses are {shape}. The least-squares point is {vec(w_ols)} with MSE "
            f"{num(floor)} (in the target's units, squared); there are no true weights to show.")
