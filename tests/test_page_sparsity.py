"""The sparsity lab runs (AppTest): each experiment opens from a link, states its numbers,
and handles uploaded data and bad settings with a message instead of a traceback."""

from __future__ import annotations

import base64
import re

import numpy as np
from streamlit.testing.v1 import AppTest

from tests.apptest import captions, charts, run_page
from ui.datasets import UPLOAD_KEY, Choice


def _run(lab: str | None = None, **state) -> AppTest:
    return run_page("sparsity", query={"lab": lab} if lab else None, **state)


def _values(data) -> np.ndarray:
    """A trace's array, whether plotly sent it as a list or as typed base64 data."""
    if isinstance(data, dict):
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=np.dtype(data["dtype"]))
    return np.asarray(data)


def test_only_the_opened_experiment_runs_and_the_link_names_it():
    at = _run("corners")
    specs = charts(at)
    assert set(specs) == {"sparsity_corners"}  # lazy tabs: the others did not compute
    assert at.query_params["lab"] in ("corners", ["corners"])
    l1 = float(re.search(r"Under L1, ([\d.]+)%", captions(at)).group(1))
    assert l1 > 20
    assert "Under L2, 0.0% do" in captions(at)


def test_zeros_tab_counts_l1_zeros_and_none_for_l2():
    at = _run("zeros")
    specs = charts(at)
    assert {"sparsity_zeros", "sparsity_sizes"} <= set(specs)
    l2 = next(t for t in specs["sparsity_zeros"]["data"] if t.get("name") == "L2")
    l1 = next(t for t in specs["sparsity_zeros"]["data"] if t.get("name") == "L1")
    assert _values(l2["y"]).max() == 0
    assert _values(l1["y"]).max() == 30  # every coefficient zero past lambda_max
    assert re.search(r"L2 has 0 zeros at every λ", captions(at))


def test_recovery_tab_reports_true_and_false_features():
    at = _run("recovery")
    text = captions(at)
    assert "p = 500 features, 10 true" in text
    assert {"sparsity_recovery", "sparsity_sweep"} <= set(charts(at))


def test_recovery_tab_marks_the_cv_choices_and_its_caption_states_the_markers_numbers():
    at = _run("recovery")
    text = captions(at)
    traces = charts(at)["sparsity_recovery"]["data"]
    for name, label in (("L1", "L1"), ("Elastic net", r"elastic net \(a = [\d.]+\)")):
        one, low = (
            [t for t in traces if t.get("legendgroup") == f"{name}: CV λ_{rule}"]
            for rule in ("1se", "min"))
        assert len(one) == 2 and len(low) == 2  # features panel, precision/recall panel
        found = re.search(
            rf"At λ_1se chosen by 5-fold CV, {label} kept ([\d.]+) of the 10 true features and "
            rf"([\d.]+) false ones on average over 4 draws \(precision ([\d.]+), recall "
            rf"([\d.]+)\); at λ_min, ([\d.]+) true and ([\d.]+) false", text)
        assert found, text
        said = [float(g) for g in found.groups()]
        # The caption's numbers are the chart's markers, rounded.
        np.testing.assert_allclose(said[:2], _values(one[0]["y"]), atol=0.05 + 1e-9)
        np.testing.assert_allclose(said[2:4], _values(one[1]["y"]), atol=0.005 + 1e-9)
        np.testing.assert_allclose(said[4:6], _values(low[0]["y"]), atol=0.05 + 1e-9)
        # The 1-SE rule's typical lambda is at least lambda_min's.
        assert _values(one[0]["x"])[0] >= _values(low[0]["x"])[0]


def test_twins_tab_shows_l2_keeping_both_twins():
    at = _run("twins")
    text = captions(at)
    assert re.search(r"L2 keeps height in 100% and weight in 100%", text)
    assert at.metric[2].label.startswith("L2") and at.metric[2].value == "0%"


def test_contest_tab_reports_both_truths():
    at = _run("contest")
    text = captions(at)
    assert "Sparse truth" in text and "dense truth" in text


def test_bad_link_parameter_falls_back_with_a_notice():
    at = _run("nonsense")
    assert set(charts(at)) == {"sparsity_zeros", "sparsity_sizes"}
    assert any("lab=" in w.value for w in at.sidebar.warning)


def test_uploaded_data_drives_the_zeros_and_twins_experiments():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(80, 6))
    X[:, 1] = X[:, 0] + 0.05 * rng.normal(size=80)
    y = X[:, 0] + X[:, 2] + rng.normal(size=80)
    names = [f"col{j}" for j in range(6)]
    upload = Choice("upload", "Your uploaded data", X, y, names, "y", "test upload", [])
    at = _run("zeros", **{UPLOAD_KEY: upload, "dataset": "upload"})
    assert "6 features" in captions(at)
    at = _run("twins", **{UPLOAD_KEY: upload, "dataset": "upload", "twins_source": "sidebar"})
    assert "col0 and col1 correlate" in captions(at)


def test_constant_target_gets_a_message_not_a_traceback():
    X = np.random.default_rng(0).normal(size=(40, 3))
    upload = Choice("upload", "Your uploaded data", X, np.ones(40), ["a", "b", "c"], "y", "", [])
    at = _run("zeros", **{UPLOAD_KEY: upload, "dataset": "upload"})
    assert at.error and "cannot run" in at.error[0].value


def test_recovery_and_the_contest_take_the_worker_pool_s_long_lane(monkeypatch):
    """1-2.6 s each when cold: in ``offload.run_long``, they leave a worker to quick views."""
    import streamlit as st

    from ui import offload

    real, lane = offload.run_long, []

    def spy(fn, *args, **kwargs):
        lane.append(fn.__name__)
        return real(fn, *args, **kwargs)

    monkeypatch.setattr(offload, "run_long", spy)
    st.cache_data.clear()  # computed here, not answered from an earlier test's cache
    _run("recovery")
    _run("contest")
    assert {"support_recovery", "recovery_sweep", "who_wins"} <= set(lane)
