""""How the zeros are made" in a real browser: the page opens from the menu without an
exception, and an optimizer-race frame plays client-side (Plotly.animate moves the iterates)."""

from __future__ import annotations

import pytest

from benchmarks.browser import wait_idle

pytestmark = pytest.mark.e2e



PLAY_FRAME = """async (name) => {
  const gd = document.querySelector('.js-plotly-plot');
  const before = gd._fullData.filter(t => t.mode === 'lines+markers').map(t => t.x.length);
  await window.Plotly.animate(gd, [name], {frame: {duration: 0, redraw: false},
                                           transition: {duration: 0}, mode: 'immediate'});
  const after = gd._fullData.filter(t => t.mode === 'lines+markers').map(t => t.x.length);
  return {before, after};
}"""


def test_page_opens_from_the_menu_and_a_race_frame_plays(server, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(server)
    nav = page.get_by_test_id("stSidebarNavItems")
    nav.get_by_role("link", name="How the zeros are made").click()
    page.wait_for_selector("text=How the zeros are made", timeout=60_000)
    wait_idle(page, 120_000)
    page.get_by_role("tab", name="2 · Four optimizers").click()
    page.wait_for_selector(".js-plotly-plot", timeout=120_000)
    wait_idle(page, 120_000)
    assert not page.query_selector("[data-testid=stException]")
    moved = page.evaluate(PLAY_FRAME, "k10")
    # the four trails start with one point and hold eleven after frame k10
    assert moved["before"] == [1, 1, 1, 1] and moved["after"] == [11, 11, 11, 11], moved
    assert not problems, problems
