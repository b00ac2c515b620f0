"""Your data: upload a CSV, see what the reader did with it, and use it in every lesson.

The page is thin: ``regviz.data`` reads the file and builds the design,
``regviz.codegen`` records how to rebuild it in scikit-learn, and the dataset
picker in ``ui.datasets`` lists whatever this page stores under
``UPLOAD_KEY``.

Privacy and cost, as the design notes require: the uploaded table lives in
``st.session_state`` only (never on disk, never in ``st.cache_resource`` or a
module global), so no other session can see it.  The parsed table is cached
in the same session state, keyed by the upload's file id and size, so a
rerun (every widget change) does not parse the file again; ``st.cache_data``
is not used because it is shared between sessions.  The file's bytes stay there too
(``_LAST_FILE``), so a student back from a lesson finds it; *Remove my data* or clearing the
uploader drops them.  User text (file and
column names, cell values) only reaches the page through ``st.dataframe``,
widget options and escaped Markdown, never through ``unsafe_allow_html``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st
from pandas.api import types as ptypes

from regviz.binary_target import TargetTask, encode_binary, target_task
from regviz.codegen import upload_recipe
from regviz.data import DataError, Design, design_matrix, read_table, too_few_rows_message
from regviz.suggest import default_features, suggest_target
from regviz.usertext import md
from ui.datasets import CLASSIFY, REGRESSION, UPLOAD, UPLOAD_KEY, Choice, class_note, uploaded
from ui.downloads import RECIPE_KEY
from ui.entry import through_app
from ui.offload import PRIVATE_MEMO

through_app()

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
EXAMPLE_LABELS = {  # file -> (button label, what it shows off)
    "students_missing_and_text.csv": ("Students", "gaps marked N/A, ?, -; text columns; 90%"),
    "houses_currency_thousands.csv": ("Houses", "prices like $405,000, areas like 1,550, 1.46%"),
    "cars_semicolon_decimal_comma.csv": ("Cars", "German Excel: semicolons and decimal commas"),
    "bikes_daily.csv": ("Bike rentals", "daily rentals with weather, season and weekday"),
}
PREVIEW_ROWS = 20
PREVIEW_COLUMNS = 40  # a preview of 5,000 columns costs seconds and shows nothing readable
_SOURCE = "_upload_source"  # "file" or "example:<name>": which input the student used last
_MEMO = "_upload_memo"  # {step: (key, result)}: this session's last parse/design per step
_NONCE = "_upload_nonce"  # bumped to give the uploader a fresh, empty widget
# Streamlit forgets a page's widgets when the student opens another page.  The choices keep
# their values (persist_state="session"); the uploader cannot, so the page keeps the file.
_LAST_FILE = "_upload_last_file"  # (token, name, bytes) of the last file uploaded
_FIGURE_MEMO = "_figure_memo"  # ui.figure_cache's per-session memo of upload figures
MAX_TARGET_LEVELS = 20  # text columns with more distinct values are not offered as targets
_MISSING_LABELS = {
    "drop": "Drop rows with a missing value",
    "impute": "Impute (numbers: column mean; text: most common value)",
}


def safe_label(name: str) -> str:
    """The file's base name, limited to characters that cannot format Markdown."""
    base = re.split(r"[\\/]", str(name))[-1]
    label = re.sub(r"[^\w .()-]+", "_", base).strip()[:60]
    return label or "uploaded file"


def _use_file() -> None:
    st.session_state[_SOURCE] = "file"


def _prefer_upload(key: str) -> None:
    _use_file()
    if st.session_state.get(key) is None:  # the student cleared the uploader: forget the file
        st.session_state.pop(_LAST_FILE, None)


def _use_example(name: str) -> None:
    st.session_state[_SOURCE] = f"example:{name}"
    # A file chip left in the uploader would suggest that file is in use; empty it.
    st.session_state[_NONCE] = st.session_state.get(_NONCE, 0) + 1


