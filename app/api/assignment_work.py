"""Assignments, the student's side: join with a name and a number, step your own network with
the tasks (and what would give them away) withheld, submit each task and learn which entries
are right, never what they should be; once revealed, see it all.

Every route but joining takes the student's token (`Authorization: Bearer …`), which opens that
student's work only. A student works on the first iteration of their network: 2k + 2 steps,
the update the last.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Response

from app import engine, schemas
from app.assignments.grades import task_grades
from app.assignments.networks import derive_seed, student_spec, withheld
from app.store import (
    Assignment,
    Attempt,
    AttemptsUsedUp,
    SessionStore,
    Student,
    new_token,
    number_key,
    token_digest,
)

from . import answers
from .assignment_access import (
    REFUSED,
    UNAUTHORISED,
    AssignmentId,
    RootDep,
    TokenDep,
    iso,
    refusal,
    student_of,
)
from .assignments import TRUSTED, assignment_router, info, sizes, task_infos, task_status
from .deps import SettingsDep, StoreDep
from .encoding import EncodingDep
from .errors import FULL, invalid
from .notation import Notation
from .teaching import grade

router = assignment_router("assignment work")

ASSIGNMENT_LOC = ("path", "assignment_id")


async def convention(
    convention: Annotated[
        schemas.Convention,
        Query(
            description="`column` (default): the paper's convention. `row`: every matrix "
            "transposed, as NumPy and the Q&A write them (submissions too)."
        ),
    ] = "column",
) -> Notation:
    """The convention asked for, of the network as specified (no homogeneous view: the tasks
    are tensors of the affine network)."""
    return Notation(convention, "affine")


ConventionDep = Annotated[Notation, Depends(convention)]


def _session(student: Student) -> engine.Session:
    """The student's network at the start of its first iteration."""
    return engine.Session.create(student.spec, limits=TRUSTED)


def _hidden(assignment: Assignment, trace: engine.Trace) -> frozenset[str]:
    """What the student may not see: nothing once revealed, else the tasks and what is
    computed from them."""
    return frozenset() if assignment.revealed else withheld(trace, assignment.tasks)


def _position(cursor: int, steps: int) -> answers.Answer:
    return {"cursor": cursor, "step_count": steps, "current": cursor or None}


def _work(
    store: SessionStore, assignment: Assignment, student: Student, root: str
) -> schemas.StudentWork:
    session = _session(student)
    trace = session.trace()
    tasks = task_infos(assignment)
    grades = task_grades(
        assignment.tasks, sizes(tasks), store.assignments.attempts(assignment.id, student.number)
    )
    spec = session.network.spec.to_dict()
    spec["weights"], spec["biases"] = session.initial.to_lists()
    return schemas.StudentWork(
        assignment=info(assignment, root, tasks),
        name=student.name,
        number=student.number,
        network=schemas.NetworkSpec.model_validate(spec, strict=False),
        outline=[
            schemas.OutlineEntry(number=s.index + 1, phase=s.phase, layer=s.layer, title=s.title)
            for s in trace.steps
        ],
        tasks=[task_status(g, assignment.attempts) for g in grades],
        position=schemas.WorkPosition.model_validate(_position(student.cursor, len(trace.steps))),
        withheld=sorted(_hidden(assignment, trace), key=list(trace.tensors).index),
        page=f"{root}/assignments/{assignment.id}",
    )


