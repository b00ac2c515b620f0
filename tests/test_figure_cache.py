"""Cached figures serialize exactly as fresh ones do, once instead of every rerun."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import plotly.io
import plotly.tools
import pytest

from regviz import datasets
from regviz.data import design_matrix
from regviz.figures.paths import path_explorer_figure, spec_starting_at, starting_at
from regviz.paths import explore
from ui.figure_cache import freeze, from_spec


def _as_streamlit_sends(fig) -> str:
    """What st.plotly_chart puts on the wire for a figure."""
    spec = plotly.tools.return_figure_from_figure_or_data(fig, validate_figure=True)
    return plotly.io.to_json(spec, validate=False)


def _path_figure():
    ds = datasets.load("sparse_truth")
    d = design_matrix(ds.frame, ds.target)
    ex = explore(d.X, d.y, d.feature_names, penalty="l1", l1_ratio=1.0, standardize=True, seed=0)
    return path_explorer_figure(ex)


def test_frozen_figure_sends_the_same_json_with_its_frames():
    fresh = _as_streamlit_sends(_path_figure())
    frozen = freeze(_path_figure())
    sent = _as_streamlit_sends(frozen)
    assert sent == fresh
    assert json.loads(sent)["frames"]  # the scrubbing frames survive
    assert frozen.to_dict() is frozen.to_dict()  # computed once


def test_freeze_leaves_plain_values_alone():
    assert freeze({"data": []}) == {"data": []}
    fig = freeze(go.Figure(go.Scatter(x=[1, 2], y=[3, 4])))
    assert fig.to_dict()["data"][0]["type"] == "scatter"


def test_the_path_figure_attached_without_validation_is_valid_as_it_stands():
    """Frames, slider and buttons skip plotly's validation for speed: validating the whole
    figure afterwards must accept it and change nothing that is sent."""
    fig = _path_figure()
    checked = go.Figure(fig.to_dict())  # raises on any invalid property, frames included
    assert json.loads(plotly.io.to_json(checked)) == json.loads(plotly.io.to_json(fig))
    assert len(checked.frames) == len(checked.layout.meta["scrub"]["labels"]) > 10
    assert {f.data[1].type for f in checked.frames} == {"bar"}


def test_opening_the_path_figure_at_a_frame_equals_building_it_there():
    ds = datasets.load("house_prices")
    d = design_matrix(ds.frame, ds.target)
    ex = explore(d.X, d.y, d.feature_names, penalty="l1", l1_ratio=1.0, standardize=True, seed=0)
    base = freeze(path_explorer_figure(ex))
    before = json.dumps(base.to_dict(), sort_keys=True, default=str)
    n = len(base.frames)
    for index in (0, 7, n // 2, n - 1):
        moved = starting_at(base, index)
        built = path_explorer_figure(ex, active=index)
        assert json.loads(plotly.io.to_json(moved)) == json.loads(plotly.io.to_json(built))
        assert moved.layout.meta["scrub"]["active"] == index
        # What the page sends: the edited dict as it is, no plotly objects rebuilt.
        sent = from_spec(spec_starting_at(base.to_dict(), index))
        assert json.loads(plotly.io.to_json(sent)) == json.loads(plotly.io.to_json(built))
    # The shared, cached base figure is left exactly as it was.
    assert json.dumps(base.to_dict(), sort_keys=True, default=str) == before
    with pytest.raises(IndexError):
        starting_at(base, n)


def test_a_frozen_figure_is_encoded_once_and_exactly_as_plotly_encodes_it():
    """st.plotly_chart calls plotly.io.to_json on every rerun: a frozen figure's text is the
    one plotly's own encoder writes (NaN as null, a title that says NaN kept), made once."""
    def build():
        return go.Figure(go.Scatter(x=[1, 2, 3], y=[1.0, float("nan"), 3.0], name="NaN twin"),
                         layout={"title": {"text": "Infinity and NaN"}})

    fresh = plotly.io._json.to_json(build().to_dict(), validate=False)  # plotly's own function
    frozen = freeze(build())
    first = _as_streamlit_sends(frozen)
    assert first == fresh
    assert json.loads(first)["data"][0]["y"] == [1.0, None, 3.0]
    assert _as_streamlit_sends(frozen) is first  # the memo, not a second encoding
    pretty = plotly.io.to_json(frozen.to_dict(), validate=False, pretty=True)
    assert pretty == plotly.io._json.to_json(build().to_dict(), validate=False, pretty=True)
    assert pretty != first


