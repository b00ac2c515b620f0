"""A browser's first look at /paths: the chart first, the controls on the rerun that follows.

The deferred run must draw the very chart the controls then show (each value taken from the
session, where ``state.bind`` put it), and a client that runs no script (AppTest, the load
benchmark's protocol sessions) must get every control at once.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui import reveal

APP = str(Path(__file__).resolve().parents[1] / "app.py")
WIDGETS = ("radio", "selectbox", "slider", "checkbox", "toggle", "number_input")


def _first_look(query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page("pages/paths.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _widgets(at: AppTest) -> list:
    return [w for kind in WIDGETS for w in at.get(kind)]


def _chart(at: AppTest) -> dict:
    (chart,) = at.get("plotly_chart")
    return json.loads(chart.proto.spec)


@pytest.mark.parametrize("query", [
    {},
    {"penalty": "elasticnet", "a": "0.3", "seed": "2"},
    {"penalty": "l2", "std": "0", "dataset": "breast_cancer"},
    {"dataset": "twins", "seed": "7", "penalty": "l1"},
])
def test_the_deferred_run_draws_the_chart_that_the_revealed_controls_show(monkeypatch, query):
    monkeypatch.setattr(reveal, "_in_a_browser", lambda: True)
    at = _first_look(query)
    assert not _widgets(at), "controls drawn before the chart"
    before = _chart(at)
    assert at.session_state[reveal.SHOWN] is False

    at.session_state["_controls_reveal"] = True  # what the page's script does once drawn
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state[reveal.SHOWN] is True
    radio = at.sidebar.radio(key="penalty")
    assert radio.value == query.get("penalty", "l1")
    assert at.sidebar.number_input(key="seed").value == int(query.get("seed", "0"))
    assert at.sidebar.checkbox(key="standardize").value == (query.get("std") != "0")
    assert at.sidebar.selectbox(key="dataset").value == query.get("dataset", "diabetes")
    if "a" in query:
        assert at.sidebar.slider(key="l1_ratio").value == pytest.approx(float(query["a"]))
    assert _chart(at) == before  # same settings, same figure

    at.run()  # the controls stay, and the hidden trigger is gone
    assert _widgets(at)
    assert not [e for e in at.get("expandable") if e.label == "Show the controls"]


def test_a_client_that_runs_no_script_gets_every_control_at_once():
    at = _first_look({"penalty": "l2"})
    assert at.sidebar.radio(key="penalty").value == "l2"
    assert not [e for e in at.get("expandable") if e.label == "Show the controls"]


def test_only_the_sessions_first_page_defers(monkeypatch):
    monkeypatch.setattr(reveal, "_in_a_browser", lambda: True)
    at = AppTest.from_file(APP, default_timeout=180).run()  # the home page first
    at.switch_page("pages/paths.py")
    at.run()
    assert at.sidebar.radio(key="penalty").value == "l1"


@pytest.mark.parametrize(("query", "words"), [
    ({"lam": "1"}, "nearest λ"),
    ({"penalty": "nonsense"}, "ignored"),
    ({"dataset": "upload"}, "asked for an uploaded table"),
])
def test_a_links_one_time_message_waits_for_the_controls(monkeypatch, query, words):
    """Shown in the deferred run, it would be gone on the rerun that draws the controls."""
    monkeypatch.setattr(reveal, "_in_a_browser", lambda: True)
    at = _first_look(query)
    said = lambda: " ".join(m.value for kind in ("warning", "info") for m in at.get(kind))  # noqa: E731
    assert words not in said()
    at.session_state["_controls_reveal"] = True
    at.run()
    assert words in said()
    at.run()  # once
    assert words not in said()
