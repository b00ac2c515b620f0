"""The constraint-geometry page runs for every penalty and its charts follow the widgets.

AppTest runs the page script headless; figures are compared through the
JSON spec each chart sends to the browser, and each chart's alt text (its
caption) must state its message in numbers.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

PAGE = str(Path(__file__).resolve().parents[1] / "pages" / "geometry.py")


def _page() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=90).run()


def _charts(at: AppTest):
    return at.get("plotly_chart")


def _spec(at: AppTest, i: int) -> dict:
    return json.loads(_charts(at)[i].proto.spec)


def test_page_opens_with_four_charts_each_with_a_numeric_caption_as_alt_text():
    at = _page()
    assert not at.exception
    charts = _charts(at)
    assert len(charts) == 4
    captions = [c.value for c in at.caption]
    for chart in charts:
        alt = chart.proto.alt
        assert re.search(r"\d\.\d", alt), alt
        assert alt in captions
    assert "on a corner: w₂ is exactly 0" in charts[0].proto.alt
    assert at.latex, "the page shows the objective"
    frames = _spec(at, 0)["frames"]
    assert len(frames) == len(_spec(at, 0)["layout"]["sliders"][0]["steps"]) > 10


@pytest.mark.parametrize(("penalty", "title"), [("l2", "L2 (ridge)"),
                                                ("elasticnet", "Elastic net (a = 0.5)")])
def test_first_chart_changes_with_the_penalty(penalty, title):
    at = _page()
    before = _charts(at)[0].proto.spec
    at.radio(key="geo_penalty").set_value(penalty).run()
    assert not at.exception
    after = _charts(at)[0].proto.spec
    assert after != before
    titles = [a["text"] for a in _spec(at, 0)["layout"]["annotations"]]
    assert any(title in t for t in titles)
    if penalty == "elasticnet":  # the comparison gains the rounded diamond between L1 and L2
        panels = [a["text"] for a in _spec(at, 1)["layout"]["annotations"] if a["text"]]
        assert panels == ["L1 (lasso)", "Elastic net (a = 0.5)", "L2 (ridge)"]
    else:
        assert "no coefficient is 0 at any t > 0" in _charts(at)[0].proto.alt


def test_correlation_and_noise_reshape_the_picture_and_the_caption_says_how():
    at = _page()
    before = [c.proto.spec for c in _charts(at)]
    at.slider(key="geo_rho").set_value(-0.6)
    at.slider(key="geo_noise").set_value(0.0).run()
    assert not at.exception
    after = [c.proto.spec for c in _charts(at)]
    assert all(a != b for a, b in zip(after, before, strict=True))
    text = " ".join(c.value for c in at.caption)
    assert "correlation exactly -0.6" in text
    assert "to (2, 0.7) (a distance of" in text  # no noise: OLS lands on the true weights


def test_third_weight_moves_only_the_3d_view():
    at = _page()
    before = [c.proto.spec for c in _charts(at)]
    at.slider(key="geo_w3").set_value(-1.5).run()
    assert not at.exception
    after = [c.proto.spec for c in _charts(at)]
    assert after[2] != before[2]
    assert after[0] == before[0] and after[3] == before[3]
