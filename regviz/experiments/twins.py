"""Experiment 4: correlated twins, refitted on many resamples.

λ is chosen once per penalty by 5-fold cross-validation on the whole sample;
then each penalty is refitted at its λ on many resamples: bootstrap samples
of the rows (any data set, an upload too) or, for the simulation, fresh
samples from the same population.  The two answer different questions: a
bootstrap asks how stable the choice is given *this* sample, which leans
towards the twin this sample happens to favour; fresh samples ask what a
new study would pick, which by symmetry is a coin toss.  How often each
feature is kept (w != 0 exactly), and how much its coefficient jumps, shows
L1's arbitrary choice between near-copies and L2's steady split.
Coefficients are reported per standard deviation of the feature (in the
whole sample), so features in different units compare.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from regviz.api import default_grid, fit
from regviz.errors import DataError
from regviz.experiments._common import (
    PENALTIES,
    PenaltyParts,
    check_count,
    check_positive,
    read_only,
)
from regviz.penalties import make_penalty
from regviz.preprocessing import check_xy, prepare
from regviz.selection import cross_validate

LABELS = {"l1": "L1", "l2": "L2", "elasticnet": "elastic net"}


@dataclass(frozen=True)
class Bootstrap:
    """Per penalty: the λ used and the (n_boot, p) coefficients per sd of each feature."""

    feature_names: list[str]
    lams: dict[str, float]
    effects: dict[str, np.ndarray]
    pair: tuple[int, int]  # the two most correlated features
    pair_corr: float
    rule: str
    l1_ratio: float
    fresh: bool = False

    @property
    def n_boot(self) -> int:
        return next(iter(self.effects.values())).shape[0]

    def frequency(self, penalty: str) -> np.ndarray:
        """Share of resamples in which each feature's coefficient is not exactly zero."""
        return (self.effects[penalty] != 0.0).mean(axis=0)

    def pair_outcomes(self, penalty: str) -> dict[str, float]:
        """Shares of resamples keeping only the first twin, only the second, both, neither."""
        kept = self.effects[penalty][:, list(self.pair)] != 0.0
        a, b = kept[:, 0], kept[:, 1]
        first, second = (self.feature_names[j] for j in self.pair)
        return {f"only {first}": float((a & ~b).mean()), f"only {second}": float((~a & b).mean()),
                "both": float((a & b).mean()), "neither": float((~a & ~b).mean())}

    def caption(self) -> str:
        i, j = self.pair
        first, second = self.feature_names[i], self.feature_names[j]
        parts = []
        for pen in self.effects:
            freq = self.frequency(pen)
            sd = self.effects[pen][:, [i, j]].std(axis=0)
            out = self.pair_outcomes(pen)
            parts.append(
                f"{LABELS[pen]} keeps {first} in {freq[i]:.0%} and {second} in {freq[j]:.0%} of "
                f"them (both {out['both']:.0%}, only one "
                f"{out[f'only {first}'] + out[f'only {second}']:.0%}); "
                f"their coefficients vary by sd {sd[0]:.2f} and {sd[1]:.2f}"
            )
        kind = "fresh samples" if self.fresh else "bootstrap resamples"
        return (
            f"{self.n_boot} {kind}; {first} and {second} correlate at "
            f"{self.pair_corr:.2f}; each penalty at its λ_{self.rule} from 5-fold CV. "
            + "; ".join(parts) + "."
        )


def most_correlated_pair(X: np.ndarray) -> tuple[tuple[int, int], float]:
    """The two columns with the largest absolute correlation, and that correlation."""
    sd = X.std(axis=0)
    if X.shape[1] < 2 or np.count_nonzero(sd > 0) < 2:
        raise DataError("The twins experiment needs at least two non-constant features.")
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = np.corrcoef(X, rowvar=False)
    corr = np.nan_to_num(corr)
    np.fill_diagonal(corr, 0.0)
    i, j = np.unravel_index(int(np.argmax(np.abs(corr))), corr.shape)
    i, j = sorted((int(i), int(j)))
    return (i, j), float(corr[i, j])


TWIN_NAMES = ["height", "weight", "age", "noise_1", "noise_2"]


def resamples_for(n: int, p: int, most: int = 200, least: int = 20) -> int:
    """How many resamples keep one run near a second: each refit costs about n·p² to prepare.

    Measured: 20 refits (with CV) of a 20,000 x 30 table take 0.85 s here, 200 of the
    100 x 5 twins 0.5 s.
    """
    return int(np.clip(2e8 / (max(n, 1) * max(p, 1) * max(p, 10)), least, most))


