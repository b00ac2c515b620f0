"""The sparsity lab's experiments: exact where they claim exactness, and pointing the right way.

Directions are checked on fixed seeds; the mathematics (constrained optima, matched errors)
is checked against regviz.fit, the exact solver every page relies on.
"""

from __future__ import annotations

import numpy as np
import pytest

from regviz import DataError, datasets, fit
from regviz.data import design_matrix
from regviz.experiments import (
    TWIN_NAMES,
    bootstrap_selection,
    corner_monte_carlo,
    matched_magnitudes,
    recovery_sweep,
    resamples_for,
    support_recovery,
    twins_sampler,
    who_wins,
    zeros_vs_lambda,
)
from regviz.experiments.corners import quadratic
from regviz.experiments.twins import most_correlated_pair


def _design(key: str):
    ds = datasets.load(key)
    d = design_matrix(ds.frame, ds.target)
    return d.X, d.y


# --------------------------------------------------------------------------- 1. zeros
@pytest.mark.parametrize("key", ["sparse_truth", "diabetes", "house_prices"])
def test_l2_has_no_exact_zero_at_any_lambda_while_l1_climbs_to_all(key):
    X, y = _design(key)
    z = zeros_vs_lambda(X, y)
    assert np.all(z.zeros["l2"] == 0)
    # Not monotone in general (on diabetes a coefficient leaves the lasso path and comes back),
    # but every coefficient is 0 from lambda_max up and some are not just below it.
    top = z.lams >= z.lambda_max["l1"]
    assert top.any() and np.all(z.zeros["l1"][top] == z.p)
    assert z.zeros["l1"][~top][0] < z.p and z.zeros["l1"][-1] < z.p
    assert z.zeros["l1"].mean() > z.zeros["l2"].mean()
    # Between L1's and elastic net's lambda_max, L1 is empty while elastic net still keeps some.
    between = (z.lams >= z.lambda_max["l1"]) & (z.lams < z.lambda_max["elasticnet"])
    assert np.all(z.zeros["elasticnet"][between] < z.p)


def test_matched_magnitudes_share_one_training_error_and_equal_the_exact_fits():
    X, y = _design("sparse_truth")
    m = matched_magnitudes(X, y, share=0.3, l1_ratio=0.5)
    sd = X.std(axis=0)
    for pen in ("l1", "l2", "elasticnet"):
        assert m.achieved_mse[pen] == pytest.approx(m.train_mse, rel=1e-8)
        exact = fit(X, y, penalty=pen, lam=m.lams[pen], l1_ratio=0.5)
        np.testing.assert_allclose(m.coefs[pen], exact.coef * sd, atol=1e-7)
        assert m.counts[pen].sum() + m.zeros[pen] == X.shape[1]
    assert m.zeros["l1"] > m.zeros["l2"] == 0


@pytest.mark.parametrize("share", [0.0, 0.99, -1])
def test_matched_magnitudes_rejects_a_share_it_cannot_match(share):
    X, y = _design("diabetes")
    with pytest.raises(DataError, match="share"):
        matched_magnitudes(X, y, share=share)


def test_zeros_reject_a_target_nothing_can_explain():
    X = np.random.default_rng(0).normal(size=(30, 3))
    with pytest.raises(DataError):
        zeros_vs_lambda(X, np.ones(30))


# --------------------------------------------------------------------------- 2. corners
def _least_squares_form(A: np.ndarray, c: np.ndarray):
    """X, y with (1/n)|y - Xw|^2 = (w - c)'A(w - c) + const, n = 2."""
    evals, evecs = np.linalg.eigh(A)
    X = np.sqrt(2.0) * (evecs * np.sqrt(evals)) @ evecs.T
    return X, X @ c


def _loss_matrix(c, i: int) -> np.ndarray:
    rot = np.array([[np.cos(c.angles[i]), -np.sin(c.angles[i])],
                    [np.sin(c.angles[i]), np.cos(c.angles[i])]])
    return rot @ np.diag(c.eigen[i]) @ rot.T


