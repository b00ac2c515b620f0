"""regviz: see L1, L2 and elastic-net regularization work, live.

Run with ``streamlit run app.py``.  This file only sets up the page and the
navigation; each lesson is a thin page in ``pages/``.
"""

from __future__ import annotations

import sys

import streamlit as st

from ui import reveal, warmup
from ui.common import PRESENTATION_KEY
from ui.entry import VIA_APP
from ui.pages import all_pages

st.set_page_config(page_title="regviz: L1 and L2 regularization", layout="wide")

PAGES = all_pages()

# Legacy pages/ mode (a fresh server's first run; every AppTest run) runs this file as a page
# in a module of its own, not as Streamlit's __main__.  Widgets drawn in such a run get other
# ids than in the normal runs that follow, so a student's first click would be lost: end the
# mode (st.navigation) and rerun before drawing anything.
if getattr(sys.modules.get("__main__"), "__dict__", None) is not globals():
    st.navigation(PAGES, position="hidden")
    st.rerun()
# config.toml hides the sidebar menu until this line has run once in the process: before
# st.navigation's first run Streamlit would list the raw pages/ files (see ui/entry.py).
if not st.get_option("client.showSidebarNavigation"):
    st.set_option("client.showSidebarNavigation", True)

page = st.navigation(PAGES)
# A fresh browser's first look at these pages draws the chart before the controls.
reveal.start(page.url_path in reveal.PAGES)
# Presentation mode: one switch for the whole app, read by every figure through ui.common.
reveal.control(st.sidebar.toggle, "Presentation mode", key=PRESENTATION_KEY, fallback=False,
               help="Larger text, lines and markers for a projector; fewer controls.")
if st.session_state.get(PRESENTATION_KEY):
    # Static CSS only (no user text): larger body text for the back of the room.
    # st.html, not st.markdown: style-only HTML takes no space, and needs no HTML parser.
    st.html(
        "<style>.stMarkdown p, .stMarkdown li, .stCaption, label p, button[role=tab] p, "
        "[data-testid=stAlertContainer] p "
        "{font-size: 1.35rem !important;}"
        " h1 {font-size: 3rem !important;}</style>"
    )

# Once per process: open the likely lesson views in the background (ui/warmup.py).
warmup.start_once()
st.session_state[VIA_APP] = True  # the pages' through_app() checks this mark
try:
    with warmup.real_run():  # the warm-up waits while students' runs happen
        page.run()
finally:
    st.session_state.pop(VIA_APP, None)
