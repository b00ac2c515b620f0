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

from ui.page_script import defined_once, run_hidden

_DEFINE = defined_once("__regvizKeepSliders", Path(__file__).with_name("keep_sliders.js"))


def keep_sliders(chart_keys: list[str]) -> None:
    """Keep the slider position of the charts drawn with these ``key=`` values."""
    data = json.dumps(sorted(chart_keys)).replace("<", "\\u003c")
    run_hidden("keep_sliders", f"{_DEFINE}\nwindow.__regvizKeepSliders({data});")
