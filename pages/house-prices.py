"""House prices: L1 throws out the dog's name, L2 keeps it small; on any table: junk in yours."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np
import streamlit as st
from streamlit.errors import StreamlitAPIException

from regviz import house
from regviz.errors import DataError
from regviz.export import neutralize
from regviz.figures import house as figs
from regviz.usertext import md
from ui import common, datasets, memo, offload, state, upload_work
from ui.entry import through_app
from ui.figure_cache import cached_chart

through_app()

SEEDS_SHOWN = 20
SALES_OPTIONS = [400, 1000, 2000]
MAX_REAL_BARS = 40  # real features drawn in the coefficient chart of a wide table
SCALING_SHOWN = 25  # features drawn in the scaling chart of a wide table
SEED_MAX = 10_000  # the shared seed's range (ui.common.seed_control)


@dataclass(frozen=True)
class View:
    """What differs between the built-in sales and a student's table, for every section."""

    tag: str  # names the data in widget and figure keys
    private: bool  # figures from a user's upload stay in the session
    fmt: Callable[[float], str]  # an amount in the target's units
    unit: str  # the target's unit for table headers ("$" or "")
    real_title: str
    rows_word: str  # "houses" or "rows"


# --------------------------------------------------------------------------- computations


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
        outcomes = offload.run_long(house.seed_outcomes, rest, n) if rest else []
        done = dict(zip(rest, outcomes, strict=True))
        if (first, n) in missing:
            done[first] = house.seed_outcome(first, n, _lesson(first, n)[0])
        return [done[s] for s, _ in missing]

    # Each sample is fitted once for every window that contains it (seed s and s + 1 share
    # 19 of their 20 samples).
    keys = [(s, n) for s in range(first, first + SEEDS_SHOWN)]
    return house.summarize_seeds(memo.batch("house_seed_outcome", keys, fit))


# Another built-in table: shared cache, worker pool.  An upload: this session only, in a child
# process of its own that shows its step, states its time limit and stops at the next change.
@st.cache_data(show_spinner="Adding junk columns, fitting L1 and L2, cross-validating…",
               max_entries=16)
def _builtin_your_lesson(X, y, names, target, seed):
    return offload.run(house.your_lesson, X, y, names, target, seed)


@st.cache_data(show_spinner="Fitting the engineered features…", max_entries=16)
def _builtin_your_overfit(X, y, names, target, seed, n_train):
    return offload.run(house.your_overfit, X, y, names, target, seed, n_train)


def _shape(choice: datasets.Choice) -> str:
    return f"{choice.X.shape[0]:,} x {choice.X.shape[1]:,}"


def _your_lesson(choice: datasets.Choice, seed: int):
    args = (choice.X, choice.y, list(choice.feature_names), choice.target, seed)
    if not choice.is_upload:
        return _builtin_your_lesson(*args)
    return offload.private(("house_lesson", choice.data_id, seed),
                           f"Adding junk columns to your {_shape(choice)} table, fitting L1 and "
                           "L2", upload_work.house_lesson, *args, progress=offload.REPORT)


def _your_overfit(choice: datasets.Choice, seed: int, n_train: int):
    args = (choice.X, choice.y, list(choice.feature_names), choice.target, seed, n_train)
    if not choice.is_upload:
        return _builtin_your_overfit(*args)
    return offload.private(("house_overfit", choice.data_id, seed, n_train),
                           f"Engineering features from your {_shape(choice)} table",
                           upload_work.house_overfit, *args, progress=offload.REPORT)


# --------------------------------------------------------------------------- controls


def _resample() -> None:
    state.set_shared("seed", int(np.random.default_rng().integers(0, SEED_MAX + 1)))


def _lam_picker(label: str, lams: np.ndarray, default: int, key: str) -> int:
    def fmt(i: int) -> str:
        return house.fmt_lam(float(lams[i])) + ("  (λ_1se)" if i == default else "")

    return int(st.select_slider(label, options=list(range(len(lams))), value=default,
                                format_func=fmt, key=key, persist_state="session"))


def _cell(name: str) -> str:
    """A user's column name for a table cell: shown as typed, never run by a spreadsheet."""
    return str(neutralize(str(name)))


# --------------------------------------------------------------------------- sections


