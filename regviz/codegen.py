"""A scikit-learn script that reproduces one of the app's fits from the student's own CSV.

Why a script and not just the numbers: a student should be able to take the
model out of the app and check it with the standard tool.  The script has to
rebuild exactly the design the app fitted, which is the hard part, because
regviz's reader (``regviz.data.read_table``) quietly absorbs spreadsheet
quirks (semicolons, decimal commas, "N/A", "$1,234", "12%") and
``design_matrix`` drops, imputes and one-hot encodes.

How it stays exact: the helper functions the script contains (``load_csv``,
``clean_text``, ``to_number``, ``build_design``) are real functions (of
:mod:`regviz.script_helpers`), copied into the script with ``inspect.getsource``.
Before a script is offered, :func:`upload_recipe` runs those very functions on the uploaded bytes
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
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from string import Template

import numpy as np
import pandas as pd

from regviz.api import sklearn_equivalent
from regviz.cells import MISSING_MARKERS
from regviz.decoding import utf16_without_bom
from regviz.design import Design
from regviz.errors import DataError
from regviz.features import table_columns
from regviz.logistic import logistic_sklearn_equivalent
from regviz.reading import SEPARATOR_NAMES, WHITESPACE, detect_layout
from regviz.script_helpers import HELPERS, build_design, clean_text, load_csv, to_number

__all__ = [
    "CsvFormat",
    "Recipe",
    "ScriptFit",
    "build_design",
    "builtin_recipe",
    "clean_text",
    "csv_format",
    "load_csv",
    "recipe_snippet",
    "script",
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


@dataclass(frozen=True)
class ScriptFit:
    """The fit a script reproduces, and the app's coefficients to print beside scikit-learn's."""

    penalty: str
    lam: float
    l1_ratio: float = 1.0
    standardize: bool = True
    expected_coef: Sequence[float] | None = None
    expected_intercept: float | None = None
    loss: str = "squared"  # "logistic": a 0/1 target fitted by LogisticRegression


# The script, section by section.  string.Template: "$name" is filled in, and the
# script's own f-strings keep their braces.
_SCRIPT = Template('''\
"""Reproduce a regviz fit with scikit-learn.

Model: $model_words, lambda = $lam$a_words.
regviz minimises  $datafit_words + lambda * P(w),
with P(w) = a*sum|w_j| + (1-a)*sum w_j^2 (a = 1: lasso, a = 0: ridge) and the
intercept b not penalized$scaling_words
$sklearn_words

