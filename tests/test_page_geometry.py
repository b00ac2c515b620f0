"""The constraint-geometry page (AppTest): every control, the URL, the user's table, the refusals.

Figures are compared through the JSON spec each chart sends to the browser;
captions are read as shown (Markdown escapes removed) and must state the
numbers of what they describe.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from regviz.figures.style import short_name
from regviz.usertext import plotly_text
from tests.apptest import charts, run_page
from ui.datasets import UPLOAD_KEY, Choice

SIM_URL = {"w1", "w2", "rho", "noise", "seed", "w31", "w32", "w33", "rho3", "noise3", "gdata",
           "penalty"}
HOSTILE = ["![u](http://127.0.0.1:9/pixel.png)", "<b>bold</b> $x^2$", "__under__ [l](http://x)"]


def _page(**kw):
    return run_page("geometry", timeout=240, **kw)


def _shown(at) -> str:
    """Captions, markdown and notices as the student reads them (escapes removed)."""
    parts = [c.value for c in at.caption] + [m.value for m in at.markdown]
    parts += [m.value for m in at.info] + [m.value for m in at.error]
    return "\n".join(parts).replace("\\", "")


def _q(at, name: str) -> str:
    """A URL parameter's text (AppTest may hold it as a list)."""
    value = at.query_params[name]
    return value if isinstance(value, str) else value[0]


def _spec(at, name: str) -> dict:
    return charts(at)[name]


def _upload(X, y, names, target="price") -> Choice:
    return Choice("upload", "Your uploaded data", np.asarray(X, float), np.asarray(y, float),
                  list(names), target, "test upload", [])


def test_page_opens_with_four_charts_their_captions_in_numbers_and_every_control_in_the_url():
    at = _page()
    specs = charts(at)
    assert set(specs) == {"geo_constraint", "geo_compare", "geo_3d", "geo_lq"}
    for chart in at.get("plotly_chart"):
        assert re.search(r"\d\.\d", chart.proto.alt), chart.proto.alt
        assert chart.proto.alt.replace("\\", "") in _shown(at)
    assert "on a corner: w₂ is exactly 0" in at.get("plotly_chart")[0].proto.alt
    assert set(at.query_params) >= SIM_URL
    steps = specs["geo_constraint"]["layout"]["sliders"][0]["steps"]
    assert len(specs["geo_constraint"]["frames"]) == len(steps) > 10


def test_a_link_restores_every_control():
    query = {"w1": "-1.5", "w2": "0", "rho": "0", "noise": "0", "seed": "7", "w31": "1",
             "w32": "-1", "w33": "2.2", "rho3": "-0.2", "noise3": "1.5", "penalty": "l2"}
    at = _page(query=query)
    for key, value in [("geo_w1", -1.5), ("geo_w2", 0.0), ("geo_rho", 0.0), ("geo_noise", 0.0),
                       ("geo3_w1", 1.0), ("geo3_w2", -1.0), ("geo3_w3", 2.2),
                       ("geo3_rho", -0.2), ("geo3_noise", 1.5)]:
        assert at.session_state[key] == pytest.approx(value)
    assert at.session_state["seed"] == 7 and at.session_state["penalty"] == "l2"
    for name, value in query.items():
        assert _q(at, name) == value


def test_ridge_with_the_ols_point_on_an_axis_prints_an_exact_zero_and_says_so():
    """Issue 16.3: w₂* = 0, ρ = 0, σ = 0 made ridge print 4.89e-18 and "no zero"."""
    at = _page(query={"w1": "0.8", "w2": "0", "rho": "0", "noise": "0", "penalty": "l2",
                      "w31": "1.2", "w32": "0", "w33": "-1.2", "rho3": "0", "noise3": "0"})
    text = _shown(at)
    assert "e-1" not in text  # no rounding crumbs anywhere
    assert "no zero" not in text and "keeps every coefficient non-zero" not in text
    assert "w₂ is exactly 0" in text
    assert "on the smooth sphere, not a corner: w₂ is exactly 0" in text


@pytest.mark.parametrize(("penalty", "title"), [("l2", "L2 (ridge)"),
                                                ("elasticnet", "Elastic net (a = 0.5)")])
def test_first_chart_changes_with_the_penalty(penalty, title):
    at = _page()
    before = _spec(at, "geo_constraint")
    at.radio(key="penalty").set_value(penalty).run()
    assert not at.exception
    after = _spec(at, "geo_constraint")
    assert after != before
    assert any(title in a["text"] for a in after["layout"]["annotations"])
    if penalty == "elasticnet":  # the comparison gains the rounded diamond between L1 and L2
        panels = [a["text"] for a in _spec(at, "geo_compare")["layout"]["annotations"]
                  if a["text"]]
        assert panels == ["L1 (lasso)", "Elastic net (a = 0.5)", "L2 (ridge)"]
        assert _q(at, "a") == "0.5"


