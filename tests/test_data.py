"""Tests for regviz.data: awkward student files either load cleanly or fail with a clear DataError.

Every awkward file is written inline (bytes literals or tmp_path), so each test
shows exactly the input it pins.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regviz import decoding
from regviz.data import DataError, Design, default_target, design_matrix, read_table
from regviz.errors import DataError as BaseDataError

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def assert_finite_design(d: Design) -> None:
    assert d.X.dtype == np.float64 and d.y.dtype == np.float64
    assert d.X.ndim == 2 and d.y.ndim == 1
    assert d.X.shape[0] == d.y.shape[0]
    assert d.X.shape[1] == len(d.feature_names) == len(d.source_columns)
    assert d.X.flags.c_contiguous
    assert np.isfinite(d.X).all() and np.isfinite(d.y).all()


def notes_text(obj: pd.DataFrame | Design) -> str:
    notes = obj.attrs["notes"] if isinstance(obj, pd.DataFrame) else obj.notes
    return " ".join(notes)


# --------------------------------------------------------------------------- read_table


def test_data_error_is_the_shared_value_error() -> None:
    assert DataError is BaseDataError
    assert issubclass(DataError, ValueError)


def test_semicolon_file_with_decimal_commas_parses_as_numbers() -> None:
    raw = "model;engine_l;fuel;consumption\nA;1,6;petrol;6,5\nB;2,0;diesel;5,1\nC;1,2;petrol;5,9\n"
    df = read_table(raw.encode())
    assert list(df.columns) == ["model", "engine_l", "fuel", "consumption"]
    assert df["engine_l"].tolist() == [1.6, 2.0, 1.2]
    assert df["consumption"].tolist() == [6.5, 5.1, 5.9]
    assert "semicolons" in notes_text(df) and "decimal commas" in notes_text(df)


def test_semicolon_file_with_european_thousands_and_decimal_commas() -> None:
    raw = b"price;rooms\n1.234,50;3\n2.000,00;4\n950,25;2\n"
    df = read_table(raw)
    assert df["price"].tolist() == [1234.5, 2000.0, 950.25]
    assert "thousands separators" in notes_text(df)


def test_utf8_bom_does_not_end_up_in_the_first_column_name() -> None:
    raw = "\ufeffcity,x,y\nZürich,1,2\nBern,2,3\nBasel,3,5\n".encode()
    df = read_table(raw)
    assert list(df.columns) == ["city", "x", "y"]
    assert df["city"].tolist() == ["Zürich", "Bern", "Basel"]


def test_latin1_file_decodes_accented_names_and_says_so() -> None:
    raw = "city;x;y\nZürich;1;2\nGenève;2;3\nBern;3;5\n".encode("latin-1")
    df = read_table(raw)
    assert df["city"].tolist() == ["Zürich", "Genève", "Bern"]
    assert "not valid UTF-8" in notes_text(df)


def test_utf16_file_from_excel_unicode_text_is_read() -> None:
    raw = "a\tb\n1\t2\n3\t5\n".encode("utf-16")
    df = read_table(raw)
    assert list(df.columns) == ["a", "b"] and df["b"].tolist() == [2, 5]


def test_quoted_fields_may_contain_the_separator_and_line_breaks() -> None:
    raw = (
        b'name,note,x,y\n"Smith, J","likes ""cats"", dogs",1,2\n'
        b'"Doe, A","two\nlines",2,4\nX,d,3,7\n'
    )
    df = read_table(raw)
    assert df.shape == (3, 4)
    assert df["name"].tolist() == ["Smith, J", "Doe, A", "X"]
    assert df["note"].tolist() == ['likes "cats", dogs', "two\nlines", "d"]
    assert df["y"].tolist() == [2, 4, 7]


def test_all_text_columns_load_but_a_text_target_is_refused() -> None:
    df = read_table(b"colour,shape\nred,round\nblue,square\nred,square\n")
    assert all(pd.api.types.is_string_dtype(df[c]) for c in df.columns)
    with pytest.raises(DataError, match="Target 'shape' is text"):
        design_matrix(df, "shape")


def test_single_column_file_loads_but_design_has_no_feature() -> None:
    df = read_table(b"score\n1\n2\n3\n4\n")
    assert list(df.columns) == ["score"] and len(df) == 4
    with pytest.raises(DataError, match="No feature columns|No usable feature"):
        design_matrix(df, "score")


def test_header_only_file_is_refused_naming_the_columns() -> None:
    with pytest.raises(DataError, match=r"header \(a, b, c\) but no data rows"):
        read_table(b"a,b,c\n")
    with pytest.raises(DataError, match="no data rows"):
        read_table(b"a;b;c\r\n\r\n\r\n")


@pytest.mark.parametrize("raw", [b"", b"   \n\n\t\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n"])
def test_empty_file_is_refused(raw: bytes) -> None:
    with pytest.raises(DataError, match="empty"):
        read_table(raw)


def test_file_of_only_comments_is_refused() -> None:
    with pytest.raises(DataError, match="only blank or comment lines"):
        read_table(b"# nothing here\n\n# still nothing\n")


def test_row_with_too_few_fields_names_its_line_and_counts() -> None:
    with pytest.raises(DataError, match=r"Line 3 has 2 field\(s\) but the header has 3"):
        read_table(b"a,b,c\n1,2,3\n4,5\n6,7,8\n")


def test_row_with_too_many_fields_names_its_line_counting_skipped_lines() -> None:
    raw = b"# exported 2024\n\na,b,c\n1,2,3\n4,5,6\n7,8,9,10\n"
    with pytest.raises(DataError, match=r"Line 6 has 4 field\(s\) but the header has 3"):
        read_table(raw)


def test_unclosed_quote_is_blamed_on_its_line() -> None:
    raw = b'a,b,c\n1,2,3\n4,"oops,6\n7,8,9\n10,11,12\n'
    with pytest.raises(DataError, match=r"Line 3 .*quote"):
        read_table(raw)


def test_trailing_separator_on_every_row_is_tolerated() -> None:
    df = read_table(b"a,b,c,\n1,2,3,\n4,5,6,\n7,8,10,\n\n\n")
    assert list(df.columns) == ["a", "b", "c"]
    assert df.shape == (3, 3)


def test_trailing_empty_field_only_on_data_rows_is_tolerated() -> None:
    df = read_table(b"a;b\n1;2;\n3;4;\n5;6\n")
    assert list(df.columns) == ["a", "b"] and df["b"].tolist() == [2, 4, 6]


def test_duplicate_column_names_are_made_unique() -> None:
    df = read_table(b"a,a,b,a\n1,2,3,4\n5,6,7,8\n")
    assert list(df.columns) == ["a", "a.1", "b", "a.2"]


def test_column_names_are_stripped_and_blank_names_get_positional_names() -> None:
    df = read_table(b" x ,,  y\n1,2,3\n4,5,6\n7,8,10\n")
    assert list(df.columns) == ["x", "column_2", "y"]


def test_missing_value_markers_become_nan_and_are_noted() -> None:
    raw = b"x,score,colour\n1,N/A,red\n2,?,n/a\n3,4,blue\n4,-,red\n5,null,.\n6,9,None\n7,NaN,blue\n"
    df = read_table(raw)
    assert pd.api.types.is_float_dtype(df["score"])
    assert df["score"].isna().tolist() == [True, True, False, True, True, False, True]
    assert df["colour"].isna().sum() == 3
    assert "Column 'score': treated" in notes_text(df)
    assert "'?'" in notes_text(df) and "'N/A'" in notes_text(df)


def test_column_made_only_of_markers_becomes_all_missing_and_is_left_out() -> None:
    df = read_table(b"x,junk,y\n1,?,2\n2,N/A,4\n3,-,7\n4,?,8\n")
    assert df["junk"].isna().all()
    d = design_matrix(df, "y")
    assert d.feature_names == ["x"]
    assert "'junk' is empty" in notes_text(d)


def test_thousands_separators_and_currency_are_parsed_as_numbers() -> None:
    raw = (
        b'price,area,tax,net\n"$1,234",1 200,5%,"-1,000.5"\n'
        b'"$2,000.50",1 500,7.5%,250\n$950,900,3%,10\n'
    )
    df = read_table(raw)
    assert df["price"].tolist() == [1234.0, 2000.5, 950.0]
    assert df["area"].tolist() == [1200.0, 1500.0, 900.0]
    assert df["tax"].tolist() == [5.0, 7.5, 3.0]
    assert df["net"].tolist() == [-1000.5, 250.0, 10.0]
    text = notes_text(df)
    assert "Column 'price' had currency signs and thousands separators; parsed as numbers." in text
    assert "Column 'tax' had percent signs" in text


def test_euro_sign_after_the_number_with_decimal_comma() -> None:
    df = read_table("item;cost\na;1.250,00 €\nb;99,90 €\nc;-5,00 €\n".encode())
    assert df["cost"].tolist() == [1250.0, 99.9, -5.0]


def test_numbers_in_mixed_styles_stay_text_rather_than_being_guessed() -> None:
    df = read_table(b'v,y\n"1,5",1\n1.5,2\n"1,234.5",3\n')
    assert pd.api.types.is_string_dtype(df["v"])


def test_a_few_words_among_numbers_keep_a_column_as_text() -> None:
    df = read_table(b"v,y\n1,1\n2,2\nlots,3\n")
    assert pd.api.types.is_string_dtype(df["v"])


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"a,b\x00,c\n1,2,3\n", "binary data"),
        (b"PK\x03\x04\x14\x00\x06\x00rest-of-a-zip", "Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old-xls", "Excel workbook"),
        (bytes(range(1, 32)) * 20, "binary data"),
    ],
)
def test_binary_content_is_refused(raw: bytes, words: str) -> None:
    with pytest.raises(DataError, match=words):
        read_table(raw)


def test_leading_blank_and_comment_lines_are_skipped_before_the_header() -> None:
    df = read_table(b"\n# survey export\n   \n# v2\nx,y\n1,2\n2,4\n3,7\n")
    assert list(df.columns) == ["x", "y"] and len(df) == 3
    assert "Skipped 4 blank or comment line(s)" in notes_text(df)


def test_excel_sep_line_sets_the_separator() -> None:
    df = read_table(b"sep=;\nx;y\n1,5;2\n2,5;4\n3;7\n")
    assert df["x"].tolist() == [1.5, 2.5, 3.0]


@pytest.mark.parametrize("sep", ["\t", "|", ";", ","])
def test_tab_pipe_semicolon_and_comma_separators_are_detected(sep: str) -> None:
    lines = ["name,x,y", "a b,1.5,2", "c d,2.5,4", "e f,3.5,7"]
    raw = "\n".join(line.replace(",", sep) for line in lines).encode()
    df = read_table(raw)
    assert list(df.columns) == ["name", "x", "y"]
    assert df["x"].tolist() == [1.5, 2.5, 3.5]


@pytest.mark.parametrize("newline", [b"\r\n", b"\r", b"\n"])
def test_any_line_ending_and_blank_trailing_lines_are_fine(newline: bytes) -> None:
    raw = newline.join([b"x,y", b"1,2", b"2,4", b"3,7", b"", b"", b""])
    df = read_table(raw)
    assert df.shape == (3, 2)


def test_rows_of_only_separators_are_skipped_like_blank_lines() -> None:
    df = read_table(b"x;y\n1;2\n;\n2;4\n3;7\n;;\n")
    assert df.shape == (3, 2)
    assert "Skipped 2 empty row(s)" in notes_text(df)


def test_headerless_file_of_numbers_gets_positional_column_names() -> None:
    df = read_table(b"1,2\n3,4\n5,7\n")
    assert list(df.columns) == ["column_1", "column_2"] and len(df) == 3
    assert "treated as data" in notes_text(df)


def test_title_line_above_the_header_is_refused_with_a_hint() -> None:
    with pytest.raises(DataError, match="title line"):
        read_table(b"My survey results\nx,y,z\n1,2,3\n4,5,6\n7,8,9\n")


def test_file_like_objects_paths_and_text_are_all_accepted(tmp_path: Path) -> None:
    raw = b"x,y\n1,2\n2,4\n3,7\n"
    path = tmp_path / "t.csv"
    path.write_bytes(raw)
    already_read = io.BytesIO(raw)
    already_read.read()  # Streamlit reruns hand back an upload that was read before
    sources = [raw, bytearray(raw), path, str(path), io.BytesIO(raw), already_read]
    sources += [io.StringIO(raw.decode()), raw.decode()]
    for source in sources:
        assert read_table(source)["y"].tolist() == [2, 4, 7]


def test_missing_path_and_unsupported_source_raise_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="Could not open"):
        read_table(tmp_path / "nope.csv")
    with pytest.raises(DataError, match="folder"):
        read_table(tmp_path)
    with pytest.raises(DataError, match="Cannot read a table"):
        read_table(12345)  # type: ignore[arg-type]


def test_files_over_the_size_limit_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(decoding, "MAX_FILE_BYTES", 1000)
    raw = b"x,y\n" + b"1,2\n" * 400
    path = tmp_path / "big.csv"
    path.write_bytes(raw)
    for source in (raw, path, io.BytesIO(raw)):
        with pytest.raises(DataError, match="size limit"):
            read_table(source)


def test_fifty_megabyte_file_loads_and_gives_a_sampled_design(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    block = pd.DataFrame(rng.normal(size=(10_000, 6)).round(5), columns=list("abcdef"))
    block["group"] = rng.choice(["north", "south", "east"], len(block))
    block["y"] = block["a"] * 2 + rng.normal(size=len(block)).round(3)
    header, body = block.to_csv(index=False).split("\n", 1)
    repeats = 50 * 1024 * 1024 // len(body) + 1
    path = tmp_path / "big.csv"
    path.write_text(header + "\n" + body * repeats)
    assert path.stat().st_size > 50 * 1024 * 1024

    df = read_table(path)
    assert df.shape == (10_000 * repeats, 8)
    d = design_matrix(df, "y")
    assert_finite_design(d)
    assert d.X.shape == (200_000, 8)
    assert "random sample of 200,000 rows" in notes_text(d)


# --------------------------------------------------------------------------- non-finite values


def test_inf_in_a_feature_is_refused_naming_the_column_and_row() -> None:
    df = read_table(b"x,z,y\n1,1,2\n2,inf,4\n3,2,7\n4,5,8\n")
    with pytest.raises(DataError, match=r"Column 'z' has an infinite value \(inf\) in data row 2"):
        design_matrix(df, "y")


def test_minus_inf_in_the_target_is_refused() -> None:
    df = read_table(b"x,y\n1,2\n2,-inf\n3,7\n4,8\n")
    with pytest.raises(DataError, match=r"Column 'y' has an infinite value \(-inf\) in data row 2"):
        design_matrix(df, "y")


def test_value_1e308_is_refused_as_too_large_naming_the_column() -> None:
    df = read_table(b"x,big,y\n1,1,2\n2,3,4\n3,1e308,7\n4,5,8\n")
    assert np.isfinite(df["big"]).all()
    with pytest.raises(DataError, match=r"Column 'big' has a value too large.*data row 3"):
        design_matrix(df, "y")


def test_value_1e400_overflows_to_inf_and_is_refused() -> None:
    df = read_table(b"x,y\n1,2\n1e400,4\n3,7\n4,8\n")
    with pytest.raises(DataError, match="Column 'x' has an infinite value"):
        design_matrix(df, "y")


def test_a_column_with_inf_is_fine_when_it_is_not_used() -> None:
    df = read_table(b"x,z,y\n1,1,2\n2,inf,4\n3,2,7\n4,5,8\n")
    d = design_matrix(df, "y", features=["x"])
    assert d.feature_names == ["x"]
    assert_finite_design(d)


# --------------------------------------------------------------------------- many levels


def test_sixty_thousand_distinct_strings_are_excluded_as_id_like() -> None:
    n = 60_000
    rng = np.random.default_rng(0)
    x = rng.normal(size=n)
    lines = ["code,x,y"] + [f"k{i:05d}x,{x[i]:.4f},{2 * x[i] + 1:.4f}" for i in range(n)]
    df = read_table("\n".join(lines).encode())
    d = design_matrix(df, "y")
    assert d.feature_names == ["x"]
    assert "Column 'code' has a different text value in every row" in notes_text(d)


def test_chosen_text_column_with_more_than_fifty_levels_is_refused_with_the_count() -> None:
    df = pd.DataFrame({"city": [f"c{i % 60}" for i in range(300)], "y": np.arange(300.0) % 7})
    with pytest.raises(DataError, match=r"Column 'city' has 60 distinct text values.*Leave 'city'"):
        design_matrix(df, "y", ["city"])


def test_text_column_with_too_many_levels_is_left_out_of_the_defaults_with_a_note() -> None:
    rng = np.random.default_rng(1)
    df = pd.DataFrame(
        {"city": [f"c{i % 60}" for i in range(300)], "x": rng.normal(size=300),
         "y": rng.normal(size=300)}
    )
    d = design_matrix(df, "y")
    assert d.feature_names == ["x"]
    assert "Column 'city' has 60 distinct text values" in notes_text(d)
    assert "left out" in notes_text(d)
    with pytest.raises(DataError, match=r"all other columns were text with too many values"):
        design_matrix(df.drop(columns="x"), "y")


def test_max_columns_refusal_names_the_widest_text_columns() -> None:
    rng = np.random.default_rng(0)
    df = pd.DataFrame(
        {
            "shop": rng.choice([f"s{i}" for i in range(30)], 400),
            "colour": rng.choice(["r", "g", "b"], 400),
            "x": rng.normal(size=400),
            "y": rng.normal(size=400),
        }
    )
    with pytest.raises(DataError, match=r"32 feature columns.*limit of 10.*'shop' \(30 levels\)"):
        design_matrix(df, "y", max_columns=10)


# --------------------------------------------------------------------------- design_matrix


def make_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": range(1, 11),
            "colour": [
                "red",
                "green",
                "blue",
                "red",
                "green",
                "blue",
                "red",
                "green",
                "red",
                "blue",
            ],
            "x": [0.5, 1.5, 2.0, 3.5, 4.0, 5.5, 6.0, 7.5, 8.0, 9.5],
            "flag": [True, False] * 5,
            "y": [1.0, 2.5, 2.0, 4.5, 5.0, 6.0, 8.0, 7.5, 9.0, 11.0],
        }
    )


def test_one_hot_columns_are_named_column_equals_level_dropping_the_first_sorted_level() -> None:
    d = design_matrix(make_frame(), "y")
    assert d.feature_names == ["colour=green", "colour=red", "x", "flag"]
    assert d.source_columns == ["colour", "colour", "x", "flag"]
    assert d.n_onehot == 2
    assert d.target == "y"
    assert "'blue' is the reference level" in notes_text(d)
    assert d.X[:3, 0].tolist() == [0.0, 1.0, 0.0]  # red, green, blue -> colour=green
    assert d.X[:3, 1].tolist() == [1.0, 0.0, 0.0]  # colour=red
    assert_finite_design(d)


def test_booleans_become_zero_and_one() -> None:
    d = design_matrix(make_frame(), "y", features=["flag"])
    assert d.X[:, 0].tolist() == [1.0, 0.0] * 5
    assert "true/false" in notes_text(d)


def test_features_none_uses_every_other_column_except_the_excluded_ones() -> None:
    frame = make_frame().assign(const=3.0, empty=np.nan, name=[f"n{i}" for i in range(10)])
    d = design_matrix(frame, "y")
    assert "id" not in d.source_columns and "const" not in d.feature_names
    text = notes_text(d)
    assert "Column 'id' looks like an ID" in text
    assert "Column 'const' has the same value in every row" in text
    assert "Column 'empty' is empty" in text
    assert "Column 'name' has a different text value in every row" in text


def test_consecutive_integer_column_is_id_like_unless_chosen_explicitly() -> None:
    frame = make_frame().rename(columns={"id": "visit"}).sample(frac=1.0, random_state=3)
    auto = design_matrix(frame, "y")
    assert "visit" not in auto.feature_names
    assert "consecutive whole numbers" in notes_text(auto)
    explicit = design_matrix(frame, "y", features=["visit", "x"])
    assert explicit.feature_names == ["visit", "x"]


def test_no_usable_feature_explains_why() -> None:
    frame = pd.DataFrame({"id": range(5), "c": 1.0, "y": [1.0, 2, 3, 5, 4]})
    with pytest.raises(
        DataError, match=r"No usable feature: all other columns were.*'c' \(constant\)"
    ):
        design_matrix(frame, "y")


def test_missing_drop_removes_incomplete_rows_and_counts_them() -> None:
    frame = make_frame()
    frame.loc[[1, 2], "x"] = np.nan
    frame.loc[4, "colour"] = None
    frame.loc[5, "y"] = np.nan
    d = design_matrix(frame, "y", missing="drop")
    assert d.X.shape[0] == 6
    assert "Dropped 4 of 10 rows with missing values" in notes_text(d)
    assert "'x': 2" in notes_text(d)


def test_missing_impute_fills_means_and_modes_but_drops_rows_without_target() -> None:
    frame = make_frame()
    frame.loc[[1, 2], "x"] = np.nan
    frame.loc[4, "colour"] = None
    frame.loc[5, "y"] = np.nan
    d = design_matrix(frame, "y", missing="impute")
    assert d.X.shape[0] == 9
    x_mean = frame["x"].mean()
    assert d.X[1, d.feature_names.index("x")] == pytest.approx(x_mean)
    assert d.X[4, d.feature_names.index("colour=red")] == 1.0  # red is the mode
    text = notes_text(d)
    assert "Dropped 1 of 10 rows with a missing target 'y'" in text
    assert (
        "'x' (2) with its mean" in text and "'colour' (1) with its most common value 'red'" in text
    )


def test_unknown_missing_policy_is_refused() -> None:
    with pytest.raises(DataError, match="missing must be 'drop' or 'impute'"):
        design_matrix(make_frame(), "y", missing="mean")  # type: ignore[arg-type]


def test_too_few_complete_rows_says_how_many_had_gaps() -> None:
    frame = make_frame()
    frame.loc[:7, "x"] = np.nan
    with pytest.raises(
        DataError, match=r"Only 2 complete row\(s\).*8 of 10 rows had a missing value"
    ):
        design_matrix(frame, "y")


def test_unknown_target_is_refused_listing_the_columns() -> None:
    with pytest.raises(
        DataError, match=r"Target column 'price' is not in the table.*'colour', 'x'"
    ):
        design_matrix(make_frame(), "price")


def test_unknown_feature_is_refused_naming_it() -> None:
    with pytest.raises(DataError, match=r"'weight'.*not in the table"):
        design_matrix(make_frame(), "y", features=["x", "weight"])


def test_constant_target_is_refused() -> None:
    with pytest.raises(DataError, match="Target 'c' has the same value"):
        design_matrix(make_frame().assign(c=2.0), "c")


def test_target_listed_among_features_is_used_only_as_target() -> None:
    d = design_matrix(make_frame(), "y", features=["x", "y"])
    assert d.feature_names == ["x"]
    assert "'y' is the target" in notes_text(d)


def test_design_matrix_parses_numeric_text_in_a_frame_it_is_given() -> None:
    frame = pd.DataFrame(
        {"cost": ["$1,000", "$2,500", "N/A", "$4,000"], "y": ["1", "2", "3", "5.5"]},
        dtype=object,
    )
    d = design_matrix(frame, "y", missing="impute")
    assert d.y.tolist() == [1.0, 2.0, 3.0, 5.5]
    assert d.X[:, 0].tolist() == [1000.0, 2500.0, 2500.0, 4000.0]


def test_column_constant_in_the_remaining_rows_is_left_out() -> None:
    frame = pd.DataFrame(
        {
            "x": [0.5, 2.0, 3.0, 4.0, 5.0],
            "v": [1.0, 3.0, 2.0, 5.0, np.nan],
            "w": [1.0, 1.0, 1.0, 1.0, 9.0],
            "y": [1.0, 3.0, 2.0, 5.0, 4.0],
        }
    )
    d = design_matrix(frame, "y")
    assert d.feature_names == ["x", "v"]
    assert "constant in the rows used: 'w'" in notes_text(d)


def test_rows_over_max_rows_are_sampled_reproducibly_in_original_order() -> None:
    n = 1_000
    frame = pd.DataFrame({"x": np.sin(np.arange(n)), "y": np.arange(n, dtype=float)})
    d = design_matrix(frame, "y", max_rows=100, seed=7)
    assert d.X.shape == (100, 1)
    assert np.all(np.diff(d.y) > 0)  # original order kept
    assert "1,000 usable rows; a random sample of 100 rows (seed 7)" in notes_text(d)
    again = design_matrix(frame, "y", max_rows=100, seed=7)
    assert np.array_equal(again.y, d.y)
    assert not np.array_equal(design_matrix(frame, "y", max_rows=100, seed=8).y, d.y)


@pytest.mark.parametrize(
    "kwargs", [{"max_rows": 0}, {"max_columns": -1}, {"seed": -3}, {"max_rows": 2.5}]
)
def test_bad_limits_are_refused(kwargs: dict) -> None:
    with pytest.raises(DataError, match="must be"):
        design_matrix(make_frame(), "y", **kwargs)


def test_non_frame_and_empty_frame_are_refused() -> None:
    with pytest.raises(DataError, match="DataFrame"):
        design_matrix([[1, 2]], "y")  # type: ignore[arg-type]
    with pytest.raises(DataError, match="empty"):
        design_matrix(pd.DataFrame({"y": []}), "y")


def test_integer_column_labels_are_accepted_and_named_as_text() -> None:
    frame = pd.DataFrame({0: [1.0, 2, 3, 5], 1: [2.0, 1, 4, 3]})
    d = design_matrix(frame, 1)  # type: ignore[arg-type]
    assert d.feature_names == ["0"] and d.target == "1"


def test_default_target_is_the_column_named_y_and_none_for_text() -> None:
    frame = make_frame().assign(note=["a"] * 10, const=1.0)
    assert default_target(frame) == "y"
    assert default_target(pd.DataFrame({"t": ["a", "b"]})) is None


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.csv")), ids=lambda p: p.name)
def test_example_files_load_and_give_a_design_with_the_default_target(path: Path) -> None:
    assert path.stat().st_size < 50_000
    df = read_table(path)
    target = default_target(df)
    numeric = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])]
    assert target == numeric[-1]
    for missing in ("drop", "impute"):
        d = design_matrix(df, target, missing=missing)
        assert_finite_design(d)
        assert d.X.shape[0] >= 50 and d.X.shape[1] >= 3


def test_there_are_several_example_files() -> None:
    assert len(list(EXAMPLES.glob("*.csv"))) >= 3


# --------------------------------------------------------------------------- fuzzing

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(max_size=400))
def test_read_table_on_arbitrary_bytes_raises_only_data_error(raw: bytes) -> None:
    try:
        df = read_table(raw)
    except DataError:
        return
    assert isinstance(df, pd.DataFrame) and len(df) > 0
    assert isinstance(df.attrs["notes"], list)


CELLS = st.sampled_from(
    ["1", "2,5", "-3.5", "1e400", "inf", "N/A", "?", "", " ", "abc", "Zürich", '"q,uoted"',
     '"', "$1,234", "12%", "1 000", "TRUE", "nan", "#", "sep=;", "\t", "0"]
)  # fmt: skip


@FUZZ
@given(
    st.lists(st.lists(CELLS, min_size=1, max_size=5), min_size=1, max_size=8),
    st.sampled_from([",", ";", "\t", "|"]),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.sampled_from(["utf-8", "utf-8-sig", "latin-1"]),
)
def test_read_table_on_csv_like_text_raises_only_data_error(
    rows: list[list[str]], sep: str, newline: str, encoding: str
) -> None:
    text = newline.join(sep.join(row) for row in rows)
    try:
        df = read_table(text.encode(encoding, errors="replace"))
    except DataError:
        return
    assert len(df) > 0 and len(set(df.columns)) == df.shape[1]
    target = default_target(df)
    if target is not None:
        try:
            d = design_matrix(df, target)
        except DataError:
            return
        assert_finite_design(d)


NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-5, 5).map(float),
    st.sampled_from([np.nan, 1e160, -1e149, 5e-324]),
)
TEXTS = st.one_of(st.sampled_from(["a", "b", "c", "", " a", "N/A", "?", "1", "2.5"]), st.none())


@st.composite
def frames(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(1, 12))
    n_cols = draw(st.integers(1, 5))
    columns = {}
    for j in range(n_cols):
        kind = draw(st.sampled_from(["num", "int", "text", "bool", "mixed", "category", "Int64"]))
        if kind == "num":
            values = draw(st.lists(NUMBERS, min_size=n, max_size=n))
        elif kind == "int":
            values = draw(st.lists(st.integers(-3, 3), min_size=n, max_size=n))
        elif kind in ("text", "category"):
            values = draw(st.lists(TEXTS, min_size=n, max_size=n))
        elif kind == "Int64":
            values = draw(
                st.lists(st.one_of(st.integers(-3, 3), st.none()), min_size=n, max_size=n)
            )
        elif kind == "bool":
            values = draw(st.lists(st.booleans(), min_size=n, max_size=n))
        else:
            values = draw(
                st.lists(st.one_of(NUMBERS, TEXTS, st.booleans()), min_size=n, max_size=n)
            )
        name = draw(st.sampled_from([f"c{j}", "id", "c0", "", "x y"]))
        dtype = {"mixed": object, "category": "category", "Int64": "Int64"}.get(kind)
        columns[f"{name}|{j}" if name else str(j)] = pd.Series(values, dtype=dtype)
    return pd.DataFrame(columns)


@FUZZ
@given(frames(), st.data(), st.sampled_from(["drop", "impute"]), st.integers(1, 20))
def test_design_matrix_on_small_frames_is_finite_or_raises_data_error(
    frame: pd.DataFrame, choice: st.DataObject, missing: str, max_rows: int
) -> None:
    target = choice.draw(st.sampled_from(list(frame.columns)))
    use_all = choice.draw(st.booleans())
    features = None if use_all else [c for c in frame.columns if c != target][:2]
    try:
        d = design_matrix(frame, target, features, missing=missing, max_rows=max_rows)
    except DataError:
        return
    assert_finite_design(d)
    assert d.X.shape[0] <= max_rows and d.X.shape[0] >= 1
    assert np.ptp(d.y) > 0


def test_row_number_like_feature_is_kept_when_it_is_the_only_feature() -> None:
    d = design_matrix(read_table(b"x,y\n1,2\n2,4\n3,7\n4,8\n"), "y")
    assert d.feature_names == ["x"]
    assert "no other feature is usable, so it was kept" in notes_text(d)


def test_unclosed_quote_in_the_header_is_reported() -> None:
    with pytest.raises(DataError, match="header line opens a quote"):
        read_table(b'"a,b\n1,2\n3,4\n')


def test_category_and_nullable_dtypes_are_handled() -> None:
    frame = pd.DataFrame(
        {
            "kind": pd.Categorical(["a", "b", "a", "b", "a"]),
            "n": pd.array([1, None, 3, 7, 2], dtype="Int64"),
            "y": pd.array([1.0, 2.0, 3.0, None, 4.5], dtype="Float64"),
        }
    )
    d = design_matrix(frame, "y", missing="impute")
    assert d.feature_names == ["kind=b", "n"]
    assert d.y.tolist() == [1.0, 2.0, 3.0, 4.5]
    assert d.X[1, 1] == pytest.approx((1 + 3 + 7 + 2) / 4)
    assert_finite_design(d)
