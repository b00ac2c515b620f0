"""Every lesson page computes on an upload in a child process of the session, as the paths page
does: it finishes on a large table, shows a status line with its step and time limit, and its
results equal the same computation done in this process.  Built-in tables keep the shared cache.

Shapes: 2000 x 600 (the issue's wide table) wherever the page's computation on it takes a few
seconds (house lesson, sparsity zeros, the speed table, geometry's pair).  The twins bootstrap
refits 20 resamples with CV (23 s at 2000 x 600, and a test computes it twice), so it gets
2000 x 200 (also 20 resamples) to keep each test under about 30 s.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from regviz import experiments as ex
from regviz import house
from regviz.geometry_logistic import picture
from tests.apptest import charts, run_page
from ui import offload, upload_work
from ui.datasets import UPLOAD, UPLOAD_KEY, Choice, as_regression, builtin_choice


def _wide(n: int, p: int, seed: int = 3, classes: bool = False) -> Choice:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    X[:, 1] = X[:, 0] + 0.1 * rng.standard_normal(n)  # a correlated pair
    y = X[:, :10] @ rng.uniform(1, 2, 10) + rng.standard_normal(n)
    if classes:
        return Choice(UPLOAD, "wide.csv", X, (y > np.median(y)).astype(float),
                      [f"g{j}" for j in range(p)], "sick", "", [], task="classification",
                      classes=("no", "yes"))
    return Choice(UPLOAD, "wide.csv", X, y, [f"g{j}" for j in range(p)], "y", "", [])


def _close(a, b) -> bool:
    """Floats equal to 1e-6 relative, exact zeros exactly where the other has them.

    Not bitwise: the child computes with one BLAS thread, and this process may use
    several (CI does not set OPENBLAS_NUM_THREADS), which changes the last bits; the
    overfitting demo's interpolating fits (205 terms, 200 rows) amplify that to 1e-8.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape or not np.array_equal(a == 0.0, b == 0.0):
        return False
    # The scale of the finite values: an inf anywhere in ``a`` would make
    # the absolute tolerance infinite and the comparison vacuous.
    scale = max(float(np.max(np.abs(a[np.isfinite(a)]), initial=0.0)), 1.0)
    return bool(np.allclose(a, b, rtol=1e-6, atol=1e-10 * scale, equal_nan=True))


