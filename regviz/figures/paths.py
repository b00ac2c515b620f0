"""The coefficient-path explorer: one figure that scrubs lambda in the browser.

Stacked panels share one lambda axis (style.lambda_axis: log scale, lambda
decreasing to the right, OLS at the right end): the path (one line per
feature, non-zero counts along the top), the error curves (train, test,
K-fold CV with one-SE bars), the slider, then the coefficients at the current
lambda as bars (every feature named, exact zeros drawn as a cross) beside a
readout of the objective's numbers.  The figure's height follows the number
of features, so a name never shares its row; every other size is derived
from the font, so presentation mode grows the gaps with the text.  Frames
carry only the moving parts (two vertical markers, the bars, the zero
crosses, the error markers and the readout).

The moving traces are declared here but drawn by the page's scrub script
(``ui/scrub.js``), not by plotly: a ``Plotly.animate`` or ``restyle`` call on
a 40-trace figure costs 50-100 ms, several display frames, while moving a
few SVG elements costs well under one.  Each moving trace is hidden from
plotly (``visible: False``) and tagged ``meta.scrub`` with its role
(``marker``, ``bars``, ``zeros``, ``error_marker``, ``error_points``,
``readout``); the frames hold each lambda's values, the traces hold the
styles and the start.  The lambda slider and the jump buttons are not plotly's
either: they are described in ``layout.meta["scrub"]`` (labels, the start,
the buttons' frames, where they sit) and the script draws them as an HTML
range input and buttons over the space the layout leaves for them.  Plotly's
own slider and buttons cost about half of the figure's first draw (170-200 ms
of 370 ms, cold, ``docs/performance.md``) and a keyboard could not move them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from regviz.figures.paths_readout import (  # noqa: F401 - wrap_call: the old import path
    fmt,
    frame_states,
    metric_name,
    n_folds,
    readout,
    readout_lines,
    wrap_call,
)
from regviz.figures.style import (
    CV_COLOUR,
    DEFAULT,
    TEST_COLOUR,
    TRAIN_COLOUR,
    Style,
    lambda_axis,
    tick_label_chars,
    unique_labels,
)
from regviz.paths import Exploration
from regviz.usertext import plotly_text

MAX_BARS = 80  # past this, the largest MAX_BARS are drawn and the bar title says so


@dataclass(frozen=True)
class _Geometry:
    """Pixel sizes of the stacked panels, and their positions as plot-area fractions."""

    top: int
    path: int
    path_ticks: int
    error: int
    error_ticks: int
    legend: int
    slider: int
    bar_title: int
    bars: int
    bottom: int

    @property
    def plot(self) -> int:
        return (self.path + self.path_ticks + self.error + self.error_ticks + self.legend
                + self.slider + self.bar_title + self.bars)

    @property
    def height(self) -> int:
        return self.top + self.plot + self.bottom

    def y(self, px_from_top: float) -> float:
        """A plot-area fraction (1 at the top) for a distance below the plot area's top."""
        return 1 - px_from_top / self.plot

    def band(self, start: float, size: float) -> list[float]:
        return [max(self.y(start + size), 0.0), min(self.y(start), 1.0)]

    @property
    def path_domain(self) -> list[float]:
        return self.band(0, self.path)

    @property
    def error_start(self) -> int:
        return self.path + self.path_ticks

    @property
    def legend_start(self) -> int:
        return self.error_start + self.error + self.error_ticks

    @property
    def slider_start(self) -> int:
        return self.legend_start + self.legend

    @property
    def bars_start(self) -> int:
        return self.slider_start + self.slider + self.bar_title


