"""A scikit-learn script that reproduces one of the app's fits from the student's own CSV.

Why a script and not just the numbers: a student should be able to take the
model out of the app and check it with the standard tool.  The script has to
rebuild exactly the design the app fitted, which is the hard part, because
regviz's reader (``regviz.data.read_table``) quietly absorbs spreadsheet
quirks (semicolons, decimal commas, "N/A", "$1,234", "12%") and
``design_matrix`` drops, imputes and one-hot encodes.

How it stays exact: the helper functions the script contains (``load_csv``,
``clean_text``, ``to_number``, ``build_design``) are real functions of this
module, copied into the script with ``inspect.getsource``.  Before a script is
offered, :func:`upload_recipe` runs those very functions on the uploaded bytes
and compares the X and y they build with the app's ``Design``; the result is
``Recipe.verified``, and any difference becomes a warning comment in the
script instead of a silent mismatch.

The format detection is the reader's own (``regviz.reading.detect_layout``) and
so is the choice of gap columns (``regviz.features.table_columns``): the script
must make the same decisions as the reader, and sharing the code is the only way
to keep them from drifting apart (the tests pin the agreement).

Pure: no Streamlit, only numpy, pandas and the standard library at run time.
"""

from __future__ import annotations

import inspect
import io
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from regviz.api import sklearn_equivalent
from regviz.cells import MISSING_MARKERS
from regviz.decoding import utf16_without_bom
from regviz.design import Design
from regviz.errors import DataError
from regviz.features import table_columns
from regviz.reading import SEPARATOR_NAMES, WHITESPACE, detect_layout

__all__ = [
    "CsvFormat",
    "Recipe",
    "build_design",
    "builtin_recipe",
    "clean_text",
    "csv_format",
    "load_csv",
    "recipe_snippet",
    "sklearn_snippet",
    "to_number",
    "upload_recipe",
]

_PANDAS_WHITESPACE = r"\s+"  # read_csv's spelling of "one or more blanks"
_ENCODING_WORDS = {
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16 little-endian (no byte-order mark)",
    "utf-16-be": "UTF-16 big-endian (no byte-order mark)",
    "cp1252": "Windows-1252 (the file is not valid UTF-8)",
    "latin-1": "Latin-1 (the file is not valid UTF-8)",
}
_PENALTY_WORDS = {"l1": "lasso (L1)", "l2": "ridge (L2)", "elasticnet": "elastic net"}
_TOL = 1e-10  # relative agreement the verification demands of the rebuilt X and y


# --------------------------------------------------------------------------- the script's helpers
# These functions are copied verbatim into every generated script, so they use
# only pandas, numpy, re and the script's MISSING_MARKERS constant.


def load_csv(source, sep, decimal, encoding, skiprows, names):
    """Read the CSV with the options regviz's reader detected.

    Gaps stay empty here; markers such as "N/A" are handled by clean_text.
    """
    df = pd.read_csv(
        source,
        sep=sep,
        decimal=decimal,
        encoding=encoding,
        skiprows=skiprows,
        header=None if names else 0,
        names=names,
        index_col=False,
        keep_default_na=False,
        na_values=[""],
        skipinitialspace=True,
    )
    df.columns = [
        f"column_{i + 1}" if str(c).startswith("Unnamed: ") else str(c).strip()
        for i, c in enumerate(df.columns)
    ]
    return df.dropna(how="all").reset_index(drop=True)


def clean_text(column):
    """Strip spaces around text; regviz's missing-value markers become missing."""

    def clean(value):
        if isinstance(value, str):
            value = value.strip()
            return None if value.casefold() in MISSING_MARKERS else value
        return value

    return column.astype(object).map(clean)


