"""House prices: L1 throws out the dog's name, L2 keeps it small."""

from __future__ import annotations

import numpy as np
import streamlit as st
from streamlit.errors import StreamlitAPIException

from regviz import house
from regviz.figures import house as figs
from ui import common, memo, offload, state
from ui.entry import through_app
from ui.figure_cache import cached_chart

through_app()

SEEDS_SHOWN = 20
SALES_OPTIONS = [400, 1000, 2000]


@st.cache_data(show_spinner="Fitting L1 and L2 and cross-validating…", max_entries=32)
def _lesson(seed: int, n: int):
    return offload.run(house.lesson, seed, n)


@st.cache_data(show_spinner="Fitting 135 engineered features…", max_entries=32)
def _overfit(seed: int, n: int, n_train: int):
    return offload.run(house.overfit_lesson, seed, n, n_train)


@st.cache_data(show_spinner=f"Repeating the comparison on {SEEDS_SHOWN} fresh samples…",
               max_entries=32)
def _seeds(first: int, n: int):
    def fit(missing):
        # The first seed is the lesson's own sample: its comparison is already cached.
        rest = [s for s, _ in missing if s != first]
        outcomes = offload.run(house.seed_outcomes, rest, n) if rest else []
        done = dict(zip(rest, outcomes, strict=True))
        if (first, n) in missing:
            done[first] = house.seed_outcome(first, n, _lesson(first, n)[0])
        return [done[s] for s, _ in missing]

    # Each sample is fitted once for every window that contains it (seed s and s + 1 share
    # 19 of their 20 samples).
    keys = [(s, n) for s in range(first, first + SEEDS_SHOWN)]
    return house.summarize_seeds(memo.batch("house_seed_outcome", keys, fit))


def _resample() -> None:
    st.session_state["house_seed"] = int(np.random.default_rng().integers(0, 100_000))


def _lam_picker(label: str, lams: np.ndarray, default: int, key: str) -> int:
    def fmt(i: int) -> str:
        return house.fmt_lam(float(lams[i])) + ("  (λ_1se)" if i == default else "")

    return int(st.select_slider(label, options=list(range(len(lams))), value=default,
                                format_func=fmt, key=key))


style = common.style()

st.title("House prices: L1 throws out the dog's name, L2 keeps it small")
st.markdown(
    "We predict sale prices from features that matter (area, bathrooms, the local school, …) "
    "and from features that cannot matter: the mailbox colour, the previous owner's dog's name, "
    "a lottery number and the weekday of the listing. Both penalties pull weights towards zero, "
    "but only L1's |w| has a corner at zero, so only L1 can set a useless column to **exactly "
    "0**; L2 keeps every column, with the junk merely small."
)
common.objective_latex()

# The data seed is part of a shared link (?seed=3), like the other pages' seeds.
state.adopt("seed", "house_seed", state.parse_int(0, 99_999), 0)
st.sidebar.number_input("Data seed", min_value=0, max_value=99_999, step=1, key="house_seed",
                        help="Every seed draws a different set of sales.")
st.sidebar.button("🎲 Resample the data", on_click=_resample, key="house_resample",
                  help="Draw a fresh set of sales with a random seed.")
n = int(st.sidebar.select_slider("Number of sales", SALES_OPTIONS, value=1000, key="house_n"))
seed = int(st.session_state.get("house_seed", 0))
state.publish("seed", seed)
state.show_notices()

comparison, scaling = _lesson(seed, n)
data = comparison.data

# --------------------------------------------------------------------------- 1. the data
st.header("1 · The data")
st.markdown(
    f"**{n:,} simulated sales** (seed {seed}): **{data.n_train} training rows** for fitting and "
    f"cross-validation, **{data.n_test} test rows** held out and used only to score the "
    "finished models. Because the data are simulated, we know the truth: the last column below "
    "says how much each feature really adds."
)
head = data.frame.head(8)
head = head[["price", *[c for c in head.columns if c != "price"]]].assign(
    price=[house.money(v) for v in head["price"]])
