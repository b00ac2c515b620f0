"""What the simulated students ask for: views of the lesson pages as query strings.

A view names every parameter (dataset, penalty, l1_ratio, lambda index,
standardization, seed, sparsity lab tab), so it means the same in any session;
``--views N`` draws all actions from one shared pool of N such views.
"""

from __future__ import annotations

import random

from ui import warmup

# The app's background warm-up (ui/warmup.py) opens views over these same lists, so with
# it finished every view drawn here is a cache hit (seeds 0..2, the default --seeds 3).
DATASETS = list(warmup.DATASETS)
PENALTIES = list(warmup.PENALTIES)
L1_RATIOS = sorted(warmup.L1_RATIOS)
LAM_INDICES = [-1, 0, 10, 25, 40]      # -1: the page's default (lambda_1se)
STD_FLAGS = ["1", "1", "1", "0"]       # mostly standardized, as taught
LABS = list(warmup.LABS)  # sparsity lab tabs (other pages ignore lab=)
BROWSER_VIEW = "dataset=house_prices&penalty=l1&std=1&seed=0&lam=-1"


# --------------------------------------------------------------------------- views


def random_view(rng: random.Random, n_seeds: int, previous: str | None) -> str:
    """A query string for a view different from ``previous``."""
    view = previous or ""
    for _ in range(50):
        penalty = rng.choice(PENALTIES)
        # Every parameter is spelled out (l1_ratio too: the sparsity lab's contest uses it
        # whatever the penalty), so a view means the same in any session, whatever the
        # session asked for before: a prepared view is then a cache hit for everyone.
        parts = [f"dataset={rng.choice(DATASETS)}", f"penalty={penalty}",
                 f"a={rng.choice(L1_RATIOS)}",
                 f"lam={rng.choice(LAM_INDICES)}", f"std={rng.choice(STD_FLAGS)}",
                 f"seed={rng.randrange(n_seeds)}", f"lab={rng.choice(LABS)}"]
        view = "&".join(parts)
        if view != previous:
            break
    return view


def view_pool(n_views: int, n_seeds: int, seed: int) -> list[str]:
    """``n_views`` distinct views, the same for every session (a class following along)."""
    rng = random.Random(seed + 7919)
    pool: list[str] = []
    for _ in range(n_views * 50):
        if len(pool) == n_views:
            break
        view = random_view(rng, n_seeds, None)
        if view not in pool:
            pool.append(view)
    return pool


def next_view(rng: random.Random, args, previous: str | None) -> str:
    if not args.pool:
        return random_view(rng, args.seeds, previous)
    choices = [v for v in args.pool if v != previous] or args.pool
    return rng.choice(choices)


def view_space(n_seeds: int) -> int:
    penalties = len(PENALTIES) * len(L1_RATIOS)
    return (len(DATASETS) * penalties * len(LAM_INDICES) * len(set(STD_FLAGS)) * n_seeds
            * len(LABS))


def views_line(n_seeds: int, pool: list[str]) -> str:
    """One line on the views: how many exist, and whether actions share a pool."""
    space = (f"{len(DATASETS)} datasets x {len(PENALTIES)} penalties x {len(L1_RATIOS)} "
             f"l1_ratios x {len(LAM_INDICES)} lambda indices x 2 std x {n_seeds} seeds = "
             f"{view_space(n_seeds)} distinct views")
    if pool:
        return f"views: a shared pool of {len(pool)} drawn from {space}"
    return f"views: each action a random view of {space} (mostly cache misses)"