def _geometry(n_bars: int, readout_lines: int, legend_rows: int, style: Style) -> _Geometry:
    f = style.font
    grow = min(style.scale, 1.3)
    readout_px = readout_lines * 0.95 * f * 1.3 + f
    return _Geometry(
        top=round(f * 6.4), path=round(330 * grow), path_ticks=round(f * 2.4),
        error=round(220 * grow), error_ticks=round(f * 4.2),
        legend=round(legend_rows * f * 1.8 + f * 0.4), slider=round(f * 2.6 + 42),
        bar_title=round(f * 2.6), bars=round(max(n_bars * f * 1.6, readout_px)),
        # The coefficient axis's ticks and title: less than style.x_margin makes plotly
        # widen the margin and draw everything twice.
        bottom=max(round(f * 4.4), style.x_margin),
    )


def path_explorer_figure(ex: Exploration, style: Style = DEFAULT, active: int | None = None):
    """The stacked explorer with one frame per grid lambda (plus OLS when it exists)."""
    p = ex.path
    names = [plotly_text(name) for name in ex.feature_names]
    coefs = ex.display_coefs
    xs = np.log10(p.lams)
    span = max(xs[0] - xs[-1], 1e-9)
    x_ols = xs[-1] - max(0.1 * span, 0.25)
    states = frame_states(ex)
    x_of = [*xs, x_ols][: len(states)]
    ymax = float(np.max(np.abs(coefs))) if coefs.size else 1.0
    if ex.ols_coef is not None:
        ymax = max(ymax, float(np.max(np.abs(ex.ols_coef))))
    ymax = ymax * 1.08 or 1.0
    shown = _bar_features(coefs, ex.ols_coef)
    # The bars' names set the whole figure's left margin: presenting, 23 characters (the
    # built-ins' longest, breast cancer's) leave the path panel 60 px more than 28 did.
    labels = unique_labels(ex.feature_names, shown, 23 if style.presenting else 28)
    n_lines = max(len(readout_lines(s, len(names))) for s in states)
    geo = _geometry(len(shown), n_lines, 2 if style.presenting else 1, style)

    static = _path_traces(ex, names, x_of, states, style)  # drawn first, added as dicts
    fig = go.Figure(_validate=False)
    _error_traces(fig, ex, xs, x_ols, style)

    # Dynamic traces; their indices are what the frames update.
    first = len(static) + len(fig.data)
    start = states[_default_active(ex, states) if active is None else active]
    start_idx = states.index(start)
    err_lo = float(np.min(ex.train_mse))
    err_hi = float(np.max(ex.test_mse))
    x_start = x_of[start_idx]
    lam_texts = [_lam_text(s["lam"]) for s in states]  # what the URL gets on release
    fig.add_trace(_marker_line(x_start, -ymax, ymax, style,
                               meta=dict(scrub="marker", lam=lam_texts)))
    fig.add_trace(_bars(start, labels, shown, names, style))
    fig.add_trace(_zeros(start, labels, shown, names, style))
    fig.add_trace(_marker_line(x_start, err_lo, err_hi, style, xaxis="x2", yaxis="y2",
                               meta=dict(scrub="error_marker")))
    fig.add_trace(_readout_trace(start, len(names), style))
    fig.add_trace(_error_points(start, x_start, ex, style))
    dynamic = list(range(first, first + 6))
    fig.add_trace(_bar_rows(labels))  # static: the bar panel's rows, drawn by plotly

    controls = _layout(fig, ex, geo, xs, x_ols, ymax, states, x_of, start_idx, shown, labels,
                       style)
    # The frames, slider and buttons are hundreds of tiny objects whose validation took half
    # of this function's time, on every new view.  They are built as plain dicts of a fixed,
    # tested shape (tests validate the whole figure) and attached without re-validation.
    spec = fig.to_dict()
    spec["data"] = static + spec["data"]
    spec["layout"].update(controls)
    spec["frames"] = _frames(ex, states, x_of, dynamic, shown)
    return go.Figure(spec, _validate=False)


