"""Time regviz.paths.explore against LassoCV / ElasticNetCV on real-sized tables.

Run: OPENBLAS_NUM_THREADS=1 python benchmarks/scale.py [--quick] [--cap 60] [--shapes 1000x300,...]

explore is everything the paths page computes on a cache miss: a train/test
split, the exact path on a 60-lambda grid, exact entry lambdas, 5-fold CV on
the same grid and least squares.  scikit-learn gets its defaults (100
alphas, tol 1e-4) in a pipeline with StandardScaler, cv=5; elastic net is
a = 0.5 here, l1_ratio = 0.5 there (both defaults).  One process, one BLAS
thread, imports not timed, CPU time of the process (``time.process_time``).
The data: 10 true features, one correlated pair (r = 0.95), columns in
mixed units.

Beside each time: the floor.  ``gram`` is one pass over X (X'X); ``knots``
the status changes along the training path (each one a knot the entry walk
must find: for L1 the homotopy's knots, for elastic net the status changes
between grid points); ``ms/knot`` the time per knot (L1: the homotopy path's,
elastic net: the entry walk's); ``paths`` the six exact grid paths (train +
5 folds, estimated as six times the training path).  Elastic net also shows
``solves`` (the training path's O(k^3) factorizations: about one per grid
point is that route's floor) with ``ms/solve``, and ``eighs`` (the entry
walk's eigendecompositions) with ``ms/eigh``.  A shape whose explore time is
above scikit-learn's shows where it goes.  ``--cap`` skips a method on larger
shapes once one of its runs took longer than the cap (seconds).
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

SHAPES = [(442, 10), (1000, 100), (1000, 300), (2000, 600), (300, 1000), (2500, 1000),
          (200000, 50)]
QUICK = [(442, 10), (1000, 100), (1000, 300), (300, 1000), (200000, 50)]


def make_data(n: int, p: int, seed: int = 0):
    """n x p: a correlated pair (r ~ 0.95), 10 true features, noise; mixed column units."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    if p >= 2:
        X[:, 1] = 0.95 * X[:, 0] + np.sqrt(1 - 0.95**2) * X[:, 1]
    X = X * rng.uniform(0.5, 20, p) + rng.uniform(-5, 5, p)
    w = np.zeros(p)
    k = min(10, p)
    w[:k] = rng.choice([-1.0, 1.0], k) * rng.uniform(1.0, 3.0, k)
    Z = (X - X.mean(0)) / X.std(0)
    y = Z @ w + rng.standard_normal(n) * 2.0
    return X, y


def timed(fn):
    """(CPU seconds of this process, result): with one BLAS thread that is the wall time
    of a quiet machine, and it stays honest when other work shares the cores."""
    t = time.process_time()
    out = fn()
    return time.process_time() - t, out


