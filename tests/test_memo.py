"""ui/memo.py: items shared by many cache keys are computed once, in one batch."""

from __future__ import annotations

import pytest

from ui import memo


def test_only_missing_items_are_computed_in_one_batch_in_order() -> None:
    calls: list[list] = []

    def square(missing):
        calls.append(list(missing))
        return [k * k for k in missing]

    assert memo.batch("t_square", [3, 1, 2], square) == [9, 1, 4]
    assert memo.batch("t_square", [2, 3, 4, 5], square) == [4, 9, 16, 25]
    assert memo.batch("t_square", [5, 1], square) == [25, 1]
    assert calls == [[3, 1, 2], [4, 5]]


def test_repeated_keys_are_computed_once_and_returned_each_time() -> None:
    calls: list[list] = []

    def ident(missing):
        calls.append(list(missing))
        return list(missing)

    assert memo.batch("t_repeat", [7, 7, 8], ident) == [7, 7, 8]
    assert calls == [[7, 8]]


def test_a_batch_that_returns_the_wrong_number_of_values_is_refused() -> None:
    with pytest.raises(ValueError, match="2 items asked, 1 computed"):
        memo.batch("t_short", [1, 2], lambda missing: [0])


def test_the_store_stays_bounded_and_still_answers_every_key() -> None:
    got = memo.batch("t_bounded", list(range(10)), lambda m: [-k for k in m], max_entries=4)
    assert got == [-k for k in range(10)]
    assert len(memo._store("t_bounded")) == 4


def test_stores_with_different_names_do_not_mix() -> None:
    memo.batch("t_a", [1], lambda m: ["a"])
    assert memo.batch("t_b", [1], lambda m: ["b"]) == ["b"]
