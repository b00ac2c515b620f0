"""Diagnosis: 1,000 markers, 5 that matter. Does L1 find them, and is L2 more accurate?

Thin: ``regviz.diagnosis`` simulates seeded cohorts and fits L1 and L2 at their
cross-validated λ and a nearly unpenalized model; ``regviz.figures.diagnosis``
draws them; every caption is the study's own sentence, computed from its numbers.
Each cohort runs in the worker pool (``ui.offload.run_long``) and is cached on its own,
so studies that share cohorts (neighbouring seeds, more or fewer cohorts) share the work.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from regviz.diagnosis import N_DRIVERS, CohortResult, DiagnosisStudy, run_cohort
from regviz.figures.diagnosis import accuracy_figure, overfitting_figure, support_figure
from ui import common, offload
from ui.entry import through_app
from ui.figure_cache import cached_figure

through_app()

MARKERS = 1000
RULES = {"min": "λ_min (lowest held-out log-loss)", "1se": "λ_1se (one-standard-error rule)"}


# Cached cohort by cohort: the study at seed s holds cohorts s, s+1, ..., so the studies at
# seeds 0, 1 and 2 share all but one cohort, and one more cohort on the slider is one new
# cohort (about 1 s of CPU), not a new study (4 s for the default four).
@st.cache_data(show_spinner=False, max_entries=128)
def _cohort(n_train: int, seed: int, rule: str) -> CohortResult:
    return offload.run_long(run_cohort, n_train=n_train, p=MARKERS, seed=seed, rule=rule)


def _study(repeats: int, n_train: int, seed: int, rule: str) -> DiagnosisStudy:
    """The same study as ``run_study(repeats, n_train, MARKERS, seed, rule=rule)``."""
    with st.spinner("Simulating the cohorts and cross-validating both penalties…"):
        return DiagnosisStudy(tuple(_cohort(n_train, seed + r, rule) for r in range(repeats)),
                              rule=rule)


def _controls() -> tuple[int, int, int, str]:
    more = common.secondary()
    repeats = st.sidebar.slider("Cohorts (repeated studies)", 1, 8, 4, key="diag_repeats",
                                persist_state="session",
                                help="Each cohort is a new seeded draw of patients: the "
                                     "accuracy comparison is made over all of them.")
    n_train = st.sidebar.select_slider("Training patients per cohort", [100, 150, 200, 300, 400],
                                       200, key="diag_patients", persist_state="session")
    rule = st.sidebar.radio("Cross-validated λ", list(RULES), format_func=RULES.get,
                            key="diag_rule", persist_state="session")
    seed = common.seed_control("Random seed (cohorts, folds)", more)
    return repeats, n_train, seed, rule


st.title("Diagnosis: 1,000 markers, 5 drivers")
st.markdown(
    f"A simulated study: each patient has {MARKERS:,} genetic markers, and only "
    f"{N_DRIVERS} of them change the odds of disease. We fit logistic regression with an L1 "
    "and an L2 penalty, each at the λ that 5-fold stratified cross-validation picks on the "
    "training patients, and score both on 2,000 new patients. Explainers claim that L1 "
    "finds the driver genes while L2 uses all 1,000 and is *slightly more accurate*: here "
    "that claim is measured, over repeated cohorts, not repeated."
)
common.objective_latex(loss="logistic")
repeats, n_train, seed, rule = _controls()
study = common.run_or_explain(lambda: _study(repeats, n_train, seed, rule), "The study")
if study is None:
    st.stop()
style = common.style()

st.subheader("Which markers does each model use?")
first = study.cohorts[0]
hits = len(set(first.l1_support) & set(first.drivers))
# The figures depend only on the study's settings and the style: built once, shared.
view = (repeats, n_train, seed, rule, style)
common.show_chart(
    cached_figure("diag_support", view, partial(support_figure, first, style), private=False),
    f"The chart shows the first cohort (seed {first.seed}): L1 kept {len(first.l1_support)} "
    f"markers, {hits} of them among the {len(first.drivers)} drivers; L2 gave "
    f"{first.l2_used:,} of {first.p:,} markers a non-zero weight. " + study.support_caption(),
    key="diag_support")

st.subheader("Is L2 more accurate?")
common.show_chart(cached_figure("diag_accuracy", view, partial(accuracy_figure, study, style),
                                private=False), study.accuracy_caption(), key="diag_accuracy")

st.subheader("The 99% trap: perfect on the training patients")
st.markdown(
    f"With {MARKERS:,} markers and only {n_train} patients, a model with (almost) no penalty "
    "can draw a boundary through every training patient. Training accuracy says nothing then; "
    "accuracy on new patients does."
)
common.show_chart(cached_figure("diag_overfitting", view, partial(overfitting_figure, study, style),
                                private=False),
                  study.overfitting_caption(), key="diag_overfitting")
