"""Junk in your data: seeded junk beside a student's columns, L1 drops it, L2 keeps it small."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest
from sklearn.linear_model import Lasso

from regviz import house
from regviz.errors import DataError
from tests.oracle import kkt_violation, standardized

SEED = 0
NAMES = ["dose_mg", "weight_kg", "smoker", "income"]


def _table(n: int = 300, seed: int = 5):
    """Strong signal in four columns of very different units, one of them 0/1."""
    rng = np.random.default_rng(seed)
    X = np.column_stack([rng.normal(50, 10, n), rng.normal(70, 2.0, n),
                         rng.integers(0, 2, n), rng.normal(40_000, 9_000, n)])
    y = 0.8 * X[:, 0] + 1.5 * X[:, 1] + 5 * X[:, 2] + 0.0004 * X[:, 3] + rng.normal(0, 1, n)
    return X, y


@pytest.fixture(scope="module")
def data() -> house.HouseData:
    X, y = _table()
    return house.with_junk(X, y, NAMES, "response", SEED)


@pytest.fixture(scope="module")
def comparison(data) -> house.Comparison:
    return house.compare(data)


@pytest.fixture(scope="module")
def scaling(comparison) -> house.Scaling:
    return house.scaling(comparison)


# --------------------------------------------------------------------------- the junk


def test_with_junk_keeps_the_students_columns_and_adds_16_junk_columns(data):
    X, y = _table()
    assert data.X.shape == (300, 4 + 16)
    np.testing.assert_array_equal(data.X[:, :4], X)
    np.testing.assert_array_equal(data.y, y)
    assert data.feature_names[:4] == NAMES and data.n_real == 4 and data.n_junk == 16
    assert (data.n_train, data.n_test) == (225, 75) and not set(data.train) & set(data.test)


def test_junk_is_seeded_and_changes_with_the_seed():
    pd_testing = pytest.importorskip("pandas.testing")
    pd_testing.assert_frame_equal(house.junk_frame(50, 3), house.junk_frame(50, 3))
    assert not house.junk_frame(50, 3).equals(house.junk_frame(50, 4))


def test_junk_one_hot_columns_match_the_drawn_levels(data):
    frame = data.frame
    for j in np.flatnonzero(data.is_junk):
        source, name = data.source_columns[j], data.feature_names[j]
        if "=" in name:
            level = name.split("=", 1)[1]
            np.testing.assert_array_equal(data.X[:, j], (frame[source] == level).to_numpy())
        else:
            np.testing.assert_array_equal(data.X[:, j], frame[source].to_numpy(float))


def test_junk_names_never_collide_with_the_students_names():
    X, y = _table(60)
    names = ["mailbox_colour=red", "lottery_number", "dog_name=Rex", "x"]
    d = house.with_junk(X, y, names, "t", SEED)
    assert len(set(d.feature_names)) == len(d.feature_names)
    assert "mailbox_colour=red (junk)" in d.feature_names
    assert "lottery_number (junk)" in d.feature_names
    table, reference = house.one_hot_table(d, "mailbox_colour")
    assert reference == "black"  # the junk's own reference level
    assert "mailbox_colour=red" not in table.columns  # the student's column is not junk


@pytest.mark.parametrize(("n", "y_const", "x_const", "expected"), [
    (19, False, False, "at least 20 rows"),
    (40, True, False, "same value (3) in every row"),
    (40, False, True, "Every feature of this table is constant"),
])
def test_cannot_teach_says_why_and_what_would_make_it_apply(n, y_const, x_const, expected):
    rng = np.random.default_rng(0)
    X = np.ones((n, 2)) if x_const else rng.normal(size=(n, 2))
    y = np.full(n, 3.0) if y_const else rng.normal(size=n)
    why = house.cannot_teach(X, y, "T")
    assert expected in why
    assert re.search(r"Upload a table|Choose a target that varies|Choose features", why)
    with pytest.raises(DataError, match=re.escape(expected)):
        house.with_junk(X, y, ["a", "b"], "T")


def test_cannot_teach_passes_a_usable_table_and_labels_the_target():
    X, y = _table(40)
    assert house.cannot_teach(X, y) is None
    why = house.cannot_teach(X, np.zeros(40), "$t$", label=lambda s: f"<{s}>")
    assert "<$t$>" in why


# --------------------------------------------------------------------------- L1 vs L2


def test_l1_at_lambda_1se_sets_every_junk_column_to_exact_zero(comparison):
    snap = house.snapshot(comparison, "l1")
    junk = snap.std_coef[snap.is_junk]
    assert np.all(junk == 0.0)  # exact zeros, not small numbers
    assert snap.n_junk_kept == 0 and snap.n_real_kept == 4


def test_l1_at_lambda_1se_is_the_exact_lasso_optimum(data, comparison):
    fit = comparison.l1
    i = fit.idx_1se
    Xtr, ytr = data.X[data.train], data.y[data.train]
    coef = fit.coefs[i]
    intercept = ytr.mean() - Xtr.mean(axis=0) @ coef
    assert kkt_violation(Xtr, ytr, coef, intercept, lam=fit.lams[i], a=1.0) < 1e-9
    Z, sd, _ = standardized(Xtr)
    sk = Lasso(alpha=fit.lams[i] / 2, tol=1e-12, max_iter=100_000).fit(Z, ytr)
    np.testing.assert_allclose(sk.coef_, fit.std_coefs[i], atol=1e-6 * np.abs(sk.coef_).max())
    assert np.all(sk.coef_[data.is_junk] == 0.0)


def test_l2_at_lambda_1se_keeps_every_junk_column_non_zero_and_small(comparison):
    snap = house.snapshot(comparison, "l2")
    junk = np.abs(snap.std_coef[snap.is_junk])
    assert np.all(junk > 0) and snap.n_junk_kept == snap.n_junk == 16
    assert junk.max() < np.abs(snap.std_coef[~snap.is_junk]).max()


def test_describe_states_the_counts_of_the_snapshot(comparison):
    for pen in ("l1", "l2"):
        for i in (0, comparison.fits[pen].idx_1se, len(comparison.fits[pen].lams) - 1):
            snap = house.snapshot(comparison, pen, i)
            text = house.describe(snap)
            kept = int(np.count_nonzero(snap.std_coef[snap.is_junk]))
            if kept == 0:
                assert f"0 of {snap.n_junk} junk columns survive" in text
            elif kept == snap.n_junk:
                assert f"keeps all {snap.n_junk} junk columns" in text
            else:
                assert f"{kept} of {snap.n_junk} junk columns survive" in text
            if kept:
                share = re.search(r"(\d+(?:\.\d+)?)%", text)
                junk = np.abs(snap.std_coef[snap.is_junk]).max()
                real = np.abs(snap.std_coef[~snap.is_junk]).max()
                assert float(share.group(1)) == pytest.approx(100 * junk / real, rel=0.06)


def test_describe_passes_junk_names_through_the_label():
    snap = house.Snapshot("l1", 1.0, 0, ["a", "<junk>", "j2"], np.array([1.0, 0.5, 0.0]),
                          np.array([False, True, True]),
                          house.Errors(1.0, 1.0, 0.5, 0.5))
    assert "(«<junk>»)" in house.describe(snap, label=lambda s: f"«{s}»")


def test_errors_caption_uses_the_tables_own_units(comparison):
    l1, l2 = house.snapshot(comparison, "l1"), house.snapshot(comparison, "l2")
    text = house.errors_caption(l1, l2, house.number)
    assert "$" not in text
    assert house.number(l1.errors.test_rmse) in text
    assert house.number(l2.errors.train_rmse) in text


# --------------------------------------------------------------------------- overfitting


@pytest.mark.parametrize("mask", [[], [0], [1], [0, 0, 1], [1, 1, 0, 0, 1], [0] * 7])
@pytest.mark.parametrize("degree", [1, 2, 3])
def test_count_terms_counts_the_products_that_are_built(mask, degree):
    binary = np.array(mask, bool)
    brute = sum(
        1 for d in range(1, degree + 1)
        for combo in itertools.combinations_with_replacement(range(len(mask)), d)
        if not any(binary[j] and combo.count(j) > 1 for j in set(combo))
    )
    assert house.count_terms(binary, degree) == brute


def test_plan_terms_stays_within_the_bound_and_keeps_the_house_whole():
    rng = np.random.default_rng(0)
    z, y = rng.normal(size=(50, 30)), rng.normal(size=50)
    y = y + 3 * z[:, 7]
    chosen, d = house.plan_terms(z, y, np.zeros(30, bool), 3, max_terms=200)
    assert d == 2 and house.count_terms(np.zeros(len(chosen), bool), 2) <= 200
    assert 7 in chosen  # the feature most correlated with y
    assert house.plan_terms(z[:, :7], y, np.zeros(7, bool), 3) == (list(range(7)), 3)


def test_engineered_features_never_square_a_0_1_column(data):
    rows = data.train[:100]
    eng = house.engineered_features(data, rows)
    binary = house.is_binary(data.X[:, :4])
    assert list(binary) == [False, False, True, False]
    assert not any(n.startswith("smoker²") or "·smoker²" in n for n in eng.names)
    assert "dose_mg²" in eng.names
    assert int((~eng.is_junk).sum()) == house.count_terms(binary, eng.degree)
    assert eng.X.shape[1] == house.n_engineered(data)


def test_overfit_on_one_feature_builds_its_powers():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(120, 1))
    d = house.with_junk(x, x[:, 0] ** 2 + rng.normal(size=120), ["x"], "y", SEED)
    ov = house.overfit(d, n_train=40)
    assert ov.n_terms == 3 and ov.n_base == ov.n_real == 1 and ov.degree == 3
    assert ov.feature_names[:3] == ["x", "x²", "x³"]


def test_overfit_on_your_data_interpolates_and_either_penalty_does_better(data):
    ov = house.overfit(data, n_train=house.n_engineered(data))
    assert ov.min_norm and ov.ols.train_r2 > 1 - 1e-9
    for c in ov.curves.values():
        assert c.errors().test_mse < ov.ols.test_mse


# --------------------------------------------------------------------------- scaling


def test_units_sentence_states_the_spreads_and_their_ratio(scaling):
    text = house.units_sentence(scaling, "response")
    real = np.flatnonzero(~scaling.is_junk)
    wide = real[np.argmax(scaling.sd[real])]
    narrow = real[np.argmin(scaling.sd[real])]
    assert scaling.feature_names[wide] == "income" and scaling.feature_names[narrow] == "smoker"
    assert f"One standard deviation of income is {house.number(scaling.sd[wide])}" in text
    ratio = house.number(scaling.sd[wide] / scaling.sd[narrow])
    assert f"smoker's coefficient must be {ratio} times larger" in text


def test_scaling_on_your_units_changes_the_ranking(scaling):
    assert scaling.changes_anywhere()
    i = scaling.default_index
    assert scaling.n_changed(i) > 0
    text = house.scaling_caption(scaling, i)
    assert f": {scaling.n_changed(i)} features change rank." in text


def test_scaling_limit_keeps_the_best_ranked_and_says_so(scaling):
    i = scaling.default_index
    full = scaling.shown(i)
    few = scaling.shown(i, limit=2)
    assert len(few) == 2 and set(few) <= set(full)
    with_std, without = scaling.ranks(i)
    best = np.minimum(np.where(with_std > 0, with_std, 99), np.where(without > 0, without, 99))
    assert sorted(best[few]) == sorted(best[full])[:2]
    assert f"shows the 2 best ranked in either fit of the {len(full)}" in \
        house.scaling_caption(scaling, i, limit=2)


def test_number_writes_amounts_in_own_units():
    assert house.number(12_345.6) == "12,346"
    assert house.number(45.67) == "45.7"
    assert house.number(0.01234) == "0.0123"
    assert house.number(0) == "0"
