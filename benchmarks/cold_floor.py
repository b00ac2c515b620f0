"""A cold class's floor: the best any server on this machine could do with the class's own work.

    python -m benchmarks.cold_floor              # 30 sessions, 60 s, think 2-8 s, seed 0
    python -m benchmarks.cold_floor --seed 1 --sessions 30 --duration 60

``benchmarks/load.py`` measures a class arriving at a server that has just started (its
background warm-up off): p95 well over the 1 s target.  Is that the server's fault or the
machine's?  This measures the work itself and schedules it ideally:

1. The class: ``load.py``'s students (any view, each page once first as a teacher would),
   on a fresh server.  Every action's session, page, view, start and latency are kept.
2. The replay: a second fresh server gets the same actions one at a time, in the order
   they started, each in its own student's session, so every shared cache is filled by the
   same action as in the class.  The server's CPU per action (its process and its workers,
   from ``/proc``) is that action's work.
3. The ideal server: that work on ``os.cpu_count()`` cores with no overhead at all, each
   view able to use every core, closed loop as in the class (a student's next action
   comes its think time after the previous one ends).  Two policies: first come first
   served, and shortest remaining work first.

The ideal servers' p95 is what no scheduling of the same work could beat by much; when it
is over the target, only less work per view (or a warm-up before the class) can meet it.
"""

from __future__ import annotations

import argparse
import asyncio
import heapq
import itertools
import json
import math
import os
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks import load
from benchmarks.load_report import TARGET_P95, Stats, quantiles, report
from benchmarks.load_servers import Servers, Target
from deploy import st_protocol as sp

QUIET_CPU = 0.005  # s of server CPU in QUIET_STEP s: the server has finished an action's work
QUIET_STEP = 0.05


@dataclass
class Student:
    """One session's actions as the ideal server sees them."""

    first: float        # when its first action is asked for (s from the class's start)
    works: list[float]  # CPU seconds of each action, in order
    thinks: list[float]  # the pause after each action but the last (s)


def ideal_latencies(students: list[Student], *, cores: float, per_view: float,
                    policy: str) -> list[float]:
    """Each action's latency on an ideal server: ``cores`` of capacity, at most ``per_view``
    of it for one action, no overhead, closed loop.  ``policy``: "fifo" serves the earliest
    asked first, "srpt" the least remaining work first."""
    if policy not in ("fifo", "srpt"):
        raise ValueError(f"unknown policy {policy!r}")
    pending = [(s.first, i, 0) for i, s in enumerate(students) if s.works]
    heapq.heapify(pending)
    active: dict[tuple[int, int], list[float]] = {}  # (student, k) -> [remaining, asked at]
    done: list[float] = []
    t = 0.0

    def finish(i: int, k: int, asked: float) -> None:
        done.append(t - asked)
        if k + 1 < len(students[i].works):
            heapq.heappush(pending, (t + students[i].thinks[k], i, k + 1))

    while pending or active:
        order = sorted(active, key=lambda j: active[j][0 if policy == "srpt" else 1])
        rates, left = {}, cores
        for j in order:
            if left <= 0:
                break
            rates[j] = min(per_view, left)
            left -= rates[j]
        next_done = min((t + active[j][0] / r for j, r in rates.items()), default=math.inf)
        next_ask = pending[0][0] if pending else math.inf
        t_next = min(next_done, next_ask)
        for j, r in rates.items():
            active[j][0] -= r * (t_next - t)
        t = t_next
        for j in [j for j in rates if active[j][0] <= 1e-9]:
            _, asked = active.pop(j)
            finish(*j, asked)
        while pending and pending[0][0] <= t + 1e-12:
            asked, i, k = heapq.heappop(pending)
            if students[i].works[k] <= 0:
                finish(i, k, asked)
            else:
                active[(i, k)] = [students[i].works[k], asked]
    return done


def students_from(timeline: list, works: list[float]) -> list[Student]:
    """The class's sessions with the replay's work per action and their measured pauses."""
    by_session: dict[int, list[tuple[float, float, float]]] = {}
    for (idx, start, latency, *_), work in zip(timeline, works, strict=True):
        by_session.setdefault(idx, []).append((start, latency, work))
    out = []
    for runs in by_session.values():
        runs.sort()
        thinks = [max(0.0, b[0] - (a[0] + a[1])) for a, b in itertools.pairwise(runs)]
        out.append(Student(first=runs[0][0], works=[w for *_, w in runs], thinks=thinks))
    return out


async def quiet(pid: int, limit: float = 10.0) -> None:
    """Wait until the server (and its workers) use next to no CPU: an action's work is over."""
    t0 = time.monotonic()
    before = sp.cpu_seconds(pid)
    while time.monotonic() - t0 < limit:
        await asyncio.sleep(QUIET_STEP)
        now = sp.cpu_seconds(pid)
        if now - before < QUIET_CPU:
            return
        before = now


