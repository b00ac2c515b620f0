"""ui/warmup.py: which views a server warms, that it stays out of tests, and that it works.

The view list is checked as a set of facts (every view the load test can ask
for is in it, each cache key once, defaults first); the switch is checked under
AppTest; one module-scoped server with a short warm-up checks that a warmed view
is a cache hit for the next student and that the warm-up waits for real runs.
"""

from __future__ import annotations

import asyncio
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from benchmarks import load_views
from deploy import st_protocol as sp
from ui import warmup

ROOT = Path(__file__).resolve().parents[1]
LESSON_PAGES = ["paths", "geometry", "house-prices", "sparsity", "zeros-made", "diagnosis"]


def test_every_view_the_load_test_asks_for_is_warmed() -> None:
    warmed = set(warmup.views())
    rng = random.Random(3)
    for _ in range(400):
        view = load_views.random_view(rng, n_seeds=len(warmup.SEEDS), previous=None)
        for page in LESSON_PAGES:
            assert (page, warmup.canonical(page, view)) in warmed, (page, view)


def test_each_cache_key_is_opened_once_and_spelled_canonically() -> None:
    views = warmup.views()
    assert len(views) == len(set(views))
    assert all(warmup.canonical(page, query) == query for page, query in views)


def _distance_from_defaults(page: str, query: str) -> int:
    """How many steps down each axis's list a view is (elastic net: the third penalty)."""
    params = dict(part.split("=") for part in query.split("&") if part)
    steps = sum(warmup.axis(page, k).index(v) for k, v in params.items()
                if k in ("dataset", "std", "seed", "a"))
    if "penalty" in params:
        steps += warmup.PENALTIES.index(params["penalty"])
    return steps


def test_views_go_from_the_defaults_outwards_and_every_page_starts_at_its_default() -> None:
    distances = [_distance_from_defaults(page, query) for page, query in warmup.views()]
    assert distances == sorted(distances)
    first = {}
    for (page, query), d in zip(warmup.views(), distances, strict=True):
        first.setdefault((page, query.split("&")[0] if page == "sparsity" else ""), d)
    assert set(first.values()) == {0}
    assert {page for page, _ in first} == {"", *LESSON_PAGES}
    # A page's default dataset is its own: the house lesson opens on house prices.
    assert ("house-prices", "dataset=house_prices&seed=0") in warmup.views()[:len(first)]


def test_a_link_differing_only_in_what_a_page_ignores_maps_to_the_same_view() -> None:
    base = "dataset=twins&penalty=l1&a=0.8&lam=10&std=0&seed=2&lab=corners"
    other = "dataset=twins&penalty=l1&a=0.2&lam=25&std=0&seed=2&lab=recovery"
    assert warmup.canonical("paths", base) == warmup.canonical("paths", other)
    assert warmup.canonical("sparsity", base) != warmup.canonical("sparsity", other)
    enet = base.replace("penalty=l1", "penalty=elasticnet")
    assert warmup.canonical("paths", enet) != warmup.canonical("paths",
                                                               enet.replace("a=0.8", "a=0.2"))


def test_a_real_run_in_progress_holds_the_warm_up() -> None:
    entered, leave = threading.Event(), threading.Event()

    def run() -> None:
        with warmup.real_run():
            entered.set()
            leave.wait(5)

    worker = threading.Thread(target=run)
    worker.start()
    entered.wait(5)
    assert warmup._ACTIVITY.quiet_for() == 0.0
    leave.set()
    worker.join(5)
    time.sleep(0.05)
    assert warmup._ACTIVITY.quiet_for() > 0.0


def test_apptest_runs_never_start_a_warm_up() -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert not any(t.name == "regviz-warmup" for t in threading.enumerate())
    assert not warmup.enabled()


def test_off_switch_is_read_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv(warmup.ENV, "0")
    assert not warmup.enabled()


