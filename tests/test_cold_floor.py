"""The cold-class floor's ideal server (benchmarks/cold_floor.py): schedules worked by hand."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.cold_floor import Student, ideal_latencies, students_from


def test_two_views_at_once_on_two_cores_take_their_own_work_each():
    both = [Student(0.0, [1.0], []), Student(0.0, [1.0], [])]
    assert ideal_latencies(both, cores=2, per_view=1, policy="fifo") == [1.0, 1.0]
    # One view may use both cores: the first is done at 0.5 s, the second at 1 s.
    assert ideal_latencies(both, cores=2, per_view=2, policy="fifo") == [0.5, 1.0]


def test_least_remaining_work_first_lets_a_short_view_overtake():
    # One core; a 1 s view at 0, a 0.1 s view asked at 0.2 s, then the first student's
    # second view (2 s) after a 0.5 s pause.
    students = [Student(0.0, [1.0, 2.0], [0.5]), Student(0.2, [0.1], [])]
    fifo = ideal_latencies(students, cores=1, per_view=1, policy="fifo")
    srpt = ideal_latencies(students, cores=1, per_view=1, policy="srpt")
    assert fifo == pytest.approx([1.0, 0.9, 2.0])  # the short one waits until 1.0 s
    assert srpt == pytest.approx([0.1, 1.1, 2.0])  # the short one runs at once


def test_a_student_asks_again_only_after_the_pause_that_follows_an_answer():
    # Alone on the server, a student's views never wait: each latency is its work.
    alone = [Student(3.0, [0.4, 0.0, 1.2], [2.0, 5.0])]
    for policy in ("fifo", "srpt"):
        assert ideal_latencies(alone, cores=2, per_view=1, policy=policy) == pytest.approx(
            [0.4, 0.0, 1.2])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 5), st.lists(st.floats(0, 2), min_size=1, max_size=4)),
                min_size=1, max_size=6),
       st.sampled_from(["fifo", "srpt"]))
def test_no_view_is_answered_faster_than_its_work_on_all_cores(spec, policy):
    students = [Student(first, works, [1.0] * (len(works) - 1)) for first, works in spec]
    latencies = ideal_latencies(students, cores=2, per_view=2, policy=policy)
    assert len(latencies) == sum(len(w) for _, w in spec)
    assert min(latencies) >= -1e-9
    assert sum(latencies) >= sum(w for _, ws in spec for w in ws) / 2 - 1e-6


def test_an_unknown_policy_is_refused():
    with pytest.raises(ValueError, match="policy"):
        ideal_latencies([Student(0.0, [1.0], [])], cores=1, per_view=1, policy="lifo")


def test_students_from_a_timeline_keep_each_session_s_order_and_pauses():
    # (session, start, latency, page, view, failed), as benchmarks/load.py records them
    timeline = [(1, 0.5, 0.2, None, "a", False), (0, 0.0, 1.0, None, "b", False),
                (1, 3.0, 0.1, None, "c", False)]
    students = students_from(timeline, [0.3, 0.9, 0.05])
    by_first = {s.first: s for s in students}
    assert by_first[0.5].works == [0.3, 0.05]
    assert by_first[0.5].thinks == pytest.approx([2.3])  # 3.0 - (0.5 + 0.2)
    assert by_first[0.0].works == [0.9] and by_first[0.0].thinks == []
