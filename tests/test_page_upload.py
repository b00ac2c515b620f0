"""The "Your data" page (AppTest): upload, notes, errors, handing the table to the lessons.

Streamlit 1.67's AppTest supports ``file_uploader`` (``set_value((name, bytes, mime))``),
so the upload path is driven exactly as a browser would drive it.
"""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from regviz.codegen import Recipe
from ui.datasets import UPLOAD_KEY, Choice
from ui.downloads import RECIPE_KEY

ROOT = Path(__file__).resolve().parents[1]
PAGE = str(ROOT / "pages" / "your-data.py")
PATHS = str(ROOT / "pages" / "paths.py")
CARS = (ROOT / "examples" / "cars_semicolon_decimal_comma.csv").read_bytes()


def _page() -> AppTest:
    return AppTest.from_file(PAGE, default_timeout=120).run()


def _upload(at: AppTest, name: str, content: bytes) -> AppTest:
    at.file_uploader[0].set_value((name, content, "text/csv"))
    return at.run()


def _text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    return " ".join(parts).replace("\\", "")


def _in_state(at: AppTest, key: str) -> bool:
    try:
        at.session_state[key]
    except KeyError:
        return False
    return True


def test_page_states_the_upload_limit_and_offers_the_examples():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == 50
    at = _page()
    assert not at.exception
    limit = st.get_option("server.maxUploadSize")
    assert f"{limit} MB" in _text(at)
    assert at.file_uploader[0].allowed_type == [".csv", ".txt", ".tsv"]
    examples = {b.key for b in at.button if b.key and b.key.startswith("example_")}
    assert len(examples) == len(list((ROOT / "examples").glob("*.csv"))) >= 4


def test_uploaded_file_shows_the_readers_notes_and_a_summary():
    at = _upload(_page(), "cars.csv", CARS)
    assert not at.exception and not at.error
    text = _text(at)
    assert "semicolons" in text and "decimal commas" in text  # read_table's notes
    assert "one-hot encoded" in text  # design_matrix's notes
    assert at.selectbox[0].value == "consumption_l_100km"
    assert "model" not in at.multiselect[0].value  # different text in every row: left out
    assert [m.label for m in at.metric] == ["Rows used (n)", "Feature columns (p)",
                                            "One-hot columns"]
    assert len(at.dataframe) == 1


def test_example_button_loads_that_example_and_impute_keeps_more_rows():
    at = _page()
    at.button(key="example_students_missing_and_text.csv").click().run()
    assert not at.exception and not at.error
    assert "treated" in _text(at)  # the N/A markers
    dropped = int(at.metric[0].value)
    at.radio[0].set_value("impute").run()
    assert not at.exception
    assert int(at.metric[0].value) > dropped


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00binary", "Excel workbook"),
        (b"a,b,c\n1,2\n3,4,5\n", "Line 2"),
        (b"", "empty"),
        (b"name,colour\nann,red\nann,red\nann,red\n", "No column holds numbers"),
    ],
    ids=["excel", "ragged", "empty", "no-numbers"],
)
def test_a_bad_file_shows_an_error_not_a_traceback(content, words):
    at = _upload(_page(), "bad.csv", content)
    assert not at.exception
    assert at.error and words in at.error[0].value.replace("\\", "")
    assert not any(b.key == "upload_use" for b in at.button)  # nothing to hand to the lessons


def test_an_unexpected_failure_while_parsing_shows_a_plain_message(monkeypatch):
    def boom(_source):
        raise RuntimeError("internal detail")

    monkeypatch.setattr("regviz.data.read_table", boom)
    at = _upload(_page(), "cars.csv", CARS)
    assert not at.exception
    assert "could not be read" in at.error[0].value and "internal detail" not in at.error[0].value


