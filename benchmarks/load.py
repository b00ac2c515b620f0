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

    python benchmarks/load.py                      # a class: 30 sessions, 60 s, think 2-8 s
    python benchmarks/load.py --sessions 5 --duration 10 --no-browser --fail-on-error
    python benchmarks/load.py --views 10 --prepare # a class on links opened before class
    python benchmarks/load.py --saturate           # no think time, actions/s per page
    python benchmarks/load.py --via-proxy          # through nginx with 1, then 2 processes
    python benchmarks/load.py --via-proxy --procs 2

Errors: an exception element among the deltas, a closed socket, a missing
page, or no script_finished within 30 s.  Servers are stopped (process
groups) on exit, Ctrl-C and errors.  Loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import resource
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

try:
    from benchmarks.browser import CHROMIUM, CHROMIUM_ARGS
    from deploy import st_protocol as sp
except ImportError:  # python benchmarks/load.py: the checkout's root, as the other benchmarks do
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from benchmarks.browser import CHROMIUM, CHROMIUM_ARGS
    from deploy import st_protocol as sp

ROOT = sp.ROOT
TARGET_P95 = 1.0
TARGET_RSS = 1.5 * 1024**3
TARGET_BROWSER = 4.0

DATASETS = ["diabetes", "house_prices", "sparse_truth", "dense_truth", "twins"]
PENALTIES = ["l1", "l2", "elasticnet"]
L1_RATIOS = ["0.2", "0.5", "0.8"]
LAM_INDICES = [-1, 0, 10, 25, 40]      # -1: the page's default (lambda_1se)
STD_FLAGS = ["1", "1", "1", "0"]       # mostly standardized, as taught
LABS = ["zeros", "corners", "recovery", "twins", "contest"]  # sparsity lab tabs (others ignore)
BROWSER_VIEW = "dataset=house_prices&penalty=l1&std=1&seed=0&lam=-1"


# --------------------------------------------------------------------------- views


def random_view(rng: random.Random, n_seeds: int, previous: str | None) -> str:
    """A query string for a view different from ``previous``."""
    view = previous or ""
    for _ in range(50):
        penalty = rng.choice(PENALTIES)
        # Every parameter is spelled out (l1_ratio too: the sparsity lab's contest uses it
        # whatever the penalty), so a view means the same in any session, whatever the
        # session asked for before: a prepared view is then a cache hit for everyone.
        parts = [f"dataset={rng.choice(DATASETS)}", f"penalty={penalty}",
                 f"a={rng.choice(L1_RATIOS)}",
                 f"lam={rng.choice(LAM_INDICES)}", f"std={rng.choice(STD_FLAGS)}",
                 f"seed={rng.randrange(n_seeds)}", f"lab={rng.choice(LABS)}"]
        view = "&".join(parts)
        if view != previous:
            break
    return view


def view_pool(n_views: int, n_seeds: int, seed: int) -> list[str]:
    """``n_views`` distinct views, the same for every session (a class following along)."""
    rng = random.Random(seed + 7919)
    pool: list[str] = []
    for _ in range(n_views * 50):
        if len(pool) == n_views:
            break
        view = random_view(rng, n_seeds, None)
        if view not in pool:
            pool.append(view)
    return pool


def next_view(rng: random.Random, args, previous: str | None) -> str:
    if not args.pool:
        return random_view(rng, args.seeds, previous)
    choices = [v for v in args.pool if v != previous] or args.pool
    return rng.choice(choices)


def view_space(n_seeds: int) -> int:
    penalties = len(PENALTIES) * len(L1_RATIOS)
    return (len(DATASETS) * penalties * len(LAM_INDICES) * len(set(STD_FLAGS)) * n_seeds
            * len(LABS))


# --------------------------------------------------------------------------- stats


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=dict)  # page -> seconds
    connects: list[float] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (what, where)
    server_cpu: float = 0.0
    backends: Counter = field(default_factory=Counter)
    bytes_received: int = 0
    refs: int = 0
    elapsed: float = 0.0
    peak_rss: int = 0
    rss_samples: int = 0
    browser: dict | None = None
    floor: dict | None = None
    label: str = ""

    @property
    def all_latencies(self) -> list[float]:
        return [x for xs in self.latencies.values() for x in xs]

    @property
    def actions(self) -> int:
        return len(self.all_latencies)

    def rate(self, page: str | None = None) -> float:
        n = self.actions if page is None else len(self.latencies.get(page, []))
        return n / self.elapsed if self.elapsed > 0 else 0.0