def test_circle_solutions_are_the_exact_ridge_fit_at_their_multiplier():
    c = corner_monte_carlo(500, seed=1)
    for i in np.flatnonzero(c.binding["l2"])[:30]:
        X, y = _least_squares_form(_loss_matrix(c, i), c.centres[i])
        ridge = fit(X, y, penalty="l2", lam=c.multiplier_l2[i], standardize=False,
                    fit_intercept=False)
        np.testing.assert_allclose(ridge.coef, c.l2[i], atol=1e-8)
        assert np.linalg.norm(c.l2[i]) == pytest.approx(c.budget, rel=1e-10)


def test_diamond_solutions_are_the_exact_lasso_fit_at_their_multiplier():
    c = corner_monte_carlo(500, seed=2)
    checked = 0
    for i in np.flatnonzero(c.binding["l1"])[:40]:
        A, centre, w = _loss_matrix(c, i), c.centres[i], c.l1[i]
        grad = 2.0 * A @ (centre - w)  # = lam * sign(w_j) on the non-zero coordinates
        j = int(np.argmax(np.abs(w)))
        lam = abs(grad[j])
        X, y = _least_squares_form(A, centre)
        lasso = fit(X, y, penalty="l1", lam=lam, standardize=False, fit_intercept=False)
        np.testing.assert_allclose(lasso.coef, w, atol=1e-8)
        assert np.abs(w).sum() == pytest.approx(c.budget, rel=1e-12)
        checked += 1
    assert checked >= 30


def test_diamond_solutions_beat_every_sampled_boundary_point():
    c = corner_monte_carlo(50, seed=3)
    angle = np.linspace(0, 2 * np.pi, 2_000, endpoint=False)
    ring = np.column_stack([np.cos(angle), np.sin(angle)])
    ring = c.budget * ring / np.abs(ring).sum(axis=1, keepdims=True)  # points on the diamond
    for i in np.flatnonzero(c.binding["l1"]):
        A = _loss_matrix(c, i)
        best = quadratic(A[None], c.centres[i][None], c.l1[i][None])[0]
        others = quadratic(np.repeat(A[None], len(ring), 0), np.repeat(c.centres[i][None],
                           len(ring), 0), ring)
        assert best <= others.min() + 1e-12


def test_l1_lands_on_exact_zeros_often_and_l2_never():
    c = corner_monte_carlo(10_000, seed=0)
    assert c.zero_fraction("l1") > 0.3
    assert c.zero_fraction("l2") == 0.0
    zeros = c.l1[c.zero_mask("l1")]
    # A corner is a vertex of the diamond, written exactly.
    assert np.all(np.sort(np.abs(zeros), axis=1) == [0.0, c.budget])
    _, share = c.by_elongation()
    assert np.all(share["l2"] == 0.0) and np.nanmin(share["l1"]) > 0.2


def test_same_seed_same_draws_and_bad_settings_raise():
    a, b = corner_monte_carlo(200, seed=5), corner_monte_carlo(200, seed=5)
    np.testing.assert_array_equal(a.l1, b.l1)
    for kwargs in ({"n_draws": 0}, {"budget": -1.0}, {"spread": float("nan")}):
        with pytest.raises(DataError):
            corner_monte_carlo(**{"n_draws": 100, **kwargs})


# --------------------------------------------------------------------------- 3. recovery
def test_recovery_improves_with_n_at_the_default_500_features():
    small = support_recovery(40, seed=0, repeats=2)
    large = support_recovery(200, seed=0, repeats=2)
    assert large.best("l1")[1] > small.best("l1")[1]
    i, _ = large.best("l1")
    assert large.recall["l1"][i] >= 0.9
    for rec in (small, large):
        for pen in ("l1", "elasticnet"):
            assert np.all((rec.true_kept[pen] >= 0) & (rec.true_kept[pen] <= rec.k))
            assert np.all((rec.false_kept[pen] >= 0) & (rec.false_kept[pen] <= rec.p - rec.k))
            # At lambda_max nothing is kept.
            assert rec.true_kept[pen][0] == 0 and rec.false_kept[pen][0] == 0


def test_recovery_breaks_down_as_n_shrinks_and_correlation_grows():
    by_n = recovery_sweep("n", [25, 100, 400], p=200, repeats=2, seed=1)
    assert by_n.best_f1["l1"][0] < by_n.best_f1["l1"][1] < by_n.best_f1["l1"][2] + 1e-12
    by_rho = recovery_sweep("rho", [0.0, 0.95], p=200, repeats=2, seed=1)
    assert by_rho.best_f1["l1"][1] < by_rho.best_f1["l1"][0]