def _same(a, b) -> bool:
    """Equal results: float arrays and floats by :func:`_close`, the rest exactly, recursively."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        if a.dtype.kind in "fc":
            return _close(a, b)
        return bool(np.array_equal(a, b))
    if isinstance(a, float) and isinstance(b, float):
        return _close(a, b)
    if isinstance(a, pd.DataFrame | pd.Series):
        return a.equals(b)
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        return type(a) is type(b) and all(
            _same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _memo(at, name: str):
    """The result the page computed privately under a key starting with ``name``."""
    memo = at.session_state[offload.PRIVATE_MEMO]
    found = [value for key, value in memo.items() if key[0] == name]
    assert len(found) == 1, list(memo)
    return found[0]


def _finished_in_a_child(at, words: str) -> None:
    """No error, and a completed status line that names the computation and its time."""
    assert not at.exception and not at.error, [e.value for e in [*at.exception, *at.error]]
    labels = [s.label for s in at.status]
    assert any(words in label and "done in" in label for label in labels), labels


@pytest.fixture(autouse=True)
def _children(monkeypatch):
    monkeypatch.setenv("REGVIZ_WORKERS", "2")


# --------------------------------------------------------------------------- the identity


def test_is_upload_is_true_only_for_the_sessions_table():
    assert _wide(50, 12).is_upload
    assert not builtin_choice("diabetes").is_upload


def test_a_builtin_table_is_named_by_key_seed_and_size_and_an_upload_by_its_content():
    assert builtin_choice("sparse_truth", 4).data_id != builtin_choice("sparse_truth", 5).data_id
    assert builtin_choice("diabetes", 4).data_id.startswith("diabetes:")
    one, same = _wide(50, 12), _wide(50, 12)
    assert one is not same and one.data_id == same.data_id
    changed = dataclasses.replace(one, y=one.y + 1e-12 * (np.arange(50) == 7))
    assert changed.data_id != one.data_id
    renamed = dataclasses.replace(one, feature_names=[*one.feature_names[:-1], "other"])
    assert renamed.data_id != one.data_id
    reshaped = dataclasses.replace(one, X=one.X.reshape(100, 6), y=np.zeros(100))
    assert reshaped.data_id != dataclasses.replace(one, y=np.zeros(100)).data_id


def test_the_identity_is_computed_once_and_kept_by_the_regression_copy():
    choice = _wide(60, 12, classes=True)
    first = choice.data_id
    assert choice.__dict__["data_id"] is first  # cached on the object
    assert as_regression(choice).data_id == first


def test_the_status_line_states_the_step_and_the_time_limit():
    label = offload.running_label("Fitting", ": folds (40%)", 12.4, 90.0)
    assert "Fitting: folds (40%)" in label and "12 s" in label and "90 s" in label


# --------------------------------------------------------------------------- the pages


def test_house_lesson_on_a_2000_by_600_upload_runs_in_a_child_and_equals_the_direct_fit():
    choice = _wide(2000, 600)
    at = run_page("house-prices", query={"dataset": "upload"}, **{UPLOAD_KEY: choice})
    _finished_in_a_child(at, "fitting L1")
    comparison, scaling = _memo(at, "house_lesson")
    direct = upload_work.house_lesson(choice.X, choice.y, list(choice.feature_names), "y", 0)
    assert _same(comparison, direct[0]) and _same(scaling, direct[1])
    assert _same(comparison, house.your_lesson(choice.X, choice.y,
                                               list(choice.feature_names), "y", 0)[0])
    overfit = _memo(at, "house_overfit")
    assert _same(overfit, upload_work.house_overfit(choice.X, choice.y,
                                                    list(choice.feature_names), "y", 0,
                                                    overfit.n_train))


def test_sparsity_zeros_on_a_2000_by_600_upload_runs_in_a_child_and_equals_the_direct_count():
    choice = _wide(2000, 600)
    at = run_page("sparsity", query={"dataset": "upload"}, **{UPLOAD_KEY: choice})
    _finished_in_a_child(at, "Counting exact zeros")
    _finished_in_a_child(at, "fits your 2,000 x 600 table equally well")
    counts, sizes = _memo(at, "sparsity_zeros"), _memo(at, "sparsity_sizes")
    a = counts.l1_ratio  # the page's mixing a, as the page passed it
    assert _same(counts, ex.zeros_vs_lambda(choice.X, choice.y, l1_ratio=a))
    assert _same(sizes, ex.matched_magnitudes(choice.X, choice.y, l1_ratio=a))


def test_sparsity_twins_on_an_upload_runs_in_a_child_and_equals_the_direct_bootstrap():
    choice = _wide(2000, 200)
    at = run_page("sparsity", query={"dataset": "upload", "lab": "twins"},
                  **{UPLOAD_KEY: choice, "twins_source": "sidebar"})
    _finished_in_a_child(at, "bootstrap resamples")
    boot = _memo(at, "sparsity_twins")
    key = next(k for k in at.session_state[offload.PRIVATE_MEMO] if k[0] == "sparsity_twins")
    _, _, a, standardize, seed = key
    direct = ex.bootstrap_selection(choice.X, choice.y, list(choice.feature_names), l1_ratio=a,
                                    standardize=standardize, seed=seed,
                                    n_boot=ex.resamples_for(1000, 150))
    assert _same(boot, direct)


def test_speed_table_on_an_upload_is_timed_in_a_child_with_the_direct_sweeps():
    choice = _wide(2000, 600)
    at = run_page("zeros-made", query={"dataset": "upload", "part": "speed"},
                  **{UPLOAD_KEY: choice})
    _finished_in_a_child(at, "Timing coordinate descent")
    rows = _memo(at, "zeros_speed")
    direct = upload_work.speed_rows(choice.X, choice.y)
    timeless = ("level", "lam_l1", "lam_l2", "train_mse", "nonzero_l1")
    assert _same([[getattr(r, f) for f in timeless] + [r.l1.sweeps, r.l2.sweeps] for r in rows],
                 [[getattr(r, f) for f in timeless] + [r.l1.sweeps, r.l2.sweeps] for r in direct])


def test_geometry_logistic_view_on_a_2000_by_600_upload_runs_in_a_child():
    choice = _wide(2000, 600, classes=True)
    at = run_page("geometry", query={"dataset": "upload", "gdata": "table"},
                  **{UPLOAD_KEY: choice})
    _finished_in_a_child(at, "Fitting logistic regression along λ")
    _finished_in_a_child(at, "Drawing the log-loss contours")
    Z, y01, lams, start = _memo(at, "geo_logistic_setup")
    columns = [at.session_state["geo_f1"], at.session_state["geo_f2"]]
    X2 = choice.X[:, [choice.feature_names.index(c) for c in columns]]
    assert _same((Z, y01, lams, start), upload_work.logistic_pair_setup(X2, choice.y))
    assert _same(_memo(at, "geo_logistic_picture"), picture(Z, y01, float(lams[start])))


def test_no_page_draws_a_stray_module_level_string():
    # Streamlit's magic writes a bare string statement of a page script onto the page.
    import ast
    from pathlib import Path

    pages = Path(__file__).resolve().parents[1] / "pages"
    for page in sorted(pages.glob("*.py")):
        body = ast.parse(page.read_text()).body[1:]  # after the docstring
        strays = [node.lineno for node in body if isinstance(node, ast.Expr)
                  and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)]
        assert not strays, (page.name, strays)


def test_geometry_least_squares_on_a_2000_by_600_upload_draws_in_process_with_content_keys():
    # Two columns reduce to a 2 x 2 problem after one pass: computed here, no child, but the
    # figures are kept in this session under the upload's content identity.
    choice = _wide(2000, 600)
    at = run_page("geometry", query={"dataset": "upload", "gdata": "table"},
                  **{UPLOAD_KEY: choice})
    assert not at.exception and not at.error
    assert offload.PRIVATE_MEMO not in at.session_state  # no child was started
    assert {"geo_constraint", "geo_compare", "geo_3d", "geo_lq"} <= set(charts(at))
    memo = at.session_state["_figure_memo"]
    assert memo and all(key[0][:2] == ("table", choice.data_id) for _name, key in memo)
