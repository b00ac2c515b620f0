"""deploy/serve.sh: two app processes behind nginx, and sessions stick to their process.

Starts the proxied setup once for the module (loopback ports only) and talks
to it at the websocket protocol level (benchmarks/st_protocol.py).  Skipped
when nginx is not installed, unless REQUIRE_NGINX=1 or REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from pathlib import Path

import pytest

from deploy import st_protocol as sp

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
VIEW = "dataset=twins&penalty=l2&seed=4"


def _required() -> bool:
    return any(os.environ.get(name) == "1" for name in ("REQUIRE_NGINX", "REQUIRE_BROWSER"))


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    if shutil.which("nginx") is None:
        if _required():
            pytest.fail("nginx is not installed but REQUIRE_NGINX/REQUIRE_BROWSER=1 "
                        "(apt-get install -y nginx)")
        pytest.skip("nginx is not installed (apt-get install -y nginx); "
                    "set REQUIRE_NGINX=1 to make this a failure")
    first = sp.free_ports(3)
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    server = sp.ServerProcess(
        ["bash", str(ROOT / "deploy" / "serve.sh"), "-k", "2", "-p", str(first),
         "-b", str(first + 1)],
        log_path=log, env={"PYTHON": sys.executable, "REGVIZ_WARMUP": "0"},
    )
    try:
        sp.wait_http_ok(first, timeout=90, proc=server.proc)
    except BaseException:
        server.stop()
        pytest.fail(f"deploy/serve.sh did not come up:\n{server.log_tail()}")
    try:
        yield first
    finally:
        server.stop()


def _fresh_browsers(port: int, n: int) -> list[tuple[dict[str, str], str]]:
    """n browsers loading the page for the first time: (cookies, backend that answered)."""
    out = []
    for _ in range(n):
        reply = sp.http_get(port, f"/paths?{VIEW}")
        assert reply.status == 200
        out.append((reply.cookies(), reply.header("x-upstream")))
    return out


def test_a_lesson_page_renders_through_the_proxy_over_the_websocket(proxy) -> None:
    cookies, _ = _fresh_browsers(proxy, 1)[0]
    assert "regviz_backend" in cookies, "nginx did not set the affinity cookie"

    async def go():
        async with sp.Session(proxy, cookies=cookies) as s:
            return await s.run(page_name="paths", query_string=VIEW)

    result = asyncio.run(go())
    assert result.error is None, result.error
    assert not result.exceptions
    assert "plotly_chart" in result.element_types
    assert result.query_string is not None and "dataset=twins" in result.query_string


def test_new_browsers_spread_over_backends_and_each_keeps_its_own(proxy) -> None:
    browsers = _fresh_browsers(proxy, 4)
    backends = {upstream for _, upstream in browsers}
    assert len(backends) == 2, f"4 new browsers all went to {backends}"
    by_cookie = {c["regviz_backend"]: up for c, up in browsers}
    assert len(by_cookie) == 2, "two backends but not two distinct affinity cookies"

    async def ws_upstream(cookies):
        async with sp.Session(proxy, cookies=cookies) as s:
            return s.response_headers.get("x-upstream"), s.response_headers.get("set-cookie")

    for cookies, first_upstream in browsers:
        for _ in range(3):
            again = sp.http_get(proxy, "/paths", cookies=cookies)
            assert again.header("x-upstream") == first_upstream
            assert "regviz_backend" not in again.cookies(), "cookie re-issued to a browser"
        upstream, set_cookie = asyncio.run(ws_upstream(cookies))
        assert upstream == first_upstream, "the websocket upgrade left the session's backend"
        assert set_cookie is None


def test_a_sessions_state_lives_on_its_backend_and_resumes_only_there(proxy) -> None:
    """Session state set by a link is seen by the session's next rerun; a dropped
    websocket reconnecting with the same cookie resumes the same session (same
    process), while one sent to the other backend finds no such session there.

    (After a resume the real frontend re-sends every widget's value; this client
    sends none, so the test checks the session id rather than the widgets.)"""
    (mine, my_backend), (other, other_backend) = _pick_two_backends(proxy)

    async def go():
        async with sp.Session(proxy, cookies=mine) as s:
            first = await s.run(page_name="paths", query_string=VIEW)
            # A rerun without the link's parameters: the values live in session state.
            second = await s.run(page_name="paths", query_string="")
            sid = s.session_id
        async with sp.Session(proxy, cookies=mine, resume_session_id=sid) as s:
            resumed = await s.run(page_name="paths", query_string="")
            resumed_sid = s.session_id
            resumed_upstream = s.response_headers.get("x-upstream")
        async with sp.Session(proxy, cookies=other, resume_session_id=sid) as s:
            elsewhere = await s.run(page_name="paths", query_string="")
            elsewhere_sid = s.session_id
            elsewhere_upstream = s.response_headers.get("x-upstream")
        return (first, second, sid, resumed, resumed_sid, resumed_upstream, elsewhere,
                elsewhere_sid, elsewhere_upstream)

    (first, second, sid, resumed, resumed_sid, resumed_upstream, elsewhere, elsewhere_sid,
     elsewhere_upstream) = asyncio.run(go())
    for run in (first, second, resumed, elsewhere):
        assert run.error is None, run.error
    assert sid
    assert "dataset=twins" in (second.query_string or "")
    assert "penalty=l2" in (second.query_string or "")
    assert resumed_upstream == my_backend
    assert resumed_sid == sid, "reconnecting through the proxy lost the session"
    assert elsewhere_upstream == other_backend != my_backend
    assert elsewhere_sid != sid
    assert "dataset=twins" not in (elsewhere.query_string or "")


def _pick_two_backends(port: int):
    seen: dict[str, dict[str, str]] = {}
    for cookies, upstream in _fresh_browsers(port, 6):
        seen.setdefault(upstream, cookies)
        if len(seen) == 2:
            break
    assert len(seen) == 2, f"new browsers reached only {set(seen)}"
    (b1, c1), (b2, c2) = seen.items()
    return (c1, b1), (c2, b2)


BASE_SCRIPT = b"<script>window.__streamlit={BACKEND_BASE_URL:location.origin}</script>"


def test_pages_tell_the_front_end_its_server_is_at_the_root(proxy) -> None:
    """Before Streamlit's module script runs, so its first health check is the right one."""
    for path in ("/", f"/paths?{VIEW}", "/geometry"):
        body = sp.http_get(proxy, path).body
        assert body.count(BASE_SCRIPT) == 1, path
        assert body.index(BASE_SCRIPT) < body.index(b'<script type="module"'), path
    # Only the page: the front end's own files and JSON answers are served as they are.
    assert BASE_SCRIPT not in sp.http_get(proxy, "/_stcore/host-config").body


