"""The app in a real browser: every page opens from the menu, and lambda scrubs client-side.

Starts ``streamlit run app.py`` on a free loopback port and drives Debian's
Chromium with Playwright.  Skipped when Chromium is missing, unless
REQUIRE_BROWSER=1 (CI), where that is a failure.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from benchmarks.browser import (
    COUNT_SENT_MESSAGES,
    SENT_MESSAGES,
    wait_idle,
)
from benchmarks.st_protocol import free_port, start_streamlit

pytestmark = pytest.mark.e2e



def _idle(page) -> None:
    page.wait_for_selector("[data-testid=stMain]", timeout=90_000)
    wait_idle(page, 90_000)


def _open(browser, url: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(url)
    # Wait for the real menu (st.navigation), not the file list of the first instant.
    page.wait_for_selector("[data-testid=stSidebarNavItems] >> text=Coefficient paths",
                           timeout=60_000)
    _idle(page)
    return page, problems


def _menu(page) -> list[str]:
    links = page.query_selector_all("[data-testid=stSidebarNavItems] a")
    return [link.inner_text().strip() for link in links]


def test_every_page_opens_from_the_menu_without_errors(server, browser):
    from tests.e2e.steps import WIDENED_MARGINS  # steps imports this module

    page, problems = _open(browser, server)
    titles = _menu(page)
    assert "Home" in titles and "Coefficient paths" in titles
    for title in titles:
        page.get_by_test_id("stSidebarNavItems").get_by_role("link", name=title).click()
        _idle(page)
        assert not page.query_selector("[data-testid=stException]"), f"exception on {title}"
        assert page.query_selector("h1"), f"{title} drew no title"
        page.wait_for_timeout(300)  # plotly's draws settle after the script
        problems += [f"{title}: plotly widened a margin ({side}) and drew the chart twice"
                     for side in page.evaluate(WIDENED_MARGINS)]
    assert not problems, problems
    page.close()


def test_dragging_lambda_moves_marker_and_bars_without_a_rerun(server, browser):
    page, problems = _open(browser, server)
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Coefficient paths").click()
    page.wait_for_selector(".js-plotly-plot", timeout=90_000)
    _idle(page)
    page.wait_for_function("() => document.querySelector('svg.regviz-scrub')", timeout=30_000)
    sent: list[object] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    # Frames sent on sockets opened before this point are observed through a page hook.
    page.evaluate(COUNT_SENT_MESSAGES)
    snap = """() => {
        const layer = document.querySelector('svg.regviz-scrub');
        const gd = document.querySelector('.js-plotly-plot');
        return {frame: layer.dataset.frame,
                active: Number(gd.querySelector('input.regviz-lam').value),
                marker: gd.__regvizScrub.parts.marker.getAttribute('d'),
                bars: [...layer.querySelectorAll('rect')].map(r => r.getAttribute('width'))};
    }"""
    rail = page.evaluate("""() => {
        const rail = document.querySelector('.js-plotly-plot input.regviz-lam');
        rail.scrollIntoView({block: 'center'});
        const r = rail.getBoundingClientRect();
        return [r.left, r.top + r.height / 2, r.width];
    }""")
    left, y, width = rail
    page.mouse.move(left + 0.1 * width, y)
    page.mouse.down()
    mid = page.evaluate(snap)
    page.mouse.move(left + 0.9 * width, y, steps=8)
    page.mouse.up()
    after = page.evaluate(snap)
    assert mid["active"] < after["active"] and after["frame"] != mid["frame"]
    assert mid["marker"] != after["marker"] and mid["bars"] != after["bars"]
    # The λ_min button moves the slider and the drawing to that frame.
    target = page.evaluate("""() => document.querySelector('.js-plotly-plot').layout
        .meta.scrub.buttons.find(b => b.label === 'λ_min').frames[0]""")
    page.locator(".regviz-buttons button").filter(has_text="λ_min").click()
    page.wait_for_function(
        "(name) => document.querySelector('svg.regviz-scrub').dataset.frame === name",
        arg=target, timeout=10_000)
    page.wait_for_timeout(1500)
    assert page.evaluate(SENT_MESSAGES) == 0, "scrubbing sent a message to the server"
    assert not sent
    assert not problems, problems
    page.close()


def _paths_page(browser, url: str, **context):
    ctx = browser.new_context(viewport={"width": 1280, "height": 720}, **context)
    page = ctx.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(url)
    nav = page.get_by_test_id("stSidebarNavItems")
    nav.get_by_role("link", name="Coefficient paths").wait_for(timeout=60_000)
    _idle(page)
    nav.get_by_role("link", name="Coefficient paths").click()
    page.wait_for_selector(".js-plotly-plot", timeout=90_000)
    _idle(page)
    return ctx, page, problems


FONT = "() => document.querySelector('.js-plotly-plot')._fullLayout.font.size"
BODY = ("() => parseFloat(getComputedStyle(document.querySelector("
        "'[data-testid=stMain] .stMarkdown p')).fontSize)")


ALERT = ("() => parseFloat(getComputedStyle(document.querySelector("
         "'[data-testid=stMain] [data-testid=stAlertContainer] p')).fontSize)")


def test_presentation_mode_enlarges_the_notices_like_the_body_text(server, browser):
    """The classification notice (an st.info box) is read from the back of the room too."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    page = ctx.new_page()
    page.goto(f"{server}/paths?dataset=breast_cancer")
    page.wait_for_selector(".js-plotly-plot", timeout=90_000)
    _idle(page)
    alert_before = page.evaluate(ALERT)
    page.get_by_text("Presentation mode").click()
    _idle(page)
    page.wait_for_selector("[data-testid=stAlertContainer]", timeout=60_000)
    assert page.evaluate(ALERT) > 1.2 * alert_before
    assert page.evaluate(ALERT) == page.evaluate(BODY)
    ctx.close()


