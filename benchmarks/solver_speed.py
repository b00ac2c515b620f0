"""Time regviz.path against scikit-learn's lasso_path / enet_path on the same grid.

Run: python -m benchmarks.solver_speed [--repeats 5]

scikit-learn gets a standardized, centred copy of the data made before its
clock starts (its path functions do not standardize); regviz gets the raw X
and does its own standardization inside the timed call.  Both use the same
100-lambda grid (glmnet's: lambda_max down to 1e-3 of it, 1e-2 when p > n,
converted to scikit-learn's alpha), and scikit-learn runs at tol=1e-10.
The KKT columns are the worst relative KKT residual over the grid for each
method, measured by one shared function.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import enet_path, lasso_path

import regviz
from regviz.penalties import make_penalty
from regviz.preprocessing import prepare
from regviz.solvers import kkt_residuals  # noqa: E402

SHAPES = [(442, 10), (1000, 50), (10000, 100), (100000, 50), (200, 1000)]


def make_data(n: int, p: int, seed: int = 0):
    """Correlated design, sparse truth, noise; diabetes-like for 442 x 10."""
    rng = np.random.default_rng(seed)
    if (n, p) == (442, 10):
        from sklearn.datasets import load_diabetes

        X, y = load_diabetes(return_X_y=True, scaled=False)
        return X, y
    base = rng.standard_normal((n, p))
    X = base + 0.5 * rng.standard_normal((n, 1))  # shared factor: correlation ~0.2
    X = X * rng.uniform(0.5, 20, p) + rng.uniform(-5, 5, p)
    w = np.zeros(p)
    k = min(10, p)
    w[rng.choice(p, k, replace=False)] = rng.standard_normal(k) * 3
    y = X @ w + rng.standard_normal(n) * 5
    return X, y


def best_of(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def run(penalty: str, l1_ratio: float, repeats: int) -> None:
    pen = make_penalty(penalty, l1_ratio)
    print(f"\n{penalty} (a={pen.a:g}), 100 lambdas, best of {repeats}")
    print(f"{'shape':>12} {'regviz ms':>10} {'sklearn ms':>11} {'ratio':>6} "
          f"{'X.T@X ms':>9} {'KKT regviz':>11} {'KKT sklearn':>12}")
    for n, p in SHAPES:
        X, y = make_data(n, p)
        # glmnet's grid for both: lambda_max down to eps * lambda_max (eps 1e-2 when p > n).
        top = regviz.lambda_max(X, y, penalty=penalty, l1_ratio=l1_ratio)
        lams = np.geomspace(top, top * (1e-3 if n > p else 1e-2), 100)
        res = regviz.path(X, y, penalty=penalty, l1_ratio=l1_ratio, lams=lams)
        Z = (X - X.mean(0)) / X.std(0)
        yc = y - y.mean()
        name, _ = regviz.sklearn_equivalent(penalty, 1.0, l1_ratio, n)
        if name == "Lasso":
            def sk(Z=Z, yc=yc, lams=lams):
                return lasso_path(Z, yc, alphas=lams / 2, tol=1e-10, max_iter=100_000)
        else:
            alphas = lams * (1 - pen.a / 2)
            ratio = pen.a / (2 - pen.a)

            def sk(Z=Z, yc=yc, alphas=alphas, ratio=ratio):
                return enet_path(Z, yc, alphas=alphas, l1_ratio=ratio, tol=1e-10,
                                 max_iter=100_000)

        t_reg = best_of(lambda X=X, y=y, lams=lams: regviz.path(
            X, y, penalty=penalty, l1_ratio=l1_ratio, lams=lams), repeats)
        t_sk = best_of(sk, max(1, repeats if n * p < 1e6 else 2))
        t_gram = best_of(lambda X=X: X.T @ X, repeats)
        sk_coefs = sk()[1].T
        problem = prepare(X, y)
        kkt_sk = kkt_residuals(problem, pen, lams, sk_coefs).max()
        print(f"{f'{n}x{p}':>12} {t_reg * 1e3:10.1f} {t_sk * 1e3:11.1f} {t_reg / t_sk:6.2f} "
              f"{t_gram * 1e3:9.1f} {res.kkt.max():11.1e} {kkt_sk:12.1e}")


def main() -> None:
    warnings.simplefilter("ignore", ConvergenceWarning)  # sklearn's; its KKT column tells
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    run("l1", 1.0, args.repeats)
    run("elasticnet", 0.5, args.repeats)


if __name__ == "__main__":
    main()
