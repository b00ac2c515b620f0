"""The geometry page's budget slider t keeps its step while the student visits another page."""

from __future__ import annotations

from tests.e2e.test_browser_smoke import _idle

GD = "document.querySelector('.st-key-geo_constraint .js-plotly-plot')"
# The chart's traces against its frame for step ``active``: True when every trace the frame
# moves shows that frame's coordinates.
SHOWS_ACTIVE_FRAME = f"""() => {{
    const gd = {GD};
    const active = gd._fullLayout.sliders[0].active;
    const name = gd.layout.sliders[0].steps[active].args[0][0];
    const frame = gd._transitionData._frames.find((f) => f.name === name);
    // plotly 7 keeps typed arrays as {{dtype, bdata}} (decoded beside them): compare bytes.
    const norm = (v) => (v && v.bdata !== undefined ? v.bdata
        : v && typeof v === "object" && "length" in v ? Array.from(v) : v);
    return frame.traces.every((t, i) => frame.data[i].x === undefined
        || JSON.stringify(norm(gd.data[t].x)) === JSON.stringify(norm(frame.data[i].x)));
}}"""


def _go(page, title: str) -> None:
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name=title).click()
    _idle(page)
    page.wait_for_selector(".st-key-geo_constraint .js-plotly-plot .main-svg, .regviz-lam",
                           timeout=60_000)


def test_the_budget_slider_is_where_the_student_left_it_after_another_page(server, browser):
    ctx = browser.new_context(viewport={"width": 1366, "height": 900})
    page = ctx.new_page()
    try:
        page.goto(f"{server}/geometry")
        page.wait_for_selector(".st-key-geo_constraint .js-plotly-plot .main-svg",
                               timeout=90_000)
        _idle(page)
        start = page.evaluate(f"{GD}._fullLayout.sliders[0].active")
        rail = page.locator(".st-key-geo_constraint .slider-rail-touch-rect").first
        rail.scroll_into_view_if_needed()
        box = rail.bounding_box()
        page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] / 2)
        page.wait_for_timeout(600)
        moved = page.evaluate(f"{GD}._fullLayout.sliders[0].active")
        assert moved != start
        assert page.evaluate(SHOWS_ACTIVE_FRAME)

        _go(page, "Coefficient paths")
        _go(page, "Constraint geometry")
        page.wait_for_function(f"() => {GD}._fullLayout.sliders[0].active === {moved}",
                               timeout=10_000)
        assert page.evaluate(SHOWS_ACTIVE_FRAME), "the slider moved but the chart did not"
        assert page.evaluate(f"{GD}.layout.sliders[0].active") == moved

        steps = page.evaluate(f"{GD}.layout.sliders[0].steps.map((s) => s.label).join()")
        kept = page.evaluate("JSON.parse(sessionStorage.getItem('regviz-sliders'))")
        assert kept == {f"geo_constraint|{steps}": moved}  # only the moved chart is kept
    finally:
        ctx.close()
