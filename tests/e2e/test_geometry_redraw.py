"""Constraint geometry in a real browser: a 2-D slider redraws the 2-D views only, and the URL
holds every control.

Starts ``streamlit run app.py`` on a free loopback port and drives Debian's
Chromium with Playwright (skipped without Chromium unless REQUIRE_BROWSER=1).
Each chart's ``.js-plotly-plot`` node gets a marker property and a counter
on plotly's ``plotly_afterplot`` event: a chart that was re-rendered has lost
its marker (new node) or counted a redraw.
"""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlparse

import pytest

from benchmarks.browser import wait_idle
from benchmarks.geometry_redraw import MARK_CHARTS, slider_thumb

pytestmark = pytest.mark.e2e

CONTROLS = {"w1", "w2", "rho", "noise", "seed", "w31", "w32", "w33", "rho3", "noise3", "gdata",
            "penalty"}

CHARTS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(gd => ({
    mark: gd.__regvizMark === undefined ? null : gd.__regvizMark,
    afterplots: gd.__afterplots || 0,
    scene: !!(gd._fullLayout && gd._fullLayout.scene),
    title: (gd.layout && gd.layout.annotations && gd.layout.annotations[0]
            ? gd.layout.annotations[0].text : ''),
}))"""



def _open(browser, url: str):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(url)
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length === 4",
                           timeout=120_000)
    wait_idle(page)
    return page, problems


def _query(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def _wait_for(page, condition, timeout_s: float = 120.0):
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        page.wait_for_timeout(250)
    raise AssertionError("timed out")


def test_a_2d_slider_redraws_the_2d_views_and_leaves_the_3d_chart_alone(server, browser):
    page, problems = _open(browser, f"{server}/geometry")
    assert set(_query(page)) >= CONTROLS, _query(page)
    page.evaluate(MARK_CHARTS)
    before = page.evaluate(CHARTS)
    three_d = [c["mark"] for c in before if c["scene"]]
    assert len(three_d) == 1
    w1 = float(_query(page)["w1"])
    thumb = slider_thumb(page, "True w₁*")
    thumb.focus()
    thumb.press("ArrowRight")

    def settled():
        charts = page.evaluate(CHARTS)
        fresh = [c for c in charts if c["mark"] is None]
        return charts if len(charts) == 4 and len(fresh) == 3 else None

    after = _wait_for(page, settled)
    page.wait_for_timeout(1500)  # anything still to come would show up here
    after = page.evaluate(CHARTS)
    kept = [c for c in after if c["scene"]]
    assert len(after) == 4
    assert kept[0]["mark"] == three_d[0] and kept[0]["afterplots"] == 0
    assert all(c["mark"] is None for c in after if not c["scene"])  # the 2-D views: redrawn
    query = _query(page)
    assert float(query["w1"]) == pytest.approx(w1 + 0.1)
    assert set(query) >= CONTROLS
    assert not page.query_selector("[data-testid=stException]")
    assert not problems, problems
    page.close()


def test_a_link_opens_the_view_it_names(server, browser):
    link = {"w1": "-1.5", "w2": "0", "rho": "0", "noise": "0", "seed": "3", "w31": "1.2",
            "w32": "0", "w33": "-1.2", "rho3": "0", "noise3": "0", "penalty": "l2",
            "gdata": "sim"}
    page, problems = _open(browser, f"{server}/geometry?" + "&".join(
        f"{k}={v}" for k, v in link.items()))
    query = _query(page)
    for name, value in link.items():
        same = query[name] == value if name in ("penalty", "gdata") else \
            float(query[name]) == float(value)
        assert same, (name, query[name], value)
    values = page.get_by_test_id("stSliderThumbValue").all_inner_texts()
    assert any(float(v) == -1.5 for v in values if v.strip("-").replace(".", "").isdigit())
    text = page.get_by_test_id("stMain").inner_text()
    assert "w₂ is exactly 0" in text and "e-1" not in text  # exact zeros, no rounding crumbs
    assert not problems, problems
    page.close()


# Every visible SVG text of each chart: its box, its group (legend, annotation, slider, button,
# readout, tick) and its string.  Hidden step labels (transparent, 2 px) are left out.
TEXT_BOXES = """(gd) => {
    const chart = gd.getBoundingClientRect();
    const out = [];
    for (const el of gd.querySelectorAll('text')) {
        const style = getComputedStyle(el);
        const size = parseFloat(style.fontSize);
        if (!el.textContent.trim() || size < 4 || style.fill === 'rgba(0, 0, 0, 0)'
            || style.display === 'none' || style.visibility === 'hidden'
            || style.opacity === '0') continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        const group = el.closest('.legend') ? 'legend' : el.closest('.annotation') ? 'annotation'
            : el.closest('.slider-container') ? 'slider' : el.closest('.updatemenu-container')
            ? 'button' : el.closest('.textpoint') ? 'readout' : 'axis';
        out.push({text: el.textContent, group, x0: r.left - chart.left, x1: r.right - chart.left,
                  y0: r.top - chart.top, y1: r.bottom - chart.top});
    }
    return {width: chart.width, height: chart.height, texts: out};
}"""


def _overlap(a: dict, b: dict, slack: float = 1.0) -> bool:
    return (min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > slack
            and min(a["y1"], b["y1"]) - max(a["y0"], b["y0"]) > slack)


def _layout_problems(page) -> list[str]:
    problems = []
    for i, gd in enumerate(page.query_selector_all(".js-plotly-plot")):
        gd.scroll_into_view_if_needed()
        box = gd.evaluate(TEXT_BOXES)
        texts = box["texts"]
        for t in texts:
            if t["x0"] < -1 or t["y0"] < -1 or t["x1"] > box["width"] + 1 or \
                    t["y1"] > box["height"] + 1:
                problems.append(f"chart {i}: {t['text']!r} ({t['group']}) is cut at the edge")
        for j, a in enumerate(texts):
            for b in texts[j + 1:]:
                if a["group"] != b["group"] and _overlap(a, b):
                    problems.append(f"chart {i}: {a['text']!r} ({a['group']}) overlaps "
                                    f"{b['text']!r} ({b['group']})")
    return problems


@pytest.mark.parametrize(("width", "height", "present"), [(1366, 900, False), (1280, 720, True)])
def test_no_chart_text_is_cut_or_overlapping(server, browser, width, height, present):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(f"{server}/geometry?penalty=elasticnet&a=0.5")
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length === 4",
                           timeout=120_000)
    wait_idle(page)
    if present:
        page.get_by_text("Presentation mode").click()
        page.wait_for_timeout(1000)
        wait_idle(page)
        page.wait_for_function(
            "() => document.querySelectorAll('.js-plotly-plot').length === 4", timeout=120_000)
        wait_idle(page)
    assert not _layout_problems(page)
    page.close()
