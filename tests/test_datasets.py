"""Built-in data: shapes, dtypes, determinism per seed, and the truths the lessons rely on."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.api import types as ptypes

from regviz import datasets
from regviz.data import design_matrix
from regviz.datasets import HOUSE_EFFECTS, HOUSE_JUNK, house_prices

REAL = list(HOUSE_EFFECTS)
INTEGER_COLUMNS = ["bedrooms", "age_years", "school_rating", "lottery_number"]
TEXT_COLUMNS = ["mailbox_colour", "dog_name", "listing_weekday"]


@pytest.fixture(scope="module")
def houses() -> datasets.Dataset:
    return house_prices(n=2000, seed=3)


# --------------------------------------------------------------------------- house prices


def test_house_prices_has_seven_real_columns_four_junk_columns_and_a_price(houses):
    assert list(houses.frame.columns) == [*REAL, *HOUSE_JUNK[:2], "lottery_number",
                                          "listing_weekday", "price"]
    assert houses.target == "price"
    assert houses.frame.shape == (2000, 12)
    assert house_prices(n=57, seed=1).frame.shape == (57, 12)


def test_house_prices_dtypes_are_numbers_and_text(houses):
    frame = houses.frame
    for col in [*REAL, "lottery_number", "price"]:
        assert ptypes.is_numeric_dtype(frame[col]), col
    for col in INTEGER_COLUMNS:
        assert ptypes.is_integer_dtype(frame[col]), col
    for col in TEXT_COLUMNS:
        assert ptypes.is_string_dtype(frame[col]) and not ptypes.is_numeric_dtype(frame[col]), col
    assert frame.notna().all().all()


def test_house_prices_is_identical_for_the_same_seed():
    pd.testing.assert_frame_equal(house_prices(n=300, seed=7).frame,
                                  house_prices(n=300, seed=7).frame)


def test_house_prices_differs_between_seeds():
    a, b = house_prices(n=300, seed=7).frame, house_prices(n=300, seed=8).frame
    assert not a["price"].equals(b["price"])
    assert not a["area_sqft"].equals(b["area_sqft"])


def test_house_prices_true_support_is_house_effects_and_the_rest_is_junk(houses):
    assert houses.true_coef == HOUSE_EFFECTS
    assert set(houses.junk) == {"mailbox_colour", "dog_name", "lottery_number", "listing_weekday"}
    assert not set(houses.true_coef) & set(houses.junk)
    assert set(houses.true_coef) | set(houses.junk) | {"price"} == set(houses.frame.columns)


def test_house_prices_values_are_in_realistic_ranges(houses):
    f = houses.frame
    assert f["area_sqft"].between(500, 6000).all()
    assert 1500 <= f["area_sqft"].median() <= 2200
    assert f["bedrooms"].between(1, 7).all()
    assert f["bathrooms"].between(1, 5).all()
    assert ((f["bathrooms"] * 2) % 1 == 0).all(), "bathrooms come in halves"
    assert f["age_years"].between(0, 99).all()
    assert f["lot_acres"].between(0.03, 3).all()
    assert f["distance_km"].between(0.3, 60).all()
    assert f["school_rating"].between(1, 10).all()
    assert f["lottery_number"].between(1, 49).all()
    assert f["price"].min() >= 20_000
    assert 200_000 <= f["price"].median() <= 400_000
    assert f["price"].quantile(0.99) < 1_500_000
    assert set(f["mailbox_colour"]) == {"red", "blue", "green", "black", "white"}
    assert set(f["listing_weekday"]) == {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
    assert f["dog_name"].nunique() == 6


def test_area_is_correlated_with_bedrooms_and_bathrooms_but_not_a_copy(houses):
    corr = houses.frame[["area_sqft", "bedrooms", "bathrooms"]].corr()
    assert 0.6 < corr.loc["area_sqft", "bedrooms"] < 0.95
    assert 0.6 < corr.loc["area_sqft", "bathrooms"] < 0.95


def test_junk_columns_are_unrelated_to_price_and_real_ones_are_not(houses):
    f = houses.frame
    price = f["price"]
    assert abs(np.corrcoef(f["lottery_number"], price)[0, 1]) < 0.1
    for col in ("mailbox_colour", "dog_name", "listing_weekday"):
        groups = price.groupby(f[col])
        chance = price.std() / np.sqrt(groups.size().min())  # sd of one group's mean
        assert groups.mean().max() - groups.mean().min() < 5 * chance, col
    assert np.corrcoef(f["area_sqft"], price)[0, 1] > 0.6


def test_house_price_residual_noise_is_about_30000_dollars_with_heavy_tails(houses):
    f = houses.frame
    signal = 60_000 + sum(c * f[col] for col, c in HOUSE_EFFECTS.items())
    resid = (f["price"] - signal).to_numpy()
    mad_sd = 1.4826 * np.median(np.abs(resid - np.median(resid)))
    assert 10_000 < mad_sd < 30_000  # the bulk: typical sales land within ~$20k
    assert np.mean(np.abs(resid) > 4 * mad_sd) > 0.005  # a normal would give 6e-5


def test_house_text_columns_become_sixteen_junk_columns_in_the_design(houses):
    design = design_matrix(houses.frame, "price")
    junk = [name for name, src in zip(design.feature_names, design.source_columns, strict=True)
            if src in houses.junk]
    assert len(junk) == 4 + 5 + 1 + 6
    assert design.X.shape == (2000, 7 + 16)


# --------------------------------------------------------------------------- other loaders


def test_diabetes_is_442_patients_by_ten_features_and_a_target_all_finite():
    ds = datasets.diabetes()
    assert ds.frame.shape == (442, 11)
    assert ds.target == "progression"
    values = ds.frame.to_numpy(dtype=float)
    assert np.isfinite(values).all()
    assert all(ptypes.is_numeric_dtype(ds.frame[c]) for c in ds.frame.columns)


SEEDED = {
    "house_prices": lambda seed: datasets.house_prices(n=120, seed=seed),
    "sparse_truth": lambda seed: datasets.sparse_truth(seed=seed),
    "dense_truth": lambda seed: datasets.dense_truth(seed=seed),
    "twins": lambda seed: datasets.correlated_twins(seed=seed),
}


@pytest.mark.parametrize("name", list(SEEDED))
def test_seeded_loader_gives_identical_data_and_truth_for_the_same_seed(name):
    a, b = SEEDED[name](11), SEEDED[name](11)
    pd.testing.assert_frame_equal(a.frame, b.frame)
    assert a.true_coef == b.true_coef and a.junk == b.junk


@pytest.mark.parametrize("name", list(SEEDED))
def test_seeded_loader_gives_different_data_for_another_seed(name):
    a, b = SEEDED[name](11), SEEDED[name](12)
    assert not a.frame[a.target].equals(b.frame[b.target])


def test_sparse_truth_has_exactly_k_true_features_and_the_rest_junk():
    ds = datasets.sparse_truth(n=50, p=20, k=4, seed=2)
    assert len(ds.true_coef) == 4 and len(ds.junk) == 16
    assert all(w != 0 for w in ds.true_coef.values())
    assert ds.frame.shape == (50, 21)


def test_correlated_twins_are_correlated_at_about_rho():
    ds = datasets.correlated_twins(n=2000, seed=1, rho=0.9)
    r = np.corrcoef(ds.frame["height"], ds.frame["weight"])[0, 1]
    assert abs(r - 0.9) < 0.03


def test_load_returns_each_builtin_and_rejects_unknown_keys():
    for key in datasets.BUILTIN:
        ds = datasets.load(key, seed=1)
        assert ds.target in ds.frame.columns
    with pytest.raises(KeyError, match="Unknown dataset"):
        datasets.load("nope")