def _forget_figures() -> None:
    """Drop the figures and results memoized for the previous upload.

    They are keyed on its content (``Choice.data_id``), so a new table never reaches
    them; dropping them frees the session's memory (a 2000 x 600 table's results are
    megabytes).
    """
    st.session_state.pop(_FIGURE_MEMO, None)
    st.session_state.pop(PRIVATE_MEMO, None)


def _remove() -> None:
    """Forget the table: the lessons' copy, the page's copy of the file and its parse."""
    for key in (UPLOAD_KEY, RECIPE_KEY, _LAST_FILE, _MEMO, _SOURCE):
        st.session_state.pop(key, None)
    st.session_state[_NONCE] = st.session_state.get(_NONCE, 0) + 1  # an empty uploader
    _forget_figures()  # results computed from the table go with it


def _memo(step: str, key: tuple, compute):
    """``compute()`` once per ``key`` and step, kept in this session only (latest key wins)."""
    memo = st.session_state.setdefault(_MEMO, {})
    if step in memo and memo[step][0] == key:
        return memo[step][1]
    result = compute()
    memo[step] = (key, result)
    return result


def _current_file(upload) -> tuple[tuple, str, bytes] | None:
    """(cache token, file name, bytes) of the input in use, or None."""
    source = st.session_state.get(_SOURCE, "file")
    if source.startswith("example:"):
        name = source.removeprefix("example:")
        path = EXAMPLES / name
        if path.parent == EXAMPLES and path.is_file():
            raw = path.read_bytes()
            return ("example", name, len(raw)), name, raw
    if upload is not None:
        current = ("upload", upload.file_id, upload.size), upload.name, upload.getvalue()
        st.session_state[_LAST_FILE] = current
        return current
    earlier = st.session_state.get(_LAST_FILE)
    if earlier is not None:
        st.caption(f"Showing {md(safe_label(earlier[1]))}, the file you uploaded earlier in "
                   "this session. Upload another file to replace it; *Remove my data* "
                   "forgets it.")
    return earlier


def _read(raw: bytes):
    """read_table, or the message to show: a DataError's own, else a generic one."""
    try:
        return read_table(raw)
    except DataError as err:
        return str(err)
    except Exception as err:  # noqa: BLE001 - a student's file must never show a traceback
        return (
            f"This file could not be read as a table (an unexpected {type(err).__name__}). "
            "Check that it is a CSV text file, e.g. with 'Save as' > 'CSV' in your spreadsheet "
            "program, and try again."
        )


def _build(df, target: str, features: list[str], missing: str):
    """design_matrix, or the message to show."""
    try:
        return design_matrix(df, target, features, missing=missing)
    except DataError as err:
        return str(err)
    except Exception as err:  # noqa: BLE001 - show a message, never a traceback
        return (
            f"These columns could not be turned into a design matrix (an unexpected "
            f"{type(err).__name__}). Try another target or fewer feature columns."
        )


def _default_features(df, target: str, others: list[str]) -> tuple[list[str], list[str]]:
    """Columns the automatic rules keep (bounded on wide tables), and notes on the rest."""
    try:
        kept, left_out = default_features(df, target)
    except Exception:  # noqa: BLE001 - fall back to every column; the real build reports errors
        return others, []
    chosen = set(kept)
    return [c for c in others if c in chosen], left_out


def _bullets(notes: list[str]) -> None:
    if notes:
        st.markdown("\n".join(f"- {md(note)}" for note in notes))


def _status(where) -> None:
    """What the lessons currently use, with the button to remove it."""
    current = uploaded()
    with where:
        if current is None:
            st.caption("No data of yours is loaded in the lessons yet.")
            return
        st.success(
            f"The lessons can use {md(current.description)} Pick *Your uploaded data* in the "
            "sidebar's Dataset box on any lesson."
        )
        st.button("Remove my data", on_click=_remove, key="upload_remove",
                  help="Forget the table in this session. Nothing was stored anywhere else.")


@dataclass(frozen=True)
class _Table:
    """The file in use and the table read from it (``tok`` keys its widgets)."""

    token: tuple
    tok: str
    name: str
    raw: bytes
    df: pd.DataFrame


