"""Exact logistic regression: scikit-learn agreement, KKT from an independent oracle, inputs."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy.special import expit
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression

from regviz.errors import DataError
from regviz.logistic import (
    KKT_TOL,
    binary_labels,
    fit_logistic,
    logistic_lambda_max,
    logistic_path,
    logistic_sklearn_equivalent,
)

PENALTIES = [("l1", 1.0), ("l2", 0.0), ("elasticnet", 0.5), ("elasticnet", 0.2)]


def standardize(X):
    X = np.asarray(X, dtype=float)
    mu, sd = X.mean(axis=0), X.std(axis=0)
    free = (sd > 0) & ~np.all(X == X[0], axis=0)  # noqa: SIM300
    return np.where(free, (X - mu) / np.where(free, sd, 1.0), 0.0), np.where(free, sd, 1.0), free


def oracle_kkt(X, y, coef, intercept, lam, a):
    """Relative KKT residual of the mean log-loss + lam*P, from raw X (not the solver's Z)."""
    Z, sd, free = standardize(X)
    assert np.all(coef[~free] == 0)
    n = len(y)
    r = expit(intercept + np.asarray(X, dtype=float) @ coef) - y
    v = coef * sd
    grad = Z.T @ r / n + 2 * lam * (1 - a) * v
    dist = np.where(v != 0, np.abs(grad + lam * a * np.sign(v)),
                    np.maximum(np.abs(grad) - lam * a, 0.0))
    scale = max(np.max(np.abs(Z.T @ (y - y.mean()))) / n, 1e-12)
    return max(float(np.max(dist[free], initial=0.0)), abs(float(r.mean()))) / scale


def sklearn_fit(Z, y, penalty, lam, a):
    _, kw = logistic_sklearn_equivalent(penalty, lam, a, len(y))
    # newton-cholesky solves the smooth L2 problem to machine precision; saga otherwise.
    solver = "newton-cholesky" if kw["l1_ratio"] == 0 else "saga"
    model = LogisticRegression(C=kw["C"], l1_ratio=kw["l1_ratio"], solver=solver, tol=1e-13,
                               max_iter=200_000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(Z, y)
    return model.coef_[0], model.intercept_[0]


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True)
    rows = np.random.default_rng(0).choice(len(y), 200, replace=False)
    return X[rows][:, :12], y[rows].astype(float)


@pytest.mark.parametrize(("penalty", "a"), PENALTIES)
def test_matches_sklearn_logistic_regression_on_the_standardized_design(cancer, penalty, a):
    X, y = cancer
    Z, sd, _ = standardize(X)
    top = logistic_lambda_max(X, y, penalty="l1")
    for lam in (0.3 * top, 0.05 * top, 0.01 * top):
        fit = fit_logistic(X, y, penalty=penalty, lam=lam, l1_ratio=a)
        assert fit.kkt <= KKT_TOL
        assert oracle_kkt(X, y, fit.coef, fit.intercept, lam, a) <= KKT_TOL
        w, b = sklearn_fit(Z, y, penalty, lam, a)
        v = fit.coef * sd
        # newton-cholesky (L2) is exact; saga stops near 1e-9 however small its tol.
        tol = 1e-12 if a == 0 else 1e-8
        assert np.max(np.abs(w - v)) <= tol * max(1.0, np.max(np.abs(v)))
        assert abs(b - (fit.intercept + fit.coef @ X.mean(axis=0))) <= tol * max(1.0, abs(b))
        # scikit-learn's own solution is optimal for our objective: the mapping holds.
        assert oracle_kkt(Z, y, w, b, lam, a) <= (1e-12 if a == 0 else 1e-6)


def test_sklearn_mapping_formulas():
    n, lam, a = 50, 0.02, 0.4
    assert logistic_sklearn_equivalent("l1", lam, 1, n)[1]["C"] == pytest.approx(1 / (n * lam))
    assert logistic_sklearn_equivalent("l2", lam, 0, n)[1]["C"] == pytest.approx(1 / (2 * n * lam))
    kw = logistic_sklearn_equivalent("elasticnet", lam, a, n)[1]
    assert kw["C"] == pytest.approx(1 / (n * lam * (2 - a)))
    assert kw["l1_ratio"] == pytest.approx(a / (2 - a))


@pytest.mark.parametrize(("penalty", "a"), PENALTIES)
def test_every_point_of_the_path_is_optimal_by_the_oracle(cancer, penalty, a):
    X, y = cancer
    path = logistic_path(X, y, penalty=penalty, l1_ratio=a, n_lams=30)
    assert np.all(path.kkt <= KKT_TOL)
    for lam, coef, b in zip(path.lams, path.coefs, path.intercepts, strict=True):
        assert oracle_kkt(X, y, coef, b, lam, a) <= KKT_TOL
    assert np.all(np.diff(path.lams) < 0)


@pytest.mark.parametrize(("penalty", "a"), [("l1", 1.0), ("elasticnet", 0.5)])
def test_lambda_max_is_exact(cancer, penalty, a):
    X, y = cancer
    top = logistic_lambda_max(X, y, penalty=penalty, l1_ratio=a)
    Z, _, _ = standardize(X)
    assert top == pytest.approx(np.max(np.abs(Z.T @ (y - y.mean()))) / len(y) / a, rel=1e-12)
    at = fit_logistic(X, y, penalty=penalty, lam=top, l1_ratio=a)
    assert at.n_nonzero == 0
    rate = y.mean()
    assert at.intercept == pytest.approx(np.log(rate / (1 - rate)), abs=1e-12)
    below = fit_logistic(X, y, penalty=penalty, lam=top * (1 - 1e-6), l1_ratio=a)
    assert below.n_nonzero >= 1
    assert oracle_kkt(X, y, below.coef, below.intercept, top * (1 - 1e-6), a) <= KKT_TOL


def test_l2_has_no_lambda_max_and_no_zeros(cancer):
    X, y = cancer
    assert logistic_lambda_max(X, y, penalty="l2") == np.inf
    path = logistic_path(X, y, penalty="l2", n_lams=10)
    assert np.all(path.n_nonzero == X.shape[1])


def test_l1_zeros_are_exact_and_satisfy_the_subgradient_condition(cancer):
    X, y = cancer
    top = logistic_lambda_max(X, y, penalty="l1")
    fit = fit_logistic(X, y, penalty="l1", lam=0.05 * top)
    zero = fit.coef == 0.0
    assert zero.any() and (~zero).any()
    Z, _, _ = standardize(X)
    g = Z.T @ (expit(fit.intercept + X @ fit.coef) - y) / len(y)
    assert np.all(np.abs(g[zero]) <= 0.05 * top * (1 + 1e-9))


def test_labels_in_any_two_valued_form_give_the_same_fit(cancer):
    X, y = cancer
    ref = fit_logistic(X, y, penalty="l1", lam=0.01)
    for labels in (y.astype(bool), np.where(y == 1, 5, -1), np.where(y == 1, "yes", "no"),
                   [str(v) for v in np.where(y == 1, "malignant", "benign")]):
        other = fit_logistic(X, labels, penalty="l1", lam=0.01)
        assert np.array_equal(other.coef, ref.coef)
    flipped = fit_logistic(X, y, penalty="l1", lam=0.01, positive=0.0)
    assert np.allclose(flipped.coef, -ref.coef, rtol=1e-10, atol=1e-12)
    assert binary_labels(np.where(y == 1, "yes", "no"))[1] == ("no", "yes")


def test_constant_and_duplicated_columns(cancer):
    X, y = cancer
    Xd = np.column_stack([X, np.full(len(y), 3.0), X[:, 0], X[:, 0]])
    for penalty, a in PENALTIES:
        fit = fit_logistic(Xd, y, penalty=penalty, lam=0.01, l1_ratio=a)
        assert fit.coef[X.shape[1]] == 0.0
        assert oracle_kkt(Xd, y, fit.coef, fit.intercept, 0.01, a) <= KKT_TOL
    ridge = fit_logistic(Xd, y, penalty="l2", lam=0.01)
    # L2 splits the weight of identical columns equally.
    assert ridge.coef[-1] == pytest.approx(ridge.coef[-2], rel=1e-9)
    assert ridge.coef[-1] == pytest.approx(ridge.coef[0], rel=1e-9)


def separable_data(n=40, p=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    y = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(float)
    return X, y


def test_separable_classes_stop_the_path_with_a_note():
    X, y = separable_data()
    path = logistic_path(X, y, penalty="l1", lams=np.geomspace(0.3, 1e-8, 60))
    assert path.stopped and path.separable
    assert len(path.lams) < 60 and path.requested == 60
    assert path.deviance_ratio[-1] >= 0.999
    assert np.all(path.deviance_ratio[:-1] < 0.999)
    assert path.train_accuracy[-1] == 1.0
    assert np.all(np.isfinite(path.coefs)) and np.all(path.kkt <= KKT_TOL)
    assert "separable" in path.note and f"{path.lams[-1]:.3g}" in path.note


def test_unpenalized_fit_on_separable_classes_is_a_data_error():
    X, y = separable_data()
    with pytest.raises(DataError, match="separable"):
        fit_logistic(X, y, penalty="l2", lam=0.0)


def test_unpenalized_fit_is_maximum_likelihood(cancer):
    X, y = cancer
    X = X[:, :4]
    fit = fit_logistic(X, y, penalty="l1", lam=0.0)
    assert oracle_kkt(X, y, fit.coef, fit.intercept, 0.0, 1.0) <= KKT_TOL


@pytest.mark.parametrize(("labels", "message"), [
    (["a"] * 10, "one class only"),
    (["a"] * 9 + ["b"], "only 1 row"),
    (["a"] * 4 + ["b"] * 3 + ["c"] * 3, "3 classes"),
    (["yes"] * 5 + ["no"] * 4 + ["Yes "], "differ only in capitals or spaces"),
    (["yes"] * 5 + ["no"] * 4 + ["yess"], "'yess': 1 row"),
    ([1.0] * 5 + [0.0] * 4 + [np.nan], "missing"),
    ([1, 0, None, 1, 0, 1, 0, 1, 0, 1], "missing at row 3"),
])
def test_bad_targets_get_specific_messages(labels, message):
    X = np.random.default_rng(0).normal(size=(len(labels), 2))
    with pytest.raises(DataError, match=message):
        fit_logistic(X, np.array(labels, dtype=object), penalty="l1", lam=0.1)


def test_bad_inputs():
    X = np.random.default_rng(0).normal(size=(10, 2))
    y = np.array([0, 1] * 5)
    with pytest.raises(DataError, match="rows"):
        fit_logistic(X[:9], y, penalty="l1", lam=0.1)
    Xn = X.copy()
    Xn[3, 1] = np.nan
    with pytest.raises(DataError, match="row 4, column 2"):
        fit_logistic(Xn, y, penalty="l1", lam=0.1)
    with pytest.raises(DataError, match="lambda"):
        fit_logistic(X, y, penalty="l1", lam=-1)
    with pytest.raises(DataError, match="penalty"):
        fit_logistic(X, y, penalty="l3", lam=0.1)


def test_predictions_use_the_positive_class(cancer):
    X, y = cancer
    fit = fit_logistic(X, y, penalty="l2", lam=0.01)
    prob = fit.predict_proba(X)
    assert np.allclose(prob, expit(X @ fit.coef + fit.intercept), rtol=1e-12)
    assert np.array_equal(fit.predict(X), (prob > 0.5).astype(int))


def test_extreme_margins_do_not_overflow():
    X, y = separable_data(n=30)
    X = X * 1e6
    path = logistic_path(X, y, penalty="l2", n_lams=40)
    assert np.all(np.isfinite(path.coefs)) and np.all(np.isfinite(path.train_loss))
    assert np.all(path.kkt <= KKT_TOL)
