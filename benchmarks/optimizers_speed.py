"""Cold time of each view of "How the zeros are made", computation plus figure (target < 2 s).

Run: OPENBLAS_NUM_THREADS=1 python benchmarks/optimizers_speed.py

Each view is timed as its page builds it on a cache miss (the first call in
this process, imports done): the library call and the figure.  Part 1 is the
figure with both sliders (12 λ x 61 z) as the page draws it.  The load
average is printed because 6 other processes may share the 2 cores.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

import numpy as np  # noqa: E402

from regviz import datasets  # noqa: E402
from regviz import geometry as geo  # noqa: E402
from regviz import optimizers as opt  # noqa: E402
from regviz import tradeoff as tr  # noqa: E402
from regviz.data import design_matrix  # noqa: E402
from regviz.figures import optimizers as fo  # noqa: E402
from regviz.figures.style import Style  # noqa: E402
from regviz.penalties import L1  # noqa: E402
from regviz.preprocessing import prepare  # noqa: E402
from regviz.solvers import lambda_max  # noqa: E402

TARGET = 2.0
STYLE = Style()


def shrink_view():
    fo.shrinkage_figure(np.arange(0.25, 3.0001, 0.25), 0.5, np.linspace(-3, 3, 61), 3, 40,
                        STYLE).to_dict()


def race_view():
    problem = geo.problem_of(geo.make_data(np.array([2.0, 0.4]), 0.6, 0.5))
    r = opt.race(problem, 0.5 * lambda_max(problem, L1()), start=(0.0, 1.5), steps=40)
    fo.optimizer_figure(r.runs, r.exact, r.contours, STYLE).to_dict()


def speed_view():
    tables = {}
    for key in datasets.BUILTIN:
        ds = datasets.load(key, 0)
        d = design_matrix(ds.frame, ds.target)
        tables[key] = opt.speed_table(prepare(d.X, d.y))
    fo.speed_figure(tables, STYLE).to_dict()


def tradeoff_view():
    truth = tr.make_truth("sparse")
    results = [tr.bias_variance(truth, pen, reps=100) for pen in ("l1", "l2")]
    fo.bias_variance_figure(results, STYLE).to_dict()


def test_view(penalty: str):
    def run():
        result = tr.tune_on_test(tr.make_truth("sparse"), penalty, reps=40, n_lams=20)
        fo.tune_figure(result, STYLE).to_dict()
    return run


VIEWS = [("1 one coefficient", shrink_view), ("2 four optimizers", race_view),
         (f"3 is L1 slower ({len(datasets.BUILTIN)} tables)", speed_view),
         ("4 what λ buys (L1 + L2)", tradeoff_view),
         ("5 test set, L2 (default)", test_view("l2")), ("5 test set, L1", test_view("l1"))]


def main() -> None:
    print(f"load average {os.getloadavg()[0]:.2f}, "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}")
    for name, view in VIEWS:
        began = time.perf_counter()
        view()
        cold = time.perf_counter() - began
        verdict = "ok" if cold < TARGET else f"OVER {TARGET:g} s"
        print(f"{name:30s} cold {cold:6.2f} s  {verdict}")


if __name__ == "__main__":
    main()
