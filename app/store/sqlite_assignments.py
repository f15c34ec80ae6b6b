"""Assignments in SqliteStore's file: three tables beside the sessions', one transaction a write.

An assignment's row holds its settings (JSON) and the time of its last write; a student's row
their record (JSON), the digest of their token and the steps they have taken; an attempt's row
what was sent and which entries were right. Deleting (or purging) an assignment deletes its
students, and theirs their attempts (foreign keys, ON DELETE CASCADE). Reads never write: an
expired assignment is not found, and goes at the next purge (a new assignment, or `expire`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
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
from .sqlite_file import count_live

Connect = Callable[[], AbstractContextManager[sqlite3.Connection]]
Write = Callable[[sqlite3.Connection], AbstractContextManager[None]]


class SqliteAssignments(AssignmentRules):
    """An AssignmentStore in a SqliteStore's file, through the store's connections and its
    one-writer-at-a-time transactions (so a write is refused, 503, as the store's are)."""

    def __init__(
        self, *, connection: Connect, writing: Write, **settings: Unpack[RulesSettings]
    ) -> None:
        super().__init__(**settings)
        self._connection = connection
        self._writing = writing

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A connection inside a write transaction."""
        with self._connection() as conn, self._writing(conn):
            yield conn

    def _live(self, conn: sqlite3.Connection, assignment_id: str) -> Assignment:
        row = conn.execute(
            "SELECT record FROM assignments WHERE id = ? AND touched >= ?",
            (assignment_id, self._cutoff()),
        ).fetchone()
        if row is None:
            raise AssignmentNotFound(assignment_id)
        return Assignment.from_json(row[0])

    def _touch(self, conn: sqlite3.Connection, assignment_id: str) -> None:
        conn.execute(
            "UPDATE assignments SET touched = ? WHERE id = ?", (self._clock(), assignment_id)
        )

    def create(self, assignment: Assignment) -> None:
        """Stores the assignment; purges expired ones first."""
        with self._write() as conn:
            conn.execute("DELETE FROM assignments WHERE touched < ?", (self._cutoff(),))
            (count,) = conn.execute("SELECT count(*) FROM assignments").fetchone()
            self._admit_assignment(count)
            conn.execute(
                "INSERT INTO assignments (id, record, touched) VALUES (?, ?, ?)",
                (assignment.id, assignment.to_json(), self._clock()),
            )

    def get(self, assignment_id: str) -> Assignment:
        """The assignment."""
        with self._connection() as conn:
            return self._live(conn, assignment_id)

    def save(self, assignment: Assignment) -> None:
        """Replaces its settings."""
        with self._write() as conn:
            self._live(conn, assignment.id)
            conn.execute(
                "UPDATE assignments SET record = ?, touched = ? WHERE id = ?",
                (assignment.to_json(), self._clock(), assignment.id),
            )

    def delete(self, assignment_id: str) -> None:
        """Deletes it, and with it its students and their attempts."""
        with self._write() as conn:
            self._live(conn, assignment_id)
            conn.execute("DELETE FROM assignments WHERE id = ?", (assignment_id,))

    def add_student(self, assignment_id: str, student: Student) -> None:
        """Adds the student."""
        with self._write() as conn:
            self._live(conn, assignment_id)
            taken = conn.execute(
                "SELECT 1 FROM assignment_students WHERE assignment_id = ? AND number_key = ?",
                (assignment_id, student.number_key),
            ).fetchone()
            (count,) = conn.execute(
                "SELECT count(*) FROM assignment_students WHERE assignment_id = ?",
                (assignment_id,),
            ).fetchone()
            self._admit_student(student, taken=taken is not None, joined=count)
            conn.execute(
                "INSERT INTO assignment_students "
                "(assignment_id, number_key, key, record, cursor, joined) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    assignment_id,
                    student.number_key,
                    student.key,
                    student.to_json(),
                    student.cursor,
                    student.joined,
                ),
            )
            self._touch(conn, assignment_id)

    def _student(
        self, conn: sqlite3.Connection, assignment_id: str, where: str, value: str
    ) -> Student:
        self._live(conn, assignment_id)
        row = conn.execute(
            f"SELECT record, cursor FROM assignment_students "
            f"WHERE assignment_id = ? AND {where} = ?",
            (assignment_id, value),
        ).fetchone()
        if row is None:
            raise StudentNotFound(assignment_id, None if where == "key" else value)
        return Student.from_json(row[0], row[1])

    def student(self, assignment_id: str, number: str) -> Student:
        """The student with this number."""
        with self._connection() as conn:
            return self._student(conn, assignment_id, "number_key", number_key(number))

    def student_by_key(self, assignment_id: str, key: str) -> Student:
        """The student with this key."""
        with self._connection() as conn:
            return self._student(conn, assignment_id, "key", key)

    def students(self, assignment_id: str) -> list[Student]:
        """Every student, in the order they joined."""
        with self._connection() as conn:
            self._live(conn, assignment_id)
            rows = conn.execute(
                "SELECT record, cursor FROM assignment_students WHERE assignment_id = ? "
                "ORDER BY joined, number_key",
                (assignment_id,),
            ).fetchall()
        return [Student.from_json(record, cursor) for record, cursor in rows]

    def save_student(self, assignment_id: str, student: Student, *, clear: bool = False) -> None:
        """Replaces the student's record (and with `clear` deletes their attempts)."""
        with self._write() as conn:
            self._student(conn, assignment_id, "number_key", student.number_key)
            conn.execute(
                "UPDATE assignment_students SET key = ?, record = ?, cursor = ? "
                "WHERE assignment_id = ? AND number_key = ?",
                (student.key, student.to_json(), student.cursor, assignment_id, student.number_key),
            )
            if clear:
                conn.execute(
                    "DELETE FROM assignment_attempts WHERE assignment_id = ? AND number_key = ?",
                    (assignment_id, student.number_key),
                )
            self._touch(conn, assignment_id)

    def move_student(self, assignment_id: str, number: str, cursor: int) -> None:
        """Sets the student's steps taken."""
        with self._write() as conn:
            self._live(conn, assignment_id)
            moved = conn.execute(
                "UPDATE assignment_students SET cursor = ? "
                "WHERE assignment_id = ? AND number_key = ?",
                (cursor, assignment_id, number_key(number)),
            ).rowcount
            if moved != 1:
                raise StudentNotFound(assignment_id, number)
            self._touch(conn, assignment_id)

    def _record_attempt(
        self, assignment_id: str, number: str, attempt: Attempt, quota: Quota
    ) -> int:
        """Records the attempt, unless refused."""
        key = attempt.number
        with self._write() as conn:
            self._student(conn, assignment_id, "number_key", key)
            (made,) = conn.execute(
                "SELECT count(*) FROM assignment_attempts "
                "WHERE assignment_id = ? AND number_key = ? AND task = ?",
                (assignment_id, key, attempt.task),
            ).fetchone()
            recent, oldest = conn.execute(
                "SELECT count(*), min(at) FROM assignment_attempts "
                "WHERE assignment_id = ? AND number_key = ? AND at > ?",
                (assignment_id, key, quota.window_start),
            ).fetchone()
            quota.admit(attempt.task, AttemptsMade(made, recent, oldest))
            conn.execute(
                "INSERT INTO assignment_attempts (assignment_id, number_key, task, at, record) "
                "VALUES (?, ?, ?, ?, ?)",
                (assignment_id, key, attempt.task, attempt.at, attempt.to_json()),
            )
            self._touch(conn, assignment_id)
        return int(made) + 1

    def attempts(self, assignment_id: str, number: str | None = None) -> list[Attempt]:
        """The attempts, oldest first."""
        with self._connection() as conn:
            query = "SELECT record, number_key FROM assignment_attempts WHERE assignment_id = ?"
            arguments: tuple[str, ...] = (assignment_id,)
            if number is None:
                self._live(conn, assignment_id)
            else:
                self._student(conn, assignment_id, "number_key", number_key(number))
                query += " AND number_key = ?"
                arguments += (number_key(number),)
            rows = conn.execute(query + " ORDER BY at, rowid", arguments).fetchall()
        return [Attempt.from_json(record, key) for record, key in rows]

    def count(self) -> int:
        """The number of live assignments."""
        with self._connection() as conn:
            return count_live(conn, "assignments", self._cutoff())

    def expire(self) -> int:
        """Deletes the assignments unused for longer than the TTL, with what they hold."""
        with self._write() as conn:
            return conn.execute(
                "DELETE FROM assignments WHERE touched < ?", (self._cutoff(),)
            ).rowcount
