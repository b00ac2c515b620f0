"""regviz: see L1, L2 and elastic-net regularization work, live.

Run with ``streamlit run app.py``.  This file only sets up the page and the
navigation; each lesson is a thin page in ``pages/``.
"""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="regviz: L1 and L2 regularization", page_icon="📉", layout="wide")

PAGES = [
    st.Page("pages/home.py", title="Home", icon="🏠", default=True),
    st.Page("pages/paths.py", title="Coefficient paths", icon="📈", url_path="paths"),
]

st.navigation(PAGES).run()
