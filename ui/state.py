"""Shareable state: the view a teacher sees is mirrored in the URL, and a link restores it.

Each shared control calls ``adopt`` before it draws its widget and
``publish`` after.  ``adopt`` copies a URL parameter into the widget's
session state only when the URL says something the app did not write itself
(a pasted link, the back button), so the URL and the widgets never fight.
A bad parameter falls back to the default with a small notice.

URL names: ``dataset``, ``penalty``, ``a`` (l1_ratio), ``lam`` (a λ value, snapped
to the nearest grid point), ``std`` (standardize 1/0), ``seed``, ``lab``.

Shared settings (``SHARED``: dataset, penalty, a, std, seed) have one owner
each: a plain session-state key that no widget owns.  Streamlit deletes a
widget's state when a page that does not draw it runs, so a widget key
cannot carry a setting across pages; each page's widget is instead seeded
from the owner before it is drawn and writes back to it on change
(``bind``).  A page that does not show a setting never touches it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import streamlit as st

from ui import reveal

_PUBLISHED = "_url_published"
_NOTICES = "_url_notices"


def parse_choice(options: list[str]) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if text not in options:
            raise ValueError(f"expected one of {', '.join(options)}")
        return text

    return parse


def parse_float(lo: float, hi: float) -> Callable[[str], float]:
    def parse(text: str) -> float:
        value = float(text)
        if not (math.isfinite(value) and lo <= value <= hi):
            raise ValueError(f"expected a number from {lo:g} to {hi:g}")
        return value

    return parse


def parse_int(lo: int, hi: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        value = int(text)
        if not lo <= value <= hi:
            raise ValueError(f"expected a whole number from {lo} to {hi}")
        return value

    return parse


def parse_flag(text: str) -> bool:
    if text not in ("0", "1", "true", "false"):
        raise ValueError("expected 1 or 0")
    return text in ("1", "true")


def fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def adopt(url_name: str, key: str, parse: Callable[[str], Any], default: Any) -> None:
    """Before a widget is drawn: take its value from the URL if the URL was set from outside."""
    published = st.session_state.setdefault(_PUBLISHED, {})
    text = st.query_params.get(url_name)
    if text is not None and text != published.get(url_name):
        try:
            st.session_state[key] = parse(text)
        except (ValueError, TypeError) as err:
            st.session_state[key] = default
            _notice(f"Link parameter {url_name}={text[:40]!r} ignored ({err}); "
                    f"using {fmt(default)}.")
    st.session_state.setdefault(key, default)


def publish(url_name: str, value: Any) -> None:
    """After a widget is drawn: write its value to the URL so the view can be shared."""
    text = fmt(value)
    st.session_state.setdefault(_PUBLISHED, {})[url_name] = text
    if st.query_params.get(url_name) != text:
        st.query_params[url_name] = text


SHARED = {  # URL name -> the session-state key that owns the setting across pages
    "dataset": "_shared_dataset",
    "penalty": "_shared_penalty",
    "a": "_shared_a",
    "std": "_shared_std",
    "seed": "_shared_seed",
    "sales": "_shared_sales",  # house prices' number of sales
}


def _sync(widget_key: str, owner: str) -> None:
    st.session_state[owner] = st.session_state[widget_key]


def bind(url_name: str, widget_key: str, parse: Callable[[str], Any], default: Any,
         valid: Callable[[Any], bool] = lambda _: True) -> dict:
    """Seed widget ``widget_key`` from the shared setting ``url_name``; returns widget kwargs.

    Order of authority: a link from outside, then the owner (set on any page), then
    ``default``.  Pass the returned ``key``/``on_change``/``args`` to the widget.
    """
    owner = SHARED[url_name]
    if owner not in st.session_state and widget_key in st.session_state:
        st.session_state[owner] = st.session_state[widget_key]  # set before the first run
    adopt(url_name, owner, parse, default)
    if not valid(st.session_state[owner]):
        st.session_state[owner] = default
    st.session_state[widget_key] = st.session_state[owner]
    return {"key": widget_key, "on_change": _sync, "args": (widget_key, owner)}


def peek(url_name: str, parse: Callable[[str], Any], default: Any) -> Any:
    """A shared setting's value before its widget is drawn further down the sidebar.

    A link's value is adopted now (and marked as seen, so the widget's own ``bind``
    does not report a bad value twice).
    """
    owner = SHARED[url_name]
    adopt(url_name, owner, parse, default)
    text = st.query_params.get(url_name)
    if text is not None:
        st.session_state[_PUBLISHED][url_name] = text
    return st.session_state[owner]


def shared(url_name: str, default: Any = None) -> Any:
    """The current value of a shared setting (``default`` if no page has set it yet)."""
    return st.session_state.get(SHARED[url_name], default)


def set_shared(url_name: str, value: Any) -> None:
    """Set a shared setting from code (a cross-page button), as if its widget had."""
    st.session_state[SHARED[url_name]] = value


def withdraw(url_name: str) -> None:
    """Drop a URL parameter that does not apply to the view (``a`` once the penalty is L1)."""
    st.session_state.setdefault(_PUBLISHED, {}).pop(url_name, None)
    if url_name in st.query_params:
        del st.query_params[url_name]


_LAST = "_last_values"  # widget key -> its value when its page last ran


def last(key: str, default: Any) -> Any:
    """What a page's own widget held when the student left the page, else ``default``.

    For widgets without ``persist_state`` (``st.tabs``): Streamlit drops a page's widgets
    when another page runs, so the open tab would otherwise reset on every return.
    """
    return st.session_state.get(_LAST, {}).get(key, default)


def remember(key: str, value: Any) -> None:
    """Keep ``value`` for :func:`last` (this session only)."""
    st.session_state.setdefault(_LAST, {})[key] = value


def _notice(message: str) -> None:
    st.session_state.setdefault(_NOTICES, []).append(message)


def show_notices() -> None:
    """Show (once) what a shared link asked for that could not be honoured."""
    for message in st.session_state.pop(_NOTICES, []):
        reveal.sidebar_message("warning", message, icon="🔗")
