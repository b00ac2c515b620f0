"""Figures for the house-price lesson: pure functions from regviz.house results to go.Figure.

Exact zeros are always marked by a shape (an x), junk by a hatch pattern or a
dashed line, so nothing relies on colour alone.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from regviz.figures.style import (
    DEFAULT,
    PENALTY_COLOURS,
    PENALTY_LABELS,
    TEST_COLOUR,
    TRAIN_COLOUR,
    Style,
    lambda_axis,
    lambda_label,
    lambda_ticks,
    short_name,
    tick_label_chars,
    unique_labels,
)
from regviz.house import Overfit, Scaling, SeedSummary, Snapshot, fmt_lam, money
from regviz.usertext import plotly_text

R2_FLOOR = -1.0
_GREY = "#888888"


def _zero_marker(style: Style) -> dict:
    return dict(symbol="x-thin-open", size=style.marker * 1.4, color=style.ink,
                line=dict(width=2 * style.scale))


def _title(snap: Snapshot) -> str:
    """A panel's title, one count per line: on one line the two panels' titles ran into each
    other presenting at 1280 x 720 (each panel is about 270 px wide there)."""
    return (f"<b>{PENALTY_LABELS[snap.penalty]}</b>, λ = {fmt_lam(snap.lam)}<br>"
            f"real kept {snap.n_real_kept} of {snap.n_real}<br>"
            f"junk kept {snap.n_junk_kept} of {snap.n_junk}")


def _bar_rows(l1: Snapshot, l2: Snapshot, max_real: int | None) -> list[int]:
    """Columns to draw: the real ones (the largest ``max_real`` in either fit), then the junk."""
    real = np.flatnonzero(~l1.is_junk)
    if max_real is not None and len(real) > max_real:
        size = np.maximum(np.abs(l1.std_coef[real]), np.abs(l2.std_coef[real]))
        real = np.sort(real[np.argsort(-size, kind="stable")[:max_real]])
    return [*real.tolist(), *np.flatnonzero(l1.is_junk).tolist()]


def coefficient_figure(l1: Snapshot, l2: Snapshot, style: Style = DEFAULT,
                       log: bool = False, real_title: str = "real features",
                       max_real: int | None = None) -> go.Figure:
    """Standardized coefficients of both fits side by side, real features above the junk.

    ``log=True`` draws |coefficient| on a log axis (dots), so L2's tiny junk
    weights are visible; exact zeros then sit at the left edge.  With
    ``max_real``, only that many real features (the largest in either fit) are
    drawn, and the group's heading says so; every junk column is always drawn.
    """
    order = _bar_rows(l1, l2, max_real)
    labels = unique_labels(l1.feature_names, order)  # short: 60 long names squeezed the panels
    n_real = len(order) - l1.n_junk
    if n_real < l1.n_real:
        real_title = f"{real_title}: the {n_real} largest of {l1.n_real}"
    # Two header rows without data name the groups, so no label ever covers a bar.
    real_head, junk_head = f"<b>{real_title}</b>", "<b>junk: cannot matter</b>"
    rows = [real_head, *labels[:n_real], junk_head, *labels[n_real:]]
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.03,
                        subplot_titles=[_title(l1), _title(l2)])
    nonzero = np.abs(np.r_[l1.std_coef, l2.std_coef])
    nonzero = nonzero[nonzero > 0]
    lo = float(nonzero.min()) / 4 if nonzero.size else 1e-3
    hi = float(nonzero.max()) * 2 if nonzero.size else 1.0
    for col in (1, 2):  # registers the header rows as categories
        fig.add_trace(go.Scatter(x=[lo if log else 0.0] * len(rows), y=rows, mode="markers",
                                 marker=dict(opacity=0), showlegend=False, hoverinfo="skip"),
                      row=1, col=col)
    for col, snap in enumerate((l1, l2), start=1):
        _add_coefficient_panel(fig, col, snap, order, labels, lo if log else None, style)
    _coefficient_axes(fig, rows, n_real, lo, hi, log, style)
    return style.finish(fig)


def _add_coefficient_panel(fig: go.Figure, col: int, snap: Snapshot, order: list[int],
                           labels: list[str], log_floor: float | None, style: Style) -> None:
    """One penalty's panel: real and junk coefficients (bars, or dots on a log axis when
    ``log_floor`` is given) and a marker on every exact zero."""
    colour = PENALTY_COLOURS[snap.penalty]
    w = snap.std_coef[order]
    junk = snap.is_junk[order]
    full = [plotly_text(snap.feature_names[j]) for j in order]  # the hover's; rows are short
    first = col == 1
    for is_junk, label in ((False, "real feature"), (True, "junk feature")):
        sel = junk == is_junk
        ys = [lab for lab, s in zip(labels, sel, strict=True) if s]
        vals = w[sel]
        data = [[float(v), n] for v, n, s in zip(w, full, sel, strict=True) if s]
        hover = "<b>%{customdata[1]}</b>: %{customdata[0]:,.4g}<extra>" + \
                PENALTY_LABELS[snap.penalty] + "</extra>"
        if log_floor is not None:
            shown = np.where(vals != 0, np.abs(vals), np.nan)
            trace = go.Scatter(
                x=shown, y=ys, mode="markers", customdata=data, name=label,
                legendgroup=label, showlegend=first, hovertemplate=hover,
                marker=dict(color=colour, size=style.marker * 1.3,
                            symbol="diamond-open" if is_junk else "circle",
                            line=dict(width=2 * style.scale, color=colour)),
            )
        else:
            trace = go.Bar(
                x=vals, y=ys, orientation="h", customdata=data, name=label,
                legendgroup=label, showlegend=first, hovertemplate=hover,
                marker=dict(color=colour, opacity=0.55 if is_junk else 1.0,
                            pattern=dict(shape="/" if is_junk else "", solidity=0.35,
                                         fgcolor=style.ink)),
            )
        fig.add_trace(trace, row=1, col=col)
    zero_y = [lab for lab, v in zip(labels, w, strict=True) if v == 0]
    fig.add_trace(go.Scatter(
        x=[0.0 if log_floor is None else log_floor] * len(zero_y), y=zero_y, mode="markers",
        name="exactly 0 (removed)", legendgroup="zero", showlegend=first and bool(zero_y),
        marker=_zero_marker(style),
        customdata=[n for n, v in zip(full, w, strict=True) if v == 0],
        hovertemplate="<b>%{customdata}</b> is exactly 0: removed<extra></extra>",
    ), row=1, col=col)


def _coefficient_axes(fig: go.Figure, rows: list[str], n_real: int, lo: float, hi: float,
                      log: bool, style: Style) -> None:
    """Coefficient axis (linear with a zero line, or log), the rows in order, the junk shaded."""
    if log:
        fig.update_xaxes(type="log", range=[math.log10(lo) - 0.05, math.log10(hi)])
        title = "|standardized coefficient| ($ per sd), log scale"
    else:
        fig.update_xaxes(zeroline=True, zerolinewidth=2, zerolinecolor=style.ink)
        title = "standardized coefficient ($ per sd of the feature)"
    # One title under both panels: one per panel overlapped its neighbour in presentation
    # mode (each half as wide as the text).  Below the tick labels, above the legend.
    fig.add_annotation(text=title, x=0.5, xref="paper", xanchor="center", y=0, yref="paper",
                       yanchor="top", yshift=-round(style.font * 1.6 + 12), showarrow=False)
    fig.update_yaxes(categoryorder="array", categoryarray=rows, autorange="reversed",
                     automargin=True, range=[len(rows) - 0.5, -0.5])
    for col in (1, 2):
        fig.add_hrect(y0=n_real + 0.5, y1=len(rows) - 0.5, fillcolor=_GREY, opacity=0.12,
                      line_width=0, row=1, col=col)
    for ann in fig.layout.annotations[:2]:
        ann.font = dict(size=style.font)
    fig.update_layout(**style.layout(
        height=round((140 + 24 * len(rows)) * style.scale),
        barmode="overlay", bargap=0.25,
        # At the figure's foot, not a share of the plot's height: a short table's legend
        # would otherwise rise into the axis title.
        legend=dict(font=dict(size=style.font), orientation="h", x=0, y=0, yref="container",
                    yanchor="bottom"),
        margin=dict(l=style.labels_margin(rows), r=20, t=round(max(90, style.font * 4.4 + 10)),
                    b=round(max(90, style.font * 6.4 + 28))),
    ))


def _r2_range(values) -> list[float]:
    low = min(float(np.nanmin(values)), 0.0)
    return [max(low, R2_FLOOR) - 0.08, 1.08]


def overfit_curves(ov: Overfit, style: Style = DEFAULT) -> go.Figure:
    """Train and test R^2 against lambda for each penalty, with the no-penalty fit as lines."""
    pens = list(ov.curves)
    # Each panel's λ_1se result in its title: inside the plot it would cross the curves.
    titles = [f"<b>{PENALTY_LABELS[p]}</b> · λ_1se: test R² {ov.curves[p].errors().test_r2:.2f}"
              for p in pens]
    fig = make_subplots(rows=1, cols=len(pens), shared_yaxes=True, horizontal_spacing=0.05,
                        subplot_titles=titles)
    everything = [ov.ols.train_r2, ov.ols.test_r2]
    for c in ov.curves.values():
        everything += [*c.train_r2, *c.test_r2]
    yr = _r2_range(everything)
    ols_name = "no penalty (minimum-norm least squares)" if ov.min_norm else \
        "no penalty (least squares)"
    for col, pen in enumerate(pens, start=1):
        c = ov.curves[pen]
        first = col == 1
        nz = c.n_nonzero
        for ys, name, colour, dash in ((c.train_r2, "training R²", TRAIN_COLOUR, "solid"),
                                       (c.test_r2, "test R²", TEST_COLOUR, "dash")):
            fig.add_trace(go.Scatter(
                x=c.lams, y=ys, mode="lines", name=name, legendgroup=name, showlegend=first,
                line=dict(color=colour, width=style.line, dash=dash), customdata=nz,
                hovertemplate=("λ = %{x:.3g}<br>" + name + " = %{y:.3f}<br>"
                               "%{customdata} non-zero coefficients<extra></extra>"),
            ), row=1, col=col)
        for value, colour, label in ((ov.ols.train_r2, TRAIN_COLOUR, "train"),
                                     (ov.ols.test_r2, TEST_COLOUR, "test")):
            shown = max(value, yr[0] + 0.04)
            fig.add_trace(go.Scatter(
                x=[c.lams[0], c.lams[-1]], y=[shown, shown], mode="lines",
                name=f"{ols_name}: {label}", legendgroup=f"ols-{label}", showlegend=first,
                line=dict(color=colour, width=style.line * 0.8, dash="dot"),
                hovertemplate=f"no penalty, {label} R² = {value:.3f}<extra></extra>",
            ), row=1, col=col)
            if value < yr[0]:
                fig.add_annotation(
                    x=math.log10(c.lams[-1]), y=shown, xref=f"x{col if col > 1 else ''}",
                    yref="y", xanchor="right", yanchor="bottom", showarrow=False,
                    # Two short lines: on one, presenting, it ran across both panels.
                    text=f"no penalty: test R² = {value:.2f}<br>(below the chart)",
                    font=dict(size=style.font * 0.85, color=colour),
                )
        fig.add_trace(go.Scatter(
            x=[c.lambda_1se, c.lambda_1se], y=yr, mode="lines", name="λ_1se",
            legendgroup="lambda_1se", showlegend=first,
            line=dict(color=style.ink, width=1, dash="dashdot"), hoverinfo="skip",
        ), row=1, col=col)
    for col, c in enumerate(ov.curves.values(), start=1):  # each penalty on its own λ grid
        lo, hi = float(c.lams.min()), float(c.lams.max())
        ticks = lambda_ticks(lo, hi)
        if style.presenting and len(ticks) > 4:  # large text in a half-width panel: fewer ticks
            ticks = ticks[::2]
        fig.update_xaxes(**lambda_axis(lo, hi, tickvals=ticks, tickangle=0,
                                       ticktext=[lambda_label(v) for v in ticks]),
                         row=1, col=col)
    fig.update_yaxes(range=yr, title_text="R² (1 = perfect)", row=1, col=1)
    fig.update_layout(**style.layout(
        height=round(440 * style.scale),
        legend=dict(font=dict(size=style.font), orientation="h", x=0, y=-0.22, yanchor="top"),
        margin=dict(l=style.y_margin(tick_label_chars(*yr)), r=max(20, style.font), t=50,
                    b=round(max(130, style.font * 11))),
    ))
    return style.finish(fig)


def overfit_bars(ov: Overfit, style: Style = DEFAULT) -> go.Figure:
    """Training vs test R^2: no penalty, L1 at lambda_1se, L2 at lambda_1se."""
    ols_label = "no penalty<br>(min-norm least squares)" if ov.min_norm else \
        "no penalty<br>(least squares)"
    cats = [ols_label] + [f"{PENALTY_LABELS[p]}<br>at λ_1se = {fmt_lam(c.lambda_1se)}"
                          for p, c in ov.curves.items()]
    errs = [ov.ols] + [c.errors() for c in ov.curves.values()]
    train = np.array([e.train_r2 for e in errs])
    test = np.array([e.test_r2 for e in errs])
    yr = _r2_range(np.r_[train, test])
    fig = go.Figure()
    for vals, name, colour, pattern in ((train, "training R²", TRAIN_COLOUR, ""),
                                        (test, "test R²", TEST_COLOUR, "/")):
        fig.add_trace(go.Bar(
            x=cats, y=np.maximum(vals, yr[0]), name=name,
            marker=dict(color=colour, pattern=dict(shape=pattern, solidity=0.3)),
            text=[f"{v:.2f}" + (" ↓" if v < yr[0] else "") for v in vals],
            # A bar cut at the axis floor says its value inside its cut end: outside, the
            # label sat on the category's name under the axis.
            textposition=["inside" if v < yr[0] else "outside" for v in vals],
            insidetextanchor="end",
            insidetextfont=dict(color=style.text, size=style.font,
                                shadow=f"0 0 3px {style.backdrop}"),  # legible on the hatch
            cliponaxis=False, customdata=vals,
            hovertemplate="%{x}<br>" + name + " = %{customdata:.3f}<extra></extra>",
        ))
    fig.update_yaxes(range=yr, title_text="R² (1 = perfect)", zeroline=True,
                     zerolinecolor=style.ink)
    fig.update_layout(**style.layout(
        height=round(380 * style.scale), barmode="group",
        legend=dict(font=dict(size=style.font), orientation="h", x=0, y=1.02, yanchor="bottom"),
        margin=dict(l=style.y_margin(tick_label_chars(*yr)), r=20, t=max(50, style.font * 3),
                    b=round(max(70, style.font * 3.7))),
    ))
    return style.finish(fig)


_LABEL_CHARS = 23  # a slope chart's label (name, effect, spaces): the built-in's widest


def _slots(ranks: np.ndarray, shown: np.ndarray, bottom: int) -> dict[int, int]:
    """y position per feature: its rank, or its own slot below ``bottom`` if dropped."""
    pos, extra = {}, 0
    for j in sorted(shown, key=lambda j: ranks[j] if ranks[j] else np.inf):
        if ranks[j]:
            pos[j] = int(ranks[j])
        else:
            extra += 1
            pos[j] = bottom + extra
    return pos


def scaling_figure(sc: Scaling, i: int, style: Style = DEFAULT,
                   fmt: Callable[[float], str] = money, limit: int | None = None) -> go.Figure:
    """Slope chart: each feature's rank by effect size with and without standardization.

    Features set to exactly 0 go below the line, each in its own row, marked x.
    ``fmt`` writes an effect in the target's units; ``limit`` caps the features drawn.
    """
    with_std, without = sc.ranks(i)
    shown = sc.shown(i, limit)
    bottom = int(max(with_std[shown].max(initial=0), without[shown].max(initial=0)))
    left, right = _slots(with_std, shown, bottom), _slots(without, shown, bottom)
    lowest = max([*left.values(), *right.values(), bottom])
    real_colours = [style.feature_colour(k) for k in (0, 1, 2, 3, 4, 5, 7)]
    fig = go.Figure()
    if lowest > bottom:
        fig.add_hrect(y0=bottom + 0.5, y1=lowest + 0.5, fillcolor=_GREY, opacity=0.12,
                      line_width=0)
    n_real = 0
    for j in shown:
        if sc.is_junk[j]:
            colour = _GREY
        else:
            colour = real_colours[n_real % len(real_colours)]
            n_real += 1
        effects = [sc.effect_std[i, j], sc.effect_raw[i, j]]
        name = plotly_text(sc.feature_names[j])
        values = [fmt(effects[0]), fmt(effects[1])]
        # Beside the dots, with the effect, in the 1.1 x units each side leaves: the
        # built-in labels (at most 23 characters) fit at 1280 x 720 presenting, so a name
        # is shortened until its longer label is that long; the hover has it all.
        room = _LABEL_CHARS - 3 - max(map(len, values))
        short = plotly_text(short_name(sc.feature_names[j], max(8, min(20, room))))
        fig.add_trace(go.Scatter(
            x=[0, 1], y=[left[j], right[j]], mode="lines+markers+text", name=name,
            showlegend=False,
            line=dict(color=colour, width=style.line, dash="dot" if sc.is_junk[j] else "solid"),
            marker=dict(size=style.marker * 1.4, color=colour,
                        symbol=["x-thin-open" if e == 0 else "circle" for e in effects],
                        line=dict(width=2 * style.scale, color=colour)),
            text=[f"{short}  {values[0]} ", f" {values[1]}  {short}"],
            textposition=["middle left", "middle right"],
            textfont=dict(size=style.font * 0.9, color=colour),
            customdata=effects,
            hovertemplate=(f"<b>{name}</b><br>effect of +1 sd: "
                           + ("%{customdata:$,.0f}" if fmt is money else "%{customdata:,.4g}")
                           + "<extra></extra>"),
        ))
    ticks = list(range(1, lowest + 1))
    fig.update_yaxes(tickvals=ticks, ticktext=[str(t) if t <= bottom else "dropped (0)"
                                               for t in ticks], range=[lowest + 0.7, 0.3],
                     title_text="rank by effect size", showgrid=False, zeroline=False)
    fig.update_xaxes(tickvals=[0, 1], range=[-1.1, 2.1],
                     ticktext=["<b>standardized</b>", "<b>raw units</b>"], showgrid=False,
                     zeroline=False, side="top")
    tick_px = style.text_px("dropped (0)" if lowest > bottom else str(lowest))
    fig.update_layout(**style.layout(
        height=round((110 + 34 * lowest) * style.scale),
        margin=dict(l=round(max(60, tick_px + style.font + 29)), r=20,
                    t=round(max(40, style.font * 2.3)), b=20),
    ))
    return style.finish(fig)


def seeds_figure(ss: SeedSummary, style: Style = DEFAULT, highlight: int | None = None):
    """Junk columns surviving at each penalty's lambda_1se, one resample per seed."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=ss.seeds, y=ss.l2_junk_kept, mode="markers", name=PENALTY_LABELS["l2"],
        marker=dict(symbol="diamond", size=style.marker * 1.3, color=PENALTY_COLOURS["l2"]),
        hovertemplate="seed %{x}: L2 keeps %{y} junk columns<extra></extra>",
    ))
    fig.add_trace(go.Scatter(
        x=ss.seeds, y=ss.l1_junk_kept, mode="markers", name=PENALTY_LABELS["l1"],
        marker=dict(symbol="circle", size=style.marker * 1.3, color=PENALTY_COLOURS["l1"]),
        hovertemplate="seed %{x}: L1 keeps %{y} junk columns<extra></extra>",
    ))
    if highlight is not None and highlight in set(ss.seeds.tolist()):
        fig.add_vline(x=highlight, line=dict(color=style.ink, width=1, dash="dot"),
                      annotation_text="your seed", annotation_position="top")
    fig.update_yaxes(range=[-1, ss.n_junk + 1.5], title_text="junk columns kept",
                     tickvals=sorted({0, ss.n_junk // 2, ss.n_junk}))
    fig.update_xaxes(title_text="seed (a fresh draw of the data)", tickmode="array",
                     tickvals=ss.seeds)
    fig.update_layout(**style.layout(
        height=round(300 * style.scale),
        legend=dict(font=dict(size=style.font), orientation="h", x=1, xanchor="right", y=1.02,
                    yanchor="bottom"),
        margin=dict(l=style.y_margin(3), r=20, t=max(50, style.font * 3), b=style.x_margin),
    ))
    return style.finish(fig)
