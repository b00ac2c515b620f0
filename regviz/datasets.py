"""Built-in data, all available offline and deterministic for a given seed.

* ``diabetes()``: the 442 x 10 diabetes data of the LARS paper (Efron,
  Hastie, Johnstone and Tibshirani, 2004), shipped as a CSV in the package.
* ``house_prices()``: a synthetic housing table with real features in their
  own units and junk features that cannot matter (mailbox colour, the
  previous owner's dog's name, a lottery number, the listing weekday).
* ``correlated_twins()``, ``sparse_truth()``, ``dense_truth()``: small
  simulations whose true coefficients are known, for the sparsity lessons.

Every loader returns a ``Dataset``: a DataFrame, the target column's name
and, where the truth is known, the true coefficients by column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Dataset:
    """A table, the column to predict, and what the lesson should say about it."""

    name: str
    frame: pd.DataFrame
    target: str
    description: str
    true_coef: dict[str, float] = field(default_factory=dict)
    junk: tuple[str, ...] = ()


def diabetes() -> Dataset:
    """Disease progression one year after baseline, from ten baseline measurements."""
    with resources.files("regviz.data_files").joinpath("diabetes.csv").open("rb") as fh:
        frame = pd.read_csv(fh)
    return Dataset(
        name="Diabetes (442 patients)",
        frame=frame,
        target="progression",
        description=(
            "Ten baseline measurements (age, sex, BMI, blood pressure, six blood serum "
            "values) of 442 diabetes patients and a measure of disease progression one "
            "year later. The classic data set of the LARS paper (Efron et al., 2004)."
        ),
    )


# Dollars per unit of each real feature; the junk columns have no effect at all.
HOUSE_EFFECTS = {
    "area_sqft": 110.0,  # per square foot
    "bedrooms": 5_000.0,  # per bedroom, on top of what the area already says
    "bathrooms": 15_000.0,  # per bathroom (half baths count 0.5)
    "age_years": -800.0,  # per year since construction
    "lot_acres": 40_000.0,  # per acre of land
    "distance_km": -3_000.0,  # per km from the city centre
    "school_rating": 9_000.0,  # per point of the local school's 1-10 rating
}
HOUSE_JUNK = ("mailbox_colour", "dog_name", "lottery_number", "listing_weekday")
_COLOURS = ["red", "blue", "green", "black", "white"]
_DOGS = ["Rex", "Bella", "Max", "Luna", "Charlie", "Daisy"]
_WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def house_prices(n: int = 400, seed: int = 0) -> Dataset:
    """Synthetic sale prices in dollars: seven real features, four pieces of junk.

    Area drives bedrooms and bathrooms (correlations about 0.8, as in real
    listings); age, lot, distance and school rating are independent of area;
    the junk is drawn independently of everything else.  Price is linear in the
    real features (``HOUSE_EFFECTS`` dollars per unit) plus heavy-tailed noise.
    """
    rng = np.random.default_rng(seed)
    area = np.clip(rng.lognormal(np.log(1800), 0.35, n), 500, 6000).round(-1)
    bedrooms = np.clip(np.round(area / 600 + rng.normal(0, 0.8, n)), 1, 7)
    bathrooms = np.clip(np.round((area / 1000 + rng.normal(0, 0.45, n)) * 2) / 2, 1, 5)
    frame = pd.DataFrame(
        {
            "area_sqft": area,
            "bedrooms": bedrooms.astype(int),
            "bathrooms": bathrooms,
            "age_years": rng.integers(0, 100, n),
            "lot_acres": np.clip(rng.gamma(2.0, 0.15, n), 0.03, 3).round(2),
            "distance_km": np.clip(rng.gamma(2.5, 4.0, n), 0.3, 60).round(1),
            "school_rating": rng.integers(1, 11, n),
            "mailbox_colour": rng.choice(_COLOURS, n),
            "dog_name": rng.choice(_DOGS, n),
            "lottery_number": rng.integers(1, 50, n),
            "listing_weekday": rng.choice(_WEEKDAYS, n),
        }
    )
    signal = sum(coef * frame[col].to_numpy(float) for col, coef in HOUSE_EFFECTS.items())
    # Prices scatter around the value the features imply with heavy tails (Student t,
    # 3 degrees of freedom, sd $30,000): most sales land within about $20,000 of it, a
    # few (a bidding war, a sale between relatives) are far off, as in real sales.
    noise = 30_000.0 / np.sqrt(3.0) * rng.standard_t(3, n)
    price = 60_000.0 + signal + noise
    frame["price"] = np.maximum(price, 20_000).round(-2)
    return Dataset(
        name="House prices (synthetic)",
        frame=frame,
        target="price",
        description=(
            "Simulated sales: price in dollars from area, rooms, age, lot, distance to the "
            "centre and school rating, plus four columns that cannot matter: mailbox colour, "
            "the previous owner's dog's name, a lottery number and the listing weekday."
        ),
        true_coef=dict(HOUSE_EFFECTS),
        junk=HOUSE_JUNK,
    )


def correlated_twins(n: int = 200, seed: int = 0, rho: float = 0.97) -> Dataset:
    """Height and weight nearly copies of each other, both truly useful, plus three others."""
    rng = np.random.default_rng(seed)
    height = rng.normal(0, 1, n)
    weight = rho * height + np.sqrt(1 - rho**2) * rng.normal(0, 1, n)
    others = rng.normal(0, 1, (n, 3))
    y = 2.0 * height + 2.0 * weight + 1.5 * others[:, 0] + rng.normal(0, 1.5, n)
    frame = pd.DataFrame(
        {"height": height, "weight": weight, "age": others[:, 0], "shoe_size_noise": others[:, 1],
         "noise_2": others[:, 2], "y": y}
    )
    return Dataset(
        name="Correlated twins",
        frame=frame,
        target="y",
        description=(
            f"Height and weight correlate at about {rho:.2f}; each truly adds 2 to y. "
            "Which one does L1 keep?"
        ),
        true_coef={"height": 2.0, "weight": 2.0, "age": 1.5},
        junk=("shoe_size_noise", "noise_2"),
    )


def _simulated(n: int, p: int, coef: np.ndarray, seed: int, noise: float, rho: float):
    rng = np.random.default_rng(seed)
    shared = rng.normal(0, 1, (n, 1))
    X = np.sqrt(1 - rho) * rng.normal(0, 1, (n, p)) + np.sqrt(rho) * shared
    y = X @ coef + rng.normal(0, noise, n)
    cols = [f"x{j + 1:02d}" for j in range(p)]
    frame = pd.DataFrame(X, columns=cols)
    frame["y"] = y
    return frame, cols


def sparse_truth(n: int = 100, p: int = 30, k: int = 5, seed: int = 0, noise: float = 1.0,
                 rho: float = 0.2) -> Dataset:
    """p features of which only k carry signal: L1's home ground."""
    rng = np.random.default_rng(seed + 10_000)
    coef = np.zeros(p)
    coef[:k] = rng.choice([-1, 1], k) * rng.uniform(1.0, 3.0, k)
    frame, cols = _simulated(n, p, coef, seed, noise, rho)
    return Dataset(
        name=f"Sparse truth ({k} of {p} features matter)",
        frame=frame,
        target="y",
        description=f"{n} rows, {p} features, only the first {k} have a true effect.",
        true_coef={c: float(w) for c, w in zip(cols, coef, strict=True) if w != 0},
        junk=tuple(c for c, w in zip(cols, coef, strict=True) if w == 0),
    )


