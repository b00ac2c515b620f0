"""Moving elastic net's a refits elastic net alone, and the results stay exact."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from regviz.experiments import forget_parts, recovery_sweep, support_recovery, who_wins
from regviz.experiments._common import PenaltyParts, penalty_key

# The package's names shadow its modules (``regviz.experiments.who_wins`` is the function).
who_wins_module = importlib.import_module("regviz.experiments.who_wins")
recovery = importlib.import_module("regviz.experiments.recovery")
twins = importlib.import_module("regviz.experiments.twins")

CONTEST = dict(n=40, p=8, k=3, repeats=3, n_test=200, n_lams=10, seed=11)
RECOVERY = dict(n=30, p=40, k=4, repeats=2, n_lams=8, cv_folds=3, seed=5)


@pytest.fixture(autouse=True)
def _empty_memos():
    forget_parts()
    yield
    forget_parts()


def _counting(monkeypatch, module) -> list[str]:
    """The penalty of every path fitted through ``module.path_on``."""
    fitted: list[str] = []
    original = module.path_on

    def path_on(problem, pen, grid, *args, **kwargs):
        fitted.append(type(pen).__name__)
        return original(problem, pen, grid, *args, **kwargs)

    monkeypatch.setattr(module, "path_on", path_on)
    return fitted


def _same_contest(a, b) -> bool:
    return all(np.array_equal(a.errors[t][p], b.errors[t][p])
               for t in a.errors for p in a.errors[t])


def test_the_contest_at_another_a_fits_only_elastic_net_and_equals_a_fresh_run(monkeypatch):
    fitted = _counting(monkeypatch, who_wins_module)
    who_wins(l1_ratio=0.5, **CONTEST)
    assert set(fitted) == {"L1", "L2", "ElasticNet"}
    fitted.clear()
    moved = who_wins(l1_ratio=0.8, **CONTEST)
    assert fitted and set(fitted) == {"ElasticNet"}
    who_wins_module._PARTS.clear()
    assert _same_contest(moved, who_wins(l1_ratio=0.8, **CONTEST))
    assert moved.l1_ratio == 0.8


def test_the_contest_at_another_seed_or_setting_fits_everything_again(monkeypatch):
    fitted = _counting(monkeypatch, who_wins_module)
    who_wins(l1_ratio=0.5, **CONTEST)
    fitted.clear()
    who_wins(l1_ratio=0.5, **dict(CONTEST, seed=12))
    assert set(fitted) == {"L1", "L2", "ElasticNet"}
    fitted.clear()
    who_wins(l1_ratio=0.5, noise=2.0, **CONTEST)
    assert set(fitted) == {"L1", "L2", "ElasticNet"}


def _same_recovery(a, b) -> bool:
    same = all(np.array_equal(getattr(a, f)[p], getattr(b, f)[p], equal_nan=True)
               for f in ("true_kept", "false_kept", "precision", "recall") for p in a.true_kept)
    for pen in a.cv:
        for rule, choice in a.cv[pen].items():
            other = b.cv[pen][rule]
            same &= all(np.array_equal(getattr(choice, f), getattr(other, f))
                        for f in ("lams", "fractions", "true_kept", "false_kept"))
    return same


def test_recovery_at_another_a_fits_only_elastic_net_and_equals_a_fresh_run(monkeypatch):
    fitted = _counting(monkeypatch, recovery)
    support_recovery(l1_ratio=0.5, **RECOVERY)
    assert set(fitted) == {"L1", "ElasticNet"}
    fitted.clear()
    moved = support_recovery(l1_ratio=0.2, **RECOVERY)
    assert fitted and set(fitted) == {"ElasticNet"}
    recovery._PARTS.clear()
    fresh = support_recovery(l1_ratio=0.2, **RECOVERY)
    assert _same_recovery(moved, fresh) and moved.l1_ratio == 0.2
    assert "a = 0.2" in moved.caption()


def test_the_recovery_sweep_shares_l1_across_a_too(monkeypatch):
    fitted = _counting(monkeypatch, recovery)
    kwargs = dict(n=30, p=40, k=4, repeats=1, n_lams=6, seed=3)
    recovery_sweep("noise", [0.5, 2.0], l1_ratio=0.5, **kwargs)
    fitted.clear()
    moved = recovery_sweep("noise", [0.5, 2.0], l1_ratio=0.9, **kwargs)
    assert fitted and set(fitted) == {"ElasticNet"}
    recovery._PARTS.clear()
    fresh = recovery_sweep("noise", [0.5, 2.0], l1_ratio=0.9, **kwargs)
    assert all(np.array_equal(moved.best_f1[p], fresh.best_f1[p]) for p in fresh.best_f1)


@pytest.mark.parametrize("fresh", [False, True])
def test_the_simulated_twins_at_another_a_refit_only_elastic_net(monkeypatch, fresh):
    cross_validated: list[str] = []
    original = twins.cross_validate

    def cross_validate(X, y, *, penalty, **kwargs):
        cross_validated.append(penalty)
        return original(X, y, penalty=penalty, **kwargs)

    monkeypatch.setattr(twins, "cross_validate", cross_validate)
    first = twins.simulated_twins(60, fresh=fresh, l1_ratio=0.5, seed=4)
    assert cross_validated == ["l1", "l2", "elasticnet"]
    cross_validated.clear()
    moved = twins.simulated_twins(60, fresh=fresh, l1_ratio=0.3, seed=4)
    assert cross_validated == ["elasticnet"]
    twins._PARTS.clear()
    again = twins.simulated_twins(60, fresh=fresh, l1_ratio=0.3, seed=4)
    for pen in ("l1", "l2", "elasticnet"):
        assert np.array_equal(moved.effects[pen], again.effects[pen])
        assert moved.lams[pen] == again.lams[pen]
    assert np.array_equal(first.effects["l1"], moved.effects["l1"])
    assert moved.l1_ratio == 0.3 and moved.fresh is fresh and moved.pair == again.pair


def test_a_table_s_bootstrap_is_not_memoized():
    """A table may be someone's upload: nothing computed from its rows is kept."""
    X = np.random.default_rng(0).standard_normal((40, 3))
    y = X @ np.array([1.0, 0.0, -1.0])
    twins.bootstrap_selection(X, y, ["a", "b", "c"], n_boot=10, seed=1)
    assert not twins._PARTS.parts


