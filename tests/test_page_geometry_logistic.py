"""The geometry page with a two-class target (AppTest): log-loss contours, not ellipses."""

from __future__ import annotations

import numpy as np
import pytest

from regviz import fit, lambda_max
from regviz.datasets_classification import breast_cancer
from regviz.geometry_logistic import lambda_grid, standardized_pair
from tests.apptest import captions, charts, run_page
from ui.datasets import UPLOAD_KEY, Choice


def _page(**kw):
    return run_page("geometry", timeout=240, **kw)


def _markers(spec: dict) -> dict[str, tuple[float, float]]:
    return {tr["name"]: (tr["x"][0], tr["y"][0]) for tr in spec["data"]
            if tr.get("mode") == "markers"}


def _pair(at) -> tuple[np.ndarray, np.ndarray]:
    """The two columns the page shows, from the breast-cancer table."""
    table = breast_cancer()
    columns = [at.session_state["geo_f1"], at.session_state["geo_f2"]]
    return table.frame[columns].to_numpy(float), table.frame[table.target].to_numpy()


def test_breast_cancer_in_table_mode_shows_the_log_loss_view_with_the_exact_fits():
    at = _page(query={"gdata": "table", "dataset": "breast_cancer"})
    specs = charts(at)
    assert set(specs) == {"geo_logistic"}  # no least-squares ellipses on 0/1 labels
    lam = float(at.session_state["geo_logistic_lam"])
    alt = at.get("plotly_chart")[0].proto.alt
    assert f"At λ = {lam:.3g}" in alt and alt.replace("\\", "") in captions(at)
    X, y = _pair(at)
    marks = _markers(specs["geo_logistic"])
    for penalty in ("l1", "l2"):
        ref = fit(X, y, penalty=penalty, lam=lam, loss="logistic").coef * X.std(axis=0)
        assert np.allclose(marks[f"{penalty.upper()} fit"], ref, atol=1e-8)
    assert ("exactly 0" in alt.split(";")[0]) == bool(np.any(
        fit(X, y, penalty="l1", lam=lam, loss="logistic").coef == 0.0))


def test_moving_lambda_redraws_with_the_new_fits():
    at = _page(query={"gdata": "table", "dataset": "breast_cancer"})
    before = float(at.session_state["geo_logistic_lam"])
    alt_before = at.get("plotly_chart")[0].proto.alt
    X, y = _pair(at)
    Z, y01, _ = standardized_pair(X, y)
    grid = lambda_grid(Z, y01)  # from the logistic lambda_max of the two columns down
    assert grid[0] == pytest.approx(lambda_max(X, y, penalty="l1", loss="logistic"), rel=1e-12)
    assert before in grid
    at.select_slider(key="geo_logistic_lam").set_value(grid[-1]).run()
    assert not at.exception
    lam = float(at.session_state["geo_logistic_lam"])
    assert lam == grid[-1] < before
    assert at.get("plotly_chart")[0].proto.alt != alt_before
    assert f"At λ = {lam:.3g}" in at.get("plotly_chart")[0].proto.alt


def test_uploaded_two_class_table_gets_the_view_with_its_names_escaped():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = (X[:, 0] + 0.5 * rng.normal(size=200) > 0).astype(float)
    names = ["<b>bold</b>", "noise $x$", "third"]
    choice = Choice("upload", "Your uploaded data", X, y, names, "sick", "test", [],
                    task="classification", classes=("no", "yes"))
    at = _page(query={"gdata": "table", "dataset": "upload"}, **{UPLOAD_KEY: choice})
    spec = charts(at)["geo_logistic"]
    assert "<b>" not in spec["layout"]["xaxis"]["title"]["text"]
    assert "&lt;b&gt;" in spec["layout"]["xaxis"]["title"]["text"]
