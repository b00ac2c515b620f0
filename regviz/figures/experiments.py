"""Figures for the sparsity lab: pure functions from regviz.experiments results to go.Figure.

Each penalty keeps one colour, one dash and one marker shape everywhere
(L1 solid circles, elastic net dashed diamonds, L2 dotted squares), so the
lines stay apart without colour; exact zeros are drawn as an x.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from regviz.experiments import (
    Bootstrap,
    Contest,
    Corners,
    MatchedMagnitudes,
    Recovery,
    RecoverySweep,
    ZeroCounts,
)
from regviz.experiments.recovery import CVChoice
from regviz.experiments.who_wins import TRUTHS
from regviz.figures.style import DEFAULT, PENALTY_COLOURS, Style, lambda_axis, short_name
from regviz.usertext import plotly_names, plotly_text

ORDER = ("l1", "elasticnet", "l2")
SHORT = {"l1": "L1", "elasticnet": "Elastic net", "l2": "L2"}
DASH = {"l1": "solid", "elasticnet": "dash", "l2": "dot"}
SYMBOL = {"l1": "circle", "elasticnet": "diamond", "l2": "square"}
PATTERN = {"l1": "", "elasticnet": "/", "l2": "."}
TWINS_BARS = 12  # features in the selection chart: each name stays legible
TWINS_BARS_PRESENTING = 8  # the same at presentation scale (1.6x type, 1280 x 720)
MAX_POINTS = 2_500  # scatter points sent to the browser; the statistics use every draw


def _line(pen: str, style: Style) -> dict:
    return dict(color=PENALTY_COLOURS[pen], width=style.line, dash=DASH[pen])


def _marker(pen: str, style: Style, **extra) -> dict:
    return dict(color=PENALTY_COLOURS[pen], symbol=SYMBOL[pen], size=style.marker, **extra)


def _legend_rows(fig: go.Figure, style: Style, width_px: float = 600) -> int:
    """Rows a horizontal legend needs at a modest chart width (symbol, gap and text per item)."""
    names = [t.name for t in fig.data if t.showlegend is not False and t.name]
    if not names:
        return 0
    rows, used = 1, 0.0
    for name in dict.fromkeys(names):
        item = 50 + style.text_px(name)
        if used and used + item > width_px:
            rows, used = rows + 1, 0.0
        used += item
    return rows


def _finish(fig: go.Figure, style: Style, title: str, height: int, title_lines: int = 1,
            axis_px: float | None = None, right_px: float | None = None) -> go.Figure:
    """Title top left; legend in rows under the bottom axis title, every gap sized from the
    font, so presentation mode moves the legend down with the text that grew.

    ``title_lines`` counts every line above the top panel (figure and panel titles);
    ``axis_px`` is the height under the lowest panel (ticks and axis title),
    ``right_px`` the right margin (row titles sit there).
    """
    f = style.font
    rows = _legend_rows(fig, style)
    top = round(f * (2.4 + 1.3 * title_lines))
    if axis_px is None:
        # Tick labels and the axis title under the lowest panel.  These margins are at least
        # what plotly's automargin asks for at font 13 (a y title and 3-4 character ticks:
        # 82 px left, 67 px below), which otherwise widens them and draws everything twice.
        axis_px = f * 2.1 + 36
    bottom = round(axis_px + rows * (f * 1.9 + 8) + f * 0.6 + 6)
    plot = round(height * (1 + 0.35 * (style.scale - 1)))
    fig.update_layout(**style.layout(
        title=dict(text=title, x=0.01, xanchor="left", y=1 - f * 0.8 / (plot + top + bottom),
                   yanchor="top", font=dict(size=f)),  # the size ``top`` is made for
        height=plot + top + bottom,
        legend=dict(orientation="h", traceorder="normal", yanchor="top",
                    y=-axis_px / plot, x=0, xanchor="left"),
        margin=dict(l=round(max(f * 5.5, f * 2.7 + 48)), r=round(right_px or f * 1.6), t=top,
                    b=bottom),
    ))
    return style.finish(fig)


def _vline(fig: go.Figure, x: float, top: float, label: str, style: Style, row: int = 1,
           col: int = 1) -> None:
    """A labelled vertical line drawn as a trace, so it sits right on log axes too."""
    fig.add_trace(go.Scatter(
        x=[x, x], y=[0, top], mode="lines+text", text=["", label], textposition="top right",
        line=dict(color=style.ink, dash="dot", width=1), showlegend=False, hoverinfo="skip",
        textfont=dict(size=round(style.font * 0.85))), row=row, col=col)


def _log_ticks(lo: float, hi: float) -> tuple[list[float], list[str]]:
    """Integer powers of ten between lo and hi (log10 units), labelled as plain numbers."""
    vals = list(range(math.floor(lo), math.ceil(hi) + 1))
    return vals, [f"{10.0**v:g}" for v in vals]


# --------------------------------------------------------------------------- 1. zeros
def zeros_figure(z: ZeroCounts, style: Style = DEFAULT) -> go.Figure:
    """Exact zeros against λ (top), and L2's smallest coefficient, never reaching 0 (bottom)."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        row_heights=[0.62, 0.38])
    for pen in ORDER:
        fig.add_trace(go.Scatter(
            x=z.lams, y=z.zeros[pen], mode="lines+markers", name=SHORT[pen],
            line=dict(shape="hv", **_line(pen, style)), marker=_marker(pen, style, maxdisplayed=25),
            hovertemplate="λ = %{x:.3g}<br>%{y} of " + str(z.p) + " exactly 0<extra>"
                          + SHORT[pen] + "</extra>"), row=1, col=1)
    fig.add_trace(go.Scatter(
        x=z.lams, y=z.smallest["l2"], mode="lines", name="L2: smallest |coefficient|",
        line=_line("l2", style), showlegend=False,
        hovertemplate="λ = %{x:.3g}<br>smallest |w| = %{y:.2e}<extra>L2</extra>"), row=2, col=1)
    _vline(fig, z.lambda_max["l1"], z.p * 0.55, "L1 λ_max", style)
    _vline(fig, z.lambda_max["elasticnet"], z.p * 0.35, "elastic net λ_max", style)
    lo, hi = float(np.min(z.lams)), float(np.max(z.lams))
    fig.update_xaxes(**lambda_axis(lo, hi, title_text=""), row=1, col=1)
    fig.update_xaxes(**lambda_axis(lo, hi), row=2, col=1)
    fig.update_yaxes(title_text=f"exactly 0 (of {z.p})", range=[-0.5, z.p * 1.08], row=1, col=1)
    fig.update_yaxes(title_text="L2: smallest |w|", type="log", dtick=1, exponentformat="power",
                     row=2, col=1)
    l2_most = int(np.max(z.zeros["l2"]))
    l2_text = "L2 none at any λ" if l2_most == 0 else f"L2 at most {l2_most}"
    return _finish(fig, style, f"Exact zeros along λ: L1 up to {int(np.max(z.zeros['l1']))} "
                               f"of {z.p}, {l2_text}", 560)


