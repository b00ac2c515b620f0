"""Real public datasets that ship inside installed packages, saved the awkward ways students'
programs save them, must read back to the same numbers with sensible defaults.

Sources (nothing is downloaded): scikit-learn's bundled CSVs
(``sklearn/datasets/data``) and plotly's bundled data
(``plotly/package_data/datasets``).  Each test rewrites one into a shape seen in
class: space-separated, UTF-16 without a byte-order mark, ``;`` with decimal
commas in Windows-1252, gaps, dates, a 0/1 target, no header.  Then it checks
read_table, the suggested target, the default features and design_matrix
against the original numbers.  Hostile files (names holding Markdown, LaTeX,
HTML, formulas; huge values; one row; 5,000 columns) follow.
"""

from __future__ import annotations

import gzip
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import plotly
import pytest
import sklearn

from regviz.data import DataError, design_matrix, read_table
from regviz.export import safe_csv
from regviz.suggest import default_features, suggest_target
from regviz.usertext import md, plotly_text

SKLEARN_DATA = Path(sklearn.__file__).parent / "datasets" / "data"
PLOTLY_DATA = Path(plotly.__file__).parent / "package_data" / "datasets"


def _plotly(name: str) -> pd.DataFrame:
    return pd.read_csv(PLOTLY_DATA / f"{name}.csv.gz")


def _sklearn_table(name: str) -> tuple[np.ndarray, np.ndarray]:
    """(features, target) of scikit-learn's CSVs whose first line is 'n, p, class names'."""
    raw = np.loadtxt(SKLEARN_DATA / name, delimiter=",", skiprows=1)
    return raw[:, :-1], raw[:, -1]


def _csv(df: pd.DataFrame, **options) -> str:
    buf = io.StringIO()
    df.to_csv(buf, index=False, **options)
    return buf.getvalue()


def _notes(obj) -> str:
    notes = obj.attrs["notes"] if isinstance(obj, pd.DataFrame) else obj.notes
    return " ".join(notes)


# --------------------------------------------------------------------------- real files


def test_gapminder_defaults_leave_out_country_codes_and_fit_life_expectancy() -> None:
    original = _plotly("gapminder")
    df = read_table(_csv(original).encode())
    s = suggest_target(df)
    assert s.column == "lifeExp"
    features, notes = default_features(df, "lifeExp")
    assert "country" not in features and "iso_alpha" not in features
    assert {"continent", "year", "pop", "gdpPercap"} <= set(features)
    assert any("'country' has 142 distinct" in n for n in notes)
    d = design_matrix(df, "lifeExp", features)
    assert np.array_equal(d.y, original["lifeExp"].to_numpy())
    continents = sorted(original["continent"].unique())
    assert d.n_onehot == len(continents) - 1
    j = d.feature_names.index("gdpPercap")
    assert np.array_equal(d.X[:, j], original["gdpPercap"].to_numpy())


def test_gapminder_from_a_german_excel_reads_the_same_numbers() -> None:
    original = _plotly("gapminder")[["country", "continent", "year", "lifeExp", "gdpPercap"]]
    german = original.rename(columns={"lifeExp": "Lebenserwartung (Jahre)", "gdpPercap": "BIP"})
    german.loc[german["country"] == "Cote d'Ivoire", "country"] = "Côte d'Ivoire"
    raw = _csv(german, sep=";", decimal=",").encode("cp1252")
    df = read_table(raw)
    text = _notes(df)
    assert "semicolons" in text and "decimal commas" in text and "Windows-1252" in text
    assert "Côte d'Ivoire" in set(df["country"])
    assert np.allclose(df["BIP"], original["gdpPercap"], rtol=1e-15, atol=0)
    d = design_matrix(df, "Lebenserwartung (Jahre)", ["continent", "year", "BIP"])
    assert np.array_equal(d.y, original["lifeExp"].to_numpy())


