"""The generated scikit-learn script rebuilds the app's design and returns the app's coefficients.

Each test writes a CSV, builds the design as the app does (read_table +
design_matrix), fits with regviz, generates the script, RUNS it, and compares
scikit-learn's coefficients with regviz's (relative 1e-6).
"""

from __future__ import annotations

import ast
import builtins
import runpy
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import regviz
from regviz import codegen
from regviz.data import default_target, design_matrix, read_table
from regviz.export import safe_csv

pytest.importorskip("sklearn")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

# Text column with gaps and a tie-free mode, numbers with markers, a percentage column.
STUDY_CSV = (
    "id,group,hours,sleep,attendance,score\n"
    + "\n".join(
        f"{i + 1},{g},{h},{s},{a},{y}"
        for i, (g, h, s, a, y) in enumerate(
            [
                ("red", "3.5", "7", "90%", 71), ("blue", "N/A", "6.5", "85%", 64),
                ("green", "5", "8", "?", 80), ("red", "2", "-", "70%", 55),
                ("", "4.5", "7.5", "95%", 77), ("blue", "6", "6", "88%", 79),
                ("green", "1.5", "9", "60%", 52), ("red", "3", "7", "75%", 63),
                ("blue", "5.5", "n/a", "92%", 83), ("green", "4", "6.5", "80%", 70),
                ("red", "2.5", "8.5", "65%", 58), ("blue", "7", "7", "97%", 88),
                ("green", "3.5", "5.5", "78%", 61), ("NA", "4", "8", "84%", 72),
                ("red", "6.5", "7", "91%", 85), ("blue", "1", "6", "55%", 47),
            ]
        )
    )
    + "\n"
).encode()


def _app_fit(raw: bytes, missing: str, penalty: str, frac: float = 0.1, standardize=True):
    df = read_table(raw)
    target = default_target(df)
    features = [c for c in df.columns if c != target]
    design = design_matrix(df, target, features, missing=missing)
    a = 0.5 if penalty == "elasticnet" else 1.0
    top = regviz.lambda_max(design.X, design.y, penalty="l1" if penalty == "l2" else penalty,
                            l1_ratio=a, standardize=standardize)
    lam = frac * top
    fit = regviz.fit(design.X, design.y, penalty=penalty, lam=lam, l1_ratio=a,
                     standardize=standardize)
    return df, design, features, fit, lam, a


def _run_script(script: str, folder: Path, monkeypatch) -> dict:
    path = folder / "reproduce.py"
    path.write_text(script, encoding="utf-8")
    monkeypatch.chdir(folder)
    return runpy.run_path(str(path), run_name="__main__")


def _assert_same(coef, intercept, fit):
    scale = max(1.0, float(np.max(np.abs(fit.coef))))
    np.testing.assert_allclose(coef, fit.coef, rtol=1e-6, atol=1e-6 * scale)
    assert intercept == pytest.approx(fit.intercept, rel=1e-6, abs=1e-6 * scale)


# The same table lined up with spaces and written with decimal commas (no empty cells:
# a space-aligned file marks a gap with a word), and saved as UTF-16 without a BOM.
SPACED_CSV = "\n".join(
    "   ".join(cell.replace(".", ",") or "NA" for cell in line.split(","))
    for line in STUDY_CSV.decode().splitlines()
).encode()
UTF16_CSV = STUDY_CSV.decode().encode("utf-16-le")

CASES = [
    ("study.csv", STUDY_CSV, "drop"),
    ("study.csv", STUDY_CSV, "impute"),
    ("spaced.txt", SPACED_CSV, "impute"),
    ("utf16.csv", UTF16_CSV, "drop"),
    ("students_missing_and_text.csv", None, "impute"),
    ("cars_semicolon_decimal_comma.csv", None, "drop"),
    ("houses_currency_thousands.csv", None, "drop"),
]


