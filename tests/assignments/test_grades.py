"""Grades: a task scores the share of entries right in the best attempt, and the gradebook is a
CSV file with the columns Moodle's and Canvas's grade imports read."""

from __future__ import annotations

import csv
import io

import pytest

from app.assignments.grades import (
    CANVAS_TOTALS,
    IDENTITY_COLUMNS,
    TOTAL_COLUMN,
    StudentGrades,
    grade_students,
    gradebook_csv,
    points,
    task_grades,
)
from app.store import Assignment, Attempt, Student

ASSIGNMENT = Assignment(
    id="a",
    key="k",
    title="Backprop, by hand",
    template={},
    tasks=("Delta2", "gradW1"),
    tolerance=1e-3,
    attempts=None,
    closes=None,
    revealed=False,
    salt=1,
    created=0.0,
)
SIZES = {"Delta2": 4, "gradW1": 8}


def attempt(task: str, right: int, number: str = "s1", total: int = 4) -> Attempt:
    correct = [[i < right for i in range(total)]]
    return Attempt(task, 0.0, [[0.0] * total], correct, right, total, number=number)


def student(number: str, name: str) -> Student:
    return Student(number, name, "k" + number, 1, False, {}, 0.0)


def test_a_task_scores_its_best_attempt_and_shows_its_last() -> None:
    delta, grad = task_grades(ASSIGNMENT.tasks, SIZES, [attempt("Delta2", 3), attempt("Delta2", 1)])

    assert (delta.attempts, delta.best, delta.score, delta.right) == (2, 3, 0.75, False)
    assert delta.last == [[True, False, False, False]]
    assert (grad.attempts, grad.best, grad.score, grad.last) == (0, 0, 0.0, None)


def test_an_attempt_at_a_task_no_longer_set_counts_for_nothing() -> None:
    grades = task_grades(("gradW1",), SIZES, [attempt("Delta2", 4)])
    assert [g.attempts for g in grades] == [0]


def test_students_are_graded_from_their_own_attempts_in_the_order_they_joined() -> None:
    students = [student("s2", "Bea"), student("S1", "Ada")]
    attempts = [attempt("Delta2", 4, "s1"), attempt("gradW1", 8, "s2", total=8)]

    grades = grade_students(ASSIGNMENT, students, attempts, SIZES)

    assert [(g.student.name, [t.score for t in g.tasks], g.total) for g in grades] == [
        ("Bea", [0.0, 1.0], 1.0),
        ("Ada", [1.0, 0.0], 1.0),
    ]


@pytest.mark.parametrize(
    "value, written",
    [(0.0, "0"), (1.0, "1"), (0.125, "0.125"), (1 / 3, "0.3333"), (2.5, "2.5"), (1e-5, "0")],
)
def test_a_score_is_written_as_a_plain_decimal(value: float, written: str) -> None:
    assert points(value) == written


def gradebook() -> list[list[str]]:
    rows = [
        StudentGrades(
            student("s1", 'Ada "A" Lovelace, Countess'),
            task_grades(ASSIGNMENT.tasks, SIZES, [attempt("Delta2", 3)]),
        ),
        StudentGrades(student("s2", "Bea"), task_grades(ASSIGNMENT.tasks, SIZES, [])),
    ]
    return list(csv.reader(io.StringIO(gradebook_csv(ASSIGNMENT, rows))))


def test_the_gradebook_has_the_identity_columns_a_column_per_task_and_the_total() -> None:
    header, *rows = gradebook()

    assert header == [
        "Student",
        "ID",
        "SIS User ID",
        "SIS Login ID",
        "Section",
        "Backprop, by hand: Delta2",
        "Backprop, by hand: gradW1",
        "Final Points",
    ]
    assert rows == [
        ['Ada "A" Lovelace, Countess', "", "s1", "", "", "0.75", "0", "0.75"],
        ["Bea", "", "s2", "", "", "0", "0", "0"],
    ]


def test_canvas_reads_the_identity_columns_and_skips_only_the_total() -> None:
    header, *_ = gradebook()
    # GradebookImporter#row_has_student_headers? and #update_column_count (canvas-lms)
    assert "Student" in header[0] and "ID" in header[1]
    assert header[2:4] == ["SIS User ID", "SIS Login ID"] and "Section" in header[4]
    skipped = [h for h in header[5:] if any(word in h for word in CANVAS_TOTALS)]
    assert skipped == [TOTAL_COLUMN]
    assert tuple(header[:5]) == IDENTITY_COLUMNS


def test_moodle_finds_every_student_by_a_non_empty_unique_identifier_and_reads_numbers() -> None:
    header, *rows = gradebook()
    identifier = header.index("SIS User ID")  # mapped to the users' "ID number"
    assert all(row[identifier] for row in rows)
    assert len({row[identifier] for row in rows}) == len(rows)
    assert all(len(row) == len(header) > 1 for row in rows)
    for row in rows:
        assert all(0 <= float(cell) <= 100 for cell in row[5:])
