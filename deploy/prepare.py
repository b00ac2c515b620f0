"""Open the links you will share before class, so the first student is not the one who waits.

A lesson view computed once is cached in the app process that computed it
(paths, cross-validation, experiments, even the figure): the next student
asking for the same view gets it in a fraction of the time.  Run this once
after starting the server, with the links you will paste in the chat:

    python deploy/prepare.py "http://localhost:8501/paths?dataset=house_prices&penalty=l1"
    python deploy/prepare.py --file links.txt              # one link per line, # comments
    python deploy/prepare.py --procs 2 --file links.txt    # behind deploy/serve.sh -k 2

Each link is opened in a fresh session over Streamlit's websocket protocol
(no browser needed), on every app process when ``--procs`` says there are
several behind the proxy (it selects each one by its affinity cookie).  It
prints the time each link took and exits 1 if any failed (an unknown page,
an error on the page, no answer).  Loopback servers only: it is a tool for
the machine that serves the class.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from urllib.parse import urlsplit

try:  # imported as deploy.prepare (the tests, python -m deploy.prepare)
    from deploy import st_protocol as sp
except ImportError:  # run as a script (python deploy/prepare.py): deploy/ is on sys.path
    import st_protocol as sp

LOOPBACK = {"localhost", "127.0.0.1"}


class LinkError(ValueError):
    """A link this tool cannot open (not http, not loopback, mixed ports)."""


def parse_links(urls: list[str]) -> tuple[int, list[tuple[str, str]]]:
    """(port, [(page, query)]) from links to one loopback server."""
    if not urls:
        raise LinkError("no links given")
    port: int | None = None
    links: list[tuple[str, str]] = []
    for url in urls:
        parts = urlsplit(url if "://" in url else f"http://{url}")
        if parts.scheme != "http":
            raise LinkError(f"{url}: only http:// links to this machine are supported")
        if parts.hostname not in LOOPBACK:
            raise LinkError(f"{url}: host {parts.hostname!r} is not this machine "
                            "(use localhost or 127.0.0.1)")
        try:
            link_port = parts.port or 80
        except ValueError as exc:
            raise LinkError(f"{url}: {exc}") from None
        if port is not None and link_port != port:
            raise LinkError(f"{url}: port {link_port} differs from the first link's {port}")
        port = link_port
        links.append((parts.path.strip("/"), parts.query))
    assert port is not None
    return port, links


def read_link_file(path: Path) -> list[str]:
    """Links in a text file: one per line; blank lines and # comments are skipped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def failed(opened: sp.Opened) -> bool:
    r = opened.result
    return r.error is not None or bool(r.exceptions) or r.page_not_found


def describe(opened: sp.Opened, procs: int) -> str:
    where = f"[process {opened.process}] " if procs > 1 else ""
    link = f"/{opened.page}" + (f"?{opened.query}" if opened.query else "")
    result = opened.result
    if not failed(opened):
        return f"ok    {result.latency:6.2f} s  {where}{link}"
    reason = result.error or "; ".join(result.exceptions) or "page not found"
    return f"FAIL  {result.latency:6.2f} s  {where}{link}: {reason}"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("urls", nargs="*", help="links to open (http://localhost:PORT/page?...)")
    ap.add_argument("--file", type=Path, help="a text file of links, one per line")
    ap.add_argument("--procs", type=int, default=1,
                    help="app processes behind deploy/serve.sh (default 1: a plain server)")
    ap.add_argument("--timeout", type=float, default=10.0,
                    help="seconds to wait for the server to answer its health check")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    urls = list(args.urls)
    if args.file is not None:
        try:
            urls += read_link_file(args.file)
        except OSError as exc:
            print(f"prepare: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
            return 2
    if not 1 <= args.procs <= 99:
        print("prepare: --procs must be 1..99", file=sys.stderr)
        return 2
    try:
        port, links = parse_links(urls)
    except LinkError as exc:
        print(f"prepare: {exc}", file=sys.stderr)
        return 2
    try:
        sp.wait_http_ok(port, timeout=args.timeout)
    except (TimeoutError, RuntimeError, OSError) as exc:
        print(f"prepare: no regviz server answering on 127.0.0.1:{port} ({exc})", file=sys.stderr)
        return 2

    def progress(opened: sp.Opened) -> None:
        print(describe(opened, args.procs), flush=True)

    opened = asyncio.run(sp.open_links(port, links, procs=args.procs, progress=progress))
    bad = sum(failed(o) for o in opened)
    print(f"{len(opened) - bad} of {len(opened)} opened"
          + (f" ({len(links)} links x {args.procs} processes)" if args.procs > 1 else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
