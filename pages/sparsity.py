"""Sparsity lab: five experiments that test what students have read about L1 and L2."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import streamlit as st

from regviz import experiments as ex
from regviz.figures import experiments as figs
from regviz.figures.style import Style
from regviz.usertext import md
from regviz.zeros_logistic import logistic_zeros_vs_lambda
from ui import common, datasets, offload, state, upload_work
from ui.datasets import Choice
from ui.entry import through_app
from ui.figure_cache import cached_chart

through_app()

N_DRAWS = 10_000  # random losses in the corners experiment
TABS = {
    "zeros": "1 · Zeros as λ grows",
    "corners": "2 · Why corners win",
    "recovery": "3 · Ten of five hundred",
    "twins": "4 · Correlated twins",
    "contest": "5 · Who predicts better?",
}
SWEEPS = {
    "n": ("rows n", [25, 50, 100, 200, 400]),
    "noise": ("noise sd", [0.5, 1.0, 2.0, 4.0, 8.0]),
    "rho": ("correlation", [0.0, 0.3, 0.6, 0.8, 0.95]),
}


# Experiments on settings and built-in tables are cached for everyone (st.cache_data) and run in
# the worker pool; recovery and the contest (1-2.6 s each, cold) in its long lane
# (offload.run_long), so that under a cold class they leave a worker to the quick views.  The
# long lane's worker keeps each penalty's part of them (regviz.experiments), so moving a
# refits elastic net alone (benchmarks/experiments_speed.py: the contest at a second a
# 0.35-0.45 s against 1.12-1.39 s, recovery 0.47-0.50 s against 0.96-1.37 s).  On an
# upload they run in a child process of this session (offload.private): a status line names
# the step, states the time limit, and the next change stops it.
@st.cache_data(show_spinner="Counting exact zeros along λ…", max_entries=128)  # ~90 warmed
def _builtin_zeros(X, y, a, standardize):
    return offload.run(upload_work.zeros_and_sizes, X, y, a, standardize)


def _shape(choice: Choice) -> str:
    return f"{choice.X.shape[0]:,} x {choice.X.shape[1]:,}"


def _zeros(choice: Choice, a: float, standardize: bool, part: str):
    """``part`` "counts" (zeros along λ) or "sizes" (at equal training error).

    On an upload they are two computations, so the counts are drawn while the sizes (the
    longer one: a bisection on λ per penalty) are still being computed.
    """
    if not choice.is_upload:
        counts, sizes = _builtin_zeros(choice.X, choice.y, a, standardize)
        return counts if part == "counts" else sizes
    if part == "counts":
        return offload.private(("sparsity_zeros", choice.data_id, a, standardize),
                               f"Counting exact zeros along λ on your {_shape(choice)} table",
                               ex.zeros_vs_lambda, choice.X, choice.y, l1_ratio=a,
                               standardize=standardize)
    return offload.private(("sparsity_sizes", choice.data_id, a, standardize),
                           "Finding the λ at which each penalty fits your "
                           f"{_shape(choice)} table equally well", ex.matched_magnitudes,
                           choice.X, choice.y, l1_ratio=a, standardize=standardize)


@st.cache_data(show_spinner=f"Solving {N_DRAWS:,} random problems…", max_entries=64)
def _corners(n_draws, max_elongation, spread, seed):
    return offload.run(ex.corner_monte_carlo, n_draws, max_elongation=max_elongation,
                       spread=spread, seed=seed)


@st.cache_data(show_spinner="Fitting and cross-validating L1 and elastic net on fresh draws of "
                            "500 features…", max_entries=64)
def _recovery(n, noise, rho, a, seed):
    return offload.run_long(ex.support_recovery, n, noise=noise, rho=rho, l1_ratio=a,
                            seed=seed)


@st.cache_data(show_spinner="Sweeping the setting…", max_entries=64)
def _sweep(setting, values, n, noise, rho, a, seed):
    return offload.run_long(ex.recovery_sweep, setting, values, n=n, noise=noise, rho=rho,
                            l1_ratio=a, seed=seed)


@st.cache_data(show_spinner="Refitting on 200 resamples…", max_entries=64)
def _twins_sim(n, rho, noise, fresh, a, seed):
    return offload.run(ex.simulated_twins, n, rho=rho, noise=noise, fresh=fresh, l1_ratio=a,
                       seed=seed)


@st.cache_data(show_spinner="Refitting on bootstrap resamples…", max_entries=32)
def _builtin_twins(X, y, names, a, standardize, seed):
    return offload.run(ex.bootstrap_selection, X, y, list(names), l1_ratio=a,
                       standardize=standardize, seed=seed, n_boot=ex.resamples_for(*X.shape))


def _twins_data(choice: Choice, a: float, standardize: bool, seed: int):
    X, y, names = choice.X, choice.y, tuple(choice.feature_names)
    if not choice.is_upload:
        return _builtin_twins(X, y, names, a, standardize, seed)
    n_boot = ex.resamples_for(*X.shape)
    return offload.private(("sparsity_twins", choice.data_id, a, standardize, seed),
                           f"Refitting L1, L2 and elastic net, each with 5-fold CV, on {n_boot} "
                           f"bootstrap resamples of your {_shape(choice)} table",
                           ex.bootstrap_selection, X, y, list(names), l1_ratio=a,
                           standardize=standardize, seed=seed, n_boot=n_boot)


@st.cache_data(show_spinner="Simulating, cross-validating and testing…", max_entries=64)
def _contest(n, noise, a, repeats, seed):
    return offload.run_long(ex.who_wins, n=n, noise=noise, l1_ratio=a, repeats=repeats,
                            seed=seed)


def _run(compute):
    return common.run_or_explain(compute, "This experiment")


@dataclass(frozen=True)
class Lab:
    """The sidebar's settings, which every tab reads."""

    choice: Choice
    a: float
    standardize: bool
    seed: int
    style: Style
    data_id: str  # names the data in figure cache keys
    private: bool  # an upload: its figures stay in this session