def _l1_vs_l2(comparison: house.Comparison, view: View, style) -> None:
    data = comparison.data
    st.header("2 · L1 and L2 side by side")
    units = ("dollars per standard deviation of the feature" if data.in_dollars else
             f"units of {md(data.target)} per standard deviation of the feature")
    st.markdown(
        "Each penalty starts at its own cross-validated **λ_1se**: the largest λ whose 5-fold CV "
        "error is within one standard error of the best. Move either slider to see more or less "
        "regularization. The two λ scales are not comparable: L1 charges λ per unit of |w|, L2 "
        f"per unit² of w². Coefficients are standardized ({units}) so that features in "
        "different units can be compared."
    )
    left, right = st.columns(2)
    with left:
        i1 = _lam_picker("λ for L1 (lasso)", comparison.l1.lams, comparison.l1.idx_1se,
                         f"house_lam_l1_{view.tag}")
    with right:
        i2 = _lam_picker("λ for L2 (ridge)", comparison.l2.lams, comparison.l2.idx_1se,
                         f"house_lam_l2_{view.tag}")
    log = st.toggle("Log scale: see how small L2's junk weights are", key="house_log",
                    persist_state="session")
    l1 = house.snapshot(comparison, "l1", i1)
    l2 = house.snapshot(comparison, "l2", i2)
    cached_chart("house_coefs", (view.tag, i1, i2, log, style),
                 partial(figs.coefficient_figure, l1, l2, style, log=log,
                                                 real_title=view.real_title,
                                                 max_real=MAX_REAL_BARS),
                 house.sentence(l1, l2), private=view.private)
    for col, snap in ((left, l1), (right, l2)):
        with col:
            a, b, c = st.columns(3)
            a.metric("junk columns kept", f"{snap.n_junk_kept} of {snap.n_junk}")
            b.metric("training RMSE", view.fmt(snap.errors.train_rmse))
            c.metric("test RMSE", view.fmt(snap.errors.test_rmse),
                     help=f"Test R² = {snap.errors.test_r2:.3f}")
    st.caption(md(house.errors_caption(l1, l2, view.fmt)))


def _overfit_text(ov: house.Overfit, data: house.HouseData) -> str:
    if data.in_dollars:
        return (f"every product of up to three of the {data.n_real} real features (squares, "
                f"cubes, interactions such as area·school_rating: {ov.n_terms} terms)")
    powers = "squares, cubes and interactions" if ov.degree == 3 else "squares and interactions"
    if ov.n_base == ov.n_real:
        which = (f"your {ov.n_real} features" if ov.n_real > 1 else "your one feature")
    else:
        which = (f"the {ov.n_base} of your {ov.n_real} features most correlated with "
                 f"{md(data.target)} on these training rows (at most {house.MAX_TERMS} terms)")
    return f"every product of up to {ov.degree} of {which} ({powers}: {ov.n_terms} terms)"


