"""Talk to a running Streamlit app the way its frontend does, without a browser.

The frontend opens a websocket on ``/_stcore/stream`` with the subprotocol
``streamlit`` (the header's second and third entries may carry an XSRF token
and a session id to resume; neither is needed for a new session without
authentication).  Right after connecting it sends a ``BackMsg`` whose
``rerun_script`` is a ``ClientState``: the query string, the page (by
``page_script_hash`` or by ``page_name``, which is the page's url path) and
the widget states.  The server answers with ``ForwardMsg``s: ``new_session``,
``session_status_changed``, ``navigation`` (the app's pages with their hashes
and url paths), ``page_info_changed`` (the query string the script wrote),
``delta``s (elements; a script error arrives as an element with an
``exception`` field) and finally ``script_finished``.  An unknown page name
gives ``page_not_found`` and the default page runs instead.

Also here: start and stop a server in its own process group, its resident
memory (the process and its children, from ``/proc``), a free loopback port,
and a tiny HTTP GET for health checks and cookies.  Used by
``deploy/prepare.py`` (its sibling, imported without any sys.path change),
``benchmarks/load.py`` and the deployment and browser tests
(``benchmarks/st_protocol.py`` re-exports it under its old name).  Loopback only.
"""

from __future__ import annotations

import asyncio
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
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
STREAM_PATH = "/_stcore/stream"
RUN_TIMEOUT = 30.0
MAX_CACHED_MESSAGE_AGE = 2  # Streamlit's global.maxCachedMessageAge (the frontend's rule)
_FINISHED_OK = {
    ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY,
    ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
}


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
                    timeout: float = 60.0) -> ServerProcess:
    server = ServerProcess(streamlit_argv(port, script), log_path=log_path)
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


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` and its live descendants, in seconds."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in process_tree(pid):
        fields = _stat_fields(p)
        with contextlib.suppress(IndexError, ValueError):
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


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


# --------------------------------------------------------------------------- protocol


@dataclass(frozen=True)
class AppPage:
    page_script_hash: str
    title: str
    url_path: str
    is_default: bool


@dataclass
class RunResult:
    """What one rerun request produced."""

    latency: float = 0.0
    ok: bool = False
    error: str | None = None
    n_deltas: int = 0
    bytes_received: int = 0
    exceptions: list[str] = field(default_factory=list)
    page_not_found: bool = False
    query_string: str | None = None
    pages: list[AppPage] = field(default_factory=list)
    active_page_hash: str | None = None
    element_types: list[str] = field(default_factory=list)
    superseded: int = 0
    cache_hits: int = 0


def rerun_message(*, page_name: str = "", page_script_hash: str = "",
                  query_string: str = "", cached_hashes: Sequence[str] = ()) -> bytes:
    msg = BackMsg()
    cs = msg.rerun_script
    cs.query_string = query_string
    cs.page_name = page_name
    cs.page_script_hash = page_script_hash
    cs.cached_message_hashes.extend(cached_hashes)
    return msg.SerializeToString()


def ws_url(port: int) -> str:
    return f"ws://{HOST}:{port}{STREAM_PATH}"


class Session:
    """One browser tab's websocket session (a Streamlit session lives in one process)."""

    def __init__(self, port: int, *, cookies: dict[str, str] | None = None,
                 resume_session_id: str | None = None) -> None:
        self.port = port
        self.cookies = dict(cookies or {})
        # The frontend puts the id of the session to resume third in the subprotocol
        # header after a dropped connection (the second entry is an XSRF token).
        self.resume_session_id = resume_session_id
        self.ws: websockets.ClientConnection | None = None
        self.response_headers: dict[str, str] = {}
        self.session_id: str | None = None
        self._inbox: asyncio.Queue[tuple[ForwardMsg, int] | Exception] = asyncio.Queue()
        self._reader: asyncio.Task | None = None
        # Like the frontend's message cache: big elements it already holds (by hash, with
        # the run that last used them and their type) are announced with each rerun, and
        # the server then sends a short ref_hash instead of the element again.
        self._cache: dict[str, tuple[int, str]] = {}
        self._runs = 0

    async def connect(self, timeout: float = 15.0) -> None:
        headers = {}
        if self.cookies:
            headers["Cookie"] = cookie_header(self.cookies)
        subprotocols = ["streamlit"]
        if self.resume_session_id:
            xsrf = self.cookies.get("_streamlit_xsrf", "none")
            subprotocols += [xsrf, self.resume_session_id]
        self.ws = await websockets.connect(
            ws_url(self.port),
            subprotocols=subprotocols,
            origin=f"http://{HOST}:{self.port}",  # what a browser sends: same origin
            additional_headers=headers,
            max_size=None,            # a chart with its frames is a few hundred kB
            max_queue=None,
            proxy=None,               # loopback only: never through an env proxy
            open_timeout=timeout,
            close_timeout=3,
        )
        resp = self.ws.response
        if resp is not None:
            self.response_headers = {k.lower(): v for k, v in resp.headers.raw_items()}
        self._reader = asyncio.create_task(self._read(), name="st-session-reader")

    async def _read(self) -> None:
        assert self.ws is not None
        try:
            async for data in self.ws:
                if isinstance(data, str):
                    await self._inbox.put(RuntimeError("text frame from server"))
                    continue
                msg = ForwardMsg()
                msg.ParseFromString(data)
                await self._inbox.put((msg, len(data)))
            await self._inbox.put(ConnectionError(f"socket closed ({self.ws.close_code})"))
        except websockets.ConnectionClosed as err:
            await self._inbox.put(ConnectionError(f"socket closed ({err})"))
        except Exception as err:  # noqa: BLE001 - reported to the waiting run
            await self._inbox.put(err)

    async def run(self, *, page_name: str = "", page_script_hash: str = "",
                  query_string: str = "", timeout: float = RUN_TIMEOUT) -> RunResult:
        """Send one rerun_script and collect everything up to script_finished."""
        result = RunResult()
        if self.ws is None:
            result.error = "not connected"
            return result
        # Anything left from a previous run (late status messages) is not ours.
        while not self._inbox.empty():
            left = self._inbox.get_nowait()
            if isinstance(left, Exception):
                result.error = str(left)
                return result
        self._runs += 1
        self._cache = {h: v for h, v in self._cache.items()
                       if self._runs - v[0] <= MAX_CACHED_MESSAGE_AGE}
        t0 = time.perf_counter()
        try:
            await self.ws.send(rerun_message(page_name=page_name,
                                             page_script_hash=page_script_hash,
                                             query_string=query_string,
                                             cached_hashes=list(self._cache)))
        except websockets.ConnectionClosed as err:
            result.error = f"socket closed ({err})"
            return result
        deadline = t0 + timeout
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                result.error = f"no script_finished within {timeout:.0f} s"
                break
            try:
                item = await asyncio.wait_for(self._inbox.get(), remaining)
            except TimeoutError:
                result.error = f"no script_finished within {timeout:.0f} s"
                break
            if isinstance(item, Exception):
                result.error = str(item) or type(item).__name__
                break
            if self._absorb(*item, result):
                break
        result.latency = time.perf_counter() - t0
        result.ok = result.error is None and not result.exceptions and not result.page_not_found
        if result.error is None and result.exceptions:
            result.error = "exception: " + result.exceptions[0][:200]
        elif result.error is None and result.page_not_found:
            result.error = f"page not found: {page_name or page_script_hash}"
        return result

    def _absorb(self, msg: ForwardMsg, nbytes: int, result: RunResult) -> bool:
        """Record one message; True when the run is over."""
        result.bytes_received += nbytes
        kind = msg.WhichOneof("type")
        if kind == "delta":
            result.n_deltas += 1
            delta = msg.delta
            if delta.WhichOneof("type") == "new_element":
                etype = delta.new_element.WhichOneof("type")
                result.element_types.append(etype or "")
                if etype == "exception":
                    exc = delta.new_element.exception
                    result.exceptions.append(f"{exc.type}: {exc.message}")
                if msg.metadata.cacheable and msg.hash:
                    self._cache[msg.hash] = (self._runs, etype or "")
        elif kind == "ref_hash":
            result.n_deltas += 1
            result.cache_hits += 1
            _, etype = self._cache.get(msg.ref_hash, (0, "?"))
            if msg.ref_hash not in self._cache:
                result.error = f"server referenced a message this client never had ({etype})"
            self._cache[msg.ref_hash] = (self._runs, etype)
            result.element_types.append(etype)
        elif kind == "new_session":
            self.session_id = msg.new_session.initialize.session_id or self.session_id
        elif kind == "navigation":
            result.pages = [
                AppPage(p.page_script_hash, p.page_name, p.url_pathname, p.is_default)
                for p in msg.navigation.app_pages
            ]
            result.active_page_hash = msg.navigation.page_script_hash
        elif kind == "page_info_changed":
            result.query_string = msg.page_info_changed.query_string
        elif kind == "page_not_found":
            result.page_not_found = True
        elif kind == "script_finished":
            if msg.script_finished == ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN:
                # An earlier run (one we stopped waiting for) gave way to ours: keep waiting.
                result.superseded += 1
                return False
            if msg.script_finished not in _FINISHED_OK:
                name = ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)
                result.error = f"script finished with {name}"
            return True
        return False

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 5)

    async def __aenter__(self) -> Session:
        await self.connect()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


async def discover_pages(port: int, cookies: dict[str, str] | None = None) -> list[AppPage]:
    """The app's registered pages, from the navigation message of a first run."""
    async with Session(port, cookies=cookies) as s:
        result = await s.run()
    if result.error:
        raise RuntimeError(f"the app's default page failed: {result.error}")
    if not result.pages:
        raise RuntimeError("no navigation message: is the app using st.navigation?")
    return result.pages


@dataclass
class Opened:
    """One link opened in one app process."""

    page: str
    query: str
    process: int
    result: RunResult


def backend_cookies(process: int, procs: int) -> dict[str, str]:
    """The cookie deploy/nginx.conf routes to app process ``process`` (none for one process)."""
    return {"regviz_backend": f"b{process}"} if procs > 1 else {}


async def open_links(port: int, links: Sequence[tuple[str, str]], *, procs: int = 1,
                     progress=None) -> list[Opened]:
    """Open each (page url path, query string) in a fresh session on every app process.

    A fresh session per link is what a student clicking the link gets, so the
    caches filled are exactly the ones that student will hit.  An unknown page
    is reported as a failed run, not raised.
    """
    opened: list[Opened] = []
    for process in range(procs):
        cookies = backend_cookies(process, procs)
        found = await discover_pages(port, cookies)
        pages = {p.url_path: p for p in found}
        default = next((p for p in found if p.is_default), None)
        if default is not None:
            pages[""] = default  # "/" opens the home page
        for page, query in links:
            known = pages.get(page.strip("/"))
            if known is None:
                result = RunResult(error=f"page not found: /{page.strip('/')} (pages: "
                                         f"{', '.join('/' + p for p in pages)})")
            else:
                try:
                    async with Session(port, cookies=cookies) as session:
                        result = await session.run(page_name=known.url_path,
                                                   page_script_hash=known.page_script_hash,
                                                   query_string=query)
                except (OSError, websockets.WebSocketException) as exc:
                    result = RunResult(error=f"connection failed: {exc}")
            opened.append(Opened(page.strip("/"), query, process, result))
            if progress is not None:
                progress(opened[-1])
    return opened


_LOOKUP = re.compile(r'^cache_lookups_total\{(?P<labels>[^}]*)\}\s+(?P<count>\d+)', re.M)
_LABEL = re.compile(r'(\w+)="([^"]*)"')


def cache_lookups(port: int, cookies: dict[str, str] | None = None) -> dict[tuple[str, str], int]:
    """{(cache name, "hit" | "miss"): count} for the app's st.cache_data functions.

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
        if labels.get("cache_type") == "st_cache_data":
            counts[(labels.get("cache", ""), labels.get("result", ""))] = int(match["count"])
    return counts


def affinity_cookies(port: int, path: str = "/") -> dict[str, str]:
    """Cookies a browser would hold after loading ``path`` (the proxy's affinity cookie)."""
    return http_get(port, path).cookies()