@dataclass(frozen=True)
class _Target:
    """The chosen target column and what it is fitted as (regression or two classes)."""

    column: str
    task: str
    kind: TargetTask

    @property
    def recoded(self) -> bool:
        """The design's y is not the file's column as it is (text levels, or not 0/1)."""
        return self.kind.binary and (self.task == CLASSIFY or not self.kind.zero_one)


@dataclass(frozen=True)
class _Model:
    """What the student chose to fit: the target, its features, the missing-value rule."""

    target: str
    features: list[str]
    missing: str
    task: str = REGRESSION
    classes: tuple = ()
    recoded: bool = False


def _intro() -> int:
    """Title and promise; returns the upload size limit in MB."""
    st.title("Your data")
    limit = int(st.get_option("server.maxUploadSize"))
    st.markdown(
        "Upload a table as a CSV file and use it in every lesson instead of the built-in data. "
        f"Files up to **{limit} MB** (.csv, .txt or .tsv). Commas, semicolons, tabs, decimal "
        "commas, currency signs and gaps like *N/A* are handled; below you see exactly what "
        "was converted. The table stays in **this browser session only**: it is not saved on "
        "the server, and nobody else using the app can see it."
    )
    return limit


def _choose_file(limit: int) -> tuple[tuple, str, bytes] | None:
    """The uploader and the example buttons; the input in use, as :func:`_current_file`."""
    key = f"upload_file_{st.session_state.get(_NONCE, 0)}"
    upload = st.file_uploader(
        f"CSV file (up to {limit} MB)", type=["csv", "txt", "tsv"],
        key=key, on_change=_prefer_upload, args=(key,),
    )
    examples = sorted(p.name for p in EXAMPLES.glob("*.csv")) if EXAMPLES.is_dir() else []
    if examples:
        st.caption("No file at hand? Try an example:")
        cols = st.columns(len(examples))
        for col, name in zip(cols, examples, strict=True):
            label, blurb = EXAMPLE_LABELS.get(name, (name, None))
            col.button(label, key=f"example_{name}", on_click=_use_example, args=(name,),
                       help=f"{name}: {blurb}" if blurb else name, width="stretch",
                       icon=":material/table_view:")
    earlier = st.session_state.get(_LAST_FILE)
    if earlier is not None and upload is None and st.session_state.get(_SOURCE, "file") != "file":
        st.button(f"Back to your file {safe_label(earlier[1])}", key="upload_back",
                  on_click=_use_file, icon=":material/undo:")
    return _current_file(upload)


def _read_and_preview(current: tuple[tuple, str, bytes]) -> _Table | None:
    """Read the file (once per file) and preview it; None after showing why it cannot be used."""
    token, name, raw = current
    df = _memo("read", token, lambda: _read(raw))
    if isinstance(df, str):
        st.error(md(df))
        return None
    st.subheader(f"Preview: {md(safe_label(name))}")
    st.dataframe(df.iloc[:PREVIEW_ROWS, :PREVIEW_COLUMNS], hide_index=True)
    shown = (f"{df.shape[1]:,} columns" if df.shape[1] <= PREVIEW_COLUMNS
             else f"the first {PREVIEW_COLUMNS} of {df.shape[1]:,} columns")
    st.caption(f"First {min(PREVIEW_ROWS, len(df))} of {len(df):,} rows, {shown}.")
    too_few = too_few_rows_message(len(df))
    if too_few:
        st.error(md(too_few))
        return None
    tok = hashlib.sha1(repr(token).encode()).hexdigest()[:10]  # widget keys per file
    return _Table(token, tok, name, raw, df)


def _target_options(df: pd.DataFrame) -> list[str]:
    """Numeric columns, and text or true/false columns with few levels (class labels)."""
    def usable(c, dtype) -> bool:
        if ptypes.is_numeric_dtype(dtype) and not ptypes.is_bool_dtype(dtype):
            return True
        return 2 <= df[c].nunique(dropna=True) <= MAX_TARGET_LEVELS

    return [c for c, dtype in zip(df.columns, df.dtypes, strict=True) if usable(c, dtype)]


