"""Caching figures without paying plotly's validation on every rerun.

``st.cache_data`` copies a cached value by pickling it, and unpickling a
plotly figure re-validates every trace and frame: most of a cached rerun's
cost.  ``st.plotly_chart`` only reads a figure, so the same object can be
handed out again.  Figures built from built-in data (content every user
already has) go in ``st.cache_resource``, shared by all sessions; figures
built from a user's upload go in that session's own state, never shared.

Every rerun, ``st.plotly_chart`` calls the figure's ``to_dict()``: a deep
copy that re-encodes every array as base64, about half of a warm rerun's
plotting cost.  A cached figure is immutable, so ``freeze`` computes that
dict once and hands the same one out.  Callers must not modify a figure
they get from here.

Then ``st.plotly_chart`` encodes that dict with ``plotly.io.to_json`` on every
rerun: plotly's pure-Python encoder, twice over when the text holds "NaN" (as
base64 arrays often do by chance), 7.5% of the server's CPU under a class
(py-spy, benchmarks/load.py).  A frozen figure's dict is a :class:`FrozenSpec`
that keeps its own JSON, and ``plotly.io.to_json`` answers a FrozenSpec from it
(the text plotly's own encoder gave the first time; any other figure or dict, or
other arguments, go to plotly unchanged).
"""

from __future__ import annotations

import functools
import hashlib
from collections import OrderedDict
from collections.abc import Callable, Hashable

import plotly.io as pio
import streamlit as st

from regviz.figures.spec import spec_and_json
from ui import offload
from ui.common import show_chart

_SESSION_KEY = "_figure_memo"
_SESSION_ENTRIES = 8


class FrozenSpec(dict):
    """A frozen figure's dict; ``plotly.io.to_json`` returns its memoized JSON."""

    __slots__ = ("json_by_call",)

    def __init__(self, spec: dict) -> None:
        super().__init__(spec)
        self.json_by_call: dict[tuple, str] = {}  # (to_json's arguments, engine) -> text


def _call_key(args: tuple, kwargs: dict, engine) -> tuple:
    """A ``to_json`` call's memo key: its arguments and the JSON engine (a setting: a
    different engine may write different text)."""
    return args, tuple(sorted(kwargs.items())), engine


def _memoizing_to_json(original: Callable[..., str]) -> Callable[..., str]:
    def to_json(fig, *args, **kwargs):
        if type(fig) is not FrozenSpec:
            return original(fig, *args, **kwargs)
        call = _call_key(args, kwargs, pio.json.config.default_engine)
        text = fig.json_by_call.get(call)
        if text is None:
            text = fig.json_by_call[call] = original(fig, *args, **kwargs)
        return text

    to_json.memoizes_frozen_specs = True
    return to_json


def _install_json_memo() -> None:
    """Route ``plotly.io.to_json`` (what ``st.plotly_chart`` calls) through the memo, once."""
    if not getattr(pio.to_json, "memoizes_frozen_specs", False):
        pio.to_json = _memoizing_to_json(pio.to_json)


def _hold(fig, spec: dict):
    """``fig``, whose ``to_dict()`` now returns ``spec`` as one FrozenSpec (JSON memoized).

    A spec that is already a FrozenSpec (a figure frozen before, or made by ``from_spec``)
    is kept as it is, with the JSON it has memoized, not copied into a new one.
    """
    _install_json_memo()
    frozen = spec if type(spec) is FrozenSpec else FrozenSpec(spec)
    # plotly objects validate attribute names on setattr; this one is ours, not plotly's.
    object.__setattr__(fig, "to_dict", lambda: frozen)
    return fig


def freeze(fig):
    """Make ``fig.to_dict()`` return one precomputed dict (same JSON, no per-rerun copy)."""
    to_dict = getattr(fig, "to_dict", None)
    if callable(to_dict):
        _hold(fig, to_dict())
    return fig


@functools.cache
def _default_template_of(name: str) -> dict:
    return pio.templates[name].to_plotly_json()


def _default_template() -> dict | None:
    """This process's default plotly template (Streamlit's, under the app), as a dict."""
    name = pio.templates.default
    return _default_template_of(name) if isinstance(name, str) and name else None


def built(build: Callable[[], object], *, private: bool):
    """A frozen figure from ``build()``, built in the worker pool when a worker is idle.

    ``build`` as a ``functools.partial`` of a module-level figure function, on data every
    user has (not ``private``), with a worker free: the worker builds it and sends its dict
    and JSON back (``regviz.figures.spec``), so the plotly objects do not hold the server's
    GIL and the JSON is not encoded again here.  Anything else (a lambda, a user's upload,
    every worker busy): built here.  Queued behind busy workers (a class's opening rush,
    with a diagnosis study holding one) a figure can wait longer than building it here
    takes: one run of benchmarks/load.py with no warm-up gave p95 2.7 s queued, 1.9 s not.
    """
    if private or not isinstance(build, functools.partial) or not offload.has_idle_worker():
        return freeze(build())
    spec, text, engine = offload.run(spec_and_json, build, _default_template())
    fig = from_spec(spec)
    here = pio.json.config.default_engine
    if engine == str(here):  # else the memo encodes it here when the chart asks
        # The key of st.plotly_chart's one call, plotly.io.to_json(figure, validate=False).
        fig.to_dict().json_by_call[_call_key((), {"validate": False}, here)] = text
    return fig


def from_spec(spec: dict):
    """A frozen figure that ``st.plotly_chart`` sends as ``spec``, with no plotly objects built.

    For a figure derived from a cached one by editing its dict (the paths chart opened at
    another λ): rebuilding a ``go.Figure`` from the edited dict, even unvalidated, costs
    35-38 ms for a 61-frame chart, this 0.5 ms, for the same JSON.  Only ``to_dict()`` (what
    ``st.plotly_chart`` reads) holds the figure: its plotly attributes stay empty.
    """
    import plotly.graph_objects as go

    return _hold(go.Figure(), spec)


# 768: the warm-up's views and their per-λ copies; at 256 a class missed 146-166 figures it
# had warmed (benchmarks/load.py).  Peak RSS with the warm-up done stayed under 0.9 GB.
@st.cache_resource(show_spinner=False, max_entries=768)
def _shared(name: str, key: Hashable, _build: Callable[[], object]):
    return built(_build, private=False)


def fingerprint(*arrays_or_lists) -> str:
    """A content hash, so a cache key changes whenever the user's data does."""
    h = hashlib.sha256()
    for item in arrays_or_lists:
        h.update(item.tobytes() if hasattr(item, "tobytes") else repr(item).encode())
    return h.hexdigest()


def cached_figure(name: str, key: Hashable, build: Callable[[], object], *, private: bool):
    """``build()`` once per (name, key); per session when ``private`` (user data).

    A ``functools.partial`` of a figure function is built in the worker pool (``built``).
    """
    if not private:
        return _shared(name, key, build)
    memo: OrderedDict = st.session_state.setdefault(_SESSION_KEY, OrderedDict())
    full = (name, key)
    if full in memo:
        memo.move_to_end(full)
        return memo[full]
    value = memo[full] = freeze(build())
    while len(memo) > _SESSION_ENTRIES:
        memo.popitem(last=False)
    return value


def cached_chart(name: str, key: Hashable, build: Callable[[], object], caption: str, *,
                 private: bool) -> None:
    """Draw the cached figure ``name`` (also its widget key) with its caption under it."""
    show_chart(cached_figure(name, key, build, private=private), caption, name)
