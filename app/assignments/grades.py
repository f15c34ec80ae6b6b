"""Grades from attempts: each student's best at each task, and the gradebook as a CSV file that
Moodle's and Canvas's grade imports take.

A task scores the share of its entries right in the student's best attempt (0 … 1; 0 before
any attempt), and a student's total is the sum over the tasks. The CSV's columns follow what
the two importers read (see the README, "Assignments", for the sources):

- Canvas (`GradebookImporter` in instructure/canvas-lms) wants a header row whose first cells
  are `Student`, `ID`, then optionally `SIS User ID` and `SIS Login ID`, then `Section`; each
  later column is an assignment, except those named like Canvas's own totals (`Final Points`,
  `Current Score`, …), which it skips. A student is found by `ID` (Canvas's own number, which
  this server does not know: left empty), else by `SIS User ID`, `SIS Login ID`, or the name.
- Moodle (`gradeimport_csv`) wants a header row and one row per student; the lecturer maps one
  column to the users' ID number (here `SIS User ID`, the student number) and each grade column
  to a grade item (or a new one named by the header). Every row must name its student (an
  empty identifier stops the import), and grades are numbers no larger than 100.

So: `Student, ID, SIS User ID, SIS Login ID, Section`, one column per task, and `Final Points`
(the total: Canvas computes its own and skips it, Moodle maps it or ignores it).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from app.store import Assignment, Attempt, Student

IDENTITY_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
TOTAL_COLUMN = "Final Points"

CANVAS_TOTALS = (
    "Current Score",
    "Current Points",
    "Current Grade",
    "Final Score",
    "Final Points",
    "Final Grade",
    "Override Score",
    "Override Grade",
    "Override Status",
)
"""Words that make Canvas skip a column of an import (it takes them for its own totals)."""


@dataclass(frozen=True)
class TaskGrade:
    """How a student stands at one task."""

    task: str
    attempts: int
    best: int
    """Most entries right in one attempt (0 before any)."""
    total: int
    """Entries of the tensor."""
    last: list[list[bool]] | None
    """Per entry, whether the last attempt had it right; None before any."""

    @property
    def right(self) -> bool:
        """Whether some attempt had every entry right."""
        return self.best == self.total

    @property
    def score(self) -> float:
        """The share of entries right in the best attempt, 0 … 1."""
        return self.best / self.total


@dataclass(frozen=True)
class StudentGrades:
    """A student and how they stand at each task, in the assignment's order."""

    student: Student
    tasks: tuple[TaskGrade, ...]

    @property
    def total(self) -> float:
        """The sum of the task scores."""
        return sum(task.score for task in self.tasks)


def task_grades(
    tasks: Sequence[str], sizes: Mapping[str, int], attempts: Iterable[Attempt]
) -> tuple[TaskGrade, ...]:
    """One student's standing at each task from their attempts (oldest first); `sizes` gives
    each task's number of entries."""
    made = dict.fromkeys(tasks, 0)
    best = dict.fromkeys(tasks, 0)
    last: dict[str, list[list[bool]]] = {}
    for attempt in attempts:
        if attempt.task not in made:
            continue  # a task the lecturer no longer sets
        made[attempt.task] += 1
        best[attempt.task] = max(best[attempt.task], attempt.correct_count)
        last[attempt.task] = attempt.correct
    return tuple(
        TaskGrade(task, made[task], best[task], sizes[task], last.get(task)) for task in tasks
    )


def grade_students(
    assignment: Assignment,
    students: Sequence[Student],
    attempts: Iterable[Attempt],
    sizes: Mapping[str, int],
) -> list[StudentGrades]:
    """Every student's grades, in the order they joined, from every attempt of the assignment
    (each carrying its student's number key)."""
    by_student: dict[str, list[Attempt]] = {s.number_key: [] for s in students}
    for attempt in attempts:
        by_student.setdefault(attempt.number, []).append(attempt)
    return [
        StudentGrades(s, task_grades(assignment.tasks, sizes, by_student[s.number_key]))
        for s in students
    ]


def task_column(assignment: Assignment, task: str) -> str:
    """A task's column in the gradebook: the assignment's title and the tensor's key."""
    return f"{assignment.title}: {task}"


def points(value: float) -> str:
    """A score as the importers read it: a plain decimal, at most 4 places, no exponent."""
    return f"{value:.4f}".rstrip("0").rstrip(".")


def gradebook_csv(assignment: Assignment, grades: Sequence[StudentGrades]) -> str:
    """The gradebook: a header row, then one row per student (see the module's docstring)."""
    out = io.StringIO()
    writer = csv.writer(out)
    header = [*IDENTITY_COLUMNS, *(task_column(assignment, t) for t in assignment.tasks)]
    writer.writerow([*header, TOTAL_COLUMN])
    for row in grades:
        identity = [row.student.name, "", row.student.number, "", ""]
        scores = [points(task.score) for task in row.tasks]
        writer.writerow([*identity, *scores, points(row.total)])
    return out.getvalue()
