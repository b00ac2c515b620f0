"""Make every page run through app.py, even when a deep link is a fresh server's first visit.

Streamlit treats a ``pages/`` folder next to the entry script as a legacy
multipage app until ``st.navigation`` has run once in the process.  A link
such as ``/sparsity?lab=twins`` opened before anyone opened the home page
would therefore run the lesson file on its own: no page config, no lesson
menu, no presentation switch, and the same for every later visitor.  The
first page run that finds Streamlit in that mode switches it off and reruns,
so app.py's ``st.navigation`` takes over and opens the linked page.
"""

from __future__ import annotations

import streamlit as st


def through_app() -> None:
    """Rerun through app.py if Streamlit ran this page in legacy pages/ mode."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a Streamlit without the legacy mode: nothing to do
        return
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
