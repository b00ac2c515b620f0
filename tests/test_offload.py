"""The worker pool returns what the function returns, raises what it raises, and falls back."""

from __future__ import annotations

import concurrent.futures as cf
import os

import pytest

from regviz import DataError
from regviz.experiments import corner_monte_carlo
from ui import offload


def test_worker_result_equals_the_direct_result():
    direct = corner_monte_carlo(500, seed=4)
    pooled = offload.run(corner_monte_carlo, 500, seed=4)
    assert (pooled.l1 == direct.l1).all() and (pooled.l2 == direct.l2).all()


def test_a_data_error_in_the_worker_reaches_the_caller():
    with pytest.raises(DataError, match="draws"):
        offload.run(corner_monte_carlo, 0)


def test_work_really_runs_in_another_process():
    assert offload.run(os.getpid) != os.getpid()
    assert offload.here(os.getpid) == os.getpid()


def test_a_broken_pool_falls_back_to_this_process(monkeypatch):
    class Broken:
        def submit(self, *args, **kwargs):
            raise cf.process.BrokenProcessPool("gone")

    monkeypatch.setattr(offload, "_pool", type("P", (), {"__call__": lambda self: Broken(),
                                                           "clear": lambda self: None})())
    assert offload.run(os.getpid) == os.getpid()


def test_zero_workers_computes_in_this_process(monkeypatch):
    monkeypatch.setenv("REGVIZ_WORKERS", "0")
    assert offload.workers() == 0
    assert offload.run(os.getpid) == os.getpid()
    monkeypatch.setenv("REGVIZ_WORKERS", "3")
    assert offload.workers() == 3


def _private_script():
    import os
    import time

    import streamlit as st

    from regviz import DataError
    from ui import offload

    os.environ["REGVIZ_WORKERS"] = "2"
    mode = st.session_state.get("mode", "pid")
    try:
        if mode == "pid":
            st.write(f"pid {offload.private(('pid',), 'Working', os.getpid)} {os.getpid()}")
        elif mode == "slow":
            offload.private(("slow",), "Working", time.sleep, 30, limit_s=1.0)
        else:
            offload.private(("bad",), "Working", int, "not a number")
    except DataError as err:
        st.error(str(err))
    except ValueError as err:
        st.warning(f"ValueError: {err}")


def _run_private(mode: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_private_script, default_timeout=60)
    at.session_state["mode"] = mode
    return at.run()


def test_an_upload_computation_runs_in_a_child_process_and_is_kept_in_the_session():
    at = _run_private("pid")
    child, here = (int(v) for v in at.markdown[0].value.split()[1:])
    assert child != here
    assert ("pid",) in at.session_state["_private_memo"]


def test_an_upload_computation_past_its_time_limit_is_stopped_with_a_message():
    at = _run_private("slow")
    assert "stopped after 1 s" in at.error[0].value


def test_an_error_in_the_child_reaches_the_page():
    at = _run_private("bad")
    assert "not a number" in at.warning[0].value


def _progress_script():
    import os

    import streamlit as st

    from regviz.paths import explore
    from ui import offload

    os.environ["REGVIZ_WORKERS"] = "2"
    rng = __import__("numpy").random.default_rng(0)
    X = rng.standard_normal((200, 8))
    y = X[:, 0] + rng.standard_normal(200)
    ex = offload.private(("ex",), "Fitting", explore, X, y, [f"x{j}" for j in range(8)],
                         penalty="l1", progress=offload.REPORT)
    st.write(f"lams {len(ex.path.lams)}")


def test_explore_reports_its_steps_from_the_child_and_returns_the_same_fit():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_progress_script, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.markdown[0].value.startswith("lams ")
    assert "done in" in at.status[0].label


def test_long_jobs_leave_a_lane_for_quick_views(monkeypatch):
    """A second long job waits for the first; a quick view does not wait for either."""
    import threading

    monkeypatch.setenv("REGVIZ_WORKERS", "0")  # in this process, so an Event can hold a job
    release, started, done = threading.Event(), threading.Event(), []

    def hold():
        started.set()
        release.wait(10)
        done.append("first")

    first = threading.Thread(target=offload.run_long, args=(hold,))
    second = threading.Thread(target=offload.run_long, args=(lambda: done.append("second"),))
    first.start()
    assert started.wait(10)
    second.start()
    second.join(0.3)
    assert second.is_alive() and done == [], "the second long job ran beside the first"
    assert offload.run(lambda: "quick") == "quick"  # a quick view is not held back
    release.set()
    first.join(10)
    second.join(10)
    assert done == ["first", "second"]


def test_jobs_in_flight_are_counted_while_they_run_and_released_after(monkeypatch):
    import threading

    from ui import offload

    monkeypatch.setattr(offload, "workers", lambda: 1)
    monkeypatch.setattr(offload, "_pool", _InlinePool)  # jobs run in the caller's thread
    started, release = threading.Event(), threading.Event()

    def job():
        started.set()
        release.wait(5)
        return 7

    assert offload.has_idle_worker()
    box = []
    worker = threading.Thread(target=lambda: box.append(offload.run(job)))
    worker.start()
    assert started.wait(5)
    assert not offload.has_idle_worker()  # the one worker is taken
    release.set()
    worker.join(5)
    assert box == [7] and offload.has_idle_worker()
    with pytest.raises(ZeroDivisionError):  # a failing job releases its slot too
        offload.run(lambda: 1 / 0)
    assert offload._IN_FLIGHT.count == 0


class _InlinePool:
    """Stands in for the process pool: runs a job in the calling thread."""

    @staticmethod
    def clear() -> None:
        return None

    def __new__(cls):
        return cls

    @staticmethod
    def submit(fn, *args, **kwargs):
        future = cf.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as err:  # noqa: BLE001 - handed to the caller as the pool would
            future.set_exception(err)
        return future


def test_long_jobs_run_in_a_worker_of_their_own_at_a_lower_priority():
    """The cores go to quick views first: the long lane's worker is niced, the pool's not."""
    ours = os.nice(0)
    assert offload.run_long(os.nice, 0) == min(19, ours + offload.LONG_NICE)
    assert offload.run(os.nice, 0) == ours
    assert offload.run_long(os.getpid) not in (os.getpid(), offload.run(os.getpid))
    with pytest.raises(DataError, match="draws"):  # its errors reach the caller too
        offload.run_long(corner_monte_carlo, 0)