Put this file next to the CSV file and run:  python this_file.py
Needs numpy, pandas and scikit-learn.
"""

${helper_imports}import numpy as np
import pandas as pd
from sklearn.linear_model import $estimator
from sklearn.pipeline import make_pipeline
${scaler_import}
$data
if len(y) != N_ROWS:
    print(f"Warning: {len(y)} rows, but regviz fitted {N_ROWS}; results will differ.")

# regviz: $model_words at lambda = $lam_short with n = $n rows
# is scikit-learn's $estimator with these arguments:
$pipeline
model.fit(X, y)
estimator = model[-1]
$unscale
coef = coef + 0.0  # prints 0 rather than -0
$report
''')

_PLAIN_DATA = Template('''\
CSV = $csv  # the table as the app fitted it: features, then target
TARGET = $target
FEATURES = $features
N_ROWS = $n  # rows regviz fitted
$caveats
df = pd.read_csv(CSV)
X = df[FEATURES]
y = df[TARGET].to_numpy(dtype=float)''')

_UPLOAD_DATA = Template('''\
CSV = $csv
$format_words
SEP = $sep
DECIMAL = $decimal
ENCODING = $encoding
SKIPROWS = $skiprows
NAMES = $names
# Columns whose numbers are written with the other decimal mark than the file's:
DECIMALS = $decimals

TARGET = $target
# The columns of X in regviz's order. 'column=level' is a one-hot column (1 where
# the text equals level); each text column's first level in sorted order is the
# reference and has no column.
FEATURES = $features
# The CSV column each feature comes from.
SOURCES = $sources
$missing
GAP_COLUMNS = $gaps
# Cell values regviz treats as missing (after stripping spaces, ignoring case).
MISSING_MARKERS = {
$markers
}
LAMBDA = $lam
N_ROWS = $n  # rows regviz fitted
$caveats

$helpers
df = load_csv(CSV, SEP, DECIMAL, ENCODING, SKIPROWS, NAMES)
X, y = build_design(df, TARGET, FEATURES, SOURCES, MISSING, GAP_COLUMNS, DECIMAL, DECIMALS)''')

_MISSING_LINES = {
    "drop": 'MISSING = "drop"  # rows with a gap in the target or a gap column are removed',
    "impute": 'MISSING = "impute"  # gaps: column mean (numbers), most common value (text)',
}

_SCALED = ''', on standardized features (centred, divided by the
population standard deviation; coefficients reported in the original units).'''
_UNSCALED = ", on the features as they are (not standardized)."

_SQUARED_WORDS = ("(1/n) sum_i (y_i - b - x_i.w)^2", """\
scikit-learn scales the same objective differently, hence its alpha:
Lasso(alpha=lambda/2), Ridge(alpha=n*lambda),
ElasticNet(alpha=lambda*(1 - a/2), l1_ratio=a/(2 - a)).""")
_LOGISTIC_WORDS = ("-(1/n) sum_i [y_i log p_i + (1 - y_i) log(1 - p_i)]", """\
Here y_i is 0 or 1 and p_i = 1/(1 + exp(-(b + x_i.w))).
scikit-learn's LogisticRegression scales the same objective differently, hence its C:
L1: C = 1/(n*lambda), l1_ratio = 1; L2: C = 1/(2*n*lambda), l1_ratio = 0;
elastic net: C = 1/(n*lambda*(2 - a)), l1_ratio = a/(2 - a).
L1 and elastic net use solver="saga" (liblinear would penalize the intercept).""")

_SCALER_IMPORT = "from sklearn.preprocessing import StandardScaler\n"
_UNSCALE = {
    True: '''\
scaler = model[0]  # population standard deviation, as in regviz
coef = estimator.coef_ / scaler.scale_  # back to the original units of X
intercept = float(estimator.intercept_ - scaler.mean_ @ coef)''',
    False: '''\
coef = estimator.coef_
intercept = float(estimator.intercept_)''',
}

_COMPARISON = Template('''
# The app's coefficients, for comparison.
REGVIZ_COEF = np.array([
$rows])
REGVIZ_INTERCEPT = $intercept

width = max(len(name) for name in [*FEATURES, '(intercept)'])
print(f"{'term':<{width}}  {'scikit-learn':>16}  {'regviz':>16}")
print(f"{'(intercept)':<{width}}  {intercept:>16.10g}  {REGVIZ_INTERCEPT:>16.10g}")
for name, value, app in zip(FEATURES, coef, REGVIZ_COEF, strict=True):
    print(f"{name:<{width}}  {value:>16.10g}  {app:>16.10g}")
gap = max(np.max(np.abs(coef - REGVIZ_COEF), initial=0.0), abs(intercept - REGVIZ_INTERCEPT))
print(f"largest difference from regviz: {gap:.3g}")''')

_COEFFICIENTS = '''
width = max(len(name) for name in [*FEATURES, '(intercept)'])
print(f"{'(intercept)':<{width}}  {intercept:>16.10g}")
for name, value in zip(FEATURES, coef, strict=True):
    print(f"{name:<{width}}  {value:>16.10g}")'''


def _comment(text: str) -> str:
    """One safe comment line: user text must never break out of a '#' comment."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+", " ", str(text)).strip()


def _list_literal(values: Sequence[str], indent: str = "    ") -> str:
    if not values:
        return "[]"
    return "[\n" + "".join(f"{indent}{v!r},\n" for v in values) + "]"


