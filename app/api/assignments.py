"""Assignments, the lecturer's side: set one from a network template, watch the table of
results, download the gradebook, change or close it, reveal the solutions, and look after one
student (another seed, a new personal link). Anyone with the student link reads its outline."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Response

from app import engine, schemas
from app.assignments.grades import (
    CANVAS_TOTALS,
    TaskGrade,
    grade_students,
    gradebook_csv,
    task_grades,
)
from app.assignments.networks import (
    check_template,
    computed,
    derive_seed,
    new_salt,
    student_spec,
)
from app.store import (
    Assignment,
    SessionStore,
    Student,
    new_session_id,
    new_token,
    token_digest,
)

from .assignment_access import (
    NO_ASSIGNMENT,
    UNAUTHORISED,
    AssignmentId,
    RootDep,
    TokenDep,
    iso,
    lecturer_assignment,
)
from .deps import LimitsDep, StoreDep
from .errors import FULL, INVALID, invalid
from .json_body import JsonBodyRoute


def assignment_router(tag: str) -> APIRouter:
    """A router of routes under `/api/assignments`, listed under `tag` in /docs; any of them
    may answer 422 or 404 (no such assignment)."""
    return APIRouter(
        prefix="/api/assignments",
        tags=[tag],
        responses=INVALID | NO_ASSIGNMENT,
        route_class=JsonBodyRoute,
    )


router = assignment_router("assignments")
tasks_router = APIRouter(
    prefix="/api/assignment-tasks",
    tags=["assignments"],
    responses=INVALID,
    route_class=JsonBodyRoute,
)
"""Beside `router`, not in it: `/api/assignments/tasks` would be an assignment's address too."""

StudentNumber = Annotated[
    str, Path(description="The student's number (any case).", examples=["s1815"])
]

TRUSTED = engine.Limits(
    max_width=1 << 62, max_depth=1 << 62, max_parameters=1 << 62, max_batch=1 << 62
)
"""A stored template was checked when the assignment was set; smaller limits later must not
lock its students out."""


def sample_session(template: dict[str, Any]) -> engine.Session:
    """A session of the template's network (seed 0): every student's has its shapes."""
    return engine.Session.create(student_spec(template, 0), limits=TRUSTED)


def _infos(trace: engine.Trace, names: Iterable[str]) -> list[schemas.TaskInfo]:
    """Tensors of an iteration: symbol, shape, and the step that computes each."""
    made_in: dict[str, engine.Step] = {}
    for step in trace.steps:
        for name in (*step.intermediates, *step.results):
            made_in.setdefault(name, step)
    return [
        schemas.TaskInfo(
            name=name,
            latex=trace.tensors[name].latex,
            shape=list(trace.tensors[name].shape),
            step=made_in[name].index + 1,
            step_title=made_in[name].title,
        )
        for name in names
    ]


def task_infos(assignment: Assignment) -> list[schemas.TaskInfo]:
    """Each task's tensor: symbol, shape, and the step that computes it."""
    return _infos(sample_session(assignment.template).trace(), assignment.tasks)


def sizes(tasks: list[schemas.TaskInfo]) -> dict[str, int]:
    """Each task's number of entries."""
    return {task.name: task.shape[0] * task.shape[1] for task in tasks}


def info(
    assignment: Assignment, root: str, tasks: list[schemas.TaskInfo] | None = None
) -> schemas.AssignmentInfo:
    """The assignment as its student link shows it; its page under the app's `root`."""
    template = assignment.template
    spec = sample_session(template).network.spec
    drawn = [key for key in ("inputs", "targets", "weights") if template.get(key) is None]
    if template.get("weights_seed") is not None:
        drawn = [key for key in drawn if key != "weights"]
    if spec.targets is None:
        drawn = [key for key in drawn if key != "targets"]
    return schemas.AssignmentInfo(
        id=assignment.id,
        title=assignment.title,
        tasks=task_infos(assignment) if tasks is None else tasks,
        tolerance=assignment.tolerance,
        attempts=assignment.attempts,
        closes_at=None if assignment.closes is None else iso(assignment.closes),
        closed=assignment.closed(time.time()),
        revealed=assignment.revealed,
        network=schemas.TemplateInfo(
            layers=list(spec.layers),
            activations=spec.to_dict()["activations"],
            bias=spec.bias,
            loss=spec.loss,
            batch=spec.batch,
            drawn=drawn,
        ),
        page=f"{root}/assignments/{assignment.id}",
    )


def task_status(grade: TaskGrade, allowed: int | None) -> schemas.TaskStatus:
    """How a student stands at a task, for the table and for the student."""
    return schemas.TaskStatus(
        task=grade.task,
        attempts=grade.attempts,
        attempts_left=None if allowed is None else max(0, allowed - grade.attempts),
        best=grade.best,
        total=grade.total,
        right=grade.right,
        score=grade.score,
        last=grade.last,
    )


