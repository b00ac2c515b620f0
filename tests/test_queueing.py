"""The long lane serves the quickest kind of job first, learns durations, loses no job."""

from __future__ import annotations

import threading
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

from ui import offload, queueing


def test_durations_are_a_moving_average_per_kind_and_unknown_kinds_count_as_quick():
    durations = queueing.Durations(weight=0.5)
    assert durations.expected("recovery") == 0.0
    durations.add("recovery", 2.0)
    assert durations.expected("recovery") == 2.0
    durations.add("recovery", 1.0)
    assert durations.expected("recovery") == pytest.approx(1.5)
    assert durations.expected("cohort") == 0.0


def _wait_until(condition, timeout: float = 5.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.002)


def test_a_freed_slot_goes_to_the_quickest_waiting_job_then_the_earliest():
    queue = queueing.ShortestFirst(1)
    started: list[str] = []
    lock = threading.Lock()

    def job(name: str, expected: float) -> None:
        with queue.slot(expected), lock:
            started.append(name)

    holder = queue.slot(0.0)
    holder.__enter__()
    threads = []
    for name, expected in [("recovery", 2.0), ("cohort", 0.3), ("contest", 1.0), ("cohort2", 0.3)]:
        thread = threading.Thread(target=job, args=(name, expected))
        thread.start()
        threads.append(thread)
        waiting = len(threads)
        _wait_until(lambda: len(queue.waiting) == waiting)  # noqa: B023 - called at once
    holder.__exit__(None, None, None)
    for thread in threads:
        thread.join(5)
    assert started == ["cohort", "cohort2", "contest", "recovery"]
    assert queue.free == 1 and not queue.waiting


def test_a_job_that_raises_gives_its_slot_back():
    queue = queueing.ShortestFirst(1)
    with pytest.raises(ZeroDivisionError), queue.slot(0.0):
        raise ZeroDivisionError
    assert queue.free == 1


@settings(max_examples=25, deadline=None)
@given(slots=hs.integers(1, 3), costs=hs.lists(hs.floats(0, 10), min_size=1, max_size=12))
def test_every_job_runs_and_never_more_at_once_than_slots(slots, costs):
    queue = queueing.ShortestFirst(slots)
    lock = threading.Lock()
    running = [0, 0]  # now, most at once
    done = []

    def job(i: int, expected: float) -> None:
        with queue.slot(expected):
            with lock:
                running[0] += 1
                running[1] = max(running[1], running[0])
            time.sleep(0.001)
            with lock:
                running[0] -= 1
                done.append(i)

    threads = [threading.Thread(target=job, args=(i, c)) for i, c in enumerate(costs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(done) == list(range(len(costs)))
    assert running[1] <= slots
    assert queue.free == slots and not queue.waiting


def _slow_experiment(log: list) -> None:
    log.append("slow")


def _house_samples(log: list) -> None:
    log.append("quick")


def test_the_long_lane_serves_a_known_quick_kind_before_a_known_slow_one(monkeypatch):
    monkeypatch.setenv("REGVIZ_WORKERS", "0")  # in this process, so an Event can hold the lane
    durations = queueing.Durations()
    monkeypatch.setattr(offload, "_LONG_DURATIONS", durations)
    durations.add(offload._kind(_slow_experiment), 2.0)
    durations.add(offload._kind(_house_samples), 0.2)
    release, started, log = threading.Event(), threading.Event(), []

    def hold() -> None:
        started.set()
        release.wait(10)

    lane = offload._long_lane()
    first = threading.Thread(target=offload.run_long, args=(hold,))
    first.start()
    assert started.wait(10)
    slow = threading.Thread(target=offload.run_long, args=(_slow_experiment, log))
    slow.start()
    _wait_until(lambda: len(lane.waiting) == 1)
    quick = threading.Thread(target=offload.run_long, args=(_house_samples, log))
    quick.start()
    _wait_until(lambda: len(lane.waiting) == 2)
    release.set()
    for thread in (first, slow, quick):
        thread.join(10)
    assert log == ["quick", "slow"]  # asked second, served first
    assert durations.expected(offload._kind(hold)) > 0  # learnt from its run
