"""The diagnosis lesson's experiments: seeded cohorts, support recovery, computed captions."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from regviz.datasets_classification import breast_cancer, diagnosis_cohort
from regviz.diagnosis import CohortResult, DiagnosisStudy, run_cohort, simulate_cohort
from regviz.errors import DataError
from regviz.logistic import KKT_TOL, fit_logistic


def test_cohort_is_seeded_with_exactly_k_drivers():
    a, b = simulate_cohort(60, 50, seed=4), simulate_cohort(60, 50, seed=4)
    assert np.array_equal(a.X, b.X) and np.array_equal(a.y, b.y)
    assert len(a.drivers) == 5 and np.array_equal(np.flatnonzero(a.coef), a.drivers)
    assert set(np.unique(a.y)) == {0.0, 1.0}
    with pytest.raises(DataError):
        simulate_cohort(10, 50)


@pytest.fixture(scope="module")
def small():
    return run_cohort(n_train=80, p=150, seed=1, n_test=400, n_lams=12)


def test_cohort_result_reads_its_numbers_off_the_fits(small):
    cohort = simulate_cohort(480, 150, seed=1)
    X, y = cohort.X[:80], cohort.y[:80]
    fit = fit_logistic(X, y, penalty="l1", lam=small.lam_l1)
    assert fit.kkt <= KKT_TOL
    assert tuple(np.flatnonzero(fit.coef)) == small.l1_support
    hits = len(set(small.l1_support) & set(cohort.drivers))
    assert small.recall == hits / 5
    assert small.precision == (hits / len(small.l1_support) if small.l1_support else 1.0)
    test_acc = np.mean((cohort.X[80:] @ fit.coef + fit.intercept > 0) == (cohort.y[80:] == 1))
    assert small.test_accuracy["l1"] == pytest.approx(test_acc, abs=1e-12)
    assert small.l2_used == 150
    # More markers than patients: the nearly unpenalized model separates the training rows.
    assert small.train_accuracy["none"] == 1.0


def fake(seed, acc_l1, acc_l2, support=(0, 1, 2)):
    return CohortResult(seed=seed, n_train=100, n_test=100, p=50, drivers=(0, 1, 2, 3, 4),
                        lam_l1=0.1, lam_l2=1.0, l1_support=support, l2_used=50,
                        test_accuracy={"l1": acc_l1, "l2": acc_l2, "none": 0.6},
                        test_auc={"l1": acc_l1, "l2": acc_l2, "none": 0.6},
                        train_accuracy={"l1": 0.9, "l2": 0.95, "none": 1.0})


def test_captions_are_computed_from_the_cohorts():
    close = DiagnosisStudy((fake(0, 0.80, 0.81), fake(1, 0.82, 0.80), fake(2, 0.79, 0.80)))
    text = close.accuracy_caption()
    assert "more accurate in 2 of 3" in text and "neither is clearly" in text
    clear = DiagnosisStudy((fake(0, 0.70, 0.80), fake(1, 0.71, 0.80), fake(2, 0.69, 0.81)))
    assert "L2 was more accurate beyond 2 standard errors" in clear.accuracy_caption()
    support = close.support_caption()
    assert "precision 100.0%, recall 60.0%" in support and "found in 0 of 3" in support
    # Equal counts are one number, not "3 to 3"; L2's full support is "all".
    assert "kept 3 markers in every cohort:" in support
    assert "L2 used all 50 markers in every cohort." in support
    mixed = DiagnosisStudy((fake(0, 0.8, 0.8), fake(1, 0.8, 0.8, support=tuple(range(9)))))
    assert "kept 3 to 9 markers (mean 6.0)" in mixed.support_caption()
    alone = DiagnosisStudy((fake(0, 0.8, 0.8),)).support_caption()
    assert "kept 3 markers:" in alone and "L2 used all 50 markers." in alone
    over = close.overfitting_caption()
    assert "100.0% of the training patients" in over and "60.0% of new" in over
    one = DiagnosisStudy((fake(0, 0.8, 0.8),))
    assert "One cohort cannot say" in one.caption()


def test_breast_cancer_ships_569_by_30_with_a_two_class_target():
    data = breast_cancer()
    assert data.frame.shape == (569, 31)
    counts = data.frame[data.target].value_counts()
    assert counts["malignant"] == 212 and counts["benign"] == 357
    from sklearn.datasets import load_breast_cancer

    X = load_breast_cancer().data
    assert np.array_equal(data.frame.drop(columns=data.target).to_numpy(), X)
    assert str(counts["malignant"]) in data.description


def test_cohort_dataset_names_its_drivers():
    data = diagnosis_cohort(n=40, p=30, seed=2)
    assert data.frame.shape == (40, 31) and len(data.true_coef) == 5
    assert set(data.true_coef).isdisjoint(data.junk) and len(data.junk) == 25


def test_figures_draw_the_numbers_of_the_study(small):
    from regviz.classification_cv import cross_validate_logistic
    from regviz.figures.diagnosis import (
        accuracy_figure,
        classification_cv_figure,
        overfitting_figure,
        support_figure,
    )

    study = DiagnosisStudy((small,))
    acc = accuracy_figure(study)
    means = [t.y[0] for t in acc.data if t.marker.symbol == "line-ew-open"]
    assert means[:3] == [small.test_accuracy[k] for k in ("l1", "l2", "none")]
    # The model names level, on two short lines: tilted, presenting, the left panel's last
    # ran under the right panel's first.
    for axis in (acc.layout.xaxis, acc.layout.xaxis2):
        assert axis.tickangle == 0
        assert list(axis.tickvals) == ["L1 at CV λ", "L2 at CV λ", "(nearly) no penalty"]
        assert [t.replace("<br>", " ") for t in axis.ticktext] == list(axis.tickvals)
        assert all(len(line) <= 10 for t in axis.ticktext for line in t.split("<br>"))
    kept = support_figure(small)
    assert sum(len(t.x) for t in kept.data if t.y is not None and t.y[0] == "L1 keeps") == len(
        small.l1_support)
    # "all" only when it is all: a cohort where L2 left markers at 0 says how many it used.
    l2_name = next(t.name for t in kept.data if t.y is not None and t.y[0] == "L2 uses")
    assert small.l2_used == small.p  # ridge: no weight exactly 0
    assert l2_name == f"L2: all {small.p:,} markers with a non-zero weight"
    fewer = dataclasses.replace(fake(0, 0.8, 0.8), l2_used=47)
    names = [t.name for t in support_figure(fewer).data]
    assert "L2: 47 of 50 markers with a non-zero weight" in names
    # Presenting, its legend's type grows and its four entries take a row each: the figure
    # grows by those rows and the plot keeps its height.
    from regviz.figures.style import Style

    laptop, shown = support_figure(small, Style()), support_figure(small, Style(scale=1.6))
    assert shown.layout.legend.font.size > 1.5 * laptop.layout.legend.font.size

    def plot_px(fig):
        return fig.layout.height - fig.layout.margin.t - fig.layout.margin.b

    assert plot_px(shown) == round(130 * 1.6) and plot_px(laptop) == 130
    row = shown.layout.legend.font.size * 1.9
    assert shown.layout.margin.b >= -shown.layout.legend.y * plot_px(shown) + 4 * row
    bars = overfitting_figure(study)
    assert list(bars.data[0].y) == [small.train_accuracy[k] for k in ("l1", "l2", "none")]
    cohort = simulate_cohort(80, 20, seed=0)
    cv = cross_validate_logistic(cohort.X, cohort.y, penalty="l1",
                                 lams=np.geomspace(0.2, 0.002, 10), k=4)
    fig = classification_cv_figure(cv)
    assert np.array_equal(fig.data[0].y, cv.mean)
