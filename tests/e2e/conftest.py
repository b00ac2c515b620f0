"""What every browser test shares: one app server per test module, and Debian's Chromium.

The server is ``streamlit run app.py`` on a free loopback port.  Chromium missing means a
skip, unless REQUIRE_BROWSER=1 (CI), where it is a failure.
"""

from __future__ import annotations

import os

import pytest

from benchmarks.browser import CHROMIUM, CHROMIUM_ARGS
from benchmarks.st_protocol import free_port, start_streamlit


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    proc = start_streamlit(port, tmp_path_factory.mktemp("app") / "streamlit.log")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.stop()


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
