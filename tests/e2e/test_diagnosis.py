"""The diagnosis lesson in a real browser: it opens from the menu and draws its three charts."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from benchmarks.browser import wait_idle

pytestmark = pytest.mark.e2e


def test_diagnosis_opens_from_the_menu_and_draws_its_charts(server, browser):
    from ui.pages import LESSONS

    lesson = next(lesson for lesson in LESSONS if lesson.url_path == "diagnosis")
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(server)
    menu = page.get_by_test_id("stSidebarNavItems")
    menu.get_by_role("link", name=lesson.title).wait_for(timeout=60_000)
    # The home page's first run must be over: a click during it can be lost (as in
    # test_browser_smoke's _paths_page), and then the address never changes.
    wait_idle(page, 180_000)
    menu.get_by_role("link", name=lesson.title).click()
    # The home page may have written its settings to the address (?seed=0) by then,
    # so match the path alone: a glob on the whole address missed "/diagnosis?seed=0".
    page.wait_for_url(
        lambda url: urlparse(url).path.rstrip("/").endswith("/" + lesson.url_path),
        timeout=30_000)
    page.wait_for_function(
        "document.querySelectorAll('.js-plotly-plot').length >= 3", timeout=180_000)
    wait_idle(page, 180_000)
    assert not page.query_selector("[data-testid=stException]")
    charts = page.query_selector_all(".js-plotly-plot")
    assert len(charts) == 3
    # Each chart has drawn data, not an empty frame.
    traces = page.evaluate(
        "Array.from(document.querySelectorAll('.js-plotly-plot')).map(g => g.data.length)")
    assert all(n > 0 for n in traces), traces
    assert page.get_by_text("The 99% trap").count() == 1
    assert not problems, problems
    page.close()