def test_scikit_learn_diabetes_space_separated_without_header() -> None:
    raw_x = gzip.decompress((SKLEARN_DATA / "diabetes_data_raw.csv.gz").read_bytes())
    df = read_table(raw_x)
    expected = np.loadtxt(io.BytesIO(raw_x))
    assert "looks space-separated" in _notes(df) and "treated as data" in _notes(df)
    assert df.shape == expected.shape
    assert np.array_equal(df.to_numpy(float), expected)


def test_scikit_learn_diabetes_with_a_header_and_target_column() -> None:
    X = np.loadtxt(io.BytesIO(gzip.decompress(
        (SKLEARN_DATA / "diabetes_data_raw.csv.gz").read_bytes())))
    y = np.loadtxt(io.BytesIO(gzip.decompress(
        (SKLEARN_DATA / "diabetes_target.csv.gz").read_bytes())))
    names = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]
    lines = ["  ".join([*names, "target"])]
    lines += ["  ".join(f"{v:g}" for v in row) for row in np.column_stack([X, y])]
    df = read_table("\n".join(lines).encode())
    assert suggest_target(df).column == "target"
    features, _ = default_features(df, "target")
    assert features == names
    d = design_matrix(df, "target", features)
    assert np.allclose(d.X, X, rtol=1e-5) and np.allclose(d.y, y)


def test_breast_cancer_in_utf16_without_bom_suggests_its_zero_one_outcome() -> None:
    X, y = _sklearn_table("breast_cancer.csv")
    names = [f"mean feature {k}" for k in range(X.shape[1])]
    table = pd.DataFrame(X, columns=names).assign(malignant=(y == 0).astype(int))
    df = read_table(_csv(table).encode("utf-16-le"))
    assert "UTF-16" in _notes(df)
    s = suggest_target(df)
    assert s.column == "malignant" and "0 and 1" in s.reason
    d = design_matrix(df, "malignant", default_features(df, "malignant")[0])
    assert set(np.unique(d.y)) == {0.0, 1.0}
    assert np.allclose(d.X, X, rtol=1e-12)


def test_digits_without_header_leave_blank_pixels_out_and_ask_for_the_target() -> None:
    raw = gzip.decompress((SKLEARN_DATA / "digits.csv.gz").read_bytes())
    expected = np.loadtxt(io.BytesIO(raw), delimiter=",")
    df = read_table(raw)
    assert list(df.columns) == [f"column_{i + 1}" for i in range(65)]
    s = suggest_target(df)
    assert s.column is None and "pick the column to predict" in s.reason
    features, notes = default_features(df, "column_65")
    constant = [f"column_{j + 1}" for j in range(64) if np.ptp(expected[:, j]) == 0]
    assert constant and not set(constant) & set(features)
    assert len(features) == 64 - len(constant)
    assert all(any(f"'{c}'" in n for n in notes) for c in constant)
    d = design_matrix(df, "column_65", features)
    assert np.array_equal(d.y, expected[:, 64])


def test_stocks_with_dates_and_gaps_drop_or_impute_exactly_the_gap_rows() -> None:
    original = _plotly("stocks")
    gappy = original.copy()
    gaps = {"AAPL": [3, 10, 40], "FB": [10, 77]}
    for column, rows in gaps.items():
        gappy[column] = gappy[column].astype(object)
        gappy.loc[rows, column] = "N/A"
    df = read_table(_csv(gappy).encode())
    target = "MSFT"
    features, notes = default_features(df, target)
    assert "date" not in features and any("'date' holds dates" in n for n in notes)
    dropped = design_matrix(df, target, features)
    assert len(dropped.y) == len(original) - len({3, 10, 40, 77})
    imputed = design_matrix(df, target, features, missing="impute")
    assert len(imputed.y) == len(original)
    j = imputed.feature_names.index("AAPL")
    keep = np.ones(len(original), bool)
    keep[gaps["AAPL"]] = False
    mean = original["AAPL"].to_numpy()[keep].mean()
    assert np.allclose(imputed.X[gaps["AAPL"], j], mean, rtol=1e-12)


