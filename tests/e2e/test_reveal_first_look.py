"""A fresh browser at /paths draws the chart first, then the controls (ui/reveal.py)."""

from __future__ import annotations

from tests.e2e.test_browser_smoke import _idle
from ui import reveal

# When the chart's SVG and the sidebar's first control appear; the chart node is marked so
# a later check can tell whether the reveal's rerun replaced it.
TIMELINE = """
window.__firstLook = {};
new MutationObserver(() => {
  const t = window.__firstLook, now = performance.now();
  const svg = document.querySelector('.js-plotly-plot .main-svg');
  if (svg && t.chart === undefined) {
    t.chart = now;
    svg.closest('.js-plotly-plot').__firstDrawn = true;
  }
  if (t.controls === undefined && document.querySelector(
      '[data-testid=stSidebarUserContent] [data-testid=stWidgetLabel]')) t.controls = now;
}).observe(document, {subtree: true, childList: true});
"""


def test_the_chart_is_drawn_before_the_controls_which_then_show_the_links_settings(
        server, browser):
    ctx = browser.new_context(viewport={"width": 1366, "height": 900})
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.add_init_script(TIMELINE)
    try:
        page.goto(f"{server}/paths?penalty=elasticnet&a=0.3&seed=2")
        sidebar = page.get_by_test_id("stSidebarUserContent")
        sidebar.get_by_test_id("stRadio").wait_for(timeout=90_000)
        _idle(page)
        times = page.evaluate("window.__firstLook")
        assert times["chart"] < times["controls"], times
        assert page.evaluate("document.querySelector('.js-plotly-plot').__firstDrawn === true"), \
            "the reveal's rerun drew the chart again"
        assert sidebar.get_by_role("radio", name="Elastic net").is_checked()
        assert sidebar.get_by_test_id("stSlider").get_by_role("slider").get_attribute(
            "aria-valuetext") in ("0.30", "0.3")
        assert sidebar.get_by_test_id("stNumberInputField").input_value() == "2"
        assert page.locator(f".st-key-{reveal.BOX}").count() == 0 or \
            page.locator(f".st-key-{reveal.BOX}").is_hidden()
        # The scrub slider was mounted by the deferred run and still works after the reveal.
        assert page.locator(".regviz-lam").count() == 1

        # Another page and back: the controls are there at once, no second reveal.
        nav = page.get_by_test_id("stSidebarNavItems")
        nav.get_by_role("link", name="Constraint geometry").click()
        _idle(page)
        nav.get_by_role("link", name="Coefficient paths").click()
        _idle(page)
        assert page.locator(f".st-key-{reveal.BOX}").count() == 0
        assert sidebar.get_by_role("radio", name="Elastic net").is_checked()
        assert not errors, errors
        assert page.get_by_test_id("stException").count() == 0
    finally:
        ctx.close()
