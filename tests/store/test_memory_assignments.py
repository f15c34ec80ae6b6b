"""MemoryAssignments: kept in this process only, and forgotten when the store closes."""

from __future__ import annotations

import pytest

from app.store import AssignmentNotFound, MemoryStore

from .test_assignments import a_student, an_assignment


def test_closing_the_store_forgets_its_assignments() -> None:
    store = MemoryStore(ttl_seconds=60, max_sessions=1)
    assignment = an_assignment()
    store.assignments.create(assignment)
    store.assignments.add_student(assignment.id, a_student())

    store.close()

    with pytest.raises(AssignmentNotFound):
        store.assignments.get(assignment.id)
    assert store.assignments.count() == 0


def test_two_memory_stores_share_no_assignment() -> None:
    first, second = (MemoryStore(ttl_seconds=60, max_sessions=1) for _ in range(2))
    assignment = an_assignment()
    first.assignments.create(assignment)

    with pytest.raises(AssignmentNotFound):
        second.assignments.get(assignment.id)
