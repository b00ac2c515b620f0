"""The dataset picker every lesson page shares: built-in tables and the user's upload.

An uploaded table lives in ``st.session_state`` only (never on disk, never in
a module global or ``st.cache_resource``), so it stays in the session that
sent it.  Built-in designs are cached with ``st.cache_data``, keyed on the
dataset key and seed: content everybody already has.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import streamlit as st

from regviz import datasets
from regviz.binary_target import encode_binary, target_task
from regviz.data import design_matrix
from regviz.datasets_classification import BUILTIN_CLASSIFICATION
from regviz.usertext import md
from ui import reveal, state
from ui.figure_cache import fingerprint

UPLOAD_KEY = "user_dataset"
UPLOAD = "upload"  # the picker's key for the session's uploaded table
SIZED = {"house_prices"}  # built-in tables whose row count is a shared setting ("sales")
LABELS = {
    "diabetes": "Diabetes (real, 442 x 10)",
    "house_prices": "House prices (synthetic, with junk features)",
    "sparse_truth": "Sparse truth (5 of 30 features matter)",
    "dense_truth": "Dense truth (all 30 features matter a little)",
    "twins": "Correlated twins (height and weight)",
    "breast_cancer": "Breast cancer (real, 569 x 30, benign/malignant)",
}
CLASSIFICATION = {"breast_cancer"}  # built-in tables with a two-class target
REGRESSION, CLASSIFY = "regression", "classification"


@dataclass(frozen=True)
class Choice:
    """What a page needs from a dataset: the design and words about it."""

    key: str
    label: str
    X: np.ndarray
    y: np.ndarray
    feature_names: list[str]
    target: str
    description: str
    notes: list[str]
    rows: str = ""  # the rows used, in words, when they are not simply the whole table
    task: str = REGRESSION  # "classification": y holds 0/1 class labels
    classes: tuple = ()  # (the class coded 0, the class coded 1) for a classification target
    seed: int = 0  # the seed a built-in table was drawn with (simulated tables depend on it)

    @property
    def classifies(self) -> bool:
        return self.task == CLASSIFY

    @property
    def is_upload(self) -> bool:
        """The session's own table: its results stay in the session, never in a shared cache."""
        return self.key == UPLOAD

    @cached_property
    def data_id(self) -> str:
        """The data's one cache identity, computed once per choice.

        A built-in table is named by its key, seed and row count (everyone can draw it);
        an upload by a hash of its content (shape, X, y, column names, target), so a
        cache entry can only be reached by a session that sent the same table.
        """
        if not self.is_upload:
            return f"{self.key}:{self.seed}:{len(self.y)}"
        X = np.asarray(self.X)
        return fingerprint(repr((X.shape, str(X.dtype))), X, np.asarray(self.y),
                           list(self.feature_names), self.target)


@st.cache_data(show_spinner=False, max_entries=32)
def _builtin_design(key: str, seed: int, n: int | None = None):
    classes: tuple = ()
    if key in CLASSIFICATION:
        ds = BUILTIN_CLASSIFICATION[key]()
        task = target_task(ds.frame, ds.target)
        classes = task.levels
        frame = encode_binary(ds.frame, ds.target, classes)
    else:
        ds = datasets.load(key, seed, n)
        frame = ds.frame
    design = design_matrix(frame, ds.target)
    return design.X, design.y, list(design.feature_names), ds.target, ds.description, list(
        design.notes
    ), classes


def builtin_choice(key: str, seed: int = 0, n: int | None = None) -> Choice:
    """A built-in table; ``n`` (house prices' number of sales) only where the table has it."""
    X, y, names, target, description, notes, classes = _builtin_design(
        key, seed, n if key in SIZED else None)
    if key in CLASSIFICATION:
        notes = [*notes, class_note(target, classes)]
        return Choice(key, LABELS[key], X, y, names, target, description, notes,
                      task=CLASSIFY, classes=classes, seed=seed)
    return Choice(key, LABELS[key], X, y, names, target, description, notes, seed=seed)


def class_note(target: str, classes: tuple) -> str:
    """Which level is 1: a sentence (user text is escaped where it is shown)."""
    return (f"Target '{target}' has two classes: '{classes[1]}' is coded 1 and "
            f"'{classes[0]}' is coded 0; the model gives the probability of '{classes[1]}'.")


def as_regression(choice: Choice) -> Choice:
    """A classification choice with its 0/1 target treated as a number (least squares)."""
    copy = replace(choice, task=REGRESSION)
    if "data_id" in choice.__dict__:  # same content: keep the hash already computed
        copy.__dict__["data_id"] = choice.__dict__["data_id"]
    return copy


def uploaded() -> Choice | None:
    """The session's uploaded dataset, if the student has loaded one."""
    return st.session_state.get(UPLOAD_KEY)


def options(tasks: tuple[str, ...] = (REGRESSION,)) -> list[str]:
    keys = [k for k in LABELS if (CLASSIFY if k in CLASSIFICATION else REGRESSION) in tasks]
    if uploaded() is not None:
        keys.append(UPLOAD)
    return keys


def _explain_lost_upload(keys: list[str]) -> None:
    """A link or reload that asks for an upload this session does not have: say why."""
    if st.query_params.get("dataset") == UPLOAD and UPLOAD not in keys:
        del st.query_params["dataset"]
        reveal.sidebar_message(
            "info", "This link asked for an uploaded table. Your upload lived in the previous "
            "browser session (a reload or a new tab starts a fresh one, and nothing is kept on "
            "the server): upload it again on the *Your data* page.",
            icon=":material/upload_file:")


def label_of(key: str) -> str:
    """Stable labels (no session lookups), so the widget's identity never shifts."""
    return "Your uploaded data" if key == UPLOAD else LABELS[key]


def pick(default: str = "diabetes", *, key: str = "dataset", seed: int = 0,
         allowed: list[str] | None = None, n: int | None = None,
         tasks: tuple[str, ...] = (REGRESSION,)) -> Choice:
    """Sidebar selectbox over the built-in datasets plus the upload; returns the design.

    ``tasks``: what the page can fit.  A page without "classification" does not list
    the two-class built-in tables, and an uploaded two-class target reaches it as a
    number (least squares on 0/1), which the sidebar says.
    The choice is mirrored in the URL (``dataset=``) so a link reopens it.
    """
    keys = [k for k in options(tasks) if allowed is None or k in allowed or k == UPLOAD]
    if default not in keys:
        default = keys[0]
    _explain_lost_upload(keys)
    bound = state.bind("dataset", key, state.parse_choice(keys), default,
                       valid=lambda v: v in keys)
    chosen = reveal.control(st.sidebar.selectbox, "Dataset", keys, format_func=label_of,
                            **bound)
    state.publish("dataset", chosen)
    if chosen == UPLOAD:
        return _upload_for(uploaded(), tasks)
    return builtin_choice(chosen, seed, n)


def _upload_for(choice: Choice, tasks: tuple[str, ...]) -> Choice:
    if choice.classifies and CLASSIFY not in tasks:
        st.sidebar.caption(
            f"Your target {md(choice.target)} has two classes; this page fits least squares, "
            "so it treats the 0/1 codes as numbers. The coefficient paths page fits them as "
            "classes (logistic regression).")
        return as_regression(choice)
    return choice