def to_number(column, decimal):
    """Numbers as regviz reads them: currency signs, thousands separators and % removed.

    "12%" becomes 12 (a percentage, not 0.12); true/false becomes 1/0.
    """
    if pd.api.types.is_bool_dtype(column) or pd.api.types.is_numeric_dtype(column):
        return column.astype("float64")

    def number(value):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return np.nan
        if not isinstance(value, str):
            return float(value)
        text = re.sub(r"[$€£¥%'\s]", "", value.replace("\u2212", "-"))
        if decimal == ",":  # 1.234,5 -> 1234.5
            return float(text.replace(".", "").replace(",", "."))
        return float(text.replace(",", ""))  # 1,234.5 -> 1234.5

    return clean_text(column).map(number).astype("float64")


def build_design(df, target, features, sources, missing, gap_columns, decimal, decimals):
    """X and y exactly as regviz's design_matrix builds them.

    A feature named like its source column is a number (or true/false, as 1/0).
    A feature "column=level" is a one-hot column: 1 where the text is that level.
    The reference level (first in sorted order) has no column of its own.
    missing="drop": rows with a gap in the target or any gap column are removed.
    missing="impute": numeric gaps get the column mean, text gaps the most common
    value (ties: first in sorted order); rows without a target are removed.
    """
    y = to_number(df[target], decimals.get(target, decimal))
    keep = y.notna()
    if missing == "drop":
        for col in gap_columns:
            keep &= clean_text(df[col]).notna()
    columns = []
    for name, source in zip(features, sources, strict=True):
        if name == source:
            values = to_number(df[source], decimals.get(source, decimal))
            values = values.fillna(values.mean())
        else:
            text = clean_text(df[source])
            counts = text.value_counts()
            mode = min(counts.index[counts == counts.max()])
            level = name[len(source) + 1 :]
            values = (text.fillna(mode) == level).astype("float64")
        columns.append(values[keep].to_numpy(dtype="float64"))
    X = pd.DataFrame(np.column_stack(columns), columns=list(features))
    return X, y[keep].to_numpy(dtype="float64")


_HELPERS = (load_csv, clean_text, to_number, build_design)


# --------------------------------------------------------------------------- detection


@dataclass(frozen=True)
class CsvFormat:
    """``pandas.read_csv`` options that read a file the way regviz's reader did."""

    sep: str = ","
    decimal: str = "."
    encoding: str = "utf-8-sig"
    skiprows: int = 0
    names: tuple[str, ...] | None = None  # set when the first line is data, not a header

    def describe(self) -> list[str]:
        """Plain-English lines for the script's comment: what needs a read_csv option."""
        lines = []
        if self.sep != ",":
            sep = WHITESPACE if self.sep == _PANDAS_WHITESPACE else self.sep
            lines.append(f"columns are separated by {SEPARATOR_NAMES.get(sep, repr(sep))}")
        if self.decimal == ",":
            lines.append("numbers use decimal commas (1,5 means 1.5)")
        if self.encoding != "utf-8-sig":
            word = _ENCODING_WORDS.get(self.encoding, self.encoding)
            lines.append(f"the text encoding is {word}")
        if self.skiprows:
            lines.append(f"{self.skiprows} line(s) before the header are skipped")
        if self.names:
            lines.append("the first line is data, so columns are named column_1, column_2, ...")
        return lines