def test_a_browser_through_the_proxy_asks_no_health_check_at_the_page_path(proxy) -> None:
    """The 404 at /paths/_stcore/health (and its back-off) is gone, and the page is still
    the one its address names: the lesson draws, and its links lead to the other pages."""
    from benchmarks.browser import CHROMIUM, CHROMIUM_ARGS
    if not os.path.exists(CHROMIUM):
        if _required():
            pytest.fail(f"{CHROMIUM} is missing (apt-get install -y chromium)")
        pytest.skip(f"{CHROMIUM} not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            asked: list[str] = []
            page.on("request", lambda r: asked.append(r.url))
            page.goto(f"http://{sp.HOST}:{proxy}/paths?{VIEW}")
            page.wait_for_selector(".st-key-coef_path .js-plotly-plot .main-svg",
                                   timeout=120_000)
            health = [u for u in asked if "_stcore/health" in u]
            assert health and all(f":{proxy}/_stcore/health" in u for u in health), health
            assert page.get_by_test_id("stMain").get_by_role(
                "heading", name="Coefficient paths").count() == 1
            assert not page.query_selector("[data-testid=stException]")
            page.get_by_test_id("stSidebarNavItems").get_by_role(
                "link", name="Constraint geometry").click()
            page.wait_for_url("**/geometry**", timeout=60_000)
            page.wait_for_selector(".js-plotly-plot .main-svg", timeout=120_000)
            assert not any(f":{proxy}/paths/_stcore" in u or f":{proxy}/geometry/_stcore" in u
                           for u in asked)
        finally:
            browser.close()