def test_tips_suggests_the_tip_and_one_hot_encodes_its_text_columns() -> None:
    original = _plotly("tips")
    df = read_table(_csv(original).encode())
    assert suggest_target(df).column == "tip"
    features, _ = default_features(df, "tip")
    d = design_matrix(df, "tip", features)
    levels = sum(original[c].nunique() - 1 for c in ["sex", "smoker", "day", "time"])
    assert d.n_onehot == levels
    assert d.X.shape == (len(original), 2 + levels)


def test_iris_with_a_zero_one_target_fits_with_scikit_learn_agreement() -> None:
    from sklearn.linear_model import LinearRegression

    original = _plotly("iris")
    table = original.drop(columns=["species_id"]).assign(
        virginica=(original["species"] == "virginica").astype(int)
    ).drop(columns=["species"])
    df = read_table(_csv(table, sep="\t").encode())
    assert suggest_target(df).column == "virginica"
    d = design_matrix(df, "virginica", default_features(df, "virginica")[0])
    ols = LinearRegression().fit(table.drop(columns="virginica"), table["virginica"])
    ours = LinearRegression().fit(d.X, d.y)
    assert np.allclose(ours.coef_, ols.coef_, rtol=1e-10, atol=1e-12)


# --------------------------------------------------------------------------- hostile files

HOSTILE = [
    "![u](http://127.0.0.1:9/pixel.png)",
    "[click](http://127.0.0.1:9/)",
    "$x^2$",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "__bold__",
    "=HYPERLINK(\"http://127.0.0.1:9\",\"x\")",
]


def _hostile_table(n: int = 60) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    table = pd.DataFrame({name: rng.normal(size=n) for name in HOSTILE})
    table["level"] = [HOSTILE[i % 3] for i in range(n)]
    table["y"] = table[HOSTILE[0]] * 2 + rng.normal(size=n)
    return table


def test_hostile_names_are_kept_literally_and_escaped_for_display() -> None:
    df = read_table(_csv(_hostile_table()).encode())
    assert list(df.columns) == [*HOSTILE, "level", "y"]
    d = design_matrix(df, "y")
    for name in [*d.feature_names, *d.notes]:
        shown = md(name)
        assert re.search(r"(?<!\\)[\[\]!<>$_*`]", shown) is None, shown  # all escaped
        assert "<" not in plotly_text(name) and ">" not in plotly_text(name)


def test_formula_cells_in_names_and_levels_are_neutralized_in_exports() -> None:
    df = read_table(_csv(_hostile_table()).encode())
    d = design_matrix(df, "y")
    table = pd.DataFrame(d.X, columns=d.feature_names).assign(level=df["level"])
    exported = pd.read_csv(io.BytesIO(safe_csv(table)), dtype=str, keep_default_na=False)
    for cell in [*exported.columns, *exported["level"]]:
        assert not cell.startswith(("=", "+", "-", "@"))


def test_values_near_the_size_guard_are_accepted_and_stay_finite() -> None:
    table = _hostile_table().iloc[:, [0, 1, -1]] * 1e140
    d = design_matrix(read_table(_csv(table).encode()), "y")
    assert np.isfinite(d.X).all() and np.abs(d.y).max() > 1e139
    with pytest.raises(DataError, match="too large"):
        design_matrix(table * 1e11, "y")


def test_a_one_row_file_says_one_row_is_not_enough() -> None:
    df = read_table(b"a,b,y\n1,2,3\n")
    with pytest.raises(DataError, match="one row is not enough to fit anything"):
        design_matrix(df, "y")


def test_five_thousand_columns_get_a_bounded_default_and_a_design() -> None:
    rng = np.random.default_rng(5)
    X = rng.normal(size=(60, 5000))
    table = pd.DataFrame(X, columns=[f"c{j}" for j in range(5000)])
    table["y"] = X[:, 4321] * 3 + rng.normal(size=60) * 0.1
    df = read_table(_csv(table).encode())
    assert suggest_target(df).column == "y"
    features, notes = default_features(df, "y")
    assert len(features) == 100 and "c4321" in features
    d = design_matrix(df, "y", features)
    assert d.X.shape == (60, 100)
    assert np.array_equal(d.X[:, features.index("c4321")], df["c4321"].to_numpy())
