"""Penalty objects: the values students compute by hand, the coordinate step, the mapping."""

from __future__ import annotations

import numpy as np
import pytest

from regviz import DataError
from regviz.penalties import L1, L2, ElasticNet, make_penalty


def test_l1_is_the_sum_of_absolute_values_not_the_absolute_value_of_the_sum():
    w = np.array([3.0, -3.0])
    assert L1().value(w) == 6.0  # |sum w| would be 0


def test_l2_is_the_squared_norm_not_the_norm():
    w = np.array([3.0, 4.0])
    assert L2().value(w) == 25.0  # the norm would be 5


def test_elastic_net_mixes_the_two():
    w = np.array([1.0, -2.0])
    assert ElasticNet(0.25).value(w) == pytest.approx(0.25 * 3 + 0.75 * 5)


@pytest.mark.parametrize("a", [0.0, 0.3, 1.0])
@pytest.mark.parametrize(("r", "h", "lam"), [(2.0, 1.0, 1.0), (-0.3, 1.0, 1.0), (5.0, 0.5, 4.0),
                                             (0.5, 2.0, 0.9), (-7.0, 1.3, 3.0)])
def test_coordinate_step_is_the_exact_one_dimensional_minimizer(a, r, h, lam):
    pen = ElasticNet(a)
    best = pen.prox_1d(r, h, lam)
    grid = np.linspace(best - 1, best + 1, 20001)
    values = h * grid**2 - 2 * r * grid + lam * (a * np.abs(grid) + (1 - a) * grid**2)
    assert h * best**2 - 2 * r * best + lam * pen.value(np.array([best])) <= values.min() + 1e-12


def test_soft_thresholding_gives_exact_zero_inside_the_threshold():
    assert L1().prox_1d(0.49, 1.0, 1.0) == 0.0
    assert L1().prox_1d(-0.5, 1.0, 1.0) == 0.0
    assert L1().prox_1d(0.75, 1.0, 1.0) == pytest.approx(0.25)


def test_subdifferential_distance_is_zero_at_a_zero_inside_the_band_and_positive_outside():
    pen = L1()
    assert pen.subdiff_distance(np.array([0.0]), np.array([0.9]), 1.0)[0] == 0.0
    assert pen.subdiff_distance(np.array([0.0]), np.array([1.5]), 1.0)[0] == pytest.approx(0.5)
    # A non-zero coordinate needs its gradient to balance lam * sign exactly.
    assert pen.subdiff_distance(np.array([2.0]), np.array([-1.0]), 1.0)[0] == 0.0


def test_alpha_max_is_infinite_without_an_l1_part():
    assert L2().alpha_max(np.array([1.0, -3.0])) == np.inf
    assert ElasticNet(0.5).alpha_max(np.array([1.0, -3.0])) == 6.0


def test_generalized_support_of_ridge_is_everything():
    assert L2().generalized_support(np.zeros(3)).all()
    assert list(L1().generalized_support(np.array([0.0, 1.0]))) == [False, True]


def test_make_penalty_accepts_names_and_aliases_and_rejects_others():
    assert make_penalty("lasso") == L1()
    assert make_penalty("Ridge") == L2()
    assert make_penalty("elastic-net", 0.3).a == 0.3
    with pytest.raises(DataError):
        make_penalty("l0")
    with pytest.raises(DataError):
        make_penalty("elasticnet", -0.1)


@pytest.mark.parametrize("pen", [L1(), L2(), ElasticNet(0.0), ElasticNet(0.4), ElasticNet(1.0)])
def test_ridge_special_case_is_the_penalty_without_corners(pen):
    # The properties the solver asks must agree with what the penalty does: without an L1
    # part no coefficient is thresholded to zero and no finite lambda zeroes them all.
    zero = np.zeros(3)
    assert pen.is_smooth == (not pen.has_l1_part)
    assert pen.is_smooth == bool(pen.generalized_support(zero).all())
    assert pen.is_smooth == np.isinf(pen.alpha_max(np.array([1.0, -2.0, 0.5])))
    assert pen.has_l1_part == (pen.prox_1d(0.1, 1.0, 1.0) == 0.0)  # inside the threshold
    assert pen.is_pure_l1 == (pen.value(np.array([1.0, -2.0])) == 3.0)  # sum|w| exactly


@pytest.mark.parametrize(("pen", "estimator"), [(L1(), "Lasso"), (L2(), "Ridge"),
                                                (ElasticNet(0.3), "ElasticNet")])
def test_sklearn_call_builds_the_estimator_of_the_mapping(pen, estimator):
    sklearn = pytest.importorskip("sklearn.linear_model")
    lam, n = 0.0123456, 37
    call = pen.sklearn_call(lam, n)
    assert call.startswith(estimator + "(")
    built = eval(call, {estimator: getattr(sklearn, estimator)})  # the string a student types
    name, params = pen.sklearn_equivalent(lam, n)
    assert type(built).__name__ == name
    for key, value in params.items():
        assert built.get_params()[key] == pytest.approx(value, rel=1e-3)  # four digits


def test_labels_come_from_the_classes_and_the_figures_use_them():
    from regviz.figures.style import PENALTY_LABELS
    from regviz.penalties import PENALTY_CLASSES, PENALTY_NAMES

    assert set(PENALTY_CLASSES) == set(PENALTY_NAMES) == set(PENALTY_LABELS)
    for name, cls in PENALTY_CLASSES.items():
        pen = make_penalty(name)
        assert type(pen) is cls and pen.name == name
        assert PENALTY_LABELS[name] == pen.label
        assert pen.label.startswith(pen.short_label)
    assert len({cls.label for cls in PENALTY_CLASSES.values()}) == 3
