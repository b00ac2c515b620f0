"""Figure layout facts, without a browser: every feature is named, every λ axis runs one way.

The path explorer's bar panel must name every feature (3, 23 and 60 of them)
as its own tick, with a row tall enough for the font, and every λ axis in
the figures owned here (paths, sparsity lab, home previews) must be a log
scale with λ decreasing to the right, titled by the one helper.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from regviz import datasets
from regviz import experiments as ex
from regviz.data import design_matrix
from regviz.figures import experiments as figs
from regviz.figures import previews
from regviz.figures.paths import path_explorer_figure, wrap_call
from regviz.figures.style import (
    LAMBDA_DIRECTION,
    Style,
    lambda_axis,
    lambda_ticks,
    tick_label_chars,
)
from regviz.paths import explore
from regviz.usertext import plotly_text

STYLES = [Style(), Style(scale=1.6, dark=True)]


def _wide(p: int):
    rng = np.random.default_rng(p)
    X = rng.standard_normal((90, p))
    y = X[:, : min(3, p)].sum(axis=1) + rng.standard_normal(90)
    names = [f"x<{j}>" if j % 5 else f"a_rather_long_column_name_number_{j:02d}"
             for j in range(p)]
    return X, y, names


@pytest.fixture(scope="module", params=[3, 23, 60], ids=lambda p: f"{p}-features")
def exploration(request):
    if request.param == 23:
        ds = datasets.load("house_prices")
        d = design_matrix(ds.frame, ds.target)
        X, y, names = d.X, d.y, list(d.feature_names)
    else:
        X, y, names = _wide(request.param)
    assert len(names) == request.param
    return explore(X, y, names, penalty="l1", l1_ratio=1.0, standardize=True, seed=0)


def _bar_axis(fig: go.Figure):
    bars = next(t for t in fig.data if t.type == "bar")
    return bars, fig.layout[f"yaxis{bars.yaxis[1:]}"]


@pytest.mark.parametrize("style", STYLES, ids=["laptop", "presenting"])
def test_every_feature_has_its_own_named_row_in_the_bar_panel(exploration, style):
    fig = path_explorer_figure(exploration, style)
    bars, axis = _bar_axis(fig)
    names = exploration.feature_names
    assert len(bars.y) == len(names) == len(set(bars.y))
    assert list(axis.tickvals) == list(bars.y) == list(axis.ticktext)
    # Each label is the escaped name (or a recognisable shortening of it).
    for label, name in zip(bars.y, names, strict=True):
        assert label == plotly_text(name) or ("…" in label and label[:5] == name[:5])
    # The panel gives each row at least the font's height and a half: no label can share a row.
    plot_h = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    row_px = (axis.domain[1] - axis.domain[0]) * plot_h / len(names)
    assert row_px >= 1.5 * style.font
    # Hover text names the feature in full, escaped.
    assert list(bars.customdata) == [plotly_text(n) for n in names]


def _lambda_axes(fig: go.Figure) -> list:
    """Axes whose title follows the λ convention."""
    layout = fig.layout
    axes = [layout[k] for k in layout if k.startswith("xaxis") and layout[k] is not None]
    return [a for a in axes if a.title.text and LAMBDA_DIRECTION in a.title.text]


def _decreases_to_the_right(axis) -> bool:
    if axis.autorange == "reversed":
        return True
    return axis.range is not None and axis.range[0] > axis.range[1]


def _assert_lambda_axes(fig: go.Figure, expected: int) -> None:
    axes = _lambda_axes(fig)
    assert len(axes) >= expected
    for axis in axes:
        assert _decreases_to_the_right(axis), axis.title.text
        if axis.tickvals is not None and axis.type == "log":
            assert all(v > 0 for v in axis.tickvals)


def test_path_explorer_lambda_axes_decrease_to_the_right(exploration):
    fig = path_explorer_figure(exploration)
    _assert_lambda_axes(fig, 1)
    # The path panel and the error panel share one range; λ_max sits at the left end.
    assert tuple(fig.layout.xaxis.range) == tuple(fig.layout.xaxis2.range)
    assert fig.layout.xaxis.range[0] >= np.log10(exploration.path.lams.max())
    # The OLS end is a named tick at the right.
    if exploration.ols_coef is not None:
        assert fig.layout.xaxis2.ticktext[-1] == "OLS"
        assert fig.layout.xaxis2.tickvals[-1] == min(fig.layout.xaxis2.tickvals)


@pytest.fixture(scope="module")
def truth():
    ds = datasets.load("sparse_truth")
    return design_matrix(ds.frame, ds.target)


def test_sparsity_lambda_axes_decrease_to_the_right(truth):
    z = ex.zeros_vs_lambda(truth.X, truth.y, l1_ratio=0.5, standardize=True)
    fig = figs.zeros_figure(z)
    _assert_lambda_axes(fig, 1)
    assert fig.layout.xaxis.range[0] > fig.layout.xaxis.range[1]  # the top panel too
    rec = ex.support_recovery(60, noise=1.0, rho=0.0, l1_ratio=0.5, seed=0)
    fig = figs.recovery_figure(rec)
    _assert_lambda_axes(fig, 1)
    assert fig.layout.xaxis.range[0] > fig.layout.xaxis.range[1]


def test_previews_draw_lambda_decreasing_to_the_right(truth):
    for fig in (previews.path_preview(truth.X, truth.y), previews.sparsity_preview(truth.X,
                                                                                    truth.y)):
        assert _decreases_to_the_right(fig.layout.xaxis)
        assert "decreasing →" in fig.layout.xaxis.title.text


def test_lambda_ticks_are_real_values_inside_the_range():
    for lo, hi in [(0.01, 100), (25, 400), (1e-6, 1e4), (7, 7.5), (3e-3, 0.9)]:
        ticks = lambda_ticks(lo, hi)
        assert 2 <= len(ticks) <= 8
        assert all(lo * (1 - 1e-9) <= t <= hi * (1 + 1e-9) for t in ticks)
        assert ticks == sorted(set(ticks))
    axis = lambda_axis(0.01, 100)
    assert axis["type"] == "log" and axis["range"][0] > axis["range"][1]
    assert lambda_axis()["autorange"] == "reversed"


def test_sweep_axis_labels_the_values_swept():
    sweep = ex.recovery_sweep("n", [25, 50, 100], n=50, noise=1.0, rho=0.0, l1_ratio=0.5,
                              seed=0)
    fig = figs.sweep_figure(sweep, "rows n")
    assert list(fig.layout.xaxis.tickvals) == [25, 50, 100]
    assert list(fig.layout.xaxis.ticktext) == ["25", "50", "100"]


def test_scikit_learn_call_wraps_without_losing_a_character():
    call = "ElasticNet(alpha=9.836e+04, l1_ratio=0.3333)"
    lines = wrap_call(call, width=20)
    assert all(len(line) <= 20 for line in lines[1:])
    assert "".join(line.strip() for line in lines).replace(",", ", ") == call
    assert wrap_call("Lasso(alpha=7)", width=20) == ["Lasso(alpha=7)"]


def test_twins_chart_names_the_pair_and_says_when_it_shows_a_subset():
    X, y, names = _wide(30)
    X[:, 1] = X[:, 0] + 0.01 * np.random.default_rng(1).standard_normal(90)
    boot = ex.bootstrap_selection(X, y, names, l1_ratio=0.5, standardize=True, seed=0,
                                  n_boot=20)
    fig = figs.twins_figure(boot)
    shown = list(fig.data[0].x)
    assert len(shown) == figs.TWINS_BARS
    assert {plotly_text(names[j]) for j in boot.pair} <= set(shown)
    assert f"of {len(names)}" in fig.layout.annotations[0].text


@pytest.mark.parametrize("style", STYLES, ids=["laptop", "presenting"])
def test_logistic_explorer_keeps_the_layout_and_names_the_log_loss(style):
    from regviz.datasets_classification import breast_cancer
    from regviz.paths_logistic import explore_logistic

    ds = breast_cancer()
    X = ds.frame.drop(columns=ds.target).to_numpy(dtype=float)
    y = (ds.frame[ds.target] == "malignant").to_numpy(dtype=float)
    names = [c for c in ds.frame.columns if c != ds.target]
    result = explore_logistic(X, y, names, penalty="elasticnet", l1_ratio=0.5, seed=0)
    fig = path_explorer_figure(result, style)
    go.Figure(fig.to_dict())  # the frames and slider validate in full
    bars, axis = _bar_axis(fig)
    assert list(bars.y) == list(axis.tickvals) and len(bars.y) == len(names)
    _assert_lambda_axes(fig, 1)
    assert "OLS" not in list(fig.layout.xaxis2.ticktext)  # no λ = 0 end for a classifier
    labels = [t.name for t in fig.data if t.name] + [fig.layout.yaxis2.title.text]
    assert not any("MSE" in text or "squared" in text for text in labels)
    assert "mean log-loss" in labels and "train log-loss" in labels
    assert len(fig.frames) == len(result.path.lams)


@pytest.mark.parametrize("lo, hi, widest", [
    (2800.0, 6100.0, "6000"), (-44.0, 44.0, "−40"), (0.1, 0.69, "0.65"), (-3.5, 3.5, "−3.5"),
    (2e9, 9e9, "8B"), (3e4, 8e4, "80k"), (-0.002, 0.003, "−0.002"), (0.0, 0.0, "0"),
])
def test_tick_label_estimate_is_at_least_plotlys_widest_label(lo, hi, widest):
    """An underestimate makes plotly widen the margin and draw the figure twice."""
    assert tick_label_chars(lo, hi) >= len(widest)
    assert tick_label_chars(lo, hi) <= len(widest) + 3  # and not a wide empty margin


@pytest.mark.parametrize("style", STYLES, ids=["laptop", "presenting"])
def test_path_explorer_margin_fits_its_tick_labels_and_bar_names(exploration, style):
    """The left margin covers the y panels' widest tick label and every bar name."""
    fig = path_explorer_figure(exploration, style)
    labels = list(fig.layout.yaxis3.ticktext)
    assert fig.layout.margin.l >= max(style.text_px(t) for t in labels) + style.font
    assert fig.layout.margin.l >= style.text_px("0000") + 48