@st.cache_data(show_spinner="Fitting three logistic paths…", max_entries=64)
def _builtin_logistic_zeros(X, y, a, standardize):
    return offload.run(logistic_zeros_vs_lambda, X, y, l1_ratio=a, standardize=standardize)


def _logistic_zeros(choice: Choice, a: float, standardize: bool):
    if not choice.is_upload:
        return _builtin_logistic_zeros(choice.X, choice.y, a, standardize)
    return offload.private(("sparsity_logistic_zeros", choice.data_id, a, standardize),
                           f"Fitting three logistic paths on your {_shape(choice)} table",
                           logistic_zeros_vs_lambda, choice.X, choice.y, l1_ratio=a,
                           standardize=standardize)


def _logistic_zeros_tab(lab: Lab) -> None:
    """Tab 1 for a two-class target: exact zeros along λ on the logistic paths."""
    choice, a, standardize, style = lab.choice, lab.a, lab.standardize, lab.style
    st.markdown(
        f"**{md(choice.label)}**: a two-class target, so all three penalties fit logistic "
        f"regression (log-loss + λ·P(w)) on one grid of λ (elastic net with a = {a:g}). The "
        "corner works as for least squares: at the optimum, for every feature j,"
    )
    st.latex(r"w_j = 0 \;\Rightarrow\; \Bigl|\tfrac{1}{n}\,z_j^\top(y - p)\Bigr| "
             r"\le \lambda a, \qquad p_i = \frac{1}{1+e^{-(b + z_i^\top w)}}")
    result = _run(lambda: _logistic_zeros(choice, a, standardize))
    if result is None:
        return
    counts, note = result
    cached_chart("sparsity_zeros_logistic", (lab.data_id, a, standardize, style),
                 partial(figs.zeros_figure, counts, style), counts.caption(),
                 private=lab.private)
    for text in [note, "The size comparison at equal training error below the chart is "
                 "regression-only: it is not drawn for a two-class target.", *choice.notes]:
        if text:
            st.caption(md(text))