def test_use_this_dataset_stores_a_choice_that_the_path_page_offers():
    at = _upload(_page(), "cars.csv", CARS)
    at.button(key="upload_use").click().run()
    assert not at.exception
    choice = at.session_state[UPLOAD_KEY]
    recipe = at.session_state[RECIPE_KEY]
    assert isinstance(choice, Choice) and choice.key == "upload" and choice.label == "cars.csv"
    assert choice.X.shape == (len(choice.y), len(choice.feature_names))
    assert any("semicolons" in n for n in choice.notes)
    assert isinstance(recipe, Recipe) and recipe.verified
    assert "cars.csv" in " ".join(s.value for s in at.success)

    paths = AppTest.from_file(PATHS, default_timeout=180)
    paths.session_state[UPLOAD_KEY] = choice
    paths.session_state[RECIPE_KEY] = recipe
    paths.run()
    box = paths.sidebar.selectbox(key="dataset")
    assert "Your uploaded data" in box.options
    box.set_value("upload").run()
    assert not paths.exception and not paths.error, [e.value for e in paths.error]
    assert not paths.get("download_button")  # built only once their expander is opened
    paths.session_state["dl_files"] = True
    paths.run()
    assert "cars.csv" in " ".join(c.value for c in paths.caption)
    assert {b.key for b in paths.get("download_button")} >= {"dl_coef", "dl_path", "dl_script"}
    # The script's listing is lazy: nothing until its switch is on.
    assert not paths.code
    paths.session_state["dl_recipe"] = True
    paths.run()
    assert not paths.exception
    script = paths.code[0].value
    assert "CSV = 'cars.csv'" in script and "SEP = ';'" in script


def test_remove_my_data_forgets_the_table_and_its_figures():
    at = _upload(_page(), "cars.csv", CARS)
    at.session_state["_figure_memo"] = {"stale": "figure of an earlier upload"}
    at.button(key="upload_use").click().run()
    assert _in_state(at, UPLOAD_KEY)
    assert not _in_state(at, "_figure_memo")  # a new table must not reuse the old figures
    at.session_state["_figure_memo"] = {"stale": "figure"}
    at.button(key="upload_remove").click().run()
    assert not at.exception
    assert not _in_state(at, UPLOAD_KEY) and not _in_state(at, RECIPE_KEY)
    assert not _in_state(at, "_figure_memo")
    assert "No data of yours" in _text(at)
    # The page's own copies go too: the file kept for a return visit and its parse.
    for key in ("_upload_last_file", "_upload_memo"):
        assert not _in_state(at, key), key
    assert not at.dataframe  # no preview of the forgotten file


def test_clearing_the_uploader_forgets_the_file_kept_for_a_return_visit():
    at = _upload(_page(), "cars.csv", CARS)
    assert _in_state(at, "_upload_last_file") and at.dataframe
    at.file_uploader[0].set_value(None)
    at.run()
    assert not at.exception
    assert not _in_state(at, "_upload_last_file") and not at.dataframe


def test_two_sessions_do_not_share_an_upload():
    first = _upload(_page(), "cars.csv", CARS)
    first.button(key="upload_use").click().run()
    assert _in_state(first, UPLOAD_KEY)
    second = _page()
    assert not _in_state(second, UPLOAD_KEY)
    assert "No data of yours" in _text(second)
    assert not second.dataframe  # nothing parsed in the second session either


# --------------------------------------------------------------------------- issue 17

_MARKUP = re.compile(r"(?<!\\)[\[\]!<>$_*`]")  # a Markdown/HTML character left unescaped
HOSTILE = ["![u](http://127.0.0.1:9/pixel.png)", "[click](http://127.0.0.1:9/)", "$x^2$",
           "<script>alert(1)</script>", "__bold__", "=HYPERLINK(\"http://127.0.0.1:9\")"]


def _shown_texts(at: AppTest) -> list[str]:
    """Everything the page rendered as Markdown: text, captions, alerts."""
    return [e.value for kind in ("markdown", "caption", "success", "info", "warning", "error")
            for e in getattr(at, kind)]


def _hostile_csv() -> bytes:
    rng = np.random.default_rng(0)
    table = pd.DataFrame({name: rng.normal(size=40) for name in HOSTILE})
    table["level"] = [HOSTILE[i % 3] for i in range(40)]
    table["ID_like_id"] = range(40)
    table["y"] = table[HOSTILE[0]] + rng.normal(size=40)
    return table.to_csv(index=False).encode()


def test_hostile_column_names_and_levels_are_never_markup_on_the_upload_page():
    at = _upload(_page(), "![x](http://127.0.0.1:9/f.png).csv", _hostile_csv())
    assert not at.exception and not at.error
    at.button(key="upload_use").click().run()
    assert not at.exception
    texts = _shown_texts(at)
    assert any("one\\-hot encoded" in t or "one-hot encoded" in t for t in texts)
    user_bits = [t for t in texts if any(h.split("(")[0][:4] in t.replace("\\", "")
                                         for h in HOSTILE)]
    assert user_bits  # the names are shown ...
    for text in user_bits:  # ... but only escaped
        for name in HOSTILE:
            assert name not in text
        stripped = text.replace("**", "").replace("*Your uploaded data*", "")
        assert _MARKUP.search(stripped) is None, text