@router.post(
    "/{assignment_id}/students",
    status_code=201,
    response_model=schemas.Joined,
    responses=FULL | REFUSED,
)
def join_assignment(
    assignment_id: AssignmentId, body: schemas.JoinRequest, store: StoreDep, root: RootDep
) -> Response:
    """Joins with a name and a student number: the answer holds the student's token (shown
    once), their personal link and their own network, drawn from a seed that the assignment
    and the number derive. A number joins once: on another device, open the personal link."""
    assignment = store.assignments.get(assignment_id)
    if assignment.revealed or assignment.closed(time.time()):
        raise refusal(
            409,
            ASSIGNMENT_LOC,
            "this assignment is closed: no one can join it any more",
            "assignment_closed",
        )
    name = " ".join(body.name.split())
    if not name:
        raise invalid(("body", "name"), "must not be blank")
    seed = derive_seed(assignment.salt, number_key(body.number))
    token = new_token()
    student = Student(
        number=body.number,
        name=name,
        key=token_digest(token),
        seed=seed,
        seed_given=False,
        spec=student_spec(assignment.template, seed),
        joined=time.time(),
    )
    store.assignments.add_student(assignment_id, student)
    joined = schemas.Joined(
        token=token,
        link=f"{root}/assignments/{assignment_id}#student={token}",
        work=_work(store, assignment, student, root),
    )
    return Response(joined.model_dump_json(), status_code=201, media_type="application/json")


@router.get("/{assignment_id}/work", responses=UNAUTHORISED)
def read_work(
    assignment_id: AssignmentId, token: TokenDep, store: StoreDep, root: RootDep
) -> schemas.StudentWork:
    """The student's own work: their network (every number), how they stand at each task,
    where they are, and what is withheld (student's token)."""
    assignment, student = student_of(store, assignment_id, token)
    return _work(store, assignment, student, root)


@dataclass(frozen=True)
class Mover:
    """A student moving through their iteration (student's token): where a move is saved,
    and the notation and encoding it is answered in."""

    store: SessionStore
    assignment: Assignment
    student: Student
    notation: Notation
    encoding: schemas.Encoding

    @property
    def last(self) -> int:
        """The last step, 2k + 2: the update."""
        return engine.step_count(len(self.student.spec["layers"]) - 1)

    def to(self, cursor: int) -> Response:
        """Saves the student's new position (when it changed) and answers the step it shows."""
        session = _session(self.student)
        trace = session.trace()
        if cursor != self.student.cursor:
            self.store.assignments.move_student(self.assignment.id, self.student.number, cursor)
        shown = None if cursor == 0 else (trace.steps[cursor - 1], trace)
        shown = self.notation.show(session.network, shown)
        answer = answers.work_move(
            _position(cursor, len(trace.steps)),
            shown,
            _hidden(self.assignment, trace),
            self.encoding,
        )
        return answers.respond(answer)


def mover(
    assignment_id: AssignmentId,
    token: TokenDep,
    store: StoreDep,
    notation: ConventionDep,
    encoding: EncodingDep,
) -> Mover:
    """The student the token opens, ready to move."""
    assignment, student = student_of(store, assignment_id, token)
    return Mover(store, assignment, student, notation, encoding)


MoverDep = Annotated[Mover, Depends(mover)]
MOVE = {"response_model": schemas.WorkMove, "responses": UNAUTHORISED}
REFUSED_MOVE = {
    "response_model": schemas.WorkMove,
    "responses": UNAUTHORISED | {409: {"model": schemas.Problem}},
}


@router.get("/{assignment_id}/work/current", **MOVE)  # type: ignore[arg-type]
def read_work_step(move: MoverDep) -> Response:
    """Where the student is and the step shown, withheld tensors left out (student's token)."""
    return move.to(move.student.cursor)


@router.post("/{assignment_id}/work/step", **REFUSED_MOVE)  # type: ignore[arg-type]
def step_work(move: MoverDep) -> Response:
    """The next step; the update is the last (student's token)."""
    if move.student.cursor >= move.last:
        raise engine.CannotMove("the update is the last step of the assignment's iteration")
    return move.to(move.student.cursor + 1)


@router.post("/{assignment_id}/work/back", **REFUSED_MOVE)  # type: ignore[arg-type]
def back_work(move: MoverDep) -> Response:
    """One step back (student's token)."""
    if move.student.cursor == 0:
        raise engine.CannotMove("already at the start of the iteration")
    return move.to(move.student.cursor - 1)


