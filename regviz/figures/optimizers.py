"""Figures for "How the zeros are made": shrinkage rules, optimizers on contours, speed, trade-off.

Pure functions from numbers to ``go.Figure`` (no Streamlit).  Animated figures
carry frames that hold only what moves, and a plotly slider with redraw off,
so scrubbing happens in the browser.
"""

from __future__ import annotations

import base64

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from regviz import optimizers as opt
from regviz.figures.style import (
    ENET_COLOUR,
    L1_COLOUR,
    L2_COLOUR,
    TEST_COLOUR,
    Style,
    lambda_axis,
    wrap_words,
)
from regviz.penalties import L1, L2, ElasticNet, Penalty

FLOOR = 1e-16  # distances below this are drawn here on the log axis


def fmt(x: float) -> str:
    """A coordinate as a student should read it: exactly 0 shows as "0"."""
    if x == 0.0:
        return "0"
    return f"{x:.3g}" if abs(x) >= 1e-3 else f"{x:.1e}"


def _left(style: Style) -> int:
    """Room for a y title and exponent ticks (10⁻³): what plotly's automargin asks, 80-101 px."""
    return style.y_margin(4)


def _slider(names: list[str], labels: list[str], prefix: str, active: int, style: Style) -> dict:
    steps = [dict(method="animate", label=lab,
                  args=[[name], dict(mode="immediate", frame=dict(duration=0, redraw=False),
                                     transition=dict(duration=0))])
             for name, lab in zip(names, labels, strict=True)]
    return dict(active=active, steps=steps, currentvalue=dict(prefix=prefix),
                pad=dict(t=40 * style.scale), font=dict(size=style.font))


def _play(names: list[str], style: Style, duration: int = 120) -> dict:
    return dict(type="buttons", direction="left", x=0.0, y=-0.02, xanchor="right",
                yanchor="top", pad=dict(t=40 * style.scale, r=10), font=dict(size=style.font),
                buttons=[dict(label="▶ Play", method="animate",
                              args=[names, dict(mode="immediate", fromcurrent=True,
                                                frame=dict(duration=duration, redraw=False),
                                                transition=dict(duration=0))])])


class FramedFigure(go.Figure):
    """A figure whose frames stay plain JSON-ready dicts, joined to the rest in ``to_dict``.

    ``go.Figure`` validates every trace of every frame when it is built, even with
    ``_validate=False``: 0.5-1 s for part 1's 61 frames of 42 traces, on every new view.
    The frames here have a fixed shape that the tests validate once.  ``frames`` (the
    attribute) stays empty; what serializes a figure (Streamlit, plotly.io) calls to_dict.
    The frames are shared, not copied: treat the result as read-only.
    """

    def __init__(self, spec: dict | None = None, frames: list[dict] | None = None, **kwargs):
        spec = dict(spec or {})
        frames = spec.pop("frames", None) if frames is None else frames
        super().__init__(spec, _validate=False, **kwargs)
        self._raw_frames = list(frames or [])

    def to_dict(self) -> dict:
        out = super().to_dict()
        out["frames"] = self._raw_frames
        return out


def _legend(style: Style) -> dict:
    """A one-row legend at the figure's top edge, above the panel titles (its type, which
    grows with presentation mode, comes from ``Style.finish``)."""
    return dict(orientation="h", x=0, xanchor="left", yref="container", y=1, yanchor="top")


def _attach(fig: go.Figure, frames: list[dict], controls: dict) -> go.Figure:
    """Frames and controls as plain dicts, attached without plotly's re-validation."""
    spec = fig.to_dict()
    spec["layout"].update(controls)
    return FramedFigure(spec, frames)


LONG = 50  # a series longer than this goes to plotly as a typed array, not a list


def _values(a) -> dict | list[float]:
    """A float series for a frame, as plotly.js reads it.  Long series go as base64 32-bit
    floats (plotly.js's typed-array form; 7 digits, far below a pixel), a quarter of the
    bytes of a JSON list; short ones stay lists, where encoding costs more than it saves."""
    a = np.asarray(a, dtype=float).ravel()
    if a.size <= LONG:
        return [float(b) for b in a]
    return {"dtype": "f4", "bdata": base64.b64encode(a.astype("<f4").tobytes()).decode()}


