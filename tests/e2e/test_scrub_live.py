"""Scrubbing λ on the paths chart: every moving part shows regviz's numbers at that λ.

The slider is dragged with the mouse, as a student drags it.  At each λ reached, the
marker, the bars and their exact-zero crosses, the error markers and the readout are read
from the page (the scrub script's SVG over the plotly chart, and the chart's axes for
pixels) and compared with ``regviz.explorer.explore`` run here on the same data.  The
server hears nothing while the slider moves; after the release the address bar holds λ,
and that address opens the chart at the same λ.
"""

from __future__ import annotations

import math
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest

from benchmarks.browser import COUNT_SENT_MESSAGES, SENT_MESSAGES
from regviz.explorer import explore
from tests.e2e.test_browser_smoke import _idle
from ui.datasets import builtin_choice

DATASET = "diabetes"  # 10 features (every one gets a bar), an OLS end and a CV curve
URL = f"/paths?dataset={DATASET}&penalty=l1"

# Everything the page draws for the λ it is at, read off the overlay and the chart's axes.
READ = """() => {
    const gd = document.querySelector('.st-key-coef_path .js-plotly-plot');
    const scrub = gd.__regvizScrub;
    const layer = document.querySelector('svg.regviz-scrub');
    const px = (name, v) => {
        const ax = gd._fullLayout[name];
        return ax._offset + ax.l2p(ax.d2c(v));
    };
    const bars = scrub.parts.bars.map(r => ({
        value: Number(r.dataset.value), x: Number(r.getAttribute('x')),
        width: Number(r.getAttribute('width'))}));
    const points = scrub.parts.error_points.filter(c => c.getAttribute('display') !== 'none')
        .map(c => ({
        y: Number(c.dataset.y), cy: Number(c.getAttribute('cy')),
        cx: Number(c.getAttribute('cx'))}));
    const input = gd.querySelector('input.regviz-lam');
    return {
        active: Number(input.value), drawn: layer.dataset.frame,
        label: gd.querySelector('.regviz-lam-label').textContent,
        valuetext: input.getAttribute('aria-valuetext'),
        names: scrub.names, lam: gd.data[scrub.roles.marker].meta.lam,
        marker: Number(scrub.parts.marker.dataset.x),
        errorMarker: Number(scrub.parts.error_marker.dataset.x),
        markerPx: scrub.parts.marker.getAttribute('d'),
        bars, zero: px('xaxis3', 0), ends: bars.map(b => px('xaxis3', b.value)),
        crosses: scrub.parts.zeros.map(z => z.getAttribute('display') !== 'none'),
        points, pointPx: points.map(p => px('yaxis2', p.y)), xPx: px('xaxis2', 0),
        readout: scrub.parts.readout.textContent,
        lines: [...scrub.parts.readout.children].map(t => t.textContent),
    };
}"""

RAIL = """() => {
    const rail = document.querySelector('.st-key-coef_path input.regviz-lam');
    rail.scrollIntoView({block: 'center'});
    const r = rail.getBoundingClientRect();
    return [r.left, r.top + r.height / 2, r.width];
}"""


@pytest.fixture(scope="module")
def exploration():
    choice = builtin_choice(DATASET)
    return explore(choice.X, choice.y, choice.feature_names, penalty="l1", seed=0)