def _encoding(raw: bytes) -> str:
    """The encoding regviz's reader settles on (UTF-16 by BOM, UTF-8, else Windows-1252)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if b"\x00" in raw and (utf16 := utf16_without_bom(raw)) is not None:
        return utf16
    for name in ("utf-8-sig", "cp1252"):
        try:
            raw.decode(name)
        except UnicodeDecodeError:
            continue
        return name
    return "latin-1"


def csv_format(raw: bytes) -> CsvFormat:
    """Detect separator, decimal mark, encoding and preamble as ``read_table`` does.

    Raises DataError for files ``read_table`` would refuse.
    """
    encoding = _encoding(raw)
    text = raw.decode(encoding).lstrip("\ufeff").rstrip("\x1a")
    _, layout = detect_layout(text)
    sep = _PANDAS_WHITESPACE if layout.sep == WHITESPACE else layout.sep
    names = tuple(layout.names) if layout.header_is_data else None
    return CsvFormat(sep, layout.decimal, encoding, layout.first_line - 1, names)


# --------------------------------------------------------------------------- recipes


@dataclass(frozen=True)
class Recipe:
    """Everything a script needs to rebuild one Design from its CSV file.

    ``verified`` is True when the script's own helpers, run on the file, rebuilt
    the app's X and y (to 1e-10 relative); ``caveats`` say what differs if not.
    """

    csv_name: str
    target: str
    feature_names: tuple[str, ...]
    source_columns: tuple[str, ...]
    n: int
    missing: str = "drop"
    gap_columns: tuple[str, ...] = ()
    fmt: CsvFormat = field(default_factory=CsvFormat)
    decimals: Mapping[str, str] = field(default_factory=dict)
    reader_notes: tuple[str, ...] = ()
    caveats: tuple[str, ...] = ()
    verified: bool = False
    plain: bool = False  # a clean numeric table written by the app itself


def builtin_recipe(csv_name: str, feature_names: Sequence[str], target: str, n: int) -> Recipe:
    """Recipe for a design exported as a plain numeric CSV (features then target)."""
    names = tuple(str(f) for f in feature_names)
    return Recipe(csv_name, str(target), names, names, int(n), verified=True, plain=True)


def _spec_columns(df: pd.DataFrame, target: str, features: Sequence[str] | None) -> list[str]:
    """Columns whose gaps remove a row under missing="drop" (design_matrix's own rule)."""
    return [spec.name for spec in table_columns(df, target, features).features([])[0]]


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        return False
    return bool(np.allclose(a, b, rtol=_TOL, atol=_TOL * (1.0 + np.nanmax(np.abs(b), initial=0))))


def upload_recipe(
    raw: bytes,
    csv_name: str,
    df: pd.DataFrame,
    design: Design,
    features: Sequence[str] | None,
    missing: str,
) -> Recipe:
    """Recipe for a Design built from an uploaded file, checked by running the script's helpers.

    ``df`` is ``read_table(raw)``; ``features`` and ``missing`` are what was passed
    to ``design_matrix``.  Never raises for a file read_table accepted: what cannot
    be reproduced is reported in ``caveats``.
    """
    target = design.target
    names = tuple(design.feature_names)
    sources = tuple(design.source_columns)
    caveats: list[str] = []
    try:
        fmt = csv_format(raw)
    except DataError as exc:  # pragma: no cover - read_table accepted the same bytes
        fmt = CsvFormat()
        caveats.append(f"The file's format could not be detected again: {exc}")
    try:
        gaps = _spec_columns(df, target, features) if missing == "drop" else []
    except (DataError, KeyError, ValueError, TypeError):  # pragma: no cover - defensive
        gaps = list(dict.fromkeys(sources))
    decimals: dict[str, str] = {}
    verified = False
    try:
        raw_df = load_csv(io.BytesIO(raw), fmt.sep, fmt.decimal, fmt.encoding, fmt.skiprows,
                          list(fmt.names) if fmt.names else None)
        numeric = [target, *(s for n, s in zip(names, sources, strict=True) if n == s)]
        for col in dict.fromkeys(numeric):
            if col not in raw_df or col not in df or len(raw_df) != len(df):
                break
            for mark in (fmt.decimal, "," if fmt.decimal == "." else "."):
                try:
                    parsed = to_number(raw_df[col], mark)
                except (ValueError, TypeError):
                    continue
                if _same(parsed, df[col].to_numpy(dtype=float, na_value=np.nan)):
                    if mark != fmt.decimal:
                        decimals[col] = mark
                    break
        X, y = build_design(raw_df, target, names, sources, missing, gaps, fmt.decimal, decimals)
        verified = _same(X.to_numpy(), design.X) and _same(y, design.y)
    except (KeyError, ValueError, TypeError, IndexError, UnicodeError, pd.errors.ParserError):
        verified = False
    if not verified:
        caveats.append(
            "regviz could not confirm that this script rebuilds exactly the app's table from "
            "the file; compare the coefficients it prints with the app's before relying on them."
        )
    reader_notes = tuple(str(n) for n in df.attrs.get("notes", ()))
    if any("random sample" in note for note in design.notes):
        caveats.append(
            "The app fitted a random sample of the rows (the table is large); this script fits "
            "all of them, so its coefficients differ slightly."
        )
    return Recipe(csv_name, target, names, sources, len(design.y), missing, tuple(gaps), fmt,
                  decimals, reader_notes, tuple(caveats), verified)


# --------------------------------------------------------------------------- the script


def _comment(text: str) -> str:
    """One safe comment line: user text must never break out of a '#' comment."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+", " ", str(text)).strip()


def _list_literal(values: Sequence[str], indent: str = "    ") -> str:
    if not values:
        return "[]"
    return "[\n" + "".join(f"{indent}{v!r},\n" for v in values) + "]"


def _float(value: float) -> str:
    return repr(float(value))


def sklearn_snippet(
    csv_name: str,
    target: str,
    feature_names: Sequence[str],
    source_columns: Sequence[str] | None = None,
    *,
    penalty: str,
    lam: float,
    l1_ratio: float = 1.0,
    n: int,
    missing: str = "drop",
    standardize: bool = True,
    gap_columns: Sequence[str] | None = None,
    fmt: CsvFormat | None = None,
    decimals: Mapping[str, str] | None = None,
    reader_notes: Sequence[str] = (),
    caveats: Sequence[str] = (),
    expected_coef: Sequence[float] | None = None,
    expected_intercept: float | None = None,
    plain: bool = False,
) -> str:
    """A runnable script: load ``csv_name``, rebuild X and y, fit scikit-learn, print coefficients.

    ``feature_names`` and ``source_columns`` are the Design's (one-hot columns are
    named "column=level"; ``source_columns=None`` means every feature is a
    numeric column of the CSV).  The estimator and alpha come from
    :func:`regviz.sklearn_equivalent` for ``n`` rows; with ``standardize`` the
    pipeline starts with a StandardScaler, as the app standardizes.  Optional
    ``expected_coef``/``expected_intercept`` (the app's numbers) are printed next
    to scikit-learn's for comparison.  ``plain=True`` is for a clean numeric CSV
    written by the app (features and target as columns, no gaps): the script then
    just reads it, without the rebuilding helpers.
    """
    names = [str(f) for f in feature_names]
    sources = names if source_columns is None else [str(s) for s in source_columns]
    if len(sources) != len(names):
        raise ValueError(f"{len(names)} feature names but {len(sources)} source columns.")
    if missing not in ("drop", "impute"):
        raise ValueError(f"missing must be 'drop' or 'impute', not {missing!r}.")
    fmt = fmt or CsvFormat()
    gaps = list(dict.fromkeys(sources)) if gap_columns is None else [str(c) for c in gap_columns]
    estimator, params = sklearn_equivalent(penalty, lam, l1_ratio, n)
    key = {"Lasso": "l1", "Ridge": "l2"}.get(estimator, "elasticnet")
    args = [f"{k}={_float(v)}" for k, v in params.items() if k != "fit_intercept"]
    if estimator != "Ridge":
        args += ["tol=1e-12", "max_iter=1_000_000"]
    model_call = f"{estimator}({', '.join(args)})"
    if len(model_call) > 60:
        model_call = f"{estimator}(\n" + "".join(f"        {a},\n" for a in args) + "    )"

    out: list[str] = []
    add = out.append
    add('"""Reproduce a regviz fit with scikit-learn.\n')
    add(f"Model: {_PENALTY_WORDS[key]}, lambda = {float(lam):.10g}"
        + (f", a = {float(l1_ratio):.4g}" if key == "elasticnet" else "") + ".")
    add("regviz minimises  (1/n) sum_i (y_i - b - x_i.w)^2 + lambda * P(w),")
    add("with P(w) = a*sum|w_j| + (1-a)*sum w_j^2 (a = 1: lasso, a = 0: ridge) and the")
    add("intercept b not penalized" + (", on standardized features (centred, divided by the"
        "\npopulation standard deviation; coefficients reported in the original units)."
        if standardize else ", on the features as they are (not standardized)."))
    add("scikit-learn scales the same objective differently, hence its alpha:")
    add("Lasso(alpha=lambda/2), Ridge(alpha=n*lambda),")
    add("ElasticNet(alpha=lambda*(1 - a/2), l1_ratio=a/(2 - a)).\n")
    add("Put this file next to the CSV file and run:  python this_file.py")
    add('Needs numpy, pandas and scikit-learn.\n"""\n')
    if not plain:
        add("import math")
        add("import re\n")
    add("import numpy as np")
    add("import pandas as pd")
    add(f"from sklearn.linear_model import {estimator}")
    add("from sklearn.pipeline import make_pipeline")
    if standardize:
        add("from sklearn.preprocessing import StandardScaler")
    add("")
    if plain:
        add(f"CSV = {str(csv_name)!r}  # the table as the app fitted it: features, then target")
        add(f"TARGET = {str(target)!r}")
        add(f"FEATURES = {_list_literal(names)}")
        add(f"N_ROWS = {int(n)}  # rows regviz fitted")
        for caveat in caveats:
            add(f"# NOTE: {_comment(caveat)}")
        add("")
        add("df = pd.read_csv(CSV)")
        add("X = df[FEATURES]")
        add("y = df[TARGET].to_numpy(dtype=float)")
    else:
        add(f"CSV = {str(csv_name)!r}")
        described = fmt.describe()
        if described:
            add("# regviz's reader found that " + "; ".join(described) + ",")
            add("# so read_csv needs the options below.")
        else:
            add("# A plain comma-separated UTF-8 file: read_csv's usual options, spelled out.")
        for note in reader_notes:
            add(f"#   reader: {_comment(note)}")
        add(f"SEP = {fmt.sep!r}")
        add(f"DECIMAL = {fmt.decimal!r}")
        add(f"ENCODING = {fmt.encoding!r}")
        add(f"SKIPROWS = {int(fmt.skiprows)!r}")
        add(f"NAMES = {_list_literal(list(fmt.names)) if fmt.names else None}")
        add("# Columns whose numbers are written with the other decimal mark than the file's:")
        add(f"DECIMALS = {dict(decimals or {})!r}")
        add("")
        add(f"TARGET = {str(target)!r}")
        add("# The columns of X in regviz's order. 'column=level' is a one-hot column (1 where")
        add("# the text equals level); each text column's first level in sorted order is the")
        add("# reference and has no column.")
        add(f"FEATURES = {_list_literal(names)}")
        add("# The CSV column each feature comes from.")
        add(f"SOURCES = {_list_literal(sources)}")
        if missing == "drop":
            add('MISSING = "drop"  # rows with a gap in the target or a gap column are removed')
        else:
            add('MISSING = "impute"  # gaps: column mean (numbers), most common value (text)')
        add(f"GAP_COLUMNS = {_list_literal(gaps)}")
        add("# Cell values regviz treats as missing (after stripping spaces, ignoring case).")
        markers = sorted(MISSING_MARKERS)
        add("MISSING_MARKERS = {")
        for i in range(0, len(markers), 8):
            add("    " + " ".join(f"{m!r}," for m in markers[i : i + 8]))
        add("}")
        add(f"LAMBDA = {_float(lam)}")
        add(f"N_ROWS = {int(n)}  # rows regviz fitted")
        for caveat in caveats:
            add(f"# NOTE: {_comment(caveat)}")
        add("\n")
        for helper in _HELPERS:
            add(inspect.getsource(helper).rstrip() + "\n\n")
        add("df = load_csv(CSV, SEP, DECIMAL, ENCODING, SKIPROWS, NAMES)")
        add("X, y = build_design(df, TARGET, FEATURES, SOURCES, MISSING, GAP_COLUMNS, DECIMAL, "
            "DECIMALS)")
    add("if len(y) != N_ROWS:")
    add('    print(f"Warning: {len(y)} rows, but regviz fitted {N_ROWS}; results will differ.")')
    add("")
    add(f"# regviz: {_PENALTY_WORDS[key]} at lambda = {float(lam):.6g} with n = {int(n)} rows")
    add(f"# is scikit-learn's {estimator} with these arguments:")
    if standardize:
        add(f"model = make_pipeline(\n    StandardScaler(),\n    {model_call},\n)")
    else:
        add(f"model = make_pipeline(\n    {model_call},\n)")
    add("model.fit(X, y)")
    add("estimator = model[-1]")
    if standardize:
        add("scaler = model[0]  # population standard deviation, as in regviz")
        add("coef = estimator.coef_ / scaler.scale_  # back to the original units of X")
        add("intercept = float(estimator.intercept_ - scaler.mean_ @ coef)")
    else:
        add("coef = estimator.coef_")
        add("intercept = float(estimator.intercept_)")
    add("coef = coef + 0.0  # prints 0 rather than -0")
    if expected_coef is not None:
        expected = [float(c) for c in np.asarray(expected_coef, dtype=float).ravel()]
        add("\n# The app's coefficients, for comparison.")
        rows = "".join(f"    {_float(c)},\n" for c in expected)
        add(f"REGVIZ_COEF = np.array([\n{rows}])")
        add(f"REGVIZ_INTERCEPT = {_float(expected_intercept or 0.0)}")
        add("")
        add("width = max(len(name) for name in [*FEATURES, '(intercept)'])")
        add('print(f"{\'term\':<{width}}  {\'scikit-learn\':>16}  {\'regviz\':>16}")')
        add('print(f"{\'(intercept)\':<{width}}  {intercept:>16.10g}  '
            '{REGVIZ_INTERCEPT:>16.10g}")')
        add("for name, value, app in zip(FEATURES, coef, REGVIZ_COEF, strict=True):")
        add('    print(f"{name:<{width}}  {value:>16.10g}  {app:>16.10g}")')
        add("gap = max(np.max(np.abs(coef - REGVIZ_COEF), initial=0.0), "
            "abs(intercept - REGVIZ_INTERCEPT))")
        add('print(f"largest difference from regviz: {gap:.3g}")')
    else:
        add("\nwidth = max(len(name) for name in [*FEATURES, '(intercept)'])")
        add('print(f"{\'(intercept)\':<{width}}  {intercept:>16.10g}")')
        add("for name, value in zip(FEATURES, coef, strict=True):")
        add('    print(f"{name:<{width}}  {value:>16.10g}")')
    return "\n".join(out) + "\n"


def recipe_snippet(
    recipe: Recipe,
    *,
    penalty: str,
    lam: float,
    l1_ratio: float = 1.0,
    standardize: bool = True,
    expected_coef: Sequence[float] | None = None,
    expected_intercept: float | None = None,
) -> str:
    """:func:`sklearn_snippet` for a :class:`Recipe`."""
    return sklearn_snippet(
        recipe.csv_name,
        recipe.target,
        recipe.feature_names,
        recipe.source_columns,
        penalty=penalty,
        lam=lam,
        l1_ratio=l1_ratio,
        n=recipe.n,
        missing=recipe.missing,
        standardize=standardize,
        gap_columns=recipe.gap_columns,
        fmt=recipe.fmt,
        decimals=recipe.decimals,
        reader_notes=recipe.reader_notes,
        caveats=recipe.caveats,
        expected_coef=expected_coef,
        expected_intercept=expected_intercept,
        plain=recipe.plain,
    )