def student_row(
    assignment: Assignment, student: Student, grades: tuple[TaskGrade, ...]
) -> schemas.StudentRow:
    """A row of the lecturer's table."""
    return schemas.StudentRow(
        number=student.number,
        name=student.name,
        seed=student.seed,
        seed_given=student.seed_given,
        joined=iso(student.joined),
        cursor=student.cursor,
        tasks=[task_status(g, assignment.attempts) for g in grades],
        total=sum(g.score for g in grades),
    )


def new_student_network(assignment: Assignment, student: Student, seed: int | None) -> Student:
    """The student with the network of `seed` (None: the one their number derives)."""
    chosen = derive_seed(assignment.salt, student.number_key) if seed is None else seed
    return replace(
        student,
        seed=chosen,
        seed_given=seed is not None,
        spec=student_spec(assignment.template, chosen),
        cursor=0,
    )


# --- set, read, change ---------------------------------------------------------------------


def _check_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise invalid(("body", "title"), "must not be blank")
    for words in CANVAS_TOTALS:
        if words.lower() in title.lower():
            raise invalid(
                ("body", "title"),
                f"must not contain {words!r}: Canvas's grade import skips columns so named "
                "(it takes them for its own totals), and the gradebook's columns start with "
                "the title",
            )
    return title


def _check_tasks(tasks: list[str], network_names: list[str], given: list[str]) -> tuple[str, ...]:
    """The tasks in step order; 422 naming the first that is not a tensor the students can
    compute, or named twice."""
    for i, task in enumerate(tasks):
        if task in given:
            raise invalid(
                ("body", "tasks", i),
                f"{task} is given to the students (X, Y, W_i and b_i are), not computed: "
                f"choose among {', '.join(network_names)}",
            )
        if task not in network_names:
            raise invalid(
                ("body", "tasks", i),
                f"no tensor {task!r} in an iteration of this network; its tensors are "
                f"{', '.join(network_names)}",
            )
        if task in tasks[:i]:
            raise invalid(("body", "tasks", i), f"{task} is named twice")
    return tuple(sorted(tasks, key=network_names.index))


@router.post(
    "",
    status_code=201,
    response_model=schemas.AssignmentCreated,
    responses=FULL,
)
def create_assignment(
    body: Annotated[
        schemas.AssignmentCreate, Body(openapi_examples={"xor": {"value": schemas.CREATE_EXAMPLE}})
    ],
    store: StoreDep,
    limits: LimitsDep,
    root: RootDep,
) -> Response:
    """Sets an assignment; answers its outline, the lecturer's token and the lecturer page (the
    token is shown once: the server keeps only its SHA-256)."""
    title = _check_title(body.title)
    template = body.template.model_dump()
    try:
        network = check_template(template, limits)
    except engine.SpecError as error:
        raise invalid(("body", "template", *error.loc), error.reason) from None
    trace = engine.trace_iteration(network, network.initial_parameters())
    names = computed(trace)
    given = [name for name in trace.tensors if name not in names]
    tasks = _check_tasks(body.tasks, names, given)
    token = new_token()
    assignment = Assignment(
        id=new_session_id(),
        key=token_digest(token),
        title=title,
        template=template,
        tasks=tasks,
        tolerance=body.tolerance,
        attempts=body.attempts,
        closes=None if body.closes_at is None else body.closes_at.timestamp(),
        revealed=False,
        salt=new_salt(),
        created=time.time(),
    )
    store.assignments.create(assignment)
    created = schemas.AssignmentCreated(
        assignment=info(assignment, root),
        lecturer_token=token,
        lecturer_page=f"{root}/assignments/{assignment.id}/lecturer#token={token}",
    )
    return Response(
        created.model_dump_json(),
        status_code=201,
        media_type="application/json",
        headers={"Location": f"{root}{router.prefix}/{assignment.id}"},
    )


@tasks_router.post("")
def list_tasks(
    body: Annotated[
        schemas.NetworkTemplate,
        Body(openapi_examples={"2-3-1": {"value": schemas.TEMPLATE_EXAMPLE}}),
    ],
    limits: LimitsDep,
) -> schemas.TaskChoices:
    """The tensors a template's students could be set to compute, in step order, with their
    shapes: what `tasks` may name. Nothing is stored."""
    template = body.model_dump()
    try:
        network = check_template(template, limits)
    except engine.SpecError as error:
        raise invalid(("body", *error.loc), error.reason) from None
    trace = engine.trace_iteration(network, network.initial_parameters())
    return schemas.TaskChoices(tasks=_infos(trace, computed(trace)))


@router.get("/{assignment_id}")
def read_assignment(
    assignment_id: AssignmentId, store: StoreDep, root: RootDep
) -> schemas.AssignmentInfo:
    """The assignment's outline, as its student link shows it: title, tasks, rules, network."""
    return info(store.assignments.get(assignment_id), root)


