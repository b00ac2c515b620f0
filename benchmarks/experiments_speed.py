"""Time each sparsity-lab experiment at the size the page runs it (target: under 2 s each).

Run: python benchmarks/experiments_speed.py [--repeats 3]

Each experiment is timed as the page calls it on a cache miss: the first
(cold) run in this process, then the best of ``--repeats`` more.  The
recovery tab runs the main experiment and one sweep together, so their sum
is the tab's cost; the zeros tab runs both of its functions.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from regviz import datasets  # noqa: E402
from regviz import experiments as ex  # noqa: E402
from regviz.data import design_matrix  # noqa: E402

TARGET = 2.0
SWEEPS = {"n": [25, 50, 100, 200, 400], "noise": [0.5, 1.0, 2.0, 4.0, 8.0],
          "rho": [0.0, 0.3, 0.6, 0.8, 0.95]}  # as the page offers them


def _design(key: str):
    ds = datasets.load(key)
    d = design_matrix(ds.frame, ds.target)
    return d.X, d.y


def _twins(fresh: bool) -> Callable[[], object]:
    draw = ex.twins_sampler()
    X, y = draw(np.random.default_rng(1_000_003))
    return lambda: ex.bootstrap_selection(X, y, ex.TWIN_NAMES, draw=draw if fresh else None)


def experiments() -> list[tuple[str, Callable[[], object]]]:
    sparse, house = _design("sparse_truth"), _design("house_prices")
    return [
        ("1 zeros + sizes, sparse truth 100 x 30",
         lambda: (ex.zeros_vs_lambda(*sparse), ex.matched_magnitudes(*sparse))),
        ("1 zeros + sizes, house prices 300 x 23",
         lambda: (ex.zeros_vs_lambda(*house), ex.matched_magnitudes(*house))),
        ("2 corners, 10,000 draws", lambda: ex.corner_monte_carlo(10_000)),
        ("3 recovery, n 100, p 500, 4 draws", lambda: ex.support_recovery()),
        *((f"3 tab total: recovery + sweep over {setting}",
           lambda setting=setting, values=values: (ex.support_recovery(),
                                                   ex.recovery_sweep(setting, values)))
          for setting, values in SWEEPS.items()),
        ("4 twins, 200 bootstrap resamples", _twins(False)),
        ("4 twins, 200 fresh samples", _twins(True)),
        ("5 who wins, 2 truths x 10 repetitions", lambda: ex.who_wins()),
    ]


def _time(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"{'experiment':44s} {'cold s':>8s} {'best s':>8s}  target < {TARGET:g} s")
    missed = []
    for name, run in experiments():
        cold = _time(run)
        best = min(_time(run) for _ in range(args.repeats))
        ok = cold < TARGET
        if not ok:
            missed.append(name)
        print(f"{name:44s} {cold:8.3f} {best:8.3f}  {'ok' if ok else 'MISSED'}")
    print("every experiment under 2 s (cold)" if not missed
          else f"over 2 s (cold): {'; '.join(missed)}")


if __name__ == "__main__":
    main()