def _path_traces(ex, names: list[str], x_of, states: list[dict], style: Style) -> list[dict]:
    """The path panel's static part: one line per feature and the entry markers.

    Plain dicts of a fixed shape (the tests validate the whole figure): validating one
    ``go.Scatter`` per feature took most of the figure's time on a 600-column upload.
    """
    coefs = ex.display_coefs
    xs = [float(x) for x in x_of]
    lams = [float(s["lam"]) for s in states]
    traces = []
    for j, name in enumerate(names):
        ys = [float(v) for v in coefs[:, j]]
        if ex.ols_coef is not None:
            ys.append(float(ex.ols_coef[j]))
        traces.append({
            "type": "scatter", "x": xs, "y": ys, "mode": "lines", "name": name,
            "showlegend": False, "customdata": lams,
            "line": {"color": style.feature_colour(j), "width": style.line,
                     "dash": style.feature_dash(j)},
            "hovertemplate": f"<b>{name}</b><br>coef %{{y:.4g}}<br>λ = %{{customdata:.4g}}"
                             "<extra></extra>",
        })
    entries = [(j, lam) for j, lam in enumerate(ex.entry_lams) if math.isfinite(lam)]
    if entries:
        traces.append(go.Scatter(
            x=[math.log10(lam) for _, lam in entries], y=[0.0] * len(entries), mode="markers",
            name="enters", showlegend=False,
            marker=dict(size=style.marker, symbol="circle-open", line=dict(width=2),
                        color=[style.feature_colour(j) for j, _ in entries]),
            text=[names[j] for j, _ in entries], customdata=[lam for _, lam in entries],
            hovertemplate="<b>%{text}</b> enters at λ = %{customdata:.6g}<extra></extra>",
        ).to_plotly_json())
    return traces


def _frames(ex, states: list[dict], x_of, dynamic: list[int], shown) -> list[dict]:
    """One frame per λ, holding only the moving traces' new values (plain dicts)."""
    with_cv = ex.cv is not None
    n_errors = len(_error_ys(states[0], with_cv))
    n_features = len(ex.feature_names)
    return [
        {"name": s["name"], "traces": dynamic, "data": [
            {"type": "scatter", "x": [float(x), float(x)]},
            {"type": "bar", "x": _bar_values(s, shown)},
            {"type": "scatter", "x": _zero_xs(s, shown)},
            {"type": "scatter", "x": [float(x), float(x)]},
            {"type": "scatter", "text": [readout(s, n_features)]},
            {"type": "scatter", "x": [float(x)] * n_errors, "y": _error_ys(s, with_cv)},
        ]}
        for s, x in zip(states, x_of, strict=True)
    ]


def _error_traces(fig: go.Figure, ex, xs, x_ols: float, style: Style) -> None:
    """Train, test and CV error against λ (the static part of the error panel)."""
    on = dict(xaxis="x2", yaxis="y2")
    metric = metric_name(ex)
    fig.add_trace(go.Scatter(x=xs, y=ex.train_mse, name=f"train {metric}", mode="lines",
                             line=dict(color=TRAIN_COLOUR, width=style.line), **on))
    fig.add_trace(go.Scatter(x=xs, y=ex.test_mse, name=f"test {metric}", mode="lines",
                             line=dict(color=TEST_COLOUR, width=style.line, dash="dash"), **on))
    if ex.ols_train_mse is not None:
        fig.add_trace(go.Scatter(
            x=[x_ols, x_ols], y=[ex.ols_train_mse, ex.ols_test_mse], mode="markers",
            name="OLS (λ = 0)", marker=dict(size=style.marker, symbol="diamond",
                                            color=[TRAIN_COLOUR, TEST_COLOUR]), **on))
    if ex.cv is None:
        return
    cv = ex.cv
    fig.add_trace(go.Scatter(
        x=xs, y=cv.mean, name=f"{n_folds(cv)}-fold CV (±1 SE)", mode="lines+markers",
        marker=dict(size=style.marker * 0.5, color=CV_COLOUR),
        line=dict(color=CV_COLOUR, width=style.line, dash="dot"),
        error_y=dict(type="data", array=cv.se, thickness=1, width=0, color=CV_COLOUR), **on))
    lo = float(min(ex.train_mse.min(), ex.test_mse.min(), np.nanmin(cv.mean - cv.se)))
    hi = float(max(ex.test_mse.max(), np.nanmax(cv.mean + cv.se)))
    for idx, dash in ((cv.idx_min, "dash"), (cv.idx_1se, "dot")):
        fig.add_trace(go.Scatter(
            x=[xs[idx], xs[idx]], y=[lo, hi], mode="lines", showlegend=False,
            line=dict(color=style.ink, width=1, dash=dash), hoverinfo="skip", **on))