@pytest.mark.parametrize("penalty", ["l1", "l2", "elasticnet"])
@pytest.mark.parametrize(("name", "content", "missing"), CASES,
                         ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_script_reproduces_the_apps_coefficients(name, content, missing, penalty, tmp_path,
                                                 monkeypatch, capsys):
    raw = content if content is not None else (EXAMPLES / name).read_bytes()
    (tmp_path / name).write_bytes(raw)
    df, design, features, fit, lam, a = _app_fit(raw, missing, penalty)
    recipe = codegen.upload_recipe(raw, name, df, design, features, missing)
    assert recipe.verified, recipe.caveats
    script = codegen.recipe_snippet(recipe, penalty=penalty, lam=lam, l1_ratio=a,
                                    expected_coef=fit.coef, expected_intercept=fit.intercept)
    ns = _run_script(script, tmp_path, monkeypatch)
    assert list(ns["X"].columns) == list(design.feature_names)
    np.testing.assert_allclose(ns["X"].to_numpy(), design.X, rtol=1e-12)
    _assert_same(ns["coef"], ns["intercept"], fit)
    out = capsys.readouterr().out
    assert "largest difference from regviz" in out and "Warning" not in out


def test_script_without_standardizing_matches_the_unstandardized_fit(tmp_path, monkeypatch,
                                                                     capsys):
    (tmp_path / "study.csv").write_bytes(STUDY_CSV)
    df, design, features, fit, lam, a = _app_fit(STUDY_CSV, "drop", "l1", standardize=False)
    recipe = codegen.upload_recipe(STUDY_CSV, "study.csv", df, design, features, "drop")
    script = codegen.recipe_snippet(recipe, penalty="l1", lam=lam, standardize=False)
    assert "StandardScaler" not in script
    ns = _run_script(script, tmp_path, monkeypatch)
    _assert_same(ns["coef"], ns["intercept"], fit)


def test_builtin_table_script_reads_the_exported_csv(tmp_path, monkeypatch, capsys):
    from regviz import datasets

    ds = datasets.load("house_prices", 0)
    design = design_matrix(ds.frame, ds.target)
    frame = __import__("pandas").DataFrame(design.X, columns=design.feature_names)
    frame[ds.target] = design.y
    (tmp_path / "house_prices_table.csv").write_bytes(safe_csv(frame))
    lam = 0.05 * regviz.lambda_max(design.X, design.y, penalty="elasticnet", l1_ratio=0.3)
    fit = regviz.fit(design.X, design.y, penalty="elasticnet", lam=lam, l1_ratio=0.3)
    recipe = codegen.builtin_recipe("house_prices_table.csv", design.feature_names, ds.target,
                                    len(design.y))
    script = codegen.recipe_snippet(recipe, penalty="elasticnet", lam=lam, l1_ratio=0.3)
    assert "build_design" not in script  # a clean table needs no rebuilding helpers
    ns = _run_script(script, tmp_path, monkeypatch)
    _assert_same(ns["coef"], ns["intercept"], fit)


def test_script_runs_as_a_standalone_program(tmp_path):
    raw = (EXAMPLES / "cars_semicolon_decimal_comma.csv").read_bytes()
    (tmp_path / "cars.csv").write_bytes(raw)
    df, design, features, fit, lam, a = _app_fit(raw, "drop", "l2")
    recipe = codegen.upload_recipe(raw, "cars.csv", df, design, features, "drop")
    script = codegen.recipe_snippet(recipe, penalty="l2", lam=lam, expected_coef=fit.coef,
                                    expected_intercept=fit.intercept)
    assert "semicolons" in script and "decimal commas" in script  # says what the reader did
    (tmp_path / "reproduce.py").write_text(script, encoding="utf-8")
    done = subprocess.run([sys.executable, "reproduce.py"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    gap = float(done.stdout.rsplit(":", 1)[1])
    assert gap < 1e-6 * max(1.0, float(np.max(np.abs(fit.coef))))


AWKWARD = {
    "comma_decimal_in_quotes": b'a,b,y\n"1,5",x,3\n"2,25",z,4\n"3,75",x,6\n"0,5",z,1\n"4,0",x,7\n',
    "preamble_and_sep_line": (
        b"sep=;\n# note\n\na;b;y\n1,5;x;3\n2,25;z;4\n3,75;x;6\n0,5;z;1\n4;x;7\n"
    ),
    "no_header": b"1,2,3\n2,3,5\n3,5,9\n4,4,8\n5,7,13\n",
    "windows_1252": "caf\u00e9,b,y\n1,\u00e9t\u00e9,3\n2,hiver,4\n3,\u00e9t\u00e9,6\n4,hiver,1\n"
                    "5,\u00e9t\u00e9,7\n".encode("cp1252"),
    "true_false_with_gap": b"a,b,y\nTrue,1,3\n,2,4\nFalse,5,6\nTrue,3,1\nFalse,4,7\nTrue,8,2\n",
    "spaces_around_values": b" a , b ,y\n 1 , x ,3\n2, z,4\n3,x ,6\n 1,z,1\n4,x,7\n",
}


@pytest.mark.parametrize("missing", ["drop", "impute"])
@pytest.mark.parametrize("name", list(AWKWARD))
def test_recipe_rebuilds_awkward_files_exactly(name, missing):
    raw = AWKWARD[name]
    df = read_table(raw)
    target = df.columns[-1]
    features = [c for c in df.columns if c != target]
    design = design_matrix(df, target, features, missing=missing)
    recipe = codegen.upload_recipe(raw, "f.csv", df, design, features, missing)
    assert recipe.verified, recipe.caveats


def test_examples_are_all_reproducible_with_their_default_target():
    for path in sorted(EXAMPLES.glob("*.csv")):
        raw = path.read_bytes()
        df = read_table(raw)
        target = default_target(df)
        features = [c for c in df.columns if c != target]
        for missing in ("drop", "impute"):
            design = design_matrix(df, target, features, missing=missing)
            recipe = codegen.upload_recipe(raw, path.name, df, design, features, missing)
            assert recipe.verified, (path.name, missing, recipe.caveats)


def test_user_text_cannot_inject_code_into_the_script():
    raw = b'"a\nimport os",b,y\n1,x,3\n2,z,4\n3,x,6\n1,z,1\n4,x,7\n'
    df = read_table(raw)
    features = [c for c in df.columns if c != "y"]
    design = design_matrix(df, "y", features)
    recipe = codegen.upload_recipe(raw, "evil'\nimport shutil.csv", df, design, features, "drop")
    script = codegen.recipe_snippet(recipe, penalty="l1", lam=0.1)
    tree = ast.parse(script)
    imported = {a.name for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))
                for a in n.names}
    assert imported == {"math", "re", "numpy", "pandas", "Lasso", "make_pipeline",
                        "StandardScaler"}
    assert recipe.verified


def test_a_mismatch_is_reported_not_hidden():
    raw = STUDY_CSV
    df = read_table(raw)
    features = [c for c in df.columns if c != "score"]
    # A design that does not match the recipe's rule ("drop"): the check must notice.
    wrong = design_matrix(df, "score", features, missing="impute")
    recipe = codegen.upload_recipe(raw, "study.csv", df, wrong, features, "drop")
    assert not recipe.verified
    script = codegen.recipe_snippet(recipe, penalty="l1", lam=0.1)
    assert "# NOTE: regviz could not confirm" in script


def test_format_detection_knows_space_separated_and_bomless_utf16_files():
    spaced = codegen.csv_format(SPACED_CSV)
    assert (spaced.sep, spaced.decimal) == (r"\s+", ",")
    assert "space-separated" in " ".join(spaced.describe())
    utf16 = codegen.csv_format(UTF16_CSV)
    assert (utf16.sep, utf16.encoding) == (",", "utf-16-le")
    assert "no byte-order mark" in " ".join(utf16.describe())
    df = read_table(SPACED_CSV)
    assert df["hours"].iloc[0] == 3.5 and "looks space-separated" in df.attrs["notes"][0]


def test_a_recipe_that_does_not_add_up_is_refused():
    good = codegen.Recipe("f.csv", "y", ("a", "b"), ("a", "b"), 10)
    fit = codegen.ScriptFit("l1", 0.1)
    assert ast.parse(codegen.script(good, fit))  # the template fills in to valid Python
    with pytest.raises(ValueError, match="2 feature names but 1 source columns"):
        codegen.script(codegen.Recipe("f.csv", "y", ("a", "b"), ("a",), 10), fit)
    with pytest.raises(ValueError, match="missing must be"):
        codegen.script(codegen.Recipe("f.csv", "y", ("a",), ("a",), 10, missing="mean"), fit)


@pytest.mark.parametrize("standardize", [True, False])
@pytest.mark.parametrize("plain", [True, False])
def test_the_template_leaves_no_placeholder_and_defines_what_it_uses(standardize, plain):
    recipe = codegen.Recipe("f.csv", "y", ("a", "b=c"), ("a", "b"), 10, plain=plain)
    fit = codegen.ScriptFit("elasticnet", 0.1, 0.5, standardize, [1.0, 2.0], 0.5)
    text = codegen.script(recipe, fit)
    tree = ast.parse(text)
    names = [n for n in ast.walk(tree) if isinstance(n, ast.Name)]
    stored = {n.id for n in names if isinstance(n.ctx, ast.Store)}
    used = {n.id for n in names if isinstance(n.ctx, ast.Load)}
    defined = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    args = {a.arg for n in ast.walk(tree) if isinstance(n, ast.arguments) for a in n.args}
    imported = {a.asname or a.name for n in ast.walk(tree)
                if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names}
    undefined = used - stored - defined - args - imported - set(dir(builtins))
    assert not undefined
    assert ("StandardScaler()" in text) == standardize and "REGVIZ_COEF" in text
    assert "$" not in text.replace("[$€£¥%'\\s]", "")


@pytest.mark.parametrize(("penalty", "a", "frac"), [("l1", 1.0, 0.05), ("l2", 0.0, 0.01),
                                                    ("elasticnet", 0.5, 0.05)])
def test_logistic_script_reproduces_the_apps_coefficients(penalty, a, frac, tmp_path,
                                                          monkeypatch, capsys):
    """Breast cancer as the downloads export it (features, then the 0/1 target): the script
    fits LogisticRegression and gets regviz's exact logistic fit to 1e-6."""
    from regviz.binary_target import encode_binary, target_task
    from regviz.datasets_classification import breast_cancer
    from regviz.logistic import fit_logistic, logistic_lambda_max

    ds = breast_cancer()
    design = design_matrix(encode_binary(ds.frame, ds.target,
                                         target_task(ds.frame, ds.target).levels), ds.target)
    frame = __import__("pandas").DataFrame(design.X, columns=design.feature_names)
    frame[ds.target] = design.y
    (tmp_path / "breast_cancer_table.csv").write_bytes(safe_csv(frame))
    lam = frac * logistic_lambda_max(design.X, design.y, penalty="l1")
    fit = fit_logistic(design.X, design.y, penalty=penalty, lam=lam, l1_ratio=a)
    recipe = codegen.builtin_recipe("breast_cancer_table.csv", design.feature_names,
                                    ds.target, len(design.y))
    script = codegen.recipe_snippet(recipe, penalty=penalty, lam=lam, l1_ratio=a,
                                    expected_coef=fit.coef, expected_intercept=fit.intercept,
                                    loss="logistic")
    assert "LogisticRegression(" in script and "Lasso" not in script.split('"""', 2)[2]
    ns = _run_script(script, tmp_path, monkeypatch)
    _assert_same(ns["coef"], ns["intercept"], fit)
    if penalty == "l1":  # the app's exact zeros are zeros (to the tolerance) in scikit-learn
        assert np.all(np.abs(ns["coef"][fit.coef == 0]) < 1e-6)
    assert "largest difference from regviz" in capsys.readouterr().out


def test_logistic_and_squared_scripts_differ_only_where_the_loss_does():
    recipe = codegen.Recipe("f.csv", "y", ("a", "b=c"), ("a", "b"), 10, plain=True)
    squared = codegen.script(recipe, codegen.ScriptFit("l2", 0.1, 0.0, True, [1.0, 2.0], 0.5))
    logistic = codegen.script(recipe, codegen.ScriptFit("l2", 0.1, 0.0, True, [1.0, 2.0], 0.5,
                                                        loss="logistic"))
    assert "Ridge(" in squared and "LogisticRegression" not in squared
    assert "C=0.5," in logistic  # C = 1/(2 n lambda) = 1/(2*10*0.1)
    assert "l1_ratio=0.0" in logistic and "newton-cholesky" in logistic
    assert ast.parse(logistic)
