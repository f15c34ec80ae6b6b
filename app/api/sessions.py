"""Stepping sessions: create one, step it forward and back, train it, export it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Request, Response

from app import engine, schemas
from app.config import Settings
from app.engine import CannotMove
from app.store import history_limit

from . import answers
from .deps import LimitsDep, SettingsDep, StoreDep
from .encoding import (
    EncodingDep,
    EncodingQuery,
    Held,
    HeldDep,
    HeldIterationQuery,
    HeldQuery,
    held_of,
)
from .errors import CONFLICT, FULL, INVALID, NOT_FOUND, invalid
from .json_body import JsonBodyRoute
from .notation import ConventionQuery, NamesQuery, Notation, NotationDep, ViewQuery
from .paths import app_path
from .trace import SPEC_EXAMPLES

router = APIRouter(
    prefix="/api/sessions", tags=["sessions"], responses=INVALID, route_class=JsonBodyRoute
)

SessionId = Annotated[
    str,
    Path(
        description="The id POST /api/sessions returned.",
        examples=["3q2-7wEuL9Zp0n5bXJdV8kYc1rTgMhQa"],
    ),
]

CREATE_EXAMPLES: dict[str, Any] = {
    **SPEC_EXAMPLES,
    "exported": {
        "summary": "An exported session",
        "description": "What GET /api/sessions/{id}/export returned: the session comes back "
        "exactly where it was.",
        "value": schemas.EXPORTED_EXAMPLE,
    },
}


@dataclass(frozen=True)
class MoveQuery:
    """How a move's client asks to see the step: its notation, its encoding, and the tensors
    it holds already."""

    notation: Notation
    encoding: schemas.Encoding
    held: Held


async def move_query(
    convention: ConventionQuery = "column",
    view: ViewQuery = "affine",
    names: NamesQuery = "paper",
    encoding: EncodingQuery = "json",
    held: HeldQuery = "",
    held_iteration: HeldIterationQuery = None,
) -> MoveQuery:
    """A move's query parameters, those of NotationDep, EncodingDep and HeldDep, read by one
    dependency: FastAPI solves each dependency of each request (~20 µs apiece), and every
    click on the page is a move."""
    return MoveQuery(Notation(convention, view, names), encoding, held_of(held, held_iteration))


MoveQueryDep = Annotated[MoveQuery, Depends(move_query)]


@router.post("", status_code=201, response_model=schemas.Session, responses=FULL)
def create_session(
    body: Annotated[schemas.SessionCreate, Body(openapi_examples=CREATE_EXAMPLES)],
    store: StoreDep,
    settings: SettingsDep,
    limits: LimitsDep,
    request: Request,
    encoding: EncodingDep,
) -> Response:
    """Creates a session at step 0 of iteration 1, or restores an exported one."""
    session = engine.Session.from_document(
        body.to_document(), limits=limits, history_limit=settings.back_history
    )
    session.history_limit = history_limit(
        session.network, count=settings.back_history, max_bytes=settings.max_history_bytes
    )
    if session.iteration > settings.max_session_iterations:
        raise invalid(
            ("body", "state", "iteration"),
            f"at most {settings.max_session_iterations} finished iterations "
            "(MAX_SESSION_ITERATIONS)",
            "less_than_equal",
        )
    excess = len(session.history) - session.history_limit
    if excess > 0:  # an export from a server that keeps more: its oldest states go
        del session.history[:excess]
    session_id = store.create(session)
    return answers.respond(
        answers.session_answer(session_id, session, encoding),
        status_code=201,
        headers={"Location": app_path(request, f"{router.prefix}/{session_id}")},
    )


@router.get("/{session_id}", response_model=schemas.Session, responses=NOT_FOUND)
def read_session(
    session_id: SessionId, store: StoreDep, encoding: EncodingDep, held: HeldDep
) -> Response:
    """Returns the session: spec, current parameters (as typed arrays with
    `encoding=binary`; null for each W_i `held` of the iteration it is in), position and
    losses."""
    with store.read(session_id) as session:
        answer = answers.session_answer(session_id, session, encoding, held=held)
    return answers.respond(answer)


@router.delete("/{session_id}", status_code=204, responses=NOT_FOUND)
def delete_session(session_id: SessionId, store: StoreDep) -> None:
    """Deletes the session."""
    store.delete(session_id)


@router.post(
    "/{session_id}/step", response_model=schemas.StepAnswer, responses=NOT_FOUND | CONFLICT
)
def step_session(
    session_id: SessionId, store: StoreDep, settings: SettingsDep, query: MoveQueryDep
) -> Response:
    """Takes the next step; after the update the next iteration starts with the new weights.
    Answers where the session is and the step with its tensors (the spec, the parameters and
    the losses: GET /api/sessions/{id})."""
    with store.edit(session_id) as session:
        query.notation.check(session.network)
        shown = query.notation.show(session.network, session.step())
        check_iteration_room(settings, session)
        assert shown is not None
        answer = answers.move(session_id, session, shown, query.encoding, held=query.held)
    return answers.respond(answer)


@router.post(
    "/{session_id}/back", response_model=schemas.MoveAnswer, responses=NOT_FOUND | CONFLICT
)
def back_session(session_id: SessionId, store: StoreDep, query: MoveQueryDep) -> Response:
    """Undoes the last step; undoing an update restores the weights before it exactly."""
    with store.edit(session_id) as session:
        answer = _shown_move(session_id, session, query, session.back)
    return answers.respond(answer)


@router.post(
    "/{session_id}/goto", response_model=schemas.MoveAnswer, responses=NOT_FOUND | CONFLICT
)
def goto_step(
    session_id: SessionId,
    body: schemas.GotoRequest,
    store: StoreDep,
    settings: SettingsDep,
    query: MoveQueryDep,
) -> Response:
    """Moves within the current iteration so that `step` steps are taken."""
    with store.edit(session_id) as session:
        query.notation.check(session.network)
        try:
            shown = query.notation.show(session.network, session.goto(body.step))
        except CannotMove as exc:
            raise invalid(("body", "step"), str(exc)) from None
        check_iteration_room(settings, session)
        answer = answers.move(session_id, session, shown, query.encoding, held=query.held)
    return answers.respond(answer)


@router.get("/{session_id}/current", response_model=schemas.MoveAnswer, responses=NOT_FOUND)
def read_current_step(session_id: SessionId, store: StoreDep, query: MoveQueryDep) -> Response:
    """Returns where the session is and the step now shown (what the page shows after a
    reload)."""
    with store.read(session_id) as session:
        answer = _shown_move(session_id, session, query, session.current)
    return answers.respond(answer)


def _shown_move(
    session_id: str,
    session: engine.Session,
    query: MoveQuery,
    move: Callable[[], answers.Shown],
) -> answers.Answer:
    """The answer to `move` (or to reading the current step): the notation is checked against
    the network before it is made, and the step it shows is written in that notation, without
    the entries of the tensors the client holds."""
    query.notation.check(session.network)
    shown = query.notation.show(session.network, move())
    return answers.move(session_id, session, shown, query.encoding, held=query.held)


@router.get(
    "/{session_id}/steps/{number}", response_model=schemas.StepWithTensors, responses=NOT_FOUND
)
def read_step(
    session_id: SessionId,
    number: Annotated[
        int, Path(ge=1, description="1-based step of the current iteration, 1 … 2k + 2.")
    ],
    store: StoreDep,
    notation: NotationDep,
    encoding: EncodingDep,
) -> Response:
    """Returns a step of the current iteration with its tensors, without moving the cursor."""
    with store.read(session_id) as session:
        if number > session.steps_per_iteration:
            raise invalid(
                ("path", "number"), f"must be at most {session.steps_per_iteration} (2k + 2)"
            )
        notation.check(session.network)
        trace = session.trace()
        shown = notation.show(session.network, (trace.steps[number - 1], trace))
        assert shown is not None
        answer = answers.step(*shown, encoding)
    return answers.respond(answer)


@router.post(
    "/{session_id}/train", response_model=schemas.TrainAnswer, responses=NOT_FOUND | CONFLICT
)
def train_session(
    session_id: SessionId, body: schemas.TrainRequest, store: StoreDep, settings: SettingsDep
) -> Response:
    """Runs whole iterations from the start of the current one; returns J of each."""
    check_iterations(settings, None, body.iterations)
    with store.edit(session_id) as session:
        check_iterations(settings, session.network, body.iterations)
        check_iteration_room(settings, session, body.iterations)
        losses = session.train(body.iterations)
        answer = answers.trained(session_id, session, losses)
    return answers.respond(answer)


def training_allowance(settings: Settings, network: engine.Network) -> int:
    """The most iterations one training request may run on `network`: MAX_TRAIN_ITERATIONS,
    and no more than MAX_TRAIN_WORK of iterations × (parameters + activations); at least 1."""
    work = network.spec.parameter_count + sum(network.spec.layers) * network.spec.batch
    return max(1, min(settings.max_train_iterations, settings.max_train_work // work))


def check_iterations(settings: Settings, network: engine.Network | None, iterations: int) -> None:
    """422 on `iterations` when a training request may not run that many (on `network`)."""
    allowed = settings.max_train_iterations
    why = ""
    if network is not None and training_allowance(settings, network) < allowed:
        allowed = training_allowance(settings, network)
        parameters = network.spec.parameter_count
        activations = sum(network.spec.layers) * network.spec.batch
        why = (
            f" for this network: each iteration of its {parameters} parameters and "
            f"{activations} activations counts {parameters + activations} towards the "
            f"{settings.max_train_work} a request may do (MAX_TRAIN_WORK)"
        )
    if iterations > allowed:
        raise invalid(
            ("body", "iterations"),
            f"at most {allowed} iterations per request{why}",
            "less_than_equal",
        )


def check_iteration_room(settings: Settings, session: engine.Session, more: int = 0) -> None:
    """CannotMove (409) when the session, with `more` iterations more, would have finished
    over MAX_SESSION_ITERATIONS: its losses, kept, answered and exported with it, stay bounded,
    so that every export can be taken back."""
    most = settings.max_session_iterations
    if session.iteration + more <= most:
        return
    left = most - session.iteration
    fit = f"only {left} more fit" if left > 0 else "this one has finished them all"
    raise CannotMove(
        f"a session finishes at most {most} iterations (MAX_SESSION_ITERATIONS), so that its "
        f"losses and its export stay bounded, and {fit}: reset it, or start a new session"
    )


@router.post("/{session_id}/reset", response_model=schemas.Session, responses=NOT_FOUND)
def reset_session(session_id: SessionId, store: StoreDep, encoding: EncodingDep) -> Response:
    """Goes back to step 0 of iteration 1 with the starting weights."""
    with store.edit(session_id) as session:
        session.reset()
        answer = answers.session_answer(session_id, session, encoding)
    return answers.respond(answer)


@router.get("/{session_id}/export", response_model=schemas.ExportedSession, responses=NOT_FOUND)
def export_session(session_id: SessionId, store: StoreDep) -> Response:
    """Returns the session as a document that POST /api/sessions takes back."""
    with store.read(session_id) as session:
        answer = answers.exported(session)
    return answers.respond(answer)
