""""How the zeros are made", part 1, in a real browser: λ and z both scrub client-side.

The λ slider is a plotly slider ("update" steps), clicked on its rail as a student would;
z is a frame.  Each keeps the other's position, the shown dot is at (z, shrink(z, λ)),
and the page sends nothing to the server (no rerun).
"""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.browser import COUNT_SENT_MESSAGES, SENT_MESSAGES, wait_idle
from regviz import optimizers as opt
from regviz.penalties import L1

pytestmark = pytest.mark.e2e

# The shown L1 dot (its per-point opacity picks the λ) and the L1 dead zone on screen.
STATE = """() => {
  const gd = document.querySelector('.js-plotly-plot');
  const dot = gd.data.find(t => t.mode === 'markers+text' && t.legendgroup === 'L1 (lasso)');
  const i = dot.marker.opacity.indexOf(1);
  const zone = gd.data.find(t => t.fill === 'toself' && t.visible === true);
  return {i, x: dot.x[i], y: dot.y[i], half: Math.max(...zone.x),
          title: gd.layout.annotations[0].text,
          lams: gd.layout.sliders[1].steps.map(s => Number(s.label))};
}"""

PLAY_Z = """async (name) => {
  const gd = document.querySelector('.js-plotly-plot');
  await window.Plotly.animate(gd, [name], {frame: {duration: 0, redraw: false},
                                           transition: {duration: 0}, mode: 'immediate'});
}"""


def _click_lambda(page, fraction: float) -> None:
    """Click the λ slider's rail (the second plotly slider) at ``fraction`` of its length."""
    rail = page.locator(".js-plotly-plot .slider-group").nth(1).locator(
        ".slider-rail-touch-rect")
    rail.scroll_into_view_if_needed()
    box = rail.bounding_box()
    page.mouse.click(box["x"] + fraction * box["width"], box["y"] + box["height"] / 2)
    page.wait_for_timeout(400)


def test_lambda_and_z_scrub_in_the_browser_and_keep_each_others_position(server, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 1000})
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(server + "/zeros-made?part=shrink")
    page.wait_for_selector(".js-plotly-plot", timeout=120_000)
    wait_idle(page, 120_000)
    page.evaluate(COUNT_SENT_MESSAGES)

    start = page.evaluate(STATE)
    lams = start["lams"]
    assert lams[start["i"]] == 1.0 and start["half"] == pytest.approx(0.5)

    _click_lambda(page, 1.0)  # the rail's right end: the largest λ
    big = page.evaluate(STATE)
    assert big["i"] == len(lams) - 1 and big["half"] == pytest.approx(lams[-1] / 2)
    assert f"λ = {lams[-1]:g}" in big["title"]
    assert big["x"] == start["x"]  # z stayed where it was
    assert big["y"] == pytest.approx(float(opt.shrink(big["x"], lams[-1], L1())))

    page.evaluate(PLAY_Z, "z50")  # z = 2
    moved = page.evaluate(STATE)
    assert moved["i"] == big["i"]  # λ stayed where it was
    assert moved["x"] == pytest.approx(2.0)
    assert moved["y"] == pytest.approx(float(opt.shrink(2.0, lams[-1], L1())))

    _click_lambda(page, 0.0)  # the smallest λ, z still 2
    small = page.evaluate(STATE)
    assert small["i"] == 0 and small["x"] == pytest.approx(2.0)
    assert small["y"] == pytest.approx(float(np.asarray(opt.shrink(2.0, lams[0], L1()))))

    assert page.evaluate(SENT_MESSAGES) == 0  # no rerun: all of it happened in the browser
    assert not page.query_selector("[data-testid=stException]")
    assert not problems, problems
