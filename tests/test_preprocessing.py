"""The Gram-space problem equals what the standardized matrix would give, digit for digit."""

from __future__ import annotations

import numpy as np
import pytest

from regviz import DataError
from regviz.preprocessing import prepare
from tests.oracle import standardized


def _direct(X, y, standardize=True):
    Z, sd, free = standardized(X, standardize)
    n = len(y)
    return Z.T @ Z / n, Z.T @ (y - y.mean()) / n, sd, free


@pytest.mark.parametrize("standardize", [True, False])
def test_gram_and_correlations_match_the_standardized_matrix(standardize):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((500, 6)) * [1, 10, 1e3, 0.1, 5, 2] + [0, 1e4, -3, 7, 1e6, 0]
    y = rng.standard_normal(500) + 1e5
    problem = prepare(X, y, standardize=standardize)
    G, c, sd, free = _direct(X, y, standardize)
    assert np.allclose(problem.gram, G, rtol=1e-9, atol=1e-12 * np.abs(G).max())
    assert np.allclose(problem.corr, c, rtol=1e-9, atol=1e-12 * np.abs(c).max())
    assert np.array_equal(problem.free, free)


def test_constant_columns_are_detected_exactly_even_with_rounding_in_the_mean():
    X = np.column_stack([np.full(100_001, 0.1), np.arange(100_001.0)])
    problem = prepare(X, np.arange(100_001.0) * 2)
    assert list(problem.free) == [False, True]
    assert np.all(problem.gram[0] == 0) and problem.corr[0] == 0


def test_to_original_inverts_the_scaling():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((50, 3)) * [2, 3, 4] + [1, 2, 3]
    y = rng.standard_normal(50)
    problem = prepare(X, y)
    v = np.array([1.0, -2.0, 0.5])
    w, b = problem.to_original(v)
    Z, sd, _ = standardized(X)
    assert np.allclose(X @ w + b, Z @ v + y.mean())


def test_training_mse_from_the_gram_equals_the_residuals():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((80, 4))
    y = rng.standard_normal(80)
    problem = prepare(X, y)
    v = rng.standard_normal(4)
    w, b = problem.to_original(v)
    assert problem.mse(v) == pytest.approx(np.mean((y - b - X @ w) ** 2), rel=1e-10)


def test_non_numeric_input_raises_data_error():
    with pytest.raises(DataError, match="numeric"):
        prepare([["a", "b"], ["c", "d"]], [1, 2])
