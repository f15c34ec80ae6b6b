"""Assignments as every store keeps them: the lecturer's settings, each student's work and
each graded attempt, the errors they raise, and the contract a store's `assignments` keeps.

An assignment lives beside the sessions, in the same store (memory, SQLite or Redis), and is
reached through `store.assignments` (an AssignmentStore). It, its students and their attempts
go together: deleted together, and expired together `AssignmentLimits.ttl_seconds` after the
assignment was last written to (created, changed, joined, stepped or submitted to).
"""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import orjson

TOKEN_BYTES = 24
"""Random bytes in a lecturer's or a student's token: 192 bits (at least 128 are asked for)."""

RATE_WINDOW_SECONDS = 60.0
"""The window over which a student's submissions are counted against their rate limit."""


def new_token() -> str:
    """An unguessable token (192 bits from `secrets`, 32 URL-safe characters)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> str:
    """The SHA-256 of a token, in hex: what a store keeps of it, never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


def number_key(number: str) -> str:
    """How a student number is told apart from the others: trimmed and case-folded, so that
    `s123` typed on one device and `S123` on another are the same student."""
    return number.strip().casefold()


@dataclass(frozen=True)
class AssignmentLimits:
    """How long a store keeps an assignment after its last write, and how many it keeps."""

    ttl_seconds: float = 180 * 24 * 3600.0
    max_assignments: int = 1000
    max_students: int = 2000
    """Most students who may join one assignment."""


DEFAULT_LIMITS = AssignmentLimits()


@dataclass(frozen=True)
class Assignment:
    """What a lecturer set: the network template, the tasks and the rules of grading."""

    id: str
    key: str
    """SHA-256 of the lecturer's token (token_digest)."""
    title: str
    template: dict[str, Any]
    """The network template as checked (JSON-like): widths, activations, objective, batch size,
    and whether inputs, targets and weights are random."""
    tasks: tuple[str, ...]
    """Tensor keys of the iteration the students compute (`Delta2`, `gradW1`), in step order."""
    tolerance: float
    attempts: int | None
    """Attempts allowed per task; None for unlimited."""
    closes: float | None
    """Unix time after which submissions are refused; None: open until closed."""
    revealed: bool
    """Whether the lecturer has revealed the solutions."""
    salt: int
    """Mixed with each student number into that student's seed (0 … 2^63 − 1)."""
    created: float

    def closed(self, now: float) -> bool:
        """Whether submissions are refused at `now` (Unix time)."""
        return self.closes is not None and now >= self.closes

    def to_json(self) -> bytes:
        """The record as stored (JSON)."""
        return orjson.dumps(
            {
                "id": self.id,
                "key": self.key,
                "title": self.title,
                "template": self.template,
                "tasks": list(self.tasks),
                "tolerance": self.tolerance,
                "attempts": self.attempts,
                "closes": self.closes,
                "revealed": self.revealed,
                "salt": self.salt,
                "created": self.created,
            }
        )

    @classmethod
    def from_json(cls, stored: str | bytes) -> Assignment:
        """The record `to_json` wrote."""
        data = orjson.loads(stored)
        return cls(**{**data, "tasks": tuple(data["tasks"])})


@dataclass(frozen=True)
class Student:
    """A student who joined an assignment, and their network."""

    number: str
    """The student number as they first typed it (trimmed); `number_key` tells students apart."""
    name: str
    key: str
    """SHA-256 of the student's token (token_digest)."""
    seed: int
    seed_given: bool
    """True when the lecturer chose the seed; False when it is derived from the number."""
    spec: dict[str, Any]
    """The student's network as a spec, every number explicit (inputs, targets, weights)."""
    joined: float
    cursor: int = 0
    """Steps of the iteration taken on the student's page, 0 … 2k + 2."""

    @property
    def number_key(self) -> str:
        """The number as students are told apart (see `number_key`)."""
        return number_key(self.number)

    def to_json(self) -> bytes:
        """The record as stored (JSON; the cursor is stored beside it)."""
        return orjson.dumps(
            {
                "number": self.number,
                "name": self.name,
                "key": self.key,
                "seed": self.seed,
                "seed_given": self.seed_given,
                "spec": self.spec,
                "joined": self.joined,
            }
        )

    @classmethod
    def from_json(cls, stored: str | bytes, cursor: int = 0) -> Student:
        """The record `to_json` wrote, at `cursor`."""
        return cls(**orjson.loads(stored), cursor=cursor)


@dataclass(frozen=True)
class Attempt:
    """One graded submission of one task: what was sent and which entries were right."""

    task: str
    at: float
    """Unix time the store recorded it (what the caller gives is replaced)."""
    values: list[list[float]]
    correct: list[list[bool]]
    correct_count: int
    total: int
    number: str = field(default="", compare=False)
    """The number key of the student who made it (filled in when read back)."""

    def to_json(self) -> bytes:
        """The record as stored (JSON; a request's values are finite numbers)."""
        return orjson.dumps(
            {
                "task": self.task,
                "at": self.at,
                "values": self.values,
                "correct": self.correct,
                "correct_count": self.correct_count,
                "total": self.total,
            }
        )

    @classmethod
    def from_json(cls, stored: str | bytes, number: str = "") -> Attempt:
        """The record `to_json` wrote, made by the student with number key `number`."""
        data: Mapping[str, Any] = orjson.loads(stored)
        return cls(**data, number=number)


