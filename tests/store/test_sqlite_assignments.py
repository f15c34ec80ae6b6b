"""SqliteAssignments: three tables in the session file, created in a file that lacked them,
and an assignment's rows deleted with it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.store import SqliteStore
from app.store.sqlite_schema import ASSIGNMENT_SCHEMA

from .conftest import Clock
from .test_assignments import a_student, an_assignment, an_attempt

TABLES = ("assignments", "assignment_students", "assignment_attempts")


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "sessions.sqlite3"


@pytest.fixture
def store(path: Path, clock: Clock) -> Iterator[SqliteStore]:
    store = SqliteStore(path, ttl_seconds=3600, max_sessions=10, clock=clock)
    yield store
    store.close()


def rows(path: Path, table: str) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_a_session_file_without_the_assignment_tables_gets_them_when_opened(
    path: Path, clock: Clock
) -> None:
    SqliteStore(path, ttl_seconds=60, max_sessions=1).close()
    with sqlite3.connect(path) as conn:
        for table in reversed(TABLES):
            conn.execute(f"DROP TABLE {table}")

    store = SqliteStore(path, ttl_seconds=60, max_sessions=1, clock=clock)
    store.assignments.create(an_assignment())
    store.close()

    assert rows(path, "assignments") == 1
    assert len(ASSIGNMENT_SCHEMA) == 5


def test_deleting_an_assignment_deletes_its_rows_in_every_table(
    store: SqliteStore, path: Path
) -> None:
    assignment, other = an_assignment(), an_assignment()
    for a in (assignment, other):
        store.assignments.create(a)
        store.assignments.add_student(a.id, a_student())
        store.assignments.add_attempt(a.id, "s1001", an_attempt(), allowed=3, per_minute=9)

    store.assignments.delete(assignment.id)

    assert [rows(path, table) for table in TABLES] == [1, 1, 1]


def test_purging_expired_assignments_deletes_their_rows(
    store: SqliteStore, path: Path, clock: Clock
) -> None:
    assignment = an_assignment()
    store.assignments.create(assignment)
    store.assignments.add_student(assignment.id, a_student())
    store.assignments.add_attempt(assignment.id, "s1001", an_attempt(), allowed=3, per_minute=9)
    clock.advance(store.assignments.limits.ttl_seconds + 1)

    assert store.assignments.expire() == 1
    assert [rows(path, table) for table in TABLES] == [0, 0, 0]