def test_presentation_mode_enlarges_text_and_figures(server, browser):
    ctx, page, problems = _paths_page(browser, server)
    chart_before, body_before = page.evaluate(FONT), page.evaluate(BODY)
    page.get_by_text("Presentation mode").click()
    _idle(page)
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    assert page.evaluate(FONT) >= 1.4 * chart_before
    assert page.evaluate(BODY) > body_before
    # Secondary controls fold into one closed expander.
    assert page.get_by_test_id("stSidebar").get_by_text("More settings").count() == 1
    assert not problems, problems
    ctx.close()


def test_keyboard_reaches_the_main_controls(server, browser):
    ctx, page, problems = _paths_page(browser, server)
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Home").focus()
    seen: set[str] = set()
    for _ in range(80):
        page.keyboard.press("Tab")
        seen.add(page.evaluate("""() => {
            const el = document.activeElement;
            const box = el.closest('[data-testid]');
            return (el.getAttribute('aria-label') || '') + '|' + (box ? box.dataset.testid : '')
                + '|' + (el.innerText || '').slice(0, 40);
        }"""))
    text = " ".join(seen)
    assert "stSelectbox" in text or "Dataset" in text
    assert "L1 (lasso)" in text or "stRadio" in text
    assert "Presentation mode" in text or "stCheckbox" in text
    assert not problems, problems
    ctx.close()


def test_dark_theme_draws_light_ink_without_errors(server, browser):
    ctx, page, problems = _paths_page(browser, server, color_scheme="dark")
    # The theme is known to the server from the second run on: re-enter through the menu.
    nav = page.get_by_test_id("stSidebarNavItems")
    nav.get_by_role("link", name="Home").click()
    _idle(page)
    nav.get_by_role("link", name="Coefficient paths").click()
    page.wait_for_selector(".js-plotly-plot", timeout=90_000)
    _idle(page)
    fill = page.evaluate("""() => getComputedStyle(
        document.querySelector('.js-plotly-plot .xtick text')).fill""")
    r, g, b = (int(v) for v in fill[fill.index("(") + 1:fill.index(")")].split(",")[:3])
    assert 0.299 * r + 0.587 * g + 0.114 * b > 128, f"tick labels are dark on dark: {fill}"
    assert not problems, problems
    ctx.close()


# What the paths page's first paint leaves out, so that its chart draws sooner: KaTeX (the
# objective is an SVG), the download section and the subgradient note (built when opened).
OBJECTIVE = """() => {
    const box = document.querySelector('[data-testid=stMain] div[role=img][aria-label]');
    const main = document.querySelector('[data-testid=stMainBlockContainer]');
    if (!box) return null;
    const r = box.getBoundingClientRect(), room = main.getBoundingClientRect();
    const cs = getComputedStyle(box), text = getComputedStyle(main).color;
    return {title: box.getAttribute('aria-label'), width: r.width, height: r.height,
            left: r.left - room.left, right: room.right - r.right,
            masked: (cs.maskImage || cs.webkitMaskImage || '').startsWith('url("data:image/svg'),
            painted: cs.backgroundColor === text};
}"""


def test_the_paths_page_builds_its_formula_downloads_and_listing_without_katex(server, browser):
    ctx, page, problems = _paths_page(browser, server)
    shown = page.evaluate(OBJECTIVE)
    assert shown and shown["title"].startswith("L(w,b)=\\frac{1}{n}"), shown
    assert shown["width"] > 300 and shown["height"] > 20, shown  # drawn, not collapsed
    assert shown["left"] >= 0 and shown["right"] >= 0, shown  # inside the column
    assert shown["masked"] and shown["painted"], shown  # the glyphs, in the theme's text colour
    assert not page.query_selector(".katex"), "KaTeX drawn on the first paint"
    assert not page.query_selector("[data-testid=stDownloadButton]")
    main = page.get_by_test_id("stMain")
    main.get_by_text("Take the results away").click()
    buttons = page.get_by_test_id("stDownloadButton")
    buttons.first.wait_for(timeout=60_000)
    _idle(page)
    labels = {buttons.nth(i).inner_text().split("\n")[-1] for i in range(buttons.count())}
    assert labels >= {  # each label follows its icon's ligature
        "Coefficients", "Whole path", "Python script"}
    assert not page.query_selector("[data-testid=stCode]"), "listing drawn before it was asked"
    main.get_by_text("Show the script").click()
    code = page.locator("[data-testid=stCode]").first
    code.wait_for(timeout=60_000)
    _idle(page)
    assert "from sklearn" in code.inner_text()
    main.get_by_text("Why exact zeros?").click()
    page.locator(".katex").first.wait_for(timeout=60_000)  # the note's formula, once opened
    assert "λ" in main.get_by_text("The absolute value has a corner").inner_text()
    assert not page.query_selector("[data-testid=stException]")
    assert not problems, problems
    ctx.close()


