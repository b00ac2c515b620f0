"""Defaults and messages for a student's file: the suggested target, the default features,
the messages that name the cause, the width limit, and the rows a caption states."""

from __future__ import annotations

import codecs

import numpy as np
import pandas as pd
import pytest

from regviz.data import DataError, default_target, design_matrix, read_table
from regviz.suggest import MAX_DEFAULT_FEATURES, default_features, suggest_target

RNG = np.random.default_rng(17)


def _frame(n: int = 120, **columns) -> pd.DataFrame:
    return pd.DataFrame({k: v(n) if callable(v) else v for k, v in columns.items()})


# --------------------------------------------------------------------------- suggested target


def test_a_column_named_like_a_target_is_suggested_wherever_it_stands() -> None:
    x = RNG.normal(size=120)
    df = pd.DataFrame({"SalePrice": 3 * x + RNG.normal(size=120), "area": x,
                       "rooms": RNG.integers(1, 6, 120), "Day": np.arange(120) % 31 + 1})
    s = suggest_target(df)
    assert s.column == "SalePrice" and "'price'" in s.reason
    assert default_target(df) == "SalePrice"


def test_a_y_inside_a_longer_name_is_not_taken_for_the_target() -> None:
    df = pd.DataFrame({"pos_x": RNG.normal(size=50), "pos_y": RNG.normal(size=50),
                       "speed": RNG.normal(size=50)})
    assert suggest_target(df).column is None


def test_the_only_zero_one_column_is_suggested() -> None:
    x = RNG.normal(size=200)
    df = pd.DataFrame({"age": RNG.integers(18, 60, 200), "lwt": 50 + 10 * x,
                       "low": (x + RNG.normal(size=200) > 0).astype(int),
                       "ptl": RNG.integers(0, 4, 200)})
    s = suggest_target(df)
    assert s.column == "low" and "0 and 1" in s.reason


def test_two_zero_one_columns_are_no_evidence_and_the_best_predicted_column_wins() -> None:
    # mtcars-like: vs and am are both 0/1, so neither is "the" outcome.
    wt = RNG.normal(3, 1, 300)
    df = pd.DataFrame({
        "cyl": RNG.choice([4.0, 6.0, 8.0], 300), "disp": 100 * wt + RNG.normal(0, 5, 300),
        "wt": wt, "vs": RNG.integers(0, 2, 300), "am": RNG.integers(0, 2, 300),
        "qsec": RNG.normal(18, 2, 300),
    })  # fmt: skip
    s = suggest_target(df)
    assert s.column in {"disp", "wt"}
    values = df[["cyl", "disp", "wt", "vs", "am", "qsec"]].to_numpy(float)
    j = ["cyl", "disp", "wt", "vs", "am", "qsec"].index(s.column)
    others = np.column_stack([np.ones(300), np.delete(values, j, axis=1)])
    beta, *_ = np.linalg.lstsq(others, values[:, j], rcond=None)
    resid = values[:, j] - others @ beta
    r2 = 1 - resid.var() / values[:, j].var()
    assert f"{r2:.0%}" in s.reason  # the percentage stated is the fit's own R^2


def test_no_evidence_means_no_suggestion_and_a_prompt() -> None:
    df = pd.DataFrame({"Ozone": RNG.normal(size=150), "Wind": RNG.normal(size=150),
                       "Temp": RNG.normal(size=150), "Month": RNG.integers(5, 10, 150),
                       "Day": np.arange(150) % 31 + 1})
    s = suggest_target(df)
    assert s.column is None and "pick the column to predict" in s.reason
    assert default_target(df) is None


def test_calendar_and_position_columns_are_never_suggested_by_fit() -> None:
    year = np.repeat(np.arange(1952, 2008, 5), 20).astype(float)
    df = pd.DataFrame({"year": year, "size": year * 2 + 10 * RNG.normal(size=len(year)),
                       "centroid_lat": RNG.normal(size=len(year))})
    assert suggest_target(df).column == "size"


# --------------------------------------------------------------------------- default features


def test_high_cardinality_text_is_left_out_of_the_defaults_with_a_note() -> None:
    n = 600
    df = pd.DataFrame({"country": [f"c{i % 142}" for i in range(n)],
                       "continent": [f"k{i % 5}" for i in range(n)],
                       "gdp": RNG.normal(size=n), "lifeExp": RNG.normal(size=n)})
    features, notes = default_features(df, "lifeExp")
    assert features == ["continent", "gdp"]
    assert any("'country' has 142 distinct text values" in n and "left out" in n for n in notes)
    design_matrix(df, "lifeExp", features)  # and the defaults build at once


def test_wide_tables_preselect_the_strongest_features_in_table_order() -> None:
    n, p = 150, 600
    X = RNG.normal(size=(n, p))
    signal = [5, 77, 300, 512]
    y = X[:, signal] @ np.array([3.0, -2.0, 2.5, 4.0]) + 0.1 * RNG.normal(size=n)
    df = pd.DataFrame(X, columns=[f"g{j}" for j in range(p)]).assign(y=y)
    features, notes = default_features(df, "y")
    assert len(features) == MAX_DEFAULT_FEATURES
    assert {f"g{j}" for j in signal} <= set(features)
    assert features == sorted(features, key=lambda c: int(c[1:]))  # table order
    corr = np.abs([np.corrcoef(X[:, j], y)[0, 1] for j in range(p)])
    cutoff = np.sort(corr)[-MAX_DEFAULT_FEATURES]
    assert {f"g{j}" for j in np.flatnonzero(corr >= cutoff)} == set(features)
    assert any(f"{p:,} usable feature columns" in note and "100 most" in note for note in notes)
    assert not any("one-hot" in note for note in notes)