def test_the_load_benchmark_runs_as_a_module_without_touching_sys_path() -> None:
    check = ("import sys; before = list(sys.path); import benchmarks.load as b; "
             "assert sys.path == before, 'sys.path changed'")
    imported = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True,
                              timeout=60, cwd=ROOT)
    assert imported.returncode == 0, imported.stderr
    helped = subprocess.run([sys.executable, "-m", "benchmarks.load", "--help"],
                            capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert helped.returncode == 0 and "--server-warmup" in helped.stdout, helped.stderr


def test_lanes_default_to_one_per_core_at_most_two_and_read_the_environment(
        monkeypatch) -> None:
    from ui import offload

    monkeypatch.delenv(warmup.LANES_ENV, raising=False)
    assert 1 <= warmup.lanes() <= 2
    monkeypatch.setattr(offload, "workers", lambda: 0)  # one process, one GIL: one lane
    assert warmup.lanes() == 1
    monkeypatch.setattr(offload, "workers", lambda: 2)
    monkeypatch.setenv(warmup.LANES_ENV, "3")
    assert warmup.lanes() == 3
    monkeypatch.setenv(warmup.LANES_ENV, "0")  # not a lane count: the default
    assert 1 <= warmup.lanes() <= 2


class _FakeSession:
    """Stands in for deploy.st_protocol.Session: records each view and the peak overlap."""

    opened: list[tuple[str, str]] = []
    now = peak = 0

    def __init__(self, port, cookies=None) -> None:
        assert cookies == {warmup.COOKIE: warmup._TOKEN}

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc) -> None:
        return None

    async def run(self, *, page_name, page_script_hash, query_string):
        cls = type(self)
        cls.now += 1
        cls.peak = max(cls.peak, cls.now)
        await asyncio.sleep(0.01)
        cls.now -= 1
        cls.opened.append((page_name, query_string))
        return sp.RunResult(latency=0.01, ok=True)


@pytest.mark.parametrize("n_lanes", [1, 2])
def test_lanes_open_every_view_once_and_no_more_at_once_than_asked(monkeypatch, n_lanes) -> None:
    pages = [sp.AppPage(page_script_hash=f"h{i}", title=name, url_path=name, is_default=not name)
             for i, name in enumerate(["", "paths", "geometry"])]

    async def discover(port, cookies=None):
        return pages

    _FakeSession.opened, _FakeSession.now, _FakeSession.peak = [], 0, 0
    monkeypatch.setattr(sp, "Session", _FakeSession)
    monkeypatch.setattr(sp, "discover_pages", discover)
    monkeypatch.setattr(warmup, "START_DELAY_S", 0.0)
    monkeypatch.setattr(warmup._ACTIVITY, "last_start", time.monotonic() - 60)  # quiet
    monkeypatch.setenv(warmup.LANES_ENV, str(n_lanes))
    monkeypatch.delenv(warmup.LIMIT_ENV, raising=False)
    todo = [(page, f"seed={i}") for i in range(7) for page in ("paths", "geometry")]
    asyncio.run(warmup._warm_all(0, todo))
    assert sorted(_FakeSession.opened) == sorted(todo)  # each once, none lost
    assert _FakeSession.peak == n_lanes


# --------------------------------------------------------------------------- a server

WARMED = 3  # home, the paths page's default view, the geometry page's


@pytest.fixture(scope="module")
def warmed_server(tmp_path_factory):
    port = sp.free_port()
    log = tmp_path_factory.mktemp("warmup") / "app.log"
    proc = sp.ServerProcess(sp.streamlit_argv(port), log_path=log,
                            env={warmup.ENV: "1", warmup.LIMIT_ENV: str(WARMED)})
    try:
        sp.wait_http_ok(port, timeout=90, proc=proc.proc)
        yield port, log
    finally:
        proc.stop()


def _wait_for_line(log: Path, text: str, timeout: float = 120.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = [line for line in log.read_text(errors="replace").splitlines() if text in line]
        if lines:
            return lines[-1]
        time.sleep(0.5)
    raise AssertionError(f"no {text!r} in the server log:\n{log.read_text()[-2000:]}")


@pytest.mark.slow
def test_a_warmed_view_is_a_cache_hit_for_the_first_student(warmed_server) -> None:
    port, log = warmed_server
    asyncio.run(sp.discover_pages(port))  # the first session starts the warm-up
    done = _wait_for_line(log, warmup.DONE_LINE)
    assert f"{WARMED} views" in done and "0 error(s)" in done, done
    page, query = warmup.views()[1]
    assert page == "paths"

    async def student():
        async with sp.Session(port) as s:
            return await s.run(page_name=page, query_string=query + "&lam=10")

    before = sp.cache_lookups(port)
    result = asyncio.run(student())
    after = sp.cache_lookups(port)
    assert result.error is None, result.error
    assert "plotly_chart" in result.element_types
    misses = {k[0]: after[k] - before.get(k, 0) for k in after if k[1] == "miss"}
    assert not any(misses.values()), f"the warmed view was computed again: {misses}"
    assert sum(after[k] - before.get(k, 0) for k in after if k[1] == "hit") > 0
