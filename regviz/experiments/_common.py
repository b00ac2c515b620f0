"""What several experiments share: seeded simulated designs and the three penalties."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

import numpy as np

from regviz.errors import DataError

PENALTIES = ("l1", "l2", "elasticnet")


def equicorrelated(rng: np.random.Generator, n: int, p: int, rho: float) -> np.ndarray:
    """n x p standard-normal features, every pair correlated at ``rho`` (one shared factor)."""
    if not 0.0 <= rho < 1.0:
        raise DataError(f"The correlation must be in [0, 1), got {rho!r}.")
    shared = rng.standard_normal((n, 1))
    return np.sqrt(1.0 - rho) * rng.standard_normal((n, p)) + np.sqrt(rho) * shared


def check_count(value, name: str, low: int, high: int) -> int:
    """An integer setting within [low, high], or a DataError that names it."""
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        raise DataError(f"{name} must be a whole number, got {value!r}.") from None
    if number != value or not low <= number <= high:
        raise DataError(f"{name} must be a whole number from {low} to {high}, got {value!r}.")
    return number


def check_fraction(value, name: str, *, low_open: bool = True, high: float = 1.0) -> float:
    """A number in (0, high] (or [0, high] when not ``low_open``), or a DataError naming it."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise DataError(f"{name} must be a number, got {value!r}.") from None
    low_ok = number > 0 if low_open else number >= 0
    if not (low_ok and number <= high):
        bound = "above 0" if low_open else "at least 0"
        raise DataError(f"{name} must be {bound} and at most {high:g}, got {value!r}.")
    return number


def check_positive(value, name: str) -> float:
    """A finite positive number, or a DataError that names it."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise DataError(f"{name} must be a number, got {value!r}.") from None
    if not np.isfinite(number) or number <= 0:
        raise DataError(f"{name} must be a finite number > 0, got {value!r}.")
    return number


def penalty_key(name: str, l1_ratio: float) -> tuple[str, float | None]:
    """A penalty as a memo key: the mixing a matters only to elastic net."""
    return name, (float(l1_ratio) if name == "elasticnet" else None)


_ALL_PARTS: list[PenaltyParts] = []  # every experiment's memo, for ``forget_parts``


def forget_parts() -> None:
    """Empty every experiment's kept parts: the next call computes from scratch (a
    benchmark's cold run, a test that counts fits)."""
    for parts in _ALL_PARTS:
        parts.clear()


class PenaltyParts:
    """Each penalty's share of an experiment, kept for the next call with another a.

    The experiments draw their data from the seed alone and fit every penalty on the same
    draws, so L1's and L2's results do not depend on elastic net's a.  A student moving a
    recomputes only elastic net: the sparsity lab's recovery and contest were the costliest
    cold views (1-2.6 s), and most of that is the penalties that a leaves alone.  Results
    are exact (the same draws, the same fits), kept read-only, a bounded number per process.
    """

    def __init__(self, entries: int = 96) -> None:
        self.entries = entries
        self.lock = threading.Lock()
        self.parts: OrderedDict[Hashable, object] = OrderedDict()
        _ALL_PARTS.append(self)

    def get(self, key: Hashable):
        with self.lock:
            if key in self.parts:
                self.parts.move_to_end(key)
            return self.parts.get(key)

    def put(self, key: Hashable, value) -> None:
        with self.lock:
            self.parts[key] = value
            self.parts.move_to_end(key)
            while len(self.parts) > self.entries:
                self.parts.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.parts.clear()

    def each(self, names, l1_ratio: float, setting: tuple,
             compute: Callable[[list[str]], dict]) -> dict:
        """``{name: part}`` for the penalties ``names`` at ``setting``: the kept parts as
        they are, the others from one ``compute(missing names)`` call, then kept."""
        keys = {name: (penalty_key(name, l1_ratio), setting) for name in names}
        found = {name: self.get(keys[name]) for name in names}
        missing = [name for name in names if found[name] is None]
        if missing:
            computed = compute(missing)
            for name in missing:
                found[name] = computed[name]
                self.put(keys[name], computed[name])
        return found


def read_only(array: np.ndarray) -> np.ndarray:
    """``array``, no longer writable: a memoized part is shared by every later result."""
    array.setflags(write=False)
    return array
