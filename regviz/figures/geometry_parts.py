"""The constraint-geometry figures' shared parts: traces, axes, the t slider, frames.

Why frames: moving the budget t must not cost a server round trip, so each
figure carries one frame per slider position and the slider animates with
``redraw: false``.  Frames hold only what moves (the region's outline, the
touching contour, the solution, the readout text, the penalized contours):
all of them scatter traces, which plotly can swap without a redraw.  The
loss contours are drawn as exact ellipses (scatter lines, not a contour
trace) because they never move and a contour grid would weigh more than
every frame together.  The 3-D figure is the exception: plotly redraws
WebGL scenes, so its frames use ``redraw: true`` and are fewer.

One module per view uses these: ``geometry_constraint`` (hard constraint and
soft penalty), ``geometry_comparison`` (the penalties side by side),
``geometry_3d`` (three coefficients) and ``geometry_lq`` (the Lq balls).
"""

from __future__ import annotations

import base64
import math

import numpy as np
import plotly.graph_objects as go

from regviz import geometry as geo
from regviz.figures.style import Style, short_name
from regviz.geometry import Data, Touch
from regviz.geometry_captions import (  # noqa: F401 - the readouts' words, as gp.num etc.
    coef_name,
    coef_names,
    lam_text,
    num,
    plain_words,
    status,
    vec,
)
from regviz.usertext import plotly_text

CONTOUR_GREY = "#9A9A9A"
N_LEVELS = 8


ANIM = dict(mode="immediate", frame=dict(duration=0, redraw=False), transition=dict(duration=0))


ANIM_3D = dict(mode="immediate", frame=dict(duration=0, redraw=True), transition=dict(duration=0))


# ---------------------------------------------------------------------------
# The regions' inequalities (the other words are in regviz.geometry_captions)


def region_formula(a: float, p: int = 2) -> str:
    """The region's inequality in words a student can read off the plot."""
    absum = " + ".join(f"|{coef_name(j)}|" for j in range(p))
    sqsum = " + ".join(f"{coef_name(j)}²" for j in range(p))
    if a == 1.0:
        return f"{absum} ≤ t"
    if a == 0.0:
        return f"{sqsum} ≤ t²"
    return f"{a:g}·({absum}) + {1 - a:g}·({sqsum}) ≤ {a:g}·t + {1 - a:g}·t²"


# ---------------------------------------------------------------------------
# Geometry-to-trace helpers


# numpy dtypes plotly.js reads as typed arrays, by plotly's short names
_TYPED = {"float32": "f4", "float64": "f8", "int8": "i1", "uint8": "u1", "int16": "i2",
          "uint16": "u2", "int32": "i4", "uint32": "u4"}


def _typed(value):
    """A 1-D numpy array as plotly's typed-array spec (what ``to_dict`` would write for it,
    the same bytes); anything else unchanged.  ``to_dict`` encodes each array through
    checks for every dataframe library (about a fifth of a geometry figure's build); a
    frame's arrays are encoded once here instead."""
    if isinstance(value, np.ndarray) and value.ndim == 1 and value.size:
        code = _TYPED.get(str(value.dtype))
        if code is not None:
            data = np.ascontiguousarray(value)
            return {"dtype": code, "bdata": base64.b64encode(data).decode("ascii")}
    return value


def frame_update(**kw) -> go.Scatter:
    """A frame's partial trace: only the changing data, built without plotly's validation.

    Validation is what makes building hundreds of frame traces slow; these
    carry nothing but arrays and text, checked once on the full traces.
    """
    return go.Scatter(**{key: _typed(value) for key, value in kw.items()}, _validate=False)


def make_frame(k: int, traces: list[int], data: list) -> go.Frame:
    return go.Frame(name=str(k), traces=traces, data=data, _validate=False)


