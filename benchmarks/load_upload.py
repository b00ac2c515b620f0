"""A class's latency while one student explores a 2000 x 600 upload, against the class alone.

Issue 18: a long computation on an upload must not stall other sessions.  Two
runs, each on a fresh server (same warm-up, same load seed, so the class asks
for the same views in the same order):

1. the class alone: N sessions over the websocket protocol (benchmarks/load.py's
   students: built-in views, think time), for D seconds;
2. the same class while one more student, in headless Chromium, uploads an
   n x p CSV on *Your data*, opens the coefficient paths on it, then the house
   prices and geometry lessons (the upload travels through the real uploader,
   which the protocol client does not speak).

Printed: the class's p50/p95/max per run, and the upload student's time per
step.  The upload's computations run in child processes (ui/offload.private), so
the class should see only the CPU they take, not a stalled server.

    python benchmarks/load_upload.py                  # 20 sessions, 60 s, 2000 x 600
    python benchmarks/load_upload.py --sessions 10 --duration 45 --rows 300 --cols 1000
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

try:
    from benchmarks import load
except ImportError:  # python benchmarks/load_upload.py: the checkout's root, as load.py does
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from benchmarks import load
from benchmarks.browser import CHROMIUM, CHROMIUM_ARGS, wait_idle
from benchmarks.st_protocol import discover_pages
from tests.e2e import steps as steps_e2e  # the browser journeys' steps: go, upload, use_upload

# The upload student's journey after the upload: page titles in the app's menu.
JOURNEY = ("Coefficient paths", "House prices", "Constraint geometry")
IDLE_MS = 150_000  # the private computations stop at 90 s (the steps wait up to 90 s idle)


def write_table(path: Path, n: int, p: int, seed: int = 3) -> None:
    """An n x p CSV with a correlated pair and 10 true features, target ``y``."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    X[:, 1] = X[:, 0] + 0.1 * rng.standard_normal(n)
    y = X[:, :10] @ rng.uniform(1, 2, 10) + rng.standard_normal(n)
    header = ",".join([*(f"g{j}" for j in range(p)), "y"])
    np.savetxt(path, np.column_stack([X, y]), delimiter=",", fmt="%.6g", header=header,
               comments="")


def all_features(page) -> None:
    """Select every column in Your data's Features box (it preselects the 100 strongest)."""
    box = page.get_by_test_id("stMain").get_by_test_id("stMultiSelect").first
    box.locator("input").click()
    page.keyboard.press("ArrowDown")  # opens the list, whose first entry is "Select all"
    page.get_by_role("option", name="Select all").click()
    page.keyboard.press("Escape")
    wait_idle(page, IDLE_MS)


def upload_journey(url: str, csv: Path) -> dict[str, float | str]:
    """Seconds per step of one student: open, upload and use the table, then each lesson."""
    from playwright.sync_api import sync_playwright

    steps: dict[str, float | str] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(IDLE_MS)
            t = time.perf_counter()
            steps_e2e.open_app(page, url)
            steps["open the app"] = time.perf_counter() - t
            t = time.perf_counter()
            steps_e2e.upload(page, csv, target="y", before_use=all_features)
            steps["upload and use the table"] = time.perf_counter() - t
            for title in JOURNEY:
                t = time.perf_counter()
                steps_e2e.go(page, title)
                steps_e2e.use_upload(page)
                errors = page.locator("[data-testid=stException]").count()
                steps[title] = time.perf_counter() - t
                if errors:
                    steps[f"{title}: exceptions"] = float(errors)
        except Exception as err:  # noqa: BLE001 - reported beside the numbers
            steps["error"] = f"{type(err).__name__}: {str(err).splitlines()[0][:200]}"
        finally:
            browser.close()
    return steps


async def one_run(args, with_upload: bool, csv: Path) -> tuple[load.Stats, dict]:
    """A fresh server, warmed up; the class for ``args.duration`` s, with or without the upload."""
    servers = load.Servers()
    try:
        target = servers.direct()
        pages = load.choose_pages(await discover_pages(target.port), args.pages)
        if args.prepare:
            await load.prepare_links(target, pages, args.pool)
        else:
            await load.warm_up(target, pages)
        journey: dict = {}
        thread = None
        if with_upload:
            def work() -> None:
                time.sleep(3.0)  # the class is connected and busy first
                journey.update(upload_journey(f"http://127.0.0.1:{target.port}/", csv))

            thread = threading.Thread(target=work, name="upload-student", daemon=True)
            thread.start()
        label = (f"{args.sessions} sessions, {args.duration:.0f} s"
                 + (f", one student exploring a {args.rows} x {args.cols} upload"
                    if with_upload else ", no upload"))
        stats = await load.run_scenario(target, pages, args, think=tuple(args.think),
                                        duration=args.duration, browser=False, label=label)
        if thread is not None:
            await asyncio.to_thread(thread.join, IDLE_MS / 1000 * (len(JOURNEY) + 2))
        return stats, journey
    finally:
        servers.cleanup()


def _line(stats: load.Stats) -> str:
    lat = np.array(stats.all_latencies)
    if lat.size == 0:
        return f"{stats.label}: no finished actions, {len(stats.errors)} errors"
    p50, p95 = np.percentile(lat, [50, 95])
    text = (f"{stats.label}:\n    {lat.size} actions, p50 {p50:.2f} s, p95 {p95:.2f} s, "
            f"max {lat.max():.2f} s, errors {len(stats.errors)}, server CPU "
            f"{stats.server_cpu:.0f} s")
    for what, where in stats.errors[:5]:
        text += f"\n    error: {what[:120]} ({where})"
    return text


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=20, help="the class (default 20)")
    ap.add_argument("--duration", type=float, default=60.0, help="seconds per run (default 60)")
    ap.add_argument("--rows", type=int, default=2000)
    ap.add_argument("--cols", type=int, default=600)
    ap.add_argument("--pages", default=None, help="the class's pages (default: every lesson)")
    ap.add_argument("--views", type=int, default=10,
                    help="the class follows a pool of N views, opened before class "
                         "(load.py --views N --prepare); 0: every action a random view")
    mine = ap.parse_args(argv)
    # The class itself: load.py's students (think 2-8 s) on the teacher's prepared links, the
    # setting whose p95 target is 1 s; random views are mostly cache misses.
    pool = ["--views", str(mine.views), "--prepare"] if mine.views else []
    args = load.parse_args(["--sessions", str(mine.sessions), "--duration", str(mine.duration),
                            "--no-browser", *pool, *(["--pages", mine.pages] if mine.pages
                                                     else [])])
    args.rows, args.cols = mine.rows, mine.cols
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.chdir(load.ROOT)
    with tempfile.TemporaryDirectory(prefix="regviz-upload-") as tmp:
        csv = Path(tmp) / f"wide_{args.rows}x{args.cols}.csv"
        write_table(csv, args.rows, args.cols)
        print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start; "
              f"upload {csv.name}: {csv.stat().st_size / 1e6:.1f} MB")
        alone, _ = asyncio.run(one_run(args, False, csv))
        print(_line(alone))
        busy, journey = asyncio.run(one_run(args, True, csv))
        print(_line(busy))
    print("  the upload student's steps:")
    for step, value in journey.items():
        print(f"    {step:32s} {value:.1f} s" if isinstance(value, float) else
              f"    {step:32s} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
