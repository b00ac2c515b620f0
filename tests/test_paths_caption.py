"""The paths chart's caption states the exploration's own numbers, on every penalty."""

from __future__ import annotations

import numpy as np

from regviz import datasets
from regviz.data import design_matrix
from regviz.paths import explore
from regviz.paths_logistic import explore_logistic


def _diabetes():
    ds = datasets.load("diabetes")
    d = design_matrix(ds.frame, ds.target)
    return d.X, d.y, list(d.feature_names)


def test_l1_caption_names_lambda_max_and_the_cv_choice_with_its_support_and_error():
    X, y, names = _diabetes()
    ex = explore(X, y, names, penalty="l1")
    text = ex.caption("Diabetes")
    i = ex.cv.idx_1se
    assert text.startswith(f"Diabetes: {ex.n_train} training rows, {ex.n_test} test rows, 10 ")
    assert f"exactly 0 for λ ≥ λ_max = {ex.path.lambda_max:.4g}" in text
    assert f"λ_1se = {ex.cv.lambda_1se:.4g} ({ex.path.n_nonzero[i]} non-zero" in text
    assert f"test MSE {ex.test_mse[i]:.4g}" in text
    assert np.count_nonzero(ex.path.coefs[i]) == ex.path.n_nonzero[i]


def test_ridge_caption_says_no_exact_zero_only_when_there_is_none():
    X, y, names = _diabetes()
    ex = explore(X, y, names, penalty="l2")
    assert not np.isfinite(ex.path.lambda_max)
    assert np.count_nonzero(ex.path.coefs == 0.0) == 0
    assert "Ridge sets no coefficient exactly to 0" in ex.caption("Diabetes")


def test_logistic_caption_reads_accuracy_and_auc_at_both_cv_choices():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 4))
    y = (X[:, 0] - X[:, 1] + 0.5 * rng.normal(size=200) > 0).astype(float)
    ex = explore_logistic(X, y, ["a", "b", "c", "d"], penalty="l1")
    text = ex.caption("Toy")
    i, m = ex.cv.idx_1se, ex.cv.idx_min
    assert "a two-class target" in text and f"{ex.n_train} training rows" in text
    assert f"test accuracy {100 * ex.test_accuracy[i]:.1f}%" in text
    assert f"At λ_min: {ex.path.n_nonzero[m]} non-zero" in text
    assert f"test AUC {ex.test_auc[m]:.3f}." in text


def test_the_first_module_names_still_reach_the_paths_lesson():
    import regviz.explorer
    import regviz.explorer_logistic
    import regviz.paths
    import regviz.paths_logistic

    assert regviz.explorer.explore is regviz.paths.explore
    assert regviz.explorer.Exploration is regviz.paths.Exploration
    assert regviz.explorer_logistic.explore_logistic is regviz.paths_logistic.explore_logistic
