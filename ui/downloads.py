"""Take the results away: coefficient and path CSVs and a scikit-learn script, on the path page.

Why the downloads refit: the path page fits on a training split (so its test
error is honest), but the model a student takes away should use every row, as
``cv.glmnet`` does after choosing lambda.  The coefficient file and the script
therefore hold the fit on all rows at the chosen lambda; the path file is the
training-split path the chart shows.  Captions say which is which.

Every CSV goes through ``regviz.export.safe_csv`` (column names and levels may
come from an uploaded file).  The script is written against a CSV the student
has: their own upload (rebuilt with the recipe ``pages/your-data.py`` stored next
to the dataset in ``st.session_state[RECIPE_KEY]``), or, for a built-in
dataset, the table this page also offers for download.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pandas as pd
import streamlit as st

from regviz import fit
from regviz.codegen import Recipe, builtin_recipe, recipe_snippet
from regviz.export import coefficients_frame, neutralize, path_frame, safe_csv
from regviz.logistic import fit_logistic
from regviz.paths import Exploration
from regviz.paths_logistic import LogisticExploration
from regviz.usertext import md
from ui.datasets import Choice
from ui.figure_cache import fingerprint

RECIPE_KEY = "user_dataset_recipe"
"""Session-state key of the upload's ``regviz.codegen.Recipe`` (session only, like the data)."""


def _slug(text: str, fallback: str = "data") -> str:
    """A file-name-safe version of ``text`` (no path separators, no odd characters)."""
    stem = re.sub(r"\.[A-Za-z0-9]{1,4}$", "", str(text))
    slug = re.sub(r"[^A-Za-z0-9_-]+", "_", stem).strip("_")[:60]
    return slug or fallback


def design_frame(choice: Choice) -> pd.DataFrame:
    """The dataset as fitted: one column per feature, then the target."""
    frame = pd.DataFrame(np.asarray(choice.X), columns=pd.Index(choice.feature_names, dtype=object))
    target = choice.target if choice.target not in frame.columns else f"{choice.target} (target)"
    frame[target] = np.asarray(choice.y)
    return frame


def _recipe_for(choice: Choice) -> tuple[Recipe, bytes | None]:
    """The upload's stored recipe when it belongs to ``choice``; else a design-table recipe.

    Returns the recipe and, when the script needs a table this page must offer, its bytes.
    """
    recipe = st.session_state.get(RECIPE_KEY) if choice.is_upload else None
    if (
        isinstance(recipe, Recipe)
        and list(recipe.feature_names) == list(choice.feature_names)
        and recipe.target == choice.target
        and recipe.n == len(choice.y)
    ):
        return recipe, None
    frame = design_frame(choice)
    name = f"{_slug(choice.label if choice.key == 'upload' else choice.key)}_table.csv"
    # The script names columns as they appear in the exported file (formula-like names
    # carry safe_csv's leading quote there).
    names = [str(neutralize(str(f))) for f in choice.feature_names]
    target = str(neutralize(str(frame.columns[-1])))
    return builtin_recipe(name, names, target, len(choice.y)), safe_csv(frame)


# 256: the server's warm-up opens 150 paths views, each refits at its λ_1se; with 64 a class
# refitted 29-30 of them again (benchmarks/load.py).  An entry is one coefficient vector.
@st.cache_data(show_spinner=False, max_entries=256)
def _refit(X, y, penalty: str, l1_ratio: float, standardize: bool, lam: float):
    """Fit on all rows.  Cached on the arrays' content: a session only hits what it sent."""
    result = fit(X, y, penalty=penalty, lam=lam, l1_ratio=l1_ratio, standardize=standardize)
    return result.coef, result.intercept


@st.cache_data(show_spinner=False, max_entries=256)
def _refit_logistic(X, y, penalty: str, l1_ratio: float, standardize: bool, lam: float):
    """The logistic fit on all rows (a 0/1 target); cached on content like :func:`_refit`."""
    result = fit_logistic(X, y, penalty=penalty, lam=lam, l1_ratio=l1_ratio,
                          standardize=standardize)
    return result.coef, result.intercept


