"""The load test's numbers: per-scenario statistics, and the report beside the targets.

``benchmarks/load.py`` drives the students and collects a :class:`Stats` per
scenario; this module prints it (latency quantiles, server CPU and memory,
errors, the browser probe) and says which targets were missed.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from deploy import st_protocol as sp

TARGET_P95 = 1.0
TARGET_RSS = 1.5 * 1024**3
TARGET_BROWSER = 4.0


# --------------------------------------------------------------------------- stats


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=dict)  # page -> seconds
    # Every run in the order its answer came, also for a replay (benchmarks/cold_floor.py):
    # (session index, start in s from the scenario's start, latency, page, view, failed)
    timeline: list[tuple[int, float, float, sp.AppPage, str, bool]] = field(
        default_factory=list)
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
    cache: dict[tuple[str, str], int] | None = None  # (function, hit|miss) -> lookups

    @property
    def all_latencies(self) -> list[float]:
        return [x for xs in self.latencies.values() for x in xs]

    @property
    def actions_seen(self) -> list[tuple[float, str, str, int]]:
        """The answered runs: (seconds, page, view, how many runs its session made before)."""
        before: Counter = Counter()
        out = []
        for idx, _, latency, page, view, failed in self.timeline:
            if not failed:
                out.append((latency, page.url_path, view, before[idx]))
            before[idx] += 1
        return out

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
    print_cache(stats.cache)
    print_slowest(stats.actions_seen)
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


def short_name(cache: str) -> str:
    """"pages.paths._builtin_exploration" -> "_builtin_exploration" (a "resource:" kept)."""
    prefix = "resource:" if cache.startswith("resource:") else ""
    return prefix + cache.removeprefix(prefix).rsplit(".", 1)[-1]


def print_cache(cache: dict[tuple[str, str], int] | None) -> None:
    """Cache lookups during the scenario: misses are results computed (or figures built)
    afresh.  st.cache_resource names (the figure cache) start with "resource:"."""
    if cache is None:
        return
    hits = sum(n for (_, kind), n in cache.items() if kind == "hit")
    misses = {short_name(name): n for (name, kind), n in cache.items() if kind == "miss"}
    top = ", ".join(f"{name} {n}" for name, n in sorted(misses.items(), key=lambda x: -x[1])[:5])
    print(f"   cache        {hits} hits, {sum(misses.values())} misses"
          + (f" (most: {top})" if top else "") + "   (/_stcore/metrics)")


SLOWEST_SHOWN = 12


def print_slowest(actions: list[tuple[float, str, str, int]], n: int = SLOWEST_SHOWN) -> None:
    """The slowest actions, each with the part of its view its page computes from, whether
    the server's warm-up opens that view, and how often the class asked for it before: the
    tail is then a named view (cold, evicted, or slow even when cached), not a guess."""
    if not actions:
        return
    from ui import warmup

    warmed = {(page, query) for page, query in warmup.views()}
    asked: Counter = Counter()
    earlier: dict[int, int] = {}
    for i, (_, page, view, _) in enumerate(actions):
        key = (page, warmup.canonical(page, view))
        earlier[i] = asked[key]
        asked[key] += 1
    n = min(n, len(actions))
    order = sorted(range(len(actions)), key=lambda i: -actions[i][0])[:n]
    firsts = sorted(a[0] for a in actions if a[3] == 0)
    rest = sorted(a[0] for a in actions if a[3] > 0)
    print(f"   first pages  median {fmt_s(quantiles(firsts)[0])}  p95 {fmt_s(quantiles(firsts)[1])}"
          f" ({len(firsts)} sessions opening at once);  later actions median "
          f"{fmt_s(quantiles(rest)[0])}  p95 {fmt_s(quantiles(rest)[1])} ({len(rest)})")
    computing = {page for page, _ in warmed}
    print(f"   slowest      {n} of {len(actions)} actions (warmed: the server's warm-up opens "
          "this view; asked before: by this class, earlier; #: the session's action number)")
    for i in order:
        latency, page, view, nth = actions[i]
        key = (page, warmup.canonical(page, view))
        lam = next((part for part in view.split("&") if part.startswith("lam=")), "")
        warm = "yes" if key in warmed else ("NO" if page in computing else "nothing to warm")
        print(f"     {latency:6.2f} s  /{page}?{key[1] or '-'}  {lam}  #{nth}  "
              f"warmed {warm}, asked before {earlier[i]}")


def print_warm_up(stats: Stats, what: str, slowest: str) -> None:
    """One line on a warm-up (its time, the slowest run per page, errors), then its errors."""
    firsts = ", ".join(f"/{p}: {max(xs):.1f} s" for p, xs in stats.latencies.items())
    print(f"   {what} {stats.elapsed:.1f} s ({slowest}: {firsts or 'none'}; "
          f"{len(stats.errors)} error(s))")
    for what_failed, where in stats.errors[:5]:
        print(f"     {what_failed[:140]}  ({where})")


def print_saturation(summary: list[tuple[str, Stats]]) -> None:
    """Actions per second per lesson page, one line per saturated scenario."""
    print("\n== saturation: actions per second per lesson page")
    for label, stats in summary:
        med, _, _ = quantiles(stats.all_latencies)
        page = stats.label.split("saturate ", 1)[-1].split(",", 1)[0]
        print(f"   {label:<24} {page:<16} {stats.rate():6.2f} actions/s   "
              f"server CPU {stats.server_cpu / max(stats.actions, 1):.2f} s/action   "
              f"median {fmt_s(med)}   errors {len(stats.errors)}")


def print_throughput(summary: list[tuple[str, Stats]]) -> None:
    """Throughput, p95 and memory by process count (behind the proxy)."""
    print("\n== throughput by process count")
    for label, stats in summary:
        _, p95, _ = quantiles(stats.all_latencies)
        print(f"   {label:<24} {stats.rate():6.2f} actions/s   p95 {fmt_s(p95)}   "
              f"errors {len(stats.errors)}   peak RSS {stats.peak_rss / 2**20:.0f} MB"
              f"   [{stats.label.split(': ', 1)[-1]}]")


def print_warmup_comparison(summary: list[tuple[str, Stats]]) -> None:
    """The class's latency on a server without and with its background warm-up."""
    print("\n== the class, any view: without and with the server's background warm-up")
    for label, stats in summary:
        med, p95, mx = quantiles(stats.all_latencies)
        print(f"   {label:<44} median {fmt_s(med)}  p95 {fmt_s(p95)}  max {fmt_s(mx)}   "
              f"errors {len(stats.errors)}   server CPU {stats.server_cpu:.0f} s   "
              f"peak RSS {stats.peak_rss / 2**20:.0f} MB")