def with_frames(fig: go.Figure, frames: list[go.Frame]) -> go.Figure:
    """Attach frames without plotly re-validating every one (the slow part of building).

    ``fig.frames = ...`` copies and validates each frame again; frames built
    by ``make_frame`` are plain data, so they are attached directly.  The tests
    rebuild every figure through ``go.Figure(fig.to_dict())``, which validates
    all of it.
    """
    fig._frame_objs = tuple(frames)
    return fig


def rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def xy_of(curves) -> tuple[np.ndarray, np.ndarray]:
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


def anchor_points(data: Data, w_ols: np.ndarray) -> list[np.ndarray]:
    """Points every panel must show: the OLS point, and the truth when it is known."""
    return [w_ols, data.w_true] if data.simulated else [w_ols]


def axis_title(data: Data, j: int) -> str:
    """``w₁`` or, for a table's columns, ``w₁ (its name)``: elided to fit, plotly-escaped."""
    if not data.names:
        return coef_name(j)
    return f"{coef_name(j)} ({plotly_text(short_name(data.names[j], 24))})"


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


def contour_trace(problem, levels, step: float, style: Style, show: bool) -> go.Scatter:
    x, y = xy_of([geo.loss_ellipse(problem, lv, 121) for lv in levels])
    return go.Scatter(
        x=x, y=y, mode="lines", name=f"MSE contours (every +{num(step)})", legendgroup="mse",
        showlegend=show, line=dict(color=CONTOUR_GREY, width=1), hoverinfo="skip",
    )


def point_trace(w, name: str, style: Style, *, colour: str, symbol: str = "circle",
           size: float = 1.0, show: bool = True, group: str | None = None) -> go.Scatter:
    return go.Scatter(
        x=[float(w[0])], y=[float(w[1])], mode="markers", name=name, showlegend=show,
        legendgroup=group or name,
        marker=dict(color=colour, size=style.marker * 1.3 * size, symbol=symbol,
                    line=dict(color=style.ink, width=1)),
        hovertemplate=f"{name}<br>w₁ = %{{x:.4g}}<br>w₂ = %{{y:.4g}}<extra></extra>",
    )


def region_trace(t: float, a: float, colour: str, name: str = "", show: bool = False) -> go.Scatter:
    x, y = xy_of([geo.region_outline(t, a, 181)])
    return go.Scatter(x=x, y=y, mode="lines", fill="toself", fillcolor=rgba(colour, 0.22),
                      line=dict(color=colour, width=2), name=name, showlegend=show,
                      legendgroup="region", hoverinfo="skip")


def touch_ellipse_trace(problem, touch: Touch, style: Style, show: bool = False) -> go.Scatter:
    x, y = xy_of([geo.loss_ellipse(problem, touch.mse, 121)])
    return go.Scatter(x=x, y=y, mode="lines", line=dict(color=style.ink, width=1.5, dash="dash"),
                      name="smallest contour that touches", legendgroup="touch",
                      showlegend=show, hoverinfo="skip")


def solution_trace(touch: Touch, colour: str, style: Style, name: str = "constrained solution ŵ",
              show: bool = False) -> go.Scatter:
    return go.Scatter(
        x=[float(touch.w[0])], y=[float(touch.w[1])], mode="markers", name=name,
        legendgroup="solution", showlegend=show,
        marker=dict(color=colour, size=style.marker * 1.9, symbol="circle",
                    line=dict(color=style.ink, width=2)),
        hovertemplate="ŵ = (%{x:.6g}, %{y:.6g})<extra></extra>",
    )


def text_trace(text: str, style: Style, x: float = 0.0, y: float = 1.0,
          position: str = "bottom right", size: float = 1.0) -> go.Scatter:
    # cliponaxis=False: a readout too long for its cell shows whole (and a layout test can see
    # it) instead of being cut silently at the cell's edge.
    return go.Scatter(x=[x], y=[y], mode="text", text=[text], textposition=position,
                      textfont=dict(size=round(style.font * size), color=style.ink),
                      showlegend=False, hoverinfo="skip", cliponaxis=False)


