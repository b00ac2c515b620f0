"""A Streamlit server for tests, benchmarks and the teacher's tools: its process, ports, HTTP.

Start and stop a server in its own process group, its resident memory and
CPU time (the process and its children, from ``/proc``), a free loopback
port, a tiny HTTP GET for health checks, cookies and the cache metrics.
``deploy/st_protocol.py`` (the websocket protocol) re-exports every name here,
so its users import one module.  Loopback only.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


# --------------------------------------------------------------------------- ports, HTTP


def free_port() -> int:
    """A port the OS just handed out on loopback (free now; bind it soon)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def free_ports(n: int) -> int:
    """The first of ``n`` consecutive free loopback ports (bounded search)."""
    for _ in range(200):
        first = free_port()
        if first + n > 65535:
            continue
        if all(_port_free(first + i) for i in range(n)):
            return first
    raise RuntimeError(f"no {n} consecutive free loopback ports found")


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((HOST, port))
        except OSError:
            return False
        return True


@dataclass
class HttpReply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def cookies(self) -> dict[str, str]:
        jar: dict[str, str] = {}
        for key, value in self.headers:
            if key.lower() == "set-cookie":
                parsed = SimpleCookie()
                with contextlib.suppress(Exception):
                    parsed.load(value)
                jar.update({name: morsel.value for name, morsel in parsed.items()})
        return jar


