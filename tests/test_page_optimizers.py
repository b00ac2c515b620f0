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


def test_one_coefficient_part_scrubs_z_in_the_browser_and_states_the_dead_zone():
    at = run_page("zeros-made", query={"part": "shrink"}, zeros_lam=1.4)
    spec = charts(at)["zeros_shrink"]
    steps = spec["layout"]["sliders"][0]["steps"]
    assert len(spec["frames"]) == len(steps) > 20
    assert all(s["args"][1]["frame"]["redraw"] is False for s in steps)
    assert "w = 0 for every |z| ≤ 0.7 (λ/2" in captions(at)
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
    assert m and int(m.group(2)) == 15 and 0 < int(m.group(1)) < 15
    assert "zeros_speed" in charts(at)


@pytest.mark.parametrize("part,chart", [("tradeoff", "zeros_bias_variance"),
                                        ("test", "zeros_tune")])
def test_simulation_parts_show_their_chart_with_numbers(part, chart):
    at = run_page("zeros-made", query={"part": part}, zeros_reps=40)
    assert chart in charts(at)
    assert re.search(r"\d\.\d", captions(at))
