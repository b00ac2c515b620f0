"""Log-loss contours with the L1 diamond, the L2 circle and their exact touching points.

Pure: takes a ``regviz.geometry_logistic.Picture`` and returns a plotly figure;
user column names reach plotly only through ``plotly_text``.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from regviz.figures.style import DEFAULT, L1_COLOUR, L2_COLOUR, Style
from regviz.geometry_logistic import Picture, Touch
from regviz.usertext import plotly_text

SHADE_LEVELS = 14
SUBSCRIPT = {0: "₁", 1: "₂"}


def _level_contour(pic: Picture, level: float, colour: str, name: str) -> go.Contour:
    """The single contour through ``level``: where the region and the loss first meet."""
    return go.Contour(x=pic.w1s, y=pic.w2s, z=pic.loss, showscale=False, name=name,
                      contours=dict(start=level, end=level, size=1.0, coloring="lines"),
                      colorscale=[[0, colour], [1, colour]], line=dict(width=2.5, dash="dash"),
                      hoverinfo="skip", showlegend=True)


def _background(pic: Picture) -> go.Contour:
    """Shaded profiled log-loss, quantile-spaced so the low valley shows detail."""
    levels = np.quantile(pic.loss, np.linspace(0.0, 1.0, SHADE_LEVELS))
    lo, hi = float(levels[0]), float(levels[-2])
    return go.Contour(x=pic.w1s, y=pic.w2s, z=pic.loss, colorscale="Greys",
                      opacity=0.35, showscale=False, name="mean log-loss",
                      contours=dict(start=lo, end=hi, size=(hi - lo) / SHADE_LEVELS),
                      line=dict(width=0.6), hovertemplate="w₁=%{x:.2f}, w₂=%{y:.2f}<br>"
                      "log-loss (best intercept) %{z:.4f}<extra></extra>")


def _diamond(t: float) -> go.Scatter:
    return go.Scatter(x=[t, 0, -t, 0, t], y=[0, t, 0, -t, 0], mode="lines",
                      line=dict(color=L1_COLOUR, width=2), fill="toself",
                      fillcolor="rgba(213,94,0,0.10)", name=f"L1 diamond, t = {t:.3g}",
                      hoverinfo="skip")


def _circle(t: float) -> go.Scatter:
    angle = np.linspace(0.0, 2.0 * np.pi, 181)
    return go.Scatter(x=t * np.cos(angle), y=t * np.sin(angle), mode="lines",
                      line=dict(color=L2_COLOUR, width=2), fill="toself",
                      fillcolor="rgba(0,114,178,0.10)", name=f"L2 circle, t = {t:.3g}",
                      hoverinfo="skip")


def _point(touch: Touch, colour: str, label: str) -> go.Scatter:
    return go.Scatter(x=[touch.w[0]], y=[touch.w[1]], mode="markers", name=label,
                      marker=dict(color=colour, size=13, symbol="x", line=dict(width=1)),
                      hovertemplate=f"{label}: (%{{x:.4g}}, %{{y:.4g}})<br>"
                      f"log-loss {touch.loss:.4f}<extra></extra>")


def logistic_figure(pic: Picture, names: tuple[str, str], style: Style = DEFAULT) -> go.Figure:
    """Profiled log-loss contours, both regions at their fits' reach, both exact fits."""
    half = float(pic.w1s[-1])
    fig = go.Figure([
        _background(pic),
        _diamond(pic.l1.reach), _circle(pic.l2.reach),
        _level_contour(pic, pic.l1.loss, L1_COLOUR, "log-loss level of the L1 fit"),
        _level_contour(pic, pic.l2.loss, L2_COLOUR, "log-loss level of the L2 fit"),
        _point(pic.l1, L1_COLOUR, "L1 fit"), _point(pic.l2, L2_COLOUR, "L2 fit"),
    ])
    axis = dict(range=[-half, half], zeroline=True, zerolinewidth=1.5, zerolinecolor="#888")
    fig.update_xaxes(title_text=f"w₁: {plotly_text(names[0])} (standardized)",
                     constrain="domain", **axis)
    fig.update_yaxes(title_text=f"w₂: {plotly_text(names[1])} (standardized)",
                     scaleanchor="x", scaleratio=1, **axis)
    # The legend beside the plot: a right margin that holds its longest entry (symbol, gap,
    # text), or plotly widens the margin itself and draws the figure twice.
    legend_font = style.legend_font
    entries = [t.name for t in fig.data if t.showlegend is not False and t.name]
    right = round(max(style.text_px(name, legend_font) for name in entries) + 45)
    fig.update_layout(**style.layout(
        height=560, title=dict(text=f"Mean log-loss (intercept at its best) at λ = {pic.lam:.3g}",
                               font=dict(size=style.font)),
        legend=dict(orientation="v", x=1.02, y=1.0, font=dict(size=legend_font))))
    # The axis titles' subscripts (w₁, w₂) sit lower than plain text: half a font more below.
    fig.update_layout(margin_r=right, margin_b=round(style.x_margin + style.font * 0.5))
    return style.finish(fig)