def _zeros_tab(lab: Lab) -> None:
    """Tab 1: counts of exact zeros along λ, and sizes compared at equal training error."""
    if lab.choice.classifies:
        _logistic_zeros_tab(lab)
        return
    choice, a, standardize, style = lab.choice, lab.a, lab.standardize, lab.style
    data_id, private = lab.data_id, lab.private
    st.markdown(
        f"**{md(choice.label)}**, all three penalties on one grid of λ (elastic net with "
        f"a = {a:g}). Why zeros happen: at the optimum, an L1 coefficient can rest at "
        "exactly 0 whenever its feature's correlation with the residual is small enough. "
        "At the optimum, for every feature j,"
    )
    st.latex(r"w_j = 0 \;\Rightarrow\; \Bigl|\tfrac{2}{n}\,z_j^\top(y - b - Zw)\Bigr| "
             r"\le \lambda a, \qquad w_j \ne 0 \;\Rightarrow\; "
             r"\tfrac{2}{n}\,z_j^\top(y - b - Zw) = \lambda a\,\mathrm{sign}(w_j) "
             r"+ 2\lambda(1-a)\,w_j")
    st.markdown(
        "So a strictly smaller pull than λa forces w_j = 0; a non-zero coefficient sits "
        "exactly at the bound (for L1) or past it by its L2 part. The bound is an "
        "*interval* of residual correlations, so zeros are common. For L2 "
        "(a = 0) the interval shrinks to a single point: w_j = 0 needs the correlation to "
        "be exactly 0, which real data never hits."
    )
    counts = _run(lambda: _zeros(choice, a, standardize, "counts"))
    if counts is None:
        return
    cached_chart("sparsity_zeros", (data_id, a, standardize, style),
                 partial(figs.zeros_figure, counts, style),
                 counts.caption(), private=private)
    st.caption(
        "Lower panel: L2's smallest coefficient at each λ. Where it dips, a coefficient "
        "is changing sign: it passes through 0 at one single λ and moves on. L1's zeros "
        "hold over whole intervals of λ."
    )
    st.markdown(
        "**A fair comparison of sizes.** The same λ means different things for different "
        "penalties, so here each penalty gets the λ at which its training error is the "
        "same. Then: how many coefficients are exactly 0, and how small are the others?"
    )
    sizes = _run(lambda: _zeros(choice, a, standardize, "sizes"))
    if sizes is None:
        return
    cached_chart("sparsity_sizes", (data_id, a, standardize, style),
                 partial(figs.magnitudes_figure, sizes, style),
                 sizes.caption(), private=private)
    for note in choice.notes:
        st.caption(md(note))


def _corners_tab(lab: Lab) -> None:
    """Tab 2: random quadratic losses on the diamond and the circle; how often a corner wins."""
    seed, style = lab.seed, lab.style
    st.markdown(
        "Take a quadratic loss in two coefficients: its contours are ellipses around the "
        "unpenalized optimum. Minimize it with the budget |w₁| + |w₂| ≤ t (the diamond) "
        f"and with w₁² + w₂² ≤ t² (the circle). Draw {N_DRAWS:,} such losses at random "
        "(centre, tilt, elongation), solve each exactly, and count how often a coefficient "
        "lands on exactly 0."
    )
    left, right = st.columns(2)
    max_elongation = left.select_slider("Largest elongation of the ellipses",
                                        [1, 2, 5, 10, 30, 100], value=10,
                                        key="corners_elongation", persist_state="session")
    spread = right.select_slider("Spread of the centres (× t)", [0.5, 1.0, 1.5, 2.0, 3.0],
                                 value=1.5, key="corners_spread", persist_state="session")
    corners = _run(lambda: _corners(N_DRAWS, float(max_elongation), float(spread), seed))
    if corners is not None:
        c1, c2, c3 = st.columns(3)
        c1.metric("L1: a coefficient exactly 0", f"{corners.zero_fraction('l1'):.1%}")
        c2.metric("L2: a coefficient exactly 0", f"{corners.zero_fraction('l2'):.1%}")
        c3.metric("budget binds (L1)", f"{corners.binding['l1'].mean():.1%}")
        cached_chart("sparsity_corners", (max_elongation, spread, seed, style),
                     partial(figs.corners_figure, corners, style),
                     corners.caption(), private=False)
        st.caption(
            "Left: each dot is one loss's centre (its unpenalized optimum), marked by where "
            "L1's solution lands; the wedges beyond the corners send every centre there. "
            "Middle: the angle of each solution on the boundary: L1's pile up at 0°, 90°, "
            "180° and 270° (the corners); L2's spread around the circle. The scatter shows "
            f"the first {min(figs.MAX_POINTS, N_DRAWS):,} draws; every statistic uses all "
            f"{N_DRAWS:,}."
        )


