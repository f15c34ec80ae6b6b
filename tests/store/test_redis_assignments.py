"""RedisAssignments: an assignment's five keys in a real Redis, shared by every process,
expiring together, and gone together when it is deleted."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from app.store import (
    AssignmentLimits,
    AssignmentNotFound,
    AssignmentsFull,
    RedisStore,
    StoreUnavailable,
    StudentExists,
)

from ..redis_server import free_port
from .test_assignments import a_student, an_assignment, an_attempt

MakeStore = Callable[..., RedisStore]


@pytest.fixture
def make_redis_store(redis_url: str) -> Iterator[MakeStore]:
    """Opens RedisStores (two stand for two processes) on one empty database."""
    opened: list[RedisStore] = []

    def make(**options: Any) -> RedisStore:
        store = RedisStore(redis_url, **({"ttl_seconds": 3600, "max_sessions": 10} | options))
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


def test_a_student_joining_through_one_process_is_refused_through_another(
    make_redis_store: MakeStore,
) -> None:
    first, second = make_redis_store(), make_redis_store()
    assignment = an_assignment()
    first.assignments.create(assignment)
    first.assignments.add_student(assignment.id, a_student("s1"))

    with pytest.raises(StudentExists):
        second.assignments.add_student(assignment.id, a_student("S1"))
    assert [s.number for s in second.assignments.students(assignment.id)] == ["s1"]


def test_every_write_renews_the_expiry_of_all_five_keys(make_redis_store: MakeStore) -> None:
    store = make_redis_store(assignment_limits=AssignmentLimits(ttl_seconds=600))
    assignment = an_assignment()
    store.assignments.create(assignment)
    store.assignments.add_student(assignment.id, a_student())
    store.assignments.add_attempt(assignment.id, "s1001", an_attempt(), allowed=3, per_minute=9)
    keys = store.assignments.keys(assignment.id)[:5]
    for key in keys:
        store.redis.pexpire(key, 1000)

    store.assignments.move_student(assignment.id, "s1001", 1)

    assert all(590_000 < store.redis.pttl(key) <= 600_000 for key in keys)


def test_an_assignment_redis_expired_is_gone_and_purged_from_the_index(
    make_redis_store: MakeStore,
) -> None:
    store = make_redis_store(assignment_limits=AssignmentLimits(ttl_seconds=0.2))
    assignment = an_assignment()
    store.assignments.create(assignment)
    store.assignments.add_student(assignment.id, a_student())

    time.sleep(0.3)

    assert [store.redis.exists(k) for k in store.assignments.keys(assignment.id)[:5]] == [0] * 5
    with pytest.raises(AssignmentNotFound):
        store.assignments.get(assignment.id)
    assert store.assignments.count() == 0
    assert store.assignments.expire() == 1
    assert store.redis.zcard(store.assignments.index_key) == 0


def test_deleting_an_assignment_leaves_no_key_of_it(make_redis_store: MakeStore) -> None:
    store = make_redis_store()
    assignment = an_assignment()
    store.assignments.create(assignment)
    store.assignments.add_student(assignment.id, a_student())
    store.assignments.add_attempt(assignment.id, "s1001", an_attempt(), allowed=3, per_minute=9)

    store.assignments.delete(assignment.id)

    assert store.redis.keys("bpv:assignment*") == []


def test_an_attempt_is_one_json_line_of_what_was_sent_and_what_was_right(
    make_redis_store: MakeStore,
) -> None:
    store = make_redis_store()
    assignment = an_assignment()
    store.assignments.create(assignment)
    store.assignments.add_student(assignment.id, a_student())
    store.assignments.add_attempt(assignment.id, "s1001", an_attempt(), allowed=3, per_minute=9)

    stored = store.redis.hget(store.assignments.keys(assignment.id)[4], "s1001")

    assert stored.count(b"\n") == 1
    assert b'"values":[[0.25,-0.5]]' in stored and b'"correct":[[true,false]]' in stored


def test_a_redis_that_does_not_answer_makes_assignments_unavailable() -> None:
    store = RedisStore(f"redis://127.0.0.1:{free_port()}/0", ttl_seconds=60, max_sessions=1)

    with pytest.raises(StoreUnavailable, match="Redis does not answer"):
        store.assignments.create(an_assignment())
    with pytest.raises(StoreUnavailable):
        store.assignments.get("any")
    store.close()


def test_the_most_assignments_are_counted_over_every_process(make_redis_store: MakeStore) -> None:
    limits = AssignmentLimits(max_assignments=1)
    first, second = (make_redis_store(assignment_limits=limits) for _ in range(2))
    first.assignments.create(an_assignment())

    assert second.assignments.count() == 1
    with pytest.raises(AssignmentsFull):
        second.assignments.create(an_assignment())
