"""A class of students against regviz, at the websocket protocol level.

Starts the app (or, with ``--via-proxy``, ``deploy/serve.sh``: k app
processes behind nginx with sticky sessions) on free loopback ports and
drives N concurrent sessions the way the Streamlit frontend does: each
session loads the page's HTML (getting the proxy's affinity cookie), opens
``/_stcore/stream``, and sends ``rerun_script`` naming a lesson page with a
query string that sets the view; after a think time it asks for another view
(dataset, penalty, lambda, seed).  Like the frontend, a session announces the
big elements it already holds (``cached_message_hashes``), so an unchanged
chart comes back as a short reference.  Before measuring, each lesson page is
opened once per process (the teacher's warm-up; ``--no-warmup`` to skip).
While the load runs, one real Chromium opens a lesson page and times how
long until its charts are drawn, then opens ``benchmarks/floor_app.py`` (one
tiny chart, its own server process) the same way: the browser's floor at that
moment.  ``--views N`` draws all actions from one shared pool of N views (a
class following the teacher's links: cache hits) and the probe opens the
first of them; ``--prepare`` then opens every pooled view on every page and
process before measuring, as ``deploy/prepare.py`` does for a teacher.  By
default every action asks for a random view (mostly cache misses).

The app warms its likely views itself in the background (``ui/warmup.py``).
By default the class runs twice, each on a fresh server: with that warm-up
off, then with it finished before the first student arrives, and the two are
printed side by side (``--server-warmup``; ``during`` starts the class while it
runs, to see whether it slows the students).  The st.cache_data hits and
misses during the class come from the server's ``/_stcore/metrics``.

    python -m benchmarks.load                      # a class: 30 sessions, 60 s, think 2-8 s
    python -m benchmarks.load --sessions 5 --duration 10 --no-browser --fail-on-error \
        --server-warmup off                        # the CI smoke test
    python -m benchmarks.load --views 10 --prepare # a class on links opened before class
    python -m benchmarks.load --saturate           # no think time, actions/s per page
    python -m benchmarks.load --via-proxy          # through nginx with 1, then 2 processes
    python -m benchmarks.load --via-proxy --procs 2

Errors: an exception element among the deltas, a closed socket, a missing
page, or no script_finished within 30 s.  Servers are stopped (process
groups) on exit, Ctrl-C and errors.  Loopback only.  The views students ask
for are drawn in ``benchmarks/load_views.py``; the numbers are printed by
``benchmarks/load_report.py``; the servers are started by ``benchmarks/load_servers.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import resource
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.browser import CHROMIUM, CHROMIUM_ARGS, CONTROLS_PENDING
from benchmarks.load_report import (
    Stats,
    print_saturation,
    print_throughput,
    print_warm_up,
    print_warmup_comparison,
    report,
)
from benchmarks.load_servers import Servers, Target, cache_lookups, wait_server_warmup
from benchmarks.load_views import BROWSER_VIEW, next_view, view_pool, views_line
from deploy import st_protocol as sp
from ui import reveal

ROOT = sp.ROOT


# --------------------------------------------------------------------------- a session


async def student(idx: int, target: Target, pages: list[sp.AppPage], args, stats: Stats,
                  t_end: float, think: tuple[float, float], start_delay: float,
                  switch_page: float, t_start: float) -> None:
    rng = random.Random(args.seed * 10_007 + idx)
    await asyncio.sleep(start_delay)
    if time.monotonic() >= t_end:
        return
    page = pages[idx % len(pages)]
    view = next_view(rng, args, None)
    session = await open_session(target, page, view, stats)
    if session is None:
        return
    first = True
    try:
        while True:
            started = time.monotonic() - t_start
            result = await session.run(page_name=page.url_path,
                                       page_script_hash=page.page_script_hash,
                                       query_string=view)
            stats.bytes_received += result.bytes_received
            stats.refs += result.cache_hits
            stats.timeline.append((idx, started, result.latency, page, view,
                                   bool(result.error)))
            if result.error:
                stats.errors.append((result.error, f"/{page.url_path}?{view}"))
            else:
                stats.latencies.setdefault(page.url_path, []).append(result.latency)
                if page.url_path in reveal.PAGES and first:
                    # A browser's first look draws the chart, then reruns for the controls
                    # (ui/reveal.py): the server's extra work, not an action the student waits on.
                    await session.run(page_name=page.url_path,
                                      page_script_hash=page.page_script_hash, query_string=view)
            first = False
            pause = rng.uniform(*think)
            if time.monotonic() + pause >= t_end:
                return
            await asyncio.sleep(pause)
            if len(pages) > 1 and rng.random() < switch_page:
                page = rng.choice([p for p in pages if p is not page])
            view = next_view(rng, args, view)
            if result.error:
                # A student facing a dead or stuck page reloads it: a new session.
                await session.close()
                session = await open_session(target, page, view, stats)
                if session is None:
                    return
    finally:
        if session is not None:
            await session.close()


async def open_session(target: Target, page: sp.AppPage, view: str,
                       stats: Stats) -> sp.Session | None:
    """Like a browser: load the page (the proxy sets its affinity cookie), then the socket."""
    t0 = time.perf_counter()
    try:
        cookies = await asyncio.wait_for(
            asyncio.to_thread(sp.affinity_cookies, target.port, f"/{page.url_path}?{view}"), 15)
        session = sp.Session(target.port, cookies=cookies)
        await session.connect()
    except Exception as err:  # noqa: BLE001 - any failure to connect is an error to count
        stats.errors.append((f"connect: {type(err).__name__}: {err}", f"/{page.url_path}"))
        return None
    stats.connects.append(time.perf_counter() - t0)
    stats.backends[session.response_headers.get("x-upstream", f"127.0.0.1:{target.port}")] += 1
    return session


async def run_scenario(target: Target, pages: list[sp.AppPage], args, *,
                       think: tuple[float, float], duration: float, browser: bool,
                       label: str, floor_port: int | None = None) -> Stats:
    stats = Stats(label=label)
    n = args.sessions
    ramp = min(args.ramp, duration / 2)
    rng = random.Random(args.seed)
    delays = sorted(rng.uniform(0, ramp) for _ in range(n))
    t_start = time.monotonic()
    t_end = t_start + duration
    probe = None
    cpu0 = sum(sp.cpu_seconds(p) for p in target.pids)
    lookups0 = cache_lookups(target)
    with sp.RssSampler(target.pids, interval=0.2) as rss:
        tasks = [
            asyncio.create_task(student(i, target, pages, args, stats, t_end, think, delays[i],
                                        switch_page=0.25, t_start=t_start))
            for i in range(n)
        ]
        if browser:
            # A class following links opens the first of them; otherwise a fixed lesson view.
            view = args.pool[0] if args.pool else BROWSER_VIEW
            urls = [f"http://{sp.HOST}:{target.port}/{pages[0].url_path}?{view}"]
            if floor_port is not None:
                urls.append(f"http://{sp.HOST}:{floor_port}/")
            probe = asyncio.create_task(browser_probe_async(urls, delay=min(ramp + 2.0,
                                                                            duration / 3)))
        # Every run has its own 30 s timeout; this bounds the whole scenario.
        done, pending = await asyncio.wait(tasks, timeout=duration + sp.RUN_TIMEOUT + 30)
        for task in pending:
            task.cancel()
            stats.errors.append(("session still running after the time limit", "cancelled"))
        for task in done:
            if task.exception() is not None:
                stats.errors.append((f"session crashed: {task.exception()!r}", "load client"))
        stats.elapsed = time.monotonic() - t_start
        stats.server_cpu = sum(sp.cpu_seconds(p) for p in target.pids) - cpu0
        lookups1 = cache_lookups(target)
        if lookups0 is not None and lookups1 is not None:
            stats.cache = {k: n - lookups0.get(k, 0) for k, n in lookups1.items()
                           if n > lookups0.get(k, 0)}
        if probe is not None:
            probes = await probe
            stats.browser = probes[0]
            stats.floor = probes[1] if len(probes) > 1 else None
    stats.peak_rss, stats.rss_samples = rss.peak, rss.samples
    return stats


# --------------------------------------------------------------------------- the browser


# The probe's stages after the HTML: Streamlit's app mounted, the first plotly element
# attached, every chart drawn with the script idle.
PROBE_STAGES = (
    ("app", "() => !!document.querySelector('[data-testid=stApp]')"),
    ("chart", "() => !!document.querySelector('.js-plotly-plot')"),
    ("drawn", """() => document.querySelectorAll('.js-plotly-plot .main-svg').length > 0
        && document.querySelector('[data-testid=stApp]')
               ?.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector('[data-testid=stStatusWidgetRunningIcon]')"""),
    # The sidebar's controls drawn too, the script idle (other pages than ui/reveal.py's are
    # ready when drawn).
    ("controls", f"""() => !{CONTROLS_PENDING}
        && document.querySelector('[data-testid=stApp]')
               ?.getAttribute('data-test-script-state') === 'notRunning'"""),
)


def browser_probe(url: str, timeout: float = 30.0) -> dict:
    """Open ``url`` in headless Chromium; time until charts are drawn and the script is idle."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"skipped": "playwright is not installed"}
    if not Path(CHROMIUM).exists():
        return {"skipped": f"{CHROMIUM} not found"}
    out: dict = {"url": url}
    ms = int(timeout * 1000)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                         timeout=ms)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.set_default_timeout(ms)
                t0 = time.perf_counter()
                page.goto(url, wait_until="domcontentloaded", timeout=ms)
                out["dom"] = time.perf_counter() - t0
                # Every stage is polled in the page at each animation frame.  Not
                # wait_for_selector: Playwright retries that with a back-off that reaches
                # 500 ms, so a chart drawn at 1.8 s was reported at up to 2.3 s.
                for stage, ready in PROBE_STAGES:
                    page.wait_for_function(ready, timeout=ms, polling="raf")
                    out[stage] = time.perf_counter() - t0
                out["charts"] = page.evaluate(
                    "document.querySelectorAll('.js-plotly-plot').length")
                out["exceptions"] = page.evaluate(
                    "document.querySelectorAll('[data-testid=stException]').length")
            finally:
                browser.close()
    except Exception as err:  # noqa: BLE001 - reported, counted as a miss
        out["error"] = f"{type(err).__name__}: {str(err).splitlines()[0][:200]}"
    return out


