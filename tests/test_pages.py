"""Every page runs without an exception (AppTest), and the path page reacts to its controls."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import shown
from ui.datasets import LABELS, UPLOAD_KEY, Choice

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PATHS = str(ROOT / "pages" / "paths.py")


def _registered_pages() -> list[str]:
    """The page files app.py registers (ui.pages is its list)."""
    from ui.pages import LESSONS

    return ["pages/home.py", *(lesson.file for lesson in LESSONS)]


def _figure(at: AppTest, key: str = "coef_path") -> dict:
    charts = [el for el in at.get("plotly_chart")]
    assert charts, "no plotly chart on the page"
    return json.loads(charts[0].proto.spec)


@pytest.mark.parametrize("page", _registered_pages())
def test_every_registered_page_runs_without_exception(page):
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def test_home_page_names_every_lesson():
    at = AppTest.from_file(APP, default_timeout=60).run()
    text = " ".join(m.value for m in at.markdown)
    assert "Coefficient paths" in text
    assert not at.exception


@pytest.mark.parametrize("penalty", ["l1", "l2", "elasticnet"])
@pytest.mark.parametrize("dataset", list(LABELS))
def test_path_page_runs_for_every_penalty_and_dataset(penalty, dataset):
    at = AppTest.from_file(PATHS, default_timeout=180)
    at.run()
    at.sidebar.selectbox(key="dataset").set_value(dataset)
    at.sidebar.radio(key="penalty").set_value(penalty)
    at.run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    fig = _figure(at)
    assert len(fig["frames"]) >= 50
    # No plotly slider or buttons: the page's scrub script draws them from layout.meta,
    # one slider step per frame, every button naming frames that exist.
    assert "sliders" not in fig["layout"] and "updatemenus" not in fig["layout"]
    controls = fig["layout"]["meta"]["scrub"]
    names = [f["name"] for f in fig["frames"]]
    assert controls["names"] == names and len(controls["labels"]) == len(names)
    assert 0 <= controls["active"] < len(names)
    assert all(set(b["frames"]) <= set(names) for b in controls["buttons"])


def test_changing_the_penalty_changes_the_figure():
    at = AppTest.from_file(PATHS, default_timeout=180).run()
    before = _figure(at)
    at.sidebar.radio(key="penalty").set_value("l2").run()
    after = _figure(at)
    assert before["data"] != after["data"]
    caption = " ".join(c.value for c in at.caption)
    assert "Ridge sets no coefficient exactly to 0" in shown(caption)


def test_frames_carry_only_the_moving_traces_which_the_scrub_script_draws():
    at = AppTest.from_file(PATHS, default_timeout=180).run()
    fig = _figure(at)
    moving = fig["frames"][0]["traces"]
    assert len(moving) == 6 and len(fig["data"]) > 10
    assert all(fr["traces"] == moving and len(fr["data"]) == 6 for fr in fig["frames"])
    # Exactly the moving traces are hidden from plotly and named by role for the script.
    tagged = [i for i, t in enumerate(fig["data"]) if "scrub" in (t.get("meta") or {})]
    assert tagged == moving
    assert all(fig["data"][i]["visible"] is False for i in moving)
    roles = {fig["data"][i]["meta"]["scrub"] for i in moving}
    assert roles == {"marker", "bars", "zeros", "error_marker", "readout", "error_points"}
    # The page mounts the script beside the chart, for that chart.
    mounts = [h.value for h in at.html if "__regvizScrubStart(" in h.value]
    assert len(mounts) == 1 and '"chart": "coef_path"' in mounts[0]


def _with_dataset(X, y, names) -> AppTest:
    at = AppTest.from_file(PATHS, default_timeout=180)
    at.session_state[UPLOAD_KEY] = Choice("upload", "test.csv", np.asarray(X, float),
                                          np.asarray(y, float), names, "y", "", [])
    at.run()
    at.sidebar.selectbox(key="dataset").set_value("upload").run()
    return at


def test_uploaded_dataset_is_offered_and_used():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 3))
    at = _with_dataset(X, X @ [1.0, 0.0, -2.0] + rng.standard_normal(60), ["a", "b", "c"])
    assert not at.exception and not at.error
    assert "test.csv" in " ".join(c.value for c in at.caption)


def test_constant_target_gets_a_clear_message_not_a_traceback():
    at = _with_dataset(np.arange(20.0)[:, None] * [1, 2], np.full(20, 3.0), ["a", "b"])
    assert not at.exception
    assert any("constant" in e.value for e in at.error)


def test_one_feature_and_wide_data_work_with_a_notice():
    rng = np.random.default_rng(1)
    at = _with_dataset(rng.standard_normal((40, 1)), rng.standard_normal(40), ["only"])
    assert not at.exception and not at.error
    assert any("one feature" in i.value for i in at.info)
    X = rng.standard_normal((30, 80))
    at = _with_dataset(X, X[:, 0] + rng.standard_normal(30), [f"x{j}" for j in range(80)])
    assert not at.exception and not at.error
    assert "no unique answer" in " ".join(c.value for c in at.caption)


def test_download_caption_states_the_rows_used_when_the_file_was_sampled():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((80, 3))
    at = AppTest.from_file(PATHS, default_timeout=180)
    at.session_state[UPLOAD_KEY] = Choice(
        "upload", "big.csv", X, X @ [1.0, 0.5, 0.0] + rng.standard_normal(80), ["a", "b", "c"],
        "y", "", [], rows="80 rows, a random sample of the 625,032 usable rows")
    at.run()
    at.sidebar.selectbox(key="dataset").set_value("upload").run()
    at.session_state["dl_files"] = True  # open the downloads' expander
    at.run()
    text = shown(" ".join(c.value for c in at.caption))
    assert "fitted on all 80 rows the lessons use (80 rows, a random sample of the 625,032" in text


def test_an_upload_of_2000_by_600_finishes_the_paths_page_in_a_child_process(monkeypatch):
    # With workers on, an upload is fitted in a child process of its own (offload.private):
    # the page must still finish, draw the path and keep the result in this session only.
    monkeypatch.setenv("REGVIZ_WORKERS", "2")
    rng = np.random.default_rng(3)
    X = rng.standard_normal((2000, 600))
    X[:, 1] = X[:, 0] + 0.1 * rng.standard_normal(2000)
    y = X[:, :10] @ rng.uniform(1, 2, 10) + rng.standard_normal(2000)
    at = AppTest.from_file(PATHS, default_timeout=600)
    at.session_state[UPLOAD_KEY] = Choice("upload", "wide.csv", X, y,
                                          [f"g{j}" for j in range(600)], "y", "", [])
    at.run()
    at.sidebar.selectbox(key="dataset").set_value("upload").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    fig = _figure(at)
    assert len(fig["frames"]) >= 50
    assert any("600 features" in shown(c.value) for c in at.caption)
    assert len(at.session_state["_private_memo"]) == 1
