"""Warm the caches every session shares, in the background, when a server process starts.

A view nobody has opened costs 0.3-4 s of CPU (a path with its cross-validation,
an experiment's simulations).  Under a class the first student to ask for it pays
that, stretched by everyone else's reruns.  So each app process, once, opens the
lesson views a class is likely to ask for, over its own loopback websocket, the
way ``deploy/prepare.py`` opens a teacher's links: the pages' own ``st.cache_data``
functions and figure caches get exactly the keys a student will hit.  Built-in
data only (a view names a built-in dataset; an upload is never in a query string).

It yields to real sessions: a view is opened only when no real run is in progress
and none started in the last ``QUIET_S`` seconds, so during a busy class it waits.
While the server is idle it opens one view per core at once (``lanes``, at most 2),
so both cores work.  Its own runs carry a per-process cookie so they are not
counted as real.  ``REGVIZ_WARMUP=0`` turns it off (the tests' servers; see
``deploy/st_server.py``); AppTest has no server and never starts it.  The thread
starts with the process's first session (Streamlit runs no script before one
connects); ``deploy/serve.sh`` opens that session right after start.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import secrets
import sys
import threading
import time
from collections.abc import Iterator
from urllib.parse import parse_qsl

ENV = "REGVIZ_WARMUP"
LIMIT_ENV = "REGVIZ_WARMUP_VIEWS"  # only the first N views (a test's short warm-up)
LANES_ENV = "REGVIZ_WARMUP_LANES"  # views opened at once (default: one per core, at most 2)
COOKIE = "regviz_warmup"
# A real run started this recently: wait.  Longer than a class's think time between clicks
# (2-8 s), so during a class the warm-up pauses; measured with 1 s, a warm-up running through a
# class of 30 raised its median from 1.5 to 2.6 s (load average near 10).
QUIET_S = 5.0
START_DELAY_S = 2.0   # let the first visitor's run finish first
DONE_LINE = "regviz warm-up: done"  # benchmarks/load.py waits for this line in the log

# What a class asks for, most likely first on each axis (the defaults lead).  The load test
# (benchmarks/load_views.py) draws its students' views from these same lists.
DATASETS = ("diabetes", "house_prices", "sparse_truth", "dense_truth", "twins")
PENALTIES = ("l1", "l2", "elasticnet")
L1_RATIOS = ("0.5", "0.2", "0.8")
STD_FLAGS = ("1", "0")
SEEDS = ("0", "1", "2")
LABS = ("zeros", "corners", "recovery", "twins", "contest")

# The URL parameters each page's computation reads (others change nothing it caches):
# ``a`` counts on the paths and geometry pages only with elastic net.
_PAGE_READS = {
    "": (),
    "paths": ("dataset", "penalty", "std", "seed"),
    "geometry": ("penalty", "seed"),
    "house-prices": ("dataset", "seed"),  # another table: the lesson on that table
    "zeros-made": ("seed",),
    "diagnosis": ("seed",),
}
_LAB_READS = {  # the sparsity lab: each tab reads its own settings
    "zeros": ("dataset", "a", "std", "seed"),
    "corners": ("seed",),
    "recovery": ("a", "seed"),
    "twins": ("a", "seed"),
    "contest": ("a", "seed"),
}
_DEFAULT_DATASET = {"house-prices": "house_prices", "sparsity": "sparse_truth"}  # else diabetes
_PENALTY_CHOICES = (("l1", None), ("l2", None),
                    *(("elasticnet", a) for a in L1_RATIOS))


def axis(page: str, name: str) -> tuple:
    """The values of one URL parameter on ``page``, the page's default first."""
    if name == "dataset":
        first = _DEFAULT_DATASET.get(page, DATASETS[0])
        return (first, *(d for d in DATASETS if d != first))
    return {"std": STD_FLAGS, "seed": SEEDS, "a": L1_RATIOS, "penalty": _PENALTY_CHOICES,
            "lab": LABS}[name]


# --------------------------------------------------------------------------- the views