def _float(value: float) -> str:
    return repr(float(value))


def _comment_lines(prefix: str, texts: Sequence[str]) -> str:
    """``prefix`` + each text as a safe comment, one per line, each ending the line."""
    return "".join(f"{prefix}{_comment(text)}\n" for text in texts)


def _model_call(estimator: str, params: Mapping[str, float]) -> str:
    """``Lasso(alpha=...)``, on several lines when it would be long."""
    args = [f"{k}={_float(v)}" for k, v in params.items() if k != "fit_intercept"]
    if estimator != "Ridge":
        args += ["tol=1e-12", "max_iter=1_000_000"]
    call = f"{estimator}({', '.join(args)})"
    if len(call) > 60:
        call = f"{estimator}(\n" + "".join(f"        {a},\n" for a in args) + "    )"
    return call


def _logistic_call(params: Mapping[str, float]) -> str:
    """``LogisticRegression(C=..., l1_ratio=..., solver=...)``, solved to regviz's precision.

    Without an L1 part newton-cholesky reaches the optimum to machine precision (lbfgs
    stops near 1e-7 relative); with one, saga is the solver that leaves the intercept free.
    """
    solver = "newton-cholesky" if params["l1_ratio"] == 0.0 else "saga"
    args = [f"C={_float(params['C'])}", f"l1_ratio={_float(params['l1_ratio'])}",
            f"solver={solver!r}", "tol=1e-12", "max_iter=1_000_000"]
    return "LogisticRegression(\n" + "".join(f"        {a},\n" for a in args) + "    )"


def _unscale(standardize: bool, logistic: bool) -> str:
    """Coefficients back to X's units; LogisticRegression keeps them as one row of a 2-D array."""
    text = _UNSCALE[bool(standardize)]
    if logistic:
        text = text.replace("estimator.coef_", "estimator.coef_.ravel()")
        text = text.replace("estimator.intercept_", "estimator.intercept_[0]")
    return text


def _plain_data(recipe: Recipe) -> str:
    """Reading a clean numeric CSV the app wrote (features and target as columns)."""
    return _PLAIN_DATA.substitute(
        csv=repr(str(recipe.csv_name)),
        target=repr(str(recipe.target)),
        features=_list_literal([str(f) for f in recipe.feature_names]),
        n=int(recipe.n),
        caveats=_comment_lines("# NOTE: ", recipe.caveats),
    )


def _upload_data(recipe: Recipe, lam: float) -> str:
    """Reading the student's own CSV and rebuilding X and y with the copied helpers."""
    fmt = recipe.fmt or CsvFormat()
    described = fmt.describe()
    if described:
        words = ("# regviz's reader found that " + "; ".join(described) + ",\n"
                 "# so read_csv needs the options below.")
    else:
        words = "# A plain comma-separated UTF-8 file: read_csv's usual options, spelled out."
    markers = sorted(MISSING_MARKERS)
    return _UPLOAD_DATA.substitute(
        csv=repr(str(recipe.csv_name)),
        format_words=words + "".join(f"\n#   reader: {_comment(n)}" for n in recipe.reader_notes),
        sep=repr(fmt.sep),
        decimal=repr(fmt.decimal),
        encoding=repr(fmt.encoding),
        skiprows=repr(int(fmt.skiprows)),
        names=_list_literal(list(fmt.names)) if fmt.names else None,
        decimals=repr(dict(recipe.decimals or {})),
        target=repr(str(recipe.target)),
        features=_list_literal([str(f) for f in recipe.feature_names]),
        sources=_list_literal([str(s) for s in recipe.source_columns]),
        missing=_MISSING_LINES[recipe.missing],
        gaps=_list_literal([str(c) for c in recipe.gap_columns]),
        markers="\n".join("    " + " ".join(f"{m!r}," for m in markers[i : i + 8])
                          for i in range(0, len(markers), 8)),
        lam=_float(lam),
        n=int(recipe.n),
        caveats=_comment_lines("# NOTE: ", recipe.caveats),
        helpers="\n\n\n".join(inspect.getsource(helper).rstrip() for helper in HELPERS) + "\n\n",
    )