async def browser_probe_async(urls: list[str], delay: float) -> list[dict]:
    """Probe each url in turn, in a daemon thread (Ctrl-C must not wait for it)."""
    await asyncio.sleep(delay)
    loop = asyncio.get_running_loop()
    fut: asyncio.Future = loop.create_future()

    def work() -> None:
        res = [browser_probe(url) for url in urls]
        with contextlib.suppress(RuntimeError):  # the loop is gone after Ctrl-C
            loop.call_soon_threadsafe(lambda: fut.done() or fut.set_result(res))

    threading.Thread(target=work, name="browser-probe", daemon=True).start()
    try:
        return await asyncio.wait_for(fut, 120 * len(urls))
    except TimeoutError:
        return [{"url": url, "error": "probe did not finish in time"} for url in urls]


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, default=None,
                    help="concurrent sessions (default 30; 10 with --saturate)")
    ap.add_argument("--duration", type=float, default=None,
                    help="seconds of load (default 60; with --saturate, per page, default 20)")
    ap.add_argument("--think", type=float, nargs=2, default=[2.0, 8.0], metavar=("MIN", "MAX"),
                    help="think time between a session's actions, uniform (default 2 8)")
    ap.add_argument("--pages", default=None,
                    help="comma-separated url paths of lesson pages (default: every page but "
                         "the home page, as the app registers them)")
    ap.add_argument("--saturate", action="store_true",
                    help="no think time; one page after another; report actions/s per page")
    ap.add_argument("--via-proxy", action="store_true",
                    help="through deploy/serve.sh (nginx, sticky sessions); with 1 and 2 "
                         "processes unless --procs is given")
    ap.add_argument("--procs", type=int, default=None, help="app processes behind nginx")
    ap.add_argument("--no-browser", action="store_true", help="skip the Chromium probe")
    ap.add_argument("--fail-on-error", action="store_true", help="exit 1 on any error")
    ap.add_argument("--ramp", type=float, default=3.0,
                    help="sessions connect spread over this many seconds (default 3)")
    ap.add_argument("--seeds", type=int, default=3,
                    help="views use seeds 0..N-1 (default 3); more seeds, fewer cache hits")
    ap.add_argument("--views", type=int, default=0,
                    help="draw every action from one pool of N views shared by all sessions "
                         "(a class following the teacher: mostly cache hits); default: any view")
    ap.add_argument("--prepare", action="store_true",
                    help="with --views: warm up by opening every view of the pool on every "
                         "lesson page and process (deploy/prepare.py: the teacher opens the "
                         "links she will share before class)")
    ap.add_argument("--no-warmup", action="store_true",
                    help="measure from a cold start (default: open each page once per "
                         "process first, as the teacher would before class)")
    ap.add_argument("--server-warmup", choices=["off", "wait", "during", "both", "all"],
                    default="both",
                    help="the app's own background warm-up (ui/warmup.py): off; finished "
                         "before the class starts (wait); started with the class (during: "
                         "does it slow the students?); both = off and wait, all = off, "
                         "during and wait, one server each (default both; behind "
                         "--via-proxy always off)")
    ap.add_argument("--seed", type=int, default=0, help="random seed of the load itself")
    args = ap.parse_args(argv)
    if args.sessions is None:
        args.sessions = 10 if args.saturate else 30
    if args.duration is None:
        args.duration = 20.0 if args.saturate else 60.0
    if args.sessions < 1 or args.duration <= 0 or args.seeds < 1 or args.views < 0:
        ap.error("--sessions, --duration and --seeds must be positive, --views >= 0")
    if args.views == 1:
        ap.error("--views needs at least 2 views (each action changes the view)")
    args.pool = view_pool(args.views, args.seeds, args.seed) if args.views else []
    if args.prepare and (not args.views or args.no_warmup):
        ap.error("--prepare needs --views (the links to prepare) and a warm-up")
    if not 0 <= args.think[0] <= args.think[1]:
        ap.error("--think needs 0 <= MIN <= MAX")
    if args.procs is not None and not args.via_proxy:
        ap.error("--procs needs --via-proxy")
    if args.procs is not None and not 1 <= args.procs <= 16:
        ap.error("--procs must be 1..16")
    return args


