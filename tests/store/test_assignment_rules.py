"""app.store.assignment_rules: the refusals every store's assignments make, said once."""

from __future__ import annotations

import pytest

from app.store import AssignmentsFull, AttemptsUsedUp, StudentExists, StudentsFull, TooManyAttempts
from app.store.assignment_rules import AttemptsMade, Quota
from app.store.assignments import RATE_WINDOW_SECONDS, AssignmentLimits
from app.store.memory_assignments import MemoryAssignments

from .test_assignments import a_student


def test_the_rate_window_is_the_minute_before_the_attempt() -> None:
    assert Quota(None, 3, now=1000.0).window_start == 1000.0 - RATE_WINDOW_SECONDS


@pytest.mark.parametrize(
    ("quota", "made"),
    [
        (Quota(2, 5, now=1000.0), AttemptsMade(1, 4, 990.0)),
        (Quota(None, 5, now=1000.0), AttemptsMade(50, 4, 990.0)),
        (Quota(2, 1, now=1000.0), AttemptsMade(0, 0, None)),
    ],
    ids=["under both", "any number at a task", "none yet"],
)
def test_an_attempt_under_its_quota_is_taken(quota: Quota, made: AttemptsMade) -> None:
    quota.admit("Delta2", made)


def test_an_attempt_past_those_allowed_at_its_task_is_refused_first() -> None:
    with pytest.raises(AttemptsUsedUp, match="all 2 attempts .* at Delta2"):
        Quota(2, 3, now=1000.0).admit("Delta2", AttemptsMade(2, 3, 990.0))


def test_an_attempt_past_the_rate_says_when_the_oldest_leaves_the_window() -> None:
    with pytest.raises(TooManyAttempts, match="at most 3 submissions a minute") as refused:
        Quota(None, 3, now=1000.0).admit("Delta2", AttemptsMade(0, 3, 970.0))

    assert refused.value.retry_after == pytest.approx(RATE_WINDOW_SECONDS - 30)


def test_the_limits_refuse_the_assignment_and_the_student_past_them() -> None:
    rules = MemoryAssignments(limits=AssignmentLimits(max_assignments=2, max_students=3))

    rules._admit_assignment(1)
    rules._admit_student(a_student(), taken=False, joined=2)
    with pytest.raises(AssignmentsFull, match="maximum of 2 assignments"):
        rules._admit_assignment(2)
    with pytest.raises(StudentsFull, match="maximum of 3 students"):
        rules._admit_student(a_student(), taken=False, joined=3)
    with pytest.raises(StudentExists, match="s1001"):
        rules._admit_student(a_student(), taken=True, joined=0)
