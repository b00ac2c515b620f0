"""Controls several pages share: penalty, standardize, seed, presentation style, the formula.

Each control mirrors its value in the URL through ``ui.state`` so a teacher
can share the exact view.  Widgets get their defaults through session state
(not through ``value=``), so a value restored from a link never conflicts
with a default.
"""

from __future__ import annotations

import streamlit as st

from regviz.errors import DataError
from regviz.figures.style import PENALTY_LABELS, Style
from regviz.usertext import md
from ui import reveal, state
from ui.formulas import formula_html

PRESENTATION_KEY = "presentation"
PRESENTATION_SCALE = 1.6


def penalty_controls(prefix: str = "", default: str = "l1") -> tuple[str, float]:
    """Sidebar penalty radio and, for elastic net, the mixing slider a (both shared settings).

    ``prefix`` is kept for callers that used page-specific keys; the setting is shared.
    """
    keys = list(PENALTY_LABELS)
    bound = state.bind("penalty", "penalty", state.parse_choice(keys), default,
                       valid=lambda v: v in keys)
    penalty = reveal.control(st.sidebar.radio, "Penalty", keys, format_func=PENALTY_LABELS.get,
                             horizontal=True, **bound)
    state.publish("penalty", penalty)
    if penalty != "elasticnet":
        state.withdraw("a")  # a stale a= in a link would say something the view does not use
        return penalty, 1.0 if penalty == "l1" else 0.0
    return penalty, mixing_control()


def mixing_control(label: str = "Mixing a (share of L1)") -> float:
    """The elastic-net mixing slider a, shared by every page that shows it."""
    bound = state.bind("a", "l1_ratio", state.parse_float(0.05, 0.95), 0.5,
                       valid=lambda v: isinstance(v, float) and 0.05 <= v <= 0.95)
    value = reveal.control(
        st.sidebar.slider, label, 0.05, 0.95, step=0.05,
        help="P(w) = a·Σ|w| + (1−a)·Σw². a = 1 is the lasso, a = 0 is ridge.", **bound,
    )
    state.publish("a", value)
    return float(value)


def secondary():
    """Where secondary controls go: the sidebar, or a closed expander in presentation mode.

    Call it once per page and pass the result to the controls, so there is one expander.
    """
    if presenting() and not reveal.deferred():
        return st.sidebar.expander("More settings", expanded=False)
    return st.sidebar


def standardize_control(where=None, key: str = "standardize") -> bool:
    """Standardize checkbox in ``where`` (default: the sidebar, or the settings expander)."""
    bound = state.bind("std", key, state.parse_flag, True, valid=lambda v: isinstance(v, bool))
    value = reveal.control(
        (where or secondary()).checkbox, "Standardize features",
        help="Centre each column and divide by its standard deviation before penalizing.",
        **bound,
    )
    state.publish("std", value)
    return bool(value)


def seed_control(label: str = "Random seed", where=None, key: str = "seed") -> int:
    """Seed input in ``where`` (default: the sidebar, or the settings expander)."""
    bound = state.bind("seed", key, state.parse_int(0, 10_000), 0,
                       valid=lambda v: isinstance(v, int) and 0 <= v <= 10_000)
    value = reveal.control(
        (where or secondary()).number_input, label, 0, 10_000, step=1,
        help="Same seed, same numbers: for reproducible demos.", **bound)
    state.publish("seed", int(value))
    return int(value)


def linked_tabs(url_name: str, key: str, labels: dict[str, str], default: str):
    """A page's tabs (each built only when open), in ``labels``' order.

    The open tab is in the URL (``url_name`` holds its key in ``labels``), so a link opens it,
    and is kept for the student's return from another page (``st.tabs`` has no
    ``persist_state``).
    """
    pick = state.parse_choice(list(labels))
    state.adopt(url_name, key, lambda text: labels[pick(text)],
                state.last(key, labels[default]))
    tabs = st.tabs(list(labels.values()), key=key, on_change="rerun")
    opened = next((k for k, tab in zip(labels, tabs, strict=True) if tab.open), default)
    state.publish(url_name, opened)
    state.remember(key, labels[opened])
    return tabs


def show_chart(fig, caption: str, key: str) -> None:
    """A chart and, under it, the caption that states its message (also its accessible text).

    Captions are computed sentences that may quote column names: shown literally.
    """
    st.plotly_chart(fig, key=key, alt=caption, config={"displayModeBar": False})
    st.caption(md(caption))


def run_or_explain(compute, what: str = "This experiment"):
    """``compute()``, or None with a message: a DataError (which may quote a column name,
    shown literally) becomes words on the page, never a traceback."""
    try:
        return compute()
    except DataError as err:
        st.error(f"{what} cannot run on these settings: {md(err)}")
        return None


def presenting() -> bool:
    return bool(st.session_state.get(PRESENTATION_KEY, False))


def style() -> Style:
    """Figure sizes and ink for the current mode and theme."""
    dark = False
    try:
        dark = st.context.theme.type == "dark"
    except Exception:  # noqa: BLE001 - theme is unknown outside a browser session
        dark = False
    return Style(scale=PRESENTATION_SCALE if presenting() else 1.0, dark=dark)


def objective_latex(loss: str = "squared") -> None:
    """The objective the page minimises, with scikit-learn's parameters beside it.

    Drawn from an SVG made once from its TeX (``ui/formulas.py``), not by ``st.latex``.
    """
    if loss == "logistic":
        _logistic_objective_latex()
        return
    st.html(formula_html("objective_squared"))
    st.caption(
        "L1 (a = 1) is the **sum of absolute values** Σ|wⱼ|, not the absolute value of the sum. "
        "L2 (a = 0) is the **squared** norm Σwⱼ², not the norm. The intercept b is not "
        "penalized. scikit-learn's `alpha` is not this λ: Lasso(alpha = λ/2), "
        "Ridge(alpha = n·λ), ElasticNet(alpha = λ(1 − a/2), l1_ratio = a/(2 − a))."
    )


def _logistic_objective_latex() -> None:
    st.html(formula_html("objective_logistic"))
    st.caption(
        "The mean log-loss (y = 1 or 0) plus the same penalty P(w) = a·Σ|wⱼ| + (1 − a)·Σwⱼ² "
        "on the same standardized features; the intercept b is not penalized. In "
        "scikit-learn this is LogisticRegression on the standardized design with "
        "C = 1/(n·λ) for L1 (l1_ratio = 1), C = 1/(2·n·λ) for L2 (l1_ratio = 0), and "
        "C = 1/(n·λ·(2 − a)) with l1_ratio = a/(2 − a) for elastic net; L1 and elastic net "
        "need solver='saga', which leaves the intercept unpenalized."
    )
