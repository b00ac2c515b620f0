"""The "How the zeros are made" page: every part opens, plays frames, and its captions state
numbers that match the library's own results."""

from __future__ import annotations

import re

import numpy as np
import pytest

from regviz import geometry as geo
from regviz import optimizers as opt
from regviz.penalties import L1
from regviz.solvers import lambda_max
from tests.apptest import captions, charts, run_page
from ui import datasets


def test_one_coefficient_part_scrubs_z_and_lambda_in_the_browser_and_states_the_dead_zone():
    at = run_page("zeros-made", query={"part": "shrink"})
    spec = charts(at)["zeros_shrink"]
    z_steps, lam_steps = (slider["steps"] for slider in spec["layout"]["sliders"])
    assert len(spec["frames"]) == len(z_steps) > 20
    assert all(s["args"][1]["frame"]["redraw"] is False for s in z_steps)
    assert len(lam_steps) > 5 and all(s["method"] == "update" for s in lam_steps)
    assert spec["layout"]["sliders"][1]["steps"][spec["layout"]["sliders"][1]["active"]][
        "label"] == "1"
    lams = [float(s["label"]) for s in lam_steps]
    m = re.search(r"shaded dead zone: ([\d.]+) wide on each side at λ = ([\d.]+), ([\d.]+) at "
                  r"λ = ([\d.]+)", captions(at))
    assert m and float(m.group(2)) == min(lams) and float(m.group(4)) == max(lams)
    assert float(m.group(1)) == pytest.approx(min(lams) / 2, rel=1e-3)
    assert float(m.group(3)) == pytest.approx(max(lams) / 2, rel=1e-3)
    assert not [s for s in at.slider if s.label == "λ"]  # λ no longer reruns the page
    assert at.latex


def test_optimizer_race_part_reports_the_zeros_each_method_reached():
    at = run_page("zeros-made", query={"part": "race"})
    spec = charts(at)["zeros_race"]
    assert len(spec["frames"]) == 41
    text = captions(at)
    problem = geo.problem_of(geo.make_data(np.array([2.0, 0.4]), 0.6, 0.5, seed=0))
    r = opt.race(problem, 0.5 * lambda_max(problem, L1()), start=(0.0, 1.5), steps=40)
    assert r.runs["ista"][-1][1] == 0.0
    assert "Proximal gradient, ISTA (L1): 1 of 2 coordinates exactly 0" in text
    assert "Subgradient descent (L1): 0 of 2 coordinates exactly 0" in text
    assert len(at.dataframe) == 1


def test_speed_part_counts_cases_where_l1_was_slower():
    at = run_page("zeros-made", query={"part": "speed"})
    m = re.search(r"L1 needed more sweeps than L2 in (\d+) of (\d+) cases", captions(at))
    cases = 3 * len(datasets.LABELS)  # three penalty levels on every built-in table
    assert m and int(m.group(2)) == cases and 0 < int(m.group(1)) < cases
    assert "zeros_speed" in charts(at)


@pytest.mark.parametrize("part,chart", [("tradeoff", "zeros_bias_variance"),
                                        ("test", "zeros_tune")])
def test_simulation_parts_show_their_chart_with_numbers(part, chart):
    at = run_page("zeros-made", query={"part": part}, zeros_reps=40)
    assert chart in charts(at)
    assert re.search(r"\d\.\d", captions(at))
