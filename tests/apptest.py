"""What page tests share: run a lesson page headless, read its captions and chart specs."""

from __future__ import annotations

import json
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

PAGES = Path(__file__).resolve().parents[1] / "pages"


def run_page(name: str, *, query: dict[str, str] | None = None, timeout: float = 180,
             **state) -> AppTest:
    """Run ``pages/<name>.py`` once with URL parameters and session state; no exception."""
    at = AppTest.from_file(str(PAGES / f"{name}.py"), default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(markdown: str) -> str:
    """What a reader sees of escaped Markdown (``regviz.usertext.md``): backslashes dropped."""
    return re.sub(r"\\(.)", r"\1", markdown)


def captions(at: AppTest) -> str:
    return "\n".join(shown(c.value) for c in at.caption)


def charts(at: AppTest) -> dict[str, dict]:
    """Every chart's JSON spec, by the key the page gave it."""
    return {el.proto.id.rsplit("-", 1)[-1]: json.loads(el.proto.spec)
            for el in at.get("plotly_chart")}


def navigation_app(tmp_path: Path, pages: dict[str, str], *, timeout: float = 180) -> AppTest:
    """An AppTest of a miniature app.py navigating ``{url_path: page file name}``, not run.

    The real pages are linked beside it, so ``st.switch_page`` between them resolves as in
    the app; a test sets query parameters and session state, then runs it.
    """
    (tmp_path / "pages").symlink_to(PAGES)
    entries = ",\n               ".join(f"st.Page('pages/{page}.py', url_path='{url}')"
                                        for url, page in pages.items())
    main = tmp_path / "app.py"
    main.write_text(f"import streamlit as st\nst.navigation([{entries}]).run()\n")
    return AppTest.from_file(str(main), default_timeout=timeout)