def dense_truth(n: int = 100, p: int = 30, seed: int = 0, noise: float = 1.0,
                rho: float = 0.2) -> Dataset:
    """Every feature carries a small effect: where L2 should shine."""
    rng = np.random.default_rng(seed + 20_000)
    coef = rng.normal(0, 0.5, p)
    frame, cols = _simulated(n, p, coef, seed, noise, rho)
    return Dataset(
        name=f"Dense truth (all {p} features matter a little)",
        frame=frame,
        target="y",
        description=f"{n} rows, {p} features, every one with a small true effect.",
        true_coef={c: float(w) for c, w in zip(cols, coef, strict=True)},
    )


BUILTIN = {
    "diabetes": diabetes,
    "house_prices": house_prices,
    "sparse_truth": sparse_truth,
    "dense_truth": dense_truth,
    "twins": correlated_twins,
}


def load(key: str, seed: int = 0, n: int | None = None) -> Dataset:
    """A built-in dataset by key; seeded ones use ``seed``, and ``n`` rows when given."""
    if key not in BUILTIN:
        raise KeyError(f"Unknown dataset {key!r}; choose one of {', '.join(BUILTIN)}.")
    if key == "diabetes":
        return diabetes()
    return BUILTIN[key](seed=seed) if n is None else BUILTIN[key](n=n, seed=seed)
