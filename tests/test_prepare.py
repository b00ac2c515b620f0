"""deploy/prepare.py: the teacher opens her links before class, and they are then cached.

The parsing is checked directly; one module-scoped app server checks that a
prepared link comes back as a cache hit for the next session and that a bad
link makes the tool fail loudly.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest

from deploy import prepare
from deploy import st_protocol as sp

ROOT = Path(__file__).resolve().parents[1]
LINK = "paths?dataset=twins&penalty=enet&alpha=0.3&seed=7"


def test_links_parse_to_one_port_and_page_query_pairs() -> None:
    port, links = prepare.parse_links([
        "http://localhost:8501/paths?dataset=twins&penalty=l1",
        "127.0.0.1:8501/geometry",
        "http://localhost:8501/",
    ])
    assert port == 8501
    assert links == [("paths", "dataset=twins&penalty=l1"), ("geometry", ""), ("", "")]


@pytest.mark.parametrize("urls, message", [
    ([], "no links"),
    (["http://example.com/paths"], "not this machine"),
    (["https://localhost:8501/paths"], "only http://"),
    (["http://localhost:8501/paths", "http://localhost:8502/paths"], "differs"),
    (["http://localhost:99999/paths"], "(?i)port out of range"),
])
def test_links_it_cannot_open_are_refused_with_a_reason(urls, message) -> None:
    with pytest.raises(prepare.LinkError, match=message):
        prepare.parse_links(urls)


def test_link_files_skip_blank_lines_and_comments(tmp_path) -> None:
    f = tmp_path / "links.txt"
    f.write_text("# for Tuesday\n\nhttp://localhost:8501/paths\n  # later\n localhost:8501/ \n")
    assert prepare.read_link_file(f) == ["http://localhost:8501/paths", "localhost:8501/"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = sp.free_port()
    log = tmp_path_factory.mktemp("prepare") / "app.log"
    proc = sp.start_streamlit(port, log, timeout=90)
    try:
        yield port
    finally:
        proc.stop()


def test_the_tool_reaches_the_protocol_client_without_touching_sys_path(tmp_path) -> None:
    """Imported (as the tests do) or run as a script from elsewhere, no sys.path edit is needed."""
    check = ("import sys; before = list(sys.path); import deploy.prepare as p; "
             "assert sys.path == before, 'sys.path changed'; "
             "assert p.sp.__name__ == 'deploy.st_protocol', p.sp.__name__")
    imported = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True,
                              timeout=60, cwd=ROOT)
    assert imported.returncode == 0, imported.stderr
    script = subprocess.run([sys.executable, str(ROOT / "deploy" / "prepare.py"), "--help"],
                            capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert script.returncode == 0 and "--procs" in script.stdout, script.stderr


def _run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "deploy" / "prepare.py"), *args],
                          capture_output=True, text=True, timeout=120, cwd=ROOT,
                          stdin=subprocess.DEVNULL)


@pytest.mark.slow
def test_a_prepared_link_is_a_cache_hit_for_the_next_student(server) -> None:
    done = _run_cli(f"http://localhost:{server}/{LINK}")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("ok"), done.stdout

    async def student():
        page, query = LINK.split("?")
        async with sp.Session(server) as s:
            # Announce nothing cached: the figure must come from the server's cache,
            # not from this client's message cache.
            return await s.run(page_name=page, query_string=query)

    before = sp.cache_lookups(server)
    first = asyncio.run(student())
    after = sp.cache_lookups(server)
    assert first.error is None and not first.exceptions, first.error or first.exceptions
    assert "plotly_chart" in first.element_types
    misses = {cache: after[key] - before.get(key, 0)
              for key in after if (cache := key[0]) and key[1] == "miss"}
    hits = sum(after[k] - before.get(k, 0) for k in after if k[1] == "hit")
    assert not any(misses.values()), f"the prepared view was computed again: {misses}"
    assert hits > 0, "the student's run looked nothing up in the cache"


@pytest.mark.slow
def test_an_unprepared_view_is_a_cache_miss(server) -> None:
    """The control for the test above: the metrics do see a view computed afresh."""
    before = sp.cache_lookups(server)

    async def student():
        async with sp.Session(server) as s:
            return await s.run(page_name="paths", query_string="dataset=twins&penalty=l2&seed=11")

    result = asyncio.run(student())
    assert result.error is None and not result.exceptions
    after = sp.cache_lookups(server)
    assert sum(after[k] - before.get(k, 0) for k in after if k[1] == "miss") > 0


@pytest.mark.slow
def test_a_bad_link_fails_the_run_and_names_the_page(server) -> None:
    done = _run_cli(f"http://localhost:{server}/{LINK}", f"http://localhost:{server}/nope")
    assert done.returncode == 1
    assert "FAIL" in done.stdout and "/nope" in done.stdout
    assert "1 of 2 opened" in done.stdout
