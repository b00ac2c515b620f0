"""Controls several pages share: penalty, standardize, seed, presentation style, the formula.

Each control mirrors its value in the URL through ``ui.state`` so a teacher
can share the exact view.  Widgets get their defaults through session state
(not through ``value=``), so a value restored from a link never conflicts
with a default.
"""

from __future__ import annotations

import streamlit as st

from regviz.figures.style import PENALTY_LABELS, Style
from ui import state

PRESENTATION_KEY = "presentation"
PRESENTATION_SCALE = 1.6


def penalty_controls(prefix: str = "", default: str = "l1") -> tuple[str, float]:
    """Sidebar penalty radio and, for elastic net, the mixing slider a."""
    keys = list(PENALTY_LABELS)
    key = f"{prefix}penalty"
    state.adopt("penalty", key, state.parse_choice(keys), default)
    penalty = st.sidebar.radio("Penalty", keys, format_func=PENALTY_LABELS.get, key=key,
                               horizontal=True)
    state.publish("penalty", penalty)
    l1_ratio = 1.0 if penalty == "l1" else 0.0
    if penalty == "elasticnet":
        a_key = f"{prefix}l1_ratio"
        state.adopt("a", a_key, state.parse_float(0.05, 0.95), 0.5)
        l1_ratio = st.sidebar.slider(
            "Mixing a (share of L1)", 0.05, 0.95, step=0.05, key=a_key,
            help="P(w) = a·Σ|w| + (1−a)·Σw². a = 1 is the lasso, a = 0 is ridge.",
        )
        state.publish("a", l1_ratio)
    return penalty, float(l1_ratio)


def secondary():
    """Where secondary controls go: the sidebar, or a closed expander in presentation mode.

    Call it once per page and pass the result to the controls, so there is one expander.
    """
    if presenting():
        return st.sidebar.expander("More settings", expanded=False)
    return st.sidebar


def standardize_control(where=None, key: str = "standardize") -> bool:
    """Standardize checkbox in ``where`` (default: the sidebar, or the settings expander)."""
    state.adopt("std", key, state.parse_flag, True)
    value = (where or secondary()).checkbox(
        "Standardize features", key=key,
        help="Centre each column and divide by its standard deviation before penalizing.",
    )
    state.publish("std", value)
    return bool(value)


def seed_control(label: str = "Random seed", where=None, key: str = "seed") -> int:
    """Seed input in ``where`` (default: the sidebar, or the settings expander)."""
    state.adopt("seed", key, state.parse_int(0, 10_000), 0)
    value = (where or secondary()).number_input(label, 0, 10_000, step=1, key=key,
                                     help="Same seed, same numbers: for reproducible demos.")
    state.publish("seed", int(value))
    return int(value)


def show_chart(fig, caption: str, key: str) -> None:
    """A chart and, under it, the caption that states its message (also its accessible text)."""
    st.plotly_chart(fig, key=key, alt=caption, config={"displayModeBar": False})
    st.caption(caption)


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


def objective_latex() -> None:
    st.latex(
        r"L(w,b)=\frac{1}{n}\sum_{i=1}^{n}\bigl(y_i-b-x_i^\top w\bigr)^2+\lambda\,P(w),\qquad "
        r"P(w)=a\sum_j|w_j|+(1-a)\sum_j w_j^2"
    )
    st.caption(
        "L1 (a = 1) is the **sum of absolute values** Σ|wⱼ|, not the absolute value of the sum. "
        "L2 (a = 0) is the **squared** norm Σwⱼ², not the norm. The intercept b is not "
        "penalized. scikit-learn's `alpha` is not this λ: Lasso(alpha = λ/2), "
        "Ridge(alpha = n·λ), ElasticNet(alpha = λ(1 − a/2), l1_ratio = a/(2 − a))."
    )
