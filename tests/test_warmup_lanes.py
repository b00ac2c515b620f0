"""The warm-up opens its views in lanes (one per worker process): each view exactly once,
never more than that many at a time, the likeliest started first, and waiting for quiet
before each one."""

from __future__ import annotations

import asyncio

from deploy import st_protocol as sp
from ui import warmup


class _FakeSession:
    """A websocket session that records which view it opened and how many were open at once."""

    opened: list[tuple[str, str]] = []
    in_flight = 0
    most_in_flight = 0

    def __init__(self, port, cookies=None) -> None:
        assert cookies == {warmup.COOKIE: warmup._TOKEN}  # marked as the warm-up's own runs

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc) -> None:
        return None

    async def run(self, *, page_name, page_script_hash, query_string):
        cls = type(self)
        cls.in_flight += 1
        cls.most_in_flight = max(cls.most_in_flight, cls.in_flight)
        cls.opened.append((page_name, query_string))
        await asyncio.sleep(0.001 * (len(query_string) % 5))  # views take different times
        cls.in_flight -= 1
        return sp.RunResult(latency=0.01, ok=True)


def _warm(monkeypatch, n_lanes: int, todo: list[tuple[str, str]]) -> list[str]:
    _FakeSession.opened, _FakeSession.in_flight, _FakeSession.most_in_flight = [], 0, 0
    quiet_checks: list[int] = []

    async def pages(port, cookies=None):
        return [sp.AppPage(f"hash-{p}", p, p, p == "") for p in {p for p, _ in todo}]

    async def quiet():
        quiet_checks.append(1)
        return 0.0

    logged: list[str] = []
    monkeypatch.setattr(sp, "Session", _FakeSession)
    monkeypatch.setattr(sp, "discover_pages", pages)
    monkeypatch.setattr(warmup, "START_DELAY_S", 0.0)
    monkeypatch.setattr(warmup, "_wait_quiet", quiet)
    monkeypatch.setattr(warmup, "lanes", lambda: n_lanes)
    monkeypatch.setattr(warmup, "_log", logged.append)
    asyncio.run(warmup._warm_all(0, todo))
    assert len(quiet_checks) == len(todo)  # every view waits for quiet first
    return logged


def test_every_view_is_opened_once_by_at_most_lanes_at_a_time(monkeypatch) -> None:
    todo = warmup.views()
    for n_lanes in (1, 2):
        logged = _warm(monkeypatch, n_lanes, todo)
        assert _FakeSession.opened == todo  # each once, started likeliest first
        assert _FakeSession.most_in_flight == n_lanes
        assert f"{len(todo)} views to open, most likely first, {n_lanes} at a time" in logged
        assert any(line.startswith(f"done, {len(todo)} views") and "0 error(s)" in line
                   for line in logged)


def test_lanes_follow_the_worker_processes(monkeypatch) -> None:
    monkeypatch.setenv("REGVIZ_WORKERS", "0")
    assert warmup.lanes() == 1
    monkeypatch.setenv("REGVIZ_WORKERS", "2")
    assert warmup.lanes() == 2
    monkeypatch.setenv("REGVIZ_WORKERS", "6")
    assert warmup.lanes() == warmup.MAX_LANES