@pytest.mark.parametrize("style", STYLES, ids=["laptop", "presenting"])
def test_names_are_measured_as_plotly_draws_them_not_escaped(style):
    """``&lt;`` is one character on screen: counted as four, a column named with HTML
    widened the paths chart's margin until its readout and buttons left the chart."""
    raw = "Q17 <outdoors> & <b>sports</b>"
    assert style.text_px(plotly_text(raw)) == pytest.approx(style.text_px("x" * len(raw)))
    assert style.text_px("<b>bold</b>") == pytest.approx(style.text_px("bold"))
    assert style.labels_margin([plotly_text("<<<<>>>>" * 3)]) == style.labels_margin(["x" * 24])


def test_presenting_the_bars_names_are_shorter_but_every_built_in_name_stays_whole():
    """The names set the whole figure's left margin; on a projector every pixel of the path
    panel counts, so long uploaded names are cut at 23 characters, the built-ins' longest."""
    from regviz import datasets_classification as dc

    cancer = dc.BUILTIN_CLASSIFICATION["breast_cancer"]().frame.columns
    assert max(len(c) for c in cancer) == 23
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 3))
    y = X @ np.array([1.0, -1.0, 0.5]) + rng.standard_normal(60)
    names = ["b" * 23, "survey question 17: hours a week outdoors", "x"]
    ex = explore(X, y, names, penalty="l1", l1_ratio=1.0, standardize=True, seed=0)
    for style, limit in ((Style(), 28), (Style(scale=1.6), 23)):
        ticks = list(path_explorer_figure(ex, style).layout.yaxis3.ticktext)
        assert "b" * 23 in ticks and "x" in ticks
        assert max(len(t) for t in ticks) == limit
