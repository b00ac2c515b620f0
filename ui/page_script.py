"""Scripts that run in the page itself: ``st.html`` with JavaScript, in a box nobody sees.

``ui/scrub.py`` and ``ui/keep_sliders.py`` mount one each.  Streamlit swaps pages without
reloading, so a script file defines its ``start`` once per page load (under a window global)
and each mount calls it.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st


def defined_once(global_name: str, js_file: Path) -> str:
    """JavaScript that sets ``window[global_name]`` to ``js_file``'s ``start``, once."""
    js = js_file.read_text(encoding="utf-8")
    return (f"window.{global_name} = window.{global_name} || (() => {{\n"
            f"{js}\nreturn start;\n}})();")


def run_hidden(key: str, script: str) -> None:
    """Run ``script`` in the page from a container keyed ``key``: hidden, no gap in the column."""
    with st.container(key=key):
        st.html(f"<style>.st-key-{key} {{display: none}}</style><script>{script}</script>",
                unsafe_allow_javascript=True)