def _recovery_tab(lab: Lab) -> None:
    """Tab 3: 10 true features among 500; precision and recall along λ, and where it breaks."""
    a, seed, style = lab.a, lab.seed, lab.style
    st.markdown(
        "“With 500 columns of which 10 matter, L1 finds the 10.” Sometimes. Here n rows and "
        "500 features, 10 of them with a real effect (sizes 1 to 2, random signs). Along λ, "
        "count the true features the fit keeps and the false ones it lets in, averaged over "
        "4 fresh data sets. **Precision**: the share of kept features that are true; "
        "**recall**: the share of true features that are kept. The dotted verticals mark the "
        "best λ, which only someone who knows the truth could pick. In practice λ comes from "
        "cross-validation: ▼ and ★ mark λ_min and λ_1se chosen by 5-fold CV on each draw's own "
        "rows, and what the fits there keep."
    )
    c1, c2, c3 = st.columns(3)
    n = c1.select_slider("Rows n", [25, 50, 100, 200, 400], value=100, key="recovery_n",
                         persist_state="session")
    noise = c2.select_slider("Noise sd", [0.5, 1.0, 2.0, 4.0, 8.0], value=1.0,
                             key="recovery_noise", persist_state="session")
    rho = c3.select_slider("Correlation among features", [0.0, 0.3, 0.6, 0.8, 0.95],
                           value=0.0, key="recovery_rho", persist_state="session")
    rec = _run(lambda: _recovery(int(n), float(noise), float(rho), a, seed))
    if rec is not None:
        cached_chart("sparsity_recovery", (n, noise, rho, a, seed, style),
                     partial(figs.recovery_figure, rec, style),
                     rec.caption(), private=False)
        st.markdown(
            "**Where does it break?** Even with the best λ chosen by someone who knows the "
            "truth, recovery fails when n is too small, the noise too large or the features "
            "too correlated. Vary one setting, keep the others as above:"
        )
        setting = st.radio("Vary", list(SWEEPS), format_func=lambda k: SWEEPS[k][0],
                           horizontal=True, key="recovery_sweep", persist_state="session")
        label, values = SWEEPS[setting]
        sweep = _run(lambda: _sweep(setting, tuple(values), int(n), float(noise),
                                    float(rho), a, seed))
        if sweep is not None:
            cached_chart("sparsity_sweep", (setting, n, noise, rho, a, seed, style),
                         partial(figs.sweep_figure, sweep, label, style),
                         sweep.caption(label), private=False)


def _twins_tab(lab: Lab) -> None:
    """Tab 4: near-copy features; how often each penalty keeps one, both or neither."""
    choice, a, standardize, seed = lab.choice, lab.a, lab.standardize, lab.seed
    style, data_id, private = lab.style, lab.data_id, lab.private
    st.markdown(
        "Height and weight are near copies; both truly add to y. Choose λ for each penalty "
        "by 5-fold CV (λ_1se), then refit on 200 resamples. L1 tends to keep one twin or "
        "the other, and its coefficients jump; L2 keeps both and splits the effect steadily; "
        "elastic net keeps the pair together (grouped selection)."
    )
    source = st.radio("Data", ["simulation", "sidebar"], horizontal=True, key="twins_source",
                      persist_state="session",
                      format_func={"simulation": "Twins simulation",
                                   "sidebar": f"Sidebar data: {md(choice.label)}"}.get)
    if source == "simulation":
        c1, c2, c3 = st.columns(3)
        rho_t = c1.select_slider("Twins' correlation", [0.5, 0.8, 0.9, 0.95, 0.99, 0.999],
                                 value=0.99, key="twins_rho", persist_state="session")
        noise_t = c2.select_slider("Noise sd", [0.5, 1.0, 2.0, 3.0], value=2.0,
                                   key="twins_noise", persist_state="session")
        fresh = c3.toggle("Fresh samples instead of bootstrap", key="twins_fresh",
                          persist_state="session",
                          help="A bootstrap resamples this one sample; fresh samples come "
                               "from the population, as a new study would.")
        boot = _run(lambda: _twins_sim(100, float(rho_t), float(noise_t), fresh, a, seed))
        fig_key = ("sim", rho_t, noise_t, fresh, a, seed, style)
    else:
        if choice.classifies:
            st.info("This experiment refits least squares, so on this two-class table it fits "
                    "the 0/1 target as a number (a linear probability model), not logistic "
                    "regression; the selection frequencies below are that fit's.")
        boot = _run(lambda: _twins_data(choice, a, standardize, seed))
        fig_key = (data_id, a, standardize, seed, style)
    if boot is not None:
        first, second = (boot.feature_names[j] for j in boot.pair)
        cols = st.columns(3)
        for col, pen in zip(cols, figs.ORDER, strict=True):
            out = boot.pair_outcomes(pen)
            col.metric(f"{figs.SHORT[pen]}: keeps only one of the pair",  # app words only
                       f"{out[f'only {first}'] + out[f'only {second}']:.0%}",
                       help=f"both {out['both']:.0%}, neither {out['neither']:.0%}")
        cached_chart("sparsity_twins", fig_key,
                     partial(figs.twins_figure, boot, style),
                     boot.caption(), private=private and source == "sidebar")
        if not boot.fresh:
            st.caption(
                "A bootstrap resamples one sample, so L1 leans towards the twin that sample "
                "happens to favour. Switch on fresh samples to see what new studies would "
                "pick. Lower the correlation to 0.9 or 0.8: L1 then keeps both twins most of "
                "the time. It copes with some correlation; near-copies are where it starts "
                "picking one at random."
            )