def http_get(port: int, path: str = "/", *, cookies: dict[str, str] | None = None,
             timeout: float = 10.0) -> HttpReply:
    """GET http://127.0.0.1:port/path (no proxies, no redirects)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        headers = {"Accept": "text/html,*/*"}
        if cookies:
            headers["Cookie"] = cookie_header(cookies)
        conn.request("GET", path, headers=headers)
        resp = conn.getresponse()
        return HttpReply(resp.status, list(resp.getheaders()), resp.read())
    finally:
        conn.close()


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def wait_http_ok(port: int, path: str = "/_stcore/health", timeout: float = 60.0,
                 proc: subprocess.Popen | None = None) -> None:
    """Poll until GET path answers 200; fail early if ``proc`` died."""
    deadline = time.monotonic() + timeout
    last: object = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode} before answering")
        try:
            reply = http_get(port, path, timeout=2.0)
            if reply.status == 200:
                return
            last = reply.status
        except OSError as err:
            last = err
        time.sleep(0.2)
    raise TimeoutError(f"no 200 from http://{HOST}:{port}{path} within {timeout:.0f} s ({last})")


# --------------------------------------------------------------------------- processes


class ServerProcess:
    """A child process in its own process group; ``stop`` ends the whole group."""

    def __init__(self, argv: Sequence[str], *, log_path: Path, cwd: Path = ROOT,
                 env: dict[str, str] | None = None) -> None:
        self.argv = list(argv)
        self.log_path = log_path
        self._log = open(log_path, "wb")  # noqa: SIM115 - closed in stop()
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.proc = subprocess.Popen(
            self.argv, cwd=cwd, env=full_env, stdout=self._log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self, grace: float = 8.0) -> None:
        """SIGTERM the process group, then SIGKILL whatever is left after ``grace`` s."""
        pgid = self.proc.pid
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pgid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=grace)
        # Children may outlive the leader (e.g. after it was killed): clean the group.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)
        self._log.close()

    def log_tail(self, n: int = 30) -> str:
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join(lines[-n:])


def streamlit_argv(port: int, script: str = "app.py") -> list[str]:
    return [
        sys.executable, "-m", "streamlit", "run", script,
        "--server.port", str(port), "--server.headless", "true",
        "--server.address", HOST, "--browser.gatherUsageStats", "false",
    ]


def start_streamlit(port: int, log_path: Path, script: str = "app.py",
                    timeout: float = 60.0, *, warmup: bool = False,
                    cwd: Path = ROOT) -> ServerProcess:
    """``streamlit run script`` in ``cwd`` on loopback, once it answers its health check.

    The app's background warm-up (ui/warmup.py) is off unless ``warmup``: a test's or a
    benchmark's server must not spend CPU on views nobody asked for.
    """
    env = {"REGVIZ_WARMUP": "1" if warmup else "0"}
    server = ServerProcess(streamlit_argv(port, script), log_path=log_path, cwd=cwd, env=env)
    try:
        wait_http_ok(port, timeout=timeout, proc=server.proc)
    except (RuntimeError, TimeoutError) as err:
        server.stop()
        raise RuntimeError(f"{err}; its log ends:\n{server.log_tail()}") from err
    except BaseException:
        server.stop()
        raise
    return server


def _stat_fields(pid: int | str) -> list[str]:
    """Fields of /proc/<pid>/stat after the command name ([] if the process is gone).

    The command may contain spaces and parentheses: split after the last ')'.
    """
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read().decode(errors="replace")
    except OSError:
        return []
    return stat[stat.rfind(")") + 2:].split()


def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            rest = _stat_fields(entry)
            if len(rest) > 1:
                kids.setdefault(int(rest[1]), []).append(int(entry))
    return kids


def process_tree(pid: int) -> list[int]:
    kids = _children_map()
    out, todo = [], [pid]
    while todo and len(out) < 10_000:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def rss_bytes(pid: int) -> int:
    """VmRSS of ``pid`` and all its descendants, in bytes (0 for gone processes)."""
    total = 0
    for p in process_tree(pid):
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
                        break
        except (OSError, ValueError):
            continue
    return total


def own_cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` itself (not its children), in seconds; 0 if gone."""
    fields = _stat_fields(pid)
    with contextlib.suppress(IndexError, ValueError):
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` and its live descendants, in seconds."""
    return sum(own_cpu_seconds(p) for p in process_tree(pid))


class RssSampler:
    """Samples the summed RSS of some process trees every ``interval`` s in a thread."""

    def __init__(self, pids: Sequence[int], interval: float = 0.2) -> None:
        self.pids = list(pids)
        self.interval = interval
        self.peak = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            total = sum(rss_bytes(p) for p in self.pids)
            self.peak = max(self.peak, total)
            self.samples += 1
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


_LOOKUP = re.compile(r'^cache_lookups_total\{(?P<labels>[^}]*)\}\s+(?P<count>\d+)', re.M)
_LABEL = re.compile(r'(\w+)="([^"]*)"')


def cache_lookups(port: int, cookies: dict[str, str] | None = None, *,
                  cache_types: tuple[str, ...] = ("st_cache_data",)
                  ) -> dict[tuple[str, str], int]:
    """{(cache name, "hit" | "miss"): count} for the app's st.cache_data functions.

    ``cache_types=("st_cache_data", "st_cache_resource")`` adds the st.cache_resource ones
    (the figure cache), their names prefixed with "resource:".

    From Streamlit's own ``/_stcore/metrics`` endpoint (per process: behind the
    proxy, the cookie selects which one).  Lets a test tell that a view was served
    from cache without timing anything.
    """
    reply = http_get(port, "/_stcore/metrics?families=cache_lookups", cookies=cookies)
    if reply.status != 200:
        raise RuntimeError(f"/_stcore/metrics answered {reply.status}")
    counts: dict[tuple[str, str], int] = {}
    for match in _LOOKUP.finditer(reply.body.decode("utf-8", "replace")):
        labels = dict(_LABEL.findall(match["labels"]))
        kind = labels.get("cache_type")
        if kind in cache_types:
            name = labels.get("cache", "")
            name = f"resource:{name}" if kind == "st_cache_resource" else name
            counts[(name, labels.get("result", ""))] = int(match["count"])
    return counts


def affinity_cookies(port: int, path: str = "/") -> dict[str, str]:
    """Cookies a browser would hold after loading ``path`` (the proxy's affinity cookie)."""
    return http_get(port, path).cookies()