def magnitudes_figure(m: MatchedMagnitudes, style: Style = DEFAULT) -> go.Figure:
    """Per penalty: how many coefficients are exactly 0, and a log-scale histogram of the rest."""
    fig = make_subplots(rows=3, cols=2, column_widths=[0.16, 0.84], shared_xaxes="columns",
                        horizontal_spacing=0.08, vertical_spacing=0.07,
                        row_titles=[SHORT[pen] for pen in ORDER])
    centres = 0.5 * (m.edges[:-1] + m.edges[1:])
    width = float(m.edges[1] - m.edges[0]) * 0.9
    p = int(next(iter(m.coefs.values())).size)
    tallest = max([*(int(c.max(initial=0)) for c in m.counts.values()), 1])
    for row, pen in enumerate(ORDER, start=1):
        colour = PENALTY_COLOURS[pen]
        fig.add_trace(go.Bar(
            x=["exactly 0"], y=[m.zeros[pen]], showlegend=False,
            marker_color=colour, width=0.6,
            text=[str(m.zeros[pen])], textposition="outside", cliponaxis=False,
            textfont=dict(size=style.font),
            hovertemplate="%{y} coefficients exactly 0<extra>" + SHORT[pen] + "</extra>"),
            row=row, col=1)
        fig.add_trace(go.Bar(
            x=centres, y=m.counts[pen], width=width, showlegend=False, marker_color=colour,
            customdata=np.column_stack([10.0 ** m.edges[:-1], 10.0 ** m.edges[1:]]),
            hovertemplate="%{y} with |w| in [%{customdata[0]:.2g}, %{customdata[1]:.2g})"
                          "<extra>" + SHORT[pen] + "</extra>"), row=row, col=2)
        fig.update_yaxes(range=[0, p * 1.35], row=row, col=1)
        fig.update_yaxes(range=[0, tallest * 1.15], row=row, col=2)
    vals, text = _log_ticks(float(m.edges[0]), float(m.edges[-1]))
    fig.update_xaxes(tickvals=vals, ticktext=text, range=[m.edges[0] - 0.1, m.edges[-1] + 0.1],
                     col=2)
    fig.update_xaxes(title_text="|w| when not 0 (standardized units, log scale)", row=3, col=2)
    fig.update_yaxes(title_text=f"exactly 0 (of {p})", row=2, col=1)
    fig.update_yaxes(title_text="how many", row=2, col=2)
    return _finish(fig, style, f"Coefficient sizes at the same training MSE ({m.train_mse:.4g})",
                   520, right_px=style.font * 3)