def _lambda_options(ex: Exploration) -> tuple[list[str], dict[str, str], dict[str, int]]:
    """Selectbox options: λ_1se and λ_min first (when CV ran), then every grid lambda."""
    p = ex.path
    nz = p.n_nonzero
    index: dict[str, int] = {}
    labels: dict[str, str] = {}
    if ex.cv is not None:
        for key, name, i in (("1se", "λ_1se", ex.cv.idx_1se), ("min", "λ_min", ex.cv.idx_min)):
            index[key] = int(i)
            labels[key] = f"{name} = {p.lams[i]:.4g} ({nz[i]} non-zero)"
    for i, lam in enumerate(p.lams):
        index[str(i)] = i
        labels[str(i)] = f"grid λ #{i + 1} = {lam:.4g} ({nz[i]} non-zero)"
    return list(index), labels, index


def _files(choice: Choice, ex: Exploration | LogisticExploration,
           lam: float) -> tuple[Recipe, str, dict]:
    """The recipe, the script and every file's bytes for the model at ``lam``."""
    p = ex.path
    penalty, a = p.penalty, float(p.l1_ratio)
    logistic = isinstance(ex, LogisticExploration)
    refit = _refit_logistic if logistic else _refit
    coef, intercept = refit(choice.X, choice.y, penalty, a, ex.standardize, lam)
    recipe, table_csv = _recipe_for(choice)
    script = recipe_snippet(recipe, penalty=penalty, lam=lam, l1_ratio=a,
                            standardize=ex.standardize, expected_coef=coef,
                            expected_intercept=intercept,
                            loss="logistic" if logistic else "squared")
    files = {
        "coef": safe_csv(coefficients_frame(choice.feature_names, coef, intercept, lam,
                                            penalty, a)),
        "path": safe_csv(path_frame(ex.feature_names, p.lams, p.coefs, p.intercepts)),
        "script": script.encode("utf-8"),
        "table": table_csv,
    }
    return recipe, script, files


# The files of a built-in table's view are the same for every session: written once, not on
# every rerun of the paths page (15-20 ms of CSV writing and a refit per run).
@st.cache_resource(show_spinner=False, max_entries=256)
def _shared_files(key: tuple, _write):
    return _write()


def _files_key(choice: Choice, ex: Exploration | LogisticExploration, lam: float) -> tuple:
    """Everything the files are written from: the table (a built-in's identity), the fit's
    settings and λ, and the path's numbers themselves (exact, whatever produced them)."""
    p = ex.path
    return (choice.data_id, choice.key, choice.label, choice.target, tuple(choice.feature_names),
            type(ex).__name__, p.penalty, float(p.l1_ratio), bool(ex.standardize), float(lam),
            tuple(ex.feature_names), fingerprint(p.lams, p.coefs, p.intercepts))


def render_downloads(choice: Choice, ex: Exploration | LogisticExploration, *,
                     key_prefix: str = "dl") -> None:
    """Download buttons for the coefficients at a chosen lambda, the path, and a script.

    They sit in an expander whose content is built only once it is opened: the λ picker,
    four buttons and their caption, drawn below the chart on every first paint, delayed the
    chart itself by about 0.1 s (fresh browsers, side by side: docs/performance.md), for
    files few students take.
    The expander is keyed, so it stays open across reruns once a student has opened it.
    """
    box = st.expander("Take the results away: the coefficients, the path and a scikit-learn "
                      "script", key=f"{key_prefix}_files", on_change="rerun",
                      icon=":material/download:")
    if not box.open:
        return
    with box:
        _files_section(choice, ex, key_prefix)


def _files_section(choice: Choice, ex: Exploration | LogisticExploration,
                   key_prefix: str) -> None:
    lam = _chosen_lambda(ex, key_prefix)
    penalty = ex.path.penalty
    logistic = isinstance(ex, LogisticExploration)
    if choice.is_upload:  # the session's own table: nothing of it in a shared cache
        recipe, script, files = _files(choice, ex, lam)
    else:
        recipe, script, files = _shared_files(_files_key(choice, ex, lam),
                                              lambda: _files(choice, ex, lam))
    table_csv = files["table"]
    base = _slug(choice.label if choice.is_upload else choice.key)
    _download_buttons(files, f"{base}_{penalty}", recipe.csv_name, key_prefix)
    rows = f"all {len(choice.y):,} rows the lessons use" + (
        f" ({choice.rows})" if choice.rows else "")
    st.caption(
        f"The coefficients and the script are the model at λ = {lam:.4g} fitted on "
        f"{md(rows)} (the chart shows the fit on the {ex.n_train:,} training rows, so the "
        "numbers differ a little). The path file is the chart's path: one row per λ, "
        "coefficients in the original units of each feature. Text cells that a spreadsheet "
        "could run as a formula start with a ' in these files."
    )
    _script_listing(script, recipe, table_csv is not None, logistic, key_prefix)


