"""Figure 3 of the geometry lesson: three coefficients, the octahedron against the sphere.

Plotly redraws WebGL scenes, so its frames use ``redraw: true`` and are fewer.
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
# Figure 3: three coefficients


def figure_3d(data: Data, sweeps: list[Sweep], ts, style: Style = DEFAULT,
              start: int | None = None) -> go.Figure:
    """Octahedron (L1) and sphere (L2) with the loss ellipsoid touching each; rotatable."""
    problem = geo.problem_of(data)
    w_ols = geo.ols(problem)
    start = gp.default_start(ts) if start is None else start
    n = len(sweeps)
    # Every ball up to the largest t (the sphere through the OLS point) fits in the box.
    R = 1.1 * max(float(np.max(ts)), float(np.linalg.norm(w_ols)),
                  float(np.linalg.norm(gp.anchor_points(data, w_ols)[-1])), 0.5)
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
                hoverinfo="skip", name=gp.coef_name(j)), row=1, col=i + 1)
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
        gp.make_frame(k, idx, [tr for sw in sweeps
                        for tr in _dynamic_3d(problem, sw, sw.touches[k], style, False)])
        for k in range(len(ts))
    ]
    axis = dict(range=[-R, R], showbackground=False, zeroline=False,
                tickfont=dict(size=round(style.font * 0.75)))
    for i in range(n):
        name = "scene" if i == 0 else f"scene{i + 1}"
        fig.layout[name].update(
            aspectmode="cube",
            xaxis=dict(axis, title=dict(text=gp.axis_title(data, 0),
                                         font=dict(color=style.feature_colour(0)))),
            yaxis=dict(axis, title=dict(text=gp.axis_title(data, 1),
                                         font=dict(color=style.feature_colour(1)))),
            zaxis=dict(axis, title=dict(text=gp.axis_title(data, 2),
                                         font=dict(color=style.feature_colour(2)))),
            camera=dict(eye=dict(x=0.6, y=-2.3, z=0.9)),  # the whole box stays in view
        )
        gp.hide_axes(fig, 2, i + 1)
    gp.slider_below(fig, ts, start, style, gp.ANIM_3D,
                    height=round(620 * min(style.scale, 1.4)) + gp.slider_room(style) - 90,
                    margin=dict(l=10, r=10, t=40))
    return gp.with_frames(fig, frames)


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
                           colorscale=[[0, gp.CONTOUR_GREY], [1, gp.CONTOUR_GREY]], opacity=0.2,
                           showscale=False, hoverinfo="skip", name="loss ellipsoid", **v3)
    w = touch.w
    point = go.Scatter3d(x=[w[0]], y=[w[1]], z=[w[2]], mode="markers", name="ŵ",
                         marker=dict(color=colour, size=7, line=dict(color=style.ink, width=2)),
                         hovertemplate="ŵ = (%{x:.4g}, %{y:.4g}, %{z:.4g})<extra></extra>", **v3)
    where = gp.status(touch, style.feature_colour if style else None)
    text = "<br>".join([f"t = {gp.num(touch.t)}: ŵ = {gp.vec(w)}", where])
    label = (gp.text_trace(text, style, x=0.05, y=0.95, size=0.9) if validate
             else gp.frame_update(text=[text]))
    return [shape, ellipsoid, point, label]


def _rounded_ball(t: float, a: float, m: int = 19):
    x, y, z = geo.sphere(1.0, m)
    U = np.stack([x, y, z], axis=-1)
    s = float(geo.budget(t, a))
    l1 = np.abs(U).sum(axis=-1)
    r = 2.0 * s / (a * l1 + np.sqrt((a * l1) ** 2 + 4.0 * (1.0 - a) * s))
    return x * r, y * r, z * r