def test_correlation_and_noise_reshape_the_2d_pictures_and_the_caption_says_how():
    at = _page()
    before = charts(at)
    at.slider(key="geo_rho").set_value(-0.6)
    at.slider(key="geo_noise").set_value(0.0).run()
    assert not at.exception
    after = charts(at)
    assert all(after[k] != before[k] for k in ("geo_constraint", "geo_compare", "geo_lq"))
    # The 3-D view has its own controls: not sent again (AppTest keeps only what a keyed
    # fragment rerun sent) or sent unchanged.
    assert after.get("geo_3d", before["geo_3d"]) == before["geo_3d"]
    text = _shown(at)
    assert "correlation exactly -0.6" in text
    assert "to (2, 0.7) (a distance of" in text  # no noise: OLS lands on the true weights
    assert _q(at, "rho") == "-0.6" and _q(at, "noise") == "0"


@pytest.mark.parametrize("key", ["geo3_w3", "geo3_rho"])
def test_the_3d_controls_move_only_the_3d_view(key):
    at = _page()
    before = charts(at)
    at.slider(key=key).set_value(-0.4).run()
    assert not at.exception
    after = charts(at)
    assert after["geo_3d"] != before["geo_3d"]
    assert all(after[k] == before[k] for k in ("geo_constraint", "geo_compare", "geo_lq"))
    assert _q(at, {"geo3_w3": "w33", "geo3_rho": "rho3"}[key]) == "-0.4"


def test_uploaded_table_with_hostile_names_draws_its_own_contours_with_names_escaped():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(80, 3)) * [1.0, 50.0, 0.01] + [0.0, 100.0, 5.0]
    y = 3 * X[:, 0] + 0.02 * X[:, 1] + rng.normal(size=80)
    at = _page(query={"gdata": "table", "dataset": "upload"},
               **{UPLOAD_KEY: _upload(X, y, HOSTILE)})
    specs = charts(at)
    assert set(specs) == {"geo_constraint", "geo_compare", "geo_3d", "geo_lq"}
    # The contours are this table's: the OLS point is the standardized least-squares fit.
    Z = (X - X.mean(0)) / X.std(0)
    f1, f2 = at.session_state["geo_f1"], at.session_state["geo_f2"]
    cols = [HOSTILE.index(f1), HOSTILE.index(f2)]
    ols = np.linalg.lstsq(Z[:, cols], y - y.mean(), rcond=None)[0]
    ols_trace = next(t for t in specs["geo_constraint"]["data"]
                     if t.get("name") == "OLS point (λ = 0)")
    assert np.allclose([ols_trace["x"][0], ols_trace["y"][0]], ols, rtol=1e-9)
    assert not any(t.get("name") == "true weights w*" for t in specs["geo_constraint"]["data"])
    # Names: escaped for Markdown where shown, as entities in plotly, never as markup.
    raw = "\n".join(c.value for c in at.caption) + "\n".join(m.value for m in at.markdown)
    for name in HOSTILE:
        assert name not in raw
    for ax, name in (("xaxis", f1), ("yaxis", f2)):
        title = specs["geo_constraint"]["layout"][ax]["title"]["text"]
        assert title.endswith(f"({plotly_text(short_name(name, 24))})"), title  # entities
        assert "<b>" not in title and "<a" not in title
    assert set(at.query_params) >= {"gdata", "dataset", "f1", "f2", "f3"}
    assert not (SIM_URL - {"seed", "gdata", "penalty"}) & set(at.query_params)


@pytest.mark.parametrize(("X", "y", "why"), [
    (np.arange(40.0)[:, None], np.arange(40.0) % 7, "needs two features that vary"),
    (np.column_stack([np.arange(40.0), np.arange(40.0) ** 0.5]), np.ones(40),
     "the target is constant"),
    (np.column_stack([np.arange(40.0), np.ones(40)]), np.arange(40.0) % 5,
     "needs two features that vary"),
    (np.column_stack([np.arange(40.0), 2 * np.arange(40.0) + 1]), np.arange(40.0) % 5,
     "perfectly correlated"),
])
def test_a_table_that_cannot_make_the_picture_says_why_and_what_would(X, y, why):
    at = _page(query={"gdata": "table", "dataset": "upload"},
               **{UPLOAD_KEY: _upload(X, y, [f"x{j}" for j in range(X.shape[1])])})
    text = _shown(at)
    assert why in text
    assert re.search(r"[Cc]hoose|upload|make", text)
    assert not charts(at).get("geo_constraint")


def test_no_signal_at_all_is_explained_not_drawn():
    at = _page(query={"w1": "0", "w2": "0", "noise": "0"})
    assert "least-squares point is the origin" in _shown(at)
    assert "geo_constraint" not in charts(at)