def _open(browser, url: str, **context):
    ctx = browser.new_context(viewport={"width": 1366, "height": 900}, **context)
    page = ctx.new_page()
    problems: list[str] = []
    # A deep link's first probes (/paths/_stcore/health, host-config) answer 404: Streamlit's
    # own, before the app redirects them; not an error of this page.
    page.on("console", lambda m: problems.append(m.text) if m.type == "error"
            and "404" not in m.text else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(url)
    page.wait_for_selector(".st-key-coef_path .js-plotly-plot", timeout=90_000)
    _idle(page)
    page.wait_for_function("() => document.querySelector('svg.regviz-scrub')", timeout=30_000)
    page.locator(".st-key-coef_path").scroll_into_view_if_needed()
    return ctx, page, problems


def _grip_x(page) -> float:
    """The slider grip's centre on screen (a native range input's thumb spans its width less
    one thumb)."""
    return page.evaluate("""() => {
        const input = document.querySelector('.st-key-coef_path input.regviz-lam');
        const r = input.getBoundingClientRect();
        const thumb = parseFloat(getComputedStyle(input).getPropertyValue('--thumb'));
        return r.left + thumb / 2 + (r.width - thumb) * Number(input.value) / Number(input.max);
    }""")


def _drag_to(page, target: int, n_frames: int) -> float:
    """Hold the grip and move until the slider sits at frame ``target`` (mouse stays down);
    returns the mouse's x."""
    left, y, width = page.evaluate(RAIL)
    active = lambda: page.evaluate(ACTIVE)  # noqa: E731
    x = left + width * target / max(n_frames - 1, 1)
    for _ in range(60):
        page.mouse.move(x, y)
        now = active()
        if now == target:
            return x
        x += 1 if now < target else -1
    raise AssertionError(f"could not drag the slider to frame {target} (at {active()})")


ACTIVE = "() => Number(document.querySelector('.st-key-coef_path input.regviz-lam').value)"
WAIT_ACTIVE = ("(i) => Number(document.querySelector('.st-key-coef_path input.regviz-lam')"
               ".value) === i")


def _expected(ex, i: int) -> dict:
    """What regviz says the page must show at frame ``i`` (the last is OLS when it exists)."""
    ols = ex.ols_coef is not None and i == len(ex.path.lams)
    if ols:
        return dict(lam=0.0, coefs=ex.ols_coef, train=ex.ols_train_mse, test=ex.ols_test_mse,
                    cv=None)
    return dict(lam=float(ex.path.lams[i]), coefs=ex.display_coefs[i], train=ex.train_mse[i],
                test=ex.test_mse[i], cv=float(ex.cv.mean[i]))


def _check_frame(shown: dict, ex, i: int) -> None:
    want = _expected(ex, i)
    assert shown["active"] == i and shown["drawn"] == shown["names"][i]
    assert float(shown["lam"][i]) == pytest.approx(want["lam"], rel=1e-5)
    # The slider's label, and what a screen reader hears, name this λ.
    assert shown["label"] == shown["valuetext"]
    said = shown["label"].removeprefix("λ = ")
    if want["lam"] > 0:
        assert float(said) == pytest.approx(want["lam"], rel=5e-3)
    else:
        assert said == "0 (OLS)"
    # The marker sits at this λ in the path and error panels (log10 λ; OLS left of the grid).
    if want["lam"] > 0:
        assert shown["marker"] == pytest.approx(math.log10(want["lam"]), abs=1e-12)
    else:
        assert shown["marker"] < math.log10(ex.path.lams.min())
    assert shown["errorMarker"] == shown["marker"]
    # Bars: regviz's coefficients, each drawn from the zero line to its value's pixel.
    values = np.array([b["value"] for b in shown["bars"]])
    np.testing.assert_allclose(values, want["coefs"], rtol=1e-12, atol=0)
    for bar, end in zip(shown["bars"], shown["ends"], strict=True):
        lo, hi = sorted((shown["zero"], end))
        assert bar["x"] == pytest.approx(lo, abs=0.01)
        assert bar["x"] + bar["width"] == pytest.approx(hi, abs=0.01)
    # A cross exactly where the coefficient is exactly zero.
    assert shown["crosses"] == [bool(c == 0.0) for c in want["coefs"]]
    # Error markers: train, test and CV error at this λ, at their pixels on the error axis.
    heights = [want["train"], want["test"]] + ([want["cv"]] if want["cv"] is not None else [])
    assert [p["y"] for p in shown["points"]] == pytest.approx(heights, rel=1e-12)
    for point, cy in zip(shown["points"], shown["pointPx"], strict=True):
        assert point["cy"] == pytest.approx(cy, abs=0.01)
    # The readout states this λ's numbers.
    text = shown["readout"]
    nz = int(np.count_nonzero(want["coefs"]))
    assert f"non-zero: {nz} of {len(want['coefs'])}" in text
    assert f"train MSE {want['train']:.4g}" in text and f"test MSE {want['test']:.4g}" in text
    assert (f"λ = {want['lam']:.4g}" if want["lam"] > 0 else "λ = 0") in shown["lines"][0]


def test_scrubbing_moves_every_linked_element_to_regviz_values_without_the_server(
        server, browser, exploration):
    ctx, page, problems = _open(browser, server + URL)
    sent: list[object] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    page.evaluate(COUNT_SENT_MESSAGES)
    n = len(page.evaluate(READ)["names"])
    assert n == len(exploration.path.lams) + 1  # the grid and OLS
    left, y, _ = page.evaluate(RAIL)
    page.mouse.move(left + 2, y)
    page.mouse.down()
    nz = exploration.path.n_nonzero
    mixed = int(np.argmax((nz > 0) & (nz < nz.max())))  # some coefficients exactly zero
    for target in (0, mixed, n // 2, n - 2, n - 1, 5):
        _drag_to(page, target, n)
        _check_frame(page.evaluate(READ), exploration, target)
    page.mouse.up()
    page.wait_for_timeout(1500)
    assert page.evaluate(SENT_MESSAGES) == 0 and not sent, "scrubbing sent a message"
    lam = parse_qs(urlparse(page.url).query)["lam"][0]
    assert float(lam) == pytest.approx(float(exploration.path.lams[5]), rel=1e-5)
    # That address opens the chart at the same λ, drawn the same way.
    shared = page.url
    ctx.close()
    ctx, page, more = _open(browser, shared)
    _check_frame(page.evaluate(READ), exploration, 5)
    assert not problems and not more, problems + more
    ctx.close()


def test_the_buttons_move_everything_and_write_the_address(server, browser, exploration):
    ctx, page, problems = _open(browser, server + URL)
    page.evaluate(COUNT_SENT_MESSAGES)
    cv = exploration.cv
    for label, target in (("λ_min", cv.idx_min), ("OLS", len(exploration.path.lams)),
                          ("λ_max", 0), ("λ_1se", cv.idx_1se)):
        page.locator(".st-key-coef_path .regviz-buttons button").filter(has_text=label).click()
        page.wait_for_function(WAIT_ACTIVE, arg=int(target), timeout=10_000)
        _check_frame(page.evaluate(READ), exploration, int(target))
        lam = parse_qs(urlparse(page.url).query)["lam"][0]
        assert float(lam) == pytest.approx(_expected(exploration, int(target))["lam"], rel=1e-5)
    # Play runs through every λ to the last one, and leaves it in the address bar.
    page.locator(".st-key-coef_path .regviz-buttons button").filter(has_text="Play").click()
    last = len(exploration.path.lams)
    page.wait_for_function(WAIT_ACTIVE, arg=last, timeout=30_000)
    _check_frame(page.evaluate(READ), exploration, last)
    page.wait_for_function("() => new URL(location.href).searchParams.get('lam') === '0'",
                           timeout=10_000)
    page.wait_for_timeout(1000)
    assert page.evaluate(SENT_MESSAGES) == 0
    # Another penalty is another view: the scrubbed λ leaves the address (λ scales differ).
    page.get_by_test_id("stSidebar").get_by_text("L2 (ridge)", exact=True).click()
    _idle(page)
    page.wait_for_function("() => !new URL(location.href).searchParams.has('lam')",
                           timeout=10_000)
    assert not problems, problems
    ctx.close()


def test_the_keyboard_moves_lambda_and_everything_follows(server, browser, exploration):
    """The λ slider is a native range input: arrows step, Home and End jump to the ends,
    and each key press leaves its λ in the address bar, with nothing sent to the server."""
    ctx, page, problems = _open(browser, server + URL)
    page.evaluate(COUNT_SENT_MESSAGES)
    start = page.evaluate(ACTIVE)
    n = len(page.evaluate(READ)["names"])
    page.locator(".st-key-coef_path input.regviz-lam").focus()
    for key, target in (("ArrowRight", start + 1), ("ArrowRight", start + 2),
                        ("ArrowLeft", start + 1), ("Home", 0), ("End", n - 1)):
        page.keyboard.press(key)
        page.wait_for_function(WAIT_ACTIVE, arg=target, timeout=10_000)
        _check_frame(page.evaluate(READ), exploration, target)
        lam = parse_qs(urlparse(page.url).query)["lam"][0]
        assert float(lam) == pytest.approx(_expected(exploration, target)["lam"], rel=1e-5)
    page.wait_for_timeout(1000)
    assert page.evaluate(SENT_MESSAGES) == 0
    assert not problems, problems
    ctx.close()


def _visit(page, title: str) -> None:
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name=title).click()
    _idle(page)


def test_the_scrubbed_lambda_is_still_there_after_a_visit_to_another_page(
        server, browser, exploration):
    """The server never hears of a scrub and the address bar loses lam on a page switch, so
    the browser keeps the λ (sessionStorage) for the student's return; a λ chosen since in
    the link picker wins over it."""
    ctx, page, problems = _open(browser, server + URL)
    page.evaluate(COUNT_SENT_MESSAGES)
    start = page.evaluate(ACTIVE)
    page.locator(".st-key-coef_path input.regviz-lam").focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    target = start + 4
    page.wait_for_function(WAIT_ACTIVE, arg=target, timeout=10_000)
    page.wait_for_timeout(500)
    assert page.evaluate(SENT_MESSAGES) == 0
    _visit(page, "Home")
    _visit(page, "Coefficient paths")
    page.wait_for_function("() => document.querySelector('svg.regviz-scrub')", timeout=30_000)
    page.wait_for_function(WAIT_ACTIVE, arg=target, timeout=10_000)
    _check_frame(page.evaluate(READ), exploration, target)
    lam = parse_qs(urlparse(page.url).query)["lam"][0]
    assert float(lam) == pytest.approx(_expected(exploration, target)["lam"], rel=1e-5)

    # The picker asks the server for λ_min: that is the λ from now on, here and on return.
    picker = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(
        has_text="Open the link at")
    picker.click()
    page.get_by_role("option", name="λ_min", exact=False).click()
    _idle(page)
    idx_min = int(exploration.cv.idx_min)
    page.wait_for_function(WAIT_ACTIVE, arg=idx_min, timeout=30_000)
    _visit(page, "Home")
    _visit(page, "Coefficient paths")
    page.wait_for_function("() => document.querySelector('svg.regviz-scrub')", timeout=30_000)
    page.wait_for_function(WAIT_ACTIVE, arg=idx_min, timeout=10_000)
    _check_frame(page.evaluate(READ), exploration, idx_min)
    # Back to the default in the picker: λ_1se, not the λ scrubbed before the picks.
    picker.click()
    page.get_by_role("option", name="λ_1se (default)").click()
    _idle(page)
    idx_1se = int(exploration.cv.idx_1se)
    _visit(page, "Home")
    _visit(page, "Coefficient paths")
    page.wait_for_function("() => document.querySelector('svg.regviz-scrub')", timeout=30_000)
    page.wait_for_function(WAIT_ACTIVE, arg=idx_1se, timeout=10_000)
    assert "lam" not in parse_qs(urlparse(page.url).query)
    assert not problems, problems
    ctx.close()


@pytest.mark.parametrize("size, presentation", [((1366, 900), False), ((1280, 720), True)])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_scrubbed_chart_looks_right(server, browser, exploration, tmp_path, size,
                                        presentation, scheme):
    """Screenshots for a person to look at; asserts only that the overlay sits in the chart."""
    ctx, page, problems = _open(browser, server + URL, color_scheme=scheme)
    page.set_viewport_size({"width": size[0], "height": size[1]})
    if presentation:
        page.get_by_test_id("stSidebar").get_by_text("Presentation mode", exact=True).click()
        _idle(page)
        page.wait_for_function("() => document.querySelector('svg.regviz-scrub')",
                               timeout=30_000)
    n = len(page.evaluate(READ)["names"])
    left, y, width = page.evaluate(RAIL)
    page.mouse.move(left + 2, y)
    page.mouse.down()
    x = _drag_to(page, n // 3, n)
    page.mouse.up()
    _check_frame(page.evaluate(READ), exploration, n // 3)
    # The grip stays where the hand let go (no glide back to where the drag began).
    page.wait_for_timeout(300)
    assert page.evaluate(ACTIVE) == n // 3
    assert abs(_grip_x(page) - x) < width / (n - 1)
    name = f"scrub-{size[0]}x{size[1]}-{scheme}"
    page.screenshot(path=str(tmp_path / f"{name}-slider.png"))
    page.evaluate("() => document.querySelector('.st-key-coef_path').scrollIntoView()")
    page.screenshot(path=str(tmp_path / f"{name}-top.png"))
    assert not problems, problems
    ctx.close()
