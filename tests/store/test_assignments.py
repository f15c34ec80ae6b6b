"""Assignments in every store: kept as written, one student per number, attempts counted and
rate-limited in one step, everything gone together when deleted or unused past its TTL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace

import pytest

from app.store import (
    Assignment,
    AssignmentLimits,
    AssignmentNotFound,
    AssignmentsFull,
    Attempt,
    AttemptsUsedUp,
    SessionStore,
    Student,
    StudentExists,
    StudentNotFound,
    StudentsFull,
    TooManyAttempts,
    new_token,
    token_digest,
)
from app.store.assignments import RATE_WINDOW_SECONDS

from .conftest import Clock

MakeStore = Callable[..., SessionStore]


def an_assignment(**changes: object) -> Assignment:
    fields: dict[str, object] = {
        "id": new_token(),
        "key": token_digest(new_token()),
        "title": "Backprop by hand",
        "template": {"layers": [2, 3, 1], "batch": 2},
        "tasks": ("Delta2", "gradW1"),
        "tolerance": 1e-3,
        "attempts": 3,
        "closes": None,
        "revealed": False,
        "salt": 12345,
        "created": 1_000_000.0,
    }
    return Assignment(**(fields | changes))  # type: ignore[arg-type]


def a_student(number: str = "s1001", name: str = "Ada Lovelace") -> Student:
    return Student(
        number=number,
        name=name,
        key=token_digest(new_token()),
        seed=42,
        seed_given=False,
        spec={"layers": [2, 3, 1], "inputs": [[0.5, -0.5], [1.0, 0.0]]},
        joined=1_000_000.0,
    )


def an_attempt(task: str = "Delta2", right: bool = True) -> Attempt:
    return Attempt(
        task=task,
        at=0.0,
        values=[[0.25, -0.5]],
        correct=[[right, False]],
        correct_count=int(right),
        total=2,
    )


def limits(**changes: float) -> AssignmentLimits:
    return replace(AssignmentLimits(), **changes)


def one_assignment(make_store: MakeStore, **changes: object) -> tuple[SessionStore, Assignment]:
    """A store of the kind under test holding one assignment (`changes` to its settings)."""
    store = make_store()
    assignment = an_assignment(**changes)
    store.assignments.create(assignment)
    return store, assignment


def test_an_assignment_is_read_back_as_it_was_written(make_store: MakeStore) -> None:
    store, assignment = one_assignment(make_store, closes=2_000_000.5, attempts=None)

    assert store.assignments.get(assignment.id) == assignment
    changed = replace(assignment, revealed=True, tolerance=0.01)
    store.assignments.save(changed)
    assert store.assignments.get(assignment.id) == changed
    assert store.assignments.count() == 1


@pytest.mark.parametrize(
    "call",
    [
        lambda a, i: a.get(i),
        lambda a, i: a.save(an_assignment(id=i)),
        lambda a, i: a.delete(i),
        lambda a, i: a.add_student(i, a_student()),
        lambda a, i: a.student(i, "s1001"),
        lambda a, i: a.student_by_key(i, "0" * 64),
        lambda a, i: a.students(i),
        lambda a, i: a.move_student(i, "s1001", 1),
        lambda a, i: a.attempts(i),
        lambda a, i: a.add_attempt(i, "s1001", an_attempt(), allowed=None, per_minute=10),
    ],
)
def test_an_unknown_assignment_is_not_found_by_any_call(
    make_store: MakeStore, call: Callable[..., object]
) -> None:
    store = make_store()
    store.assignments.create(an_assignment())
    with pytest.raises(AssignmentNotFound):
        call(store.assignments, "no-such-assignment")


def test_a_student_is_found_by_number_in_any_case_and_by_the_digest_of_their_token(
    make_store: MakeStore,
) -> None:
    store, assignment = one_assignment(make_store)
    ada = a_student("S1001")
    store.assignments.add_student(assignment.id, ada)

    assert store.assignments.student(assignment.id, " s1001 ") == ada
    assert store.assignments.student_by_key(assignment.id, ada.key) == ada
    with pytest.raises(StudentNotFound):
        store.assignments.student(assignment.id, "s1002")
    with pytest.raises(StudentNotFound):
        store.assignments.student_by_key(assignment.id, token_digest(new_token()))


def test_a_student_of_one_assignment_is_not_found_in_another(make_store: MakeStore) -> None:
    store = make_store()
    first, second = an_assignment(), an_assignment()
    store.assignments.create(first)
    store.assignments.create(second)
    ada = a_student()
    store.assignments.add_student(first.id, ada)

    with pytest.raises(StudentNotFound):
        store.assignments.student_by_key(second.id, ada.key)
    with pytest.raises(StudentNotFound):
        store.assignments.student(second.id, ada.number)
    assert store.assignments.students(second.id) == []


def test_a_number_joins_once_whatever_its_case(make_store: MakeStore) -> None:
    store, assignment = one_assignment(make_store)
    store.assignments.add_student(assignment.id, a_student("s1001", "Ada"))

    with pytest.raises(StudentExists, match="personal link"):
        store.assignments.add_student(assignment.id, a_student("S1001", "Someone else"))
    assert [s.name for s in store.assignments.students(assignment.id)] == ["Ada"]


def test_students_are_listed_in_the_order_they_joined(make_store: MakeStore) -> None:
    store, assignment = one_assignment(make_store)
    for i, number in enumerate(["z9", "a1", "m5"]):
        store.assignments.add_student(assignment.id, replace(a_student(number), joined=10.0 + i))

    assert [s.number for s in store.assignments.students(assignment.id)] == ["z9", "a1", "m5"]


def test_many_joining_at_once_with_one_number_make_one_student(make_store: MakeStore) -> None:
    store, assignment = one_assignment(make_store)
    outcomes: list[str] = []

    def join(i: int) -> None:
        try:
            store.assignments.add_student(assignment.id, a_student("s7", f"try {i}"))
            outcomes.append("joined")
        except StudentExists:
            outcomes.append("refused")

    threads = [threading.Thread(target=join, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["joined"] + ["refused"] * 11
    assert len(store.assignments.students(assignment.id)) == 1


def test_the_store_keeps_at_most_its_assignments_and_an_assignment_its_students(
    make_store: MakeStore,
) -> None:
    store = make_store(assignment_limits=limits(max_assignments=2, max_students=2))
    first = an_assignment()
    store.assignments.create(first)
    store.assignments.create(an_assignment())
    with pytest.raises(AssignmentsFull, match="maximum of 2 assignments"):
        store.assignments.create(an_assignment())

    store.assignments.add_student(first.id, a_student("s1"))
    store.assignments.add_student(first.id, a_student("s2"))
    with pytest.raises(StudentsFull, match="maximum of 2 students"):
        store.assignments.add_student(first.id, a_student("s3"))


def test_saving_a_student_replaces_their_key_and_clearing_drops_their_attempts_only(
    make_store: MakeStore,
) -> None:
    store, assignment = one_assignment(make_store, attempts=None)
    ada, bob = a_student("s1"), a_student("s2")
    store.assignments.add_student(assignment.id, ada)
    store.assignments.add_student(assignment.id, bob)
    for number in ("s1", "s2"):
        store.assignments.add_attempt(
            assignment.id, number, an_attempt(), allowed=None, per_minute=10
        )

    renewed = replace(ada, key=token_digest(new_token()), seed=7, seed_given=True)
    store.assignments.save_student(assignment.id, renewed, clear=True)

    assert store.assignments.student_by_key(assignment.id, renewed.key) == renewed
    with pytest.raises(StudentNotFound):
        store.assignments.student_by_key(assignment.id, ada.key)
    assert store.assignments.attempts(assignment.id, "s1") == []
    assert len(store.assignments.attempts(assignment.id, "s2")) == 1
    with pytest.raises(StudentNotFound):
        store.assignments.save_student(assignment.id, a_student("s3"))


def test_moving_a_student_changes_their_cursor_and_nothing_else(make_store: MakeStore) -> None:
    store, assignment = one_assignment(make_store)
    ada = a_student()
    store.assignments.add_student(assignment.id, ada)

    store.assignments.move_student(assignment.id, "S1001", 4)

    assert store.assignments.student(assignment.id, ada.number) == replace(ada, cursor=4)
    with pytest.raises(StudentNotFound):
        store.assignments.move_student(assignment.id, "s404", 1)


def test_attempts_are_counted_per_task_and_refused_past_those_allowed(
    make_store: MakeStore,
) -> None:
    store, assignment = one_assignment(make_store)
    store.assignments.add_student(assignment.id, a_student())

    def submit(task: str) -> int:
        return store.assignments.add_attempt(
            assignment.id, "s1001", an_attempt(task), allowed=2, per_minute=100
        )

    assert [submit("Delta2"), submit("gradW1"), submit("Delta2")] == [1, 1, 2]
    with pytest.raises(AttemptsUsedUp, match="all 2 attempts .* at Delta2"):
        submit("Delta2")
    assert submit("gradW1") == 2
    assert [a.task for a in store.assignments.attempts(assignment.id, "s1001")] == [
        "Delta2",
        "gradW1",
        "Delta2",
        "gradW1",
    ]


def test_submitting_at_once_never_makes_more_attempts_than_allowed(make_store: MakeStore) -> None:
    store, assignment = one_assignment(make_store)
    store.assignments.add_student(assignment.id, a_student())
    outcomes: list[str] = []

    def submit() -> None:
        try:
            store.assignments.add_attempt(
                assignment.id, "s1001", an_attempt(), allowed=3, per_minute=100
            )
            outcomes.append("taken")
        except AttemptsUsedUp:
            outcomes.append("refused")

    threads = [threading.Thread(target=submit) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["refused"] * 7 + ["taken"] * 3
    assert len(store.assignments.attempts(assignment.id)) == 3


def test_a_students_submissions_are_rate_limited_and_others_are_not(
    make_store: MakeStore, clock: Clock
) -> None:
    store, assignment = one_assignment(make_store, attempts=None)
    store.assignments.add_student(assignment.id, a_student("s1"))
    store.assignments.add_student(assignment.id, a_student("s2"))

    def submit(number: str) -> int:
        return store.assignments.add_attempt(
            assignment.id, number, an_attempt(), allowed=None, per_minute=3
        )

    for _ in range(3):
        submit("s1")
        clock.advance(10)
    with pytest.raises(TooManyAttempts, match="at most 3 submissions a minute") as refused:
        submit("s1")
    assert refused.value.retry_after == pytest.approx(RATE_WINDOW_SECONDS - 30)
    assert submit("s2") == 1
    clock.advance(RATE_WINDOW_SECONDS - 30 + 0.5)
    assert submit("s1") == 4


def test_attempts_are_read_back_oldest_first_with_their_students_number(
    make_store: MakeStore, clock: Clock
) -> None:
    store, assignment = one_assignment(make_store, attempts=None)
    for number in ("s1", "S2"):
        store.assignments.add_student(assignment.id, a_student(number))
    for number, task in [("s2", "Delta2"), ("s1", "gradW1"), ("s2", "gradW1")]:
        clock.advance(1)
        store.assignments.add_attempt(
            assignment.id, number, an_attempt(task, right=False), allowed=None, per_minute=10
        )

    every = store.assignments.attempts(assignment.id)
    assert [(a.number, a.task) for a in every] == [
        ("s2", "Delta2"),
        ("s1", "gradW1"),
        ("s2", "gradW1"),
    ]
    assert every[0] == replace(an_attempt("Delta2", right=False), at=clock.now - 2)
    assert [a.task for a in store.assignments.attempts(assignment.id, "S2")] == [
        "Delta2",
        "gradW1",
    ]


def test_an_unused_assignment_expires_whole_and_each_write_keeps_it(
    make_store: MakeStore, clock: Clock
) -> None:
    store = make_store(assignment_limits=limits(ttl_seconds=100))
    kept, dropped = an_assignment(), an_assignment()
    store.assignments.create(kept)
    store.assignments.create(dropped)
    store.assignments.add_student(dropped.id, a_student())
    store.assignments.add_attempt(dropped.id, "s1001", an_attempt(), allowed=None, per_minute=9)

    clock.advance(60)
    store.assignments.add_student(kept.id, a_student())
    clock.advance(60)  # 120 s since `dropped` was written to, 60 s since `kept` was
    store.assignments.move_student(kept.id, "s1001", 2)

    assert store.assignments.expire() == 1
    with pytest.raises(AssignmentNotFound):
        store.assignments.get(dropped.id)
    with pytest.raises(AssignmentNotFound):
        store.assignments.attempts(dropped.id)
    assert store.assignments.count() == 1
    clock.advance(99)
    assert store.assignments.get(kept.id) == kept
    clock.advance(2)
    with pytest.raises(AssignmentNotFound):
        store.assignments.student(kept.id, "s1001")


def test_a_deleted_assignment_takes_its_students_and_attempts_with_it(
    make_store: MakeStore,
) -> None:
    store, assignment = one_assignment(make_store)
    store.assignments.add_student(assignment.id, a_student())
    store.assignments.add_attempt(assignment.id, "s1001", an_attempt(), allowed=3, per_minute=9)

    store.assignments.delete(assignment.id)

    with pytest.raises(AssignmentNotFound):
        store.assignments.get(assignment.id)
    with pytest.raises(AssignmentNotFound):
        store.assignments.delete(assignment.id)
    store.assignments.create(assignment)  # the same id again starts empty
    assert store.assignments.students(assignment.id) == []
    assert store.assignments.attempts(assignment.id) == []


def test_assignments_survive_the_store_being_closed_and_opened_again(
    make_store: MakeStore,
) -> None:
    first = make_store()
    if first.kind == "memory":
        pytest.skip("a memory store keeps nothing once closed, by design")
    assignment = an_assignment()
    first.assignments.create(assignment)
    ada = a_student()
    first.assignments.add_student(assignment.id, ada)
    first.assignments.move_student(assignment.id, ada.number, 3)
    first.assignments.add_attempt(assignment.id, ada.number, an_attempt(), allowed=3, per_minute=9)
    first.close()

    again = make_store()

    assert again.assignments.get(assignment.id) == assignment
    assert again.assignments.student_by_key(assignment.id, ada.key) == replace(ada, cursor=3)
    assert [a.task for a in again.assignments.attempts(assignment.id, ada.number)] == ["Delta2"]
