"""How long one λ step takes in the browser, and whether scrubbing touches the server.

Run: python benchmarks/scrub_latency.py [--dataset sparse_truth] [--rounds 3]

Starts ``streamlit run app.py`` on a free loopback port, opens the
coefficient-path page in Debian's Chromium with a 30-feature dataset, and
steps the chart's λ slider (an HTML range input) as a drag does, one "input"
event per λ, back and forth, ``--rounds`` passes.  Each step is timed from the
event until the next animation frame, so
the paint is included; the page's scrub script (``ui/scrub.js``) must have
drawn that λ by then (checked).  Prints the median and 95th percentile per
step, the number of messages the page sent to the server while dragging
(target: 0) and the λ in the address bar after the release.  It first times as many
empty steps (nothing changed, one animation frame awaited): the floor on this machine
at this moment, since a shared, loaded machine delays frames for everyone.

Before the scrub script (commit 5f9d598) the slider ran ``Plotly.animate``
(redraw false) on the figure's frames: median 49-50 ms, p95 106-156 ms per
step on this machine, against a floor of one display frame.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, urlparse

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

DATASETS = ("sparse_truth", "dense_truth", "diabetes")

# Steps the slider as a drag does: the browser sets the range input's value and fires
# "input" for each step the hand crosses (synthetic mouse events cannot move a native
# input; the e2e test drags it with a real mouse).  Times each step until the next frame.
DRAG = """async (rounds) => {
    const gd = document.querySelector('.st-key-coef_path .js-plotly-plot');
    const scrub = gd.__regvizScrub;
    const input = gd.querySelector('input.regviz-lam');
    input.scrollIntoView({block: 'center'});
    const n = scrub.names.length;
    const nextPaint = () => new Promise(r => requestAnimationFrame(() => r()));
    const steps = [...Array(n).keys()];
    const times = [];
    let wrong = 0;
    await nextPaint();
    for (let r = 0; r < rounds; r++) {
        for (const i of (r % 2 ? [...steps].reverse() : steps)) {
            if (Number(input.value) === i) continue;
            const t0 = performance.now();
            input.value = String(i);
            input.dispatchEvent(new Event('input', {bubbles: true}));
            await nextPaint();
            times.push(performance.now() - t0);
            const drawn = document.querySelector('svg.regviz-scrub').dataset.frame;
            if (drawn !== scrub.names[i]) wrong += 1;
        }
    }
    input.dispatchEvent(new Event('change', {bubbles: true}));  // the release
    return {times, wrong, frames: n, traces: gd.data.length};
}"""

FLOOR = """async (count) => {
    const nextPaint = () => new Promise(r => requestAnimationFrame(() => r()));
    const times = [];
    for (let k = 0; k < count; k++) {
        const t0 = performance.now();
        await nextPaint();
        times.push(performance.now() - t0);
    }
    return times;
}"""

def _open(page, port: int, dataset: str) -> None:
    page.goto(f"http://127.0.0.1:{port}/paths?dataset={dataset}&penalty=l1")
    page.wait_for_selector(".st-key-coef_path .js-plotly-plot", timeout=120_000)
    wait_idle(page)
    page.wait_for_function("() => document.querySelector('svg.regviz-scrub')",
                           timeout=30_000)


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(round(0.95 * len(ordered))) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dataset", default="sparse_truth", choices=DATASETS)
    parser.add_argument("--rounds", type=int, default=3, help="passes over the slider")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    port = free_port()
    proc = start_streamlit(port, Path(tempfile.mkdtemp(prefix="regviz-scrub-")) / "app.log")
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            _open(page, port, args.dataset)
            page.evaluate(COUNT_SENT_MESSAGES)
            result = page.evaluate(DRAG, args.rounds)
            floor = page.evaluate(FLOOR, len(result["times"]))
            page.wait_for_timeout(1000)
            sent = page.evaluate(SENT_MESSAGES)
            lam = parse_qs(urlparse(page.url).query).get("lam", ["(none)"])[0]
            browser.close()
    finally:
        proc.stop()
    times = result["times"]
    print(f"dataset: {args.dataset} ({result['frames']} λ values, {result['traces']} traces), "
          "slider stepped through every λ, drawn by the scrub script")
    print(f"steps measured: {len(times)} ({args.rounds} passes)")
    print(f"per step until the next animation frame: median {statistics.median(times):.1f} ms, "
          f"p95 {_p95(times):.1f} ms, max {max(times):.1f} ms (target: p95 <= 20 ms)")
    print(f"empty steps (the floor now): median {statistics.median(floor):.1f} ms, "
          f"p95 {_p95(floor):.1f} ms")
    print(f"steps whose λ was not drawn by the next frame: {result['wrong']}")
    print(f"messages sent to the server while scrubbing: {sent} (target: 0)")
    print(f"λ in the address bar after the release: {lam}")


if __name__ == "__main__":
    main()
