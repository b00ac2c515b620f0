"""The long lane's order: the waiting job expected to take least goes next.

A cold class's p95 is set by the order jobs are served in, not only by their total:
on an ideal two-core server the same work meets 1 s only when short views go before
long ones (``benchmarks/cold_floor.py``: arrival order 0.94-2.39 s, least remaining work
first 0.32-0.79 s).  The long lane holds jobs of very different sizes: a house page's
samples or one diagnosis cohort (a fraction of a second) behind a sparsity experiment
(1-2.6 s) made those pages' first views wait 5-8 s.  Each kind of job's duration is
learnt as it runs (a moving average per function), and a free slot goes to the waiting
job whose kind has been quickest; a kind not seen yet counts as quick.

Pure threading, no Streamlit (``ui.offload`` uses it).
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import threading
from collections.abc import Hashable, Iterator


class Durations:
    """Seconds a kind of job takes: an exponential moving average per kind."""

    def __init__(self, weight: float = 0.3) -> None:
        self.weight = weight  # of the newest run
        self.lock = threading.Lock()
        self.seconds: dict[Hashable, float] = {}

    def expected(self, kind: Hashable) -> float:
        """The average so far; 0 for a kind not seen (it goes first, and is then known)."""
        with self.lock:
            return self.seconds.get(kind, 0.0)

    def add(self, kind: Hashable, seconds: float) -> None:
        with self.lock:
            old = self.seconds.get(kind)
            self.seconds[kind] = seconds if old is None else (
                self.weight * seconds + (1.0 - self.weight) * old)


class ShortestFirst:
    """``slots`` jobs at once; a freed slot goes to the waiting job with the lowest
    expected duration, ties in arrival order."""

    def __init__(self, slots: int) -> None:
        self.lock = threading.Lock()
        self.free = slots
        self.waiting: list[tuple[float, int, threading.Event]] = []
        self.order = itertools.count()

    @contextlib.contextmanager
    def slot(self, expected: float) -> Iterator[None]:
        """Hold a slot for the ``with`` block, after the quicker jobs waiting."""
        turn = None
        with self.lock:
            if self.free > 0 and not self.waiting:
                self.free -= 1
            else:
                turn = threading.Event()
                heapq.heappush(self.waiting, (expected, next(self.order), turn))
        if turn is not None:
            turn.wait()  # ``_release`` hands this job the slot it frees
        try:
            yield
        finally:
            self._release()

    def _release(self) -> None:
        with self.lock:
            if self.waiting:
                heapq.heappop(self.waiting)[2].set()
            else:
                self.free += 1