def _chosen_lambda(ex: Exploration | LogisticExploration, key_prefix: str) -> float:
    """The λ the student picks for the files: λ_1se, λ_min or any grid λ."""
    options, labels, index = _lambda_options(ex)
    default = 0 if ex.cv is not None else len(options) // 2
    # The options' words change with the view (penalty, data, λ grid); a widget keyed on
    # them starts afresh instead of showing the previous view's label.
    words = hashlib.sha1(repr(sorted(labels.items())).encode()).hexdigest()[:12]
    chosen = st.selectbox(
        "Model to download (λ)", options, index=default, format_func=labels.get,
        key=f"{key_prefix}_lam_{words}",
        help="λ_1se: the simplest model within one standard error of the best CV error. "
             "λ_min: the best CV error. Or any λ of the path's grid.",
    )
    return float(ex.path.lams[index.get(chosen, index[options[default]])])


def _download_buttons(files: dict, stem: str, table_name: str, key_prefix: str) -> None:
    """One button per file: coefficients, path, script, and the data table when needed."""
    cols = st.columns(4 if files["table"] is not None else 3)
    cols[0].download_button(
        "Coefficients", files["coef"], file_name=f"{stem}_coefficients.csv",
        mime="text/csv", key=f"{key_prefix}_coef", on_click="ignore", icon=":material/download:",
        help="CSV: the intercept and every coefficient at this λ, fitted on all rows.",
    )
    cols[1].download_button(
        "Whole path", files["path"], file_name=f"{stem}_path.csv", mime="text/csv",
        key=f"{key_prefix}_path", on_click="ignore", icon=":material/download:",
        help="CSV: one row per λ of the chart's grid, one column per feature.",
    )
    cols[2].download_button(
        "Python script", files["script"], file_name=f"{stem}_sklearn.py",
        mime="text/x-python", key=f"{key_prefix}_script", on_click="ignore",
        icon=":material/download:",
        help="A .py file that refits this model with scikit-learn (shown below).",
    )
    if files["table"] is not None:
        cols[3].download_button(
            "Data table", files["table"], file_name=table_name,
            mime="text/csv", key=f"{key_prefix}_table", on_click="ignore",
            icon=":material/download:", help="CSV: the features and target the script reads.",
        )


def _script_listing(script: str, recipe: Recipe, with_table: bool, logistic: bool,
                    key_prefix: str) -> None:
    """The script's listing, rendered only once its switch is on.

    A code block makes the browser fetch and run Streamlit's 1.5 MB syntax highlighter,
    about 0.5 s of a first paint that every student pays and few use (measured with a
    Chromium CPU profile).  A switch, not an expander: expanders cannot be nested.
    """
    if not st.toggle("Show the script: reproduce this model in scikit-learn",
                     key=f"{key_prefix}_recipe"):
        return
    with st.container(border=True):
        where = (
            f"Download the data file above ({recipe.csv_name}) and save the script next to it"
            if with_table else "Save it next to your uploaded file"
        )
        how = (
            "It reads that table"
            if recipe.plain
            else "It rebuilds the app's table from the file (same columns, one-hot levels and "
            "missing-value rule)"
        )
        st.markdown(
            f"{where}, then run `python` on the script. {how}, fits a scikit-learn pipeline "
            + ("(`LogisticRegression` with the equivalent `C` and `l1_ratio`)" if logistic
               else "with the equivalent `alpha`")
            + ", and prints its coefficients beside regviz's."
        )
        if not recipe.verified:
            st.warning("regviz could not confirm that the script rebuilds exactly the app's "
                       "table from your file; compare its printed numbers with the app's.")
        st.code(script, language="python")