def test_default_features_respect_the_width_limit_with_text_columns() -> None:
    n = 400
    df = pd.DataFrame({f"t{k}": [f"v{(i * (k + 3)) % 40}" for i in range(n)] for k in range(6)})
    df["y"] = RNG.normal(size=n)
    features, _ = default_features(df, "y", max_columns=100)
    width = sum(df[f].nunique() - 1 for f in features)
    assert 0 < width <= 100
    design_matrix(df, "y", features, max_columns=100)


def test_default_features_equal_design_matrix_automatic_columns_on_narrow_tables() -> None:
    df = pd.DataFrame({"id": range(1, 61), "colour": ["r", "g", "b"] * 20,
                       "const": 1.0, "x": RNG.normal(size=60), "y": RNG.normal(size=60)})
    features, notes = default_features(df, "y")
    auto = design_matrix(df, "y")
    assert features == list(dict.fromkeys(auto.source_columns))
    assert any("'id'" in n for n in notes) and any("'const'" in n for n in notes)


# --------------------------------------------------------------------------- messages


def test_a_space_separated_file_is_read_and_says_so() -> None:
    raw = (b"  OBS   TUCE   GPA  GRADE\n   1   20  2.66   0\n   2   22  2.89   0\n"
           b"   3   24  3.28  1\n")
    df = read_table(raw)
    assert list(df.columns) == ["OBS", "TUCE", "GPA", "GRADE"]
    assert df["GPA"].tolist() == [2.66, 2.89, 3.28]
    assert any("looks space-separated" in note for note in df.attrs["notes"])


def test_a_single_text_column_with_spaces_is_not_taken_for_a_spaced_table() -> None:
    df = read_table(b"full name\nAnn Lee\nBob Ray Smith\nCy\n")
    assert list(df.columns) == ["full name"] and len(df) == 3


@pytest.mark.parametrize("rows", [1, 2])
def test_too_few_rows_say_so_instead_of_blaming_the_features(rows: int) -> None:
    df = read_table(("x,z,y\n" + "1,5,2\n2,3,9\n"[: 6 * rows]).encode())
    with pytest.raises(DataError) as err:
        design_matrix(df, "y")
    message = str(err.value)
    assert "constant" not in message
    if rows == 1:
        assert "one row is not enough to fit anything" in message
    else:
        assert "only 2 data rows" in message


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read(codec: str) -> None:
    text = "Größe,Gewicht,y\n1,2,3\n2,3,5\n4,1,6\n"
    raw = text.encode(codec)
    assert not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    df = read_table(raw)
    assert list(df.columns) == ["Größe", "Gewicht", "y"] and df["y"].tolist() == [3, 5, 6]
    endian = "little" if codec.endswith("le") else "big"
    assert any("UTF-16" in n and endian in n for n in df.attrs["notes"])


def test_true_binary_data_is_still_refused() -> None:
    with pytest.raises(DataError, match="binary data"):
        read_table(bytes(range(256)) * 4)


def test_the_width_limit_does_not_blame_one_hot_encoding_for_numeric_columns() -> None:
    df = pd.DataFrame(RNG.normal(size=(30, 25)), columns=[f"x{j}" for j in range(25)])
    with pytest.raises(DataError) as err:
        design_matrix(df, "x0", max_columns=10)
    assert "24 feature columns" in str(err.value) and "one-hot" not in str(err.value)


def test_the_width_limit_counts_what_one_hot_encoding_adds() -> None:
    df = pd.DataFrame({"shop": [f"s{i % 30}" for i in range(300)],
                       "a": RNG.normal(size=300), "b": RNG.normal(size=300),
                       "y": RNG.normal(size=300)})
    with pytest.raises(DataError) as err:
        design_matrix(df, "y", max_columns=20)
    message = str(err.value)
    assert "2 number column(s) plus 29 one-hot column(s)" in message
    assert "31 feature columns" in message and "'shop' (30 levels)" in message


# --------------------------------------------------------------------------- rows stated


def test_rows_phrase_states_the_sample_and_the_file() -> None:
    n_file = 1_000
    df = pd.DataFrame({"x": RNG.normal(size=n_file), "y": RNG.normal(size=n_file)})
    df.loc[:99, "x"] = np.nan
    sampled = design_matrix(df, "y", max_rows=300)
    assert sampled.sampled and sampled.n_available == 900 and len(sampled.y) == 300
    assert sampled.rows_phrase(n_file) == (
        "300 rows, a random sample of the 900 usable rows (the file has 1,000)"
    )
    full = design_matrix(df, "y")
    assert not full.sampled and full.rows_phrase(n_file) == "900 of the file's 1,000 rows"
    assert design_matrix(df.dropna(), "y").rows_phrase(900) == "all 900 rows of the file"


def test_date_columns_are_left_out_as_dates_not_as_ids() -> None:
    days = pd.date_range("2012-01-01", periods=80).strftime("%Y-%m-%d")
    panel = pd.DataFrame({"date": np.repeat(days, 2), "firm": ["a", "b"] * 80,
                          "x": RNG.normal(size=160), "wage": RNG.normal(size=160)})
    features, notes = default_features(panel, "wage")
    assert features == ["firm", "x"]
    assert any("'date' holds dates (like '2012-01-01')" in n for n in notes)
    single = pd.DataFrame({"day": days, "wage": RNG.normal(size=80)})
    with pytest.raises(DataError, match="all other columns were dates"):
        design_matrix(single, "wage")
