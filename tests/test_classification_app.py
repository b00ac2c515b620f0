"""A two-class target through the app: built-in breast cancer and an uploaded yes/no table.

The paths page fits logistic regression (its numbers checked against an
independent explore_logistic run and scikit-learn's metrics), the sparsity lab
counts the logistic paths' zeros, and pages that only fit least squares take a
two-class upload as 0/1 numbers and say so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from regviz.binary_target import encode_binary, target_task
from regviz.data import design_matrix
from regviz.datasets_classification import breast_cancer
from regviz.logistic import KKT_TOL
from regviz.paths_logistic import explore_logistic, stratified_split
from regviz.zeros_logistic import logistic_zeros_vs_lambda
from tests.apptest import captions, charts, run_page, shown
from ui.datasets import CLASSIFY, LABELS, UPLOAD_KEY, Choice, builtin_choice, class_note


def _yes_no_choice() -> Choice:
    """An upload as pages/your-data.py stores it: 'passed' is yes/no, 'yes' coded 1."""
    rng = np.random.default_rng(3)
    n = 160
    hours, sleep = rng.uniform(0, 10, n), rng.uniform(4, 9, n)
    odds = -4 + 0.6 * hours + 0.2 * sleep + rng.normal(0, 1, n)
    df = pd.DataFrame({"hours": hours, "sleep": sleep, "noise": rng.normal(size=n),
                       "passed": np.where(odds > 0, "yes", "no")})
    task = target_task(df, "passed")
    design = design_matrix(encode_binary(df, "passed", task.levels), "passed")
    return Choice("upload", "exam <b>results</b>.csv", design.X, design.y,
                  list(design.feature_names), "passed", "your file", [
                      class_note("passed", task.levels)], task=CLASSIFY, classes=task.levels)


def test_breast_cancer_is_a_two_class_choice_with_malignant_coded_one():
    choice = builtin_choice("breast_cancer")
    frame = breast_cancer().frame
    assert choice.classifies and choice.classes == ("benign", "malignant")
    assert choice.X.shape == (569, 30)
    assert set(np.unique(choice.y)) == {0.0, 1.0}
    np.testing.assert_array_equal(choice.y, (frame["diagnosis"] == "malignant").to_numpy())


def test_explore_logistic_scores_agree_with_scikit_learn_and_meet_kkt():
    metrics = pytest.importorskip("sklearn.metrics")
    choice = builtin_choice("breast_cancer")
    ex = explore_logistic(choice.X, choice.y, choice.feature_names, penalty="l1", seed=1)
    tr, te = stratified_split(choice.y, 0.25, 1)
    assert abs(choice.y[te].mean() - choice.y[tr].mean()) < 0.01  # stratified
    assert np.max(ex.path.kkt) <= KKT_TOL
    for i in (5, ex.cv.idx_min, len(ex.path.lams) - 1):
        prob = ex.path.predict_proba(choice.X[te])[i]
        assert ex.test_mse[i] == pytest.approx(metrics.log_loss(choice.y[te], prob), rel=1e-9)
        assert ex.test_auc[i] == pytest.approx(metrics.roc_auc_score(choice.y[te], prob),
                                               abs=1e-12)
        assert ex.test_accuracy[i] == pytest.approx(
            metrics.accuracy_score(choice.y[te], prob > 0.5))
    # The readout's call is the documented mapping: C = 1/(n lambda) for L1.
    lam = ex.path.lams[10]
    assert f"C={1 / (ex.n_train * lam):.4g}" in ex.sklearn_calls[10]


def test_paths_page_on_breast_cancer_shows_log_loss_and_the_cv_choice():
    at = run_page("paths", query={"dataset": "breast_cancer"})
    choice = builtin_choice("breast_cancer")
    ex = explore_logistic(choice.X, choice.y, choice.feature_names, penalty="l1", seed=0)
    text = captions(at)
    i = ex.cv.idx_1se
    assert f"λ_min = {ex.cv.lambda_min:.4g}" in text and f"λ_1se = {ex.cv.lambda_1se:.4g}" in text
    assert f"test accuracy {100 * ex.test_accuracy[i]:.1f}%" in text
    assert f"test AUC {ex.test_auc[i]:.3f}" in text
    assert "LogisticRegression" in text  # the objective's scikit-learn equivalent
    assert any("Classification" in info.value for info in at.info)
    spec = charts(at)["coef_path"]
    names = [t.get("name") for t in spec["data"] if t.get("name")]
    assert {"train log-loss", "test log-loss"} <= set(names)
    assert not any("MSE" in name for name in names)
    assert spec["layout"]["yaxis2"]["title"]["text"] == "mean log-loss"
    assert len(spec["frames"]) == len(ex.path.lams)  # no lambda = 0 frame
    readout = spec["frames"][i]["data"][4]["text"][0]
    assert ex.sklearn_calls[i].split("(")[1].split(",")[0] in readout.replace("<br>", "")
    assert f"AUC {ex.test_auc[i]:.3f}" in readout


def test_an_uploaded_yes_no_target_is_fitted_as_two_classes_on_the_paths_page():
    choice = _yes_no_choice()
    at = run_page("paths", query={"dataset": "upload"}, **{UPLOAD_KEY: choice})
    assert not at.error, [e.value for e in at.error]
    info = " ".join(shown(i.value) for i in at.info)
    assert "yes = 1" in info and "no = 0" in info
    text = captions(at)
    assert "a two-class target, so the path is logistic regression" in text
    assert "exam <b>results</b>.csv" in text  # user text shown literally
    spec = charts(at)["coef_path"]
    assert "<b>results" not in str([t.get("name") for t in spec["data"]])


def test_a_least_squares_page_takes_a_two_class_upload_as_numbers_and_says_so():
    at = run_page("house-prices", query={"dataset": "upload"}, **{UPLOAD_KEY: _yes_no_choice()})
    said = " ".join(shown(c.value) for c in at.sidebar.caption)
    assert "treats the 0/1 codes as numbers" in said


def test_regression_pages_do_not_offer_the_two_class_builtin():
    at = run_page("house-prices")
    box = at.sidebar.selectbox(key="dataset")
    assert LABELS["breast_cancer"] not in box.options and LABELS["diabetes"] in box.options


@pytest.mark.parametrize("dataset", ["breast_cancer", "upload"])
def test_sparsity_zeros_tab_counts_the_logistic_paths_zeros(dataset):
    choice = builtin_choice("breast_cancer") if dataset == "breast_cancer" else _yes_no_choice()
    state = {UPLOAD_KEY: choice} if dataset == "upload" else {}
    at = run_page("sparsity", query={"dataset": dataset}, **state)
    counts, _ = logistic_zeros_vs_lambda(choice.X, choice.y, l1_ratio=0.5)
    assert counts.caption() in captions(at)
    assert "sparsity_zeros_logistic" in charts(at)
    assert int(counts.zeros["l2"].max()) == 0 and int(counts.zeros["l1"].max()) == counts.p


def test_the_paths_page_offers_a_logistic_regression_script_for_a_two_class_target():
    at = run_page("paths", query={"dataset": "breast_cancer"})
    at.session_state["dl_files"] = True  # open the downloads' expander
    at.session_state["dl_recipe"] = True  # and show the script
    at.run()
    assert not at.exception
    script = at.code[0].value
    assert "LogisticRegression(" in script and "Lasso(" not in script
    assert "C = 1/(n*lambda)" in script  # the mapping, stated in the script's docstring
    assert {b.key for b in at.get("download_button")} >= {"dl_coef", "dl_path", "dl_script"}
