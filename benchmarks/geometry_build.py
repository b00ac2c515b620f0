"""How long the geometry page's four figures take to build, and what JSON they make.

Run: python benchmarks/geometry_build.py [--seeds 6] [--repo PATH]

Builds the constraint, comparison, 3-D and Lq figures as the page's workers do
(``regviz.figures.spec.spec_and_json``: the figure, its dict and its JSON) for
``--seeds`` simulations, in the default style and presenting in the dark, and
prints each figure's mean build time over all but the first seed (the first
pays plotly's lazy imports) and a hash of every JSON text.  ``--repo`` times
another checkout (a worktree of an older commit) in this same script, so two
commits can be compared run by run; equal hashes mean byte-identical figures.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from functools import partial
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=6)
    parser.add_argument("--repo", default=str(Path(__file__).resolve().parents[1]))
    args = parser.parse_args()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    sys.path.insert(0, args.repo)
    import numpy as np

    from regviz import geometry as geo
    from regviz.figures import geometry as gfig
    from regviz.figures.spec import spec_and_json
    from regviz.figures.style import DEFAULT, Style

    digest, seconds = hashlib.sha256(), {}
    for seed in range(1, args.seeds + 1):
        for style in (DEFAULT, Style(scale=1.4, dark=True)):
            data = geo.make_data(np.array([2.0, 0.7]), 0.5, 0.5, seed=seed)
            problem = geo.problem_of(data)
            ts = np.linspace(0.0, float(geo.reach(geo.ols(problem), 1.0)), 31)
            sweeps = [geo.sweep(problem, pen, ts, a)
                      for pen, a in (("l1", 1.0), ("l2", 0.0), ("elasticnet", 0.5))]
            data3 = geo.make_data(np.array([2.0, 0.7, 0.4]), 0.45, 0.5, seed=seed)
            problem3 = geo.problem_of(data3)
            ts3 = np.linspace(0.0, float(geo.reach(geo.ols(problem3), 0.0)), 11)
            sweeps3 = [geo.sweep(problem3, pen, ts3, a) for pen, a in (("l1", 1.0), ("l2", 0.0))]
            ts21 = np.linspace(0.0, float(geo.reach(geo.ols(problem), 1.0)), 21)
            points = geo.lq_sweep(problem, ts21)
            builds = {
                "constraint": partial(gfig.constraint_figure, data, sweeps[0], ts, style,
                                      gfig.default_start(ts)),
                "comparison": partial(gfig.comparison_figure, data, sweeps, ts, style,
                                      gfig.default_start(ts)),
                "3-D": partial(gfig.figure_3d, data3, sweeps3, ts3, style,
                               gfig.default_start(ts3)),
                "Lq": partial(gfig.lq_figure, data, points, ts21, geo.LQ_VALUES, style,
                              gfig.default_start(ts21)),
            }
            for name, build in builds.items():
                start = time.perf_counter()
                text = spec_and_json(build)[1]
                if seed > 1:
                    seconds.setdefault(name, []).append(time.perf_counter() - start)
                digest.update(text.encode())
    means = {name: 1000 * sum(v) / len(v) for name, v in seconds.items()}
    print(f"{args.repo}: " + ", ".join(f"{name} {ms:.0f} ms" for name, ms in means.items())
          + f"; all four {sum(means.values()):.0f} ms; JSON sha256 {digest.hexdigest()[:16]}")


if __name__ == "__main__":
    main()