@pytest.mark.parametrize("kwargs", [{"n": 5}, {"k": 600}, {"noise": -1.0}, {"rho": 1.0}])
def test_recovery_rejects_impossible_settings(kwargs):
    with pytest.raises(DataError):
        support_recovery(**{"p": 500, **kwargs})


# --------------------------------------------------------------------------- 4. twins
def test_fresh_samples_l1_picks_either_twin_while_l2_keeps_both_steadily():
    draw = twins_sampler()
    X, y = draw(np.random.default_rng(1_000_003))
    boot = bootstrap_selection(X, y, TWIN_NAMES, seed=0, draw=draw)
    freq = boot.frequency("l1")[:2]
    assert np.all((freq > 0.2) & (freq < 0.9))
    out = boot.pair_outcomes("l1")
    assert out["only height"] + out["only weight"] > 0.3
    assert np.all(boot.frequency("l2")[:2] == 1.0)
    assert np.all(boot.effects["l2"][:, :2].std(axis=0) < boot.effects["l1"][:, :2].std(axis=0)
                  / 3)
    assert np.all(boot.frequency("elasticnet")[:2] >= 0.9)


def test_bootstrap_of_one_sample_l2_keeps_both_and_l1_jumps():
    X, y = twins_sampler()(np.random.default_rng(7))
    boot = bootstrap_selection(X, y, TWIN_NAMES, seed=7)
    assert boot.pair == (0, 1) and boot.pair_corr > 0.95
    assert np.all(boot.frequency("l2")[:2] == 1.0)
    assert np.all(boot.effects["l1"][:, :2].std(axis=0) > 3 * boot.effects["l2"][:, :2].std(
        axis=0))
    assert sum(boot.pair_outcomes("l1").values()) == pytest.approx(1.0)


def test_twins_experiment_runs_on_any_table_and_finds_its_closest_pair():
    X, y = _design("diabetes")
    names = [f"x{j}" for j in range(X.shape[1])]
    boot = bootstrap_selection(X, y, names, n_boot=20, seed=0)
    corr = np.abs(np.corrcoef(X, rowvar=False))
    np.fill_diagonal(corr, 0)
    assert corr[boot.pair] == pytest.approx(corr.max())
    for pen in ("l1", "l2", "elasticnet"):
        assert np.all((boot.frequency(pen) >= 0) & (boot.frequency(pen) <= 1))


def test_big_tables_get_fewer_resamples_but_never_fewer_than_20():
    assert resamples_for(100, 5) == 200
    assert resamples_for(20_000, 30) == 20
    sizes = [resamples_for(n, 30) for n in (500, 2_000, 5_000, 20_000, 10**6)]
    assert sizes == sorted(sizes, reverse=True) and min(sizes) == 20


def test_twins_experiment_rejects_unusable_input():
    X, y = twins_sampler()(np.random.default_rng(0))
    with pytest.raises(DataError):
        bootstrap_selection(X[:, :1], y, ["height"], n_boot=20)
    with pytest.raises(DataError):
        bootstrap_selection(X, y, ["too", "few"], n_boot=20)
    with pytest.raises(DataError):
        most_correlated_pair(np.ones((10, 3)))
    with pytest.raises(DataError):
        twins_sampler(rho=1.0)


# --------------------------------------------------------------------------- 5. who wins
def test_sparse_truth_favours_l1_and_dense_truth_favours_l2():
    contest = who_wins(seed=0)
    assert contest.median("sparse", "l1") < contest.median("sparse", "l2")
    assert contest.wins("sparse")["l1"] > contest.errors["sparse"]["l1"].size / 2
    assert contest.median("dense", "l2") < contest.median("dense", "l1")
    for truth in ("sparse", "dense"):
        for errors in contest.errors[truth].values():
            assert np.all(errors > 0.9)  # the noise floor is 1; 2,000 test rows barely move it


def test_who_wins_rejects_bad_settings():
    with pytest.raises(DataError):
        who_wins(k=40, p=30)
    with pytest.raises(DataError):
        who_wins(noise=0.0)