@router.patch("/{assignment_id}", responses=UNAUTHORISED)
def change_assignment(
    assignment_id: AssignmentId,
    body: schemas.AssignmentChange,
    token: TokenDep,
    store: StoreDep,
    root: RootDep,
) -> schemas.AssignmentInfo:
    """Changes the title, tolerance, attempts allowed or closing time, closes or opens it, or
    reveals the solutions (lecturer's token)."""
    assignment = lecturer_assignment(store, assignment_id, token)
    given = body.model_fields_set
    changes: dict[str, Any] = {}
    if "title" in given:
        if body.title is None:
            raise invalid(("body", "title"), "must be a title, not null")
        changes["title"] = _check_title(body.title)
    if "tolerance" in given:
        if body.tolerance is None:
            raise invalid(("body", "tolerance"), "must be a number, not null")
        changes["tolerance"] = body.tolerance
    if "attempts" in given:
        changes["attempts"] = body.attempts
    if "closes_at" in given:
        changes["closes"] = None if body.closes_at is None else body.closes_at.timestamp()
    if body.closed is not None:
        if "closes_at" in given:
            raise invalid(("body", "closed"), "give `closed` or `closes_at`, not both")
        changes["closes"] = time.time() if body.closed else None
    if "revealed" in given:
        if body.revealed is None:
            raise invalid(("body", "revealed"), "must be true or false, not null")
        changes["revealed"] = body.revealed
    changed = replace(assignment, **changes)
    store.assignments.save(changed)
    return info(changed, root)


@router.delete("/{assignment_id}", status_code=204, responses=UNAUTHORISED)
def delete_assignment(assignment_id: AssignmentId, token: TokenDep, store: StoreDep) -> None:
    """Deletes the assignment with its students and their attempts (lecturer's token)."""
    lecturer_assignment(store, assignment_id, token)
    store.assignments.delete(assignment_id)


# --- results -------------------------------------------------------------------------------


def _graded(store: SessionStore, assignment: Assignment) -> tuple[Any, list[Any]]:
    tasks = task_infos(assignment)
    students = store.assignments.students(assignment.id)
    attempts = store.assignments.attempts(assignment.id)
    return tasks, grade_students(assignment, students, attempts, sizes(tasks))


@router.get("/{assignment_id}/results", responses=UNAUTHORISED)
def read_results(
    assignment_id: AssignmentId, token: TokenDep, store: StoreDep, root: RootDep
) -> schemas.Results:
    """The live table: a row per student (in the order they joined), per task their attempts,
    the most entries right in one, and the entries of the last (lecturer's token)."""
    assignment = lecturer_assignment(store, assignment_id, token)
    tasks, graded = _graded(store, assignment)
    return schemas.Results(
        assignment=info(assignment, root, tasks),
        students=[student_row(assignment, row.student, row.tasks) for row in graded],
    )


CSV_OK: dict[int | str, dict[str, Any]] = {
    200: {"description": "The gradebook.", "content": {"text/csv": {"schema": {"type": "string"}}}}
}


@router.get("/{assignment_id}/gradebook.csv", responses=UNAUTHORISED | CSV_OK)
def download_gradebook(assignment_id: AssignmentId, token: TokenDep, store: StoreDep) -> Response:
    """The gradebook as CSV for Moodle's and Canvas's grade imports: `Student, ID, SIS User ID,
    SIS Login ID, Section`, a column per task (the share of its entries right in the best
    attempt, 0 … 1) and `Final Points`, their sum (lecturer's token)."""
    assignment = lecturer_assignment(store, assignment_id, token)
    _, graded = _graded(store, assignment)
    return Response(
        gradebook_csv(assignment, graded),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="gradebook-{assignment_id}.csv"'},
    )


# --- one student ---------------------------------------------------------------------------


@router.put("/{assignment_id}/students/{student_number}/seed", responses=UNAUTHORISED)
def change_seed(
    assignment_id: AssignmentId,
    student_number: StudentNumber,
    body: schemas.SeedChange,
    token: TokenDep,
    store: StoreDep,
) -> schemas.StudentRow:
    """Gives a student the network of another seed (null: the one their number derives): their
    attempts, made on the old network, are cleared and they start again at step 0 (lecturer's
    token)."""
    assignment = lecturer_assignment(store, assignment_id, token)
    student = new_student_network(
        assignment, store.assignments.student(assignment_id, student_number), body.seed
    )
    store.assignments.save_student(assignment_id, student, clear=True)
    grades = task_grades(assignment.tasks, sizes(task_infos(assignment)), [])
    return student_row(assignment, student, grades)


@router.post("/{assignment_id}/students/{student_number}/link", responses=UNAUTHORISED)
def renew_link(
    assignment_id: AssignmentId,
    student_number: StudentNumber,
    token: TokenDep,
    store: StoreDep,
    root: RootDep,
) -> schemas.StudentLink:
    """A new personal link for a student who lost theirs; the old one stops working (lecturer's
    token)."""
    lecturer_assignment(store, assignment_id, token)
    student = store.assignments.student(assignment_id, student_number)
    fresh = new_token()
    store.assignments.save_student(assignment_id, replace(student, key=token_digest(fresh)))
    return schemas.StudentLink(
        token=fresh, link=f"{root}/assignments/{assignment_id}#student={fresh}"
    )