# --------------------------------------------------------------------------- 2. corners
def corners_figure(c: Corners, style: Style = DEFAULT) -> go.Figure:
    """Where the unpenalized optimum sits decides L1's outcome; where solutions land; elongation."""
    fig = make_subplots(
        rows=1, cols=3, column_widths=[0.36, 0.32, 0.32], horizontal_spacing=0.08,

        subplot_titles=["centres of the losses,<br>by L1's outcome",
                        "where on the boundary<br>solutions land",
                        "share with an exact 0,<br>by elongation"])
    n_shown = min(MAX_POINTS, c.centres.shape[0])
    shown = np.arange(n_shown)
    zero = c.zero_mask("l1")[shown]
    inside = ~c.binding["l1"][shown]
    groups = (
        ("corner: one coefficient exactly 0", zero, dict(color=PENALTY_COLOURS["l1"],
                                                         symbol="x-thin-open")),
        ("side: both non-zero", ~zero & ~inside, dict(color=PENALTY_COLOURS["l2"],
                                                      symbol="circle-open")),
        ("inside: budget does not bind", inside, dict(color=style.ink, symbol="circle")),
    )
    for label, sel, marker in groups:
        fig.add_trace(go.Scattergl(
            x=c.centres[shown[sel], 0], y=c.centres[shown[sel], 1], mode="markers", name=label,
            marker=dict(size=style.marker * 0.6, line=dict(width=style.scale), **marker),
            hovertemplate="centre (%{x:.2f}, %{y:.2f})<extra>" + label + "</extra>"),
            row=1, col=1)
    t = c.budget
    fig.add_trace(go.Scatter(x=[t, 0, -t, 0, t], y=[0, t, 0, -t, 0], mode="lines",
                             line=dict(color=style.ink, width=style.line), showlegend=False,
                             hoverinfo="skip"), row=1, col=1)
    reach = float(np.quantile(np.abs(c.centres), 0.98)) * 1.05
    fig.update_xaxes(range=[-reach, reach], title_text="w₁", row=1, col=1)
    fig.update_yaxes(range=[-reach, reach], title_text="w₂", scaleanchor="x", scaleratio=1,
                     row=1, col=1)

    bins = np.arange(0, 361, 5)
    for pen, sol in (("l1", c.l1), ("l2", c.l2)):
        bind = c.binding[pen]
        angle = np.degrees(np.arctan2(sol[bind, 1], sol[bind, 0])) % 360
        # Bins are centred on multiples of 5°, so a corner never splits between two bins.
        angle = np.where(angle >= 360 - 2.5, angle - 360, angle)
        share = np.histogram(angle, bins - 2.5)[0] / max(int(bind.sum()), 1)
        fig.add_trace(go.Scatter(
            x=bins[:-1], y=share, mode="lines", name=SHORT[pen], legendgroup=pen,
            showlegend=False, line=dict(shape="hvh", **_line(pen, style)),
            hovertemplate="%{x}° ± 2.5°: %{y:.1%} of solutions<extra>" + SHORT[pen]
                          + "</extra>"), row=1, col=2)
    fig.update_xaxes(tickvals=[0, 90, 180, 270, 360], ticktext=["0°", "90°", "180°", "270°", ""],
                     title_text="angle of the solution", row=1, col=2)
    fig.update_yaxes(tickformat=".0%", rangemode="tozero", row=1, col=2)

    edges, share = c.by_elongation()
    mids = np.sqrt(edges[:-1] * edges[1:])
    for pen in ("l1", "l2"):
        fig.add_trace(go.Scatter(
            x=mids, y=share[pen], mode="lines+markers", name=SHORT[pen], legendgroup=pen,
            line=_line(pen, style), marker=_marker(pen, style),
            hovertemplate="elongation ≈ %{x:.2g}: %{y:.1%} with an exact 0<extra>"
                          + SHORT[pen] + "</extra>"), row=1, col=3)
    fig.update_xaxes(type="log", title_text="elongation of the ellipses", row=1, col=3)
    fig.update_yaxes(range=[-0.03, 1.03], tickformat=".0%", row=1, col=3)
    return _finish(fig, style, f"{c.centres.shape[0]:,} random losses, budget t = {c.budget:g}",
                   520, title_lines=3)