def choose_pages(available: list[sp.AppPage], wanted: str | None) -> list[sp.AppPage]:
    by_path = {p.url_path: p for p in available}
    if wanted is None:
        lessons = [p for p in available if not p.is_default]
        return lessons or available
    chosen = []
    for name in [w.strip().strip("/") for w in wanted.split(",") if w.strip()]:
        if name not in by_path:
            known = ", ".join(p.url_path or "(home)" for p in available)
            raise SystemExit(f"page {name!r} is not registered by the app; pages: {known}")
        chosen.append(by_path[name])
    return chosen


async def warm_up(target: Target, pages: list[sp.AppPage]) -> Stats:
    """Open every lesson page once with its default view on every process, as the teacher
    does before class: imports and first-use costs are not a student's latency."""
    stats = Stats(label=f"{target.label}: warm-up, each page once per process")
    t0 = time.monotonic()
    for i in range(target.procs):
        cookies = sp.backend_cookies(i, target.procs)  # selects process i behind nginx
        try:
            async with sp.Session(target.port, cookies=cookies) as session:
                for page in pages:
                    r = await session.run(page_name=page.url_path,
                                          page_script_hash=page.page_script_hash)
                    if r.error:
                        stats.errors.append((r.error, f"/{page.url_path} (warm-up)"))
                    else:
                        stats.latencies.setdefault(page.url_path, []).append(r.latency)
        except Exception as err:  # noqa: BLE001 - counted, reported
            stats.errors.append((f"warm-up: {type(err).__name__}: {err}", f"process {i}"))
    stats.elapsed = time.monotonic() - t0
    print_warm_up(stats, "warm-up     ", "slowest first run per page")
    return stats