def test_the_suggested_target_says_why():
    at = _upload(_page(), "cars.csv", CARS)
    assert at.selectbox[0].value == "consumption_l_100km"
    assert "consumption" in _text(at) and "usual name" in _text(at)


def test_no_evidence_for_a_target_asks_the_student_to_pick_one():
    rng = np.random.default_rng(1)
    table = pd.DataFrame({"Ozone": rng.normal(size=50), "Wind": rng.normal(size=50),
                          "Day": np.arange(50) % 31 + 1})
    at = _upload(_page(), "air.csv", table.to_csv(index=False).encode())
    assert not at.exception and not at.error
    assert at.selectbox[0].value is None
    assert "pick the column to predict" in " ".join(i.value for i in at.info)
    assert not at.metric and not at.multiselect  # nothing fitted until a target is chosen
    at.selectbox[0].set_value("Ozone").run()
    assert not at.exception and at.metric and at.multiselect[0].value == ["Wind", "Day"]


def test_a_space_separated_file_is_read_instead_of_refused():
    raw = b"OBS TUCE GPA GRADE\n" + b"".join(
        f"{i} {20 + i % 7} {2 + (i % 13) / 10:.2f} {i % 2}\n".encode() for i in range(1, 33))
    at = _upload(_page(), "spector.csv", raw)
    assert not at.exception and not at.error
    assert "looks space" in _text(at)
    assert at.selectbox[0].value == "GRADE"  # the only 0/1 column


def test_a_one_row_file_names_the_cause():
    at = _upload(_page(), "one.csv", b"a,b,y\n1,2,3\n")
    assert not at.exception
    assert at.error and "one row is not enough" in at.error[0].value.replace("\\", "")


def test_a_wide_file_preselects_a_bounded_set_and_previews_few_columns():
    rng = np.random.default_rng(2)
    table = pd.DataFrame(rng.normal(size=(40, 600)), columns=[f"g{j}" for j in range(600)])
    table["y"] = table["g7"] * 2 + rng.normal(size=40) * 0.1
    at = _upload(_page(), "wide.csv", table.to_csv(index=False).encode())
    assert not at.exception and not at.error
    assert len(at.multiselect[0].value) == 100 and "g7" in at.multiselect[0].value
    assert "600 usable feature columns" in _text(at)
    assert at.dataframe[0].value.shape[1] == 40 and "first 40 of 601 columns" in _text(at)
    assert at.metric[1].value == "100"


def test_a_sampled_table_says_so_wherever_rows_are_stated(monkeypatch):
    import regviz.data

    monkeypatch.setattr(regviz.data, "design_matrix",
                        functools.partial(regviz.data.design_matrix, max_rows=50))
    rng = np.random.default_rng(3)
    table = pd.DataFrame({"x": rng.normal(size=120), "y": rng.normal(size=120)})
    at = _upload(_page(), "big.csv", table.to_csv(index=False).encode())
    at.button(key="upload_use").click().run()
    assert not at.exception
    assert at.metric[0].value == "50"
    phrase = "50 rows, a random sample of the 120 usable rows (the file has 120)"
    assert phrase in _text(at)
    assert phrase in " ".join(s.value for s in at.success).replace("\\", "")
    assert phrase in at.session_state[UPLOAD_KEY].description
    assert "all 50" not in _text(at)


def _exam_csv(target_values) -> bytes:
    rows = [f"{h},{s},{t}" for h, s, t in zip(range(40), [5, 7, 6, 8] * 10, target_values,
                                               strict=True)]
    return ("hours,sleep,passed\n" + "\n".join(rows) + "\n").encode()


YES_NO = ["yes" if (h * 7) % 10 > 3 else "no" for h in range(40)]


def _pick_target(at: AppTest, column: str) -> AppTest:
    at.selectbox[0].set_value(column)
    return at.run()


