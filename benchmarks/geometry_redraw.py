"""How long a geometry control's move takes in headless Chromium, and which charts it redraws.

Starts the app on a free loopback port, opens the Constraint geometry page,
marks every chart (a property on its ``.js-plotly-plot`` node and a counter on
plotly's ``plotly_afterplot`` event), moves one slider by one step with the
keyboard, and prints the time from the key press until the page is idle: no
script running and no DOM change in the main area for three quiet seconds (the
time printed is that of the last change, so the quiet time is not counted; plotly
renders a replaced chart in chunks with gaps of about a second).
The server's ``script_finished`` message (read off the websocket) marks the
end of the run, full or fragment: a fragment rerun shows no "Running" badge.
Then it says, per chart, whether it was re-rendered (node replaced or
``afterplot`` fired).

    OPENBLAS_NUM_THREADS=1 /work/venv/bin/python -m benchmarks.geometry_redraw \
        --control "True w₁*" --moves 3
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks.browser import CHROMIUM, CHROMIUM_ARGS, wait_idle
from benchmarks.st_protocol import free_port, start_streamlit

MARK_CHARTS = """() => {
    const charts = Array.from(document.querySelectorAll('.js-plotly-plot'));
    charts.forEach((gd, i) => {
        gd.__regvizMark = i;
        gd.__afterplots = 0;
        gd.on('plotly_afterplot', () => { gd.__afterplots += 1; });
    });
    return charts.length;
}"""

READ_CHARTS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(gd => ({
    mark: gd.__regvizMark === undefined ? null : gd.__regvizMark,
    afterplots: gd.__afterplots || 0,
}))"""

WATCH_MAIN = """() => {
    window.__lastChange = performance.now();
    const main = document.querySelector('[data-testid=stMain]');
    new MutationObserver(() => { window.__lastChange = performance.now(); })
        .observe(main, {subtree: true, childList: true, attributes: true,
                        characterData: true});
}"""

RUNNING = ("() => !!document.querySelector('[data-testid=stStatusWidget]')"
           " && document.querySelector('[data-testid=stStatusWidget]').innerText"
           ".includes('Running')")


class Finishes:
    """Arrival times (time.monotonic) of the server's script_finished messages."""

    def __init__(self, page) -> None:
        self.times: list[float] = []
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        if not isinstance(payload, bytes | bytearray):
            return
        msg = ForwardMsg()
        try:
            msg.ParseFromString(bytes(payload))
        except Exception:  # noqa: BLE001 - not a ForwardMsg: ignore
            return
        if msg.WhichOneof("type") == "script_finished":
            self.times.append(time.monotonic())

    def after(self, t0: float) -> bool:
        return any(t > t0 for t in self.times)


def settle(page, finishes: Finishes | None = None, since: float = 0.0, quiet_ms: int = 3000,
           timeout_s: float = 120.0) -> float:
    """Wait for the run's end and no DOM change for quiet_ms; return the last change (ms)."""
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        page.wait_for_timeout(100)
        if page.evaluate(RUNNING) or (finishes is not None and not finishes.after(since)):
            continue
        now, last = page.evaluate("() => [performance.now(), window.__lastChange]")
        if now - last >= quiet_ms:
            return float(last)
    raise TimeoutError("the page did not settle")


def slider_thumb(page, label: str):
    box = page.get_by_test_id("stSlider").filter(has_text=label).first
    return box.get_by_role("slider")


def move_once(page, finishes: Finishes, label: str, key: str
              ) -> tuple[float, float, list[dict]]:
    """One keyboard step on the slider ``label``: (s until settled, s until run done, charts)."""
    page.evaluate(MARK_CHARTS)
    page.evaluate(WATCH_MAIN)
    thumb = slider_thumb(page, label)
    thumb.focus()
    since = time.monotonic()
    start = page.evaluate("() => performance.now()")
    thumb.press(key)
    last = settle(page, finishes, since)
    finished = min(t for t in finishes.times if t > since) - since
    return (last - start) / 1000.0, finished, page.evaluate(READ_CHARTS)


def describe(charts: list[dict], before: int) -> str:
    kept = [c["mark"] for c in charts if c["mark"] is not None and c["afterplots"] == 0]
    return f"{len(charts)} charts, {before - len(kept)} re-rendered, untouched: {kept}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--control", default="True w₁*", help="the slider's label (a substring)")
    parser.add_argument("--moves", type=int, default=3)
    parser.add_argument("--query", default="", help="URL query to open, e.g. w1=1.5&rho=0.2")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    port = free_port()
    log = Path(tempfile.mkdtemp()) / "streamlit.log"
    server = start_streamlit(port, log)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            finishes = Finishes(page)
            url = f"http://127.0.0.1:{port}/geometry" + (f"?{args.query}" if args.query else "")
            t0 = time.monotonic()
            page.goto(url)
            page.wait_for_selector(".js-plotly-plot", timeout=120_000)
            wait_idle(page)
            print(f"page open and idle: {time.monotonic() - t0:.2f} s")
            times = []
            for i in range(args.moves):
                before = page.evaluate(MARK_CHARTS)
                seconds, run, charts = move_once(page, finishes, args.control,
                                                 "ArrowRight" if i % 2 == 0 else "ArrowLeft")
                times.append(seconds)
                print(f"move {i + 1} of {args.control!r}: {seconds:.2f} s (server run done "
                      f"after {run:.2f} s); "
                      f"{describe(charts, before)}; URL ?{page.url.split('?')[-1]}")
            print(f"median {statistics.median(times):.2f} s over {len(times)} moves")
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