# --------------------------------------------------------------------------- 3. recovery
CV_SYMBOL = {"min": "triangle-down", "1se": "star"}


def recovery_figure(r: Recovery, style: Style = DEFAULT) -> go.Figure:
    """True and false features kept (top), precision and recall (bottom), against λ/λ_max.

    Dotted verticals mark the oracle's best λ; markers the λ that K-fold CV chose
    (at the draws' typical choice, a bar across the range they chose).
    """
    cv_note = (f";<br>▼ λ_min, ★ λ_1se from {r.cv_folds}-fold CV (filled: true, open: false)"
               if r.cv else "")
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12,
                        subplot_titles=["features kept (average over draws)" + cv_note,
                                        "precision (solid" + (", filled" if r.cv else "")
                                        + ") and recall (dotted" + (", open" if r.cv else "")
                                        + ") of the support;<br>dotted verticals: the best λ "
                                          "an oracle could pick"])
    for pen in ("l1", "elasticnet"):
        colour = PENALTY_COLOURS[pen]
        fig.add_trace(go.Scatter(
            x=r.fractions, y=r.true_kept[pen], mode="lines+markers", name=f"{SHORT[pen]}: true",
            line=dict(color=colour, width=style.line),
            marker=dict(color=colour, symbol=SYMBOL[pen], size=style.marker * 0.8),
            hovertemplate="λ = %{x:.2g}·λ_max: %{y:.1f} true kept<extra>" + SHORT[pen]
                          + "</extra>"), row=1, col=1)
        fig.add_trace(go.Scatter(
            x=r.fractions, y=r.false_kept[pen], mode="lines+markers",
            name=f"{SHORT[pen]}: false", line=dict(color=colour, width=style.line, dash="dash"),
            marker=dict(color=colour, symbol="x-thin-open", size=style.marker,
                        line=dict(width=style.scale, color=colour)),
            hovertemplate="λ = %{x:.2g}·λ_max: %{y:.1f} false kept<extra>" + SHORT[pen]
                          + "</extra>"), row=1, col=1)
        for name, values, dash in (("precision", r.precision[pen], "solid"),
                                   ("recall", r.recall[pen], "dot")):
            fig.add_trace(go.Scatter(
                x=r.fractions, y=values, mode="lines", name=f"{SHORT[pen]}: {name}",
                showlegend=False, line=dict(color=colour, width=style.line, dash=dash),
                hovertemplate="λ = %{x:.2g}·λ_max: " + name + " %{y:.2f}<extra>" + SHORT[pen]
                              + "</extra>"), row=2, col=1)
        i, f1 = r.best(pen)
        top = max(float(np.max(r.false_kept[pen])), float(r.k)) * 1.05
        for row, height in ((1, top), (2, 1.02)):  # traces, so the line sits right on log axes
            fig.add_trace(go.Scatter(
                x=[r.fractions[i]] * 2, y=[0, height], mode="lines", showlegend=False,
                line=dict(color=colour, dash="dot", width=1),
                hovertemplate=f"the oracle's best λ = {r.fractions[i]:.2g}·λ_max (F1 {f1:.2f})"
                              f"<extra>{SHORT[pen]}</extra>"), row=row, col=1)
        if r.cv:
            for rule in ("1se", "min"):
                _cv_markers(fig, r.cv[pen][rule], pen, r.cv_folds, style)
    fig.add_hline(y=r.k, line=dict(color=style.ink, dash="dot", width=1), row=1, col=1,
                  annotation_text=f"all {r.k} true", annotation_position="top left")
    lo, hi = float(np.min(r.fractions)), float(np.max(r.fractions))
    fig.update_xaxes(**lambda_axis(lo, hi, name="λ / λ_max", title_text=""), row=1, col=1)
    fig.update_xaxes(**lambda_axis(lo, hi, name="λ / λ_max"), row=2, col=1)
    fig.update_yaxes(title_text="features", rangemode="tozero", row=1, col=1)
    fig.update_yaxes(range=[-0.03, 1.05], row=2, col=1)
    return _finish(fig, style, f"{r.k} true features among {r.p}: n = {r.n}, noise sd "
                               f"{r.noise:g}, correlation {r.rho:g}", 660, title_lines=3)


