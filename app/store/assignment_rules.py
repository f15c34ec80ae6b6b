"""The rules every store's assignments keep, whatever holds them: written once, here.

A store's `assignments` derives from `AssignmentRules` and keeps only the records: it counts
what a rule needs (assignments kept, students joined, a student's attempts) inside its own
transaction (a lock, a SQLite transaction, a Lua script) and lets the rule refuse. The rules
say the limits (`AssignmentLimits`), when an assignment has expired, and when an attempt is
refused (AttemptsUsedUp, TooManyAttempts, with the wait the student is told).
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Required, TypedDict, Unpack

from .assignments import (
    RATE_WINDOW_SECONDS,
    AssignmentLimits,
    AssignmentsFull,
    Attempt,
    AttemptsUsedUp,
    Student,
    StudentExists,
    StudentsFull,
    TooManyAttempts,
    number_key,
)


@dataclass(frozen=True)
class AttemptsMade:
    """What a store counted of one student's attempts before recording another."""

    at_task: int
    """At the task of the new attempt."""
    recent: int
    """Within the rate window (since `Quota.window_start`)."""
    oldest_recent: float | None
    """Unix time of the oldest of those (None when there is none)."""


@dataclass(frozen=True)
class Quota:
    """How many attempts a student may make: `allowed` at each task (None: any number), and
    `per_minute` within RATE_WINDOW_SECONDS; `now` is when the new attempt is recorded."""

    allowed: int | None
    per_minute: int
    now: float

    @property
    def window_start(self) -> float:
        """The attempts made after this Unix time count against `per_minute`."""
        return self.now - RATE_WINDOW_SECONDS

    def admit(self, task: str, made: AttemptsMade) -> None:
        """AttemptsUsedUp when `allowed` were made at `task` already, TooManyAttempts (saying
        when to try again) when `per_minute` were made within the window; else nothing."""
        if self.allowed is not None and made.at_task >= self.allowed:
            raise AttemptsUsedUp(task, self.allowed)
        if made.recent >= self.per_minute:
            oldest = self.now if made.oldest_recent is None else made.oldest_recent
            raise TooManyAttempts(self.per_minute, oldest + RATE_WINDOW_SECONDS - self.now)


class RulesSettings(TypedDict, total=False):
    """The keywords every store's assignments take."""

    limits: Required[AssignmentLimits]
    clock: Callable[[], float]
    """Unix time now (`time.time`)."""


class AssignmentRules(ABC):
    """An AssignmentStore's limits and refusals, the same in every store."""

    def __init__(self, **settings: Unpack[RulesSettings]) -> None:
        self.limits = settings["limits"]
        self._clock = settings.get("clock", time.time)

    def _cutoff(self) -> float:
        """The last-write time before which an assignment has expired."""
        return self._clock() - self.limits.ttl_seconds

    def _admit_assignment(self, kept: int) -> None:
        """AssignmentsFull when `kept` live assignments are as many as the limit."""
        if kept >= self.limits.max_assignments:
            raise AssignmentsFull(self.limits.max_assignments)

    def _admit_student(self, student: Student, *, taken: bool, joined: int) -> None:
        """StudentExists when the student's number is `taken`, StudentsFull when `joined`
        students are as many as the limit."""
        if taken:
            raise StudentExists(student.number)
        if joined >= self.limits.max_students:
            raise StudentsFull(self.limits.max_students)

    def add_attempt(
        self,
        assignment_id: str,
        number: str,
        attempt: Attempt,
        *,
        allowed: int | None,
        per_minute: int,
    ) -> int:
        """Records the attempt, stamped now and with the student's number key, unless the
        quota refuses it (see AssignmentStore.add_attempt); the count at its task."""
        quota = Quota(allowed, per_minute, self._clock())
        stamped = replace(attempt, at=quota.now, number=number_key(number))
        return self._record_attempt(assignment_id, number, stamped, quota)

    @abstractmethod
    def _record_attempt(
        self, assignment_id: str, number: str, attempt: Attempt, quota: Quota
    ) -> int:
        """In one step: counts the student's attempts (StudentNotFound, AssignmentNotFound),
        lets `quota.admit` refuse, records `attempt` and says how many are at its task."""
