"""The solver against scikit-learn at tight tolerance and against the KKT conditions."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sklearn.datasets import load_diabetes
from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, Ridge

import regviz
from regviz import DataError
from tests.oracle import kkt_violation, standardized

ESTIMATORS = {"Lasso": Lasso, "Ridge": Ridge, "ElasticNet": ElasticNet}
PENALTIES = [("l1", 1.0), ("l2", 0.0), ("elasticnet", 0.5), ("elasticnet", 0.15),
             ("elasticnet", 0.9)]


@pytest.fixture(scope="module")
def diabetes():
    X, y = load_diabetes(return_X_y=True, scaled=False)
    return X, y


def sklearn_fit(X, y, penalty, lam, a, standardize=True):
    Z, sd, _ = standardized(X, standardize)
    name, params = regviz.sklearn_equivalent(penalty, lam, a, len(y))
    extra = {} if name == "Ridge" else {"tol": 1e-14, "max_iter": 1_000_000}
    est = ESTIMATORS[name](**params, **extra).fit(Z, y)
    return est.coef_ / sd


@pytest.mark.parametrize(("penalty", "a"), PENALTIES)
@pytest.mark.parametrize("frac", [0.5, 0.1, 0.01, 0.001])
def test_fit_matches_sklearn_at_tight_tolerance(diabetes, penalty, a, frac):
    X, y = diabetes
    top = regviz.lambda_max(X, y, penalty="l1")
    lam = top * frac
    fit = regviz.fit(X, y, penalty=penalty, lam=lam, l1_ratio=a)
    expected = sklearn_fit(X, y, penalty, lam, a)
    assert np.allclose(fit.coef, expected, rtol=1e-7, atol=1e-9 * np.abs(expected).max())
    assert kkt_violation(X, y, fit.coef, fit.intercept, lam=lam, a=a) <= 1e-9


def test_unstandardized_fit_matches_sklearn_on_raw_columns(diabetes):
    X, y = diabetes
    lam = 5.0
    fit = regviz.fit(X, y, penalty="l1", lam=lam, standardize=False)
    est = Lasso(alpha=lam / 2, tol=1e-14, max_iter=1_000_000).fit(X, y)
    assert np.allclose(fit.coef, est.coef_, rtol=1e-7, atol=1e-9)
    assert fit.intercept == pytest.approx(est.intercept_, rel=1e-8)


def test_fit_without_intercept_matches_sklearn(diabetes):
    X, y = diabetes
    Z, sd, _ = standardized(X, True, fit_intercept=False)
    lam = 20.0
    fit = regviz.fit(X, y, penalty="l1", lam=lam, fit_intercept=False)
    est = Lasso(alpha=lam / 2, fit_intercept=False, tol=1e-14, max_iter=1_000_000)
    est.fit(X / X.std(axis=0), y)
    assert np.allclose(fit.coef * sd, est.coef_, rtol=1e-7, atol=1e-8)
    assert fit.intercept == 0.0


def test_lambda_zero_is_ordinary_least_squares(diabetes):
    X, y = diabetes
    for penalty in ("l1", "l2", "elasticnet"):
        fit = regviz.fit(X, y, penalty=penalty, lam=0.0)
        ols = LinearRegression().fit(X, y)
        assert np.allclose(fit.coef, ols.coef_, rtol=1e-8)


def test_l1_sets_junk_features_to_exact_zero():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((200, 12))
    y = X[:, :3] @ np.array([3.0, -2.0, 1.5]) + 0.5 * rng.standard_normal(200)
    fit = regviz.fit(X, y, penalty="l1", lam=0.3)
    expected = sklearn_fit(X, y, "l1", 0.3, 1.0)
    assert np.all(fit.coef[3:] == 0.0)  # exactly, not 1e-17
    assert np.array_equal(fit.coef == 0, np.abs(expected) < 1e-12)
    assert np.all(fit.coef[:3] != 0)


def test_l2_never_sets_a_coefficient_exactly_to_zero(diabetes):
    X, y = diabetes
    p = regviz.path(X, y, penalty="l2")
    assert np.count_nonzero(p.coefs == 0) == 0
    # ... but at the top of its grid every coefficient is tiny next to OLS.
    ols = regviz.fit(X, y, penalty="l2", lam=0.0).coef
    assert np.max(np.abs(p.coefs[0] / ols)) < 1e-2


def test_path_starts_exactly_at_lambda_max(diabetes):
    X, y = diabetes
    for penalty, a in [("l1", 1.0), ("elasticnet", 0.3)]:
        p = regviz.path(X, y, penalty=penalty, l1_ratio=a)
        top = regviz.lambda_max(X, y, penalty=penalty, l1_ratio=a)
        Z, _, _ = standardized(X)
        assert top == pytest.approx(2 / len(y) * np.max(np.abs(Z.T @ (y - y.mean()))) / a,
                                    rel=1e-12)
        assert p.lams[0] == top
        assert np.all(p.coefs[0] == 0)
        below = regviz.fit(X, y, penalty=penalty, lam=top * (1 - 1e-6), l1_ratio=a)
        assert below.n_nonzero == 1


def test_path_grid_is_strictly_descending_and_log_spaced(diabetes):
    X, y = diabetes
    p = regviz.path(X, y, penalty="l1", n_lams=50)
    assert p.lams.shape == (50,) and p.coefs.shape == (50, 10) and p.intercepts.shape == (50,)
    assert np.all(np.diff(p.lams) < 0)
    assert np.allclose(np.diff(np.log(p.lams)), np.log(1e-3) / 49)


def test_user_grid_is_sorted_descending_and_solutions_match_fit(diabetes):
    X, y = diabetes
    lams = [1.0, 30.0, 0.1, 5.0]
    p = regviz.path(X, y, penalty="elasticnet", lams=lams, l1_ratio=0.7)
    assert list(p.lams) == [30.0, 5.0, 1.0, 0.1]
    for lam, coef in zip(p.lams, p.coefs, strict=True):
        single = regviz.fit(X, y, penalty="elasticnet", lam=lam, l1_ratio=0.7)
        assert np.allclose(coef, single.coef, rtol=1e-9, atol=1e-12)


def test_every_path_solution_satisfies_kkt(diabetes):
    X, y = diabetes
    for penalty, a in PENALTIES:
        p = regviz.path(X, y, penalty=penalty, l1_ratio=a)
        for lam, coef, b in zip(p.lams, p.coefs, p.intercepts, strict=True):
            assert kkt_violation(X, y, coef, b, lam=lam, a=a) <= 1e-9


def test_wide_data_path_satisfies_kkt_and_matches_sklearn():
    rng = np.random.default_rng(3)
    n, p = 40, 120
    X = rng.standard_normal((n, p)) + rng.standard_normal((n, 1))
    y = X[:, :5].sum(axis=1) + rng.standard_normal(n)
    for penalty, a in [("l1", 1.0), ("elasticnet", 0.5)]:
        res = regviz.path(X, y, penalty=penalty, l1_ratio=a, n_lams=30)
        assert res.lams[-1] == pytest.approx(res.lams[0] * 1e-2) or a < 1
        for lam, coef, b in zip(res.lams[::5], res.coefs[::5], res.intercepts[::5], strict=True):
            assert kkt_violation(X, y, coef, b, lam=lam, a=a) <= 1e-9
        lam = res.lams[15]
        assert np.allclose(res.coefs[15], sklearn_fit(X, y, penalty, lam, a), atol=1e-6)


def test_constant_and_duplicated_columns_are_handled():
    rng = np.random.default_rng(4)
    base = rng.standard_normal((50, 3))
    X = np.column_stack([base, np.full(50, 0.1), base[:, 0], np.zeros(50)])
    y = base @ np.array([1.0, 2.0, -1.0]) + 0.1 * rng.standard_normal(50)
    for penalty, a in PENALTIES:
        p = regviz.path(X, y, penalty=penalty, l1_ratio=a, n_lams=20)
        assert np.all(np.isfinite(p.coefs))
        assert np.all(p.coefs[:, [3, 5]] == 0)
        for lam, coef, b in zip(p.lams, p.coefs, p.intercepts, strict=True):
            assert kkt_violation(X, y, coef, b, lam=lam, a=a) <= 1e-9


def test_columns_with_large_means_keep_full_precision():
    rng = np.random.default_rng(5)
    X = rng.standard_normal((300, 4)) * [10.0, 1.0, 1e3, 1.0] + [1e6, 0.0, -1e8, 3.0]
    y = (X - X.mean(0)) @ np.array([1e3, 1.0, 1e-3, 0.5]) + rng.standard_normal(300)
    fit = regviz.fit(X, y, penalty="elasticnet", lam=0.05, l1_ratio=0.5)
    assert kkt_violation(X, y, fit.coef, fit.intercept, lam=0.05, a=0.5) <= 1e-9
    assert np.allclose(fit.coef, sklearn_fit(X, y, "elasticnet", 0.05, 0.5), rtol=1e-6)


def test_entry_lambdas_are_where_each_feature_leaves_zero(diabetes):
    X, y = diabetes
    for penalty, a in [("l1", 1.0), ("elasticnet", 0.5)]:
        p = regviz.path(X, y, penalty=penalty, l1_ratio=a, n_lams=30)
        entries = regviz.entry_lambdas(X, y, p)
        assert np.all(np.isfinite(entries))
        for j, lam in enumerate(entries):
            above = regviz.fit(X, y, penalty=penalty, lam=lam * (1 + 1e-9), l1_ratio=a)
            below = regviz.fit(X, y, penalty=penalty, lam=lam * (1 - 1e-6), l1_ratio=a)
            assert above.coef[j] == 0
            assert below.coef[j] != 0


def test_fallback_coordinate_descent_reaches_the_same_exact_answer(diabetes):
    from regviz.penalties import make_penalty
    from regviz.preprocessing import prepare
    from regviz.solvers import _robust, kkt_residual, solve_at

    X, y = diabetes
    problem = prepare(X, y)
    pen = make_penalty("elasticnet", 0.4)
    v = _robust(problem, pen, 3.0, np.zeros(problem.p))
    assert kkt_residual(problem, pen, 3.0, v) <= 1e-9
    assert np.allclose(v, solve_at(problem, pen, 3.0), atol=1e-10)


@pytest.mark.parametrize(
    ("X", "y", "words"),
    [
        (np.array([[1.0, np.nan], [2.0, 3.0], [3.0, 1.0]]), np.array([1.0, 2.0, 3.0]), "row 1"),
        (np.array([[1.0], [np.inf], [2.0]]), np.array([1.0, 2.0, 3.0]), "infinite"),
        (np.ones((3, 2)), np.array([1.0, 2.0]), "rows"),
        (np.ones((1, 2)), np.array([1.0]), "At least 2 rows"),
        (np.array([[1.0], [2.0], [3.0]]), np.array([1.0, np.nan, 3.0]), "y has"),
        (np.array([[1e200], [2.0], [3.0]]), np.array([1.0, 2.0, 3.0]), "1e150"),
    ],
)
def test_bad_data_raises_a_specific_data_error(X, y, words):
    with pytest.raises(DataError, match=words):
        regviz.fit(X, y, penalty="l1", lam=1.0)


def test_bad_settings_raise_data_error(diabetes):
    X, y = diabetes
    with pytest.raises(DataError, match="Unknown penalty"):
        regviz.fit(X, y, penalty="l3", lam=1.0)
    with pytest.raises(DataError, match="l1_ratio"):
        regviz.fit(X, y, penalty="elasticnet", lam=1.0, l1_ratio=1.5)
    with pytest.raises(DataError, match="lambda"):
        regviz.fit(X, y, penalty="l1", lam=-1.0)
    with pytest.raises(DataError, match="lambda"):
        regviz.path(X, y, penalty="l1", lams=[1.0, np.inf])


def test_sklearn_equivalent_names_the_estimator_and_converts_alpha():
    assert regviz.sklearn_equivalent("l1", 2.0, 1.0, 100) == (
        "Lasso", {"alpha": 1.0, "fit_intercept": True})
    assert regviz.sklearn_equivalent("l2", 2.0, 0.0, 100)[1]["alpha"] == 200.0
    name, params = regviz.sklearn_equivalent("elasticnet", 2.0, 0.5, 100)
    assert name == "ElasticNet"
    assert params["alpha"] == pytest.approx(1.5) and params["l1_ratio"] == pytest.approx(1 / 3)


def _design(draw, n, p):
    """A random design with optional duplicated, constant and near-collinear columns."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) * rng.uniform(0.1, 100, p) + rng.uniform(-50, 50, p)
    kind = draw(st.sampled_from(["plain", "duplicate", "constant", "collinear"]))
    if p >= 2 and kind == "duplicate":
        X[:, 1] = X[:, 0]
    elif kind == "constant":
        X[:, -1] = 7.5
    elif p >= 2 and kind == "collinear":
        X[:, 1] = X[:, 0] * 2.0 + 1e-6 * rng.standard_normal(n)
    w = rng.standard_normal(p) * (rng.random(p) < 0.5)
    y = X @ w + rng.standard_normal(n) * draw(st.sampled_from([0.0, 0.1, 10.0]))
    return X, y


