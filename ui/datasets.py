"""The dataset picker every lesson page shares: built-in tables and the user's upload.

An uploaded table lives in ``st.session_state`` only (never on disk, never in
a module global or ``st.cache_resource``), so it stays in the session that
sent it.  Built-in designs are cached with ``st.cache_data``, keyed on the
dataset key and seed: content everybody already has.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from regviz import datasets
from regviz.data import design_matrix
from ui import state

UPLOAD_KEY = "user_dataset"
SIZED = {"house_prices"}  # built-in tables whose row count is a shared setting ("sales")
LABELS = {
    "diabetes": "Diabetes (real, 442 x 10)",
    "house_prices": "House prices (synthetic, with junk features)",
    "sparse_truth": "Sparse truth (5 of 30 features matter)",
    "dense_truth": "Dense truth (all 30 features matter a little)",
    "twins": "Correlated twins (height and weight)",
}


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


@st.cache_data(show_spinner=False, max_entries=32)
def _builtin_design(key: str, seed: int, n: int | None = None):
    ds = datasets.load(key, seed, n)
    design = design_matrix(ds.frame, ds.target)
    return design.X, design.y, list(design.feature_names), ds.target, ds.description, list(
        design.notes
    )


def builtin_choice(key: str, seed: int = 0, n: int | None = None) -> Choice:
    """A built-in table; ``n`` (house prices' number of sales) only where the table has it."""
    X, y, names, target, description, notes = _builtin_design(key, seed,
                                                              n if key in SIZED else None)
    return Choice(key, LABELS[key], X, y, names, target, description, notes)


def uploaded() -> Choice | None:
    """The session's uploaded dataset, if the student has loaded one."""
    return st.session_state.get(UPLOAD_KEY)


def options() -> list[str]:
    keys = list(LABELS)
    if uploaded() is not None:
        keys.append("upload")
    return keys


def _explain_lost_upload(keys: list[str]) -> None:
    """A link or reload that asks for an upload this session does not have: say why."""
    if st.query_params.get("dataset") == "upload" and "upload" not in keys:
        del st.query_params["dataset"]
        st.sidebar.info(
            "This link asked for an uploaded table. Your upload lived in the previous browser "
            "session (a reload or a new tab starts a fresh one, and nothing is kept on the "
            "server): upload it again on the *Your data* page.", icon=":material/upload_file:")


def label_of(key: str) -> str:
    """Stable labels (no session lookups), so the widget's identity never shifts."""
    return "Your uploaded data" if key == "upload" else LABELS[key]


def pick(default: str = "diabetes", *, key: str = "dataset", seed: int = 0,
         allowed: list[str] | None = None, n: int | None = None) -> Choice:
    """Sidebar selectbox over the built-in datasets plus the upload; returns the design.

    The choice is mirrored in the URL (``dataset=``) so a link reopens it.
    """
    keys = [k for k in options() if allowed is None or k in allowed or k == "upload"]
    if default not in keys:
        default = keys[0]
    _explain_lost_upload(keys)
    bound = state.bind("dataset", key, state.parse_choice(keys), default,
                       valid=lambda v: v in keys)
    chosen = st.sidebar.selectbox("Dataset", keys, format_func=label_of, **bound)
    state.publish("dataset", chosen)
    if chosen == "upload":
        return uploaded()
    return builtin_choice(chosen, seed, n)
