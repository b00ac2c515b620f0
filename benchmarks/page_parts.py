"""What each part of the paths page costs its first paint: variants of the page, side by side.

``benchmarks/page_load`` says the lesson takes about 1.35x the one-chart floor.  This says
where: it copies the app into temporary folders, takes parts away from ``/paths`` in each
copy (every edit is checked to apply, so a change to the page stops the benchmark instead of
measuring the wrong thing), serves each copy from its own folder and opens them, the floor
and the multipage floor in fresh headless Chromiums, in an order rotated every round, with
``benchmarks/load.py``'s probe (charts drawn, script idle).  Each view is computed once over
the protocol first, so what is timed is the browser's work.

    python -m benchmarks.page_parts              # 6 rounds
    python -m benchmarks.page_parts --rounds 8

A variant is an experiment, not a page to ship: "controls, tiny chart" still has every
sidebar control but draws the floor's three-point chart, which bounds what any change to
the chart itself could gain.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from benchmarks.load import browser_probe
from deploy import st_protocol as sp
from deploy.st_server import ServerProcess, start_streamlit

PAGE = "pages/paths.py"
_FORMULA = 'common.objective_latex(loss="logistic" if choice.classifies else "squared")'
_SCRUB = 'scrub("coef_path", view_id, st.query_params.get("lam"), links.pick_epoch())'
_EXTRAS = [(PAGE, _FORMULA, "pass"), (PAGE, _SCRUB, "pass"),
           (PAGE, "render_downloads(choice, ex)", "pass"),
           (PAGE, "st.caption(md(summary))", "pass")]
_TINY_CHART = [(PAGE, 'st.plotly_chart(fig, key="coef_path", alt=summary, '
                      'config={"displayModeBar": False})',
                "import plotly.graph_objects as go\n"
                "st.plotly_chart(go.Figure(go.Scatter(x=[1, 2, 3], y=[1, 3, 2])))")]

# name -> edits (file, text to replace, replacement); the first variant is the page as it is.
VARIANTS: dict[str, list[tuple[str, str, str]]] = {
    "the lesson": [],
    "no formula": [(PAGE, _FORMULA, "pass")],
    "no formula, scrub, downloads, caption": _EXTRAS,
    "controls, tiny chart": _EXTRAS + _TINY_CHART,
}
COPIED = ("app.py", "pages", "ui", "regviz", "examples", ".streamlit")


def make_copy(root: Path, into: Path, edits: list[tuple[str, str, str]]) -> Path:
    """The app's files in ``into``, with ``edits`` applied (each must match exactly once)."""
    into.mkdir(parents=True)
    for name in COPIED:
        src = root / name
        if src.is_dir():
            shutil.copytree(src, into / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, into / name)
    for file, old, new in edits:
        path = into / file
        text = path.read_text(encoding="utf-8")
        if text.count(old) != 1:
            raise SystemExit(f"{file}: the variant's edit no longer applies ({old[:60]!r})")
        path.write_text(text.replace(old, new), encoding="utf-8")
    return into


def serve(script: str, cwd: Path, log: Path) -> tuple[ServerProcess, int]:
    """``script`` served from ``cwd`` (a variant's own folder), its background warm-up off."""
    port = sp.free_port()
    return start_streamlit(port, log, script, timeout=90, cwd=cwd), port


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=6, help="fresh-browser loads of each")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="regviz-parts-"))
    servers: list[ServerProcess] = []
    urls: dict[str, str] = {}
    try:
        for name, script in [("floor", "benchmarks/floor_app.py"),
                             ("multipage floor", "benchmarks/floor_nav_app.py")]:
            server, port = serve(script, sp.ROOT, work / f"{name.replace(' ', '-')}.log")
            servers.append(server)
            urls[name] = f"http://{sp.HOST}:{port}/" + ("paths" if "multipage" in name else "")
        for i, (name, edits) in enumerate(VARIANTS.items()):
            folder = make_copy(sp.ROOT, work / f"variant{i}", edits)
            server, port = serve("app.py", folder, work / f"variant{i}.log")
            servers.append(server)
            asyncio.run(sp.open_links(port, [("paths", "")]))  # computed: timing draws only
            urls[name] = f"http://{sp.HOST}:{port}/paths"
        loads: dict[str, list[float]] = {name: [] for name in urls}
        order = list(urls.items())
        for i in range(args.rounds + 1):  # round 0 unmeasured: Chromium's files into memory
            for name, url in order[i % len(order):] + order[:i % len(order)]:
                result = browser_probe(url)
                if result.get("error") or result.get("exceptions"):
                    raise SystemExit(f"{name}: {result}")
                if i:
                    loads[name].append(result["drawn"])
        floor = statistics.median(loads["floor"])
        print(f"/paths and its variants, {args.rounds} fresh-browser loads each, drawn (median):")
        for name, times in loads.items():
            median = statistics.median(times)
            print(f"   {name:<40} {median:.2f} s  {median / floor:.2f}x the floor   "
                  f"({', '.join(f'{t:.2f}' for t in times)})")
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
