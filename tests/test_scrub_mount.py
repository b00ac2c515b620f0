"""The scrub script's mount: it survives st.html's sanitizer, and no λ from a link escapes it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.apptest import run_page

SCRUB_JS = Path(__file__).parents[1] / "ui" / "scrub.js"


def _mount_data(body: str) -> dict:
    """The data a mount's one script hands the scrub script, checked free of <, > and &."""
    assert body.count("<script>") == 1 and body.count("</script>") == 1
    assert body.endswith("</script>")
    call = re.search(r"__regvizScrubStart\((\{.*?\}), document", body, re.S)
    assert call and not re.search(r"[<>&]", call.group(1))
    return json.loads(call.group(1))


def test_the_script_has_nothing_the_sanitizer_drops_or_the_parser_ends_on():
    text = SCRUB_JS.read_text(encoding="utf-8")
    # DOMPurify removes a script whose text holds "<" before a letter, "/" or "!".
    assert not re.search(r"<[/\w!]", text)
    assert "</script" not in text.lower() and "<!--" not in text


@pytest.mark.parametrize("lam", [
    "</script><script>alert(1)</script>", "<!--", "\"); alert(1); (\"", "&lt;b&gt;", "0.5",
])
def test_a_hostile_lam_in_the_address_bar_stays_a_string_of_the_mount(lam):
    at = run_page("paths", query={"dataset": "diabetes", "lam": lam})
    mounts = [h.value for h in at.html if "__regvizScrubStart(" in h.value]
    assert len(mounts) == 1
    data = _mount_data(mounts[0])
    assert data["chart"] == "coef_path"
    # The page hands the script the λ it shows: a hostile text is ignored (none, λ_1se),
    # a number opens the nearest frame of the grid, written as the page writes it.
    if lam == "0.5":
        assert float(data["lam"]) > 0
    else:
        assert data["lam"] is None


def _mount(lam_text):
    from streamlit.testing.v1 import AppTest

    def page(lam_text):
        from ui.scrub import scrub
        scrub("coef_path", ("a view",), lam_text)

    at = AppTest.from_function(page, args=(lam_text,))
    at.run()
    assert not at.exception
    return [h.value for h in at.html]


@pytest.mark.parametrize("lam", ["</script><script>alert(1)</script>", "<!--<script>", "a&b>c"])
def test_whatever_text_the_mount_is_given_reaches_the_script_unchanged_and_inert(lam):
    body, = _mount(lam)
    assert _mount_data(body)["lam"] == lam