def starting_at(fig: go.Figure, index: int) -> go.Figure:
    """The explorer ``fig`` opened at frame ``index`` instead of its own start.

    Equal to ``path_explorer_figure(ex, style, active=index)``, but made from the
    finished figure by copying that frame's values into its moving traces and the
    slider's start: a shared link's λ costs a dict copy, not a new figure.  ``fig`` is not
    modified (a cached figure may be handed out to other sessions).
    """
    return go.Figure(spec_starting_at(fig.to_dict(), index), _validate=False)


def spec_starting_at(spec: dict, index: int) -> dict:
    """``starting_at`` on a figure's dict, returning a dict: the frame's values copied into
    the moving traces and the slider's start.  ``spec`` is not modified; the parts left
    alone are shared with it, not copied (a cached figure's dict is never written to)."""
    frames = spec.get("frames") or []
    if not 0 <= index < len(frames):
        raise IndexError(f"frame {index} of {len(frames)}")
    frame = frames[index]
    data = list(spec["data"])
    for trace, values in zip(frame["traces"], frame["data"], strict=True):
        data[trace] = {**data[trace], **{k: v for k, v in values.items() if k != "type"}}
    layout = dict(spec["layout"])
    meta = dict(layout["meta"])
    meta["scrub"] = {**meta["scrub"], "active": index}
    layout["meta"] = meta
    return {**spec, "data": data, "layout": layout}


def _default_active(ex: Exploration, states: list[dict]) -> int:
    return ex.cv.idx_1se if ex.cv is not None else len(ex.path.lams) // 2


def _bar_features(coefs: np.ndarray, ols: np.ndarray | None) -> np.ndarray:
    """Every feature up to MAX_BARS; past that, the MAX_BARS largest along the path, in order."""
    size = np.max(np.abs(coefs), axis=0)
    if ols is not None:
        size = np.maximum(size, np.abs(ols))
    if size.size <= MAX_BARS:
        return np.arange(size.size)
    return np.sort(np.argsort(-size, kind="stable")[:MAX_BARS])


def _lam_text(lam: float) -> str:
    """λ as a link writes it (``ui.links``): six significant digits, "0" for OLS."""
    return "0" if lam == 0 else f"{lam:.6g}"


def _marker_line(x: float, lo: float, hi: float, style: Style, meta: dict,
                 **axes) -> go.Scatter:
    return go.Scatter(x=[x, x], y=[lo, hi], mode="lines", showlegend=False, hoverinfo="skip",
                      line=dict(color=style.ink, width=style.line * 0.8), visible=False,
                      meta=meta, **axes)


def _error_ys(state: dict, with_cv: bool) -> list[float | None]:
    """The error markers' heights at this λ: train, test and CV (None at OLS: no CV there)."""
    ys = [float(state["train"]), float(state["test"])]
    if not with_cv:
        return ys
    return [*ys, None if state.get("cv") is None else float(state["cv"])]


def _error_points(state: dict, x: float, ex, style: Style) -> go.Scatter:
    """Dots where the marker crosses the train, test and CV curves."""
    ys = _error_ys(state, ex.cv is not None)
    return go.Scatter(
        x=[float(x)] * len(ys), y=ys, mode="markers", xaxis="x2", yaxis="y2", visible=False,
        showlegend=False, hoverinfo="skip", meta=dict(scrub="error_points"),
        marker=dict(size=style.marker, color=[TRAIN_COLOUR, TEST_COLOUR, CV_COLOUR][: len(ys)],
                    line=dict(width=1.5, color=style.backdrop)),
    )


