"""A student's assignment from Python: their own network, how they stand at each task, answers
submitted and graded by the server entry by entry (never the values expected), and the
solutions once the lecturer reveals them.

    >>> work = api.assignment(student_link, student="s1815", name="Ada Lovelace")  # joins
    >>> work.link                                  # the personal link: keep it, it opens the work
    >>> x = np.array(work.network["inputs"]).T     # X, n_0 × m, as the paper writes it
    >>> work.submit("Delta2", my_delta2)           # Submission: which entries are right
    >>> api.assignment(work.link)                  # later, on any device
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

import numpy as np

from .arrays import FloatArray, to_array
from .results import Graded

if TYPE_CHECKING:
    from .client import Client, Convention

__all__ = ["AssignmentWork", "Submission", "Task", "TaskStanding", "parse_link"]

BoolArray = np.ndarray[Any, np.dtype[np.bool_]]


def parse_link(link: str) -> tuple[str, str | None]:
    """The assignment id of a student link (`…/assignments/<id>`, or the id alone) and the
    student's token when it is their personal link (`…#student=<token>`), else None."""
    parts = urlsplit(link)
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if "assignments" in segments[:-1]:
        index = len(segments) - 1 - segments[::-1].index("assignments")
        assignment_id = segments[index + 1]
    elif len(segments) == 1 and not parts.scheme and not parts.netloc:
        assignment_id = segments[0]
    else:
        raise ValueError(f"{link!r} is no assignment link (…/assignments/<id>)")
    token = parse_qs(parts.fragment).get("student", [None])[0]
    return assignment_id, token


@dataclass(frozen=True)
class Task:
    """A tensor to compute: its key (`Delta2`), LaTeX symbol, shape in the column convention
    (rows, cols), and the step of the iteration that computes it (from 1) with its heading."""

    name: str
    latex: str
    shape: tuple[int, int]
    step: int
    step_title: str

    @classmethod
    def from_json(cls, task: Mapping[str, Any]) -> Task:
        rows, cols = task["shape"]
        return cls(task["name"], task["latex"], (rows, cols), task["step"], task["step_title"])


@dataclass(frozen=True)
class TaskStanding:
    """How the student stands at a task: attempts made and left (None: unlimited), the most
    entries right in one attempt of `total`, whether some attempt was all right, the score
    (best / total, as in the gradebook) and, per entry, whether the last attempt had it right
    (column convention; None before any)."""

    task: str
    attempts: int
    attempts_left: int | None
    best: int
    total: int
    right: bool
    score: float
    last: BoolArray | None

    @classmethod
    def from_json(cls, status: Mapping[str, Any]) -> TaskStanding:
        last = status["last"]
        return cls(
            task=status["task"],
            attempts=status["attempts"],
            attempts_left=status["attempts_left"],
            best=status["best"],
            total=status["total"],
            right=status["right"],
            score=float(status["score"]),
            last=None if last is None else np.array(last, dtype=bool),
        )


@dataclass(frozen=True)
class Submission(Graded):
    """A graded answer: `correct` per entry (a bool array in the convention submitted), how many
    are right, the tolerance, the attempt's number at the task (from 1) and the standing after
    it. Never the expected values."""

    attempt: int
    standing: TaskStanding

    @classmethod
    def from_json(cls, answer: Mapping[str, Any]) -> Submission:
        return cls(
            **cls.graded_json(answer),
            attempt=answer["attempt"],
            standing=TaskStanding.from_json(answer["status"]),
        )


class AssignmentWork:
    """One student's work on an assignment, opened with their token (which travels in the
    Authorization header only). `network` is their own network's spec, every number given
    (`inputs` m × n_0 and `targets` m × n_k with a sample per row, `weights` W_1 … W_k, n_i ×
    n_{i−1}); `tasks` what to compute; `standing` how they stand, as of the last answer."""

    def __init__(self, client: Client, token: str, work: Mapping[str, Any], *, link: str) -> None:
        self._client = client
        self.token = token
        self.link = link
        """The personal link: it opens this work on any device (keep it to yourself)."""
        self._read(work)

    def _read(self, work: Mapping[str, Any]) -> None:
        outline = work["assignment"]
        self.id: str = outline["id"]
        self.title: str = outline["title"]
        self.tolerance = float(outline["tolerance"])
        self.attempts: int | None = outline["attempts"]
        self.closes_at: str | None = outline["closes_at"]
        self.closed: bool = outline["closed"]
        self.revealed: bool = outline["revealed"]
        self.tasks = tuple(Task.from_json(task) for task in outline["tasks"])
        self.name: str = work["name"]
        self.number: str = work["number"]
        self.network: dict[str, Any] = dict(work["network"])
        self.standing = {s["task"]: TaskStanding.from_json(s) for s in work["tasks"]}

    def __repr__(self) -> str:
        tasks = ", ".join(t.name for t in self.tasks)
        return f"<AssignmentWork {self.title!r} of {self.name} ({self.number}): {tasks}>"

    def _path(self, suffix: str) -> str:
        return f"/api/assignments/{self.id}/work{suffix}"

    def _call(self, method: str, suffix: str, **options: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.token}"}
        return self._client._json(method, self._path(suffix), headers=headers, **options)

    def _params(self, convention: Convention | None) -> dict[str, str]:
        return {"convention": convention or self._client.convention}

    def refresh(self) -> AssignmentWork:
        """Reads the work again (the standing, and whether the assignment is closed now)."""
        self._read(self._call("GET", ""))
        return self

    def submit(
        self, tensor: str, values: Any, *, convention: Convention | None = None
    ) -> Submission:
        """Submits `values` (a rows × cols array or nested lists; transposed in the row
        convention) as the task `tensor`, graded entry by entry: right when |v − e| ≤
        tolerance × (1 + |e|). Counts as an attempt; Invalid for an unknown task or a shape
        that does not fit (no attempt), Conflict once closed, revealed or used up."""
        answer = self._call(
            "POST",
            "/submissions",
            body={"tensor": tensor, "values": values},
            params=self._params(convention),
        )
        submission = Submission.from_json(answer)
        self.standing[tensor] = submission.standing
        return submission

    def solutions(self, *, convention: Convention | None = None) -> dict[str, FloatArray]:
        """Every task's expected values, once the lecturer has revealed them (Conflict before)."""
        answer = self._call("GET", "/solutions", params=self._params(convention))
        return {name: to_array(tensor) for name, tensor in answer["tensors"].items()}
