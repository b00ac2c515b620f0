"""Run heavy, user-independent computations in a worker process.

Every session's script runs in the one Streamlit process, under one GIL.  A
cold simulation (1 to 2 s of Python) then takes its turn with every other
session's rerun and stretches to tens of seconds under a class's load, and
stalls those reruns too.  In a worker process it runs at full speed on
another core while the server keeps answering.  Only built-in simulations
go there (their inputs are settings, not anyone's data).

A user's upload is computed by ``private``: a child process of its own, started for
that one computation and ended with it (nothing outlives the call, nothing is
written anywhere), so a long fit on a wide upload neither holds the server's GIL
nor can run forever.  The session shows what it is doing and for how long, the
next interaction stops it (the child is killed), and a stated time limit ends it
with a message.

``REGVIZ_WORKERS`` sets the number of workers (default 2 on a machine with at
least 2 cores, else 0); 0 computes everything in the app process, which is
right when several app processes already share the cores (deploy/serve.sh).
Why 2 and not 1: with one worker a 2 s experiment queues every other cold view
behind it.  Measured on 2 cores, 30 sessions asking for any view: p95 5.96 s and
max 12.6 s with one worker, 3.79 s and 7.75 s with two (RSS 640 -> 774 MB).
Jobs of a second or more go to one more worker of their own, at a lower priority
(``run_long``): the quick views get the cores first (RSS about 90 MB more).
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing
import os
import sys
import threading
import time
import types
from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from ui import queueing

T = TypeVar("T")


def workers() -> int:
    """Worker processes to use: REGVIZ_WORKERS, else 2 when there is a spare core."""
    text = os.environ.get("REGVIZ_WORKERS", "")
    if text.strip().isdigit():
        return int(text)
    return 2 if (os.cpu_count() or 1) >= 2 else 0


@st.cache_resource(show_spinner=False)
def _pool() -> cf.ProcessPoolExecutor:
    return cf.ProcessPoolExecutor(max_workers=workers(), mp_context=_context())


# What the forkserver imports once, so that a worker or an upload's child starts with it loaded
# (a child that imported them itself would spend about a second before its first step).
# The figure modules too: the workers build the shared figures (ui.figure_cache.built).
_PRELOAD = ["regviz.experiments", "regviz.paths", "regviz.paths_logistic",
            "regviz.geometry", "regviz.house", "regviz.optimizers", "ui.upload_work",
            "regviz.figures.spec", "regviz.figures.paths", "regviz.figures.geometry",
            "regviz.figures.experiments", "regviz.figures.house", "regviz.figures.diagnosis",
            "regviz.figures.optimizers"]


def _context():
    """The forkserver context, with the preload set before its server first starts."""
    # Workers solve many small problems, where a second BLAS thread only fights the server for
    # the cores (measured: support_recovery 0.3 s steady with one thread, 0.3-3.7 s with two
    # on a busy 2-core machine).  The variable must be set before the children import numpy.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    # forkserver: children start from a clean process, not a fork of the threaded server.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    return context


def here(fn: Callable[..., T], *args, **kwargs) -> T:
    """``fn(*args, **kwargs)`` in this process: for anything computed from a user's data."""
    return fn(*args, **kwargs)


_REPORT = "report progress"  # pass progress=offload.REPORT: fn gets a callback to the page
REPORT = _REPORT
_NO_RESULT = ("The computation on your table ended without a result (out of memory?). "
              "Try fewer feature columns or rows.")
PRIVATE_LIMIT_S = 90.0  # a computation on a user's table is stopped, and said so, past this
PRIVATE_MEMO = "_private_memo"  # pages/your-data.py drops it with the upload
_PRIVATE_ENTRIES = 8  # an upload's results on every lesson page, a few settings each


@contextlib.contextmanager
def _no_main_import():
    """Start processes without re-running the served script in them.

    forkserver children import the parent's ``__main__`` from its file; under Streamlit
    that is app.py, a script with side effects (and a second copy of the app).  Our
    functions all live in importable modules, so the children need no ``__main__``.
    """
    saved = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if saved is not None:
            sys.modules["__main__"] = saved


class _PipeProgress:
    """A ``progress(step, fraction)`` callback that reports to the parent over the pipe."""

    def __init__(self, conn) -> None:
        self.conn = conn

    def __call__(self, step: str, fraction: float) -> None:
        self.conn.send(("progress", (str(step), float(fraction))))


def _child(conn, fn, args, kwargs) -> None:
    if kwargs.pop("progress", None) is _REPORT:
        kwargs["progress"] = _PipeProgress(conn)
    try:
        conn.send(("ok", fn(*args, **kwargs)))
    except BaseException as err:  # noqa: BLE001 - the parent re-raises it
        conn.send(("error", err))
    finally:
        conn.close()


def private(key, label: str, fn: Callable[..., T], *args, limit_s: float = PRIVATE_LIMIT_S,
            **kwargs) -> T:
    """``fn(*args, **kwargs)`` on a user's data, memoized in this session under ``key``.

    Computed in a child process while a status line counts the seconds; the page's next
    rerun (the student's next interaction) raises inside the wait, and ``finally`` kills
    the child.  Past ``limit_s`` the child is killed and a ``DataError`` says so.
    With ``REGVIZ_WORKERS=0`` it computes in this process (tests, one-core hosts).
    Call it outside ``st.cache_data``: its status line must not be cached.
    """
    memo = st.session_state.setdefault(PRIVATE_MEMO, {})
    if key in memo:
        memo[key] = memo.pop(key)  # most recently used last: evicted last
        return memo[key]
    if workers() == 0:
        kwargs = {k: v for k, v in kwargs.items() if v is not _REPORT}
        result = fn(*args, **kwargs)
    else:
        result = _in_child(label, limit_s, fn, args, kwargs)
    memo[key] = result
    while len(memo) > _PRIVATE_ENTRIES:
        memo.pop(next(iter(memo)))
    return result


