"""Exported CSVs: formula-like text is neutralized, numbers stay numbers, files round-trip."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest

from regviz.export import FORMULA_PREFIXES, coefficients_frame, path_frame, safe_csv


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


@pytest.mark.parametrize("prefix", FORMULA_PREFIXES)
def test_text_cell_and_header_starting_with_a_formula_character_get_a_quote(prefix):
    df = pd.DataFrame({f"{prefix}cmd|' /C calc'!A0": [f"{prefix}1+1", "plain"], "x": [1.0, 2.0]})
    header, first, second = _rows(safe_csv(df))
    assert header[0] == f"'{prefix}cmd|' /C calc'!A0"
    assert first[0] == f"'{prefix}1+1"
    assert second[0] == "plain"
    assert header[1] == "x"


def test_every_formula_prefix_of_owasp_is_covered():
    assert set(FORMULA_PREFIXES) == {"=", "+", "-", "@", "\t", "\r"}


def test_negative_numbers_and_numeric_cells_are_left_as_numbers():
    df = pd.DataFrame({
        "coef": [-1.5, 0.0, 2.25e-12, -3e20],
        "count": [-1, 0, 7, -40],
        "flag": [True, False, True, False],
    })
    rows = _rows(safe_csv(df))
    assert rows[1] == ["-1.5", "-1", "True"]
    assert rows[4][0].startswith("-3") and rows[4][1] == "-40"
    assert not any(cell.startswith("'") for row in rows for cell in row)


def test_text_that_merely_contains_a_formula_character_is_unchanged():
    df = pd.DataFrame({"name": ["a-b", "x=1", "mail@example.org", " =not at start"]})
    rows = _rows(safe_csv(df))
    assert [r[0] for r in rows[1:]] == ["a-b", "x=1", "mail@example.org", " =not at start"]


def test_csv_round_trips_through_pandas():
    df = pd.DataFrame({
        "term": ["(intercept)", "=HYPERLINK(\"http://evil\")", "colour=red", "-minus"],
        "coefficient": [1.0 / 3.0, -0.1, 0.0, -123456.789012345],
        "n": [1, -2, 3, 4],
        "level": pd.Categorical(["@a", "b", "b", "+c"]),
        "gap": [np.nan, "x", None, "\tTab"],
    })
    back = pd.read_csv(io.BytesIO(safe_csv(df)))
    assert list(back.columns) == list(df.columns)
    np.testing.assert_array_equal(back["coefficient"].to_numpy(), df["coefficient"].to_numpy())
    np.testing.assert_array_equal(back["n"].to_numpy(), df["n"].to_numpy())
    assert pd.api.types.is_float_dtype(back["coefficient"])
    assert pd.api.types.is_integer_dtype(back["n"])
    assert back["term"].tolist() == ["(intercept)", "'=HYPERLINK(\"http://evil\")", "colour=red",
                                     "'-minus"]
    assert back["level"].tolist() == ["'@a", "b", "b", "'+c"]
    assert back["gap"].isna().tolist() == [True, False, True, False]
    assert back["gap"].iloc[3] == "'\tTab"


def test_carriage_return_cell_survives_csv_quoting():
    df = pd.DataFrame({"t": ["\rboom", "ok"]})
    back = pd.read_csv(io.BytesIO(safe_csv(df)))
    assert back["t"].tolist() == ["'\rboom", "ok"]


def test_coefficients_frame_lists_intercept_then_features_with_settings():
    frame = coefficients_frame(["a", "=b"], [0.0, -2.5], 4.0, 0.3, "elasticnet", 0.5)
    assert frame["term"].tolist() == ["(intercept)", "a", "=b"]
    assert frame["coefficient"].tolist() == [4.0, 0.0, -2.5]
    assert frame["nonzero"].tolist() == [True, False, True]
    assert set(frame["lambda"]) == {0.3} and set(frame["penalty"]) == {"elasticnet"}
    rows = _rows(safe_csv(frame))
    assert rows[3][0] == "'=b" and rows[3][1] == "-2.5"


def test_path_frame_is_wide_one_row_per_lambda():
    lams = np.array([2.0, 1.0, 0.5])
    coefs = np.array([[0.0, 0.0], [0.5, 0.0], [1.0, -0.25]])
    frame = path_frame(["x", "lambda"], lams, coefs, [3.0, 2.9, 2.8])
    assert list(frame.columns) == ["lambda", "n_nonzero", "intercept", "x", "lambda (feature)"]
    assert frame["n_nonzero"].tolist() == [0, 1, 2]
    np.testing.assert_array_equal(frame[["x", "lambda (feature)"]].to_numpy(), coefs)
    back = pd.read_csv(io.BytesIO(safe_csv(frame)))
    np.testing.assert_array_equal(back.to_numpy(), frame.to_numpy())


def test_path_frame_refuses_mismatched_shapes():
    with pytest.raises(ValueError):
        path_frame(["a"], [1.0, 0.5], np.zeros((2, 2)), [0.0, 0.0])