def sklearn_cv(X, y, penalty: str) -> float:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import ElasticNetCV, LassoCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    est = LassoCV(cv=5) if penalty == "l1" else ElasticNetCV(cv=5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return timed(lambda: make_pipeline(StandardScaler(), est).fit(X, y))[0]


class _Counted:
    """Wrap a function: count its calls and their CPU time (the floors' unit costs)."""

    def __init__(self, fn):
        self.fn, self.calls, self.seconds = fn, 0, 0.0

    def __call__(self, *args, **kwargs):
        t = time.process_time()
        try:
            return self.fn(*args, **kwargs)
        finally:
            self.calls += 1
            self.seconds += time.process_time() - t

    @property
    def each(self) -> float:
        return self.seconds / max(self.calls, 1)


def floor_parts(X, y, penalty: str) -> dict:
    """Where explore's time goes: the Gram pass, the six grid paths, the entry walk per knot.

    Elastic net also counts its unit costs: the grid paths' factorizations (one
    O(k^3) solve per grid point is that route's floor) and the entry walk's
    eigendecompositions.
    """
    from regviz import enet_path
    from regviz.api import default_grid, entry_lambdas_on, path_and_knots
    from regviz.penalties import make_penalty
    from regviz.preprocessing import pooled, problem_from_moments, row_blocks
    from regviz.selection import kfold

    pen = make_penalty(penalty, 0.5)
    t_gram = timed(lambda: X.T @ X)[0]
    folds = kfold(len(y), 5, 0)
    parts = row_blocks(X, y, [te for _, te in folds])
    problem = problem_from_moments(pooled(parts))
    grid = default_grid(problem, pen, 60)
    solves, eighs = _Counted(enet_path.factor_solve), _Counted(np.linalg.eigh)
    enet_path.factor_solve, np.linalg.eigh = solves, eighs
    try:
        t_path, (fitted, found) = timed(lambda: path_and_knots(problem, pen, grid))
        path_solves = (solves.calls, solves.each)
        t_entry = timed(lambda: entry_lambdas_on(problem, pen, grid, fitted.std_coefs,
                                                 found))[0]
    finally:
        enet_path.factor_solve, np.linalg.eigh = solves.fn, eighs.fn
    if pen.a == 1.0 and found is None:
        print("  (the L1 homotopy fell back to the active set on this shape)")
    if found is not None:  # L1: the homotopy's knots, found while solving the path
        knots, per_knot = len(found), t_path / max(len(found), 1)
    else:  # elastic net: status changes between grid points, each found by the entry walk
        knots = int(np.count_nonzero(np.diff(np.sign(fitted.std_coefs), axis=0)))
        per_knot = t_entry / max(knots, 1)
    return {"gram": t_gram, "paths": 6 * t_path, "knots": knots, "per_knot": per_knot,
            "solves": path_solves[0], "per_solve": path_solves[1], "eighs": eighs.calls,
            "per_eigh": eighs.each}


def slope(ps, ts) -> float:
    """Least-squares slope of log t against log p (nan with fewer than two points)."""
    ok = [(p, t) for p, t in zip(ps, ts, strict=True) if t is not None and t > 0]
    if len({p for p, _ in ok}) < 2:
        return float("nan")
    lp, lt = np.log([p for p, _ in ok]), np.log([t for _, t in ok])
    return float(np.polyfit(lp, lt, 1)[0])


def run(penalty: str, shapes, cap: float) -> None:
    from regviz.paths import explore

    label = "L1 vs LassoCV(cv=5)" if penalty == "l1" else "elastic net a=0.5 vs ElasticNetCV(cv=5)"
    print(f"\n{label}")
    print(f"{'shape':>11} {'explore s':>10} {'sklearn s':>10} {'ratio':>6} {'gram ms':>8} "
          f"{'paths s':>8} {'knots':>6} {'ms/knot':>8}"
          + ("" if penalty == "l1" else f" {'solves':>6} {'ms/solve':>8} {'eighs':>5} "
             f"{'ms/eigh':>7}"))
    capped = {"explore": False, "sklearn": False}
    ps, t_ex, t_sk = [], [], []
    for n, p in shapes:
        X, y = make_data(n, p)
        names = [f"x{j}" for j in range(p)]
        ex = sk = None
        if not capped["explore"]:
            ex = timed(lambda X=X, y=y, names=names: explore(
                X, y, names, penalty=penalty, l1_ratio=0.5))[0]
            capped["explore"] = ex > cap
        if not capped["sklearn"]:
            sk = sklearn_cv(X, y, penalty)
            capped["sklearn"] = sk > cap
        parts = floor_parts(X, y, penalty) if ex is not None else None
        ps.append(p)
        t_ex.append(ex)
        t_sk.append(sk)
        fmt = lambda t: f"{t:10.3f}" if t is not None else f"{'capped':>10}"  # noqa: E731
        ratio = f"{ex / sk:6.2f}" if ex is not None and sk is not None else f"{'-':>6}"
        floor = (f"{parts['gram'] * 1e3:8.1f} {parts['paths']:8.3f} {parts['knots']:6d} "
                 f"{parts['per_knot'] * 1e3:8.2f}") if parts else ""
        if parts and penalty != "l1":
            floor += (f" {parts['solves']:6d} {parts['per_solve'] * 1e3:8.2f} "
                      f"{parts['eighs']:5d} {parts['per_eigh'] * 1e3:7.1f}")
        print(f"{f'{n}x{p}':>11} {fmt(ex)} {fmt(sk)} {ratio} {floor}", flush=True)
    print(f"log-log slope of time against p: explore {slope(ps, t_ex):.2f}, "
          f"scikit-learn {slope(ps, t_sk):.2f}")


def parse_shapes(text: str):
    return [tuple(int(v) for v in part.split("x")) for part in text.split(",") if part]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="five shapes that fit in minutes")
    parser.add_argument("--cap", type=float, default=60.0, help="seconds; skip larger shapes")
    parser.add_argument("--shapes", type=parse_shapes, default=None, help="e.g. 1000x300,300x1000")
    parser.add_argument("--penalty", choices=["l1", "elasticnet", "both"], default="both")
    args = parser.parse_args()
    shapes = args.shapes or (QUICK if args.quick else SHAPES)
    import sklearn.linear_model  # noqa: F401

    import regviz.paths  # noqa: F401  (imports not timed)

    for penalty in ("l1", "elasticnet"):
        if args.penalty in (penalty, "both"):
            run(penalty, shapes, args.cap)


if __name__ == "__main__":
    main()