def running_label(label: str, step: str, elapsed: float, limit_s: float) -> str:
    """The status line while a child computes: what, which step, how long, and the limit."""
    return f"{label}{step}: {elapsed:.0f} s (stopped at {limit_s:.0f} s; any change stops it)"


def _in_child(label: str, limit_s: float, fn, args, kwargs):
    from regviz.errors import DataError

    context = _context()
    parent, child = context.Pipe(duplex=False)
    proc = context.Process(target=_child, args=(child, fn, args, kwargs), daemon=True)
    start = time.monotonic()
    status = st.status(running_label(label, "", 0.0, limit_s), expanded=False)
    try:
        with _no_main_import():
            proc.start()
        child.close()
        step = ""
        while True:
            if parent.poll(0.25):
                try:
                    kind, value = parent.recv()
                except EOFError:
                    raise DataError(_NO_RESULT) from None
                if kind != "progress":
                    break
                step = f": {value[0]} ({value[1]:.0%})"
            elapsed = time.monotonic() - start
            if elapsed > limit_s:
                status.update(label=f"{label} stopped after {limit_s:.0f} s", state="error")
                raise DataError(
                    f"This computation on your table was stopped after {limit_s:.0f} s. "
                    "Fewer feature columns or fewer rows (Your data page) make it faster.")
            status.update(label=running_label(label, step, elapsed, limit_s))
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(timeout=5)
        parent.close()
    status.update(label=f"{label}: done in {time.monotonic() - start:.1f} s", state="complete")
    if kind == "error":
        raise value
    return value


class _InFlight:
    """Jobs submitted to the pool and not finished, across this process's sessions."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.count = 0

    def add(self, n: int) -> None:
        with self.lock:
            self.count += n


_IN_FLIGHT = _InFlight()


def has_idle_worker() -> bool:
    """Whether a job sent to the pool now would start at once (fewer jobs than workers)."""
    return workers() > 0 and _IN_FLIGHT.count < workers()


def _in_pool(pool, fn: Callable[..., T], args, kwargs) -> T:
    """``fn`` in ``pool()`` (a cached pool); in this process if the pool is broken."""
    try:
        with _no_main_import():  # the pool starts its workers on the first submissions
            future = pool().submit(fn, *args, **kwargs)
    except (cf.process.BrokenProcessPool, RuntimeError, OSError):
        pool.clear()
        return fn(*args, **kwargs)
    try:
        return future.result()
    except cf.process.BrokenProcessPool:
        pool.clear()
        return fn(*args, **kwargs)


def run(fn: Callable[..., T], *args, **kwargs) -> T:
    """``fn(*args, **kwargs)`` in the worker pool; in this process if there is none."""
    if workers() == 0:
        return fn(*args, **kwargs)
    _IN_FLIGHT.add(1)
    try:
        return _in_pool(_pool, fn, args, kwargs)
    finally:
        _IN_FLIGHT.add(-1)


# The long lane's worker runs at this much lower priority (os.nice): it gets the cores when the
# quick views leave them.
LONG_NICE = 10


@st.cache_resource(show_spinner=False)
def _long_pool() -> cf.ProcessPoolExecutor:
    return cf.ProcessPoolExecutor(max_workers=1, mp_context=_context(), initializer=os.nice,
                                  initargs=(LONG_NICE,))


@st.cache_resource(show_spinner=False)
def _long_lane() -> queueing.ShortestFirst:
    return queueing.ShortestFirst(1)


_LONG_DURATIONS = queueing.Durations()


def _kind(fn: Callable) -> str:
    """A long job's kind, for its expected duration: the function's qualified name."""
    return f"{getattr(fn, '__module__', '')}.{getattr(fn, '__qualname__', repr(fn))}"


def run_long(fn: Callable[..., T], *args, **kwargs) -> T:
    """:func:`run` for a job of a second or more (the diagnosis study, 20 house samples, the
    sparsity lab's recovery and contest): one at a time, in a worker of its own that runs
    at a lower priority (``LONG_NICE``), never in the quick views' pool.

    A class's p95 needs the least work first: on an ideal two-core server, a cold class's
    work meets 1 s only when short views go before long ones (``benchmarks/cold_floor.py``).
    So long jobs wait for each other, the quickest kind first (``ui.queueing``: a house
    page's samples or a diagnosis cohort pass a sparsity experiment), and the cores go to
    the quick views (a geometry or paths view takes under a second) before them.  Under a
    cold class, two diagnosis studies of 6-15 s each had queued a geometry view past 30 s.
    With recovery and the contest among the quick views the class's p95 was 1.6-3.3 s; in
    a lane of the same pool, 1.3-1.8 s; in this niced worker, 0.99-1.19 s
    (``benchmarks/load.py``, seeds 1-4, interleaved).
    """
    kind = _kind(fn)
    with _long_lane().slot(_LONG_DURATIONS.expected(kind)):
        start = time.monotonic()
        try:
            if workers() == 0:
                return fn(*args, **kwargs)
            return _in_pool(_long_pool, fn, args, kwargs)
        finally:
            _LONG_DURATIONS.add(kind, time.monotonic() - start)