@router.post("/{assignment_id}/work/goto", **MOVE)  # type: ignore[arg-type]
def goto_work(
    assignment_id: AssignmentId,
    body: schemas.GotoRequest,
    token: TokenDep,
    store: StoreDep,
    notation: ConventionDep,
    encoding: EncodingDep,
) -> Response:
    """Moves so that `step` steps are taken, 0 … 2k + 2 (student's token)."""
    # The token is read after the body is checked (a malformed body is a 422 whoever sends it).
    move = mover(assignment_id, token, store, notation, encoding)
    if not 0 <= body.step <= move.last:
        raise invalid(("body", "step"), f"must be 0 … {move.last} (2k + 2), got {body.step}")
    return move.to(body.step)


@router.post("/{assignment_id}/work/submissions", responses=UNAUTHORISED | REFUSED)
def submit_task(
    assignment_id: AssignmentId,
    body: schemas.SubmissionRequest,
    token: TokenDep,
    store: StoreDep,
    settings: SettingsDep,
    notation: ConventionDep,
) -> schemas.Submission:
    """Grades one task, entry by entry, with the assignment's tolerance, and counts the
    attempt: which entries are right, never the values expected. Refused (409) once the
    assignment is closed or revealed or the task's attempts are used up, and (429) past the
    server's submissions a minute; a refused or malformed submission is not an attempt
    (student's token)."""
    assignment, student = student_of(store, assignment_id, token)
    if assignment.revealed:
        raise refusal(
            409,
            ASSIGNMENT_LOC,
            "the solutions of this assignment are revealed: submissions are no longer taken",
            "assignment_revealed",
        )
    if assignment.closed(time.time()):
        assert assignment.closes is not None
        raise refusal(
            409,
            ASSIGNMENT_LOC,
            f"this assignment closed at {iso(assignment.closes)}: submissions are no longer taken",
            "assignment_closed",
        )
    session = _session(student)
    trace = session.trace()
    if body.tensor not in assignment.tasks:
        what = "is not a task of" if body.tensor in trace.tensors else "is no tensor of"
        raise invalid(
            ("body", "tensor"),
            f"{body.tensor!r} {what} this assignment: its tasks are {', '.join(assignment.tasks)}",
        )
    made_before = store.assignments.attempts(assignment_id, student.number)
    before = [a for a in made_before if a.task == body.tensor]
    if assignment.attempts is not None and len(before) >= assignment.attempts:
        raise AttemptsUsedUp(body.tensor, assignment.attempts)
    request = schemas.CheckRequest(
        tensor=body.tensor, values=body.values, tolerance=assignment.tolerance
    )
    checked = grade(session.network, trace, 1, request, notation)  # the first iteration
    correct, values = checked.correct, body.values
    if notation.convention == "row":  # kept in the column convention, as the tensors are
        correct = [list(col) for col in zip(*correct, strict=True)]
        values = [list(col) for col in zip(*values, strict=True)]
    made = store.assignments.add_attempt(
        assignment_id,
        student.number,
        Attempt(body.tensor, 0.0, values, correct, checked.correct_count, checked.total),
        allowed=assignment.attempts,
        per_minute=settings.submissions_per_minute,
    )
    now = store.assignments.attempts(assignment_id, student.number)
    [standing] = [
        g
        for g in task_grades(assignment.tasks, sizes(task_infos(assignment)), now)
        if g.task == body.tensor
    ]
    return schemas.Submission(
        **checked.model_dump(), attempt=made, status=task_status(standing, assignment.attempts)
    )


@router.get("/{assignment_id}/work/solutions", responses=UNAUTHORISED | REFUSED)
def read_solutions(
    assignment_id: AssignmentId, token: TokenDep, store: StoreDep, notation: ConventionDep
) -> Response:
    """The student's expected values of every task, once the lecturer has revealed the
    solutions (409 before); student's token."""
    assignment, student = student_of(store, assignment_id, token)
    if not assignment.revealed:
        raise refusal(
            409,
            ASSIGNMENT_LOC,
            "the lecturer has not revealed the solutions of this assignment",
            "not_revealed",
        )
    session = _session(student)
    shown = notation.trace(session.network, session.trace())
    return answers.respond(answers.solutions(shown, list(assignment.tasks)))
