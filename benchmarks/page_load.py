"""Page load: a lesson page against the one-chart floor page, side by side, in one run.

A fresh headless Chromium opens the lesson page (default ``/paths``),
``benchmarks/floor_app.py`` (one tiny plotly chart, its own server process) and
``benchmarks/floor_nav_app.py`` (the same chart as one page of eight in
st.navigation, opened at ``/paths``: what any multipage Streamlit app pays) in
turn, and times each until its charts are drawn and the script is idle (the
probe of ``benchmarks/load.py``).  The order rotates every round, so a
neighbour's burst on this shared machine hits all three alike.  First idle,
then while a class of 30 students (any view, ``benchmarks/load.py``'s
sessions) works on the same app server.  The lesson's view is opened once over
the protocol before timing, so the numbers are drawing, not computing; one
unmeasured round first loads Chromium's files.
Prints the medians and the ratios (target: at most 1.2x the floor).

    python -m benchmarks.page_load                    # 3 rounds idle, 3 under a class
    python -m benchmarks.page_load --rounds 5 --no-load
    python -m benchmarks.page_load --server-warmup wait  # the class on a warmed server
    python -m benchmarks.page_load --page geometry --view "penalty=l2&seed=1"
    python -m benchmarks.page_load --via-proxy --no-load  # each app behind deploy/serve.sh
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import threading
import time

from benchmarks import load
from benchmarks.load_report import quantiles
from benchmarks.load_servers import Servers, Target, wait_server_warmup
from deploy import st_protocol as sp

TARGET_RATIO = 1.2
# The probe's stages, seconds from navigation: HTML parsed, Streamlit's app mounted, the first
# plotly element attached, every chart drawn with the script idle, the controls drawn as well
# (later than the chart on a page that draws its chart first: ui/reveal.py).
STAGES = ("dom", "app", "chart", "drawn", "controls")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--page", default="paths", help="lesson page url path (default paths)")
    ap.add_argument("--view", default="", help="query string of the view (default: none)")
    ap.add_argument("--rounds", type=int, default=3, help="pairs of page loads per phase")
    ap.add_argument("--no-load", action="store_true", help="idle only, no class")
    ap.add_argument("--sessions", type=int, default=30, help="the class's size (default 30)")
    ap.add_argument("--server-warmup", choices=["off", "wait"], default="off",
                    help="the app's background warm-up (ui/warmup.py): off (the class asks "
                         "for cold views: the heaviest load), or finished before timing")
    ap.add_argument("--via-proxy", action="store_true",
                    help="serve the lesson and both floors each behind deploy/serve.sh's nginx "
                         "(one process each), as a class is served")
    args = ap.parse_args(argv)
    if args.via_proxy and args.server_warmup != "off":
        ap.error("--via-proxy serves without the background warm-up (deploy/serve.sh)")
    if args.rounds < 1 or args.sessions < 1:
        ap.error("--rounds and --sessions must be positive")
    return args


def probe_rounds(urls: dict[str, str], rounds: int) -> dict[str, list[dict]]:
    """``rounds`` fresh-browser loads of each page, the order rotated every round."""
    runs: dict[str, list[dict]] = {name: [] for name in urls}
    order = list(urls.items())
    for i in range(rounds):
        for name, url in order[i % len(order):] + order[:i % len(order)]:
            runs[name].append(load.browser_probe(url))
    return runs


def drawn(results: list[dict]) -> list[float]:
    return [r["drawn"] for r in results if "drawn" in r and not r.get("exceptions")]


def report(phase: str, runs: dict[str, list[dict]]) -> bool:
    """Print one phase's medians and ratio; True when the ratio meets the target."""
    lesson, floor = drawn(runs["lesson"]), drawn(runs["floor"])
    print(f"\n== {phase}")
    for name, results in runs.items():
        times = drawn(results)
        failed = [r.get("error") or r.get("skipped") or f"{r.get('exceptions')} exception(s)"
                  for r in results if "drawn" not in r or r.get("exceptions")]
        spread = ", ".join(f"{t:.2f}" for t in times)
        stages = "  ".join(f"{stage} {statistics.median(xs):.2f}" for stage in STAGES
                           if (xs := [r[stage] for r in results if stage in r]))
        print(f"   {name:<7} median {statistics.median(times) if times else float('nan'):.2f} s"
              f"   ({spread})   medians by stage: {stages}"
              + (f"   FAILED: {failed[0]}" if failed else ""))
    if not lesson or not floor:
        print("   ratio  n/a")
        return False
    ratio = statistics.median(lesson) / statistics.median(floor)
    ok = ratio <= TARGET_RATIO
    print(f"   ratio  {ratio:.2f}x the floor   target <= {TARGET_RATIO:.1f}x: "
          f"{'ok' if ok else 'MISSED'}")
    controls = [r["controls"] for r in runs["lesson"] if "controls" in r]
    if controls:
        print(f"   the lesson's controls drawn at {statistics.median(controls):.2f} s, "
              f"{statistics.median(controls) / statistics.median(floor):.2f}x the floor's chart")
    if multipage := drawn(runs.get("multipage", [])):
        shell = statistics.median(multipage)
        print(f"   of which Streamlit's multipage shell: the multipage floor is "
              f"{shell / statistics.median(floor):.2f}x the floor, and the lesson "
              f"{statistics.median(lesson) / shell:.2f}x the multipage floor")
    return ok