def quantiles(xs: list[float]) -> tuple[float, float, float]:
    """median, p95 (nearest rank), max; NaN when empty."""
    if not xs:
        nan = float("nan")
        return nan, nan, nan
    s = sorted(xs)
    p95 = s[min(len(s) - 1, max(0, int(round(0.95 * len(s))) - 1))]
    return statistics.median(s), p95, s[-1]


# --------------------------------------------------------------------------- a session


@dataclass
class Target:
    """Where sessions connect: a Streamlit port or the nginx port in front of several."""

    port: int
    pids: list[int]
    label: str
    via_proxy: bool
    procs: int = 1


async def student(idx: int, target: Target, pages: list[sp.AppPage], args, stats: Stats,
                  t_end: float, think: tuple[float, float], start_delay: float,
                  switch_page: float) -> None:
    rng = random.Random(args.seed * 10_007 + idx)
    await asyncio.sleep(start_delay)
    if time.monotonic() >= t_end:
        return
    page = pages[idx % len(pages)]
    view = next_view(rng, args, None)
    session = await open_session(target, page, view, stats)
    if session is None:
        return
    try:
        while True:
            result = await session.run(page_name=page.url_path,
                                       page_script_hash=page.page_script_hash,
                                       query_string=view)
            stats.bytes_received += result.bytes_received
            stats.refs += result.cache_hits
            if result.error:
                stats.errors.append((result.error, f"/{page.url_path}?{view}"))
            else:
                stats.latencies.setdefault(page.url_path, []).append(result.latency)
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
    with sp.RssSampler(target.pids, interval=0.2) as rss:
        tasks = [
            asyncio.create_task(student(i, target, pages, args, stats, t_end, think, delays[i],
                                        switch_page=0.25))
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
        if probe is not None:
            probes = await probe
            stats.browser = probes[0]
            stats.floor = probes[1] if len(probes) > 1 else None
    stats.peak_rss, stats.rss_samples = rss.peak, rss.samples
    return stats


# --------------------------------------------------------------------------- the browser


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
                page.wait_for_selector("[data-testid=stApp]", state="attached", timeout=ms)
                out["app"] = time.perf_counter() - t0
                page.wait_for_selector(".js-plotly-plot", state="attached", timeout=ms)
                out["chart"] = time.perf_counter() - t0
                page.wait_for_function(
                    """() => document.querySelectorAll('.js-plotly-plot .main-svg').length > 0
                        && document.querySelector('[data-testid=stApp]')
                               ?.getAttribute('data-test-script-state') === 'notRunning'
                        && !document.querySelector('[data-testid=stStatusWidgetRunningIcon]')""",
                    timeout=ms, polling=50,
                )
                out["drawn"] = time.perf_counter() - t0
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


# --------------------------------------------------------------------------- servers


class Servers:
    """Every process this run starts; all are stopped on exit."""

    def __init__(self) -> None:
        self.procs: list[sp.ServerProcess] = []
        self.logdir = Path(tempfile.mkdtemp(prefix="regviz-load-"))

    def direct(self) -> Target:
        port = sp.free_port()
        server = sp.start_streamlit(port, self.logdir / f"streamlit-{port}.log")
        self.procs.append(server)
        return Target(port, [server.pid], "direct, 1 process", via_proxy=False)

    def floor(self) -> int:
        """benchmarks/floor_app.py in its own process: the browser's floor, measured alike."""
        port = sp.free_port()
        server = sp.start_streamlit(port, self.logdir / f"floor-{port}.log",
                                    script="benchmarks/floor_app.py")
        self.procs.append(server)
        return port

    def proxied(self, procs: int) -> Target:
        if shutil.which("nginx") is None:
            raise SystemExit("--via-proxy needs nginx (apt-get install -y nginx)")
        first = sp.free_ports(procs + 1)
        server = sp.ServerProcess(
            ["bash", str(ROOT / "deploy" / "serve.sh"), "-k", str(procs), "-p", str(first),
             "-b", str(first + 1)],
            log_path=self.logdir / f"serve-{first}.log", env={"PYTHON": sys.executable},
        )
        self.procs.append(server)
        try:
            sp.wait_http_ok(first, timeout=60 + 30 * procs, proc=server.proc)
        except BaseException:
            print(server.log_tail(), file=sys.stderr)
            raise
        return Target(first, [server.pid], f"nginx + {procs} process(es)", via_proxy=True,
                      procs=procs)

    def stop(self, target: Target | None = None) -> None:
        keep = []
        for proc in self.procs:
            if target is None or proc.pid in target.pids:
                proc.stop()
            else:
                keep.append(proc)
        self.procs = keep

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.logdir, ignore_errors=True)