def _axes_at(fig, row: int, col: int):
    """The (x, y) axis objects of subplot (row, col): looked up once, then updated directly.

    ``fig.update_xaxes(row=, col=)`` searches the whole subplot grid on every call; four such
    calls per panel were a quarter of the geometry figures' build time.
    """
    subplot = fig.get_subplot(row, col)
    return subplot.xaxis, subplot.yaxis


def square_axes(fig, row: int, col: int, lo: float, hi: float, style: Style,
                 anchor: str, titles: tuple[str, str | None] = (coef_name(0), coef_name(1))
                 ) -> None:
    """Equal scales on both axes (the circle stays round), the axes' zero lines drawn.

    A row of narrow panels titles only its first panel's y axis: a title beside a later
    panel runs into the panel on its left.
    """
    tick = dict(size=round(style.font * 0.85))
    x, y = _axes_at(fig, row, col)
    x.update(tickfont=tick, range=[lo, hi], zeroline=True, zerolinewidth=1.5,
             zerolinecolor=style.ink, constrain="domain",
             title=dict(text=titles[0], font=dict(color=style.feature_colour(0))))
    y.update(tickfont=tick, range=[lo, hi], zeroline=True, zerolinewidth=1.5,
             zerolinecolor=style.ink, scaleanchor=anchor, scaleratio=1, constrain="domain",
             title=dict(text=titles[1], font=dict(color=style.feature_colour(1)), standoff=2))


def hide_axes(fig, row: int, col: int) -> None:
    for axis in _axes_at(fig, row, col):
        axis.update(visible=False, range=[0, 1], fixedrange=True)


def t_slider(ts, start: int, style: Style, anim: dict, prefix: str = "t = ",
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


def play_buttons(n: int, style: Style, anim: dict, extra=()) -> dict:
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


def slider_room(style: Style) -> int:
    """Pixels the t slider and its buttons need under a plot (current value, rail, ticks).

    At least what plotly's slider asks for (134 px at scale 1): with less, plotly widens
    the margin and draws the whole figure a second time on first paint.
    """
    return round(137 * max(style.scale, 1.0) ** 0.5)


def slider_below(fig: go.Figure, ts, start: int, style: Style, anim: dict, *, height: int,
                 margin: dict) -> None:
    """No legend; the t slider and its buttons right under the plots, with room for them."""
    fig.update_layout(**style.layout(
        height=height,
        showlegend=False,
        sliders=[t_slider(ts, start, style, anim)],
        updatemenus=[play_buttons(len(ts), style, anim)],
        margin=dict(margin, b=slider_room(style)),
    ))
    fig.layout.sliders[0].y = -0.02
    fig.layout.updatemenus[0].y = -0.02


def legend_then_slider(fig: go.Figure, style: Style, plot: int, top: int,
                        legend_rows: int | None = None, axis_below: bool = False) -> None:
    """Legend under the plots, then the t slider and its buttons, none overlapping.

    Paper coordinates below 0 are fractions of the plotting area's height, so
    each position is worked out in pixels first: the legend's rows at its font
    size (two on a laptop; three in presentation mode, where the chart is
    narrower and the text larger), then the slider and buttons under it.
    ``axis_below``: the lowest subplot has a visible x axis, whose tick labels
    and title the legend must clear.
    """
    rows = legend_rows or (3 if style.presenting else 2)
    legend_font = style.legend_font
    legend_px = rows * round(legend_font * 1.9) + 8
    gap = round(style.font * 3.6) if axis_below else 12
    slider_top = gap + legend_px + 6
    bottom = slider_top + slider_room(style)
    fig.update_layout(
        height=plot + top + bottom,
        margin=dict(l=max(55, round(style.font * 3.1)), r=15, t=top, b=bottom),
        legend=dict(orientation="h", x=0.0, y=-gap / plot, xanchor="left", yanchor="top",
                    font=dict(size=legend_font)),
    )
    fig.layout.sliders[0].y = -slider_top / plot
    fig.layout.updatemenus[0].y = -slider_top / plot
