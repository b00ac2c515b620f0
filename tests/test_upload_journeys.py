"""Real-file shapes, uploaded, go through every lesson page that uses the sidebar's data.

Each shape is a public table shipped inside an installed package (plotly's gapminder and
stocks, scikit-learn's iris and diabetes), saved the awkward way a student's program saves
it: ``;`` with decimal commas in Windows-1252, dates with gaps, a 0/1 target, space-separated,
and a wide table.  The file goes through the reader, the suggested target and default
features and the design, exactly as the upload page does, and is then the session's dataset
on paths, geometry (on the table), house prices ("junk in your data"), the sparsity lab's
zeros and twins tabs, and the optimizer lesson's speed part.  Every page must run without an
exception and show the user's rows.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import plotly
import pytest
import sklearn

from regviz.data import design_matrix, read_table
from regviz.suggest import default_features, suggest_target
from tests.apptest import run_page
from ui.datasets import UPLOAD_KEY, Choice

PLOTLY_DATA = Path(plotly.__file__).parent / "package_data" / "datasets"
SKLEARN_DATA = Path(sklearn.__file__).parent / "datasets" / "data"


def _csv(df: pd.DataFrame, **options) -> bytes:
    buf = io.StringIO()
    df.to_csv(buf, index=False, **options)
    return buf.getvalue().encode(options.pop("encoding", "utf-8"))


def _gapminder_german() -> bytes:
    df = pd.read_csv(PLOTLY_DATA / "gapminder.csv.gz").query("year == 2007")
    return _csv(df, sep=";", decimal=",").decode().encode("cp1252", errors="replace")


def _stocks_with_gaps() -> bytes:
    df = pd.read_csv(PLOTLY_DATA / "stocks.csv.gz")
    df.loc[df.index % 17 == 3, "AAPL"] = np.nan
    return _csv(df, na_rep="N/A")


def _iris_binary() -> bytes:
    df = pd.read_csv(PLOTLY_DATA / "iris.csv.gz").drop(columns=["species"])
    df["is_setosa"] = (df.pop("species_id") == 1).astype(int)
    return _csv(df)


def _diabetes_space_separated() -> bytes:
    X = np.loadtxt(SKLEARN_DATA / "diabetes_data_raw.csv.gz")
    y = np.loadtxt(SKLEARN_DATA / "diabetes_target.csv.gz")
    cols = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]
    df = pd.DataFrame(X, columns=cols).assign(progression=y)
    return _csv(df, sep=" ")


def _wide() -> bytes:
    rng = np.random.default_rng(0)
    X = rng.standard_normal((150, 300))
    y = X[:, :5] @ [3.0, -2.0, 1.5, 1.0, -1.0] + rng.standard_normal(150)
    return _csv(pd.DataFrame(X, columns=[f"gene_{j}" for j in range(300)]).assign(target=y))


SHAPES = {
    "decimal commas, cp1252": _gapminder_german,
    "dates and gaps": _stocks_with_gaps,
    "binary target": _iris_binary,
    "space-separated": _diabetes_space_separated,
    "wide": _wide,
}


def _upload(raw: bytes, name: str) -> Choice:
    """What the upload page stores after "Use this dataset": reader, suggestion, design."""
    df = read_table(raw)
    target = suggest_target(df).column
    assert target is not None, f"{name}: no target suggested"
    features, _ = default_features(df, target)
    design = design_matrix(df, target, features, missing="impute")
    return Choice("upload", f"{name}.csv", design.X, design.y, list(design.feature_names),
                  design.target, "", list(design.notes), rows=design.rows_phrase(len(df)))


@pytest.fixture(scope="module", params=list(SHAPES))
def upload(request) -> Choice:
    return _upload(SHAPES[request.param](), request.param.replace(" ", "_"))


PAGES = [
    ("paths", {}, {}),
    ("geometry", {"gdata": "table"}, {}),
    ("house-prices", {}, {}),
    ("sparsity", {"lab": "zeros"}, {}),
    ("sparsity", {"lab": "twins"}, {"twins_source": "sidebar"}),
    ("zeros-made", {"part": "speed"}, {}),
]


@pytest.mark.slow
@pytest.mark.parametrize("page,query,state", PAGES, ids=[f"{p}-{q}" for p, q, _ in PAGES])
def test_an_uploaded_real_file_runs_on_every_lesson(upload, page, query, state):
    at = run_page(page, query={"dataset": "upload", **query}, timeout=240,
                  **{UPLOAD_KEY: upload}, **state)
    key = "zeros_dataset" if page == "zeros-made" else "dataset"
    assert at.selectbox(key=key).value == "upload"
    shown = " ".join(el.value for el in [*at.markdown, *at.caption, *at.info, *at.warning,
                                          *at.error])
    assert "Traceback" not in shown
    assert at.get("plotly_chart") or at.info or at.warning, f"{page} drew nothing"