@st.composite
def problems(draw):
    n = draw(st.integers(3, 40))
    p = draw(st.integers(1, 60))
    X, y = _design(draw, n, p)
    penalty, a = draw(st.sampled_from(PENALTIES))
    frac = draw(st.sampled_from([1.0, 0.5, 0.1, 0.02, 1e-3]))
    standardize = draw(st.booleans())
    return X, y, penalty, a, frac, standardize


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_kkt_holds_on_random_problems(case):
    X, y, penalty, a, frac, standardize = case
    assume(np.ptp(y) > 0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", regviz.ConvergenceWarning)
        top = regviz.lambda_max(X, y, penalty="l1", standardize=standardize)
        assume(top > 0)
        lam = top * frac
        fit = regviz.fit(X, y, penalty=penalty, lam=lam, l1_ratio=a, standardize=standardize)
    assert np.all(np.isfinite(fit.coef)) and np.isfinite(fit.intercept)
    viol = kkt_violation(X, y, fit.coef, fit.intercept, lam=lam, a=a, standardize=standardize)
    assert viol <= 1e-9


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_paths_are_finite_and_descending_on_random_problems(case):
    X, y, penalty, a, _, standardize = case
    assume(np.ptp(y) > 0)
    try:
        p = regviz.path(X, y, penalty=penalty, l1_ratio=a, n_lams=15, standardize=standardize)
    except DataError as err:  # only the documented "nothing to fit" case
        assert "uncorrelated" in str(err)
        return
    assert np.all(np.isfinite(p.coefs)) and np.all(np.diff(p.lams) < 0)
    assert np.all(p.kkt <= 1e-9)