def twins_sampler(n: int = 100, rho: float = 0.99, noise: float = 2.0,
                  effect: float = 1.0) -> Callable[[np.random.Generator], tuple]:
    """Twins correlated at ``rho``, each adding ``effect``; age adds 1; two noise columns.

    Returns ``draw(rng) -> (X, y)``, one fresh sample of ``n`` rows per call.
    """
    n = check_count(n, "The number of rows n", 20, 100_000)
    noise = check_positive(noise, "The noise sd")
    effect = float(effect)
    if not 0.0 <= rho < 1.0:
        raise DataError(f"The twins' correlation must be in [0, 1), got {rho!r}.")

    def draw(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        height = rng.standard_normal(n)
        weight = rho * height + np.sqrt(1.0 - rho**2) * rng.standard_normal(n)
        others = rng.standard_normal((n, 3))
        X = np.column_stack([height, weight, others])
        y = effect * (height + weight) + others[:, 0] + rng.normal(0.0, noise, n)
        return X, y

    return draw


def bootstrap_selection(X, y, feature_names: list[str], *, n_boot: int = 200,
                        l1_ratio: float = 0.5, rule: str = "1se", standardize: bool = True,
                        seed: int = 0, draw: Callable | None = None) -> Bootstrap:
    """Refit L1, L2 and elastic net on ``n_boot`` resamples, each at its CV-chosen λ.

    Resamples are bootstrap samples of (X, y), or fresh samples from ``draw``
    (a population such as ``twins_sampler``) when it is given.
    """
    X, y = check_xy(X, y)
    n_boot = check_count(n_boot, "The number of resamples", 10, 5_000)
    if rule not in ("1se", "min"):
        raise DataError(f"rule must be '1se' or 'min', got {rule!r}.")
    if len(feature_names) != X.shape[1]:
        raise DataError("There must be one feature name per column of X.")
    parts = _penalty_parts(X, y, PENALTIES, n_boot=n_boot, l1_ratio=l1_ratio, rule=rule,
                           standardize=standardize, seed=seed, draw=draw)
    return _assembled(X, feature_names, parts, rule, l1_ratio, fresh=draw is not None)


def _assembled(X: np.ndarray, feature_names, parts: dict[str, tuple[float, np.ndarray]],
               rule: str, l1_ratio: float, fresh: bool) -> Bootstrap:
    pair, pair_corr = most_correlated_pair(X)
    return Bootstrap(list(feature_names), {name: lam for name, (lam, _) in parts.items()},
                     {name: effects for name, (_, effects) in parts.items()}, pair, pair_corr,
                     rule, l1_ratio, fresh=fresh)


def _penalty_parts(X: np.ndarray, y: np.ndarray, names, *, n_boot: int, l1_ratio: float,
                   rule: str, standardize: bool, seed: int,
                   draw: Callable | None) -> dict[str, tuple[float, np.ndarray]]:
    """Per penalty in ``names``: (its CV λ, its (n_boot, p) effects on the resamples).

    The resamples come from the seed alone, drawn before any fit, so a penalty's part is
    the same computed alone or with the others.
    """
    problem = prepare(X, y, standardize=standardize)
    scale = X.std(axis=0)
    rng = np.random.default_rng(seed)
    if draw is None:
        rows = rng.integers(0, len(y), (n_boot, len(y)))
        samples = ((X[idx], y[idx]) for idx in rows)
    else:
        samples = (draw(rng) for _ in range(n_boot))
    samples = list(samples)
    parts = {}
    for name in names:
        grid = default_grid(problem, make_penalty(name, l1_ratio), 60)
        cv = cross_validate(X, y, penalty=name, lams=grid, l1_ratio=l1_ratio,
                            standardize=standardize, seed=seed)
        lam = cv.lambda_1se if rule == "1se" else cv.lambda_min
        coefs = np.array([_fit_or_zero(Xb, yb, name, lam, l1_ratio, standardize)
                          for Xb, yb in samples])
        parts[name] = (lam, coefs * scale)
    return parts


# The simulation's parts per setting (settings only, never a table's rows): moving elastic
# net's a refits elastic net alone.
_PARTS = PenaltyParts()


def simulated_twins(n: int = 100, *, rho: float = 0.99, noise: float = 2.0, fresh: bool = False,
                    l1_ratio: float = 0.5, seed: int = 0) -> Bootstrap:
    """The twins experiment on the simulation: one sample, then bootstrap or fresh resamples."""
    draw = twins_sampler(n, rho=rho, noise=noise)
    X, y = draw(np.random.default_rng(seed + 1_000_003))
    setting = (n, rho, noise, bool(fresh), seed)

    def compute(names: list[str]) -> dict[str, tuple[float, np.ndarray]]:
        parts = _penalty_parts(X, y, names, n_boot=200, l1_ratio=l1_ratio, rule="1se",
                               standardize=True, seed=seed, draw=draw if fresh else None)
        return {name: (lam, read_only(effects)) for name, (lam, effects) in parts.items()}

    found = _PARTS.each(PENALTIES, l1_ratio, setting, compute)
    return _assembled(X, TWIN_NAMES, found, "1se", l1_ratio, fresh=bool(fresh))


def _fit_or_zero(X, y, penalty, lam, l1_ratio, standardize) -> np.ndarray:
    """One resample's coefficients; a resample where a column came out constant keeps it at 0."""
    try:
        return fit(X, y, penalty=penalty, lam=lam, l1_ratio=l1_ratio,
                   standardize=standardize).coef
    except DataError:
        return np.zeros(X.shape[1])
