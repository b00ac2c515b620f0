"""Figures for "How the zeros are made": shrinkage rules, optimizers on contours, speed, trade-off.

Pure functions from numbers to ``go.Figure`` (no Streamlit).  Animated figures
carry frames that hold only what moves, and a plotly slider with redraw off,
so scrubbing happens in the browser.
"""

from __future__ import annotations

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
)
from regviz.penalties import L1, L2, ElasticNet, Penalty

FLOOR = 1e-16  # distances below this are drawn here on the log axis


def fmt(x: float) -> str:
    """A coordinate as a student should read it: exactly 0 shows as "0"."""
    if x == 0.0:
        return "0"
    return f"{x:.3g}" if abs(x) >= 1e-3 else f"{x:.1e}"


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


def _attach(fig: go.Figure, frames: list[dict], controls: dict) -> go.Figure:
    """Frames and controls as plain dicts, attached without plotly's re-validation.

    Hundreds of tiny frame objects took most of a figure's build time when validated;
    the tests validate the finished figure once instead.
    """
    spec = fig.to_dict()
    spec["layout"].update(controls)
    spec["frames"] = frames
    return go.Figure(spec, _validate=False)


LONG = 50  # a series longer than this goes to plotly as an array, not a list


def _values(a) -> np.ndarray | list[float]:
    """A float series for a frame.  Plotly validates a list one Python float at a time (most of
    a figure's build time when 61 frames carry 601-point curves) and an array in one piece;
    short series stay lists, where an array's encoding costs more than it saves."""
    a = np.asarray(a, dtype=float).ravel()
    return a if a.size > LONG else [float(b) for b in a]


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


def shrinkage_figure(lam: float, a: float, zs: np.ndarray, start: int, style: Style,
                     z_max: float = 3.0) -> go.Figure:
    """Left: w(z) for L1, elastic net, L2 with the dead zone; right: the 1-D objectives at z.

    One frame per z in ``zs``: the markers on the rules and the objective curves move.
    """
    pens = shrinkage_penalties(a)
    grid = np.linspace(-z_max, z_max, 601)
    v = np.linspace(-z_max, z_max, 601)
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.1, subplot_titles=(
        "The answer w against the data's pull z", "The objective (w − z)² + λP(w) at this z"))
    half = opt.dead_zone(lam, L1())
    fig.add_vrect(x0=-half, x1=half, fillcolor=L1_COLOUR, opacity=0.12, line_width=0,
                  row=1, col=1)
    fig.add_trace(go.Scatter(x=grid, y=grid, mode="lines", name="no penalty (w = z)",
                             line=dict(color=style.ink, dash="dot", width=style.line)), 1, 1)
    for label, pen, colour in pens:
        fig.add_trace(go.Scatter(x=grid, y=opt.shrink(grid, lam, pen), mode="lines",
                                 name=label, legendgroup=label,
                                 line=dict(color=colour, width=style.line)), 1, 1)

    def state(z: float) -> list[tuple[dict, dict, dict]]:
        out = []
        for _label, pen, _colour in pens:
            w = float(opt.shrink(z, lam, pen))
            f = opt.objective_1d(v, z, lam, pen) - float(opt.objective_1d(w, z, lam, pen))
            tag = "EN" if 0 < pen.a < 1 else pen.name.upper()
            # The curve's x (the w grid) never moves: frames carry only its y.
            out.append((_xy([z], [w], text=[f"{tag}: w = {fmt(w)}"]),
                        {"type": "scatter", "y": _values(f)}, _xy([w], [0.0])))
        return out

    states = [state(float(z)) for z in zs]
    top = max(max(float(np.quantile(t[1]["y"], 0.5)) for t in st) for st in states)
    first = len(fig.data)
    for (label, pen, colour), (point, curve, low) in zip(pens, states[start], strict=True):
        curve = {**curve, "x": v}
        fig.add_trace(go.Scatter(**_args(point), mode="markers+text", showlegend=False,
                                 textposition={1.0: "top left", 0.0: "bottom right"}.get(
                                     pen.a, "middle right"),
                                 legendgroup=label,
                                 marker=dict(color=colour, size=style.marker * 1.4)), 1, 1)
        fig.add_trace(go.Scatter(**_args(curve), mode="lines", showlegend=False, legendgroup=label,
                                 line=dict(color=colour, width=style.line)), 1, 2)
        fig.add_trace(go.Scatter(**_args(low), mode="markers", showlegend=False, legendgroup=label,
                                 marker=dict(color=colour, size=style.marker * 1.4,
                                             symbol="diamond")), 1, 2)
    idx = list(range(first, len(fig.data)))
    names = [f"z{k}" for k in range(len(zs))]
    frames = [{"name": name, "traces": idx, "data": [t for triple in st for t in triple]}
              for name, st in zip(names, states, strict=True)]
    fig.update_xaxes(title_text="z (the least-squares coefficient)", range=[-z_max, z_max],
                     row=1, col=1)
    fig.update_yaxes(title_text="w (penalized coefficient)", range=[-z_max, z_max], row=1, col=1)
    fig.update_xaxes(title_text="w", range=[-z_max, z_max], zeroline=True, row=1, col=2)
    fig.update_yaxes(title_text="objective − its minimum", range=[-0.05 * top, top], row=1,
                     col=2)
    fig.update_layout(**style.layout(
        height=round(430 * style.scale + 120), legend=dict(orientation="h", y=1.18, x=0),
        margin=dict(l=60, r=20, t=110, b=60)))
    style.finish(fig)
    controls = dict(sliders=[_slider(names, [f"{z:.2f}" for z in zs], "z = ", start, style)],
                    updatemenus=[_play(names, style)])
    return _attach(fig, frames, controls)


