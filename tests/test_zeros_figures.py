"""The zeros page's figures stay legible when presenting: wrapped panel titles and dataset
names, legends in type that grows with the mode, and the two λ lines named in the legend.

At 1280 x 720 in presentation mode the four optimizers' titles ran into one another, the
speed chart's tilted dataset names overlapped, and the labels "lowest test error" and
"λ_min (CV)" sat on top of each other whenever the two λ were close (at 1366 x 900 too).
"""

from __future__ import annotations

import numpy as np
import pytest

from regviz import geometry as geo
from regviz import optimizers as opt
from regviz import tradeoff as tr
from regviz.figures import optimizers as fo
from regviz.figures.style import Style, wrap_words
from regviz.penalties import L1
from regviz.solvers import lambda_max

LAPTOP, PRESENTING = Style(), Style(scale=1.6)


@pytest.mark.parametrize("text, width", [
    ("Proximal gradient, ISTA (L1)", 12), ("Correlated twins", 10), ("Diabetes", 10),
    ("Your uploaded data", 10), ("a verylongsingleword b", 5), ("", 4)])
def test_wrap_words_keeps_every_word_in_order_within_the_width(text, width):
    lines = wrap_words(text, width).split("<br>") if text else []
    assert " ".join(lines) == " ".join(text.split())
    for line in lines:  # a word longer than the width keeps a line of its own
        assert len(line) <= width or " " not in line
    # Greedy: no line could have taken the next line's first word.
    for line, after in zip(lines, lines[1:], strict=False):
        assert len(line) + 1 + len(after.split()[0]) > width


def _titles(spec: dict, count: int) -> list[str]:
    return [a["text"] for a in spec["layout"]["annotations"][:count]]


@pytest.fixture(scope="module")
def race():
    problem = geo.problem_of(geo.make_data(np.array([2.0, 0.4]), 0.6, 0.5))
    return opt.race(problem, 0.5 * lambda_max(problem, L1()), steps=8)


def test_the_four_optimizers_titles_wrap_when_presenting_and_the_margin_holds_them(race):
    labels = [label for _, label, _ in fo.METHODS]
    laptop = fo.optimizer_figure(race.runs, race.exact, race.contours, LAPTOP).to_dict()
    assert _titles(laptop, 4) == labels  # one line each where a quarter of the column fits
    shown = fo.optimizer_figure(race.runs, race.exact, race.contours, PRESENTING).to_dict()
    titles = _titles(shown, 4)
    assert [t.replace("<br>", " ") for t in titles] == labels
    assert any("<br>" in t for t in titles)
    assert all(len(line) <= 12 for t in titles for line in t.split("<br>"))
    lines = max(t.count("<br>") + 1 for t in titles)
    font = PRESENTING.font
    # The legend's row, the titles' lines and a gap above the panels.
    assert shown["layout"]["margin"]["t"] >= font * 0.85 * 1.9 + lines * font * 1.3 + font


def _speed_rows(levels: list[str]) -> list[opt.SpeedRow]:
    run = opt.Run(v=np.zeros(2), sweeps=3, seconds=0.0, kkt=0.0, converged=True)
    return [opt.SpeedRow(level=level, lam_l1=1.0, lam_l2=1.0, train_mse=1.0, l1=run, l2=run,
                         exact_l1_seconds=0.0, exact_l2_seconds=0.0, nonzero_l1=1)
            for level in levels]


def test_speed_chart_dataset_names_wrap_when_presenting():
    tables = {name: _speed_rows(["strong", "weak"])
              for name in ("Diabetes", "Correlated twins", "Your uploaded data")}
    laptop = fo.speed_figure(tables, LAPTOP).to_dict()
    assert set(laptop["data"][0]["x"][0]) == set(tables)
    shown = fo.speed_figure(tables, PRESENTING).to_dict()
    names = shown["data"][0]["x"][0]
    assert {n.replace("<br>", " ") for n in names} == set(tables)
    assert "Correlated<br>twins" in names and "Diabetes" in names
    assert shown["data"][0]["x"][1] == laptop["data"][0]["x"][1]  # the levels unchanged


@pytest.fixture(scope="module")
def tradeoff_results():
    truth = tr.make_truth("sparse", seed=0)
    return [tr.bias_variance(truth, pen, reps=4, n_lams=8, seed=0) for pen in ("l1", "l2")]


def test_the_two_lambda_lines_are_named_once_in_the_legend_not_by_labels(tradeoff_results):
    spec = fo.bias_variance_figure(tradeoff_results, PRESENTING).to_dict()
    for name, lam_of in (("lowest test error", lambda r: r.lams[r.best]),
                         ("λ_min (CV)", lambda r: r.lambda_cv)):
        lines = [t for t in spec["data"] if t.get("name") == name]
        assert len(lines) == len(tradeoff_results)  # one per panel
        assert [t.get("showlegend") for t in lines] == [True] + [False] * (len(lines) - 1)
        for trace, result in zip(lines, tradeoff_results, strict=True):
            assert trace["mode"] == "lines" and "text" not in trace
            assert list(trace["x"]) == [pytest.approx(lam_of(result))] * 2
    assert not any("text" in t.get("mode", "") for t in spec["data"])


@pytest.mark.parametrize("build", ["shrink", "race", "speed", "tradeoff"])
def test_zeros_page_legends_grow_with_presentation_mode(build, race, tradeoff_results):
    def legend_font(style: Style) -> float:
        fig = {
            "shrink": lambda: fo.shrinkage_figure(np.array([1.0]), 0.5,
                                                  np.linspace(-3.0, 3.0, 13), 0, 6, style),
            "race": lambda: fo.optimizer_figure(race.runs, race.exact, race.contours, style),
            "speed": lambda: fo.speed_figure({"Diabetes": _speed_rows(["weak"])}, style),
            "tradeoff": lambda: fo.bias_variance_figure(tradeoff_results, style),
        }[build]()
        legend = fig.to_dict()["layout"]["legend"]
        assert legend["yref"] == "container" and legend["yanchor"] == "top"
        return legend["font"]["size"]

    assert legend_font(PRESENTING) > 1.5 * legend_font(LAPTOP)


def test_finish_sizes_a_legend_left_to_the_theme_and_keeps_one_set_by_its_figure():
    import plotly.graph_objects as go

    for style in (LAPTOP, PRESENTING):
        free = style.finish(go.Figure(go.Scatter(x=[1], y=[1], name="a")))
        assert free.layout.legend.font.size == round(style.font * 0.85)
        fixed = go.Figure(go.Scatter(x=[1], y=[1], name="a"), layout=dict(legend_font_size=9))
        assert style.finish(fixed).layout.legend.font.size == 9


def test_presenting_is_what_the_app_sets_for_a_projector():
    """Every figure's projector layout asks Style.presenting: true at the app's presentation
    scale, false at a laptop's, whatever PRESENTATION_SCALE is tuned to."""
    from ui.common import PRESENTATION_SCALE

    assert Style(scale=PRESENTATION_SCALE).presenting
    assert not Style(scale=1.0).presenting
    assert Style(scale=PRESENTATION_SCALE, dark=True).presenting