def _combinations(page: str, reads: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """(rank, params) for every combination of the axes read; rank 0 is all defaults."""
    for picks in itertools.product(*(enumerate(axis(page, name)) for name in reads)):
        params: dict[str, str] = {}
        for name, (_, value) in zip(reads, picks, strict=True):
            if name == "penalty":
                params["penalty"], a = value
                if a is not None:
                    params["a"] = a
            else:
                params[name] = value
        yield sum(i for i, _ in picks), params


def _query(params: dict[str, str]) -> str:
    return "&".join(f"{k}={v}" for k, v in params.items())


def canonical(page: str, query: str) -> str:
    """The part of ``query`` that ``page`` computes from, spelled as ``views()`` spells it.

    Two links with the same canonical query hit the same cache entries on that page.
    """
    given = dict(parse_qsl(query))
    if page == "sparsity":
        lab = given.get("lab", LABS[0])
        reads, params = _LAB_READS.get(lab, ()), {"lab": lab}
    else:
        reads, params = _PAGE_READS.get(page, ()), {}
    for name in reads:
        if name in given:
            params[name] = given[name]
        if name == "penalty" and given.get("penalty") == "elasticnet" and "a" in given:
            params["a"] = given["a"]
    return _query(params)


def views() -> list[tuple[str, str]]:
    """(page url path, query string) to open, most likely first, each cache key once.

    Ordered by how far a view is from the defaults (the sum of its positions on each
    axis), pages in teaching order within a rank, so every page's likeliest views come
    before any page's unlikely ones.
    """
    ranked: list[tuple[int, int, str, str]] = []
    order = 0
    for page, reads in _PAGE_READS.items():
        for rank, params in _combinations(page, reads):
            ranked.append((rank, order, page, _query(params)))
            order += 1
    for lab, reads in _LAB_READS.items():
        for rank, params in _combinations("sparsity", reads):
            ranked.append((rank, order, "sparsity", _query({"lab": lab, **params})))
            order += 1
    ranked.sort()
    return [(page, query) for _, _, page, query in ranked]


# --------------------------------------------------------------------------- real runs


class _Activity:
    """Real (non-warm-up) script runs in progress in this process, and when one last began."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running = 0
        self.last_start = 0.0

    def quiet_for(self) -> float:
        """Seconds since the last real run began; 0 while one is running."""
        with self.lock:
            return 0.0 if self.running else time.monotonic() - self.last_start


_ACTIVITY = _Activity()
_TOKEN = secrets.token_hex(16)  # the warm-up's own cookie value, unknown outside this process
_STARTED = threading.Event()
_START_LOCK = threading.Lock()


def _is_warmup_run() -> bool:
    import streamlit as st

    try:
        return st.context.cookies.get(COOKIE) == _TOKEN
    except Exception:  # noqa: BLE001 - no request context (AppTest): a real run
        return False


@contextlib.contextmanager
def real_run() -> Iterator[None]:
    """Around a page's run in app.py: the warm-up waits while real runs happen."""
    if _is_warmup_run():
        yield
        return
    with _ACTIVITY.lock:
        _ACTIVITY.running += 1
        _ACTIVITY.last_start = time.monotonic()
    try:
        yield
    finally:
        with _ACTIVITY.lock:
            _ACTIVITY.running -= 1


# --------------------------------------------------------------------------- the thread


def enabled() -> bool:
    """On unless REGVIZ_WARMUP=0, and only under a real server (not AppTest, not bare python)."""
    if os.environ.get(ENV, "1").strip().lower() in ("0", "false", "no", "off"):
        return False
    try:
        from streamlit.runtime import Runtime

        return Runtime.exists() and type(Runtime.instance()) is Runtime  # AppTest: a mock
    except Exception:  # noqa: BLE001 - no runtime at all
        return False


def _loopback_port() -> int | None:
    """This server's port if the warm-up can reach it on 127.0.0.1 without a base path."""
    import streamlit as st

    address = (st.get_option("server.address") or "").strip()
    if address not in ("", "0.0.0.0", "127.0.0.1", "localhost", "::"):
        return None
    if (st.get_option("server.baseUrlPath") or "").strip("/"):
        return None
    return int(st.get_option("server.port"))


def start_once() -> None:
    """Start this process's warm-up thread (first call only; off under tests)."""
    if _STARTED.is_set() or not enabled():
        return
    with _START_LOCK:  # two sessions' first runs at once must not start two threads
        if _STARTED.is_set():
            return
        _STARTED.set()
    port = _loopback_port()
    if port is None:
        _log("skipped: the server does not listen on loopback without a base path")
        return
    threading.Thread(target=_warm, args=(port,), name="regviz-warmup", daemon=True).start()


def _log(text: str) -> None:
    print(f"regviz warm-up: {text}", file=sys.stderr, flush=True)


def _warm(port: int) -> None:
    # No lower OS priority: the pages' runs would hold the GIL while descheduled and stall
    # the real sessions' threads; the warm-up yields by waiting for quiet instead.
    try:
        asyncio.run(_warm_all(port, views()))
    except Exception as err:  # noqa: BLE001 - a warm-up must never take the server down
        _log(f"stopped: {type(err).__name__}: {err}")


async def _wait_quiet() -> float:
    """Sleep until no real run is going on and none began for QUIET_S; the seconds waited."""
    t0 = time.monotonic()
    while (quiet := _ACTIVITY.quiet_for()) < QUIET_S:
        await asyncio.sleep(max(0.1, QUIET_S - quiet))
    return time.monotonic() - t0


def lanes() -> int:
    """Views the warm-up opens at once: REGVIZ_WARMUP_LANES, else one per core, at most 2
    (1 without worker processes, as behind ``deploy/serve.sh``).

    A cold view's heavy part runs in the worker pool (``ui.offload``) and its figure in
    the server, so two at once keep both cores busy while nobody else is using them.
    """
    from ui import offload

    text = os.environ.get(LANES_ENV, "").strip()
    if text.isdigit() and int(text) > 0:
        return int(text)
    if offload.workers() == 0:  # all in this process, under one GIL: a second lane gains nothing
        return 1
    return max(1, min(2, os.cpu_count() or 1))


async def _warm_all(port: int, todo: list[tuple[str, str]]) -> None:
    from deploy import st_protocol as sp

    await asyncio.sleep(START_DELAY_S)
    pages = {p.url_path: p for p in await sp.discover_pages(port, {COOKIE: _TOKEN})}
    t0 = time.monotonic()
    waited, errors, opened = 0.0, 0, 0
    per_page: dict[str, list[float]] = {}
    limit = os.environ.get(LIMIT_ENV, "").strip()
    if limit.isdigit():
        todo = todo[:int(limit)]
    n_lanes = lanes()
    _log(f"{len(todo)} views to open, most likely first, {n_lanes} at a time")
    queue = iter(todo)  # shared by the lanes: each view is opened once

    async def lane() -> None:
        nonlocal waited, errors, opened
        for page, query in queue:
            known = pages.get(page) or next(p for p in pages.values() if p.is_default)
            waited += await _wait_quiet()
            async with sp.Session(port, cookies={COOKIE: _TOKEN}) as session:
                result = await session.run(page_name=known.url_path,
                                           page_script_hash=known.page_script_hash,
                                           query_string=query)
            if result.error:
                errors += 1
                _log(f"/{page}?{query}: {result.error[:200]}")
            per_page.setdefault(page or "(home)", []).append(result.latency)
            opened += 1
            if opened % 25 == 0:
                _log(f"{opened} of {len(todo)} views open after {time.monotonic() - t0:.0f} s "
                     f"({waited:.0f} s of lane time waiting for real sessions)")

    await asyncio.gather(*(lane() for _ in range(n_lanes)))
    pages_line = ", ".join(f"/{p} {len(ts)} in {sum(ts):.0f} s (max {max(ts):.1f})"
                           for p, ts in per_page.items())
    _log(f"done, {len(todo)} views in {time.monotonic() - t0:.0f} s ({waited:.0f} s of lane "
         f"time waiting for real sessions), {errors} error(s); {pages_line}")