async def prepare_links(target: Target, pages: list[sp.AppPage], pool: list[str]) -> Stats:
    """Open every view of the pool on every lesson page and process, each in a fresh
    session, as deploy/prepare.py does for the teacher's links before class."""
    stats = Stats(label=f"{target.label}: warm-up, prepared links")
    t0 = time.monotonic()
    links = [(page.url_path, view) for page in pages for view in pool]
    try:
        opened = await sp.open_links(target.port, links,
                                     procs=target.procs if target.via_proxy else 1)
    except Exception as err:  # noqa: BLE001 - counted, reported
        stats.errors.append((f"prepare: {type(err).__name__}: {err}", "warm-up"))
        opened = []
    for o in opened:
        r = o.result
        if r.error or r.exceptions:
            stats.errors.append((r.error or r.exceptions[0], f"/{o.page}?{o.query} (prepare)"))
        else:
            stats.latencies.setdefault(o.page, []).append(r.latency)
    stats.elapsed = time.monotonic() - t0
    print_warm_up(stats, f"prepared     {len(opened)} links in", "slowest per page")
    return stats


async def scenarios(target: Target, args) -> tuple[list[Stats], list[str]]:
    available = await sp.discover_pages(target.port)  # the first session starts a warm-up
    pages = choose_pages(available, args.pages)
    names = [p.url_path for p in pages]
    print(f"\n-- {target.label} on 127.0.0.1:{target.port}; pages: {', '.join(names)}")
    if target.wait_warmup and target.warmup_log is not None:
        await wait_server_warmup(target.warmup_log)
    results = []
    if args.prepare:
        results.append(await prepare_links(target, pages, args.pool))
    elif not args.no_warmup:
        results.append(await warm_up(target, pages))
    if args.saturate:
        for page in pages:
            stats = await run_scenario(target, [page], args, think=(0.0, 0.0),
                                       duration=args.duration, browser=False,
                                       label=f"{target.label}: saturate /{page.url_path}, "
                                             f"{args.sessions} sessions, {args.duration:.0f} s, "
                                             "no think time")
            results.append(stats)
    else:
        think = (args.think[0], args.think[1])
        stats = await run_scenario(
            target, pages, args, think=think, duration=args.duration,
            browser=not args.no_browser, floor_port=args.floor_port,
            label=f"{target.label}: {args.sessions} sessions, {args.duration:.0f} s, think "
                  f"{think[0]:g}-{think[1]:g} s")
        results.append(stats)
    if target.warmup_log is not None and not target.wait_warmup:
        said = [line for line in target.warmup_log.read_text(errors="replace").splitlines()
                if line.startswith("regviz warm-up:")]
        print(f"   server warm-up while the class ran, its last line: {said[-1] if said else '-'}")
    return results, names