def shrinkage_caption(lam: float, a: float) -> str:
    """The three rules at this λ and a, in numbers."""
    half, half_en = 0.5 * lam, 0.5 * lam * a
    return (
        f"At λ = {lam:g}: L1 gives w = 0 for every |z| ≤ {half:.3g} (λ/2, the shaded dead zone) "
        f"and w = z ∓ {half:.3g} outside it. L2 gives w = z/{1 + lam:.3g}: smaller, but 0 only "
        f"when z is exactly 0. Elastic net (a = {a:g}) gives 0 for |z| ≤ {half_en:.3g} and "
        f"(|z| − {half_en:.3g})/{1 + lam * (1 - a):.3g} outside. On the right, L1's objective "
        "has a kink at w = 0 that keeps its lowest point there for every z in the dead zone."
    )


# ---------------------------------------------------------------------------
# 2. Four optimizers on one two-coefficient problem

METHODS = (
    ("subgradient", "Subgradient descent (L1)", "#CC79A7"),
    ("ista", "Proximal gradient, ISTA (L1)", "#D55E00"),
    ("cd", "Coordinate descent (L1)", "#009E73"),
    ("gd_l2", "Gradient descent (L2)", "#0072B2"),
)


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
    """
    steps = len(next(iter(runs.values()))) - 1
    fig = make_subplots(
        rows=2, cols=4, row_heights=[0.56, 0.44], vertical_spacing=0.16,
        horizontal_spacing=0.06,
        specs=[[{}, {}, {}, {}], [{"colspan": 2}, None, {"colspan": 2}, None]],
        subplot_titles=[label for _, label, _ in METHODS]
        + ["Distance to the exact optimum (log scale)", "Coordinates exactly 0"])
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
        height=round(560 * style.scale + 190), legend=dict(orientation="h", y=1.1, x=0),
        margin=dict(l=60, r=20, t=90, b=60)))
    style.finish(fig)
    controls = dict(sliders=[_slider(names, [str(k) for k in range(steps + 1)], "step ", 0,
                                     style)],
                    updatemenus=[_play(names, style, 150)])
    return _attach(fig, frames, controls)


def optimizer_caption(runs: dict[str, np.ndarray], exact: dict[str, np.ndarray]) -> str:
    """What each method reached after its last step, with its exact zeros counted."""
    steps = len(next(iter(runs.values()))) - 1
    parts = []
    for key, label, _ in METHODS:
        last = runs[key][-1]
        zeros_opt = int(np.count_nonzero(exact[key] == 0.0))
        zeros = int(np.count_nonzero(last == 0.0))
        ever = int(np.count_nonzero(np.any(runs[key][1:] == 0.0, axis=1)))
        dist = float(np.linalg.norm(last - exact[key]))
        parts.append(f"{label}: {zeros} of 2 coordinates exactly 0 after {steps} steps "
                     f"(the optimum has {zeros_opt}); {ever} of {steps} steps had an exact zero; "
                     f"distance {dist:.1e}.")
    return " ".join(parts)


# ---------------------------------------------------------------------------
# 3. Speed: sweeps of coordinate descent for L1 and L2 at the same training error


def speed_figure(rows_by_data: dict[str, list[opt.SpeedRow]], style: Style) -> go.Figure:
    """Grouped bars: coordinate-descent sweeps for L1 and L2, per dataset and level."""
    x = [[], []]
    l1, l2 = [], []
    for name, rows in rows_by_data.items():
        for row in rows:
            x[0].append(name)
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
    fig.update_layout(**style.layout(barmode="group", height=round(380 * style.scale + 60),
                                     legend=dict(orientation="h", y=1.15, x=0)))
    return style.finish(fig)


def speed_sentences(rows_by_data: dict[str, list[opt.SpeedRow]]) -> list[str]:
    """One computed sentence per dataset, and one overall verdict on "L1 is slower"."""
    out = []
    slower = total = 0
    for name, rows in rows_by_data.items():
        bits = []
        for r in rows:
            total += 1
            slower += r.l1_slower
            word = ("slower" if r.l1.sweeps > r.l2.sweeps else
                    "as fast" if r.l1.sweeps == r.l2.sweeps else "faster")
            bits.append(f"{r.level} penalty: L1 {r.l1.sweeps} sweeps, L2 {r.l2.sweeps} "
                        f"(L1 {word})")
        out.append(f"{name}: " + "; ".join(bits) + ".")
    verdict = ("mostly true" if slower > total / 2 else "false more often than true"
               if slower < total / 2 else "true in exactly half the cases")
    out.insert(0, f"L1 needed more sweeps than L2 in {slower} of {total} cases: the claim "
                  f"\"L1 is slower to train\" is {verdict} here.")
    return out


def speed_extremes(rows_by_data: dict[str, list[opt.SpeedRow]]) -> str:
    """Where L1 was slowest and fastest relative to L2, by the ratio of sweeps."""
    cases = [(r.l1.sweeps / max(r.l2.sweeps, 1), name, r) for name, rows in rows_by_data.items()
             for r in rows]
    hi = max(cases, key=lambda c: c[0])
    lo = min(cases, key=lambda c: c[0])
    return (f"L1 was slowest against L2 on {hi[1]} ({hi[2].level} penalty: {hi[2].l1.sweeps} "
            f"against {hi[2].l2.sweeps} sweeps, {hi[0]:.3g}×) and fastest on {lo[1]} "
            f"({lo[2].level} penalty: {lo[2].l1.sweeps} against {lo[2].l2.sweeps}, "
            f"{lo[0]:.3g}×).")


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
        best = r.best
        top = float(np.max(r.total))
        for x, colour, dash, text in ((r.lams[best], TEST_COLOUR, "dot", "lowest test error"),
                                      (r.lambda_cv, "#009E73", "dash", "λ_min (CV)")):
            fig.add_trace(go.Scatter(x=[x, x], y=[0.0, top], mode="lines+text",
                                     text=["", text], textposition="top center",
                                     showlegend=False, hoverinfo="skip",
                                     textfont=dict(color=colour, size=style.font),
                                     line=dict(color=colour, dash=dash, width=style.line)),
                          1, col)
        fig.update_xaxes(**lambda_axis(float(r.lams.min()), float(r.lams.max())), row=1, col=col)
    fig.update_yaxes(title_text="squared error", row=1, col=1)
    fig.update_layout(**style.layout(height=round(420 * style.scale + 80),
                                     legend=dict(orientation="h", y=1.2, x=0),
                                     margin=dict(l=60, r=20, t=110, b=60)))
    return style.finish(fig)


def bias_variance_caption(results, kind: str) -> str:
    parts = []
    for r in results:
        b = r.best
        name = "L1" if r.penalty == "l1" else "L2"
        parts.append(
            f"{name}: from the strongest to the weakest penalty, bias² falls from "
            f"{r.bias2[0]:.3g} to {r.bias2[-1]:.3g} and variance rises from {r.variance[0]:.3g} "
            f"to {r.variance[-1]:.3g}; the test error is {r.test_error[0]:.3g} at the strong "
            f"end, {r.test_error[-1]:.3g} at the weak end and lowest, {r.test_error[b]:.3g}, at "
            f"λ = {r.lams[b]:.3g} (dotted). CV on one training sample chose λ = "
            f"{r.lambda_cv:.3g} (dashed).")
    if len(results) == 2:
        l1, l2 = results
        win = "L1" if l1.test_error[l1.best] < l2.test_error[l2.best] else "L2"
        parts.append(f"With a {kind} truth, the best achievable test error is lower for {win} "
                     f"({l1.test_error[l1.best]:.3g} for L1, {l2.test_error[l2.best]:.3g} "
                     "for L2).")
    gap = max(float(np.max(np.abs(r.mc_gap) / r.mc_gap_se)) for r in results)
    parts.append(f"Over {results[0].reps} training samples, simulated test error and bias² + "
                 f"variance + σ² agree to within {gap:.1f} Monte Carlo standard errors.")
    return " ".join(parts)


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
                                     legend=dict(orientation="h", y=1.15, x=0)))
    return style.finish(fig)


def tune_caption(result) -> str:
    n = result.claimed.size
    opt_mean = float(result.optimism.mean())
    opt_se = float(result.optimism.std(ddof=1) / np.sqrt(n))
    cv_mean = float(result.cv_optimism.mean())
    cv_se = float(result.cv_optimism.std(ddof=1) / np.sqrt(n))
    rosy = int(np.count_nonzero(result.optimism > 0))
    return (
        f"Over {n} draws (test sets of {result.n_test} rows): tuning λ on the test set reported "
        f"an average error of {result.claimed.mean():.3g}, but the same models' error on new "
        f"data was {result.fresh.mean():.3g}: {opt_mean:.3g} ± {opt_se:.2g} higher than "
        f"claimed, and higher in {rosy} of {n} draws. Choosing λ by CV and only then "
        f"reading the test set reported {result.cv_claimed.mean():.3g} against "
        f"{result.cv_fresh.mean():.3g} on new data (a difference of {cv_mean:.3g} ± "
        f"{cv_se:.2g})."
    )
