"""The paths page's download files of a built-in table are written once and shared: the shared
copy must be byte for byte what the page would write afresh, and any input that changes a file
must change the key it is shared under."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from regviz.paths import explore
from regviz.paths_logistic import explore_logistic
from ui import downloads
from ui.datasets import builtin_choice


def _explore(choice, penalty="l1", seed=0, standardize=True):
    run = explore_logistic if choice.classifies else explore
    return run(choice.X, choice.y, list(choice.feature_names), penalty=penalty, l1_ratio=0.5,
               standardize=standardize, seed=seed)


def _lam(ex) -> float:
    return float(ex.path.lams[ex.cv.idx_1se])


def test_shared_files_equal_files_written_afresh():
    for key in ("house_prices", "breast_cancer"):
        choice = builtin_choice(key, 0)
        ex = _explore(choice)
        lam = _lam(ex)
        fresh = downloads._files(choice, ex, lam)
        shared = downloads._shared_files(downloads._files_key(choice, ex, lam),
                                         lambda c=choice, e=ex, x=lam: downloads._files(c, e, x))
        again = downloads._shared_files(downloads._files_key(choice, ex, lam),
                                        lambda: (_ for _ in ()).throw(AssertionError("rewritten")))
        assert again is shared
        assert shared[1] == fresh[1] and shared[0] == fresh[0]
        assert shared[2] == fresh[2]  # every file, byte for byte


def test_the_shared_coefficients_are_the_fit_on_all_rows_at_that_lambda():
    """The coefficient file holds the full-data fit at λ: its KKT conditions hold on all rows."""
    choice = builtin_choice("diabetes", 0)
    ex = _explore(choice, penalty="l1")
    lam = _lam(ex)
    _, _, files = downloads._shared_files(downloads._files_key(choice, ex, lam),
                                          lambda: downloads._files(choice, ex, lam))
    table = pd.read_csv(io.BytesIO(files["coef"]))
    coef = dict(zip(table.iloc[:, 0], table.iloc[:, 1], strict=True))
    w = np.array([coef[name] for name in choice.feature_names], dtype=float)
    b = coef[next(k for k in coef if "intercept" in str(k).lower())]
    X, y = np.asarray(choice.X, float), np.asarray(choice.y, float)
    mu, sd = X.mean(axis=0), X.std(axis=0)
    z, ws = (X - mu) / sd, w * sd  # the objective is on standardized features
    grad = -2.0 / len(y) * z.T @ (y - b - X @ w)
    on = ws != 0
    assert on.any() and (~on).any()
    np.testing.assert_allclose(grad[on], -lam * np.sign(ws[on]), rtol=1e-3, atol=1e-3 * lam)
    assert np.all(np.abs(grad[~on]) <= lam * (1 + 1e-3))


def test_every_input_of_the_files_changes_their_key():
    choice = builtin_choice("sparse_truth", 0)
    ex = _explore(choice)
    lam = _lam(ex)
    key = downloads._files_key(choice, ex, lam)
    other_lam = float(ex.path.lams[ex.cv.idx_min])
    assert other_lam != lam
    variants = [
        downloads._files_key(choice, ex, other_lam),
        downloads._files_key(choice, _explore(choice, seed=1), lam),   # another split: path
        downloads._files_key(choice, _explore(choice, penalty="elasticnet"), lam),
        downloads._files_key(choice, _explore(choice, standardize=False), lam),
        downloads._files_key(builtin_choice("sparse_truth", 1), ex, lam),  # another draw
        downloads._files_key(builtin_choice("dense_truth", 0), ex, lam),
    ]
    assert all(v != key for v in variants)
    assert len(set(variants)) == len(variants)
    assert downloads._files_key(choice, ex, lam) == key  # and only those
