"""The load test's servers: the app (direct or behind nginx), the floor page, their caches.

``benchmarks/load.py`` and ``benchmarks/page_load.py`` start what they measure
here: one app process (its background warm-up off, finished, or running), k
processes behind ``deploy/serve.sh``, and ``benchmarks/floor_app.py``.  All are
stopped (process groups) on exit.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from deploy import st_protocol as sp
from ui.warmup import DONE_LINE

ROOT = sp.ROOT


@dataclass
class Target:
    """Where sessions connect: a Streamlit port or the nginx port in front of several."""

    port: int
    pids: list[int]
    label: str
    via_proxy: bool
    procs: int = 1
    warmup_log: Path | None = None  # the server's log, when its background warm-up is on
    wait_warmup: bool = False       # the class starts once that warm-up is done


def cache_lookups(target: Target) -> dict[tuple[str, str], int] | None:
    """The app's cache hits and misses so far (one process only: else None)."""
    if target.via_proxy:
        return None
    try:
        return sp.cache_lookups(target.port, cache_types=("st_cache_data", "st_cache_resource"))
    except (OSError, RuntimeError):
        return None



async def wait_server_warmup(log: Path, timeout: float = 1800.0) -> None:
    """Wait for the app's background warm-up to say it is done; print its line and time."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        done = [line for line in log.read_text(errors="replace").splitlines()
                if DONE_LINE in line]
        if done:
            print(f"   server warm-up finished after {time.monotonic() - t0:.0f} s: "
                  f"{done[-1].split(DONE_LINE, 1)[1].lstrip(', ')}")
            return
        await asyncio.sleep(1.0)
    raise TimeoutError(f"the server's warm-up did not finish within {timeout:.0f} s")


class Servers:
    """Every process this run starts; all are stopped on exit."""

    def __init__(self) -> None:
        self.procs: list[sp.ServerProcess] = []
        self.logdir = Path(tempfile.mkdtemp(prefix="regviz-load-"))

    def direct(self, warmup: str = "off") -> Target:
        """One app process; its background warm-up (ui/warmup.py) off, finished before the
        class starts ("wait"), or running while the class starts ("during")."""
        port = sp.free_port()
        log = self.logdir / f"streamlit-{port}.log"
        server = sp.start_streamlit(port, log, warmup=warmup != "off")
        self.procs.append(server)
        label = "direct, 1 process, " + {"off": "no server warm-up",
                                         "wait": "server warm-up done",
                                         "during": "server warm-up running"}[warmup]
        return Target(port, [server.pid], label, via_proxy=False,
                      warmup_log=log if warmup != "off" else None,
                      wait_warmup=warmup == "wait")

    def floor(self, script: str = "benchmarks/floor_app.py") -> int:
        """A floor page (default benchmarks/floor_app.py) in its own process, measured alike."""
        port = sp.free_port()
        server = sp.start_streamlit(port, self.logdir / f"floor-{port}.log", script=script)
        self.procs.append(server)
        return port

    def proxied(self, procs: int, script: str = "app.py") -> Target:
        """``procs`` processes of ``script`` behind deploy/serve.sh's nginx."""
        if shutil.which("nginx") is None:
            raise SystemExit("--via-proxy needs nginx (apt-get install -y nginx)")
        first = sp.free_ports(procs + 1)
        server = sp.ServerProcess(
            ["bash", str(ROOT / "deploy" / "serve.sh"), "-k", str(procs), "-p", str(first),
             "-b", str(first + 1), "-a", script],
            log_path=self.logdir / f"serve-{first}.log",
            # The background warm-up stays off behind the proxy: its log is serve.sh's.
            env={"PYTHON": sys.executable, "REGVIZ_WARMUP": "0"},
        )
        self.procs.append(server)
        try:
            sp.wait_http_ok(first, timeout=60 + 30 * procs, proc=server.proc)
        except BaseException:
            print(server.log_tail(), file=sys.stderr)
            raise
        return Target(first, [server.pid], f"nginx + {procs} process(es)", via_proxy=True,
                      procs=procs)

    def stop(self, target: Target | None = None) -> None:
        keep = []
        for proc in self.procs:
            if target is None or proc.pid in target.pids:
                proc.stop()
            else:
                keep.append(proc)
        self.procs = keep

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.logdir, ignore_errors=True)