def _bar_rows(labels) -> go.Scatter:
    """The bar panel's category rows (its moving traces are hidden from plotly)."""
    return go.Scatter(x=[0.0] * len(labels), y=labels, mode="markers", xaxis="x3", yaxis="y3",
                      marker=dict(size=1, opacity=0), showlegend=False, hoverinfo="skip")


def _bar_values(state: dict, shown) -> list[float]:
    return [float(state["coefs"][j]) for j in shown]


def _zero_xs(state: dict, shown) -> list[float | None]:
    """0 where the coefficient is exactly zero (an x drawn on the axis), else no marker."""
    return [0.0 if state["coefs"][j] == 0 else None for j in shown]


def _bars(state: dict, labels, shown, names, style: Style) -> go.Bar:
    return go.Bar(
        x=_bar_values(state, shown), y=labels, orientation="h", showlegend=False,
        xaxis="x3", yaxis="y3", customdata=[names[j] for j in shown], visible=False,
        meta=dict(scrub="bars"), marker=dict(color=[style.feature_colour(j) for j in shown]),
        hovertemplate="<b>%{customdata}</b>: %{x:.4g}<extra></extra>",
    )


def _zeros(state: dict, labels, shown, names, style: Style) -> go.Scatter:
    return go.Scatter(
        x=_zero_xs(state, shown), y=labels, mode="markers", showlegend=False,
        xaxis="x3", yaxis="y3", customdata=[names[j] for j in shown], visible=False,
        meta=dict(scrub="zeros"),
        marker=dict(symbol="x-thin-open", size=style.marker * 1.4, color=style.ink,
                    line=dict(width=2 * style.scale)),
        hovertemplate="<b>%{customdata}</b> is exactly 0: removed<extra></extra>",
    )


def _readout_trace(state: dict, n_features: int, style: Style) -> go.Scatter:
    return go.Scatter(
        x=[0.0], y=[1.0], mode="text", text=[readout(state, n_features)], xaxis="x4",
        yaxis="y4", textposition="bottom right", cliponaxis=False,
        textfont=dict(size=round(style.font * 0.95), color=style.ink),
        showlegend=False, hoverinfo="skip", visible=False, meta=dict(scrub="readout"),
    )


def _lambda_ticks(ex: Exploration, x_ols: float, span: float, with_ols: bool) -> dict:
    """The shared λ axis: real λ values as ticks, and "OLS" at the λ = 0 position."""
    axis = lambda_axis(float(ex.path.lams.min()), float(ex.path.lams.max()), log10_coords=True)
    vals, text = list(axis["tickvals"]), list(axis["ticktext"])
    if with_ols:
        keep = [k for k, v in enumerate(vals) if abs(v - x_ols) > 0.12 * span]
        vals, text = [vals[k] for k in keep] + [x_ols], [text[k] for k in keep] + ["OLS"]
    right = x_ols if with_ols else float(np.log10(ex.path.lams.min()))
    left = float(np.log10(ex.path.lams.max()))
    pad = 0.03 * max(left - right, 1e-9)
    axis.update(range=[left + pad, right - pad], tickvals=vals, ticktext=text)
    return axis


def _cv_labels(ex: Exploration, xs, style: Style) -> list[dict]:
    """λ_1se and λ_min named at the top of the error panel, on two rows (never on each other),
    each on the side of its line that has room, over a backdrop that hides the curves."""
    cv = ex.cv
    lams = ex.path.lams
    if cv.idx_min == cv.idx_1se:
        marks = [(cv.idx_min, f"λ_min = λ_1se = {fmt(lams[cv.idx_min])}")]
    else:
        marks = [(cv.idx_1se, f"λ_1se = {fmt(lams[cv.idx_1se])}"),
                 (cv.idx_min, f"λ_min = {fmt(lams[cv.idx_min])}")]
    out = []
    for row, (idx, text) in enumerate(marks):
        where = (xs[0] - xs[idx]) / max(xs[0] - xs[-1], 1e-9)  # 0 at the left, 1 at the right
        out.append(dict(
            x=xs[idx], y=1 - 0.02 - row * 0.14, xref="x2", yref="y2 domain", showarrow=False,
            xanchor="left" if where < 0.5 else "right", yanchor="top", text=" " + text + " ",
            bgcolor=style.backdrop, font=dict(size=round(style.font * 0.85), color=style.ink),
        ))
    return out