class AssignmentNotFound(LookupError):
    """No assignment with this id: it never existed, was deleted, or expired."""

    def __init__(self, assignment_id: str) -> None:
        self.assignment_id = assignment_id
        super().__init__(f"no assignment with id {assignment_id!r} (it may have expired)")


class StudentNotFound(LookupError):
    """No student with this number (or token) in the assignment."""

    def __init__(self, assignment_id: str, number: str | None = None) -> None:
        self.assignment_id = assignment_id
        self.number = number
        which = "this token" if number is None else f"number {number!r}"
        super().__init__(f"no student with {which} has joined this assignment")


class StudentExists(ValueError):
    """A student with this number has already joined the assignment."""

    def __init__(self, number: str) -> None:
        self.number = number
        super().__init__(
            f"student number {number!r} has already joined this assignment: open the personal "
            "link you were given when you joined (on any device), or ask your lecturer for a "
            "new one"
        )


class AssignmentsFull(RuntimeError):
    """The store already keeps its maximum number of assignments."""

    def __init__(self, max_assignments: int) -> None:
        self.max_assignments = max_assignments
        super().__init__(
            f"the server already keeps its maximum of {max_assignments} assignments; "
            "delete one or try again later"
        )


class StudentsFull(RuntimeError):
    """The assignment already has its maximum number of students."""

    def __init__(self, max_students: int) -> None:
        self.max_students = max_students
        super().__init__(
            f"this assignment already has its maximum of {max_students} students; ask your lecturer"
        )


class AttemptsUsedUp(RuntimeError):
    """The student has used every attempt the assignment allows at this task."""

    def __init__(self, task: str, allowed: int) -> None:
        self.task = task
        self.allowed = allowed
        super().__init__(
            f"you have used all {allowed} attempt{'s' if allowed != 1 else ''} this assignment "
            f"allows at {task}: no more submissions of it are taken"
        )


class TooManyAttempts(RuntimeError):
    """The student has submitted as often as the rate limit allows within its window."""

    def __init__(self, per_minute: int, retry_after: float) -> None:
        self.per_minute = per_minute
        self.retry_after = retry_after
        super().__init__(
            f"at most {per_minute} submissions a minute: try again in {math.ceil(retry_after)} s"
        )


class AssignmentStore(Protocol):
    """Where assignments, their students and their attempts live (`store.assignments`).

    Every write to an assignment (settings, a student joining or changed, a move, an attempt)
    is a use of it; an assignment not used for `limits.ttl_seconds` is gone (AssignmentNotFound,
    its students and attempts with it) and purged by `expire`.
    """

    limits: AssignmentLimits

    def create(self, assignment: Assignment) -> None:
        """Stores a new assignment under its id, purging expired ones first; AssignmentsFull
        when `limits.max_assignments` are kept."""
        ...

    def get(self, assignment_id: str) -> Assignment:
        """The assignment; AssignmentNotFound for an unknown or expired id."""
        ...

    def save(self, assignment: Assignment) -> None:
        """Replaces the assignment's settings (its students and attempts stay).
        AssignmentNotFound."""
        ...

    def delete(self, assignment_id: str) -> None:
        """Removes the assignment with its students and attempts. AssignmentNotFound."""
        ...

    def add_student(self, assignment_id: str, student: Student) -> None:
        """Adds a student, in one step: StudentExists when their number (as `number_key` tells
        numbers apart) has joined already, StudentsFull past `limits.max_students`,
        AssignmentNotFound. The student's key must be new (a fresh token's digest)."""
        ...

    def student(self, assignment_id: str, number: str) -> Student:
        """The student with this number (any case, see `number_key`). StudentNotFound,
        AssignmentNotFound."""
        ...

    def student_by_key(self, assignment_id: str, key: str) -> Student:
        """The student whose token has this digest. StudentNotFound, AssignmentNotFound."""
        ...

    def students(self, assignment_id: str) -> list[Student]:
        """Every student of the assignment, in the order they joined. AssignmentNotFound."""
        ...

    def save_student(self, assignment_id: str, student: Student, *, clear: bool = False) -> None:
        """Replaces a student's record (found by number; their key may change); `clear`
        removes their attempts too (a new network makes them moot). StudentNotFound,
        AssignmentNotFound."""
        ...

    def move_student(self, assignment_id: str, number: str, cursor: int) -> None:
        """Sets the steps a student has taken (nothing else of their record changes).
        StudentNotFound, AssignmentNotFound."""
        ...

    def add_attempt(
        self,
        assignment_id: str,
        number: str,
        attempt: Attempt,
        *,
        allowed: int | None,
        per_minute: int,
    ) -> int:
        """Records the student's attempt and returns how many they have made at its task,
        this one included; in one step, refusing it with AttemptsUsedUp when they have made
        `allowed` already (None: no limit), or TooManyAttempts when they have made `per_minute`
        in the last RATE_WINDOW_SECONDS. StudentNotFound, AssignmentNotFound."""
        ...

    def attempts(self, assignment_id: str, number: str | None = None) -> list[Attempt]:
        """The attempts of one student (by number) or of all, oldest first, each with the
        number key of its student. AssignmentNotFound."""
        ...

    def count(self) -> int:
        """The number of live assignments."""
        ...

    def expire(self) -> int:
        """Purges the assignments unused for longer than the TTL; returns how many."""
        ...
