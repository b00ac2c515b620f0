"""The paths chart's first draw in the browser, with and without plotly's own λ controls.

    python -m benchmarks.figure_draw                  # diabetes, L1, 5 fresh browsers each
    python -m benchmarks.figure_draw --dataset sparse_truth --trials 7

Builds the paths figure of one view here (``regviz.figures.paths``, as the page
sends it), then, in a fresh headless Chromium per trial, opens
``benchmarks/floor_app.py`` (so plotly.js is loaded and has drawn one small
chart, as on any page) and times ``Plotly.newPlot`` of the figure into a new
element until two animation frames later: the first draw (cold code paths) and
a second one (warm).  Variants: the figure as sent (its λ slider and buttons
are HTML drawn by ``ui/scrub.js``), and the same figure with plotly's slider
and button menu rebuilt from ``layout.meta.scrub``, as the page sent it before
commit 18ca89d.  Prints medians; the difference is what plotly's controls cost.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import statistics
import tempfile
from pathlib import Path

from benchmarks.browser import CHROMIUM, CHROMIUM_ARGS
from benchmarks.st_protocol import free_port, start_streamlit

DRAW = """async ([fig, runs]) => {
    const out = [];
    for (let i = 0; i < runs; i++) {
        const div = document.createElement('div');
        div.style.width = '900px';
        document.body.appendChild(div);
        const t0 = performance.now();
        await window.Plotly.newPlot(div, fig.data, fig.layout, {displayModeBar: false});
        if (fig.frames) await window.Plotly.addFrames(div, fig.frames);
        await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
        out.push(performance.now() - t0);
        window.Plotly.purge(div);
        div.remove();
    }
    return out;
}"""


def paths_figure(dataset: str) -> dict:
    """The paths page's default figure for ``dataset`` (L1, standardized, seed 0), as JSON."""
    from regviz.figures.paths import path_explorer_figure
    from regviz.paths import explore
    from ui.datasets import builtin_choice

    choice = builtin_choice(dataset, 0)
    ex = explore(choice.X, choice.y, choice.feature_names, penalty="l1", l1_ratio=1.0,
                 standardize=True, seed=0)
    return json.loads(path_explorer_figure(ex).to_json())


def with_plotly_controls(fig: dict) -> dict:
    """The figure with plotly's slider and buttons (method "skip") in place of the HTML ones."""
    out = copy.deepcopy(fig)
    c = out["layout"]["meta"]["scrub"]
    steps = [dict(method="skip", label=label, args=[[name]])
             for label, name in zip(c["labels"], c["names"], strict=True)]
    out["layout"]["sliders"] = [dict(
        active=c["active"], steps=steps, x=0, len=1.0, y=c["slider_top"], yanchor="top",
        transition=dict(duration=0), pad=dict(t=0, b=0, l=0, r=0),
        font=dict(size=1, color="rgba(0,0,0,0)"),
        currentvalue=dict(prefix="λ = ", font=dict(size=c["font"]), offset=6))]
    out["layout"]["updatemenus"] = [dict(
        type="buttons", direction="right", x=0, y=c["buttons_bottom"], xanchor="left",
        yanchor="bottom", showactive=False, pad=dict(t=0, b=0, l=0, r=0),
        font=dict(size=c["font"]),
        buttons=[dict(label=b["label"], method="skip", args=[b["frames"]])
                 for b in c["buttons"]])]
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dataset", default="diabetes")
    ap.add_argument("--trials", type=int, default=5, help="fresh browsers per variant")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    sent = paths_figure(args.dataset)
    variants = {"as sent (HTML λ controls)": sent,
                "with plotly's slider and buttons": with_plotly_controls(sent)}
    port = free_port()
    server = start_streamlit(port, Path(tempfile.mkdtemp(prefix="regviz-draw-")) / "floor.log",
                             script="benchmarks/floor_app.py")
    times: dict[str, list[list[float]]] = {name: [] for name in variants}
    try:
        with sync_playwright() as pw:
            for _ in range(args.trials):
                for name, fig in variants.items():  # alternating: a burst hits both
                    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                    page = browser.new_page(viewport={"width": 1400, "height": 900})
                    page.goto(f"http://127.0.0.1:{port}/")
                    page.wait_for_function("() => window.Plotly && document.querySelector("
                                           "'.js-plotly-plot .main-svg')", timeout=60_000)
                    page.wait_for_timeout(300)
                    times[name].append(page.evaluate(DRAW, [fig, 2]))
                    browser.close()
    finally:
        server.stop()
    print(f"paths figure, {args.dataset}: {len(sent['data'])} traces, "
          f"{len(sent.get('frames', []))} frames; {args.trials} fresh browsers per variant; "
          f"load average {os.getloadavg()[0]:.2f}")
    for name, runs in times.items():
        cold = [r[0] for r in runs]
        warm = [r[1] for r in runs]
        print(f"   {name:<34} first draw median {statistics.median(cold):6.0f} ms "
              f"({', '.join(f'{t:.0f}' for t in cold)})   second {statistics.median(warm):5.0f} ms")


if __name__ == "__main__":
    main()
