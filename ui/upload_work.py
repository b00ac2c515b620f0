"""The lessons' computations on an uploaded table, step by step, for ``offload.private``.

Each function is the same computation the page would run in one call, split at
its natural steps so that the child process can report which one it is on
(``progress(step, fraction)``; the page's status line shows it).  The results are
identical to the one-call versions: the steps are the pieces those functions are
made of, called in the same order on the same inputs.

No Streamlit here: the child processes import this module (the forkserver
preloads it), and a child must start fast.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from regviz import experiments as ex
from regviz import geometry_logistic as glog
from regviz import house
from regviz import optimizers as opt
from regviz.preprocessing import prepare

Progress = Callable[[str, float], None]


def _quiet(step: str, fraction: float) -> None:
    """No status line to report to (computed in the server process)."""


def house_lesson(X: np.ndarray, y: np.ndarray, names: list[str], target: str, seed: int,
                 progress: Progress | None = None) -> tuple[house.Comparison, house.Scaling]:
    """``house.your_lesson``: junk columns, L1 and L2 with CV, then the unstandardized refit."""
    report = progress or _quiet
    report("adding the four junk columns", 0.0)
    data = house.with_junk(X, y, names, target, seed)
    report("fitting L1 and L2 paths with 5-fold cross-validation", 0.1)
    comparison = house.compare(data)
    report("refitting L1 without standardization", 0.8)
    return comparison, house.scaling(comparison)


def house_overfit(X: np.ndarray, y: np.ndarray, names: list[str], target: str, seed: int,
                  n_train: int, progress: Progress | None = None) -> house.Overfit:
    """``house.your_overfit``: products of the features plus junk, fitted on few rows."""
    report = progress or _quiet
    report("adding the four junk columns", 0.0)
    data = house.with_junk(X, y, names, target, seed)
    report(f"building products of features and fitting them on {n_train} rows", 0.2)
    return house.overfit(data, n_train)


def zeros_and_sizes(X: np.ndarray, y: np.ndarray, a: float, standardize: bool,
                    progress: Progress | None = None):
    """The sparsity lab's first tab: exact zeros along λ, then sizes at equal training error."""
    report = progress or _quiet
    report("counting exact zeros along λ for L1, L2 and elastic net", 0.0)
    counts = ex.zeros_vs_lambda(X, y, l1_ratio=a, standardize=standardize)
    report("finding the λ of equal training error for each penalty", 0.3)
    return counts, ex.matched_magnitudes(X, y, l1_ratio=a, standardize=standardize)


def speed_rows(X: np.ndarray, y: np.ndarray,
               progress: Progress | None = None) -> list[opt.SpeedRow]:
    """``opt.speed_table`` on the table, one penalty level at a time (its rows are per level)."""
    report = progress or _quiet
    report("standardizing", 0.0)
    problem = prepare(X, y)
    rows: list[opt.SpeedRow] = []
    for i, (name, fraction) in enumerate(opt.LEVELS):
        report(f"timing L1 and L2 at {fraction:g} of λ_max", (i + 1) / (len(opt.LEVELS) + 1))
        rows += opt.speed_table(problem, levels=((name, fraction),))
    return rows


def logistic_pair_setup(X2: np.ndarray, y: np.ndarray) -> tuple:
    """The geometry page's logistic view of two columns: (Z, y01, λ grid, default index)."""
    Z, y01, _classes = glog.standardized_pair(X2, y)
    lams = glog.lambda_grid(Z, y01)
    return Z, y01, lams, glog.default_index(Z, y01, lams)
