"""Small live previews for the home page: one glance at each lesson's message.

Each is computed by the solver on built-in data (nothing is drawn by hand),
small and static so the home page stays fast.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from regviz.api import fit, path
from regviz.figures.style import DEFAULT, L1_COLOUR, L2_COLOUR, Style, lambda_axis


def _small(fig: go.Figure, style: Style, title: str, x_title: str = "",
           y_title: str = "") -> go.Figure:
    """A glance, not a chart to read values from: no ticks, but each axis says what it is."""
    f = style.font
    small = dict(size=round(f * 0.85))
    fig.update_layout(**style.layout(
        height=round(230 * style.scale), showlegend=False,
        margin=dict(l=round(f * 1.8) if y_title else 10, r=10, t=round(f * 2.6),
                    b=round(f * 1.9) if x_title else 10),
        title=dict(text=title, font=dict(size=f), x=0.02),
    ))
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False,
                     title=dict(text=x_title, font=small, standoff=4))
    fig.update_yaxes(showticklabels=False, showgrid=False, zeroline=False,
                     title=dict(text=y_title, font=small, standoff=4))
    return fig


def _lambda_preview_axis(fig: go.Figure, lams: np.ndarray) -> None:
    axis = lambda_axis(float(np.min(lams)), float(np.max(lams)), showticklabels=False)
    del axis["title_text"]  # _small sets the title at the preview's small size
    fig.update_xaxes(**axis)


def path_preview(X: np.ndarray, y: np.ndarray, style: Style = DEFAULT) -> go.Figure:
    """Lasso path lines: coefficients leave zero one by one as lambda falls."""
    p = path(X, y, penalty="l1", n_lams=40)
    fig = go.Figure()
    for j in range(p.std_coefs.shape[1]):
        fig.add_trace(go.Scatter(x=p.lams, y=p.std_coefs[:, j], mode="lines", hoverinfo="skip",
                                 line=dict(color=style.feature_colour(j), width=style.line * 0.7,
                                           dash=style.feature_dash(j))))
    _small(fig, style, "Coefficient paths", "λ (decreasing →)", "coefficient")
    _lambda_preview_axis(fig, p.lams)
    return fig


def geometry_preview(style: Style = DEFAULT) -> go.Figure:
    """Diamond and circle of the same size and where a tilted loss first touches each."""
    rng = np.random.default_rng(3)
    n = 200
    base = rng.standard_normal((n, 2))
    X = base @ np.linalg.cholesky([[1.0, 0.5], [0.5, 1.0]]).T
    y = X @ [1.6, 0.55] + 0.4 * rng.standard_normal(n)
    lam = 0.6
    l1 = fit(X, y, penalty="l1", lam=lam, standardize=False, fit_intercept=False).coef
    t1 = np.abs(l1).sum()
    # The ridge solution whose circle has the same radius as the diamond's budget.
    lams = np.geomspace(10, 1e-4, 200)
    l2_path = path(X, y, penalty="l2", lams=lams, standardize=False, fit_intercept=False).coefs
    l2 = l2_path[np.argmin(np.abs(np.linalg.norm(l2_path, axis=1) - t1))]
    theta = np.linspace(0, 2 * np.pi, 200)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[t1, 0, -t1, 0, t1], y=[0, t1, 0, -t1, 0], mode="lines",
                             line=dict(color=L1_COLOUR, width=style.line), fill="toself",
                             fillcolor="rgba(213,94,0,0.12)", hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=t1 * np.cos(theta), y=t1 * np.sin(theta), mode="lines",
                             line=dict(color=L2_COLOUR, width=style.line, dash="dash"),
                             hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=[l1[0], l2[0]], y=[l1[1], l2[1]], mode="markers",
                             marker=dict(color=[L1_COLOUR, L2_COLOUR], size=style.marker * 1.2,
                                         symbol=["diamond", "circle"]), hoverinfo="skip"))
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    return _small(fig, style, "Corners make zeros", "w₁", "w₂")


def sparsity_preview(X: np.ndarray, y: np.ndarray, style: Style = DEFAULT) -> go.Figure:
    """Count of exact zeros against lambda: L1 climbs, L2 stays at zero."""
    fig = go.Figure()
    lams = []
    for penalty, colour in (("l1", L1_COLOUR), ("l2", L2_COLOUR)):
        p = path(X, y, penalty=penalty, n_lams=40)
        zeros = np.count_nonzero(p.coefs == 0, axis=1)
        fig.add_trace(go.Scatter(x=p.lams, y=zeros, mode="lines",
                                 line=dict(color=colour, width=style.line,
                                           dash="solid" if penalty == "l1" else "dash"),
                                 hoverinfo="skip"))
        lams.append(p.lams)
    _small(fig, style, "Exact zeros: L1 vs L2", "λ (decreasing →)", "exact zeros")
    _lambda_preview_axis(fig, np.concatenate(lams))
    return fig


def junk_preview(X: np.ndarray, y: np.ndarray, junk: np.ndarray, lam_l1: float,
                 lam_l2: float, style: Style = DEFAULT) -> go.Figure:
    """How many junk columns each penalty keeps at the given lambdas."""
    kept = []
    for penalty, lam in (("l1", lam_l1), ("l2", lam_l2)):
        coef = fit(X, y, penalty=penalty, lam=lam).coef
        kept.append(int(np.count_nonzero(coef[junk])))
    fig = go.Figure(go.Bar(x=["L1", "L2"], y=kept, marker_color=[L1_COLOUR, L2_COLOUR],
                           text=[f"{k} of {int(junk.sum())}" for k in kept],
                           textposition="outside", hoverinfo="skip"))
    fig.update_yaxes(range=[0, max(kept + [1]) * 1.35])
    _small(fig, style, "Junk features kept", "", "junk kept")
    # Plotly keeps room for the hidden category axis (22 px at font 13); a smaller margin
    # it would widen, drawing the preview twice.
    return fig.update_layout(margin_b=round(style.font * 1.9))
