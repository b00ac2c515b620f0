"""Time regviz.logistic.logistic_path against scikit-learn's LogisticRegression, warm-started.

Run: OPENBLAS_NUM_THREADS=1 python benchmarks/logistic_speed.py [--penalties l1,l2,en]
     [--shapes 569x30,1000x100] [--repeats 1]

Both sides solve mean log-loss + lam*P(w) on the same grid (regviz's default:
lambda_max down to 1e-3 of it, 1e-2 when p >= n; cut where the classes
separate).  scikit-learn gets the standardized design made before its clock
starts and one LogisticRegression(warm_start=True, tol=1e-8) refitted down
the grid with C and l1_ratio from regviz.datafits.Logistic.sklearn_equivalent:
liblinear for L1 (which penalizes the intercept: with intercept_scaling=100 the intercept's
condition is off by up to lambda/100; a larger scaling slows it badly), lbfgs
for L2, saga for elastic net.  regviz gets the raw X and standardizes inside
its clock.  Times are process CPU seconds (one BLAS
thread).  The KKT columns are the worst relative KKT residual over the grid
of each method's solutions, measured by one function on the standardized
design.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from regviz.datafits import Logistic, sigmoid  # noqa: E402
from regviz.logistic import logistic_path  # noqa: E402
from regviz.penalties import make_penalty  # noqa: E402

SHAPES = [(569, 30), (1000, 100), (10000, 50), (200, 1000)]
PENALTIES = {"l1": ("l1", 1.0, "liblinear"), "l2": ("l2", 0.0, "lbfgs"),
             "en": ("elasticnet", 0.5, "saga")}


def make_data(n: int, p: int, seed: int = 0):
    """Breast cancer for 569 x 30; otherwise correlated columns in mixed units, sparse truth."""
    if (n, p) == (569, 30):
        from sklearn.datasets import load_breast_cancer

        return load_breast_cancer(return_X_y=True)
    rng = np.random.default_rng(seed)
    base = rng.standard_normal((n, p)) + 0.5 * rng.standard_normal((n, 1))
    w = np.zeros(p)
    k = min(10, p)
    w[rng.choice(p, k, replace=False)] = rng.standard_normal(k)
    y = (rng.random(n) < sigmoid(base @ w)).astype(float)
    X = base * rng.uniform(0.5, 20, p) + rng.uniform(-5, 5, p)
    return X, y


def kkt(Z, y, V, B, lams, pen) -> tuple[float, float]:
    """Worst relative KKT residual over the grid: (coefficients, intercept), kept apart
    because liblinear penalizes the intercept and so solves a slightly different problem."""
    n = len(y)
    scale = max(float(np.max(np.abs(Z.T @ (y - y.mean())))) / n, 1e-12)
    coef = intercept = 0.0
    for v, b, lam in zip(V, B, lams, strict=True):
        r = sigmoid(b + Z @ v) - y
        coef = max(coef, float(pen.subdiff_distance(v, Z.T @ r / n, lam).max()))
        intercept = max(intercept, abs(float(r.mean())))
    return coef / scale, intercept / scale


def sklearn_path(Z, y, lams, pen, solver):
    model = LogisticRegression(solver=solver, tol=1e-8, warm_start=True, max_iter=10_000,
                               intercept_scaling=100.0 if solver == "liblinear" else 1.0)
    V, B = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for lam in lams:
            kw = Logistic().sklearn_equivalent(pen, float(lam), len(y))[1]
            model.set_params(C=kw["C"], l1_ratio=kw["l1_ratio"])
            model.fit(Z, y)
            V.append(model.coef_[0].copy())
            B.append(float(model.intercept_[0]))
    return np.array(V), np.array(B)


def cpu(fn):
    t = time.process_time()
    out = fn()
    return time.process_time() - t, out


def run(n, p, key, repeats):
    name, a, solver = PENALTIES[key]
    pen = make_penalty(name, a)
    X, y = make_data(n, p)
    mu, sd = X.mean(axis=0), X.std(axis=0)
    Z = (X - mu) / sd
    t_ours = min(cpu(lambda: logistic_path(X, y, penalty=name, l1_ratio=a))[0]
                 for _ in range(repeats))
    path = logistic_path(X, y, penalty=name, l1_ratio=a)
    t_sk, (Vs, Bs) = cpu(lambda: sklearn_path(Z, y, path.lams, pen, solver))
    V = path.coefs * sd
    B = path.intercepts + path.coefs @ mu
    ours, theirs = kkt(Z, y, V, B, path.lams, pen), kkt(Z, y, Vs, Bs, path.lams, pen)
    print(f"{n:>6} x {p:<5} {key:<3} {solver:<9} {len(path.lams):>4} "
          f"{t_ours:8.3f} {t_sk:8.3f} {t_ours / t_sk:6.2f} "
          f"{ours[0]:9.1e} {theirs[0]:9.1e} {ours[1]:9.1e} {theirs[1]:9.1e}"
          + ("  (stopped: separable)" if path.stopped else ""), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--penalties", default="l1", help="comma list of l1, l2, en")
    parser.add_argument("--shapes", default=",".join(f"{n}x{p}" for n, p in SHAPES))
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    print(f"{'shape':<14} {'pen':<3} {'sklearn':<9} {'lams':>4} {'regviz s':>8} "
          f"{'sklearn s':>8} {'ratio':>6} {'KKT w ours':>9} {'KKT w skl':>9} {'KKT b ours':>9} "
          f"{'KKT b skl':>9}")
    for shape in args.shapes.split(","):
        n, p = (int(x) for x in shape.split("x"))
        for key in args.penalties.split(","):
            run(n, p, key, args.repeats)


if __name__ == "__main__":
    main()
