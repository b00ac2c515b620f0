"""How long a wide upload takes: the library steps and the upload page, printed, not asserted.

Issue 17 measured 38.9 s before a 5,000-column numeric file said anything and
7.1 s per removed feature.  This script builds such a file (200 rows by
default), times read_table, the target suggestion, the default features and
the design, then drives pages/your-data.py with AppTest: the first run after the
upload and one feature removal.

    OPENBLAS_NUM_THREADS=1 /work/venv/bin/python -m benchmarks.upload_speed [--rows 200 --cols 5000]
"""

from __future__ import annotations

import argparse
import io
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def wide_csv(rows: int, cols: int, seed: int = 0) -> bytes:
    """A numeric table whose target 'y' depends on the first five of ``cols`` features."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(rows, cols))
    y = X[:, :5].sum(axis=1) + rng.normal(size=rows)
    buf = io.StringIO()
    buf.write(",".join([*(f"x{j}" for j in range(cols)), "y"]) + "\n")
    np.savetxt(buf, np.column_stack([X, y]), delimiter=",", fmt="%.6g")
    return buf.getvalue().encode()


def timed(label: str, fn):
    start = time.perf_counter()
    out = fn()
    print(f"  {label:<34} {time.perf_counter() - start:7.3f} s")
    return out


def library(raw: bytes) -> None:
    from regviz.data import design_matrix, read_table
    from regviz.suggest import default_features, suggest_target

    print("library")
    df = timed("read_table", lambda: read_table(raw))
    target = timed("suggest_target", lambda: suggest_target(df)).column
    features, _ = timed("default_features", lambda: default_features(df, target))
    timed(f"design_matrix ({len(features)} features)",
          lambda: design_matrix(df, target, features))
    others = [c for c in df.columns if c != target][:1999]
    timed(f"design_matrix ({len(others)} features)", lambda: design_matrix(df, target, others))


def page(raw: bytes) -> None:
    from streamlit.testing.v1 import AppTest

    print("upload page (AppTest, script time only; the browser adds its own)")
    at = AppTest.from_file(str(ROOT / "pages" / "your-data.py"), default_timeout=300).run()
    at.file_uploader[0].set_value(("wide.csv", raw, "text/csv"))
    timed("first run after the upload", at.run)
    chosen = list(at.multiselect[0].value)
    print(f"  {len(chosen)} features preselected; metrics: "
          + ", ".join(f"{m.label} {m.value}" for m in at.metric))
    at.multiselect[0].set_value(chosen[1:])
    timed("remove one feature", at.run)
    at.multiselect[0].set_value(chosen[1:] + [c for c in at.multiselect[0].options
                                              if c not in chosen][:100])
    timed("add 100 features", at.run)
    assert not at.exception, at.exception


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument("--cols", type=int, default=5000)
    args = parser.parse_args()
    raw = wide_csv(args.rows, args.cols)
    print(f"{args.rows} rows x {args.cols} numeric columns + target, {len(raw) / 1e6:.1f} MB")
    library(raw)
    page(raw)


if __name__ == "__main__":
    main()
