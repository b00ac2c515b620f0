"""Make every page run through app.py, even when a deep link is a fresh server's first visit.

Streamlit treats a ``pages/`` folder next to the entry script as a legacy
multipage app until ``st.navigation`` has run once in the process.  A link
such as ``/sparsity?lab=twins`` opened before anyone opened the home page
would run the lesson file on its own: no page config, no lesson menu, no
presentation switch.  Two public mechanisms close that gap:

- ``client.showSidebarNavigation = false`` (``.streamlit/config.toml``) hides
  the legacy file listing, which that option controls only in legacy mode;
  ``st.navigation``'s own menu is unaffected.
- app.py marks each run it makes (``VIA_APP``).  A page that runs without the
  mark while app.py is the served script calls ``st.navigation`` itself (which
  ends legacy mode for the process) and reruns, so app.py opens the linked
  page.  A page served on its own (AppTest from the page file,
  ``streamlit run pages/x.py``) is left alone.  AppTest on app.py starts every
  run in legacy mode, so this path is exercised by every app-level AppTest.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

APP = Path(__file__).resolve().parents[1] / "app.py"
VIA_APP = "_run_via_app"


def _served_app_is_ours() -> bool:
    """Is app.py the script Streamlit serves?  It runs scripts as ``__main__``.

    In legacy mode a page runs inside app.py's ``__main__`` module; a page served on its
    own (AppTest from the page file, ``streamlit run pages/x.py``) is its own ``__main__``.
    """
    main_file = getattr(sys.modules.get("__main__"), "__file__", None)
    try:
        return main_file is not None and Path(main_file).resolve() == APP
    except OSError:
        return False


def through_app() -> None:
    """Rerun through app.py if this page ran without it (legacy pages/ mode)."""
    if st.session_state.get(VIA_APP) or not _served_app_is_ours():
        return
    from ui.pages import all_pages

    st.navigation(all_pages(), position="hidden")
    st.rerun()