st.dataframe(head, hide_index=True)
st.dataframe(house.feature_table(data.frame), hide_index=True, height="content")

st.subheader("A text column becomes several 0/1 columns")
onehot, reference = house.one_hot_table(data, "mailbox_colour")
n_levels = data.frame["mailbox_colour"].nunique()
st.markdown(
    f"A model needs numbers. `mailbox_colour` has {n_levels} colours, so it becomes "
    f"{onehot.shape[1] - 1} columns of 0s and 1s, one per colour except **{reference}**, the "
    f"reference: a {reference} mailbox is the row of all zeros. (A column for every colour "
    "would always add up to 1 and duplicate the intercept.) The same happens to `dog_name` and "
    f"`listing_weekday`, so the 4 junk columns of the table become **{data.n_junk} junk "
    f"columns** of the model, beside {data.n_real} real ones."
)
st.dataframe(onehot, hide_index=True)
for note in data.notes:
    st.caption(note)

# --------------------------------------------------------------------------- 2. L1 vs L2
st.header("2 · L1 and L2 side by side")
st.markdown(
    "Each penalty starts at its own cross-validated **λ_1se**: the largest λ whose 5-fold CV "
    "error is within one standard error of the best. Move either slider to see more or less "
    "regularization. The two λ scales are not comparable: L1 charges λ per dollar of |w|, L2 "
    "per dollar² of w². Coefficients are standardized (dollars per standard deviation of the "
    "feature) so that square feet and bathrooms can be compared."
)
left, right = st.columns(2)
with left:
    i1 = _lam_picker("λ for L1 (lasso)", comparison.l1.lams, comparison.l1.idx_1se,
                     f"house_lam_l1_{seed}_{n}")
with right:
    i2 = _lam_picker("λ for L2 (ridge)", comparison.l2.lams, comparison.l2.idx_1se,
                     f"house_lam_l2_{seed}_{n}")
log = st.toggle("Log scale: see how small L2's junk weights are", key="house_log")
l1 = house.snapshot(comparison, "l1", i1)
l2 = house.snapshot(comparison, "l2", i2)
cached_chart("house_coefs", (seed, n, i1, i2, log, style),
             lambda: figs.coefficient_figure(l1, l2, style, log=log),
             house.sentence(l1, l2), private=False)
for col, snap in ((left, l1), (right, l2)):
    with col:
        a, b, c = st.columns(3)
        a.metric("junk columns kept", f"{snap.n_junk_kept} of {snap.n_junk}")
        b.metric("training RMSE", f"${snap.errors.train_rmse:,.0f}")
        c.metric("test RMSE", f"${snap.errors.test_rmse:,.0f}",
                 help=f"Test R² = {snap.errors.test_r2:.3f}")
st.caption(house.errors_caption(l1, l2))

# --------------------------------------------------------------------------- 3. overfitting
st.header("3 · Overfitting: a perfect fit that fails on new houses")
n_train = int(st.slider("Training rows for this demo", 60, min(250, data.n_train), 100, step=10,
                        key="house_ntrain"))
ov = _overfit(seed, n, n_train)
st.markdown(
    f"Give least squares enough features and it can fit any training set. Here every product "
    f"of up to three of the {data.n_real} real features (squares, cubes, interactions such as "
    f"area·school_rating: {ov.n_terms} terms) plus the {ov.n_junk} junk columns makes "
    f"**{ov.n_features} features**, fitted on only **{ov.n_train} sales** and scored on the "
    f"same {ov.n_test} test sales as above."
)
if ov.min_norm:
    st.info(
        f"With {ov.n_features} features and {ov.n_train} training rows, least squares has "
        "infinitely many perfect fits. “No penalty” here is the **minimum-norm** one, the "
        "perfect fit with the smallest sum of squared standardized coefficients: where ridge "
        "ends up as λ → 0."
    )
