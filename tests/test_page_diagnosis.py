"""The diagnosis lesson (AppTest): its charts and captions are the study's own numbers."""

from __future__ import annotations

from regviz.diagnosis import run_study
from tests.apptest import captions, charts, run_page


def test_diagnosis_page_draws_the_study_and_states_its_numbers():
    at = run_page("diagnosis", timeout=300)
    study = run_study(repeats=4, n_train=200, p=1000, seed=0, rule="min")
    text = captions(at)
    for sentence in (study.support_caption(), study.accuracy_caption(),
                     study.overfitting_caption()):
        assert sentence in text
    assert "LogisticRegression" in text  # the objective's scikit-learn equivalent
    specs = charts(at)
    assert set(specs) == {"diag_support", "diag_accuracy", "diag_overfitting"}
    # The overfitting chart's bars are the study's mean accuracies.
    bars = [t for t in specs["diag_overfitting"]["data"] if t["type"] == "bar"]
    train = next(t for t in bars if t["name"] == "training patients")
    assert train["y"][-1] == study.mean("train_accuracy", "none")


def test_fewer_cohorts_and_the_one_se_rule_change_the_study():
    at = run_page("diagnosis", timeout=300)
    at.sidebar.slider(key="diag_repeats").set_value(2)
    at.sidebar.radio(key="diag_rule").set_value("1se")
    at.run()
    assert not at.exception
    study = run_study(repeats=2, n_train=200, p=1000, seed=0, rule="1se")
    assert study.support_caption() in captions(at)
    assert "one standard error rule" in captions(at)
