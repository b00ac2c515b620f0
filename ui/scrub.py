"""λ scrubbing without a round trip: a page-level script drives the explorer's moving parts.

``st.html(..., unsafe_allow_javascript=True)`` runs ``scrub.js`` in the page itself, not in
an iframe, so it can reach the plotly chart drawn by ``st.plotly_chart``.  The figure
(``regviz.figures.paths``) declares its moving traces and frames; the script draws them
and moves them on each slider step (well under one display frame, against 50-100 ms for
``Plotly.animate`` on the four-panel figure).  It sends nothing to the server: on
release it writes the λ into the address bar itself, and into the tab's sessionStorage so
the λ is still there when the student comes back from another page.

Not ``st.components.v2``: its mount loads about 200 kB of JavaScript (the component
runtime and Arrow's serialization) before the chart can draw, 50-110 ms of the paths
page's first paint (``benchmarks/page_parts.py``); ``st.html`` needs only the small HTML
element the objective's formula loads anyway.
"""

from __future__ import annotations

import json
from collections.abc import Hashable
from pathlib import Path

from ui.page_script import defined_once, run_hidden

# The script defines start() once per page load; each mount calls it with its view.
_DEFINE = defined_once("__regvizScrubStart", Path(__file__).with_name("scrub.js"))


def scrub(chart_key: str, view_id: Hashable, lam_text: str | None, epoch: int = 0) -> None:
    """Let the chart drawn with ``key=chart_key`` scrub λ in the browser.

    ``lam_text`` is the λ the server published for this view (None: the default), which
    the address bar takes back when the view changes; ``view_id`` names the view.
    ``epoch`` changes whenever the server is asked for a λ (``ui.links.pick_epoch``): a
    scrubbed λ kept in the browser gives way to it.
    """
    view = f"{abs(hash(view_id)) % 10**12}"
    # The λ comes from the address bar: no character of it may close or escape the script.
    data = (json.dumps({"chart": chart_key, "view": view, "lam": lam_text, "epoch": epoch})
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
    run_hidden(f"{chart_key}_scrub", f"{_DEFINE}\nwindow.__regvizScrubStart({data}, "
               "document.currentScript && document.currentScript.parentElement);")
