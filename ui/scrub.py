"""λ scrubbing without a round trip: a page-level script drives the explorer's moving parts.

``st.components.v2`` (Streamlit 1.67) mounts ``scrub.js`` in the page itself, not in an
iframe, so it can reach the plotly chart drawn by ``st.plotly_chart``.  The figure
(``regviz.figures.paths``) declares its moving traces and frames; the script draws them
and moves them on each slider step (well under one display frame, against 50-100 ms for
``Plotly.animate`` on the four-panel figure).  It sends nothing to the server: on
release it writes the λ into the address bar itself.
"""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path

import streamlit as st

_JS = (Path(__file__).with_name("scrub.js")).read_text(encoding="utf-8")
_CSS = ":host { display: none; }"

_component = st.components.v2.component("regviz_scrub", js=_JS, css=_CSS)


def scrub(chart_key: str, view_id: Hashable, lam_text: str | None) -> None:
    """Let the chart drawn with ``key=chart_key`` scrub λ in the browser.

    ``lam_text`` is the λ the server published for this view (None: the default), which
    the address bar takes back when the view changes; ``view_id`` names the view.
    """
    view = f"{abs(hash(view_id)) % 10**12}"
    _component(key=f"{chart_key}_scrub", data={"chart": chart_key, "view": view,
                                                "lam": lam_text}, height="content")
