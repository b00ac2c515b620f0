"""How the zeros are made: shrinkage rules, optimizers on contours, speed, and what λ buys.

Thin page: widgets -> regviz.optimizers / regviz.tradeoff (cached) -> regviz.figures.optimizers.
Animated figures play in the browser (plotly frames); one part computes per run.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd
import streamlit as st

from regviz import geometry as geo
from regviz import optimizers as opt
from regviz import optimizers_captions as ocap
from regviz import tradeoff as tr
from regviz.figures import optimizers as fo
from regviz.figures.style import Style
from regviz.penalties import L1
from regviz.preprocessing import prepare
from regviz.solvers import lambda_max
from ui import common, datasets, offload, state, upload_work
from ui.entry import through_app
from ui.figure_cache import cached_chart

through_app()

PARTS = {
    "shrink": "1 · One coefficient",
    "race": "2 · Four optimizers",
    "speed": "3 · Is L1 slower?",
    "tradeoff": "4 · What λ buys",
    "test": "5 · Why a separate test set",
}
ZS = np.round(np.linspace(-3.0, 3.0, 61), 10)
LAMS = np.round(np.arange(0.25, 3.0001, 0.25), 10)  # the browser's λ slider: 0.25 ... 3
LAM_START = int(np.argmin(np.abs(LAMS - 1.0)))
W_TRUE = (2.0, 0.4)
RACE_STEPS = 40


def _run(compute):
    return common.run_or_explain(compute, "This part")


# --------------------------------------------------------------------------- cached work


@st.cache_data(max_entries=64, show_spinner=False)
def _problem(rho: float, seed: int):
    return geo.problem_of(geo.make_data(np.array(W_TRUE), rho, 0.5, seed=seed))


@st.cache_data(max_entries=64, show_spinner="Running the four optimizers…")
def _race(rho: float, seed: int, lam_fraction: float, step: float, start: tuple) -> opt.Race:
    problem = _problem(rho, seed)
    lam = lam_fraction * lambda_max(problem, L1())
    return opt.race(problem, lam, step_fraction=step, start=start, steps=RACE_STEPS)


@st.cache_data(max_entries=16, show_spinner="Timing coordinate descent…")
def _speed(X: np.ndarray, y: np.ndarray) -> list[opt.SpeedRow]:
    return opt.speed_table(prepare(X, y))


def _builtin_speed(key: str, seed: int) -> list[opt.SpeedRow]:
    choice = datasets.builtin_choice(key, seed)
    return _speed(choice.X, choice.y)


def _upload_speed(choice: datasets.Choice) -> list[opt.SpeedRow]:
    """An upload is timed in a child process of this session: coordinate descent on a wide
    table takes tens of seconds (300 x 1000: 30 s), which must not hold the server."""
    n, p = choice.X.shape
    return offload.private(("zeros_speed", choice.data_id),
                           f"Timing coordinate descent on your {n:,} x {p:,} table",
                           upload_work.speed_rows, choice.X, choice.y, progress=offload.REPORT)


@st.cache_data(max_entries=32, show_spinner="Refitting on many training samples…")
def _bias_variance(kind: str, seed: int, reps: int):
    truth = tr.make_truth(kind, seed=seed)
    return [offload.run(tr.bias_variance, truth, pen, reps=reps, seed=seed)
            for pen in ("l1", "l2")]


@st.cache_data(max_entries=32, show_spinner="Tuning λ on many test sets…")
def _tune(kind: str, penalty: str, seed: int, n_test: int):
    truth = tr.make_truth(kind, seed=seed)
    return offload.run(tr.tune_on_test, truth, penalty, n_test=n_test, reps=40, n_lams=20,
                       seed=seed)


# --------------------------------------------------------------------------- page

st.title("How the zeros are made")
st.markdown(
    "Explainers say L1 needs special optimizers because |w| has no derivative at 0, that L1 "
    "training \"can be slower\", and that a penalty trades bias for variance. Here each claim "
    "is run, not told: one coefficient, four optimizers on one problem, a timing test, and "
    "simulations from a truth we know."
)
common.objective_latex()
seed = common.seed_control("Random seed (data and simulations)")
scale = common.style().scale

tabs = common.linked_tabs("part", "zeros_part", PARTS, "shrink")
state.show_notices()
shrink_tab, race_tab, speed_tab, tradeoff_tab, test_tab = tabs

# --------------------------------------------------------------------------- 1. one coefficient
if shrink_tab.open:
    with shrink_tab:
        st.markdown(
            "With one standardized feature the whole fit is one number. Call **z** the "
            "least-squares coefficient (how hard the data pull); the objective is then "
            "(w − z)² + λP(w) plus a constant, and its minimizer has a formula:"
        )
        st.latex(r"\text{L1: } w=\operatorname{sign}(z)\max\!\bigl(|z|-\tfrac{\lambda}{2},0\bigr)"
                 r"\qquad \text{L2: } w=\frac{z}{1+\lambda}\qquad"
                 r"\text{EN: } w=\frac{\operatorname{sign}(z)\max(|z|-\lambda a/2,\,0)}"
                 r"{1+\lambda(1-a)}")
        a = st.slider("Elastic net mixing a", 0.05, 0.95, 0.5, 0.05, key="zeros_a",
                      persist_state="session")
        st.markdown("**Drag the z and λ sliders under the chart** (both play in your browser): "
                    "the L1 dot sits on the flat segment at 0 until z leaves the shaded dead "
                    "zone, and a larger λ widens the zone.")
        cached_chart("zeros_shrink", (a, scale),
                     partial(fo.shrinkage_figure, LAMS, a, ZS, LAM_START, 40,
                                                 Style(scale=scale)),
                     ocap.shrinkage_caption(LAMS, a), private=False)

# --------------------------------------------------------------------------- 2. four optimizers
if race_tab.open:
    with race_tab:
        st.markdown(
            "The same two-feature problem as on the geometry page, solved four ways. The "
            "**subgradient method** treats |w| like a smooth function with slope ±1 and steps "
            "across the axis again and again. **Proximal gradient (ISTA)** takes a gradient "
            "step on the error and then soft-thresholds: anything that lands within a small "
            "band of 0 is set to exactly 0. **Coordinate descent** solves exactly along one "
            "axis at a time (that exact solve is the soft-threshold of part 1). **Gradient "
            "descent on the L2 objective** needs no tricks: it is smooth, and its answer has no "
            "zeros. The star is regviz's exact solution; press ▶ or drag the step slider."
        )
        c1, c2, c3, c4 = st.columns(4)
        lam_fraction = c1.slider("λ / λ_max", 0.05, 0.95, 0.5, 0.05, key="race_lam",
                                 persist_state="session",
                                 help="λ as a share of the L1 λ_max, where both weights are 0.")
        step = c2.slider("Step size (× 1/L)", 0.1, 1.9, 1.0, 0.1, key="race_step",
                         persist_state="session",
                         help="L is the Lipschitz constant of the error's gradient. Above 2 "
                              "gradient steps diverge.")
        start_1 = c3.slider("Start w₁", -1.0, 3.0, 0.0, 0.25, key="race_w1",
                            persist_state="session")
        start_2 = c4.slider("Start w₂", -1.0, 2.0, 1.5, 0.25, key="race_w2",
                            persist_state="session")
        rho = st.slider("Correlation of the two features ρ", -0.8, 0.9, 0.6, 0.1, key="race_rho",
                        persist_state="session")
        result = _run(lambda: _race(rho, seed, lam_fraction, step, (start_1, start_2)))
        if result is not None:
            cached_chart(
                "zeros_race", (rho, seed, lam_fraction, step, start_1, start_2, scale),
                partial(fo.optimizer_figure, result.runs, result.exact, result.contours,
                                            Style(scale=scale)),
                ocap.optimizer_caption(result.runs, result.exact), private=False)
            rows = [{"method": label, "w₁ after the last step": fo.fmt(result.runs[k][-1, 0]),
                     "w₂ after the last step": fo.fmt(result.runs[k][-1, 1]),
                     "exact w₁": fo.fmt(result.exact[k][0]),
                     "exact w₂": fo.fmt(result.exact[k][1])}
                    for k, label, _ in fo.METHODS]
            st.dataframe(pd.DataFrame(rows), hide_index=True)

# --------------------------------------------------------------------------- 3. speed
if speed_tab.open:
    with speed_tab:
        st.markdown(
            "Plain cyclic coordinate descent, from 0, until the optimality (KKT) residual is "
            "below 10⁻⁸ of its size at 0, for L1 at three penalties (a half, a tenth and a "
            "hundredth of λ_max) and for L2 at the λ that gives **the same training error**, "
            "so both models fit equally well. A sweep updates every coefficient once. "
            "regviz's own exact solver (support, then one linear solve) is timed beside it."
        )
        choice = datasets.pick("diabetes", key="zeros_dataset", seed=seed)
        tables = {}
        for key in datasets.LABELS:
            tables[datasets.LABELS[key].split(" (")[0]] = _run(lambda k=key: _builtin_speed(
                k, seed))
        if choice is not None and choice.is_upload:
            tables["Your uploaded data"] = _run(lambda: _upload_speed(choice))
        tables = {name: rows for name, rows in tables.items() if rows}
        if tables:
            sentences = ocap.speed_sentences(tables)
            common.show_chart(fo.speed_figure(tables, Style(scale=scale)), sentences[0],
                              "zeros_speed")
            for sentence in sentences[1:]:
                st.markdown("- " + sentence)
            rows = [{"data": name, "penalty level": r.level, "λ (L1)": f"{r.lam_l1:.3g}",
                     "λ (L2, same training MSE)": f"{r.lam_l2:.3g}",
                     "training MSE": f"{r.train_mse:.4g}", "L1 non-zeros": r.nonzero_l1,
                     "L1 sweeps": r.l1.sweeps, "L2 sweeps": r.l2.sweeps,
                     "L1 CD ms": round(1e3 * r.l1.seconds, 2),
                     "L2 CD ms": round(1e3 * r.l2.seconds, 2),
                     "exact L1 ms": round(1e3 * r.exact_l1_seconds, 2),
                     "exact L2 ms": round(1e3 * r.exact_l2_seconds, 2)}
                    for name, rs in tables.items() for r in rs]
            st.dataframe(pd.DataFrame(rows), hide_index=True)
            st.caption("Times are wall-clock on this server and vary with its load; sweeps do "
                       "not. " + ocap.speed_extremes(tables))
        if choice is not None and choice.is_upload:
            st.caption("Your uploaded table is fitted with the squared-error objective here.")
        elif datasets.uploaded() is not None:
            st.caption("Choose your uploaded table in the sidebar to time it too.")

# --------------------------------------------------------------------------- 4. what λ buys
if tradeoff_tab.open:
    with tradeoff_tab:
        st.markdown(
            "We know the truth here: y = x·w* + noise, with 30 features and 50 training rows. "
            "Draw a training sample, fit, predict 200 fixed test points; repeat. **Squared "
            "bias** is how far the average prediction is from the truth, **variance** how much "
            "predictions move between samples. A strong penalty (left) is stable but wrong on "
            "average; a weak one (right) is right on average but jumps around."
        )
        c1, c2 = st.columns(2)
        kind = c1.radio("The truth", list(tr.KINDS), horizontal=True, key="zeros_kind",
                        persist_state="session",
                        format_func={"sparse": "Sparse (5 of 30 matter)",
                                     "dense": "Dense (all 30 matter a little)"}.get)
        reps = c2.select_slider("Training samples", [40, 100, 200], 100, key="zeros_reps",
                                persist_state="session")
        results = _run(lambda: _bias_variance(kind, seed, reps))
        if results:
            cached_chart("zeros_bias_variance", (kind, seed, reps, scale),
                         partial(fo.bias_variance_figure, results, Style(scale=scale)),
                         ocap.bias_variance_caption(results, kind), private=False)

# --------------------------------------------------------------------------- 5. test set
if test_tab.open:
    with test_tab:
        st.markdown(
            "Choosing λ is fitting too. Pick the λ with the lowest error **on the test set** and "
            "that error is no longer a fair estimate: it was selected for being low. Here each "
            "draw has its own training and test set; the error on new data is computed exactly "
            "from the known truth. The dotted line is \"claimed = actual\"; points above it "
            "claimed too little error."
        )
        c1, c2, c3 = st.columns(3)
        kind = c1.radio("The truth", list(tr.KINDS), horizontal=True, key="zeros_test_kind",
                        persist_state="session")
        penalty = c2.radio("Penalty", ["l2", "l1"], horizontal=True, key="zeros_test_pen",
                           persist_state="session",
                           format_func={"l1": "L1 (lasso)", "l2": "L2 (ridge)"}.get)
        n_test = c3.select_slider("Test-set rows", [20, 30, 60, 120], 30, key="zeros_n_test",
                                  persist_state="session")
        result = _run(lambda: _tune(kind, penalty, seed, n_test))
        if result is not None:
            cached_chart("zeros_tune", (kind, penalty, seed, n_test, scale),
                         partial(fo.tune_figure, result, Style(scale=scale)),
                         ocap.tune_caption(result), private=False)