def _overfitting(data: house.HouseData, view: View, style, compute) -> None:
    st.header(f"3 · Overfitting: a perfect fit that fails on new {view.rows_word}")
    if data.in_dollars:
        lo, hi, default, step = 60, min(250, data.n_train), 100, 10
    else:
        lo, hi = 2 * house.K_FOLDS, min(400, data.n_train)
        step = 10 if hi - lo >= 100 else 1
        default = int(np.clip(house.n_engineered(data) // step * step, lo, hi))
    n_train = int(st.slider("Training rows for this demo", lo, hi, default, step=step,
                            key=f"house_ntrain_{view.tag}" if view.private or not data.in_dollars
                            else "house_ntrain", persist_state="session"))
    try:
        ov = compute(n_train)
    except DataError as err:
        st.warning(f"The overfitting demo does not apply here: {md(err)}")
        return
    st.markdown(
        f"Give least squares enough features and it can fit any training set. Here "
        f"{_overfit_text(ov, data)} plus the {ov.n_junk} junk columns makes "
        f"**{ov.n_features} features**, fitted on only **{ov.n_train} rows** and scored on the "
        f"same {ov.n_test} test rows as above."
    )
    if ov.min_norm:
        st.info(
            f"With {ov.n_features} features and {ov.n_train} training rows, least squares has "
            "infinitely many perfect fits. “No penalty” here is the **minimum-norm** one, the "
            "perfect fit with the smallest sum of squared standardized coefficients: where ridge "
            "ends up as λ → 0."
        )
    cached_chart("house_overfit_curves", (view.tag, n_train, style),
                 partial(figs.overfit_curves, ov, style),
                 house.overfit_caption(ov, view.fmt), private=view.private)
    gap_ols = ov.ols.train_r2 - ov.ols.test_r2
    verdicts = []
    for pen, c in ov.curves.items():
        e = c.errors()
        name = "L1" if pen == "l1" else "L2"
        closes = "narrows" if e.train_r2 - e.test_r2 < gap_ols else "does not narrow"
        verdicts.append(f"{name} at λ_1se {e.train_r2:.2f} vs {e.test_r2:.2f} ({closes} the "
                        "gap)")
    bars_text = (f"Training vs test R²: no penalty {ov.ols.train_r2:.2f} vs "
                 f"{ov.ols.test_r2:.2f}; " + "; ".join(verdicts) + ".")
    cached_chart("house_overfit_bars", (view.tag, n_train, style),
                 partial(figs.overfit_bars, ov, style), bars_text, private=view.private)


def _scaling(scaling: house.Scaling, data: house.HouseData, view: View, style) -> None:
    st.header("4 · Standardize first, or the units decide")
    intro = ("regviz standardizes by default: each column is centred and divided by its standard "
             "deviation before the penalty sees it. Switch that off and L1 charges per raw unit. ")
    if data.in_dollars:
        names = data.feature_names
        j_area, j_lot = names.index("area_sqft"), names.index("lot_acres")
        sd_area, sd_lot = scaling.sd[j_area], scaling.sd[j_lot]
        intro += (
            f"One standard deviation of area is {sd_area:,.0f} square feet; one of lot size is "
            f"{sd_lot:.2f} acres. To move the price by the same amount, the lot's coefficient "
            f"must be {sd_area / sd_lot:,.0f} times larger than the area's, and L1 charges by "
            "the size of the coefficient: area is nearly free, acres and bathrooms are dear, and "
            "a lottery number that runs from 1 to 49 is cheap."
        )
    else:
        intro += house.units_sentence(scaling, data.target, md) or (
            "Every column of this table has the same spread, so the units cannot decide here.")
    st.markdown(intro)
    if data.n_real == 1:
        st.info("Your table has one feature, so only its rank against the junk columns can "
                "change; with two or more features in different units, their order could too.")
    if not scaling.changes_anywhere():
        sds = scaling.sd
        st.info(f"On this table no rank changes at any λ of the grid: the spreads run from "
                f"{view.fmt(sds.min())} to {view.fmt(sds.max())}, not far enough apart for the "
                "units to decide. A column in much larger or smaller units (cents instead of "
                "dollars, metres instead of kilometres) would change the order.")
    i_sc = _lam_picker("λ for L1, with and without standardization", scaling.lams,
                       scaling.default_index, f"house_lam_scaling_{view.tag}")
    limit = None if data.in_dollars else SCALING_SHOWN
    cached_chart("house_scaling", (view.tag, i_sc, style),
                 partial(figs.scaling_figure, scaling, i_sc, style, view.fmt, limit),
                 house.scaling_caption(scaling, i_sc, limit=limit), private=view.private)
    suffix = f" ({view.unit})" if view.unit else ""
    effect_format = "localized" if data.in_dollars else "%.4g"
    st.dataframe(
        scaling.table(i_sc, view.unit, label=_cell), hide_index=True,
        column_config={
            "sd (own units)": st.column_config.NumberColumn(format="%.3g"),
            "penalty × without std.": st.column_config.NumberColumn(
                format="%.3g×", help="How much more (or less) L1 charges per sd of effect when "
                "the features are not standardized: 1 / sd."),
            f"standardized: effect{suffix}": st.column_config.NumberColumn(format=effect_format),
            f"raw units: effect{suffix}": st.column_config.NumberColumn(format=effect_format),
        },
    )
    currency = "dollars" if data.in_dollars else f"units of {data.target}"
    st.caption(md(
        f"Both fits are compared in the same currency: the change in {currency} for a "
        "one-sd change of the feature. Rank 1 is the largest effect; a feature set to exactly 0 "
        "is marked ✕ and drawn below the line."
    ))


def _paths_link(choice: datasets.Choice, seed: int, n: int | None = None,
                data: house.HouseData | None = None) -> None:
    """A button that opens the path lesson on the same data: dataset and seed, in the link too."""
    st.header("6 · The whole path")
    if choice.key == "house_prices":
        there = datasets.builtin_choice("house_prices", seed, n)
        same = (data is not None and there.X.shape == data.X.shape
                and np.array_equal(there.X, data.X) and np.array_equal(there.y, data.y))
        if same:
            what = f"these same {n:,} sales (seed {seed})"
        else:
            what = (f"{len(there.y):,} sales drawn with seed {seed}: a different sample from "
                    f"the {n:,} here. Choose {len(there.y):,} sales in the sidebar to see the "
                    "same sales on both pages")
    elif choice.is_upload:
        what = "your uploaded table as it is (without the junk columns added here)"
    else:
        what = (f"{md(choice.label)} with seed {seed}, as it is (without the junk columns "
                "added here)")
    st.markdown(f"The coefficient-path lesson shows every λ at once, with λ_max and the "
                f"cross-validation curve. The button opens it on {what}.")
    if st.button("Open the coefficient paths on this data ↗", key="house_to_paths"):
        state.set_shared("dataset", choice.key)
        state.set_shared("seed", seed)
        query = {"dataset": choice.key, "seed": str(seed)}
        if n is not None and choice.key == "house_prices":
            state.set_shared("sales", n)
            query["sales"] = str(n)
        try:
            st.switch_page("pages/paths.py", query_params=query)
        except StreamlitAPIException:
            st.info("Open “Coefficient paths” from the navigation to see the path.")


# --------------------------------------------------------------------------- the lessons


def house_lesson(choice: datasets.Choice, seed: int, style) -> None:
    """The built-in sales, where the truth is known."""
    bound = state.bind("sales", "house_n", lambda t: state.parse_choice(
        [str(v) for v in SALES_OPTIONS])(t) and int(t), 1000, valid=SALES_OPTIONS.__contains__)
    n = int(st.sidebar.select_slider("Number of sales", SALES_OPTIONS, **bound))
    state.publish("sales", n)
    st.title("House prices: L1 throws out the dog's name, L2 keeps it small")
    st.markdown(
        "We predict sale prices from features that matter (area, bathrooms, the local school, "
        "…) and from features that cannot matter: the mailbox colour, the previous owner's "
        "dog's name, a lottery number and the weekday of the listing. Both penalties pull "
        "weights towards zero, but only L1's |w| has a corner at zero, so only L1 can set a "
        "useless column to **exactly 0**; L2 keeps every column, with the junk merely small."
    )
    common.objective_latex()
    comparison, scaling = _lesson(seed, n)
    data = comparison.data
    view = View(tag=f"{seed}_{n}", private=False, fmt=house.money, unit="$",
                real_title="real features", rows_word="houses")

    st.header("1 · The data")
    st.markdown(
        f"**{n:,} simulated sales** (seed {seed}): **{data.n_train} training rows** for fitting "
        f"and cross-validation, **{data.n_test} test rows** held out and used only to score the "
        "finished models. Because the data are simulated, we know the truth: the last column "
        "below says how much each feature really adds."
    )
    head = data.frame.head(8)
    head = head[["price", *[c for c in head.columns if c != "price"]]].assign(
        price=[house.money(v) for v in head["price"]])
    st.dataframe(head, hide_index=True)
    st.dataframe(house.feature_table(data.frame), hide_index=True, height="content")
    _one_hot(data)

    _l1_vs_l2(comparison, view, style)
    _overfitting(data, view, style, lambda n_train: _overfit(seed, n, n_train))
    _scaling(scaling, data, view, style)

    st.header(f"5 · Your sample, and {SEEDS_SHOWN - 1} more")
    st.markdown(
        f"One sample can be lucky. Here the whole comparison (split, 5-fold CV, λ_1se for each "
        f"penalty) is repeated on {SEEDS_SHOWN} fresh draws of {n:,} sales, starting at your "
        "seed. Press **🎲 Resample** in the sidebar to move the window."
    )
    summary = _seeds(seed, n)
    cached_chart("house_seeds", (seed, n, style),
                 partial(figs.seeds_figure, summary, style, highlight=seed),
                 house.seeds_caption(summary), private=False)
    _paths_link(choice, seed, n, data)


def _one_hot(data: house.HouseData) -> None:
    st.subheader("A text column becomes several 0/1 columns")
    onehot, reference = house.one_hot_table(data, "mailbox_colour")
    onehot.columns = [_cell(c) for c in onehot.columns]
    n_levels = data.frame["mailbox_colour"].nunique()
    beside = f"{data.n_real} real ones" if data.in_dollars else f"your {data.n_real}"
    junk_text = (f"The same happens to `dog_name` and `listing_weekday`, so the 4 junk columns "
                 f"of the table become **{data.n_junk} junk columns** of the model, beside "
                 f"{beside}.")
    st.markdown(
        f"A model needs numbers. `mailbox_colour` has {n_levels} colours, so it becomes "
        f"{onehot.shape[1] - 1} columns of 0s and 1s, one per colour except **{reference}**, the "
        f"reference: a {reference} mailbox is the row of all zeros. (A column for every colour "
        f"would always add up to 1 and duplicate the intercept.) {junk_text}"
    )
    st.dataframe(onehot, hide_index=True)
    for note in data.notes:
        st.caption(md(note))


def your_lesson(choice: datasets.Choice, seed: int, style) -> None:
    """Any other table, the student's upload above all: junk added to their own features."""
    st.title("Junk in your data: L1 throws it out, L2 keeps it small")
    st.markdown(
        "Your table's features may or may not matter; the four columns added here cannot, "
        "because they are drawn at random: a mailbox colour, a dog's name, a lottery number "
        "and a weekday. Both penalties pull weights towards zero, but only L1's |w| has a "
        "corner at zero, so only L1 can set a useless column to **exactly 0**."
    )
    common.objective_latex()
    why = house.cannot_teach(choice.X, choice.y, choice.target, md)
    if why:
        st.warning(f"This lesson cannot run on this table. {why}")
        return
    try:
        comparison, scaling = _your_lesson(choice, seed)
    except DataError as err:
        st.error(f"This table cannot be used here: {md(err)}")
        return
    data = comparison.data
    view = View(tag=f"{choice.data_id}_{seed}", private=choice.is_upload,
                fmt=house.number, unit="", real_title="your features", rows_word="rows")

    st.header("1 · Your data, and the junk")
    n, p = choice.X.shape
    source = "your uploaded table" if choice.is_upload else md(choice.label)
    st.markdown(
        f"**{source}**: {n:,} rows, {p} feature column{'s' if p != 1 else ''}, target "
        f"**{md(choice.target)}**. **{data.n_train} training rows** for fitting and "
        f"cross-validation, **{data.n_test} test rows** held out and used only to score the "
        f"finished models. The four junk columns are drawn with seed {seed}: change the seed "
        "(or press 🎲 Resample) for fresh junk and a fresh split."
    )
    st.dataframe(data.frame.head(8), hide_index=True)
    _one_hot(data)
    with st.expander(f"Every column of the model ({len(data.feature_names)}), in its own units"):
        st.dataframe(house.your_features(data, _cell), hide_index=True,
                     column_config={c: st.column_config.NumberColumn(format="%.4g")
                                    for c in ("sd (own units)", "min", "max")})
    for note in choice.notes:
        st.caption(md(note))

    _l1_vs_l2(comparison, view, style)
    _overfitting(data, view, style, lambda n_train: _your_overfit(choice, seed, n_train))
    _scaling(scaling, data, view, style)

    st.header("5 · Fresh junk, same table")
    st.markdown(
        "The house lesson repeats everything on 20 freshly simulated samples. Your table cannot "
        "be redrawn, but the junk and the split can: change the seed in the sidebar (or press "
        "**🎲 Resample**) and see whether L1 still sets every junk column to exactly 0."
    )
    _paths_link(choice, seed)


# --------------------------------------------------------------------------- the page

style = common.style()
# One seed for the whole app (URL ?seed=): here it draws the sales, or the junk and the split.
seed = common.seed_control("Seed (the sales, the junk, the split)", st.sidebar)
st.sidebar.button("🎲 Resample", on_click=_resample, key="house_resample",
                  help="A random seed: fresh sales, or fresh junk and a fresh split.")
chosen = datasets.pick("house_prices", seed=seed)
state.show_notices()
if chosen.key == "house_prices":
    house_lesson(chosen, seed, style)
else:
    your_lesson(chosen, seed, style)