def test_sparsity_lab_draws_every_experiment_when_its_tab_opens(server, browser):
    page, problems = _open(browser, server)
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Sparsity lab").click()
    _idle(page)
    tabs = page.get_by_role("tab")
    names = [tabs.nth(i).inner_text().strip() for i in range(tabs.count())]
    assert len(names) == 5, names
    for i, name in enumerate(names):
        tabs.nth(i).click()
        _idle(page)
        panel = page.get_by_role("tabpanel").filter(has=page.locator(".js-plotly-plot"))
        panel.first.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=120_000)
        assert not page.query_selector("[data-testid=stException]"), f"exception in {name}"
        assert page.get_by_role("tab", name=name).get_attribute("aria-selected") == "true"
    assert "lab=contest" in page.url
    assert not problems, problems
    page.close()


# Streamlit's front end finds its base URL by asking the page's own path first: on any deep
# link (fresh server or not) these two requests answer 404 by design, then it uses "/".
BASE_URL_PROBES = ("/_stcore/health", "/_stcore/host-config")


def test_deep_link_as_a_fresh_servers_first_visit_gets_the_lesson_menu(browser, tmp_path):
    # A pages/ folder makes Streamlit start in its legacy mode; the first visit must still
    # run through app.py (lesson titles in the menu, never the raw file listing) and open
    # the linked view, with no console error but Streamlit's own base-URL probes.
    port = free_port()
    proc = start_streamlit(port, tmp_path / "streamlit.log")
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        failed: list[str] = []
        page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"http://127.0.0.1:{port}/sparsity?lab=corners&seed=3")
        menus: list[list[str]] = []
        for _ in range(600):
            menus.append(_menu(page))
            if "Sparsity lab" in menus[-1]:
                break
            page.wait_for_timeout(50)
        _idle(page)
        assert all(not m or "Sparsity lab" in m for m in menus), f"legacy listing: {menus}"
        assert "Sparsity lab" in _menu(page) and "sparsity" not in _menu(page)
        assert page.get_by_role("tab", name="2 · Why corners win").get_attribute(
            "aria-selected") == "true"
        assert "seed=3" in page.url
        assert not page.get_by_text("Page not found").count()
        unexpected = [u for u in failed if not u.endswith(BASE_URL_PROBES)]
        assert not unexpected, unexpected
        # Each 404 probe logs one console line; nothing else may.
        assert len(errors) <= len(failed), errors
        page.close()
    finally:
        proc.stop()


@pytest.mark.parametrize("url_path", ["house-prices", "your-data", "zeros-made", "geometry"])
def test_every_lesson_deep_link_opens_on_a_fresh_server_without_page_not_found(
        browser, tmp_path, url_path):
    # In legacy mode Streamlit names pages after their files: a file named otherwise than its
    # URL would show "Page not found" before app.py takes over.
    from ui.pages import LESSONS

    lesson = next(lesson for lesson in LESSONS if lesson.url_path == url_path)
    port = free_port()
    proc = start_streamlit(port, tmp_path / "streamlit.log")
    try:
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(f"http://127.0.0.1:{port}/{url_path}")
        page.wait_for_selector(f"[data-testid=stSidebarNavItems] >> text={lesson.title}",
                               timeout=90_000)
        _idle(page)
        assert not page.get_by_text("Page not found").count()
        assert not page.query_selector("[data-testid=stException]")
        assert urlparse(page.url).path.strip("/") == url_path
        page.close()
    finally:
        proc.stop()


def test_the_first_click_on_a_fresh_server_is_kept(browser, tmp_path):
    # A fresh server's first run is in legacy pages/ mode, where widgets get other ids than
    # in later runs: app.py reruns before drawing any, so this first click is not lost.
    port = free_port()
    proc = start_streamlit(port, tmp_path / "streamlit.log")
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.goto(f"http://127.0.0.1:{port}/")
        page.wait_for_selector("[data-testid=stSidebarNavItems] >> text=Coefficient paths",
                               timeout=90_000)
        _idle(page)
        toggle = page.locator("input[aria-label='Presentation mode']")
        page.get_by_test_id("stSidebar").get_by_text("Presentation mode", exact=True).click()
        _idle(page)
        page.wait_for_timeout(1000)
        assert toggle.is_checked()
        size = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('h1'))"
                             ".fontSize)")
        assert size >= 47  # 3rem in presentation mode
        page.close()
    finally:
        proc.stop()