def _coef_title(ex) -> str:
    unit = "" if metric_name(ex) == "MSE" else " (log-odds)"
    return ("standardized coefficient" if ex.standardize else "coefficient (original units)") + unit


def _layout(fig, ex, geo: _Geometry, xs, x_ols, ymax, states, x_of, start_idx, shown,
            labels, style: Style) -> dict:
    """Lay out ``fig``; return the slider and buttons' description (``layout.meta``), added last."""
    f = style.font
    span = max(xs[0] - xs[-1], 1e-9)
    lam_axis = _lambda_ticks(ex, x_ols, span, ex.ols_coef is not None)
    bar_share = 0.5 if style.presenting else 0.56
    # A fixed range: an autoranged axis would be recomputed (a relayout) on every frame.
    shown_vals = np.array([[s["coefs"][j] for j in shown] for s in states])
    lo, hi = float(min(shown_vals.min(), 0.0)), float(max(shown_vals.max(), 0.0))
    bar_pad = 0.06 * max(hi - lo, 1e-12)
    bars_band = geo.band(geo.bars_start, geo.bars)
    name_px = max([style.text_px(label) for label in labels] + [0.0])
    nz = [int(np.count_nonzero(s["coefs"])) for s in states]
    step = max(1, len(states) // 8)
    ticks = list(range(0, len(states), step))
    fig.update_layout(
        xaxis=dict(**{k: v for k, v in lam_axis.items() if k != "title_text"}, anchor="y",
                   domain=[0, 1]),
        yaxis=dict(domain=geo.path_domain, range=[-ymax, ymax], zeroline=True, anchor="x",
                   title_text=_coef_title(ex)),
        xaxis2=dict(**lam_axis, anchor="y2", domain=[0, 1], matches="x"),
        yaxis2=dict(domain=geo.band(geo.error_start, geo.error), anchor="x2",
                    title_text="mean squared error" if metric_name(ex) == "MSE"
                    else f"mean {metric_name(ex)}"),
        xaxis3=dict(domain=[0, bar_share], anchor="y3", title_text="coefficient", zeroline=True,
                    zerolinewidth=2, range=[lo - bar_pad, hi + bar_pad]),
        yaxis3=dict(domain=bars_band, anchor="x3", autorange="reversed", automargin=True,
                    type="category", tickmode="array", tickvals=labels, ticktext=labels),
        xaxis4=dict(domain=[bar_share + 0.05, 1], anchor="y4", visible=False, range=[0, 1]),
        yaxis4=dict(domain=bars_band, anchor="x4", visible=False, range=[0, 1]),
        xaxis5=dict(
            overlaying="x", side="top", range=lam_axis["range"], anchor="y",
            tickmode="array", tickvals=[x_of[i] for i in ticks],
            ticktext=[str(nz[i]) for i in ticks],
            title=dict(text="non-zero coefficients", standoff=2), showgrid=False,
        ),
    )
    fig.add_trace(go.Scatter(x=[x_of[0], x_of[-1]], y=[None, None], xaxis="x5", yaxis="y",
                             showlegend=False, hoverinfo="skip"))
    p_total = len(ex.feature_names)
    bar_title = "Coefficients at this λ (✕: exactly 0, removed)"
    if len(shown) < p_total:
        bar_title += f"<br>(the {len(shown)} largest of {p_total} features)"
    annotations = [dict(
        x=0, y=geo.y(geo.bars_start - f * 0.6), xref="paper", yref="paper", xanchor="left",
        yanchor="bottom", showarrow=False, text=bar_title, font=dict(size=f),
    )]
    shapes = []
    if math.isfinite(ex.path.lambda_max):
        annotations.append(dict(
            x=xs[0], y=ymax, xref="x", yref="y", showarrow=False, xanchor="left", yanchor="top",
            text=f" λ_max = {fmt(ex.path.lambda_max)}:<br> every coefficient is 0 for λ ≥ λ_max ",
            align="left", bgcolor=style.backdrop,
            font=dict(size=round(f * 0.85), color=style.ink),
        ))
        shapes.append(dict(type="line", x0=xs[0], x1=xs[0], y0=-ymax, y1=ymax, xref="x",
                           yref="y", line=dict(color=style.ink, width=1, dash="dot")))
    if ex.cv is not None:
        annotations += _cv_labels(ex, xs, style)
    fig.update_layout(**style.layout(
        height=geo.height, annotations=annotations, shapes=shapes,
        legend=dict(orientation="h", traceorder="normal", x=0, xanchor="left",
                    y=geo.y(geo.legend_start), yanchor="top", font=dict(size=round(f * 0.9))),
        margin=dict(l=_left_margin(ex, ymax, name_px, style), r=round(f * 2), t=geo.top,
                    b=geo.bottom),
    ))
    style.finish(fig)
    return dict(meta=dict(scrub=_controls(ex, states, start_idx, geo, style)))


def _error_extent(ex: Exploration) -> tuple[float, float]:
    """The error panel's data range: its curves, CV's one-SE bars and the OLS points."""
    parts = [ex.train_mse, ex.test_mse]
    if ex.cv is not None:
        parts += [ex.cv.mean - ex.cv.se, ex.cv.mean + ex.cv.se]
    parts.append([v for v in (ex.ols_train_mse, ex.ols_test_mse) if v is not None])
    values = np.concatenate([np.ravel(np.asarray(a, dtype=float)) for a in parts])
    values = values[np.isfinite(values)]
    return (float(values.min()), float(values.max())) if values.size else (0.0, 1.0)


def _left_margin(ex: Exploration, ymax: float, name_px: float, style: Style) -> int:
    """Room for the widest of: the bars' names, and the path and error panels' tick labels
    with their titles (48 px + half a font: the y titles' line and plotly's pads, measured).

    Plotly's automargin stays on as the guard, but a margin it must widen costs a second
    draw of the whole figure (``docs/performance.md``), so this errs on the wide side.
    """
    f = style.font
    chars = max(tick_label_chars(-ymax, ymax), tick_label_chars(*_error_extent(ex)))
    return max(round(max(f * 5.5, name_px + f * 1.2)), style.y_margin(chars))


def _controls(ex: Exploration, states, start_idx: int, geo: _Geometry, style: Style) -> dict:
    """The λ slider and the jump buttons, for the scrub script to draw (``ui/scrub.js``).

    The slider spans the λ axes under the error panel, its top at ``slider_top`` (a
    plot-area fraction, like a plotly slider's y); it shows "λ = <label>" of the step it
    is at.  The buttons sit on one row whose bottom is ``buttons_bottom``, above the plot
    area; each names the frames it shows (Play: all of them, in order).
    """
    buttons = [dict(label="▶ Play", frames=[s["name"] for s in states])]
    if ex.cv is not None:
        buttons += [dict(label="λ_min", frames=[str(ex.cv.idx_min)]),
                    dict(label="λ_1se", frames=[str(ex.cv.idx_1se)])]
    last = states[-1]
    buttons += [dict(label="OLS" if last["lam"] == 0 else "smallest λ", frames=[last["name"]]),
                dict(label="λ_max", frames=["0"])]
    return dict(active=start_idx, labels=[s["label"] for s in states],
                names=[s["name"] for s in states], buttons=buttons,
                slider_top=geo.y(geo.slider_start),
                buttons_bottom=1 + style.font * 3.8 / geo.plot, font=style.font)