async def replay(target: Target, pages: list[sp.AppPage],
                 timeline: list) -> tuple[list[float], list[float]]:
    """Each action's server CPU, replayed one at a time in the order the class started
    them: (its process and workers, the part in its own process under its one GIL)."""
    await load.warm_up(target, pages)  # as in the class: each page once first
    pid = target.pids[0]
    sessions: dict[int, sp.Session] = {}
    works, in_server = [], []
    try:
        for idx, _start, _latency, page, view, _failed in timeline:
            if idx not in sessions:
                sessions[idx] = sp.Session(target.port)
                await sessions[idx].connect()
            await quiet(pid)
            cpu0, own0 = sp.cpu_seconds(pid), sp.own_cpu_seconds(pid)
            result = await sessions[idx].run(page_name=page.url_path,
                                             page_script_hash=page.page_script_hash,
                                             query_string=view)
            await quiet(pid)
            works.append(sp.cpu_seconds(pid) - cpu0)
            in_server.append(sp.own_cpu_seconds(pid) - own0)
            if result.error:
                print(f"   replay: /{page.url_path}?{view}: {result.error[:120]}")
    finally:
        for session in sessions.values():
            await session.close()
    return works, in_server


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=30)
    ap.add_argument("--duration", type=float, default=60.0)
    ap.add_argument("--seed", type=int, default=0, help="random seed of the class")
    ap.add_argument("--save", default=None,
                    help="write each action (session, start, latency, page, view, work) as JSON")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.chdir(sp.ROOT)
    cores = float(os.cpu_count() or 1)
    print(f"cold floor: {cores:.0f} cores, load average {os.getloadavg()[0]:.2f} at start")
    class_args = load.parse_args(["--sessions", str(args.sessions), "--duration",
                                  str(args.duration), "--no-browser", "--server-warmup", "off",
                                  "--seed", str(args.seed)])
    class_args.floor_port = None
    servers = Servers()
    try:
        target = servers.direct(warmup="off")
        try:
            results, names = asyncio.run(load.scenarios(target, class_args))
        finally:
            servers.stop(target)
        stats: Stats = results[-1]
        report(stats, think=tuple(class_args.think), args=class_args, pages=names,
               saturate=False)
        timeline = sorted(stats.timeline, key=lambda r: r[1])
        print(f"\n-- replay: {len(timeline)} actions one at a time on a fresh server")
        target = servers.direct(warmup="off")
        try:
            pages = load.choose_pages(asyncio.run(sp.discover_pages(target.port)), None)
            t0 = time.monotonic()
            works, in_server = asyncio.run(replay(target, pages, timeline))
        finally:
            servers.stop(target)
    finally:
        servers.cleanup()
    total = sum(works)
    print(f"   the class's work: {total:.1f} CPU-s for {len(works)} actions "
          f"(median {statistics.median(works):.2f} s, max {max(works):.2f} s), replayed in "
          f"{time.monotonic() - t0:.0f} s; {sum(in_server):.1f} CPU-s of it in the server's "
          "own process (one GIL), the rest in its workers")
    by_page: dict[str, list[float]] = {}
    for (_, _, _, page, *_), work in zip(timeline, works, strict=True):
        by_page.setdefault(page.url_path, []).append(work)
    for page, ws in sorted(by_page.items(), key=lambda kv: -sum(kv[1])):
        print(f"     /{page:<14} {len(ws):4d} actions  {sum(ws):6.1f} CPU-s "
              f"({sum(ws) / total:4.0%})  per action median {statistics.median(ws):.2f} s  "
              f"max {max(ws):.2f} s")
    first: dict[int, tuple[float, float]] = {}  # session -> (asked at, work) of its first page
    for (idx, start, *_), work in zip(timeline, works, strict=True):
        first.setdefault(idx, (start, work))
    asked = [start for start, _ in first.values()]
    need = sum(work for _, work in first.values())
    print(f"   the opening: {len(first)} first pages, asked {min(asked):.1f}-{max(asked):.1f} s "
          f"into the class, need {need:.1f} CPU-s; on {cores:.0f} cores the last of them is "
          f"done {need / cores:.1f} s after the first is asked, at the earliest")
    _, p95, mx = quantiles([lat for _, _, lat, *_ in timeline])
    print(f"   measured     p95 {p95:.2f} s  max {mx:.2f} s  (the class above)")
    students = students_from(timeline, works)
    # The last line: one core in all, as one process under one GIL with no workers would have.
    for n_cores, per_view in sorted({(cores, 1.0), (cores, cores), (1.0, 1.0)}, reverse=True):
        for policy, name in (("fifo", "first come first served"),
                             ("srpt", "least remaining work first")):
            lat = ideal_latencies(students, cores=n_cores, per_view=per_view, policy=policy)
            _, p95, mx = quantiles(lat)
            print(f"   ideal, {n_cores:.0f} core(s), {per_view:.0f} per view, {name:<26} "
                  f"p95 {p95:.2f} s  max {mx:.2f} s  target p95 <= {TARGET_P95:.1f} s")
    if args.save:
        rows = [[idx, start, latency, page.url_path, view, work] for
                (idx, start, latency, page, view, _), work in zip(timeline, works, strict=True)]
        Path(args.save).write_text(json.dumps(rows), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