def test_a_yes_no_target_switches_to_classification_and_says_which_level_is_one():
    at = _pick_target(_upload(_page(), "exam.csv", _exam_csv(YES_NO)), "passed")
    assert not at.exception and not at.error, [e.value for e in at.error]
    info = " ".join(i.value for i in at.info).replace("\\", "")
    n_yes = YES_NO.count("yes")
    assert "classification" in info
    assert f"yes ({n_yes:,} rows), coded **1**" in info
    assert f"no ({40 - n_yes:,} rows), coded **0**" in info
    assert at.toggle[0].label == "Treat this 0/1 target as a number (regression)"
    at.button(key="upload_use").click().run()
    choice = at.session_state[UPLOAD_KEY]
    assert choice.classifies and choice.classes == ("no", "yes")
    np.testing.assert_array_equal(choice.y, np.array(YES_NO) == "yes")
    assert at.session_state[RECIPE_KEY] is None  # the script reads the exported 0/1 table


def test_the_toggle_treats_a_zero_one_target_as_a_number():
    zero_one = [int(v == "yes") for v in YES_NO]
    at = _pick_target(_upload(_page(), "exam.csv", _exam_csv(zero_one)), "passed")
    assert not at.exception
    at.toggle[0].set_value(True).run()
    assert "fitted by least squares" in _text(at)
    at.button(key="upload_use").click().run()
    choice = at.session_state[UPLOAD_KEY]
    assert choice.task == "regression" and not choice.classes
    np.testing.assert_array_equal(choice.y, zero_one)
    assert isinstance(at.session_state[RECIPE_KEY], Recipe)  # the file's own column: a recipe


def test_a_three_class_text_target_names_the_column_the_classes_and_the_fix():
    grades = ["pass", "fail", "merit"] * 13 + ["pass"]
    at = _pick_target(_upload(_page(), "exam.csv", _exam_csv(grades)), "passed")
    assert not at.exception
    message = at.error[0].value.replace("\\", "")
    assert "'passed' has 3 classes" in message
    assert "'pass' (14 rows)" in message and "'fail' (13 rows)" in message
    assert "1 where 'passed' is 'pass' and 0 elsewhere" in message
    assert not any(b.key == "upload_use" for b in at.button)


def test_an_uploaded_yes_no_table_reaches_the_paths_page_as_logistic_regression():
    at = _pick_target(_upload(_page(), "exam.csv", _exam_csv(YES_NO)), "passed")
    at.button(key="upload_use").click().run()
    paths = AppTest.from_file(PATHS, default_timeout=180)
    paths.session_state[UPLOAD_KEY] = at.session_state[UPLOAD_KEY]
    paths.session_state[RECIPE_KEY] = at.session_state[RECIPE_KEY]
    paths.query_params["dataset"] = "upload"
    paths.run()
    assert not paths.exception and not paths.error, [e.value for e in paths.error]
    text = " ".join(c.value for c in paths.caption).replace("\\", "")
    assert "two-class target, so the path is logistic regression" in text
    assert "'yes' is coded 1 and 'no' is coded 0" in text
    paths.session_state["dl_files"] = True
    paths.session_state["dl_recipe"] = True
    paths.run()
    assert "LogisticRegression(" in paths.code[0].value
    assert "exam_table.csv" in paths.code[0].value  # reads the exported 0/1 table


def test_the_status_names_one_hot_columns_only_when_there_are_some():
    rows = [((i * 37) % 41 / 4, i % 7, (i * 11) % 5) for i in range(40)]
    numeric = b"a,b,c,y\n" + b"".join(f"{a},{b},{c},{2 * a - b + c}\n".encode()
                                      for a, b, c in rows)
    at = _upload(_page(), "numbers.csv", numeric)
    at.button(key="upload_use").click().run()
    described = at.session_state[UPLOAD_KEY].description
    assert "3 feature columns, predicting y." in described and "one-hot" not in described
    at = _upload(_page(), "cars.csv", CARS)
    at.button(key="upload_use").click().run()
    choice = at.session_state[UPLOAD_KEY]
    onehot = re.search(r"feature columns \((\d+) one-hot\)", choice.description)
    assert onehot and int(onehot.group(1)) > 0


def test_after_trying_an_example_one_click_brings_back_the_students_file():
    def buttons(at):
        return [b.key for b in at.button]

    at = _upload(_page(), "cars.csv", CARS)
    assert "upload_back" not in buttons(at)  # the file is in use: nothing to go back to
    at.button(key="example_students_missing_and_text.csv").click().run()
    assert any(h.value.startswith("Preview: students") for h in at.subheader)
    at.button(key="upload_back").click().run()
    assert not at.exception
    assert any(h.value == "Preview: cars.csv" for h in at.subheader)
    assert "upload_back" not in buttons(at)