def _cv_markers(fig: go.Figure, c: CVChoice, pen: str, folds: int, style: Style) -> None:
    """One CV rule's choice: true/false kept (top) and precision/recall (bottom) at the
    draws' typical λ, with a bar across the λ the draws chose."""
    colour = PENALTY_COLOURS[pen]
    x = c.typical_fraction
    bar = dict(type="data", symmetric=False, array=[float(c.fractions.max()) - x],
               arrayminus=[x - float(c.fractions.min())], color=colour, thickness=1.5,
               width=4)
    name = f"{SHORT[pen]}: CV {c.name}"
    lo, hi = f"{c.fractions.min():.2g}", f"{c.fractions.max():.2g}"
    spread = (f"chosen λ {lo}·λ_max in all {c.true_kept.size} draws" if lo == hi else
              f"chosen λ from {lo} to {hi}·λ_max over {c.true_kept.size} draws")
    points = ((1, [c.mean_true, c.mean_false], ["true kept", "false kept"], "{:.1f}"),
              (2, [c.precision, c.recall], ["precision", "recall"], "{:.2f}"))
    for row, ys, what, form in points:
        text = [f"{w} {form.format(v)}" for w, v in zip(what, ys, strict=True)]
        fig.add_trace(go.Scatter(
            x=[x, x], y=[float(v) for v in ys], mode="markers", name=name, legendgroup=name,
            showlegend=row == 1, error_x=bar, customdata=text,
            marker=dict(color=colour, symbol=[CV_SYMBOL[c.rule], CV_SYMBOL[c.rule] + "-open"],
                        size=style.marker * 1.5, line=dict(width=style.scale, color=colour)),
            hovertemplate="%{customdata} at " + c.name + f" ({folds}-fold CV)<br>" + spread
                          + "<extra>" + SHORT[pen] + "</extra>"), row=row, col=1)


def sweep_figure(s: RecoverySweep, label: str, style: Style = DEFAULT) -> go.Figure:
    """The best F1 any λ reaches as one setting varies: where recovery breaks down."""
    fig = go.Figure()
    for pen in ("l1", "elasticnet"):
        fig.add_trace(go.Scatter(
            x=s.values, y=s.best_f1[pen], mode="lines+markers", name=SHORT[pen],
            line=_line(pen, style), marker=_marker(pen, style),
            customdata=np.column_stack([s.true_kept[pen], s.false_kept[pen]]),
            hovertemplate=label + " = %{x:g}: best F1 %{y:.2f}<br>%{customdata[0]:.1f} true, "
                          "%{customdata[1]:.1f} false kept<extra>" + SHORT[pen] + "</extra>"))
    fig.add_hline(y=0.9, line=dict(color=style.ink, dash="dot", width=1),
                  annotation_text="F1 0.9", annotation_position="bottom right")
    values = [float(v) for v in s.values]
    fig.update_xaxes(title_text=label, type="log" if s.setting in ("n", "noise") else "linear",
                     tickmode="array", tickvals=values, ticktext=[f"{v:g}" for v in values])
    fig.update_yaxes(title_text="best F1 over λ", range=[0, 1.05])
    return _finish(fig, style, f"The best any λ can do, as {label} changes", 380)


