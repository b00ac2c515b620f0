"""Each lesson's cold view on an uploaded table, beside the paths page's (issue 18's budget).

Runs every page headless (Streamlit's AppTest) with the upload in session state, as a
student who picked *Your uploaded data*; each view in a fresh session, so every upload
computation is cold (a child process per computation, as served: REGVIZ_WORKERS=2).
Prints seconds per view and the status lines the page showed.

    OPENBLAS_NUM_THREADS=1 python benchmarks/upload_views.py            # 2000 x 600, 300 x 1000
    OPENBLAS_NUM_THREADS=1 python benchmarks/upload_views.py --shape 1000x300
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("REGVIZ_WORKERS", "2")

# (name, page file, URL parameters, session state): the views a student opens on an upload.
VIEWS = [
    ("paths", "paths", {}, {}),
    ("geometry (pair, least squares)", "geometry", {"gdata": "table"}, {}),
    ("house prices (junk lesson)", "house-prices", {}, {}),
    ("sparsity: zeros", "sparsity", {"lab": "zeros"}, {}),
    ("sparsity: twins on the upload", "sparsity", {"lab": "twins"}, {"twins_source": "sidebar"}),
    ("zeros made: speed table", "zeros-made", {"part": "speed"}, {}),
]


def upload(n: int, p: int, seed: int = 3):
    from ui.datasets import UPLOAD, Choice

    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    X[:, 1] = X[:, 0] + 0.1 * rng.standard_normal(n)
    y = X[:, :10] @ rng.uniform(1, 2, 10) + rng.standard_normal(n)
    return Choice(UPLOAD, "wide.csv", X, y, [f"g{j}" for j in range(p)], "y", "", [])


def cold_view(page: str, query: dict, state: dict, choice) -> tuple[float, list[str], str]:
    from streamlit.testing.v1 import AppTest

    from ui.datasets import UPLOAD_KEY

    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=300)
    for key, value in {"dataset": "upload", **query}.items():
        at.query_params[key] = value
    for key, value in {UPLOAD_KEY: choice, **state}.items():
        at.session_state[key] = value
    t = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - t
    trouble = "; ".join(e.value[:80] for e in [*at.exception, *at.error])
    return seconds, [s.label for s in at.status], trouble


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shape", action="append", help="n x p, e.g. 2000x600 (repeatable)")
    shapes = [tuple(int(v) for v in s.lower().split("x"))
              for s in (ap.parse_args(argv).shape or ["2000x600", "300x1000"])]
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}, "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}")
    for n, p in shapes:
        choice = upload(n, p)
        print(f"\n{n} x {p} upload: cold view, seconds (status lines)")
        for name, page, query, state in VIEWS:
            seconds, statuses, trouble = cold_view(page, query, state, choice)
            print(f"  {name:32s} {seconds:6.1f} s   {' | '.join(statuses)}"
                  + (f"   ! {trouble}" if trouble else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
