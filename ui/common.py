"""Controls several pages share: penalty choice, error display, presentation style."""

from __future__ import annotations

import streamlit as st

from regviz.figures.style import PENALTY_LABELS, Style

PRESENTATION_KEY = "presentation"


def penalty_controls(prefix: str = "", default: str = "l1") -> tuple[str, float]:
    """Sidebar penalty radio and, for elastic net, the mixing slider a."""
    keys = list(PENALTY_LABELS)
    penalty = st.sidebar.radio(
        "Penalty", keys, index=keys.index(default), format_func=PENALTY_LABELS.get,
        key=f"{prefix}penalty", horizontal=True,
    )
    l1_ratio = 1.0 if penalty == "l1" else 0.0
    if penalty == "elasticnet":
        l1_ratio = st.sidebar.slider(
            "Mixing a (share of L1)", 0.05, 0.95, 0.5, 0.05, key=f"{prefix}l1_ratio",
            help="P(w) = a·Σ|w| + (1−a)·Σw². a = 1 is the lasso, a = 0 is ridge.",
        )
    return penalty, float(l1_ratio)


def style() -> Style:
    """Figure sizes for the current mode (presentation mode enlarges everything)."""
    return Style(scale=1.6 if st.session_state.get(PRESENTATION_KEY, False) else 1.0)


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
