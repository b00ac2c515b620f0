"""How long one lambda step takes in the browser, and whether scrubbing touches the server.

Run: python benchmarks/scrub_latency.py [--dataset sparse_truth] [--rounds 3]

Starts ``streamlit run app.py`` on a free loopback port, opens the
coefficient-path page in Debian's Chromium (clicking the menu as a user
would), picks a 30-feature dataset, and steps through every frame of the
chart with ``Plotly.animate`` (redraw false), awaiting each promise and one
animation frame so the paint is included.  Prints the median and 95th
percentile per step, the figure's JSON size and the number of messages the
page sent to the server while scrubbing (target: 0).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout: python benchmarks/scrub_latency.py

from benchmarks.browser import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    COUNT_SENT_MESSAGES,
    SENT_MESSAGES,
    wait_idle,
)
from benchmarks.st_protocol import free_port, start_streamlit  # noqa: E402

LABELS = {"sparse_truth": "Sparse truth (5 of 30 features matter)",
          "dense_truth": "Dense truth (all 30 features matter a little)",
          "diabetes": "Diabetes (real, 442 x 10)"}

STEP_ALL = """async (rounds) => {
    const gd = document.querySelector('.js-plotly-plot');
    const names = gd._transitionData._frames.map(f => f.name);
    const opts = {frame: {duration: 0, redraw: false}, transition: {duration: 0},
                  mode: 'immediate'};
    const nextPaint = () => new Promise(r => requestAnimationFrame(() => r()));
    const times = [];
    for (let r = 0; r < rounds; r++) {
        const order = r % 2 ? [...names].reverse() : names;
        for (const name of order) {
            const t0 = performance.now();
            await window.Plotly.animate(gd, [name], opts);
            await nextPaint();
            times.push(performance.now() - t0);
        }
    }
    const size = JSON.stringify({data: gd.data, layout: gd.layout,
                                 frames: gd._transitionData._frames}).length;
    return {times, size, frames: names.length, traces: gd.data.length};
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dataset", default="sparse_truth", choices=list(LABELS))
    parser.add_argument("--rounds", type=int, default=3, help="passes over all frames")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    port = free_port()
    proc = start_streamlit(port, Path(tempfile.mkdtemp(prefix="regviz-scrub-")) / "app.log")
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"http://127.0.0.1:{port}/")
            nav = page.get_by_test_id("stSidebarNavItems")
            nav.get_by_role("link", name="Coefficient paths").wait_for(timeout=60_000)
            nav.get_by_role("link", name="Coefficient paths").click()
            page.wait_for_selector(".js-plotly-plot", timeout=120_000)
            wait_idle(page)
            page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").first.click()
            page.get_by_role("option", name=LABELS[args.dataset]).click()
            wait_idle(page)
            page.wait_for_selector(".js-plotly-plot", timeout=120_000)
            wait_idle(page)
            page.evaluate(COUNT_SENT_MESSAGES)
            result = page.evaluate(STEP_ALL, args.rounds)
            page.wait_for_timeout(1000)
            sent = page.evaluate(SENT_MESSAGES)
            browser.close()
    finally:
        proc.stop()
    times = sorted(result["times"])
    median = statistics.median(times)
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    print(f"dataset: {LABELS[args.dataset]} "
          f"({result['frames']} frames, {result['traces']} traces)")
    print(f"steps measured: {len(times)} ({args.rounds} passes over every frame)")
    print(f"per step: median {median:.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms "
          "(target: median <= 17.5 ms, p95 <= 34 ms)")
    print(f"figure JSON: {result['size'] / 1024:.0f} KiB")
    print(f"messages sent to the server while scrubbing: {sent} (target: 0)")


if __name__ == "__main__":
    main()