def test_other_figures_and_dicts_are_encoded_by_plotly_every_time():
    freeze(go.Figure())  # the memo is installed
    spec = {"data": [{"type": "bar", "x": [1], "y": [2]}], "layout": {}}
    assert plotly.io.to_json(spec, validate=False) == plotly.io._json.to_json(spec,
                                                                             validate=False)
    spec["data"][0]["y"] = [5]  # a plain dict may change: its text follows
    assert json.loads(plotly.io.to_json(spec, validate=False))["data"][0]["y"] == [5]
    fig = go.Figure(go.Bar(x=[1], y=[2]))
    assert plotly.io.to_json(fig) == plotly.io._json.to_json(fig)


def test_a_figure_from_an_edited_spec_sends_what_the_rebuilt_figure_sends():
    """from_spec skips building plotly objects; st.plotly_chart must send the same JSON as for
    the plotly figure made from that spec (the paths chart opened at another frame)."""
    from ui.figure_cache import from_spec

    base = freeze(_path_figure())
    for index in (0, 9, len(base.frames) - 1):
        built = starting_at(base, index)
        light = from_spec(built.to_dict())
        assert _as_streamlit_sends(light) == _as_streamlit_sends(built)
        assert json.loads(_as_streamlit_sends(light))["layout"]["meta"]["scrub"]["active"] == index
        assert light.to_dict() is light.to_dict()


def test_freezing_a_frozen_figure_keeps_its_dict_and_its_encoding():
    """cached_figure freezes what it builds, and a from_spec figure is frozen already: the
    same dict, encoded once, not copied into a second one that is encoded again."""
    light = from_spec(spec_starting_at(freeze(_path_figure()).to_dict(), 3))
    spec = light.to_dict()
    sent = _as_streamlit_sends(light)
    again = freeze(light)
    assert again.to_dict() is spec
    assert _as_streamlit_sends(again) is sent


# --------------------------------------------------------------------------- built in a worker


def _explored():
    ds = datasets.load("sparse_truth")
    d = design_matrix(ds.frame, ds.target)
    return explore(d.X, d.y, d.feature_names, penalty="l1", l1_ratio=1.0, standardize=True,
                   seed=0)


def test_a_shared_figure_built_in_a_worker_sends_what_the_server_would_have_built(monkeypatch):
    import functools

    from ui import offload
    from ui.figure_cache import FrozenSpec, built

    monkeypatch.setenv("REGVIZ_WORKERS", "2")
    calls = []
    real_run = offload.run
    monkeypatch.setattr(offload, "run", lambda fn, *a, **k: calls.append(fn) or real_run(fn, *a,
                                                                                          **k))
    ex = _explored()
    fig = built(functools.partial(path_explorer_figure, ex), private=False)
    assert [f.__name__ for f in calls] == ["spec_and_json"]  # handed to the pool
    frozen = fig.to_dict()
    assert type(frozen) is FrozenSpec and frozen.json_by_call  # its JSON came with it
    here = path_explorer_figure(ex)
    assert frozen == here.to_dict()
    assert _as_streamlit_sends(fig) == _as_streamlit_sends(here)
    assert len(frozen.json_by_call) == 1  # the chart's call found the worker's text: no re-encoding
    assert json.loads(_as_streamlit_sends(fig))["frames"]


def test_a_private_or_unpicklable_build_stays_in_this_process(monkeypatch):
    import functools

    from ui import offload
    from ui.figure_cache import built

    monkeypatch.setenv("REGVIZ_WORKERS", "2")
    monkeypatch.setattr(offload, "run", lambda *a, **k: pytest.fail("sent to the pool"))
    ex = _explored()
    for fig in (built(functools.partial(path_explorer_figure, ex), private=True),  # an upload
                built(lambda: path_explorer_figure(ex), private=False)):  # a closure
        assert fig.data  # a real plotly figure, built here
        assert not fig.to_dict().json_by_call
        assert _as_streamlit_sends(fig) == _as_streamlit_sends(path_explorer_figure(ex))


def test_with_every_worker_busy_a_shared_figure_is_built_here(monkeypatch):
    import functools

    from ui import offload
    from ui.figure_cache import built

    monkeypatch.setenv("REGVIZ_WORKERS", "2")
    monkeypatch.setattr(offload._IN_FLIGHT, "count", 2)  # two jobs running: none idle
    monkeypatch.setattr(offload, "run", lambda *a, **k: pytest.fail("queued behind busy workers"))
    ex = _explored()
    fig = built(functools.partial(path_explorer_figure, ex), private=False)
    assert fig.data and not fig.to_dict().json_by_call
