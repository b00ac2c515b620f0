"""Plotly sliders keep their position while the student visits another page.

The geometry page's budget slider t lives in plotly (frames), so the server never hears of
it: Streamlit draws the chart anew at its first step when the student comes back.  A small
script in the page (``keep_sliders.js``, run by ``st.html`` as ``ui/scrub.py`` runs its
own) writes each move into the tab's sessionStorage, per chart and steps, and moves a chart
drawn anew back to that step.  Nothing is sent to the server.
"""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

_JS = (Path(__file__).with_name("keep_sliders.js")).read_text(encoding="utf-8")
_DEFINE = ("window.__regvizKeepSliders = window.__regvizKeepSliders || (() => {\n"
           f"{_JS}\nreturn start;\n}})();")


def keep_sliders(chart_keys: list[str]) -> None:
    """Keep the slider position of the charts drawn with these ``key=`` values."""
    data = json.dumps(sorted(chart_keys)).replace("<", "\\u003c")
    with st.container(key="keep_sliders"):  # hidden: a script, nothing to see, no gap
        st.html("<style>.st-key-keep_sliders {display: none}</style>"
                f"<script>{_DEFINE}\nwindow.__regvizKeepSliders({data});</script>",
                unsafe_allow_javascript=True)
