"""The house page on a student's table: junk added to their columns, their names never markup."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import captions, charts, navigation_app, run_page
from ui.datasets import Choice

HOSTILE = ["![u](http://x/p.png)", "$x^2$", "<b>x</b>", "=cmd()"]
TARGET = "$y$ <i>t</i>"


def _choice(X, y, names, target=TARGET) -> Choice:
    return Choice("upload", "Your uploaded data", np.asarray(X, float), np.asarray(y, float),
                  list(names), target, "an uploaded table", [f"Column {names[0]} was kept."])


def _strong(n=200, seed=1) -> Choice:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4)) * [1.0, 10.0, 0.1, 1000.0]
    y = 3 * X[:, 0] + 0.4 * X[:, 1] + 20 * X[:, 2] + rng.normal(size=n)
    return _choice(X, y, HOSTILE)


def _run(choice: Choice) -> AppTest:
    return run_page("house-prices", timeout=180, query={"dataset": "upload"},
                    user_dataset=choice)


@pytest.fixture(scope="module")
def hostile() -> AppTest:
    return _run(_strong())


def _texts(at: AppTest) -> list[str]:
    """Every string the page hands to a Markdown renderer."""
    out = [m.value for m in at.markdown] + [c.value for c in at.caption]
    for kind in ("info", "warning", "error", "success"):
        out += [e.value for e in getattr(at, kind)]
    out += [t.value for t in at.title] + [h.value for h in at.header]
    return out


def test_upload_gets_the_junk_lesson_with_its_numbers(hostile):
    assert hostile.title[0].value.startswith("Junk in your data")
    text = captions(hostile)
    assert re.search(r"L1 at λ = [^:]+: (0 of 16 junk columns survive|\d+ of 16 junk)", text)
    assert "L2 at λ" in text
    markdown = "\n".join(m.value for m in hostile.markdown)
    assert "200 rows, 4 feature columns" in markdown
    assert "150 training rows" in markdown and "50 test rows" in markdown
    assert len(hostile.get("plotly_chart")) == 4  # coefficients, overfit curves and bars, scaling


def test_hostile_column_names_are_never_markdown(hostile):
    for text in _texts(hostile):
        assert "![u](" not in text, text
        assert not re.search(r"(?<!\\)\$x\^2", text), text
        assert not re.search(r"(?<!\\)<b>x", text), text
        assert not re.search(r"(?<!\\)\$y\$", text), text
        assert not re.search(r"(?<!\\)<i>t", text), text
    # The names are still shown, escaped: a reader sees them as typed.
    assert any(r"\!\[u\]" in t for t in _texts(hostile))


def test_hostile_column_names_are_never_plotly_markup(hostile):
    specs = charts(hostile)
    assert set(specs) >= {"house_coefs", "house_scaling"}
    for name, spec in specs.items():
        raw = json.dumps(spec, ensure_ascii=False)
        assert "<b>x</b>" not in raw, name
        assert "<i>t</i>" not in raw, name
    ticks = [y for t in specs["house_coefs"]["data"] for y in (t.get("y") or [])]
    assert "&lt;b&gt;x&lt;/b&gt;" in ticks
    assert not any(str(y).startswith("$") for y in ticks)


def test_table_cells_never_start_a_spreadsheet_formula(hostile):
    for df in hostile.dataframe:
        frame = df.value
        for col in frame.columns:
            assert not str(col).startswith("="), col
            if frame[col].dtype.kind in "OUT" or str(frame[col].dtype) == "str":
                assert not frame[col].astype(str).str.startswith("=").any(), col


def test_seed_redraws_the_junk_and_the_upload_stays_in_the_session(hostile):
    at = run_page("house-prices", timeout=180, query={"dataset": "upload", "seed": "3"},
                  user_dataset=_strong())
    before = hostile.dataframe[0].value
    after = at.dataframe[0].value
    assert list(before.columns) == list(after.columns) == [
        "mailbox_colour", "dog_name", "lottery_number", "listing_weekday"]
    assert not before.equals(after)
    assert "seed 3" in "\n".join(m.value for m in at.markdown)


def test_one_feature_says_what_cannot_change_and_still_runs():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(80, 1))
    at = _run(_choice(x, 2 * x[:, 0] + rng.normal(size=80), ["=cmd()"]))
    assert any("one feature" in i.value for i in at.info)
    markdown = "\n".join(m.value for m in at.markdown)
    assert "80 rows, 1 feature column," in markdown
    assert "your one feature" in markdown


def test_constant_target_says_why_and_what_would_make_it_apply():
    rng = np.random.default_rng(3)
    at = _run(_choice(rng.normal(size=(50, 3)), np.full(50, 7.0), HOSTILE[:3]))
    warning = " ".join(w.value for w in at.warning)
    assert "same value (7)" in warning and "Choose a target that varies" in warning
    assert not at.get("plotly_chart")


def test_too_few_rows_says_how_many_are_needed():
    rng = np.random.default_rng(4)
    at = _run(_choice(rng.normal(size=(12, 2)), rng.normal(size=12), ["a", "b"]))
    warning = " ".join(w.value for w in at.warning)
    assert "at least 20 rows" in warning and "has 12" in warning


def test_path_button_opens_the_paths_page_on_the_upload(tmp_path):
    at = navigation_app(tmp_path, {"house-prices": "house-prices", "paths": "paths"},
                        timeout=180)
    at.query_params["dataset"] = "upload"
    at.query_params["seed"] = "4"
    at.session_state["user_dataset"] = _strong()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "your uploaded table as it is" in "\n".join(m.value for m in at.markdown)
    at.button(key="house_to_paths").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Coefficient paths"
    assert at.selectbox(key="dataset").value == "upload"
    assert at.query_params["dataset"] == "upload" and at.query_params["seed"] == "4"
