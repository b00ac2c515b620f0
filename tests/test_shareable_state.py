"""A link with parameters reopens the same view; bad parameters fall back with a notice."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.apptest import run_page, shown

PATHS = str(Path(__file__).resolve().parents[1] / "pages" / "paths.py")


def _open(**params) -> AppTest:
    at = AppTest.from_file(PATHS, default_timeout=180)
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def test_a_link_with_parameters_reproduces_the_view():
    at = _open(dataset="house_prices", penalty="elasticnet", a="0.3", std="0", seed="7")
    assert not at.exception
    assert at.sidebar.selectbox(key="dataset").value == "house_prices"
    assert at.sidebar.radio(key="penalty").value == "elasticnet"
    assert at.sidebar.slider(key="l1_ratio").value == 0.3
    assert at.sidebar.checkbox(key="standardize").value is False
    assert at.sidebar.number_input(key="seed").value == 7
    assert not at.sidebar.warning


def test_bad_parameters_fall_back_to_defaults_with_a_notice():
    at = _open(dataset="nope", penalty="l7", a="2", std="maybe", seed="-3", lam="-1")
    assert not at.exception
    assert at.sidebar.selectbox(key="dataset").value == "diabetes"
    assert at.sidebar.radio(key="penalty").value == "l1"
    notices = " ".join(w.value for w in at.sidebar.warning)
    for name in ("dataset", "penalty", "std", "seed", "lam"):
        assert f"{name}=" in notices


def test_changing_a_control_writes_the_url():
    at = _open()
    at.sidebar.radio(key="penalty").set_value("l2").run()
    assert at.query_params["penalty"] in ("l2", ["l2"])
    assert "dataset" in at.query_params


def test_a_house_link_opens_its_data_seed_and_the_page_writes_it_back():
    at = run_page("house-prices", query={"seed": "3"})
    assert not at.exception
    assert at.sidebar.number_input(key="seed").value == 3
    assert "(seed 3)" in "\n".join(m.value for m in at.markdown)
    assert not at.sidebar.warning
    at.sidebar.number_input(key="seed").set_value(4).run()
    assert at.query_params["seed"] in ("4", ["4"])


def test_a_bad_house_seed_falls_back_to_seed_0_with_a_notice():
    at = run_page("house-prices", query={"seed": "-1"})
    assert not at.exception
    assert at.sidebar.number_input(key="seed").value == 0
    assert "seed=" in " ".join(w.value for w in at.sidebar.warning)


def test_the_house_pages_sample_opens_on_the_paths_page_as_the_same_sales():
    house = run_page("house-prices", query={"seed": "3"})
    house.sidebar.select_slider(key="house_n").set_value(1000).run()
    text = " ".join(m.value for m in house.markdown)
    assert "these same 1,000 sales (seed 3)" in text
    assert house.query_params["sales"] in ("1000", ["1000"])
    paths = _open(dataset="house_prices", seed="3", sales="1000")
    assert not paths.exception
    assert "750 training rows, 250 test rows" in shown(" ".join(c.value for c in paths.caption))
    assert paths.query_params["sales"] in ("1000", ["1000"])
    other = _open(dataset="diabetes", sales="1000")
    assert "sales" not in other.query_params


def test_a_link_to_an_upload_this_session_does_not_have_says_why():
    # After a reload the upload is gone (it lived in the previous session): say so, instead
    # of "Link parameter dataset='upload' ignored".
    at = _open(dataset="upload")
    assert not at.exception
    info = " ".join(i.value for i in at.sidebar.info)
    assert "previous browser session" in info and "upload it again" in info
    assert not any("dataset=" in w.value for w in at.sidebar.warning)
    assert at.sidebar.selectbox(key="dataset").value == "diabetes"