async def run_once(port: int) -> None:
    async with sp.Session(port) as session:
        result = await session.run()
    if result.error:
        raise RuntimeError(f"port {port}: {result.error}")


def class_in_background(target: Target, sessions: int, duration: float) -> tuple:
    """Start a class (any view, think 2-8 s) on ``target`` in a thread; (thread, box)."""
    args = load.parse_args(["--sessions", str(sessions), "--duration", str(duration),
                            "--no-browser", "--server-warmup", "off"])
    box: dict = {}

    async def go() -> None:
        pages = load.choose_pages(await sp.discover_pages(target.port), None)
        box["stats"] = await load.run_scenario(
            target, pages, args, think=(2.0, 8.0), duration=duration, browser=False,
            label=f"the class: {sessions} sessions, any view")

    thread = threading.Thread(target=lambda: asyncio.run(go()), name="class", daemon=True)
    thread.start()
    return thread, box


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.chdir(sp.ROOT)
    load1, _, _ = os.getloadavg()
    print(f"page load: {os.cpu_count()} cores, load average {load1:.2f} at start")
    servers = Servers()
    ok = True
    try:
        if args.via_proxy:
            target = servers.proxied(1)
            floor_port = servers.proxied(1, "benchmarks/floor_app.py").port
            multipage_port = servers.proxied(1, "benchmarks/floor_nav_app.py").port
        else:
            target = servers.direct(warmup=args.server_warmup)
            floor_port = servers.floor()
            multipage_port = servers.floor("benchmarks/floor_nav_app.py")
        lesson_url = f"http://{sp.HOST}:{target.port}/{args.page}" + (
            f"?{args.view}" if args.view else "")
        urls = {"lesson": lesson_url, "floor": f"http://{sp.HOST}:{floor_port}/",
                "multipage": f"http://{sp.HOST}:{multipage_port}/paths"}
        # The view's computation is cached first: what is timed is drawing it.
        links = [(args.page, args.view)]
        for opened in asyncio.run(sp.open_links(target.port, links)):
            if opened.result.error:
                raise RuntimeError(f"{lesson_url}: {opened.result.error}")
        asyncio.run(run_once(floor_port))  # a page without st.navigation: a plain run
        asyncio.run(run_once(multipage_port))
        if target.warmup_log is not None:
            asyncio.run(wait_server_warmup(target.warmup_log))
        print(f"lesson {lesson_url}\nfloor  {urls['floor']} (benchmarks/floor_app.py)\n"
              f"multipage floor {urls['multipage']} (benchmarks/floor_nav_app.py)")
        probe_rounds(urls, 1)  # unmeasured: Chromium's files into memory
        ok &= report(f"idle: {args.rounds} fresh-browser loads of each",
                     probe_rounds(urls, args.rounds))
        if not args.no_load:
            duration = 30.0 + 15.0 * args.rounds
            thread, box = class_in_background(target, args.sessions, duration)
            time.sleep(5.0)  # the class has connected (3 s ramp)
            ok &= report(f"under a class of {args.sessions} (any view, think 2-8 s): "
                         f"{args.rounds} loads of each", probe_rounds(urls, args.rounds))
            thread.join(duration + sp.RUN_TIMEOUT + 60)
            stats = box.get("stats")
            if stats is not None:
                med, p95, _ = quantiles(stats.all_latencies)
                print(f"   the class meanwhile: {stats.actions} actions, median {med:.2f} s, "
                      f"p95 {p95:.2f} s, {len(stats.errors)} error(s)")
                for what, where in stats.errors[:3]:
                    print(f"     {what[:140]}  ({where[:80]})")
    except KeyboardInterrupt:
        return 130
    finally:
        servers.cleanup()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