def print_setting(args) -> None:
    """The machine's load at the start and the views the students will ask for."""
    load1, _, _ = os.getloadavg()
    print(f"regviz load test: {os.cpu_count()} cores, load average {load1:.2f} at start "
          "(a shared machine makes these numbers pessimistic)")
    print(views_line(args.seeds, args.pool))


@dataclass
class Outcome:
    """What the scenarios left to report: targets missed, warm-up errors, measured stats."""

    missed: list[str] = field(default_factory=list)
    warmup_errors: int = 0
    summary: list[tuple[str, Stats]] = field(default_factory=list)  # (target label, stats)

    @property
    def errors(self) -> int:
        return sum(len(s.errors) for _, s in self.summary) + self.warmup_errors


def run_targets(servers: Servers, args) -> tuple[Outcome, int]:
    """Start each target (direct, or behind the proxy with 1 and 2 processes), run its
    scenarios, stop it and report; returns the outcome and the number of targets."""
    if args.via_proxy:
        counts = [args.procs] if args.procs else [1, 2]
        targets = [lambda k=k: servers.proxied(k) for k in counts]
    else:
        modes = {"both": ["off", "wait"], "all": ["off", "during", "wait"]}.get(
            args.server_warmup, [args.server_warmup])
        targets = [lambda w=w: servers.direct(warmup=w) for w in modes]
    args.floor_port = None
    if not (args.no_browser or args.saturate):
        args.floor_port = servers.floor()
    outcome = Outcome()
    for make in targets:
        target = make()
        try:
            results, names = asyncio.run(scenarios(target, args))
        finally:
            servers.stop(target)
        for stats in results:
            if ": warm-up" in stats.label:
                outcome.warmup_errors += len(stats.errors)
                if stats.errors:
                    outcome.missed.append("errors")
                continue
            outcome.missed += report(stats, think=tuple(args.think), args=args, pages=names,
                                     saturate=args.saturate)
            outcome.summary.append((target.label, stats))
    return outcome, len(targets)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.chdir(ROOT)
    servers = Servers()

    def on_term(signum, frame):  # noqa: ARG001 - signal handler signature
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    print_setting(args)
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.monotonic()
    try:
        outcome, n_targets = run_targets(servers, args)
        if args.saturate:
            print_saturation(outcome.summary)
        if args.via_proxy and n_targets > 1 and not args.saturate:
            print_throughput(outcome.summary)
        if not args.via_proxy and n_targets > 1 and not args.saturate:
            print_warmup_comparison(outcome.summary)
    except KeyboardInterrupt:
        print("\ninterrupted: stopping servers", file=sys.stderr)
        servers.cleanup()
        return 130
    except (RuntimeError, TimeoutError, OSError) as err:
        print(f"\nload test could not run: {err}", file=sys.stderr)
        for proc in servers.procs:
            print(f"--- {' '.join(proc.argv[:4])} ...\n{proc.log_tail()}", file=sys.stderr)
        return 2
    finally:
        servers.cleanup()
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    used = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    print(f"\nload client CPU {used:.1f} s over {time.monotonic() - t0:.0f} s wall "
          "(it shares the cores with the server)")
    print(f"targets missed: {', '.join(sorted(set(outcome.missed))) or 'none'}")
    if "p95" in outcome.missed and not args.pool:
        print("note: every action asked for a view few had opened (cold caches); "
              "--views 10 models a class following the teacher's links")
    if args.fail_on_error and outcome.errors:
        print(f"FAIL: {outcome.errors} error(s)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    with contextlib.suppress(BrokenPipeError):
        sys.exit(main())
