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

Starting and stopping a server, its memory, free ports and HTTP live in
``deploy/st_server.py`` and are re-exported here.  Used by
``deploy/prepare.py`` (its sibling, imported without any sys.path change),
``benchmarks/load.py`` and the deployment and browser tests
(``benchmarks/st_protocol.py`` re-exports it under its old name).  Loopback only.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

# The server helpers, re-exported: one module for every user of the protocol.  deploy/ may
# be a package (deploy.st_protocol) or the script's own folder (python deploy/prepare.py).
try:
    from deploy.st_server import *  # noqa: F403
    from deploy.st_server import HOST, cookie_header
except ImportError:
    from st_server import *  # type: ignore[no-redef]  # noqa: F403
    from st_server import HOST, cookie_header  # type: ignore[no-redef]

STREAM_PATH = "/_stcore/stream"
RUN_TIMEOUT = 30.0
MAX_CACHED_MESSAGE_AGE = 2  # Streamlit's global.maxCachedMessageAge (the frontend's rule)
_FINISHED_OK = {
    ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY,
    ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
}


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