def _xy(x, y, **extra) -> dict:
    return {"type": "scatter", "x": _values(x), "y": _values(y), **extra}


def _args(trace: dict) -> dict:
    """A frame's trace dict as keyword arguments for the first, validated trace."""
    return {k: v for k, v in trace.items() if k != "type"}


# ---------------------------------------------------------------------------
# 1. One coefficient, three shrinkage rules


def shrinkage_penalties(a: float) -> list[tuple[str, Penalty, str]]:
    return [("L1 (lasso)", L1(), L1_COLOUR), (f"Elastic net (a = {a:g})", ElasticNet(a),
                                              ENET_COLOUR), ("L2 (ridge)", L2(), L2_COLOUR)]


def _rule_points(lam: float, pen: Penalty, z_max: float) -> tuple[np.ndarray, np.ndarray]:
    """w(z) on [-z_max, z_max]: piecewise linear, so its ends and kinks draw it exactly."""
    half = min(opt.dead_zone(lam, pen), z_max)
    z = np.unique([-z_max, -half, half, z_max])
    return z, opt.shrink(z, lam, pen)


def _tag(pen: Penalty) -> str:
    return "EN" if 0 < pen.a < 1 else pen.name.upper()


def shrinkage_figure(lams: np.ndarray, a: float, zs: np.ndarray, lam_start: int,
                     z_start: int, style: Style, z_max: float = 3.0,
                     n_w: int = 61) -> go.Figure:
    """Left: w(z) for L1, elastic net, L2 with the dead zone; right: the 1-D objectives at z.

    Both λ and z move in the browser.  Every λ in ``lams`` has its own rule curves, dead
    zone and objective curves; a λ slider ("update": visibility, per-point opacity and the
    panel title) shows one λ's set.  The z slider animates frames that move every λ's
    markers and objective curves at once, so each slider keeps the other's position.
    Long because the traces, the z frames and the λ steps index one another by trace
    position: split apart, every piece would need the others' offsets passed in.
    """
    lams = np.asarray(lams, dtype=float)
    pens = shrinkage_penalties(a)
    v = np.linspace(-z_max, z_max, n_w)  # odd n_w: w = 0 is on the grid, so is L1's kink
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.1, subplot_titles=(
        _rules_title(lams[lam_start], a), "The objective (w − z)² + λP(w) at this z"))
    for title in fig.layout.annotations:  # clear of the top tick label ("3"), half above
        title.yshift = round(style.font * 0.5)
    shown = [i == lam_start for i in range(lams.size)]
    fig.add_trace(go.Scatter(x=[-z_max, z_max], y=[-z_max, z_max], mode="lines",
                             name="no penalty (w = z)",
                             line=dict(color=style.ink, dash="dot", width=style.line)), 1, 1)
    for label, _pen, colour in pens:  # legend entries that never hide with a λ
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=label,
                                 legendgroup=label,
                                 line=dict(color=colour, width=style.line)), 1, 1)
    by_lam: list[int] = []  # traces shown for one λ only, in order (λ, then kind)
    for i, lam in enumerate(lams):
        half = opt.dead_zone(lam, L1())
        by_lam.append(len(fig.data))
        fig.add_trace(go.Scatter(
            x=[-half, half, half, -half, -half], y=[-z_max, -z_max, z_max, z_max, -z_max],
            mode="lines", fill="toself", fillcolor=L1_COLOUR, opacity=0.12, line_width=0,
            showlegend=False, hoverinfo="skip", visible=shown[i]), 1, 1)
        for label, pen, colour in pens:
            zk, wk = _rule_points(lam, pen, z_max)
            by_lam.append(len(fig.data))
            fig.add_trace(go.Scatter(x=zk, y=wk, mode="lines", showlegend=False,
                                     legendgroup=label, visible=shown[i],
                                     hovertemplate="z = %{x:.2f}: w = %{y:.3f}<extra>"
                                                   + label + "</extra>",
                                     line=dict(color=colour, width=style.line)), 1, 1)

    def curves(z: float) -> list[dict]:
        out = []
        for lam in lams:
            for _label, pen, _colour in pens:
                w = float(opt.shrink(z, lam, pen))
                f = opt.objective_1d(v, z, lam, pen) - float(opt.objective_1d(w, z, lam, pen))
                out.append({"type": "scatter", "y": _values(f)})  # x (the w grid) is fixed
        return out

    def points(z: float) -> list[dict]:
        out = []
        for _label, pen, _colour in pens:
            w = opt.shrink(np.full(lams.size, z), lams, pen)
            out.append(_xy(np.full(lams.size, z), w,
                           text=[f"{_tag(pen)}: w = {fmt(x)}" for x in w]))
            out.append(_xy(w, np.zeros(lams.size)))
        return out

    first_curve = len(fig.data)
    for i, curve in enumerate(curves(float(zs[z_start]))):
        label, _pen, colour = pens[i % len(pens)]
        fig.add_trace(go.Scatter(**_args(curve), x=v, mode="lines", showlegend=False,
                                 legendgroup=label, visible=shown[i // len(pens)],
                                 hoverinfo="skip",
                                 line=dict(color=colour, width=style.line)), 1, 2)
    first_point = len(fig.data)
    point_data = points(float(zs[z_start]))
    for k, (label, pen, colour) in enumerate(pens):
        dot, low = point_data[2 * k], point_data[2 * k + 1]
        fig.add_trace(go.Scatter(
            **_args(dot), mode="markers+text", showlegend=False, legendgroup=label,
            cliponaxis=False,
            # Three corners, not a middle: at the opening view (z = 1, λ = 1, a = 0.5) all
            # three rules give w = 0.5, and a middle label overlapped the one below it.
            textposition={1.0: "top left", 0.0: "bottom right"}.get(pen.a, "top right"),
            hoverinfo="skip", textfont=dict(color=_one_colour(colour, lam_start, lams.size)),
            marker=dict(color=colour, size=style.marker * 1.4,
                        opacity=_one_opacity(lam_start, lams.size))), 1, 1)
        fig.add_trace(go.Scatter(
            **_args(low), mode="markers", showlegend=False, legendgroup=label,
            hoverinfo="skip", marker=dict(color=colour, size=style.marker * 1.4,
                                          symbol="diamond",
                                          opacity=_one_opacity(lam_start, lams.size))), 1, 2)
    moving = list(range(first_curve, len(fig.data)))
    names = [f"z{k}" for k in range(len(zs))]
    frames = [{"name": name, "traces": moving, "data": curves(float(z)) + points(float(z))}
              for name, z in zip(names, zs, strict=True)]
    top = _objective_top(lams, pens, zs, v)
    fig.update_xaxes(title_text="z (the least-squares coefficient)", range=[-z_max, z_max],
                     row=1, col=1)
    fig.update_yaxes(title_text="w (penalized coefficient)", range=[-z_max, z_max], row=1, col=1)
    fig.update_xaxes(title_text="w", range=[-z_max, z_max], zeroline=True, row=1, col=2)
    fig.update_yaxes(title_text="objective − its minimum", range=[-0.05 * top, top], row=1,
                     col=2)
    top = round(style.font * 5.6 + 10)  # the legend's row and the two-line titles
    fig.update_layout(**style.layout(
        # The sliders sit at a fraction of the plot's height below it: the plot and the
        # bottom margin keep their sizes, whatever the top needs.
        height=top + round(310 * style.scale + 200), legend=_legend(style),
        # The slider and Play button need 221 px below at font 13, 301 at 21 (automargin's
        # ask, with the axis titles): less and plotly draws the figure twice on first paint.
        margin=dict(l=_left(style), r=20, t=top, b=round(style.font * 10 + 95))))
    style.finish(fig)
    lam_steps = _lambda_steps(lams, a, pens, by_lam, first_curve, first_point, colours=[
        colour for _, _, colour in pens])
    controls = dict(
        sliders=[_slider(names, [f"{z:.2f}" for z in zs], "z = ", z_start, style),
                 dict(active=lam_start, steps=lam_steps, currentvalue=dict(prefix="λ = "),
                      y=-0.32, pad=dict(t=40 * style.scale), font=dict(size=style.font))],
        updatemenus=[_play(names, style)])
    return _attach(fig, frames, controls)


def _rules_title(lam: float, a: float) -> str:
    return (f"w against the data's pull z at λ = {lam:g}:<br>L1 is 0 for |z| ≤ {0.5 * lam:.3g}, "
            f"elastic net for |z| ≤ {0.5 * lam * a:.3g}")


def _one_opacity(i: int, size: int) -> list[float]:
    return [1.0 if k == i else 0.0 for k in range(size)]


def _one_colour(colour: str, i: int, size: int) -> list[str]:
    return [colour if k == i else "rgba(0,0,0,0)" for k in range(size)]


def _objective_top(lams, pens, zs, v) -> float:
    """The right panel's height: the largest median of any drawn objective curve."""
    top = 0.0
    for lam in lams:
        for _label, pen, _colour in pens:
            for z in (float(zs[0]), float(zs[-1])):  # the curves are highest at the ends
                w = float(opt.shrink(z, lam, pen))
                f = opt.objective_1d(v, z, lam, pen) - float(opt.objective_1d(w, z, lam, pen))
                top = max(top, float(np.quantile(f, 0.5)))
    return top


def _lambda_steps(lams, a, pens, by_lam, first_curve, first_point, colours) -> list[dict]:
    """One "update" step per λ: that λ's curves visible, its markers opaque, its title."""
    per_lam = len(by_lam) // lams.size
    points = list(range(first_point, first_point + 2 * len(pens)))
    objective = list(range(first_curve, first_point))
    traces = by_lam + objective + points
    steps = []
    for i, lam in enumerate(lams):
        visible = ([j // per_lam == i for j in range(len(by_lam))]
                   + [j // len(pens) == i for j in range(len(objective))] + [True] * len(points))
        opacity = [1.0] * (len(by_lam) + len(objective)) + [_one_opacity(i, lams.size)] * len(
            points)
        text = (["rgba(0,0,0,0)"] * (len(by_lam) + len(objective))
                + [c for colour in colours for c in (_one_colour(colour, i, lams.size),
                                                      "rgba(0,0,0,0)")])
        steps.append(dict(method="update", label=f"{lam:g}", args=[
            {"visible": visible, "marker.opacity": opacity, "textfont.color": text},
            {"annotations[0].text": _rules_title(lam, a)}, traces]))
    return steps


# ---------------------------------------------------------------------------
# 2. Four optimizers on one two-coefficient problem

METHOD_COLOURS = {"subgradient": "#CC79A7", "ista": "#D55E00", "cd": "#009E73",
                  "gd_l2": "#0072B2"}
METHODS = tuple((key, label, METHOD_COLOURS[key]) for key, label in opt.METHOD_LABELS.items())


def distances(iterates: np.ndarray, exact: np.ndarray) -> np.ndarray:
    """Euclidean distance of every iterate from the exact optimum."""
    return np.linalg.norm(iterates - exact, axis=1)


def _box(points: np.ndarray) -> tuple[list[float], list[float]]:
    lo, hi = points.min(axis=0), points.max(axis=0)
    pad = 0.15 * max(float((hi - lo).max()), 0.5)
    return [lo[0] - pad, hi[0] + pad], [lo[1] - pad, hi[1] + pad]


def optimizer_figure(runs: dict[str, np.ndarray], exact: dict[str, np.ndarray],
                     contours: dict[str, list[np.ndarray]], style: Style) -> go.Figure:
    """Four contour panels with each method's iterates, and distance / zeros against step.

    ``runs`` maps a method key (``METHODS``) to its iterates (steps + 1, 2);
    ``exact`` to its exact optimum; ``contours`` to closed curves of its objective.
    Long because the frames name the moving traces by their position in the figure, which
    the panels' traces fix as they are added; one builder keeps those positions in one place.
    """
    steps = len(next(iter(runs.values()))) - 1
    # Presenting, a quarter of the column holds about 12 characters: the methods' names on
    # one line each ran into their neighbours.
    titles = [wrap_words(label, 12) if style.presenting else label for _, label, _ in METHODS]
    title_lines = max(t.count("<br>") + 1 for t in titles)
    fig = make_subplots(
        rows=2, cols=4, row_heights=[0.56, 0.44], vertical_spacing=0.16,
        horizontal_spacing=0.06,
        specs=[[{}, {}, {}, {}], [{"colspan": 2}, None, {"colspan": 2}, None]],
        subplot_titles=[*titles, "Distance to the exact optimum (log scale)",
                        "Coordinates exactly 0"])
    pts = np.vstack([np.vstack(list(runs.values())), np.vstack(list(exact.values())),
                     np.zeros((1, 2))])
    xr, yr = _box(pts)
    ks = np.arange(steps + 1)
    for col, (key, _label, _colour) in enumerate(METHODS, start=1):
        curve = contours[key]
        xs = np.concatenate([np.append(c[:, 0], np.nan) for c in curve]) if curve else []
        ys = np.concatenate([np.append(c[:, 1], np.nan) for c in curve]) if curve else []
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                                 line=dict(color=style.ink, width=0.8 * style.line)), 1, col)
        w = exact[key]
        fig.add_trace(go.Scatter(x=[w[0]], y=[w[1]], mode="markers", showlegend=False,
                                 name="exact optimum",
                                 hovertext=f"exact optimum ({fmt(w[0])}, {fmt(w[1])})",
                                 hoverinfo="text", marker=dict(symbol="star", color=style.ink,
                                                               size=style.marker * 2)), 1, col)
        fig.update_xaxes(range=xr, zeroline=True, zerolinewidth=2, title_text="w₁", row=1,
                         col=col)
        # No equal aspect: with four narrow panels it would crop the box to a sliver.
        fig.update_yaxes(range=yr, zeroline=True, zerolinewidth=2, row=1, col=col,
                         title_text="w₂" if col == 1 else None)
    for key, label, colour in METHODS:
        d = np.maximum(distances(runs[key], exact[key]), FLOOR)
        fig.add_trace(go.Scatter(x=ks, y=d, mode="lines", name=label, legendgroup=key,
                                 line=dict(color=colour, width=style.line)), 2, 1)
        zeros = np.count_nonzero(runs[key] == 0.0, axis=1)
        fig.add_trace(go.Scatter(x=ks, y=zeros, mode="lines", line_shape="hv", name=label,
                                 legendgroup=key, showlegend=False,
                                 line=dict(color=colour, width=style.line)), 2, 3)
    label_at = (xr[0] + 0.04 * (xr[1] - xr[0]), yr[1] - 0.06 * (yr[1] - yr[0]))
    zeros_all = {key: np.count_nonzero(runs[key] == 0.0, axis=1) for key, _, _ in METHODS}
    dist_all = {key: np.maximum(distances(runs[key], exact[key]), FLOOR) for key, _, _ in METHODS}

    def state(k: int) -> list[dict]:
        data = []
        for key, _label, _colour in METHODS:
            it = runs[key]
            data.append(_xy(it[: k + 1, 0], it[: k + 1, 1]))
            data.append(_xy([it[k, 0], label_at[0]], [it[k, 1], label_at[1]],
                            text=["", f"w = ({fmt(it[k, 0])}, {fmt(it[k, 1])})"]))
        data.append(_xy([k] * 4, [dist_all[key][k] for key, _, _ in METHODS]))
        data.append(_xy([k] * 4, [zeros_all[key][k] for key, _, _ in METHODS]))
        return data

    colours = [colour for _, _, colour in METHODS]
    first = len(fig.data)
    initial = state(0)
    for col, (_key, _label, colour) in enumerate(METHODS, start=1):
        trail, point = initial[2 * col - 2], initial[2 * col - 1]
        fig.add_trace(go.Scatter(**_args(trail), mode="lines+markers", showlegend=False,
                                 hoverinfo="skip", line=dict(color=colour, width=style.line),
                                 marker=dict(color=colour, size=style.marker * 0.5)), 1, col)
        fig.add_trace(go.Scatter(**_args(point), mode="markers+text",
                                 textposition="middle right", showlegend=False,
                                 hoverinfo="skip", textfont=dict(color=colour, size=style.font),
                                 marker=dict(color=colour, size=[style.marker * 1.6, 0])),
                      1, col)
    for i, col in ((8, 1), (9, 3)):
        fig.add_trace(go.Scatter(**_args(initial[i]), mode="markers", showlegend=False,
                                 marker=dict(color=colours, size=style.marker * 1.3)), 2, col)
    moving_idx = list(range(first, len(fig.data)))
    names = [f"k{k}" for k in range(steps + 1)]
    frames = [{"name": n, "traces": moving_idx, "data": state(k)} for k, n in enumerate(names)]
    fig.update_yaxes(type="log", exponentformat="power", row=2, col=1)
    fig.update_xaxes(title_text="step", row=2, col=1)
    fig.update_xaxes(title_text="step", row=2, col=3)
    fig.update_yaxes(range=[-0.15, 2.15], dtick=1, row=2, col=3)
    fig.update_layout(**style.layout(
        height=round(560 * style.scale + 190), legend=_legend(style),
        margin=dict(l=_left(style), r=max(20, style.font + 2),
                    t=round(max(90, style.font * (3.3 + 1.3 * title_lines))),
                    b=round(style.font * 5.8 + 56))))
    style.finish(fig)
    controls = dict(sliders=[_slider(names, [str(k) for k in range(steps + 1)], "step ", 0,
                                     style)],
                    updatemenus=[_play(names, style, 150)])
    return _attach(fig, frames, controls)


# ---------------------------------------------------------------------------
# 3. Speed: sweeps of coordinate descent for L1 and L2 at the same training error


def speed_figure(rows_by_data: dict[str, list[opt.SpeedRow]], style: Style) -> go.Figure:
    """Grouped bars: coordinate-descent sweeps for L1 and L2, per dataset and level."""
    x = [[], []]
    l1, l2 = [], []
    laptop = not style.presenting
    for name, rows in rows_by_data.items():
        # Presenting, a dataset's three bars are narrower than its name on one line.
        shown = name if laptop else wrap_words(name, 10)
        for row in rows:
            x[0].append(shown)
            x[1].append(row.level)
            l1.append(row.l1.sweeps)
            l2.append(row.l2.sweeps)
    fig = go.Figure([
        go.Bar(x=x, y=l1, name="L1 (lasso)", marker_color=L1_COLOUR),
        go.Bar(x=x, y=l2, name="L2 (ridge) at the same training error", marker_color=L2_COLOUR),
    ])
    top = max(max(l1), max(l2), 1)
    ticks = [10**k for k in range(int(np.ceil(np.log10(top))) + 1)]
    fig.update_yaxes(type="log", title_text="sweeps to KKT tolerance (log)", tickmode="array",
                     tickvals=ticks, ticktext=[str(t) for t in ticks])
    # The dataset and level labels under the bars (the names wrapped, or tilted when even
    # wrapped they do not fit, in presentation mode) and a y title with its ticks: what
    # plotly's automargin asks, so the chart is drawn once.
    fig.update_layout(**style.layout(
        barmode="group", height=round(380 * style.scale + 60),
        legend=_legend(style),
        margin=dict(l=_left(style), r=20 if laptop else round(style.font * 3.3),
                    t=round(style.font * 3 + 32),
                    b=round(style.font * 2.1 + 71) if laptop else round(style.font * 10.3))))
    return style.finish(fig)


# ---------------------------------------------------------------------------
# 4. Bias and variance against λ


def bias_variance_figure(results, style: Style) -> go.Figure:
    """One panel per penalty: bias², variance, noise, their sum and the simulated test error."""
    fig = make_subplots(rows=1, cols=len(results), horizontal_spacing=0.08,
                        subplot_titles=[f"{'L1 (lasso)' if r.penalty == 'l1' else 'L2 (ridge)'}"
                                        for r in results])
    for col, r in enumerate(results, start=1):
        first = col == 1
        fig.add_trace(go.Scatter(x=r.lams, y=r.bias2, name="bias²", legendgroup="b",
                                 showlegend=first, line=dict(color="#E69F00",
                                                             width=style.line)), 1, col)
        fig.add_trace(go.Scatter(x=r.lams, y=r.variance, name="variance", legendgroup="v",
                                 showlegend=first, line=dict(color="#56B4E9",
                                                             width=style.line)), 1, col)
        fig.add_trace(go.Scatter(x=r.lams, y=np.full(r.lams.size, r.noise_var), name="noise σ²",
                                 legendgroup="n", showlegend=first,
                                 line=dict(color=style.ink, dash="dot", width=style.line)),
                      1, col)
        fig.add_trace(go.Scatter(x=r.lams, y=r.total, name="bias² + variance + σ²",
                                 legendgroup="t", showlegend=first,
                                 line=dict(color="#000000" if not style.dark else "#DDDDDD",
                                           dash="dash", width=style.line)), 1, col)
        fig.add_trace(go.Scatter(x=r.lams, y=r.test_error, mode="markers",
                                 name="simulated test error", legendgroup="e", showlegend=first,
                                 error_y=dict(array=2 * r.test_se, thickness=1),
                                 marker=dict(color=TEST_COLOUR, size=style.marker * 0.8)),
                      1, col)
        top = float(np.max(r.total))
        # Named in the legend, not by labels on the lines: the two λ are often close, and
        # their labels, side by side at the top, ran into each other.
        for x, colour, dash, name in ((r.lams[r.best], TEST_COLOUR, "dot", "lowest test error"),
                                      (r.lambda_cv, "#009E73", "dash", "λ_min (CV)")):
            fig.add_trace(go.Scatter(x=[x, x], y=[0.0, top], mode="lines", name=name,
                                     legendgroup=name, showlegend=first,
                                     hovertemplate=f"{name}: λ = {fmt(x)}<extra></extra>",
                                     line=dict(color=colour, dash=dash, width=style.line)),
                          1, col)
        fig.update_xaxes(**lambda_axis(float(r.lams.min()), float(r.lams.max())), row=1, col=col)
    fig.update_yaxes(title_text="squared error", row=1, col=1)
    fig.update_layout(**style.layout(height=round(420 * style.scale + 80),
                                     legend=_legend(style),
                                     margin=dict(l=style.y_margin(3),
                                                 r=round(max(20, style.font * 1.3)),
                                                 t=round(max(75, style.font * 5.8)),
                                                 b=max(60, style.x_margin))))
    return style.finish(fig)


# ---------------------------------------------------------------------------
# 5. Tuning on the test set


def tune_figure(result, style: Style) -> go.Figure:
    """Per draw: the error each way of choosing λ reports, against its error on new data."""
    fig = go.Figure()
    both = np.concatenate([result.claimed, result.fresh, result.cv_claimed, result.cv_fresh])
    lo, hi = float(both.min()), float(both.max())
    fig.add_trace(go.Scatter(x=[lo, hi], y=[lo, hi], mode="lines", name="claimed = actual",
                             line=dict(color=style.ink, dash="dot", width=style.line)))
    fig.add_trace(go.Scatter(x=result.claimed, y=result.fresh, mode="markers",
                             name="λ tuned on the test set",
                             marker=dict(color=L1_COLOUR, size=style.marker)))
    fig.add_trace(go.Scatter(x=result.cv_claimed, y=result.cv_fresh, mode="markers",
                             name="λ chosen by CV, then tested",
                             marker=dict(color=L2_COLOUR, size=style.marker, symbol="diamond")))
    fig.update_xaxes(title_text="test-set error (what is reported)")
    fig.update_yaxes(title_text="error on new data (exact)")
    fig.update_layout(**style.layout(height=round(400 * style.scale + 60),
                                     legend=_legend(style)))
    return style.finish(fig)
