"""No chart text collides or is cut off, at 1366 x 900 and at 1280 x 720 in presentation mode.

Opens the coefficient paths page, the sparsity lab's tabs, the house page (also with the
60-column upload), every tab of the zeros page, the diagnosis page and the geometry page
(elastic net) in Debian's Chromium with 3, 23 (House prices, built in) and 60 features
(3 and 60 come from a CSV uploaded through the upload page, as a teacher would), and reads
the bounding box of every visible SVG text element of every chart: tick
labels, annotations, legend entries, titles, slider and button labels, text
traces, and the paths chart's HTML λ label, slider and buttons.  Two boxes of
the same chart that overlap by more than a small tolerance, or a box that
leaves its chart, fail the test with both strings named.  One server and one
page per presentation setting.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.e2e.steps import WIDENED_MARGINS
from tests.e2e.test_browser_smoke import _idle

pytestmark = pytest.mark.e2e

TOLERANCE = 2.0  # pixels: anti-aliasing and glyph overhang, not a collision

# Every visible text box of every chart on the page, and the chart's own box.
TEXT_BOXES = """() => {
    const out = [];
    document.querySelectorAll('.js-plotly-plot').forEach((gd, chart) => {
        const frame = gd.getBoundingClientRect();
        const boxes = [];
        gd.querySelectorAll('svg text').forEach((el) => {
            const text = (el.textContent || '').trim();
            if (!text) return;
            let node = el, hidden = false;
            while (node && node !== gd) {
                const cs = getComputedStyle(node);
                if (cs.display === 'none' || cs.visibility === 'hidden'
                    || parseFloat(cs.opacity) === 0) { hidden = true; break; }
                node = node.parentElement;
            }
            const cs = getComputedStyle(el);
            const fill = cs.fill || '';
            if (hidden || parseFloat(cs.fillOpacity) === 0 || /rgba\\(.*,\\s*0\\)$/.test(fill)
                || parseFloat(cs.fontSize) < 4) return;
            const r = el.getBoundingClientRect();
            if (r.width === 0 || r.height === 0) return;
            boxes.push({text, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom,
                        cls: el.getAttribute('class') || ''});
        });
        // The paths chart's HTML controls (ui/scrub.js): the λ label, the slider, the buttons.
        gd.querySelectorAll('.regviz-lam-label, input.regviz-lam, .regviz-buttons button')
            .forEach((el) => {
                const r = el.getBoundingClientRect();
                if (r.width === 0 || r.height === 0) return;
                boxes.push({text: el.textContent.trim() || `(${el.className})`, x0: r.left,
                            y0: r.top, x1: r.right, y1: r.bottom, cls: el.className});
            });
        out.push({chart, frame: {x0: frame.left, y0: frame.top, x1: frame.right,
                                 y1: frame.bottom}, boxes});
    });
    return out;
}"""


def layout_problems(charts: list[dict], where: str) -> list[str]:
    """Overlapping pairs and clipped strings, as readable sentences."""
    problems = []
    t = TOLERANCE
    for chart in charts:
        frame, boxes = chart["frame"], chart["boxes"]
        for b in boxes:
            if (b["x0"] < frame["x0"] - t or b["x1"] > frame["x1"] + t
                    or b["y0"] < frame["y0"] - t or b["y1"] > frame["y1"] + t):
                problems.append(f"{where}, chart {chart['chart']}: {b['text']!r} leaves the chart")
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                dx = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
                dy = min(a["y1"], b["y1"]) - max(a["y0"], b["y0"])
                if dx > t and dy > t:
                    problems.append(f"{where}, chart {chart['chart']}: {a['text']!r} overlaps "
                                    f"{b['text']!r}")
    return problems


def test_the_checker_finds_an_overlap_and_a_clipped_string():
    frame = {"x0": 0, "y0": 0, "x1": 100, "y1": 100}
    box = {"text": "a", "x0": 10, "y0": 10, "x1": 40, "y1": 20}
    touching = {"text": "b", "x0": 39, "y0": 10, "x1": 60, "y1": 20}
    assert layout_problems([{"chart": 0, "frame": frame, "boxes": [box, touching]}], "x") == []
    overlapping = {**touching, "x0": 30}
    clipped = {"text": "c", "x0": 90, "y0": 50, "x1": 110, "y1": 60}
    found = layout_problems([{"chart": 0, "frame": frame,
                              "boxes": [box, overlapping, clipped]}], "x")
    assert any("overlaps" in p for p in found) and any("leaves" in p for p in found)


def _csv(n_features: int) -> bytes:
    """Numeric columns, a few with long names (the longest names a bar panel meets).

    The first is longer still and holds HTML, as survey exports name columns: measured in
    its escaped form (``&lt;`` as four characters) it once widened the paths chart's left
    margin until, at 1280 x 720 in presentation mode, the readout, the legend and the λ
    buttons left the chart or overlapped.
    """
    rng = np.random.default_rng(n_features)
    X = rng.standard_normal((120, n_features))
    y = X[:, : min(3, n_features)].sum(axis=1) + rng.standard_normal(120)
    names = [f"feature_{j:02d}" if j % 7 else f"a_rather_long_column_name_{j:02d}"
             for j in range(n_features)]
    names[0] = "Q17b <outdoors> & <sports> & <garden> hours/week"
    rows = [",".join([*names, "price"])]
    rows += [",".join(f"{v:.4f}" for v in [*X[i], y[i]]) for i in range(120)]
    return ("\n".join(rows) + "\n").encode()


def _nav(page, title: str) -> None:
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name=title).click()
    _idle(page)


def _upload(page, path) -> None:
    _nav(page, "Your data")
    page.wait_for_selector("[data-testid=stFileUploaderDropzoneInput]", state="attached",
                           timeout=90_000)
    page.set_input_files("[data-testid=stFileUploaderDropzoneInput]", str(path))
    _idle(page)
    page.get_by_role("button", name="Use this dataset in the lessons").click()
    _idle(page)


def _pick_dataset(page, label: str) -> None:
    box = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").first
    if label in box.inner_text():
        return
    box.click()
    page.get_by_role("option", name=label).click()
    _idle(page)


def _charts(page, where: str) -> list[str]:
    page.wait_for_selector(".js-plotly-plot", timeout=120_000)
    _idle(page)
    page.wait_for_timeout(400)  # plotly's own redraw after Streamlit settles
    assert not page.query_selector("[data-testid=stException]"), f"exception on {where}"
    widened = page.evaluate(WIDENED_MARGINS)
    return layout_problems(page.evaluate(TEXT_BOXES), where) + [
        f"{where}: plotly widened a margin ({side}) and drew the chart twice"
        for side in widened]


def _open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    _idle(page)


def _radio(page, starts: str) -> None:
    page.get_by_test_id("stMain").get_by_role("radio", name=starts).first.check(force=True)
    _idle(page)


def _lab(page, where: str, every_tab: bool) -> list[str]:
    """The sparsity lab: the data-driven tabs, and with ``every_tab`` the simulated ones."""
    problems = []
    _nav(page, "Sparsity lab")
    _open_tab(page, "1 · Zeros as λ grows")
    problems += _charts(page, f"{where}, zeros")
    _open_tab(page, "4 · Correlated twins")
    _radio(page, "Sidebar data")
    problems += _charts(page, f"{where}, twins (sidebar data)")
    if every_tab:
        _radio(page, "Twins simulation")
        problems += _charts(page, f"{where}, twins (simulation)")
        for tab, name in (("2 · Why corners win", "corners"), ("3 · Ten of five hundred",
                                                                "recovery"),
                          ("5 · Who predicts better?", "contest")):
            _open_tab(page, tab)
            problems += _charts(page, f"{where}, {name}")
    return problems


@pytest.mark.parametrize("presentation", [False, True], ids=["1366x900", "1280x720-presenting"])
def test_no_chart_text_overlaps_or_is_clipped(server, browser, tmp_path,
                                              presentation):
    size = {"width": 1280, "height": 720} if presentation else {"width": 1366, "height": 900}
    ctx = browser.new_context(viewport=size)
    page = ctx.new_page()
    page.goto(server)
    page.wait_for_selector("[data-testid=stSidebarNavItems] >> text=Coefficient paths",
                           timeout=60_000)
    _idle(page)
    if presentation:
        page.get_by_test_id("stSidebar").get_by_text("Presentation mode", exact=True).click()
        _idle(page)
    mode = "presenting 1280x720" if presentation else "1366x900"
    problems = []
    for n_features in (3, 60):
        csv = tmp_path / f"wide_{n_features}.csv"
        csv.write_bytes(_csv(n_features))
        _upload(page, csv)
        where = f"{mode}, {n_features} features"
        _nav(page, "Coefficient paths")
        _pick_dataset(page, "Your uploaded data")
        problems += _charts(page, f"{where}, paths")
        problems += _lab(page, where, every_tab=n_features == 3)
        if n_features == 60:  # whole long names once squeezed its panels off the chart
            _nav(page, "House prices")
            _pick_dataset(page, "Your uploaded data")
            problems += _charts(page, f"{where}, house page")
    _nav(page, "Coefficient paths")
    _pick_dataset(page, "House prices")
    problems += _charts(page, f"{mode}, house prices (23 features), paths")
    problems += _lab(page, f"{mode}, house prices (23 features)", every_tab=False)
    _nav(page, "House prices")  # its two-panel coefficient chart: the narrowest panels
    problems += _charts(page, f"{mode}, house page")
    # Presenting, the zeros page's panel title sat on its top tick, and the diagnosis
    # page's tilted model names ran under the next panel's.
    _nav(page, "How the zeros are made")
    problems += _charts(page, f"{mode}, zeros page")
    # Presenting, the four optimizers' titles and the speed chart's dataset names ran into
    # their neighbours; the λ lines' labels collided in both modes.
    for tab in ("2 · Four optimizers", "3 · Is L1 slower?", "4 · What λ buys",
                "5 · Why a separate test set"):
        _open_tab(page, tab)
        problems += _charts(page, f"{mode}, zeros page, {tab}")
    _nav(page, "Diagnosis: 1,000 markers")
    problems += _charts(page, f"{mode}, diagnosis page")
    # Presenting, the geometry page's three readouts (elastic net beside L1 and L2) overlapped.
    _nav(page, "Constraint geometry")
    page.get_by_test_id("stSidebar").get_by_text("Elastic net", exact=True).click()
    _idle(page)
    problems += _charts(page, f"{mode}, geometry page, elastic net")
    ctx.close()
    assert not problems, "\n".join(problems)
