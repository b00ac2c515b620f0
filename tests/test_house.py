"""The house-price lesson's claims, pinned on a fixed seed, and the figures that show them."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from sklearn.linear_model import Lasso, Ridge

from regviz import house
from regviz.figures import house as figs
from regviz.figures.style import Style, shown_text
from regviz.house import Snapshot, rank_by_size
from regviz.usertext import plotly_text
from tests.oracle import kkt_violation, standardized

SEED = 0
MAIN_REAL = ("area_sqft", "bathrooms", "school_rating")


@pytest.fixture(scope="module")
def data() -> house.HouseData:
    return house.load(SEED)


@pytest.fixture(scope="module")
def comparison(data) -> house.Comparison:
    return house.compare(data)


@pytest.fixture(scope="module")
def l1(comparison) -> Snapshot:
    return house.snapshot(comparison, "l1")


@pytest.fixture(scope="module")
def l2(comparison) -> Snapshot:
    return house.snapshot(comparison, "l2")


@pytest.fixture(scope="module")
def ov(data) -> house.Overfit:
    return house.overfit(data, n_train=100)


@pytest.fixture(scope="module")
def scaling(comparison) -> house.Scaling:
    return house.scaling(comparison)


# --------------------------------------------------------------------------- the data


def test_load_splits_1000_sales_into_750_training_and_250_test_rows(data):
    assert data.X.shape == (1000, 23)
    assert (data.n_train, data.n_test) == (750, 250)
    assert not set(data.train) & set(data.test)
    assert data.n_junk == 16 and data.n_real == 7


def test_junk_mask_marks_exactly_the_columns_made_from_junk(data):
    junk_names = [n for n, j in zip(data.feature_names, data.is_junk, strict=True) if j]
    assert all(n.split("=")[0] in house.HOUSE_JUNK for n in junk_names)
    real = [n for n, j in zip(data.feature_names, data.is_junk, strict=True) if not j]
    assert real == list(house.REAL)


def test_one_hot_table_gives_each_colour_but_the_reference_its_own_0_1_column(data):
    table, reference = house.one_hot_table(data, "mailbox_colour", rows=30)
    assert reference == "black"
    onehot = table.drop(columns="mailbox_colour")
    assert list(onehot.columns) == [f"mailbox_colour={c}" for c in ("blue", "green", "red",
                                                                     "white")]
    assert set(np.unique(onehot.to_numpy())) <= {0, 1}
    for colour, row in zip(table["mailbox_colour"], onehot.to_numpy(), strict=True):
        expected = 0 if colour == reference else 1
        assert row.sum() == expected
        if expected:
            assert onehot.columns[row.argmax()] == f"mailbox_colour={colour}"


def test_feature_table_gives_every_column_its_role_range_and_true_effect(data):
    table = house.feature_table(data.frame)
    assert list(table["column"]) == list(data.frame.columns)
    roles = dict(zip(table["column"], table["role"], strict=True))
    assert roles["price"] == "target" and roles["dog_name"] == "junk"
    assert roles["area_sqft"] == "real"
    effects = dict(zip(table["column"], table["true effect on price"], strict=True))
    assert effects["area_sqft"] == "+$110 per unit"
    assert effects["age_years"] == "−$800 per unit"
    assert effects["dog_name"] == "none"


# --------------------------------------------------------------------------- L1 vs L2


def test_l1_at_lambda_1se_sets_every_junk_column_to_exactly_zero(l1):
    assert l1.n_junk == 16
    assert np.all(l1.std_coef[l1.is_junk] == 0.0)
    assert l1.n_junk_kept == 0 and l1.junk_kept == []


def test_l1_at_lambda_1se_keeps_area_bathrooms_and_school_rating(l1):
    kept = {n for n, w in zip(l1.feature_names, l1.std_coef, strict=True) if w != 0}
    assert set(MAIN_REAL) <= kept


def test_l2_at_lambda_1se_keeps_every_coefficient_non_zero(l2):
    assert np.all(l2.std_coef != 0)
    assert l2.n_junk_kept == 16


def test_l2_keeps_junk_weights_small_next_to_real_ones(l2):
    assert 0 < l2.largest_junk_share < 0.1


def test_both_fits_score_well_on_the_test_rows(l1, l2):
    for snap in (l1, l2):
        assert snap.errors.test_r2 > 0.8
        assert 15_000 < snap.errors.test_rmse < 50_000


def test_l1_snapshot_is_the_exact_lasso_optimum_and_matches_sklearn(data, l1):
    Xtr, ytr = data.X[data.train], data.y[data.train]
    Z, sd, _ = standardized(Xtr)
    coef = l1.std_coef / sd
    intercept = ytr.mean() - Xtr.mean(axis=0) @ coef
    assert kkt_violation(Xtr, ytr, coef, intercept, lam=l1.lam, a=1.0) < 1e-8
    sk = Lasso(alpha=l1.lam / 2, tol=1e-12, max_iter=100_000).fit(Z, ytr)
    np.testing.assert_allclose(sk.coef_, l1.std_coef, rtol=1e-5, atol=1e-6 * np.abs(ytr).max())


def test_l2_snapshot_matches_sklearn_ridge(data, l2):
    Xtr, ytr = data.X[data.train], data.y[data.train]
    Z, _, _ = standardized(Xtr)
    sk = Ridge(alpha=len(ytr) * l2.lam).fit(Z, ytr)
    np.testing.assert_allclose(sk.coef_, l2.std_coef, rtol=1e-7, atol=1e-6)


def test_both_penalties_are_cross_validated_on_the_same_folds(comparison):
    l1, l2 = comparison.l1, comparison.l2
    assert l1.cv.fold_mse.shape[0] == l2.cv.fold_mse.shape[0] == house.K_FOLDS
    assert l1.cv.idx_1se <= l1.cv.idx_min  # 1-SE: at least as much regularization


def test_snapshot_index_moves_lambda_and_rejects_indices_off_the_grid(comparison):
    top = house.snapshot(comparison, "l1", 0)
    assert top.lam == comparison.l1.lams[0] and top.n_real_kept == 0 and top.n_junk_kept == 0
    bottom = house.snapshot(comparison, "l1", len(comparison.l1.lams) - 1)
    assert bottom.n_junk_kept > 0  # with almost no penalty, junk creeps in
    with pytest.raises(house.DataError):
        house.snapshot(comparison, "l1", len(comparison.l1.lams))


def test_sentence_states_the_junk_counts_and_the_junk_share_in_numbers(l1, l2):
    text = house.sentence(l1, l2)
    assert f"L1 at λ = {house.fmt_lam(l1.lam)}: 0 of 16 junk columns survive" in text
    assert "L2 at λ = " in text and "keeps all 16 junk columns" in text
    assert f"{100 * l2.largest_junk_share:.1f}% of the largest real one" in text


def test_describe_names_the_junk_columns_that_survive():
    names = ["area", "dog_name=Rex", "dog_name=Max"]
    snap = Snapshot("l1", 12.5, 3, names, np.array([4.0, 0.1, 0.0]),
                    np.array([False, True, True]), house.Errors(1, 1, 0.5, 0.5))
    assert house.describe(snap) == ("L1 at λ = 12.5: 1 of 2 junk columns survive (dog_name=Rex), "
                                    "the largest at 2.5% of the largest real weight")


def test_errors_caption_gives_training_and_test_rmse_in_dollars(l1, l2):
    text = house.errors_caption(l1, l2)
    assert house.money(l1.errors.test_rmse) in text and house.money(l2.errors.train_rmse) in text


# --------------------------------------------------------------------------- overfitting


def test_engineered_features_are_119_polynomial_terms_plus_16_junk_columns(data):
    eng = house.engineered_features(data, data.train[:100], degree=3)
    assert eng.X.shape == (1000, 135)
    assert (~eng.is_junk).sum() == 119 and eng.is_junk.sum() == 16
    assert "area_sqft²" in eng.names and "area_sqft·school_rating" in eng.names
    assert "bedrooms·bathrooms·age_years" in eng.names and "lot_acres³" in eng.names
    assert len(set(eng.names)) == 135
    first = eng.X[data.train[:100], 0]  # area, scaled on the rows it was built for
    assert abs(first.mean()) < 1e-12 and abs(first.std() - 1) < 1e-12


def test_overfit_without_penalty_fits_the_training_rows_perfectly(ov):
    assert ov.n_features == 135 and ov.n_train == 100 and ov.n_test == 250
    assert ov.min_norm
    assert ov.ols.train_r2 > 1 - 1e-9


def test_overfit_without_penalty_is_minimum_norm_least_squares(data, ov):
    rng = np.random.default_rng(data.seed + 7_919)
    small = np.sort(rng.choice(data.train, size=100, replace=False))
    eng = house.engineered_features(data, small)
    Z, sd, _ = standardized(eng.X[small])
    ytr = data.y[small]
    v, *_ = np.linalg.lstsq(Z, ytr - ytr.mean(), rcond=None)  # minimum-norm solution
    mu = eng.X[small].mean(axis=0)
    pred = ytr.mean() + (eng.X[data.test] - mu) / sd @ v
    expected = float(np.mean((data.y[data.test] - pred) ** 2))
    assert ov.ols.test_mse == pytest.approx(expected, rel=1e-6)


def test_overfit_test_error_without_penalty_exceeds_both_penalties(ov):
    for pen in ("l1", "l2"):
        e = ov.curves[pen].errors()
        assert ov.ols.test_mse > e.test_mse, pen
        assert ov.ols.test_r2 < e.test_r2 - 0.3, pen


def test_either_penalty_closes_the_train_test_gap(ov):
    ols_gap = ov.ols.train_r2 - ov.ols.test_r2
    for pen in ("l1", "l2"):
        e = ov.curves[pen].errors()
        assert e.train_r2 - e.test_r2 < ols_gap / 3, pen
    assert ov.curves["l1"].n_nonzero[ov.curves["l1"].idx_1se] < 40


def test_overfit_with_more_rows_than_features_is_plain_least_squares(data):
    ov = house.overfit(data, n_train=150)
    assert not ov.min_norm
    assert 0.95 < ov.ols.train_r2 < 1
    assert ov.ols.test_mse > max(c.errors().test_mse for c in ov.curves.values())


def test_overfit_rejects_a_training_set_larger_than_the_training_rows(data):
    with pytest.raises(house.DataError):
        house.overfit(data, n_train=data.n_train + 1)


def test_overfit_caption_says_minimum_norm_and_gives_both_r2(ov):
    text = house.overfit_caption(ov)
    assert "minimum-norm least squares" in text
    assert f"test R² {ov.ols.test_r2:.2f}" in text
    assert "L1 at λ_1se" in text and "L2 at λ_1se" in text


# --------------------------------------------------------------------------- scaling


def test_rank_by_size_ranks_by_magnitude_and_gives_exact_zeros_rank_zero():
    np.testing.assert_array_equal(rank_by_size(np.array([3.0, -5.0, 0.0, 1.0])), [2, 1, 0, 3])


def test_switching_standardization_off_changes_the_ranking_at_the_default_lambda(scaling):
    i = scaling.default_index
    assert i == scaling.idx_1se
    with_std, without = scaling.ranks(i)
    assert scaling.n_changed(i) >= 2
    assert not np.array_equal(with_std, without)


def test_without_standardization_small_unit_features_drop_and_big_unit_junk_survives(scaling):
    i = scaling.default_index
    names = scaling.feature_names
    with_std, without = scaling.ranks(i)
    lot, lottery = names.index("lot_acres"), names.index("lottery_number")
    assert with_std[lot] > 0 and without[lot] == 0  # acres: a big coefficient, a big penalty
    assert with_std[lottery] == 0 and without[lottery] > 0  # 1..49: a small one, cheap
    assert without[names.index("area_sqft")] == 1


def test_penalty_factor_is_one_over_the_training_sd(data, scaling):
    sd = data.X[data.train].std(axis=0)
    np.testing.assert_allclose(scaling.penalty_factor, 1 / sd)
    names = scaling.feature_names
    assert scaling.penalty_factor[names.index("area_sqft")] < 0.01
    assert scaling.penalty_factor[names.index("lot_acres")] > 1


def test_raw_fit_is_the_exact_unstandardized_lasso(data, scaling):
    i = scaling.default_index
    Xtr, ytr = data.X[data.train], data.y[data.train]
    coef = scaling.effect_raw[i] / scaling.sd
    intercept = ytr.mean() - Xtr.mean(axis=0) @ coef
    assert kkt_violation(Xtr, ytr, coef, intercept, lam=scaling.lams[i], a=1.0,
                         standardize=False) < 1e-8


def test_scaling_table_and_caption_name_what_changed(scaling):
    i = scaling.default_index
    table = scaling.table(i)
    assert isinstance(table, pd.DataFrame)
    assert set(house.REAL) <= set(table["feature"])
    row = table.set_index("feature").loc["lot_acres"]
    assert row["raw units: rank"] == "dropped (0)"
    text = house.scaling_caption(scaling, i)
    assert "lot_acres" in text and "dropped" in text and "lottery_number" in text


# --------------------------------------------------------------------------- many seeds


def test_junk_survival_counts_seeds_where_l1_removes_all_junk():
    ss = house.junk_survival(range(3))
    assert ss.n_junk == 16 and list(ss.seeds) == [0, 1, 2]
    assert ss.all_junk_zeroed == 3
    assert ss.l2_kept_all == 3
    assert np.all(ss.l2_junk_share > 0)
    text = house.seeds_caption(ss)
    assert "in 3 of 3" in text and "seeds 0–2" in text


def test_per_seed_outcomes_stack_into_the_same_summary_and_reuse_a_given_comparison():
    whole = house.junk_survival([4, 2])
    outcomes = house.seed_outcomes([4, 2])
    assert [o.seed for o in outcomes] == [4, 2]
    parts = house.summarize_seeds(outcomes)
    assert list(parts.seeds) == list(whole.seeds) == [4, 2]
    np.testing.assert_array_equal(parts.l1_junk_kept, whole.l1_junk_kept)
    np.testing.assert_array_equal(parts.l2_test_rmse, whole.l2_test_rmse)
    assert parts.l1_real_dropped == whole.l1_real_dropped
    comparison, _ = house.lesson(4)
    assert house.seed_outcome(4, comparison=comparison) == outcomes[0]


def test_summarizing_nothing_or_mixed_sample_sizes_is_refused():
    with pytest.raises(ValueError, match="no seeds"):
        house.summarize_seeds([])
    a, b = house.seed_outcome(0), house.seed_outcome(0, n=300)
    with pytest.raises(ValueError, match="different numbers of sales"):
        house.summarize_seeds([a, b])


# --------------------------------------------------------------------------- figures


def _zero_traces(fig: go.Figure) -> list:
    return [t for t in fig.data if t.name == "exactly 0 (removed)"]


@pytest.mark.parametrize("log", [False, True])
def test_coefficient_figure_marks_each_exact_zero_with_an_x(l1, l2, log):
    fig = figs.coefficient_figure(l1, l2, log=log)
    zeros = _zero_traces(fig)
    assert len(zeros) == 2
    l1_zero_names = [n for n, w in zip(l1.feature_names, l1.std_coef, strict=True) if w == 0]
    assert list(zeros[0].y) == l1_zero_names
    assert zeros[0].marker.symbol == "x-thin-open"
    assert len(zeros[1].y) == 0  # L2: no exact zeros
    if log:
        assert fig.layout.xaxis.type == "log"


def test_coefficient_figure_hatches_junk_bars_and_uses_penalty_colours(l1, l2):
    fig = figs.coefficient_figure(l1, l2)
    junk_bars = [t for t in fig.data if t.type == "bar" and t.name == "junk feature"]
    assert len(junk_bars) == 2 and all(t.marker.pattern.shape == "/" for t in junk_bars)
    assert junk_bars[0].marker.color == figs.PENALTY_COLOURS["l1"]
    assert junk_bars[1].marker.color == figs.PENALTY_COLOURS["l2"]


def test_overfit_figures_show_the_no_penalty_fit_and_each_lambda_1se(ov):
    curves = figs.overfit_curves(ov)
    names = {t.name for t in curves.data}
    assert "training R²" in names and "test R²" in names
    assert any("minimum-norm" in (n or "") for n in names)
    bars = figs.overfit_bars(ov)
    assert len(bars.data) == 2 and len(bars.data[0].x) == 3
    np.testing.assert_allclose(bars.data[0].customdata[0], ov.ols.train_r2)


def test_overfit_bars_floor_a_collapsed_test_r2_but_label_its_value():
    bad = house.Errors(0.0, 50.0, 1.0, -19.9)
    good = house.Curve("l1", np.array([2.0, 1.0]), np.ones(2), np.ones(2), np.full(2, 0.9),
                       np.full(2, 0.85), np.array([1, 2]), 1)
    ov = house.Overfit(["a"], 150, 250, 1, 0, False, bad, {"l1": good})
    fig = figs.overfit_bars(ov)
    test = fig.data[1]
    assert min(test.y) >= fig.layout.yaxis.range[0]
    assert test.text[0].startswith("-19.90")
    # Inside its cut end: outside, under the axis floor, it sat on the category's name.
    assert list(test.textposition) == ["inside", "outside"]
    assert list(fig.data[0].textposition) == ["outside", "outside"]
    curves = figs.overfit_curves(ov, Style(scale=1.6))
    notes = [a.text for a in curves.layout.annotations if "below the chart" in a.text]
    assert notes and all("-19.90" in t for t in notes)
    # Two short lines: on one line, presenting, it ran across both panels.
    assert all(max(len(line) for line in t.split("<br>")) <= 28 for t in notes)


def test_scaling_figure_draws_one_line_per_shown_feature_with_x_for_zeros(scaling):
    i = scaling.default_index
    fig = figs.scaling_figure(scaling, i)
    assert len(fig.data) == len(scaling.shown(i))
    lot = next(t for t in fig.data if t.name == "lot_acres")
    assert list(lot.marker.symbol) == ["circle", "x-thin-open"]


def test_seeds_figure_plots_both_penalties_per_seed():
    ss = house.SeedSummary(np.arange(3), 1000, 16, np.array([0, 1, 0]), [[], [], []],
                           np.full(3, 16), np.full(3, 0.03), np.ones(3), np.ones(3))
    fig = figs.seeds_figure(ss, highlight=1)
    assert [list(t.y) for t in fig.data] == [[16, 16, 16], [0, 1, 0]]
    assert "2 of 3" in house.seeds_caption(ss) and "at worst 1 survived" in house.seeds_caption(ss)


def test_fmt_lam_is_readable_at_every_scale():
    assert house.fmt_lam(11787.3) == "11,787"
    assert house.fmt_lam(0.163) == "0.163"
    assert house.fmt_lam(2.2e-8) == "2.2e-08"
    assert house.fmt_lam(0.0) == "0"


@pytest.mark.parametrize("log", [False, True])
@pytest.mark.parametrize("scale", [1.0, 1.6])
def test_the_coefficient_chart_names_its_axis_once_under_both_panels(l1, l2, log, scale):
    # One title per panel overlapped its neighbour's in presentation mode: each panel is half
    # as wide as the title.  Now one annotation, centred under both, and no axis titles.
    fig = figs.coefficient_figure(l1, l2, Style(scale=scale), log=log)
    assert not [ax.title.text for ax in (fig.layout.xaxis, fig.layout.xaxis2) if ax.title.text]
    below = [a for a in fig.layout.annotations if "standardized coefficient" in a.text]
    assert len(below) == 1 and ("log scale" in below[0].text) == log
    assert below[0].x == 0.5 and below[0].xref == "paper" and below[0].yanchor == "top"
    assert below[0].yshift < -fig.layout.font.size  # under the tick labels, not on them
    assert fig.layout.legend.yref == "container" and fig.layout.legend.y == 0
    # The panels' titles, one count per line: 36 characters on one line ran into each other.
    for title in fig.layout.annotations[:2]:
        lines = re.sub(r"</?b>", "", title.text).split("<br>")
        assert len(lines) == 3 and max(map(len, lines)) <= 22, lines


def _survey_names(n: int) -> list[str]:
    """Long names with HTML that shorten alike (same start, same end): a survey export."""
    return [f"Q <b>outdoors</b> & garden, part {k:03d}, hours a week (self-reported)"
            for k in range(n)]


def test_coefficient_rows_are_short_unique_names_and_the_hover_has_the_whole_name(l1, l2):
    """Whole names of 60 long columns made the margin so wide that, presenting at 1280 x 720,
    the panels' titles overlapped and the axis title left the chart."""
    names = _survey_names(len(l1.feature_names))
    fig = figs.coefficient_figure(replace(l1, feature_names=names),
                                  replace(l2, feature_names=names))
    rows = [r for r in fig.layout.yaxis.categoryarray if not r.startswith("<b>")]
    assert len(rows) == len(set(rows)) == len(names)
    assert max(len(shown_text(r)) for r in rows) <= 28 + len(" [123]")
    bars = [t for t in fig.data if t.type == "bar"]
    hovered = {row[1] for t in bars for row in t.customdata}
    assert hovered == {plotly_text(n) for n in names}
    for t in bars:  # each bar's hover: its own value and its own column's whole name
        for y, (value, whole), x in zip(t.y, t.customdata, t.x, strict=True):
            assert value == x
            number = re.search(r"part (\d+)", whole).group(1)
            assert y.endswith(f"[{int(number) + 1}]") or "[" not in y
    assert sum("[" not in r for r in rows) == 1  # the first of the alike names keeps it plain


def test_scaling_labels_beside_the_dots_are_short_and_the_hover_has_the_whole_name(scaling):
    names = _survey_names(len(scaling.feature_names))
    # The built-in names are drawn whole (the longest, 20 characters, fits).
    built_in = figs.scaling_figure(scaling, scaling.default_index)
    assert all(t.name in t.text[0] and t.name in t.text[1] for t in built_in.data)
    fig = figs.scaling_figure(replace(scaling, feature_names=names), scaling.default_index)
    for t in fig.data:
        assert all(len(shown_text(text)) <= 23 for text in t.text), t.text
        assert t.name in {plotly_text(n) for n in names} and t.name in t.hovertemplate
