"""Figures for the diagnosis lesson and classification CV: pure functions to go.Figure.

Each penalty keeps its colour from regviz.figures.style; the nearly unpenalized
model is drawn in neutral grey.  Every number on a figure is read off the
result it is given.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from regviz.classification_cv import ClassificationCV
from regviz.diagnosis import CohortResult, DiagnosisStudy
from regviz.figures.style import (
    CV_COLOUR,
    DEFAULT,
    PENALTY_COLOURS,
    TEST_COLOUR,
    TRAIN_COLOUR,
    Style,
    lambda_axis,
)

MODELS = ("l1", "l2", "none")
MODEL_LABELS = {"l1": "L1 at CV λ", "l2": "L2 at CV λ", "none": "(nearly) no penalty"}
NONE_COLOUR = "#999999"


def _colour(key: str) -> str:
    return PENALTY_COLOURS.get(key, NONE_COLOUR)


def accuracy_figure(study: DiagnosisStudy, style: Style = DEFAULT) -> go.Figure:
    """Test accuracy and AUC per cohort, paired across models, with the mean over cohorts."""
    fig = make_subplots(rows=1, cols=2, subplot_titles=("Test accuracy", "Test AUC"))
    labels = [MODEL_LABELS[k] for k in MODELS]
    for col, attr in ((1, "test_accuracy"), (2, "test_auc")):
        for c in study.cohorts:  # one thin grey line per cohort: the comparison is paired
            fig.add_trace(go.Scatter(
                x=labels, y=[getattr(c, attr)[k] for k in MODELS], mode="lines",
                line=dict(color="rgba(150,150,150,0.5)", width=1), showlegend=False,
                hoverinfo="skip"), row=1, col=col)
        for key, label in zip(MODELS, labels, strict=True):
            values = [getattr(c, attr)[key] for c in study.cohorts]
            fig.add_trace(go.Scatter(
                x=[label] * len(values), y=values, mode="markers", showlegend=False,
                marker=dict(color=_colour(key), size=style.marker, opacity=0.6),
                hovertemplate=f"{label}: %{{y:.3f}}<extra>cohort</extra>"), row=1, col=col)
            fig.add_trace(go.Scatter(
                x=[label], y=[float(np.mean(values))], mode="markers", showlegend=False,
                marker=dict(color=_colour(key), size=2 * style.marker, symbol="line-ew-open",
                            line=dict(width=3 * style.scale, color=_colour(key))),
                hovertemplate=f"{label}: mean %{{y:.3f}}<extra></extra>"), row=1, col=col)
    fig.update_yaxes(tickformat=".0%", row=1, col=1)
    # Two short lines, level: presenting, plotly tilted the one-line names and the left
    # panel's last one ran under the right panel's first.
    ticks = [_two_lines(label) for label in labels]
    fig.update_xaxes(tickangle=0, tickvals=labels, ticktext=ticks)
    widest = max((line for t in ticks for line in t.split("<br>")), key=len)
    # The last category's label overhangs the right panel by half its width.
    fig.update_layout(**style.layout(height=round(380 * style.scale), margin=dict(
        l=style.y_margin(4), t=60,
        r=round(max(20, style.text_px(widest) / 2 + 20)),
        b=round(style.x_margin + style.font * 1.3))))
    return style.finish(fig)


def _two_lines(label: str) -> str:
    """``label`` broken at its middle space: "(nearly)<br>no penalty"."""
    words = label.split(" ")
    cut = max(1, len(words) // 2)
    return " ".join(words[:cut]) + "<br>" + " ".join(words[cut:]) if len(words) > 1 else label


def support_figure(cohort: CohortResult, style: Style = DEFAULT) -> go.Figure:
    """Which markers each model uses, against the true drivers, along the marker index."""
    kept = np.array(cohort.l1_support, dtype=int)
    drivers = np.array(cohort.drivers, dtype=int)
    hit = np.isin(kept, drivers)
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=[0, cohort.p - 1], y=["L2 uses"] * 2, mode="lines",
        line=dict(color=PENALTY_COLOURS["l2"], width=8 * style.scale),
        name=(f"L2: all {cohort.p:,} markers with a non-zero weight"
              if cohort.l2_used == cohort.p else
              f"L2: {cohort.l2_used:,} of {cohort.p:,} markers with a non-zero weight"),
        hoverinfo="skip"))
    fig.add_trace(go.Scatter(
        x=kept[hit] + 1, y=["L1 keeps"] * int(hit.sum()), mode="markers",
        marker=dict(color=PENALTY_COLOURS["l1"], size=1.5 * style.marker, symbol="circle"),
        name=f"L1 keeps a driver ({int(hit.sum())})",
        hovertemplate="marker %{x}<extra>driver kept</extra>"))
    fig.add_trace(go.Scatter(
        x=kept[~hit] + 1, y=["L1 keeps"] * int((~hit).sum()), mode="markers",
        marker=dict(color=PENALTY_COLOURS["l1"], size=style.marker, symbol="x"),
        name=f"L1 keeps a non-driver ({int((~hit).sum())})",
        hovertemplate="marker %{x}<extra>not a driver</extra>"))
    fig.add_trace(go.Scatter(
        x=drivers + 1, y=["true drivers"] * drivers.size, mode="markers",
        marker=dict(color=style.ink, size=1.5 * style.marker, symbol="diamond"),
        name=f"true drivers ({drivers.size})", hovertemplate="marker %{x}<extra>driver</extra>"))
    fig.update_xaxes(title_text="marker", range=[0, cohort.p + 1])
    rows = ["L2 uses", "L1 keeps", "true drivers"]
    fig.update_yaxes(categoryorder="array", categoryarray=rows)
    # Margins that hold the row names and the legend's rows under the axis: plotly would
    # widen smaller ones and draw the chart twice on first paint.
    # Presenting, the legend's type grows with the mode (Style.finish) and its four entries
    # take a row each in a laptop-wide column: the figure grows by those rows, the plot
    # keeps its height, and the legend starts under the axis title.
    legend_rows = 4 if style.presenting else 1
    plot, axis_px = round(130 * style.scale), round(style.font * 3.2 + 8)
    bottom = axis_px + legend_rows * round(style.font * 2.1) + 14
    fig.update_layout(**style.layout(
        height=plot + 40 + bottom,
        legend=dict(orientation="h", x=0, xanchor="left", y=-axis_px / plot, yanchor="top"),
        margin=dict(l=style.labels_margin(rows), r=34, t=40, b=bottom)))
    return style.finish(fig)


def overfitting_figure(study: DiagnosisStudy, style: Style = DEFAULT) -> go.Figure:
    """Training against test accuracy for each model: the gap the penalty closes (or not)."""
    labels = [MODEL_LABELS[k] for k in MODELS]
    fig = go.Figure()
    for attr, name, colour in (("train_accuracy", "training patients", TRAIN_COLOUR),
                               ("test_accuracy", "new patients", TEST_COLOUR)):
        fig.add_trace(go.Bar(
            x=labels, y=[study.mean(attr, k) for k in MODELS], name=name,
            marker_color=colour, texttemplate="%{y:.1%}", textposition="outside",
            hovertemplate=f"{name}: %{{y:.1%}}<extra>mean over cohorts</extra>"))
    fig.update_yaxes(tickformat=".0%", range=[0, 1.12], title_text="accuracy")
    fig.update_layout(**style.layout(
        barmode="group", height=round(360 * style.scale),
        legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom"),
        margin=dict(l=style.y_margin(5), r=20, t=60, b=style.x_margin)))
    return style.finish(fig)


def classification_cv_figure(cv: ClassificationCV, style: Style = DEFAULT) -> go.Figure:
    """Held-out log-loss ± 1 SE against λ with λ_min and λ_1se; accuracy and AUC below."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        row_heights=[0.6, 0.4])
    lams = cv.lams
    fig.add_trace(go.Scatter(
        x=lams, y=cv.mean, mode="lines+markers", name="CV log-loss",
        line=dict(color=CV_COLOUR, width=style.line), marker=dict(size=style.marker / 2),
        error_y=dict(type="data", array=cv.se, visible=True, thickness=1),
        hovertemplate="λ=%{x:.3g}<br>log-loss %{y:.4f}<extra></extra>"), row=1, col=1)
    for idx, name, dash in ((cv.idx_min, "λ_min", "dash"), (cv.idx_1se, "λ_1se", "dot")):
        fig.add_vline(x=float(lams[idx]), line=dict(color=style.ink, dash=dash, width=1))
        fig.add_annotation(x=float(np.log10(lams[idx])), y=1.0, yref="y domain", text=name,
                           showarrow=False, yanchor="bottom", row=1, col=1)
    fig.add_trace(go.Scatter(
        x=lams, y=cv.accuracy, mode="lines", name="CV accuracy",
        line=dict(color=TRAIN_COLOUR, width=style.line),
        hovertemplate="λ=%{x:.3g}<br>accuracy %{y:.1%}<extra></extra>"), row=2, col=1)
    fig.add_trace(go.Scatter(
        x=lams, y=cv.auc, mode="lines", name="CV AUC",
        line=dict(color=TEST_COLOUR, width=style.line, dash="dash"),
        hovertemplate="λ=%{x:.3g}<br>AUC %{y:.3f}<extra></extra>"), row=2, col=1)
    fig.update_xaxes(**lambda_axis(float(lams.min()), float(lams.max())), row=2, col=1)
    fig.update_xaxes(**lambda_axis(float(lams.min()), float(lams.max()), title_text=""),
                     row=1, col=1)
    fig.update_yaxes(title_text="held-out log-loss", row=1, col=1)
    fig.update_yaxes(title_text="accuracy / AUC", row=2, col=1)
    fig.update_layout(**style.layout(height=round(480 * style.scale)))
    return style.finish(fig)
