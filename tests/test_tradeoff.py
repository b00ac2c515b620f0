"""Bias and variance against λ from a known truth, and the price of tuning λ on the test set."""

from __future__ import annotations

import numpy as np
import pytest

from regviz import tradeoff as tr
from regviz.errors import DataError


@pytest.fixture(scope="module")
def sparse_results():
    truth = tr.make_truth("sparse", seed=0)
    return {pen: tr.bias_variance(truth, pen, reps=60, n_lams=20, seed=0)
            for pen in ("l1", "l2")}


def test_bias2_plus_variance_plus_noise_equals_simulated_test_error_to_mc_precision(
        sparse_results):
    for r in sparse_results.values():
        gap = r.test_error - r.total
        np.testing.assert_allclose(gap, r.mc_gap, rtol=1e-9, atol=1e-12)
        assert np.all(np.abs(gap) <= 4.0 * r.mc_gap_se)


def test_bias_rises_and_variance_falls_with_lambda_and_test_error_is_u_shaped(sparse_results):
    for r in sparse_results.values():
        assert np.all(np.diff(r.lams) < 0)  # strong penalty first
        assert r.bias2[0] > 10 * r.bias2[-1]
        assert r.variance[-1] > 10 * r.variance[0]
        best = r.best
        assert 0 < best < r.lams.size - 1
        assert r.test_error[best] < r.test_error[0] and r.test_error[best] < r.test_error[-1]
        assert r.lams[-1] <= r.lambda_cv <= r.lams[0]


def test_the_truth_decides_who_wins_on_a_fixed_seed(sparse_results):
    l1, l2 = sparse_results["l1"], sparse_results["l2"]
    assert l1.test_error[l1.best] < l2.test_error[l2.best]
    truth = tr.make_truth("dense", seed=0)
    d1, d2 = (tr.bias_variance(truth, pen, reps=60, n_lams=20, seed=0) for pen in ("l1", "l2"))
    assert d2.test_error[d2.best] < d1.test_error[d1.best]


def test_truths_share_their_signal_size_and_differ_in_shape():
    sparse, dense = tr.make_truth("sparse"), tr.make_truth("dense")
    assert np.linalg.norm(sparse.w) == pytest.approx(np.linalg.norm(dense.w))
    assert np.count_nonzero(sparse.w) == 5 and np.count_nonzero(dense.w) == 30


def test_excess_error_is_the_expected_squared_error_on_new_points():
    truth = tr.make_truth("dense", seed=3)
    rng = np.random.default_rng(1)
    coef, intercept = truth.w + 0.2 * rng.normal(size=truth.p), 0.3
    X, y = truth.draw(400_000, rng)
    simulated = np.mean((y - X @ coef - intercept) ** 2)
    exact = truth.noise**2 + float(truth.excess_error(coef, intercept))
    assert simulated == pytest.approx(exact, rel=5e-3)


def test_tuning_on_the_test_set_claims_less_error_than_it_delivers():
    truth = tr.make_truth("sparse", seed=0)
    result = tr.tune_on_test(truth, "l2", reps=40, seed=0)
    se = result.optimism.std(ddof=1) / np.sqrt(result.optimism.size)
    assert result.optimism.mean() > 2 * se  # significantly too rosy
    cv_se = result.cv_optimism.std(ddof=1) / np.sqrt(result.cv_optimism.size)
    assert abs(result.cv_optimism.mean()) < 3 * cv_se  # CV's choice, tested honestly
    assert result.cv_optimism.mean() < result.optimism.mean()


def test_bad_settings_raise_data_error():
    with pytest.raises(DataError):
        tr.make_truth("medium")
    with pytest.raises(DataError):
        tr.make_truth("sparse", k=0)
    with pytest.raises(DataError):
        tr.bias_variance(tr.make_truth("sparse"), "l1", reps=1)