# --------------------------------------------------------------------------- report


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def fmt_s(x: float) -> str:
    return "n/a" if x != x else f"{x:.2f} s"


def report(stats: Stats, *, think: tuple[float, float], args, pages: list[str],
           saturate: bool) -> list[str]:
    """Print one scenario's numbers beside the targets; return the targets missed."""
    missed = []
    med, p95, mx = quantiles(stats.all_latencies)
    print(f"\n== {stats.label}")
    print(f"   actions      {stats.actions} in {stats.elapsed:.1f} s = {stats.rate():.2f}/s  "
          f"({stats.bytes_received / 1e6:.1f} MB received; {stats.refs} big elements "
          "sent as refs to the client's message cache)")
    for page in pages:
        if not stats.latencies.get(page):
            continue
        pm, pp, px = quantiles(stats.latencies.get(page, []))
        print(f"     /{page:<14} {len(stats.latencies.get(page, [])):5d} actions "
              f"{stats.rate(page):6.2f}/s   median {fmt_s(pm)}  p95 {fmt_s(pp)}  max {fmt_s(px)}")
    per_action = stats.server_cpu / stats.actions if stats.actions else float("nan")
    print(f"   server CPU   {stats.server_cpu:.1f} s = {per_action:.2f} s per action "
          f"({stats.server_cpu / max(stats.elapsed, 1e-9):.2f} cores busy on average)")
    cm, cp, _ = quantiles(stats.connects)
    print(f"   connect      median {fmt_s(cm)}  p95 {fmt_s(cp)}  (page HTML + websocket)")
    if len(stats.backends) > 1 or (stats.backends and args.via_proxy):
        spread = ", ".join(f"{k}: {v}" for k, v in sorted(stats.backends.items()))
        print(f"   sessions per backend  {spread}")
    ok = p95 <= TARGET_P95
    line = f"   latency      median {fmt_s(med)}  p95 {fmt_s(p95)}  max {fmt_s(mx)}"
    if saturate:
        print(f"{line}   (saturated: no target)")
    else:
        print(f"{line}   target p95 <= {TARGET_P95:.1f} s: {verdict(ok)}")
        if not ok:
            missed.append("p95")
    print(f"   errors       {len(stats.errors)}   target 0: {verdict(not stats.errors)}")
    where = {}
    for what, at in stats.errors:
        where.setdefault(what, at)
    for what, count in Counter(what for what, _ in stats.errors).most_common(6):
        print(f"     {count} x {what[:140]}  (e.g. {where[what][:90]})")
    if stats.errors:
        missed.append("errors")
    rss_ok = stats.peak_rss <= TARGET_RSS
    print(f"   server RSS   peak {stats.peak_rss / 2**20:.0f} MB ({stats.rss_samples} samples)   "
          f"target <= {TARGET_RSS / 2**30:.1f} GB: {verdict(rss_ok)}")
    if not rss_ok:
        missed.append("rss")
    b = stats.browser
    if b is None:
        print("   browser      not run" + (" (--saturate)" if saturate else " (--no-browser)"))
    elif "skipped" in b:
        print(f"   browser      skipped: {b['skipped']}")
    elif "error" in b:
        print(f"   browser      FAILED: {b['error']}   target <= {TARGET_BROWSER:.0f} s: MISSED")
        missed.append("browser")
    else:
        drawn = b["drawn"]
        bok = drawn <= TARGET_BROWSER and not b.get("exceptions")
        print(f"   browser      charts drawn, script idle after {drawn:.2f} s "
              f"(DOM {b['dom']:.2f} s, app {b['app']:.2f} s, first chart {b['chart']:.2f} s; "
              f"{b['charts']} chart(s), {b['exceptions']} exception(s))   "
              f"target <= {TARGET_BROWSER:.0f} s: {verdict(bok)}")
        print(f"                {b['url']}")
        if not bok:
            missed.append("browser")
    f = stats.floor
    if f is not None and "drawn" in f:
        print(f"   floor        a one-chart Streamlit page (benchmarks/floor_app.py), same "
              f"browser, same load: drawn after {f['drawn']:.2f} s (DOM {f['dom']:.2f} s, "
              f"first chart {f['chart']:.2f} s): no page draws faster here")
    elif f is not None:
        print(f"   floor        not measured: {f.get('error') or f.get('skipped')}")
    return missed


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


