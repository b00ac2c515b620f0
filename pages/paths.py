"""Coefficient-path explorer: scrub lambda live, see the fit change, pick lambda by CV."""

from __future__ import annotations

from functools import partial

import streamlit as st

from regviz import DataError
from regviz.figures.paths import path_explorer_figure, spec_starting_at
from regviz.paths import explore
from regviz.paths_logistic import explore_logistic
from regviz.usertext import md
from ui import common, datasets, links, offload, reveal, state
from ui.downloads import render_downloads
from ui.entry import through_app
from ui.figure_cache import cached_figure, from_spec
from ui.scrub import scrub

through_app()


_EXPLORERS = {"regression": explore, "classification": explore_logistic}


# 192 entries: the server's warm-up (ui/warmup.py) fills about 150 paths views; with 64 a
# class evicted 22-28 of them and missed again (benchmarks/load.py, any view).
@st.cache_data(show_spinner="Fitting the path and cross-validating…", max_entries=192)
def _builtin_exploration(X, y, names, penalty, l1_ratio, standardize, seed,
                         task="regression"):
    return offload.run(_EXPLORERS[task], X, y, names, penalty=penalty, l1_ratio=l1_ratio,
                       standardize=standardize, seed=seed)


def _exploration(choice, penalty, l1_ratio, standardize, seed):
    """Built-in data: shared cache and worker pool.  An upload: this session only, computed
    in a child process that the next interaction stops (``offload.private``)."""
    X, y, names, task = choice.X, choice.y, choice.feature_names, choice.task
    if not choice.is_upload:
        return _builtin_exploration(X, y, names, penalty, l1_ratio, standardize, seed, task)
    key = ("explore", choice.data_id, penalty, l1_ratio, standardize, seed, task)
    return offload.private(key, f"Fitting the path and cross-validating your {X.shape[0]:,} x "
                           f"{X.shape[1]:,} table", _EXPLORERS[task], X, y, list(names),
                           penalty=penalty, l1_ratio=l1_ratio, standardize=standardize,
                           seed=seed, progress=offload.REPORT)


st.title("Coefficient paths")
# The seed draws the simulated tables too, as on the house page: one seed, one sample.
data_seed = state.peek("seed", state.parse_int(0, 10_000), 0)
sales = state.peek("sales", state.parse_int(20, 2000), None)  # house prices, set on its page
choice = datasets.pick(seed=data_seed, n=sales, tasks=("regression", "classification"))
st.markdown(
    "Every coefficient as a function of λ. Large λ on the left (strong penalty, small or zero "
    "coefficients), " + ("small λ on the right (logistic regression with almost no penalty; "
                         "there is no λ = 0 end when the classes can be separated)"
                         if choice.classifies else "λ = 0 on the right (ordinary least squares)")
    + ". **Drag the slider under the chart**: the bars, the readout and the markers follow in "
    "your browser, with no reload."
)
common.objective_latex(loss="logistic" if choice.classifies else "squared")
if choice.classifies:
    st.info(f"**Classification.** The target {md(choice.target)} has two classes "
            f"({md(choice.classes[1])} = 1, {md(choice.classes[0])} = 0), so this page fits "
            "logistic regression: the error is the log-loss, with accuracy and AUC beside it."
            if choice.classes else "**Classification**: a two-class target.",
            icon=":material/category:")
if choice.key in datasets.SIZED and sales is not None:
    state.publish("sales", sales)
else:
    state.withdraw("sales")
penalty, l1_ratio = common.penalty_controls()
more = common.secondary()
standardize = common.standardize_control(more)
seed = common.seed_control("Random seed (simulated data, split and folds)", more)
try:
    ex = _exploration(choice, penalty, l1_ratio, standardize, seed)
except DataError as err:
    st.error(f"This dataset cannot be used here: {md(err)}")
    st.stop()
frame_lams = [*map(float, ex.path.lams), *([0.0] if ex.ols_coef is not None else [])]
# The view λ belongs to: the data's one identity (a built-in's key, seed and rows, or an
# upload's content) and the settings; the figure's cache key adds the style.
view_id = (choice.data_id, penalty, l1_ratio, standardize, seed, choice.task)
active = links.lambda_frame(frame_lams, view_id)  # None: the default, λ_1se
style = common.style()
view = (*view_id, style)
private = choice.is_upload
base = cached_figure("paths", view, partial(path_explorer_figure, ex, style), private=private)
# A link's λ opens the same figure at another frame: an edited copy of its dict, sent as it
# is (no plotly objects rebuilt: 0.5 ms against 35-38 ms for a 61-frame chart).
fig = base if active is None else cached_figure(
    "paths_at", (*view, active),
    lambda: from_spec(spec_starting_at(base.to_dict(), active)), private=private)
state.show_notices()

if len(ex.feature_names) == 1:
    st.info("This dataset has only one feature: the path is a single line, and L1 can only "
            "keep it or drop it. Pick a dataset with several features to compare them.")
summary = ex.caption(choice.label)  # plain text: md() escapes it, user names included
st.plotly_chart(fig, key="coef_path", alt=summary, config={"displayModeBar": False})
# The slider moves λ in the browser (and keeps it there for the student's return).
scrub("coef_path", view_id, st.query_params.get("lam"), links.pick_epoch())
st.caption(md(summary))
for note in [*choice.notes, *ex.notes]:
    st.caption(md(note))

if not reveal.deferred():  # ui/reveal.py: drawn once the chart is
    with more.container():
        links.lambda_picker(frame_lams, ex.cv, active, view_id)

def _subgradient_note(classifies: bool) -> None:
    if classifies:
        st.markdown(
            "At the optimum, a coefficient can be exactly zero when the pull of the data on it, "
            "|(1/n)·zⱼ·(y − p)| with pᵢ the fitted probability, is at most λ·a. The absolute "
            "value has a corner at zero, so the coefficient stays at exactly 0 until the "
            "data's pull exceeds λ·a: the log-loss is not quadratic, but the corner works the "
            "same way. Ridge (a = 0) has no corner and keeps every feature."
        )
        st.latex(r"\lambda_{\max}=\frac{1}{n\,a}\max_j\bigl|z_j^\top(y-\bar y)\bigr|")
        return
    st.markdown(
        "At the optimum, a coefficient can be exactly zero when the pull of the data on it, "
        "|(2/n)·zⱼ·(y − b − Zw)|, is at most λ·a. The absolute value has a corner at zero, so a "
        "whole range of slopes balances there: the coefficient stays at exactly 0 until the "
        "data's pull exceeds λ·a. Ridge (a = 0) has no corner, so only a pull of exactly 0 "
        "keeps a coefficient at 0, and that essentially never happens."
    )
    st.latex(r"\lambda_{\max}=\frac{2}{n\,a}\max_j\bigl|z_j^\top(y-\bar y)\bigr|")


# Built only when opened: its formula would load the LaTeX renderer before the chart is drawn.
why_zeros = st.expander("Why exact zeros? The subgradient condition", key="why_zeros",
                        on_change="rerun")
if why_zeros.open:
    with why_zeros:
        _subgradient_note(choice.classifies)

if not reveal.deferred():
    render_downloads(choice, ex)
