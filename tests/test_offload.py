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
