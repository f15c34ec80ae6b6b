"""Assignments in dicts of this process, beside MemoryStore's sessions: lost on restart."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from typing import Unpack

from .assignment_rules import AssignmentRules, AttemptsMade, Quota, RulesSettings
from .assignments import (
    Assignment,
    AssignmentNotFound,
    Attempt,
    Student,
    StudentNotFound,
    number_key,
)
from .kept import Kept


@dataclass
class _Entry:
    assignment: Assignment
    touched: float
    students: dict[str, Student] = field(default_factory=dict)
    """By number key, in the order they joined."""
    attempts: list[Attempt] = field(default_factory=list)


class MemoryAssignments(AssignmentRules):
    """An AssignmentStore in memory; safe for the threads of one process."""

    def __init__(self, **settings: Unpack[RulesSettings]) -> None:
        super().__init__(**settings)
        self._entries: Kept[_Entry] = Kept(AssignmentNotFound)
        self._guard = threading.Lock()

    def _live(self, assignment_id: str) -> _Entry:
        """The live entry; an expired one is dropped. Call under the guard."""
        return self._entries.live(assignment_id, self._cutoff())

    def _used(self, assignment_id: str) -> _Entry:
        """The live entry, its last use now. Call under the guard."""
        entry = self._live(assignment_id)
        entry.touched = self._clock()
        return entry

    def create(self, assignment: Assignment) -> None:
        """Stores the assignment."""
        with self._guard:
            self._entries.purge(self._cutoff())
            self._admit_assignment(len(self._entries))
            self._entries[assignment.id] = _Entry(assignment, self._clock())

    def get(self, assignment_id: str) -> Assignment:
        """The assignment."""
        with self._guard:
            return self._live(assignment_id).assignment

    def save(self, assignment: Assignment) -> None:
        """Replaces its settings."""
        with self._guard:
            self._used(assignment.id).assignment = assignment

    def delete(self, assignment_id: str) -> None:
        """Forgets it, its students and attempts."""
        with self._guard:
            self._live(assignment_id)
            del self._entries[assignment_id]

    def add_student(self, assignment_id: str, student: Student) -> None:
        """Adds the student."""
        with self._guard:
            entry = self._live(assignment_id)
            taken = student.number_key in entry.students
            self._admit_student(student, taken=taken, joined=len(entry.students))
            entry.students[student.number_key] = student
            entry.touched = self._clock()

    def _student(self, entry: _Entry, number: str) -> Student:
        found = entry.students.get(number_key(number))
        if found is None:
            raise StudentNotFound(entry.assignment.id, number)
        return found

    def student(self, assignment_id: str, number: str) -> Student:
        """The student with this number."""
        with self._guard:
            return self._student(self._live(assignment_id), number)

    def student_by_key(self, assignment_id: str, key: str) -> Student:
        """The student with this key."""
        with self._guard:
            for student in self._live(assignment_id).students.values():
                if student.key == key:
                    return student
        raise StudentNotFound(assignment_id)

    def students(self, assignment_id: str) -> list[Student]:
        """Every student, in the order they joined."""
        with self._guard:
            return list(self._live(assignment_id).students.values())

    def save_student(self, assignment_id: str, student: Student, *, clear: bool = False) -> None:
        """Replaces the student's record."""
        with self._guard:
            entry = self._used(assignment_id)
            self._student(entry, student.number)
            entry.students[student.number_key] = student
            if clear:
                entry.attempts = [a for a in entry.attempts if a.number != student.number_key]

    def move_student(self, assignment_id: str, number: str, cursor: int) -> None:
        """Sets the student's steps taken."""
        with self._guard:
            entry = self._used(assignment_id)
            student = self._student(entry, number)
            entry.students[student.number_key] = replace(student, cursor=cursor)

    def _record_attempt(
        self, assignment_id: str, number: str, attempt: Attempt, quota: Quota
    ) -> int:
        """Records the attempt, unless refused."""
        with self._guard:
            entry = self._live(assignment_id)
            key = self._student(entry, number).number_key
            own = [a for a in entry.attempts if a.number == key]
            made = sum(1 for a in own if a.task == attempt.task)
            recent = [a.at for a in own if a.at > quota.window_start]
            quota.admit(attempt.task, AttemptsMade(made, len(recent), min(recent, default=None)))
            entry.attempts.append(attempt)
            entry.touched = quota.now
            return made + 1

    def attempts(self, assignment_id: str, number: str | None = None) -> list[Attempt]:
        """The attempts, oldest first."""
        with self._guard:
            entry = self._live(assignment_id)
            if number is None:
                return list(entry.attempts)
            key = self._student(entry, number).number_key
            return [a for a in entry.attempts if a.number == key]

    def expire(self) -> int:
        """Drops the assignments unused for longer than the TTL."""
        with self._guard:
            return len(self._entries.purge(self._cutoff()))

    def count(self) -> int:
        """The number of live assignments."""
        with self._guard:
            self._entries.purge(self._cutoff())
            return len(self._entries)

    def clear(self) -> None:
        """Forgets every assignment."""
        with self._guard:
            self._entries.clear()
