"""The coefficient-path explorer: one figure that scrubs lambda in the browser.

Four panels share the lambda axis story: the path (one line per feature,
lambda decreasing to the right as in glmnet's plots, non-zero counts along
the top), the coefficients at the current lambda as bars (exact zeros drawn
as a cross, not a short bar), the error curves (train, test, K-fold CV with
one-SE bars) and a readout of the objective's numbers.  Frames carry only
the moving parts (two vertical markers, the bars, the zero crosses and the
readout), and the slider animates with ``redraw: false``, so dragging lambda
costs the browser one frame and the server nothing.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from regviz.explorer import Exploration
from regviz.figures.style import CV_COLOUR, DEFAULT, TEST_COLOUR, TRAIN_COLOUR, Style

MAX_BARS = 30


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def _frame_states(ex: Exploration) -> list[dict]:
    """One dict per slider position: lambda, coefficients and readout numbers."""
    p = ex.path
    states = []
    for i, lam in enumerate(p.lams):
        states.append(dict(
            name=str(i), label=_fmt(lam), lam=lam, coefs=ex.display_coefs[i],
            train=ex.train_mse[i], test=ex.test_mse[i], pen=ex.penalty_values[i],
            obj=ex.objective[i], call=ex.sklearn_calls[i],
        ))
    if ex.ols_coef is not None:
        states.append(dict(
            name="ols", label="0 (OLS)", lam=0.0, coefs=ex.ols_coef, train=ex.ols_train_mse,
            test=ex.ols_test_mse, pen=float("nan"), obj=ex.ols_train_mse,
            call="LinearRegression()",
        ))
    return states


def _readout(state: dict, n_features: int) -> str:
    nz = int(np.count_nonzero(state["coefs"]))
    lam = state["lam"]
    if lam == 0:
        objective = ["λ = 0: ordinary least squares", f"objective = MSE = {_fmt(state['train'])}"]
    else:
        objective = [
            "objective = MSE + λ·P(w)",
            f"= {_fmt(state['train'])} + {_fmt(lam)} × {_fmt(state['pen'])}",
            f"= {_fmt(state['obj'])}",
        ]
    return "<br>".join([
        f"<b>λ = {_fmt(lam)}</b>",
        *objective,
        f"non-zero coefficients: <b>{nz} of {n_features}</b>",
        f"train MSE {_fmt(state['train'])}",
        f"test MSE {_fmt(state['test'])}",
        f"scikit-learn: {state['call']}",
    ])


def path_explorer_figure(ex: Exploration, style: Style = DEFAULT, active: int | None = None):
    """The four-panel explorer with one frame per grid lambda (plus OLS when it exists)."""
    p = ex.path
    names = ex.feature_names
    coefs = ex.display_coefs
    xs = np.log10(p.lams)
    span = max(xs[0] - xs[-1], 1e-9)
    x_ols = xs[-1] - max(0.06 * span, 0.25)
    states = _frame_states(ex)
    x_of = [*xs, x_ols][: len(states)]
    ymax = float(np.max(np.abs(coefs))) if coefs.size else 1.0
    if ex.ols_coef is not None:
        ymax = max(ymax, float(np.max(np.abs(ex.ols_coef))))
    ymax = ymax * 1.08 or 1.0
    shown = _bar_features(coefs, ex.ols_coef)

    fig = make_subplots(
        rows=2, cols=2, column_widths=[0.62, 0.38], row_heights=[0.58, 0.42],
        horizontal_spacing=0.12, vertical_spacing=0.14,
        subplot_titles=("", "Coefficients at this λ",
                        "Error: train, test and cross-validation", ""),
    )
    # Static: one line per feature, entry markers, regime labels.
    for j, name in enumerate(names):
        colour, dash = style.feature_colour(j), style.feature_dash(j)
        ys = list(coefs[:, j]) + ([ex.ols_coef[j]] if ex.ols_coef is not None else [])
        fig.add_trace(go.Scatter(
            x=x_of, y=ys, mode="lines", name=name, legendgroup=name, showlegend=False,
            line=dict(color=colour, width=style.line, dash=dash),
            customdata=[s["lam"] for s in states],
            hovertemplate=f"<b>{name}</b><br>coef %{{y:.4g}}<br>λ = %{{customdata:.4g}}"
                          "<extra></extra>",
        ), row=1, col=1)
    entries = [(j, lam) for j, lam in enumerate(ex.entry_lams) if math.isfinite(lam)]
    if entries:
        fig.add_trace(go.Scatter(
            x=[math.log10(lam) for _, lam in entries], y=[0.0] * len(entries), mode="markers",
            name="enters", showlegend=False,
            marker=dict(size=style.marker, symbol="circle-open", line=dict(width=2),
                        color=[style.feature_colour(j) for j, _ in entries]),
            text=[names[j] for j, _ in entries], customdata=[lam for _, lam in entries],
            hovertemplate="<b>%{text}</b> enters at λ = %{customdata:.6g}<extra></extra>",
        ), row=1, col=1)
    # Error panel, static part.
    fig.add_trace(go.Scatter(x=xs, y=ex.train_mse, name="train MSE", mode="lines",
                             line=dict(color=TRAIN_COLOUR, width=style.line)), row=2, col=1)
    fig.add_trace(go.Scatter(x=xs, y=ex.test_mse, name="test MSE", mode="lines",
                             line=dict(color=TEST_COLOUR, width=style.line, dash="dash")),
                  row=2, col=1)
    if ex.ols_train_mse is not None:
        fig.add_trace(go.Scatter(
            x=[x_ols, x_ols], y=[ex.ols_train_mse, ex.ols_test_mse], mode="markers",
            name="OLS (λ = 0)", marker=dict(size=style.marker, symbol="diamond",
                                            color=[TRAIN_COLOUR, TEST_COLOUR]),
        ), row=2, col=1)
    if ex.cv is not None:
        cv = ex.cv
        fig.add_trace(go.Scatter(
            x=xs, y=cv.mean, name=f"{cv.fold_mse.shape[0]}-fold CV (±1 SE)", mode="lines+markers",
            marker=dict(size=style.marker * 0.5, color=CV_COLOUR),
            line=dict(color=CV_COLOUR, width=style.line, dash="dot"),
            error_y=dict(type="data", array=cv.se, thickness=1, width=0, color=CV_COLOUR),
        ), row=2, col=1)
        lo = float(min(ex.train_mse.min(), ex.test_mse.min(), (cv.mean - cv.se).min()))
        hi = float(max(ex.test_mse.max(), (cv.mean + cv.se).max()))
        marks = ((cv.idx_min, "λ_min", "dash", "top right"),
                 (cv.idx_1se, "λ_1se", "dot", "top left"))
        for idx, label, dash, where in marks:
            fig.add_trace(go.Scatter(
                x=[xs[idx], xs[idx]], y=[lo, hi], mode="lines+text", name=label,
                text=[f"{label} = {_fmt(p.lams[idx])}", ""], textposition=where,
                textfont=dict(size=style.font),
                line=dict(color=style.ink, width=1, dash=dash), showlegend=False,
                hoverinfo="skip",
            ), row=2, col=1)

    # Dynamic traces; their indices are what the frames update.
    first = len(fig.data)
    start = states[_default_active(ex, states) if active is None else active]
    err_lo = float(np.min(ex.train_mse))
    err_hi = float(np.max(ex.test_mse))
    fig.add_trace(_marker_line(x_of[0], -ymax, ymax, style), row=1, col=1)
    fig.add_trace(_bars(start, names, shown, style), row=1, col=2)
    fig.add_trace(_zeros(start, names, shown, style), row=1, col=2)
    fig.add_trace(_marker_line(x_of[0], err_lo, err_hi, style), row=2, col=1)
    fig.add_trace(_readout_trace(start, len(names), style), row=2, col=2)
    dynamic = list(range(first, first + 5))

    start_idx = states.index(start)
    fig.data[first].x = [x_of[start_idx]] * 2
    fig.data[first + 3].x = [x_of[start_idx]] * 2
    controls = _layout(fig, ex, xs, x_ols, ymax, states, x_of, start_idx, style)
    # The frames, slider and buttons are hundreds of tiny objects whose validation took half
    # of this function's time, on every new view.  They are built as plain dicts of a fixed,
    # tested shape (tests validate the whole figure) and attached without re-validation.
    spec = fig.to_dict()
    spec["layout"].update(controls)
    spec["frames"] = [
        {"name": s["name"], "traces": dynamic, "data": [
            {"type": "scatter", "x": [float(x), float(x)]},
            {"type": "bar", "x": _bar_values(s, shown)},
            {"type": "scatter", "x": _zero_xs(s, shown)},
            {"type": "scatter", "x": [float(x), float(x)]},
            {"type": "scatter", "text": [_readout(s, len(names))]},
        ]}
        for s, x in zip(states, x_of, strict=True)
    ]
    return go.Figure(spec, _validate=False)


def starting_at(fig: go.Figure, index: int) -> go.Figure:
    """The explorer ``fig`` opened at frame ``index`` instead of its own start.

    Equal to ``path_explorer_figure(ex, style, active=index)``, but made from the
    finished figure by copying that frame's values into its moving traces and the
    slider: a shared link's λ costs a dict copy, not a new figure.  ``fig`` is not
    modified (a cached figure may be handed out to other sessions).
    """
    spec = fig.to_dict()
    frames = spec.get("frames") or []
    if not 0 <= index < len(frames):
        raise IndexError(f"frame {index} of {len(frames)}")
    frame = frames[index]
    data = list(spec["data"])
    for trace, values in zip(frame["traces"], frame["data"], strict=True):
        data[trace] = {**data[trace], **{k: v for k, v in values.items() if k != "type"}}
    layout = dict(spec["layout"])
    layout["sliders"] = [{**layout["sliders"][0], "active": index}, *layout["sliders"][1:]]
    return go.Figure({**spec, "data": data, "layout": layout}, _validate=False)


def _default_active(ex: Exploration, states: list[dict]) -> int:
    return ex.cv.idx_1se if ex.cv is not None else len(ex.path.lams) // 2


def _bar_features(coefs: np.ndarray, ols: np.ndarray | None) -> np.ndarray:
    """Indices of at most MAX_BARS features, the largest along the path, in name order."""
    size = np.max(np.abs(coefs), axis=0)
    if ols is not None:
        size = np.maximum(size, np.abs(ols))
    if size.size <= MAX_BARS:
        return np.arange(size.size)
    return np.sort(np.argsort(-size, kind="stable")[:MAX_BARS])


def _marker_line(x: float, lo: float, hi: float, style: Style) -> go.Scatter:
    return go.Scatter(x=[x, x], y=[lo, hi], mode="lines", showlegend=False, hoverinfo="skip",
                      line=dict(color=style.ink, width=style.line * 0.8))


def _bar_values(state: dict, shown) -> list[float]:
    return [float(state["coefs"][j]) for j in shown]


def _zero_xs(state: dict, shown) -> list[float | None]:
    """0 where the coefficient is exactly zero (an x drawn on the axis), else no marker."""
    return [0.0 if state["coefs"][j] == 0 else None for j in shown]


def _bars(state: dict, names, shown, style: Style) -> go.Bar:
    return go.Bar(
        x=_bar_values(state, shown), y=[names[j] for j in shown], orientation="h", showlegend=False,
        marker=dict(color=[style.feature_colour(j) for j in shown]),
        hovertemplate="<b>%{y}</b>: %{x:.4g}<extra></extra>",
    )


def _zeros(state: dict, names, shown, style: Style) -> go.Scatter:
    return go.Scatter(
        x=_zero_xs(state, shown), y=[names[j] for j in shown], mode="markers",
        name="exactly 0 (removed)",
        marker=dict(symbol="x-thin-open", size=style.marker * 1.4, color=style.ink,
                    line=dict(width=2 * style.scale)),
        hovertemplate="<b>%{y}</b> is exactly 0: removed<extra></extra>",
    )


def _readout_trace(state: dict, n_features: int, style: Style) -> go.Scatter:
    return go.Scatter(
        x=[0.0], y=[0.5], mode="text", text=[_readout(state, n_features)],
        textposition="middle right", textfont=dict(size=style.font, color=style.ink),
        showlegend=False, hoverinfo="skip",
    )


def _layout(fig, ex, xs, x_ols, ymax, states, x_of, start_idx, style: Style) -> dict:
    """Lay out ``fig``; return the slider and the buttons, as layout entries to add last."""
    pad = 0.03 * max(xs[0] - x_ols, 1e-9)
    x_range = [xs[0] + pad, x_ols - pad]  # reversed: lambda decreases to the right
    lam_axis = dict(range=x_range, title_text="log10(λ)  →  less regularization")
    fig.update_xaxes(**lam_axis, row=1, col=1)
    fig.update_xaxes(**lam_axis, row=2, col=1)
    fig.update_yaxes(range=[-ymax, ymax], zeroline=True, row=1, col=1,
                     title_text="standardized coefficient" if ex.standardize
                     else "coefficient (original units)")
    fig.update_yaxes(title_text="mean squared error", row=2, col=1)
    # A fixed range: an autoranged axis would be recomputed (a relayout) on every frame.
    shown_vals = np.array([[s["coefs"][j] for j in _bar_features(ex.display_coefs, ex.ols_coef)]
                           for s in states])
    lo, hi = float(min(shown_vals.min(), 0.0)), float(max(shown_vals.max(), 0.0))
    pad = 0.06 * max(hi - lo, 1e-12)
    fig.update_xaxes(title_text="coefficient", zeroline=True, zerolinewidth=2, row=1, col=2,
                     range=[lo - pad, hi + pad])
    fig.update_yaxes(autorange="reversed", row=1, col=2, automargin=True)
    fig.update_xaxes(visible=False, range=[0, 1], row=2, col=2)
    fig.update_yaxes(visible=False, range=[0, 1], row=2, col=2)
    nz = [int(np.count_nonzero(s["coefs"])) for s in states]
    step = max(1, len(states) // 8)
    ticks = list(range(0, len(states), step))
    fig.update_layout(xaxis5=dict(
        overlaying="x", side="top", range=x_range, anchor="y",
        tickmode="array", tickvals=[x_of[i] for i in ticks], ticktext=[str(nz[i]) for i in ticks],
        title=dict(text="non-zero coefficients", standoff=2), showgrid=False,
    ))
    fig.add_trace(go.Scatter(x=[x_of[0], x_of[-1]], y=[None, None], xaxis="x5", yaxis="y",
                             showlegend=False, hoverinfo="skip"))
    annotations = list(fig.layout.annotations)
    if math.isfinite(ex.path.lambda_max):
        annotations.append(dict(
            x=xs[0], y=ymax, xref="x", yref="y", showarrow=False, xanchor="left", yanchor="top",
            text=f"λ_max = {_fmt(ex.path.lambda_max)}<br>all coefficients 0 from here left",
            font=dict(size=style.font * 0.85, color=style.ink),
        ))
    if ex.ols_coef is not None:
        annotations.append(dict(
            x=x_ols, y=-ymax, xref="x", yref="y", showarrow=False, xanchor="right",
            yanchor="bottom", text="λ = 0<br>OLS", font=dict(size=style.font * 0.85,
                                                          color=style.ink),
        ))
    steps = [dict(method="animate", label=s["label"], args=[[s["name"]], _ANIM_STEP])
             for s in states]
    jumps = [dict(label="▶ Play", method="animate",
                  args=[[s["name"] for s in states], _ANIM_PLAY])]
    if ex.cv is not None:
        jumps += [
            dict(label="λ_min", method="animate", args=[[str(ex.cv.idx_min)], _ANIM_STEP]),
            dict(label="λ_1se", method="animate", args=[[str(ex.cv.idx_1se)], _ANIM_STEP]),
        ]
    last = states[-1]
    jumps.append(dict(label="OLS" if last["lam"] == 0 else "smallest λ", method="animate",
                      args=[[last["name"]], _ANIM_STEP]))
    jumps.append(dict(label="λ_max", method="animate", args=[["0"], _ANIM_STEP]))
    fig.update_layout(**style.layout(
        height=round(820 * min(style.scale, 1.3)),
        annotations=annotations,
        legend=dict(x=0.5, y=0.36, xanchor="right", yanchor="top", bgcolor="rgba(128,128,128,0.08)",
                    font=dict(size=round(style.font * 0.85))),
    ))
    fig.update_layout(margin=dict(l=70, r=20, t=120, b=110))
    style.finish(fig)
    return dict(
        sliders=[dict(active=start_idx, steps=steps, x=0, len=1.0, y=-0.07, yanchor="top",
                      currentvalue=dict(prefix="λ = ", font=dict(size=style.font)),
                      pad=dict(t=40))],
        updatemenus=[dict(type="buttons", direction="right", x=0, y=1.13, xanchor="left",
                          yanchor="bottom", showactive=False, buttons=jumps,
                          font=dict(size=style.font))],
    )


_ANIM_STEP = dict(mode="immediate", frame=dict(duration=0, redraw=False),
                  transition=dict(duration=0))
_ANIM_PLAY = dict(mode="immediate", fromcurrent=False, frame=dict(duration=90, redraw=False),
                  transition=dict(duration=0))