def test_a_memoized_part_cannot_be_changed_through_a_result():
    contest = who_wins(l1_ratio=0.5, **CONTEST)
    with pytest.raises(ValueError):
        contest.errors["sparse"]["l1"][0] = 0.0
    support_recovery(l1_ratio=0.5, **RECOVERY)  # its results are computed from copies
    for counts in recovery._PARTS.parts.values():
        arrays = [counts.tp, counts.fp, *counts.chosen.values()]
        assert arrays and not any(array.flags.writeable for array in arrays)


def test_a_bad_a_is_still_a_data_error_after_l1_and_l2_are_memoized():
    from regviz import DataError

    who_wins(l1_ratio=0.5, **CONTEST)
    with pytest.raises(DataError):
        who_wins(l1_ratio=1.5, **CONTEST)


def test_forget_parts_empties_every_experiment_s_memo():
    who_wins(l1_ratio=0.5, **CONTEST)
    support_recovery(l1_ratio=0.5, **RECOVERY)
    twins.simulated_twins(40, seed=1)
    assert all(m.parts for m in (who_wins_module._PARTS, recovery._PARTS, twins._PARTS))
    forget_parts()
    assert not any(m.parts for m in (who_wins_module._PARTS, recovery._PARTS, twins._PARTS))


def test_the_memo_keeps_a_bounded_number_of_parts_most_recent_last():
    parts = PenaltyParts(entries=2)
    parts.put("a", 1)
    parts.put("b", 2)
    assert parts.get("a") == 1  # used: now the most recent
    parts.put("c", 3)
    assert parts.get("b") is None and parts.get("a") == 1 and parts.get("c") == 3
    assert penalty_key("l1", 0.3) == penalty_key("l1", 0.9)
    assert penalty_key("elasticnet", 0.3) != penalty_key("elasticnet", 0.9)