overfit_text = house.overfit_caption(ov)
cached_chart("house_overfit_curves", (seed, n, n_train, style),
             lambda: figs.overfit_curves(ov, style),
             overfit_text, private=False)
bars_text = (
    f"Training vs test R²: no penalty {ov.ols.train_r2:.2f} vs {ov.ols.test_r2:.2f}; "
    + "; ".join(f"{'L1' if p == 'l1' else 'L2'} at λ_1se {c.errors().train_r2:.2f} vs "
                f"{c.errors().test_r2:.2f}" for p, c in ov.curves.items())
    + ". The penalty gives up a little training fit and wins it back, and more, on new houses."
)
cached_chart("house_overfit_bars", (seed, n, n_train, style),
             lambda: figs.overfit_bars(ov, style),
             bars_text, private=False)

# --------------------------------------------------------------------------- 4. scaling
st.header("4 · Standardize first, or the units decide")
names = data.feature_names
j_area, j_lot = names.index("area_sqft"), names.index("lot_acres")
sd_area, sd_lot = scaling.sd[j_area], scaling.sd[j_lot]
st.markdown(
    "regviz standardizes by default: each column is centred and divided by its standard "
    "deviation before the penalty sees it. Switch that off and L1 charges per raw unit. One "
    f"standard deviation of area is {sd_area:,.0f} square feet; one of lot size is "
    f"{sd_lot:.2f} acres. To move the price by the same amount, the lot's coefficient must be "
    f"{sd_area / sd_lot:,.0f} times larger than the area's, and L1 charges by the size of the "
    "coefficient: area is nearly free, acres and bathrooms are dear, and a lottery number "
    "that runs from 1 to 49 is cheap."
)
i_sc = _lam_picker("λ for L1, with and without standardization", scaling.lams,
                   scaling.default_index, f"house_lam_scaling_{seed}_{n}")
scaling_text = house.scaling_caption(scaling, i_sc)
cached_chart("house_scaling", (seed, n, i_sc, style),
             lambda: figs.scaling_figure(scaling, i_sc, style),
             scaling_text, private=False)
st.dataframe(
    scaling.table(i_sc), hide_index=True,
    column_config={
        "sd (own units)": st.column_config.NumberColumn(format="%.3g"),
        "penalty × without std.": st.column_config.NumberColumn(
            format="%.3g×", help="How much more (or less) L1 charges per sd of effect when the "
            "features are not standardized: 1 / sd."),
        "standardized: effect ($)": st.column_config.NumberColumn(format="localized"),
        "raw units: effect ($)": st.column_config.NumberColumn(format="localized"),
    },
)
st.caption(
    "Both fits are compared in the same currency: the change in price, in dollars, for a "
    "one-sd change of the feature. Rank 1 is the largest effect; a feature set to exactly 0 "
    "is marked ✕ and drawn below the line."
)

# --------------------------------------------------------------------------- 5. many seeds
st.header(f"5 · Your sample, and {SEEDS_SHOWN - 1} more")
st.markdown(
    f"One sample can be lucky. Here the whole comparison (split, 5-fold CV, λ_1se for each "
    f"penalty) is repeated on {SEEDS_SHOWN} fresh draws of {n:,} sales, starting at your seed. "
    "Press **🎲 Resample the data** in the sidebar to move the window."
)
summary = _seeds(seed, n)
cached_chart("house_seeds", (seed, n, style),
             lambda: figs.seeds_figure(summary, style, highlight=seed),
             house.seeds_caption(summary), private=False)

# --------------------------------------------------------------------------- 6. the path
st.header("6 · The whole path")
st.markdown(
    "The coefficient-path lesson shows every λ at once for this data set (its standard sample: "
    "seed 0, 400 sales), with λ_max and the cross-validation curve."
)
if st.button("Open the coefficient paths for the house prices ↗", key="house_to_paths"):
    st.session_state["dataset"] = "house_prices"
    try:
        st.switch_page("pages/paths.py")
    except StreamlitAPIException:
        st.info("Open “Coefficient paths” from the navigation to see the path.")
