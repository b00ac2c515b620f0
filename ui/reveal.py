"""The chart first, the controls right after: a session's first look at the paths page.

A fresh browser pays for plotly.js (about 750 ms of evaluation) and for the JavaScript of
every widget.  Streamlit wraps each element in its own Suspense, and React reveals the
suspended elements together, so on the first paint the sidebar's controls were drawn in the
same task as the chart and delayed it (`benchmarks/page_load`, `docs/performance.md`).  On
the session's first run of a page that opts in, the controls are not drawn: each one's value
is the one its widget would have shown (``state.bind`` puts it in the session before the
widget is built).  A script in the page waits until the chart is drawn, then opens a hidden
expander, which reruns the page with every control.  Behind the class proxy the chart is
drawn 0.15-0.2 s sooner (1.17-1.18x the one-chart floor, against 1.30x), and the controls
about when they used to come (1.30-1.31x).

Only a browser runs that script: AppTest and protocol clients get every control at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

# The pages that draw their chart before their controls (url paths).
PAGES = frozenset({"paths"})
SHOWN = "_controls_shown"
_TRIGGER = "_controls_reveal"
BOX = f"{_TRIGGER}_box"  # the hidden container that holds the trigger until the reveal
_HELD = "_controls_held_messages"
# Reveal anyway once the script has been idle this long with no chart drawn (an error
# message instead of a chart, say).
_GIVE_UP_MS = 3000
# No "<" before a letter, "/" or "!": st.html's sanitizer would drop the script.
_SCRIPT = f"""(() => {{
  let idleSince = null;
  const reveal = () => {{
    const box = document.querySelector('.st-key-{_TRIGGER} summary');
    if (box) box.click();
  }};
  const wait = () => {{
    const now = performance.now();
    const app = document.querySelector('[data-testid=stApp]');
    const idle = app && app.getAttribute('data-test-script-state') === 'notRunning';
    idleSince = idle ? (idleSince ?? now) : null;
    if (document.querySelector('.js-plotly-plot .main-svg')
        || (idleSince !== null && now - idleSince > {_GIVE_UP_MS})) {{
      requestAnimationFrame(() => setTimeout(reveal, 0));  // after the chart's frame
      return;
    }}
    requestAnimationFrame(wait);
  }};
  wait();
}})();"""

T = TypeVar("T")


def _in_a_browser() -> bool:
    return "Mozilla/" in (st.context.headers.get("User-Agent") or "")


def start(page_defers: bool) -> None:
    """Decide, before the page runs, whether this run draws its controls (see module doc).

    Called once per run by ``app.py``.  Once shown, the controls stay for the session; the
    sidebar messages held back meanwhile (:func:`sidebar_message`) come with them.
    """
    if st.session_state.get(SHOWN):
        return
    if page_defers and _in_a_browser():
        with st.container(key=BOX):  # hidden: nothing to see, no gap
            opened = st.expander("Show the controls", key=_TRIGGER, on_change="rerun").open
            st.html(f"<style>.st-key-{BOX} {{display: none}}</style>"
                    f"<script>{_SCRIPT}</script>", unsafe_allow_javascript=True)
        if not opened:
            st.session_state[SHOWN] = False
            return
    st.session_state[SHOWN] = True
    for kind, body, icon in st.session_state.pop(_HELD, []):
        getattr(st.sidebar, kind)(body, icon=icon)


def sidebar_message(kind: str, body: str, icon: str) -> None:
    """A one-time sidebar message (``kind``: "info", "warning"), held while the controls are.

    Shown in the deferred run, it would vanish on the rerun that draws the controls, before
    a student could read it.
    """
    if deferred():
        st.session_state.setdefault(_HELD, []).append((kind, body, icon))
        return
    getattr(st.sidebar, kind)(body, icon=icon)


def deferred() -> bool:
    """True while this run leaves the controls out (the chart is not drawn yet)."""
    return not st.session_state.get(SHOWN, True)


def control(draw: Callable[..., T], *args: Any, fallback: Any = None, **kwargs: Any) -> T:
    """``draw(*args, **kwargs)``, or, while deferred, the value that widget would return.

    The widget's value is its key's entry in the session (``state.bind`` sets it), else
    ``fallback``, the widget's own default.
    """
    if deferred():
        return st.session_state.get(kwargs.get("key"), fallback)
    return draw(*args, **kwargs)