def _choose_target(table: _Table) -> _Target | None:
    """The target selectbox, preset by evidence, and its task; None until one is usable."""
    df = table.df
    options = _target_options(df)
    if not options:
        st.error("No column holds numbers or a few class labels, so there is nothing to "
                 "predict. A target is a numeric column (regression) or a column with two "
                 "classes such as yes/no (classification).")
        return None
    suggestion = _memo("suggest", table.token, lambda: suggest_target(df))
    target = st.selectbox(
        "Target: the column to predict", options,
        index=options.index(suggestion.column) if suggestion.column in options else None,
        key=f"upload_target_{table.tok}", persist_state="session",
        placeholder="Pick the column to predict",
        help="A numeric column is fitted by least squares; a column with two classes "
             "(0/1, yes/no, two words) by logistic regression.",
    )
    if target is not None and target == suggestion.column:
        st.caption(md(suggestion.reason))
    if target is None:
        st.info(md(suggestion.reason))
        return None
    kind = _memo("task", (table.token, target), lambda: target_task(df, target))
    if kind.task == "none":
        st.error(md(kind.message))
        return None
    if not kind.binary:
        return _Target(target, REGRESSION, kind)
    return _Target(target, _binary_task(table, kind), kind)


def _binary_task(table: _Table, kind: TargetTask) -> str:
    """Say that a two-class target switches the lessons to classification; offer the toggle."""
    neg, pos = kind.levels
    st.info(
        f"**Two classes: classification.** The target {md(kind.column)} has two values, "
        f"{md(pos)} ({kind.counts[1]:,} rows), coded **1**, and {md(neg)} "
        f"({kind.counts[0]:,} rows), coded **0**. The lessons fit logistic regression: the "
        "log-loss with an L1, L2 or elastic-net penalty, with accuracy and AUC.",
        icon=":material/category:")
    tgt = hashlib.sha1(str(kind.column).encode()).hexdigest()[:8]
    as_number = st.toggle(
        "Treat this 0/1 target as a number (regression)", key=f"upload_as_number_{table.tok}_{tgt}",
        persist_state="session",
        help="Fit least squares to the 0/1 codes instead (a linear probability model), as "
             "for any numeric target.")
    if as_number:
        st.caption(f"Regression: the lessons fit least squares to the codes ({md(pos)} = 1, "
                   f"{md(neg)} = 0) as numbers.")
        return REGRESSION
    return CLASSIFY


def _choose_features(table: _Table, chosen: _Target) -> _Model | None:
    """Features (preset by the automatic rules) and the missing-value rule; None without any."""
    target = chosen.column
    others = [c for c in table.df.columns if c != target]
    default, left_out = _memo("defaults", (table.token, target),
                              lambda: _default_features(table.df, target, others))
    tgt = hashlib.sha1(str(target).encode()).hexdigest()[:8]
    features = st.multiselect(
        "Features: the columns to predict it from", others, default=default,
        key=f"upload_features_{table.tok}_{tgt}", persist_state="session",
        help="Text columns are one-hot encoded (one 0/1 column per level except the first).",
    )
    if left_out:
        st.caption("Not selected at first: " + " ".join(md(n) for n in left_out))
    missing = st.radio(
        "Rows with missing values", list(_MISSING_LABELS), format_func=_MISSING_LABELS.get,
        key=f"upload_missing_{table.tok}", persist_state="session", horizontal=True,
    )
    if not features:
        st.warning("Choose at least one feature column.")
        return None
    classes = chosen.kind.levels if chosen.kind.binary else ()
    return _Model(target, features, missing, chosen.task, classes, chosen.recoded)


def _fitted_table(df: pd.DataFrame, model: _Model) -> pd.DataFrame:
    """The table as fitted: a recoded two-class target is 0/1 (missing cells stay missing)."""
    return encode_binary(df, model.target, model.classes) if model.recoded else df


