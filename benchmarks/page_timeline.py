"""Where a page's load time goes in the browser: the lesson page against the one-chart floor.

    python -m benchmarks.page_timeline                # /paths and the floor, 3 loads each
    python -m benchmarks.page_timeline --page geometry --trials 5

``benchmarks/page_load`` says how long; this says where.  A fresh headless
Chromium per load records, from navigation start: when Streamlit's app
mounted; when plotly.js's chunk (``PlotlyChart.*.js``, 4.7 MB, the same for
every page) was requested and had arrived; the long task that evaluates it
(the first task of 500 ms or more after it arrived); the task that draws the
page's first chart (the first long task after that); and when the chart's
element appeared.  The two pages alternate.  Prints each load and the medians.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from benchmarks.browser import CHROMIUM, CHROMIUM_ARGS
from benchmarks.st_protocol import free_port, start_streamlit

# Long tasks and the chart's first appearance, recorded from the first byte of the page.
RECORD = """
window.__longTasks = [];
new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]);
}).observe({type: 'longtask', buffered: true});
window.__marks = {};
const seen = new MutationObserver(() => {
    const now = performance.now();
    if (!window.__marks.app && document.querySelector('[data-testid=stApp]'))
        window.__marks.app = now;
    if (!window.__marks.chart && document.querySelector('.js-plotly-plot .main-svg'))
        window.__marks.chart = now;
});
document.addEventListener('DOMContentLoaded',
    () => seen.observe(document.body, {subtree: true, childList: true}));
"""
READY = """() => document.querySelector('.js-plotly-plot .main-svg')
    && document.querySelector('[data-testid=stApp]')
           ?.getAttribute('data-test-script-state') === 'notRunning'"""
COLLECT = """() => ({
    marks: window.__marks, tasks: window.__longTasks,
    plotly: performance.getEntriesByType('resource')
        .filter(e => /PlotlyChart\\.[^/]*\\.js$/.test(e.name))
        .map(e => [e.startTime, e.responseEnd])[0] || null,
})"""
STAGES = ("app", "plotly asked", "plotly in", "eval starts", "eval ms", "draw starts",
          "draw ms", "chart")


def stages(raw: dict) -> dict[str, float]:
    """The load's stages in ms from navigation start (absent ones left out)."""
    out = {"app": raw["marks"].get("app"), "chart": raw["marks"].get("chart")}
    if raw["plotly"]:
        out["plotly asked"], out["plotly in"] = raw["plotly"]
        after = [t for t in raw["tasks"] if t[0] >= raw["plotly"][1] - 1]
        evaluation = next((t for t in after if t[1] >= 500), None)
        if evaluation:
            out["eval starts"], out["eval ms"] = evaluation
            draw = next((t for t in after if t[0] > evaluation[0]), None)
            if draw:
                out["draw starts"], out["draw ms"] = draw
    return {k: v for k, v in out.items() if v is not None}


def probe(pw, url: str) -> dict[str, float]:
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.add_init_script(RECORD)
        page.goto(url)
        page.wait_for_function(READY, polling=50, timeout=90_000)
        page.wait_for_timeout(500)  # the draw's long task is reported when it ends
        return stages(page.evaluate(COLLECT))
    finally:
        browser.close()


def show(name: str, loads: list[dict[str, float]]) -> None:
    for load in loads:
        print(f"   {name:<7}" + "".join(f"  {k} {load[k]:.0f}" for k in STAGES if k in load))
    medians = {k: statistics.median(xs) for k in STAGES
               if (xs := [load[k] for load in loads if k in load])}
    print(f"   {name:<7} MEDIAN" + "".join(f"  {k} {v:.0f}" for k, v in medians.items()))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--page", default="paths")
    ap.add_argument("--trials", type=int, default=3)
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    logs = Path(tempfile.mkdtemp(prefix="regviz-timeline-"))
    app_port, floor_port = free_port(), free_port()
    servers = [start_streamlit(app_port, logs / "app.log"),
               start_streamlit(floor_port, logs / "floor.log", script="benchmarks/floor_app.py")]
    urls = {"lesson": f"http://127.0.0.1:{app_port}/{args.page}",
            "floor": f"http://127.0.0.1:{floor_port}/"}
    loads: dict[str, list] = {name: [] for name in urls}
    try:
        with sync_playwright() as pw:
            for url in urls.values():
                probe(pw, url)  # unmeasured: the view computed, Chromium's files in memory
            for _ in range(args.trials):
                for name, url in urls.items():
                    loads[name].append(probe(pw, url))
    finally:
        for server in servers:
            server.stop()
    print(f"ms from navigation start; lesson {urls['lesson']}, floor benchmarks/floor_app.py")
    for name, runs in loads.items():
        show(name, runs)


if __name__ == "__main__":
    main()
