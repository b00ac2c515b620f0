"""A shared per-item memo for results that many different cache keys have in common.

``st.cache_data`` caches whole calls: the house page's "20 more samples"
for seed 0 (seeds 0..19) and for seed 1 (seeds 1..20) share 19 samples,
but as two calls they were fitted twice.  Here each item is kept once, for
every session, and a call computes only the items it lacks, in one batch
(one trip to a worker process).  Only for results of built-in settings,
never for anything derived from a user's upload: the store is shared.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

import streamlit as st

T = TypeVar("T")
_LOCK = threading.Lock()


@st.cache_resource(show_spinner=False)
def _store(name: str) -> OrderedDict:
    return OrderedDict()


def batch(name: str, keys: Sequence[Hashable],
          compute_missing: Callable[[list[Hashable]], Sequence[T]], *,
          max_entries: int = 2048) -> list[T]:
    """The values for ``keys``; ``compute_missing(missing)`` returns values in its order.

    Two sessions missing the same item at once may both compute it (the result is
    the same); the lock only guards the store, never a computation.
    """
    store = _store(name)
    with _LOCK:
        missing = list(dict.fromkeys(k for k in keys if k not in store))
    if missing:
        values = list(compute_missing(missing))
        if len(values) != len(missing):
            raise ValueError(f"{name}: {len(missing)} items asked, {len(values)} computed")
        with _LOCK:
            store.update(zip(missing, values, strict=True))
            while len(store) > max_entries:
                store.popitem(last=False)
    with _LOCK:
        found = {k: store[k] for k in keys if k in store}
        for k in found:
            store.move_to_end(k)
    if len(found) < len(set(keys)):  # evicted meanwhile by a flood of other keys: recompute
        extra = [k for k in dict.fromkeys(keys) if k not in found]
        found.update(zip(extra, compute_missing(extra), strict=True))
    return [found[k] for k in keys]