def _build_and_report(table: _Table, model: _Model) -> Design | None:
    """Build the design (once per choice) and list every note; None after showing its error."""
    df = table.df
    design = _memo("design", (table.token, model.target, tuple(model.features), model.missing,
                              model.recoded),
                   lambda: _build(_fitted_table(df, model), model.target, model.features,
                                  model.missing))
    st.subheader("What regviz did with your data")
    notes = [*df.attrs.get("notes", []), *([] if isinstance(design, str) else design.notes)]
    if notes:
        _bullets(notes)
    else:
        st.caption("Nothing needed converting: the file was read as it is.")
    if isinstance(design, str):
        st.error(md(design))
        return None
    n, p = design.X.shape
    c1, c2, c3 = st.columns(3)
    c1.metric("Rows used (n)", f"{n:,}")
    c2.metric("Feature columns (p)", f"{p:,}")
    c3.metric("One-hot columns", f"{design.n_onehot:,}")
    task = ("two classes, fitted by logistic regression" if model.task == CLASSIFY
            else "a number, fitted by least squares")
    st.caption(f"Target: {md(design.target)} ({task}). "
               f"Rows used: {md(design.rows_phrase(len(df)))}.")
    return design


def _choice(table: _Table, design: Design, model: _Model) -> Choice:
    """The dataset the lessons' pickers offer as *Your uploaded data*."""
    label = safe_label(table.name)
    rows = design.rows_phrase(len(table.df))
    classifies = model.task == CLASSIFY
    notes = [class_note(design.target, model.classes)] if classifies else []
    return Choice(
        key=UPLOAD,
        label=label,
        X=design.X,
        y=design.y,
        feature_names=list(design.feature_names),
        target=design.target,
        description=(
            f"your file {label}: {rows}, {design.X.shape[1]:,} feature column"
            f"{'s' if design.X.shape[1] != 1 else ''}"
            + (f" ({design.n_onehot:,} one-hot)" if design.n_onehot else "")
            + f", predicting {design.target}"
            + (f" (two classes: {model.classes[1]} = 1, {model.classes[0]} = 0)."
               if classifies else ".")
        ),
        notes=[*table.df.attrs.get("notes", []), *design.notes, *notes],
        rows=rows,
        task=model.task,
        classes=tuple(model.classes) if classifies else (),
    )


def _offer_to_lessons(table: _Table, model: _Model, design: Design) -> None:
    """The button that hands the design (and its scikit-learn recipe) to every lesson."""
    label = safe_label(table.name)
    hint = st.empty()
    if st.button("Use this dataset in the lessons", type="primary", key="upload_use"):
        st.session_state[UPLOAD_KEY] = _choice(table, design, model)
        recipe = None  # a recoded target: the script reads the exported 0/1 table instead
        try:
            if not model.recoded:
                with st.spinner("Preparing the scikit-learn recipe…"):
                    recipe = upload_recipe(table.raw, table.name, table.df, design,
                                           model.features, model.missing)
        except Exception:  # noqa: BLE001 - without a recipe the script reads an exported table
            recipe = None
        st.session_state[RECIPE_KEY] = recipe
        _forget_figures()
        st.toast("Loaded: pick *Your uploaded data* in any lesson's Dataset box.",
                 icon=":material/check_circle:")
    in_use = uploaded()
    if in_use is not None and (
        in_use.label != label
        or in_use.target != design.target
        or list(in_use.feature_names) != list(design.feature_names)
        or len(in_use.y) != len(design.y)
        or in_use.task != model.task
    ):
        hint.info("The lessons still use the table you loaded before. Click the button to use "
                  "this one instead.")


def _steps(limit: int) -> None:
    """File, table, target, features, design, hand-over: each step stops the page when it must."""
    current = _choose_file(limit)
    table = _read_and_preview(current) if current is not None else None
    target = _choose_target(table) if table is not None else None  # a _Target
    model = _choose_features(table, target) if target is not None else None
    design = _build_and_report(table, model) if model is not None else None
    if design is not None:
        _offer_to_lessons(table, model, design)


def main() -> None:
    limit = _intro()
    status = st.container()
    _steps(limit)
    _status(status)


main()
