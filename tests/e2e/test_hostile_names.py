"""An upload whose names and levels hold markup goes through every page: nothing is interpreted.

Column names and text levels hold Markdown images and links, LaTeX, emphasis,
HTML and script, and a formula, each pointing at a loopback listener.  The
student loads the table and opens every lesson page (every tab of the lab, the
upload as the data of each).  The test fails on any request to the listener,
any element the names created (an image, a link, a script's effect, bold or
math made from a name), or an exception on a page.
"""

from __future__ import annotations

import http.server
import threading

import numpy as np
import pytest

from tests.e2e.steps import go, open_app, upload, use_upload
from tests.e2e.test_browser_smoke import _idle, _menu

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def listener():
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    httpd.shutdown()


def _hostile_csv(base: str) -> bytes:
    names = [
        f"![u]({base}/md-image.png)",
        f"[click]({base}/md-link)",
        "$x^2$",
        "__bold__ *it*",
        f"<img src='{base}/html-img.png'>",
        "<script>window.__pwned=1</script>",
        f'=HYPERLINK("{base}/formula")',
        ":red[colour] www.example.org",
    ]
    levels = [f"![l]({base}/level.png)", "<b>lvl</b>", "$y$"]
    rng = np.random.default_rng(0)
    n = 120
    X = rng.normal(size=(n, len(names)))
    y = X @ rng.normal(size=len(names)) + rng.normal(size=n)
    rows = ['"' + '","'.join(name.replace('"', '""') for name in [*names, "kind", "price"])
            + '"']
    for i in range(n):
        rows.append(",".join([*(f"{v:.5f}" for v in X[i]), f'"{levels[i % 3]}"',
                              f"{y[i]:.5f}"]))
    return ("\n".join(rows) + "\n").encode()


CREATED = """(base) => {
    const bad = [];
    for (const el of document.querySelectorAll('img, a, script, iframe, source, link')) {
        const url = el.getAttribute('src') || el.getAttribute('href') || '';
        if (url.includes(base)) bad.push(el.tagName + ' ' + url);
    }
    if (window.__pwned) bad.push('script ran');
    for (const el of document.querySelectorAll('strong, b, em, i')) {
        if (/^(bold|it|lvl)$/.test(el.textContent.trim())) bad.push('emphasis ' + el.outerHTML);
    }
    for (const el of document.querySelectorAll('.katex')) {
        if (/x\\^?2|^y$/.test(el.textContent.trim())) bad.push('math ' + el.textContent);
    }
    for (const el of document.querySelectorAll('span')) {
        if (el.textContent.trim() === 'colour' && el.style && el.style.color) {
            bad.push('coloured ' + el.outerHTML);
        }
    }
    return bad;
}"""


def _check(page, base: str, where: str) -> None:
    assert not page.query_selector("[data-testid=stException]"), f"exception on {where}"
    assert page.evaluate(CREATED, base) == [], where


def _open_all_tabs(page, base: str, where: str) -> None:
    tabs = page.get_by_role("tab")
    for i in range(tabs.count()):
        tabs.nth(i).click()
        _idle(page)
        for radio in ("Sidebar data", "Sidebar dataset", "sidebar"):
            option = page.locator("[data-testid=stMain] [data-testid=stRadio] label:visible")
            option = option.filter(has_text=radio)
            if option.count():
                option.first.click()
                _idle(page)
                break
        _check(page, base, f"{where}, tab {i + 1}")


def test_markup_in_names_and_levels_is_shown_literally_on_every_page(server, browser,
                                                                     listener, tmp_path):
    base, hits = listener
    csv = tmp_path / "hostile.csv"
    csv.write_bytes(_hostile_csv(base))
    ctx = browser.new_context(viewport={"width": 1366, "height": 900})
    page = ctx.new_page()
    open_app(page, server)
    upload(page, csv)
    _check(page, base, "Your data")
    assert "$x^2$" in page.get_by_test_id("stMain").inner_text()

    for title in [t for t in _menu(page) if t not in ("Home", "Your data")]:
        go(page, title)
        use_upload(page)
        _check(page, base, title)
        _open_all_tabs(page, base, title)
    page.wait_for_timeout(1000)
    assert hits == [], f"the browser fetched {hits}"
    ctx.close()