# --------------------------------------------------------------------------- 4. twins
def twins_figure(b: Bootstrap, style: Style = DEFAULT) -> go.Figure:
    """Selection frequency per feature, and the twins' coefficients resample by resample."""
    i, j = b.pair
    names = plotly_names(b.feature_names)
    first, second = names[i], names[j]
    # The scatter's title and axes name the pair: shortened so a long name cannot leave the chart.
    first_s, second_s = (plotly_text(short_name(b.feature_names[k], 22)) for k in (i, j))
    kind = "fresh sample" if b.fresh else "resample"
    # A projector's larger type leaves room for fewer upright names in the half-width panel.
    shown = _twins_shown(b, TWINS_BARS_PRESENTING if style.presenting else TWINS_BARS)
    bar_title = f"share of {kind}s keeping<br>each feature (w ≠ 0)"
    if len(shown) < len(names):
        bar_title = (f"share of {kind}s keeping a feature (w ≠ 0):<br>the pair and the "
                     f"{len(shown) - 2} most kept of {len(names)}")
    fig = make_subplots(rows=1, cols=2, column_widths=[0.5, 0.5], horizontal_spacing=0.1,
                        subplot_titles=[bar_title,
                                        f"{first_s} vs<br>{second_s},<br>one point per {kind}"])
    labelled = len(shown) <= 6  # room for a percentage over each bar
    for pen in ORDER:
        freq = b.frequency(pen)[shown]
        fig.add_trace(go.Bar(
            x=[names[k] for k in shown], y=freq, name=SHORT[pen], legendgroup=pen,
            marker=dict(color=PENALTY_COLOURS[pen], pattern_shape=PATTERN[pen]),
            text=[f"{f:.0%}" for f in freq] if labelled else None, textposition="outside",
            cliponaxis=False, textfont=dict(size=round(style.font * 0.75)), textangle=-90,
            hovertemplate="%{x}: kept in %{y:.0%}<extra>" + SHORT[pen] + "</extra>"),
            row=1, col=1)
        eff = b.effects[pen][: MAX_POINTS]
        fig.add_trace(go.Scattergl(
            x=eff[:, i], y=eff[:, j], mode="markers", name=SHORT[pen], legendgroup=pen,
            showlegend=False,
            marker=dict(color=PENALTY_COLOURS[pen], symbol=SYMBOL[pen] + "-open",
                        size=style.marker * 0.8, line=dict(width=style.scale), opacity=0.7),
            hovertemplate=f"{first} %{{x:.3g}}, {second} %{{y:.3g}}<extra>{SHORT[pen]}</extra>"),
            row=1, col=2)
    fig.update_layout(barmode="group")
    # Names stand vertical unless they fit side by side in the panel (~250 px at the least).
    turn = sum(style.text_px(names[k]) + style.font for k in shown) > 250
    fig.update_xaxes(tickangle=-90 if turn else 0, row=1, col=1)
    names_px = max(style.text_px(names[k]) for k in shown) if turn else style.font * 1.4
    fig.update_yaxes(range=[0, 1.25], tickvals=[0, 0.25, 0.5, 0.75, 1], tickformat=".0%",
                     row=1, col=1)
    fig.update_xaxes(title_text=f"{first_s} (per sd)", zeroline=True, row=1, col=2)
    fig.update_yaxes(title_text=f"{second_s} (per sd)", zeroline=True, scaleanchor="x2",
                     scaleratio=1, row=1, col=2)
    return _finish(fig, style, f"Who keeps which twin? {b.n_boot} {kind}s, "
                               f"correlation {b.pair_corr:.3f}", 480, title_lines=4,
                   axis_px=max(names_px, style.font * 2.6) + style.font * 1.6)


def _twins_shown(b: Bootstrap, most: int = TWINS_BARS) -> list[int]:
    """The pair and the features kept most often (any penalty), at most ``most``, in order."""
    p = len(b.feature_names)
    if p <= most:
        return list(range(p))
    kept = np.max([b.frequency(pen) for pen in ORDER], axis=0)
    rest = [k for k in np.argsort(-kept, kind="stable") if k not in b.pair]
    return sorted([*b.pair, *(int(k) for k in rest[: most - 2])])


# --------------------------------------------------------------------------- 5. who wins
def who_wins_figure(c: Contest, style: Style = DEFAULT) -> go.Figure:
    """Relative test error per repetition, sparse truth left, dense truth right."""
    titles = []
    for truth in TRUTHS:
        wins = c.wins(truth)
        leader = max(wins, key=wins.get)
        titles.append(f"{truth} truth:<br>{SHORT[leader]} wins {wins[leader]} of "
                      f"{sum(wins.values())}")
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.05,
                        subplot_titles=titles)
    for col, truth in enumerate(TRUTHS, start=1):
        for pen in ORDER:
            fig.add_trace(go.Box(
                y=c.errors[truth][pen], name=SHORT[pen], legendgroup=pen, showlegend=col == 1,
                marker=dict(color=PENALTY_COLOURS[pen], symbol=SYMBOL[pen],
                            size=style.marker * 0.7),
                line=dict(width=style.line * 0.6), boxpoints="all", jitter=0.4, pointpos=0,
                hovertemplate="test error %{y:.3f}<extra>" + SHORT[pen] + "</extra>"),
                row=1, col=col)
    fig.add_hline(y=1.0, line=dict(color=style.ink, dash="dot", width=1),
                  annotation_text="noise floor", annotation_position="bottom right")
    fig.update_yaxes(title_text="test MSE ÷ noise variance", row=1, col=1)
    return _finish(fig, style, "Who predicts better depends on the truth", 460, title_lines=3)