def _contest_tab(lab: Lab) -> None:
    """Tab 5: test error of each penalty on sparse and dense truths, λ chosen by CV."""
    a, seed, style = lab.a, lab.seed, lab.style
    st.markdown(
        "“L2 is usually more accurate than L1.” It depends on the truth. Each repetition "
        "draws a truth and 100 training rows (30 features, correlation 0.2), picks λ for "
        "each penalty by 5-fold CV (λ_min) on the training rows only, and scores the fit on "
        "2,000 fresh test rows. **Sparse truth**: 5 of the 30 features matter. **Dense "
        "truth**: all 30 matter a little."
    )
    c1, c2 = st.columns(2)
    noise_c = c1.select_slider("Noise sd", [0.5, 1.0, 2.0, 4.0], value=1.0,
                               key="contest_noise", persist_state="session")
    repeats = c2.select_slider("Repetitions per truth", [10, 20, 40], value=10,
                               key="contest_repeats", persist_state="session")
    contest = _run(lambda: _contest(100, float(noise_c), a, int(repeats), seed))
    if contest is not None:
        cached_chart("sparsity_contest", (noise_c, a, repeats, seed, style),
                     partial(figs.who_wins_figure, contest, style),
                     contest.caption(), private=False)
        st.caption(
            "Read the two panels differently. With a sparse truth L1's advantage is large "
            "and shows up in nearly every repetition. With a dense truth the penalties are "
            "close: L2 wins head to head more often than not, by a small margin, and a run "
            "of 10 can go either way. Raise the repetitions, or change the seed, and see "
            "which statement survives."
        )


# What each tab shows, in the order of TABS.  (A comment: a bare string here would be drawn
# on the page by Streamlit's magic.)
TAB_CONTENT = (_zeros_tab, _corners_tab, _recovery_tab, _twins_tab, _contest_tab)


st.title("Sparsity lab: how, when and how reliably L1 makes zeros")
st.markdown(
    "Five experiments, each testing a claim you may have read. Every number comes from the "
    "exact solver, every zero is a true 0.0 (not a rounded small number), and the seed in the "
    "sidebar makes every run reproducible: change it to see whether a result holds on new data."
)
common.objective_latex()

# The seed draws the simulated tables too, as on the house page: one seed, one sample.
data_seed = state.peek("seed", state.parse_int(0, 10_000), 0)
sales = state.peek("sales", state.parse_int(20, 2000), None)  # house prices, set on its page
choice = datasets.pick("sparse_truth", seed=data_seed, n=sales,
                       tasks=(datasets.REGRESSION, datasets.CLASSIFY))
a = common.mixing_control("Elastic net mixing a")
more = common.secondary()
standardize = common.standardize_control(more)
seed = common.seed_control("Random seed (simulated data and every experiment)", more)
style = common.style()
lab = Lab(choice, a, standardize, seed, style, choice.data_id, choice.is_upload)

tabs = common.linked_tabs("lab", "sparsity_tab", TABS, "zeros")
state.show_notices()
for tab, draw in zip(tabs, TAB_CONTENT, strict=True):
    if tab.open:  # a closed tab computes nothing
        with tab:
            draw(lab)