def _report(fit: ScriptFit) -> str:
    """The printout: scikit-learn's coefficients, beside the app's when they are known."""
    if fit.expected_coef is None:
        return _COEFFICIENTS
    expected = [float(c) for c in np.asarray(fit.expected_coef, dtype=float).ravel()]
    return _COMPARISON.substitute(
        rows="".join(f"    {_float(c)},\n" for c in expected),
        intercept=_float(fit.expected_intercept or 0.0),
    )


def script(recipe: Recipe, fit: ScriptFit) -> str:
    """A runnable script: load the recipe's CSV, rebuild X and y, fit scikit-learn, print.

    The estimator and alpha come from :func:`regviz.sklearn_equivalent` for the
    recipe's ``n`` rows; with ``standardize`` the pipeline starts with a
    StandardScaler, as the app standardizes.  A plain recipe (a clean numeric CSV
    the app wrote) is just read; an upload is rebuilt by the helper functions of
    this module, copied into the script.
    """
    if len(recipe.source_columns) != len(recipe.feature_names):
        raise ValueError(f"{len(recipe.feature_names)} feature names but "
                         f"{len(recipe.source_columns)} source columns.")
    if recipe.missing not in _MISSING_LINES:
        raise ValueError(f"missing must be 'drop' or 'impute', not {recipe.missing!r}.")
    logistic = fit.loss == "logistic"
    if logistic:
        estimator, params = logistic_sklearn_equivalent(fit.penalty, fit.lam, fit.l1_ratio,
                                                        recipe.n)
        key = fit.penalty if fit.penalty in _PENALTY_WORDS else "elasticnet"
        model_call = _logistic_call(params)
    else:
        estimator, params = sklearn_equivalent(fit.penalty, fit.lam, fit.l1_ratio, recipe.n)
        key = {"Lasso": "l1", "Ridge": "l2"}.get(estimator, "elasticnet")
        model_call = _model_call(estimator, params)
    datafit_words, sklearn_words = _LOGISTIC_WORDS if logistic else _SQUARED_WORDS
    if fit.standardize:
        pipeline = f"model = make_pipeline(\n    StandardScaler(),\n    {model_call},\n)"
    else:
        pipeline = f"model = make_pipeline(\n    {model_call},\n)"
    return _SCRIPT.substitute(
        model_words=("logistic regression, " if logistic else "") + _PENALTY_WORDS[key],
        datafit_words=datafit_words,
        sklearn_words=sklearn_words,
        lam=f"{float(fit.lam):.10g}",
        a_words=f", a = {float(fit.l1_ratio):.4g}" if key == "elasticnet" else "",
        scaling_words=_SCALED if fit.standardize else _UNSCALED,
        helper_imports="" if recipe.plain else "import math\nimport re\n\n",
        estimator=estimator,
        scaler_import=_SCALER_IMPORT if fit.standardize else "",
        data=_plain_data(recipe) if recipe.plain else _upload_data(recipe, fit.lam),
        lam_short=f"{float(fit.lam):.6g}",
        n=int(recipe.n),
        pipeline=pipeline,
        unscale=_unscale(fit.standardize, logistic),
        report=_report(fit),
    )


def recipe_snippet(
    recipe: Recipe,
    *,
    penalty: str,
    lam: float,
    l1_ratio: float = 1.0,
    standardize: bool = True,
    expected_coef: Sequence[float] | None = None,
    expected_intercept: float | None = None,
    loss: str = "squared",
) -> str:
    """:func:`script` for a :class:`Recipe` and the fit's settings given by keyword."""
    fit = ScriptFit(penalty, lam, l1_ratio, standardize, expected_coef, expected_intercept, loss)
    return script(recipe, fit)
