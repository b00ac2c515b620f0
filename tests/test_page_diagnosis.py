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


def test_neighbouring_seeds_and_one_more_cohort_compute_only_the_new_cohorts(monkeypatch):
    """The studies at seeds s and s+1 share all but one cohort: only that one is computed,
    and the assembled study is the one ``run_study`` computes from scratch."""
    import regviz.diagnosis as diagnosis

    monkeypatch.setenv("REGVIZ_WORKERS", "0")  # cohorts computed here, where they are counted
    computed: list[int] = []
    real = diagnosis.run_cohort

    def counting(**kwargs):
        computed.append(kwargs["seed"])
        return real(**kwargs)

    monkeypatch.setattr(diagnosis, "run_cohort", counting)
    run_page("diagnosis", query={"seed": "37"}, timeout=300)  # seeds no other test uses
    assert sorted(computed) == [37, 38, 39, 40]
    at = run_page("diagnosis", query={"seed": "38"}, timeout=300)
    assert sorted(computed) == [37, 38, 39, 40, 41]
    at.sidebar.slider(key="diag_repeats").set_value(5)
    at.run()
    assert not at.exception
    assert sorted(computed) == [37, 38, 39, 40, 41, 42]
    monkeypatch.setattr(diagnosis, "run_cohort", real)
    study = diagnosis.run_study(repeats=5, n_train=200, p=1000, seed=38, rule="min")
    text = captions(at)
    for sentence in (study.support_caption(), study.accuracy_caption(),
                     study.overfitting_caption()):
        assert sentence in text