def print_warm_up(stats: Stats, what: str, slowest: str) -> None:
    """One line on a warm-up (its time, the slowest run per page, errors), then its errors."""
    firsts = ", ".join(f"/{p}: {max(xs):.1f} s" for p, xs in stats.latencies.items())
    print(f"   {what} {stats.elapsed:.1f} s ({slowest}: {firsts or 'none'}; "
          f"{len(stats.errors)} error(s))")
    for what_failed, where in stats.errors[:5]:
        print(f"     {what_failed[:140]}  ({where})")


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
    available = await sp.discover_pages(target.port)
    pages = choose_pages(available, args.pages)
    names = [p.url_path for p in pages]
    print(f"\n-- {target.label} on 127.0.0.1:{target.port}; pages: {', '.join(names)}")
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
    return results, names


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.chdir(ROOT)
    servers = Servers()

    def on_term(signum, frame):  # noqa: ARG001 - signal handler signature
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    load1, _, _ = os.getloadavg()
    print(f"regviz load test: {os.cpu_count()} cores, load average {load1:.2f} at start "
          "(a shared machine makes these numbers pessimistic)")
    space = (f"{len(DATASETS)} datasets x {len(PENALTIES)} penalties x {len(L1_RATIOS)} "
             f"l1_ratios x {len(LAM_INDICES)} lambda indices x 2 std x {args.seeds} seeds = "
             f"{view_space(args.seeds)} distinct views")
    if args.pool:
        print(f"views: a shared pool of {len(args.pool)} drawn from {space}")
    else:
        print(f"views: each action a random view of {space} (mostly cache misses)")
    missed: list[str] = []
    warmup_errors = 0
    summary: list[tuple[str, Stats]] = []
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.monotonic()
    try:
        if args.via_proxy:
            counts = [args.procs] if args.procs else [1, 2]
            targets = [lambda k=k: servers.proxied(k) for k in counts]
        else:
            targets = [servers.direct]
        args.floor_port = None
        if not (args.no_browser or args.saturate):
            args.floor_port = servers.floor()
        for make in targets:
            target = make()
            try:
                results, names = asyncio.run(scenarios(target, args))
            finally:
                servers.stop(target)
            for stats in results:
                if "warm-up" in stats.label:
                    warmup_errors += len(stats.errors)
                    if stats.errors:
                        missed.append("errors")
                    continue
                missed += report(stats, think=tuple(args.think), args=args, pages=names,
                                 saturate=args.saturate)
                summary.append((target.label, stats))
        if args.saturate:
            print("\n== saturation: actions per second per lesson page")
            for label, stats in summary:
                med, p95, _ = quantiles(stats.all_latencies)
                page = stats.label.split("saturate ", 1)[-1].split(",", 1)[0]
                print(f"   {label:<24} {page:<16} {stats.rate():6.2f} actions/s   "
                      f"server CPU {stats.server_cpu / max(stats.actions, 1):.2f} s/action   "
                      f"median {fmt_s(med)}   errors {len(stats.errors)}")
        if args.via_proxy and len(targets) > 1 and not args.saturate:
            print("\n== throughput by process count")
            for label, stats in summary:
                _, p95, _ = quantiles(stats.all_latencies)
                print(f"   {label:<24} {stats.rate():6.2f} actions/s   p95 {fmt_s(p95)}   "
                      f"errors {len(stats.errors)}   peak RSS {stats.peak_rss / 2**20:.0f} MB"
                      f"   [{stats.label.split(': ', 1)[-1]}]")
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
    errors = sum(len(s.errors) for _, s in summary) + warmup_errors
    print(f"targets missed: {', '.join(sorted(set(missed))) or 'none'}")
    if "p95" in missed and not args.pool:
        print("note: every action asked for a view few had opened (cold caches); "
              "--views 10 models a class following the teacher's links")
    if args.fail_on_error and errors:
        print(f"FAIL: {errors} error(s)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    with contextlib.suppress(BrokenPipeError):
        sys.exit(main())
