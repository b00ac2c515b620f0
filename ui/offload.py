"""Run heavy, user-independent computations in a worker process.

Every session's script runs in the one Streamlit process, under one GIL.  A
cold simulation (1 to 2 s of Python) then takes its turn with every other
session's rerun and stretches to tens of seconds under a class's load, and
stalls those reruns too.  In a worker process it runs at full speed on
another core while the server keeps answering.  Only built-in simulations
go there (their inputs are settings, not anyone's data); a user's upload is
always computed in the session's own process.

``REGVIZ_WORKERS`` sets the number of workers (default 2 on a machine with at
least 2 cores, else 0); 0 computes everything in the app process, which is
right when several app processes already share the cores (deploy/serve.sh).
Why 2 and not 1: with one worker a 2 s experiment queues every other cold view
behind it.  Measured on 2 cores, 30 sessions asking for any view: p95 5.96 s and
max 12.6 s with one worker, 3.79 s and 7.75 s with two (RSS 640 -> 774 MB).
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
from collections.abc import Callable
from typing import TypeVar

import streamlit as st

T = TypeVar("T")


def workers() -> int:
    """Worker processes to use: REGVIZ_WORKERS, else 2 when there is a spare core."""
    text = os.environ.get("REGVIZ_WORKERS", "")
    if text.strip().isdigit():
        return int(text)
    return 2 if (os.cpu_count() or 1) >= 2 else 0


@st.cache_resource(show_spinner=False)
def _pool() -> cf.ProcessPoolExecutor:
    # Workers solve many small problems, where a second BLAS thread only fights the server for
    # the cores (measured: support_recovery 0.3 s steady with one thread, 0.3-3.7 s with two
    # on a busy 2-core machine).  The variable must be set before the worker imports numpy.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    # forkserver: workers start from a clean process, not a fork of the threaded server.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["regviz.experiments", "regviz.explorer", "regviz.geometry",
                                    "regviz.house"])
    return cf.ProcessPoolExecutor(max_workers=workers(), mp_context=context)


def here(fn: Callable[..., T], *args, **kwargs) -> T:
    """``fn(*args, **kwargs)`` in this process: for anything computed from a user's data."""
    return fn(*args, **kwargs)


def run(fn: Callable[..., T], *args, **kwargs) -> T:
    """``fn(*args, **kwargs)`` in the worker pool; in this process if there is none."""
    if workers() == 0:
        return fn(*args, **kwargs)
    try:
        future = _pool().submit(fn, *args, **kwargs)
    except (cf.process.BrokenProcessPool, RuntimeError, OSError):
        _pool.clear()
        return fn(*args, **kwargs)
    try:
        return future.result()
    except cf.process.BrokenProcessPool:
        _pool.clear()
        return fn(*args, **kwargs)
