"""Training you can watch: a run streamed chunk by chunk, and the decision boundary."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated

import anyio
from fastapi import APIRouter, Depends, HTTPException, Query, Request

from app import engine, schemas
from app.config import Settings
from app.engine import CannotMove
from app.store import SessionConflict, SessionNotFound, SessionStore, StoreUnavailable

from . import answers
from .deps import SettingsDep, StoreDep
from .errors import CONFLICT, INVALID, NOT_FOUND, invalid
from .json_body import JsonBodyRoute
from .sessions import SessionId, check_iteration_room

router = APIRouter(
    prefix="/api/sessions", tags=["training"], responses=INVALID, route_class=JsonBodyRoute
)

CHUNK_SECONDS = 0.1
"""A chunk of a streamed run aims at this much time under the session's lock."""

MIN_LINES = 20
"""A run of many iterations is cut into at least about this many chunks (progress lines)."""

BOUNDARY_BUDGET = 4_000_000
"""Grid points times the widest layer a decision boundary may cost; coarser grids beyond."""


def next_chunk(size: int, elapsed: float, total: int) -> int:
    """How many iterations the next chunk runs, from how long `size` of them took."""
    per_iteration = max(elapsed / size, 1e-7)
    by_time = int(CHUNK_SECONDS / per_iteration)
    return max(1, min(by_time, math.ceil(total / MIN_LINES)))


def training_run(
    session_id: SessionId,
    body: schemas.TrainRequest,
    settings: SettingsDep,
) -> int:
    """The iterations to run, checked before the stream starts: 422 over the limit."""
    if body.iterations > settings.max_train_iterations:
        raise invalid(
            ("body", "iterations"),
            f"at most {settings.max_train_iterations} iterations per request",
            "less_than_equal",
        )
    return body.iterations


@dataclass(frozen=True)
class Chunk:
    """What one chunk of a streamed run did, saved: its line, how long it took, and the
    session's answer when it was the last."""

    line: schemas.TrainProgress
    seconds: float
    answer: schemas.Session | None


class RunLeft(Exception):
    """The client of a streamed run went away before a chunk began: the chunk is not run."""


def run_chunk(
    store: SessionStore,
    settings: Settings,
    session_id: str,
    size: int,
    done: int,
    total: int,
    *,
    wanted: Callable[[], bool] | None = None,
) -> Chunk:
    """Runs `size` whole iterations of the session and saves them (one edit of the store);
    CannotMove when the rest of the run would take it past MAX_SESSION_ITERATIONS.

    `wanted` is asked under the session's lock, before anything runs: when it says no (the
    run's client has gone), RunLeft, and the session is left as it was. Asked there, a read
    of the session made once the client has gone (the page's Stop, then its read) waits for a
    chunk running and sees the run's last one: no chunk starts after it."""
    started = time.perf_counter()
    answer = None
    with store.edit(session_id) as session:
        if wanted is not None and not wanted():
            raise RunLeft
        check_iteration_room(settings, session, total - done)
        records = session.train_records(size)
        iteration = session.iteration
        if done + size == total:
            answer = schemas.Session.model_validate(answers.session_answer(session_id, session))
    line = schemas.TrainProgress.from_engine(
        records, done=done + size, total=total, iteration=iteration
    )
    return Chunk(line, time.perf_counter() - started, answer)


def first_chunk(
    session_id: SessionId,
    total: Annotated[int, Depends(training_run)],
    store: StoreDep,
    settings: SettingsDep,
) -> Chunk:
    """The run's first iteration, saved before the answer starts: an unknown session is a 404,
    a busy one or one the run would take past its most iterations a 409, and a store that
    cannot save a 503, as for any other request."""
    return run_chunk(store, settings, session_id, 1, 0, total)


STOPPED_BY: dict[type[Exception], int] = {
    SessionNotFound: 404,
    SessionConflict: 409,
    CannotMove: 409,
    StoreUnavailable: 503,
}
"""What may stop a streamed run after its answer started, and the status its last line gives."""


@router.post(
    "/{session_id}/train/stream",
    responses=NOT_FOUND | CONFLICT,
    response_description="One JSON object per line (JSON Lines): a `progress` line after each "
    "chunk of iterations, saved before it is sent, then a `done` line with the session; or, "
    "when the run cannot go on (the session deleted meanwhile, busy, or the store unable to "
    "save), an `error` line with the status and the reason, everything sent before it saved.",
)
def stream_training(
    session_id: SessionId,
    first: Annotated[Chunk, Depends(first_chunk)],
    store: StoreDep,
    settings: SettingsDep,
    request: Request,
) -> Iterator[schemas.TrainStreamLine]:
    """Runs whole iterations in chunks, saving the session after each, and streams what each
    chunk did: J, per-layer ‖Δ_i‖ and ‖∇W_i‖, dead units. A run whose client has gone stops
    before its next chunk."""

    def wanted() -> bool:
        # Asked from the chunk's worker thread of the event loop that holds the connection.
        return not anyio.from_thread.run(request.is_disconnected)

    # The run's length as its first chunk read it (one reading of the body: a bad count is
    # then said once in the 422, not once for each dependency that would read it).
    total = first.line.total
    chunk = first
    losses: list[schemas.JsonFloat] = []
    size = 1
    while True:
        losses.extend(chunk.line.losses)
        yield chunk.line
        done = chunk.line.done
        if done == total:
            break
        size = min(next_chunk(size, chunk.seconds, total), total - done)
        try:
            chunk = run_chunk(store, settings, session_id, size, done, total, wanted=wanted)
        except RunLeft:
            return
        except (SessionNotFound, SessionConflict, CannotMove, StoreUnavailable) as error:
            status = next(code for kind, code in STOPPED_BY.items() if isinstance(error, kind))
            yield schemas.TrainFailed(type="error", status=status, detail=str(error))
            return
    assert chunk.answer is not None
    yield schemas.TrainDone(type="done", session=chunk.answer, losses=losses)


Resolution = Annotated[
    int,
    Query(ge=2, le=200, description="Grid points along each axis; fewer for a very wide network."),
]


def boundary_of(store: SessionStore, session_id: str, resolution: int) -> schemas.DecisionBoundary:
    """The decision boundary of a stored session with its current weights; 409 unless the
    network has two inputs."""
    with store.read(session_id) as session:
        network, parameters = session.network, session.parameters
    if network.layers[0] != 2:
        raise HTTPException(
            409,
            f"the network has {network.layers[0]} inputs; a decision boundary over the input "
            "plane needs exactly two (n_0 = 2)",
        )
    affordable = math.isqrt(BOUNDARY_BUDGET // max(network.layers))
    grid = engine.decision_grid(network, parameters, resolution=min(resolution, affordable))
    return schemas.DecisionBoundary.from_engine(grid, network)


@router.get("/{session_id}/boundary", responses=NOT_FOUND | CONFLICT)
def read_boundary(
    session_id: SessionId, store: StoreDep, resolution: Resolution = 60
) -> schemas.DecisionBoundary:
    """The network's output over a grid of the input plane around the batch (n_0 = 2 only),
    with the current weights; 409 for another number of inputs."""
    return boundary_of(store, session_id, resolution)
