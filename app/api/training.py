"""Training you can watch: a run streamed chunk by chunk, and the decision boundary."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query

from app import engine, schemas
from app.store import SessionConflict, SessionNotFound

from . import answers
from .deps import SettingsDep, StoreDep
from .errors import CONFLICT, INVALID, NOT_FOUND, invalid
from .json_body import JsonBodyRoute
from .sessions import SessionId

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
    store: StoreDep,
    settings: SettingsDep,
) -> int:
    """The iterations to run, checked before the stream starts: 422 over the limit, 404 for
    an unknown session."""
    if body.iterations > settings.max_train_iterations:
        raise invalid(
            ("body", "iterations"),
            f"at most {settings.max_train_iterations} iterations per request",
            "less_than_equal",
        )
    with store.read(session_id):
        pass
    return body.iterations


@router.post(
    "/{session_id}/train/stream",
    responses=NOT_FOUND,
    response_description="One JSON object per line (JSON Lines): a `progress` line after each "
    "chunk of iterations, saved before it is sent, then a `done` line with the session (or an "
    "`error` line if the session went away meanwhile).",
)
def stream_training(
    session_id: SessionId,
    total: Annotated[int, Depends(training_run)],
    store: StoreDep,
) -> Iterator[schemas.TrainStreamLine]:
    """Runs whole iterations in chunks, saving the session after each, and streams what each
    chunk did: J, per-layer ‖Δ_i‖ and ‖∇W_i‖, dead units."""
    done = 0
    size = 1
    losses: list[schemas.JsonFloat] = []
    answer: schemas.Session | None = None
    try:
        while done < total:
            size = min(size, total - done)
            started = time.perf_counter()
            with store.edit(session_id) as session:
                records = session.train_records(size)
                iteration = session.iteration
                if done + size == total:
                    answer = schemas.Session.model_validate(
                        answers.session_answer(session_id, session)
                    )
            elapsed = time.perf_counter() - started
            done += size
            line = schemas.TrainProgress.from_engine(
                records, done=done, total=total, iteration=iteration
            )
            losses.extend(line.losses)
            yield line
            size = next_chunk(size, elapsed, total)
    except SessionNotFound as exc:
        yield schemas.TrainFailed(type="error", status=404, detail=str(exc))
        return
    except SessionConflict as exc:
        yield schemas.TrainFailed(type="error", status=409, detail=str(exc))
        return
    assert answer is not None
    yield schemas.TrainDone(type="done", session=answer, losses=losses)


@router.get("/{session_id}/boundary", responses=NOT_FOUND | CONFLICT)
def read_boundary(
    session_id: SessionId,
    store: StoreDep,
    resolution: Annotated[
        int,
        Query(
            ge=2,
            le=200,
            description="Grid points along each axis; fewer for a very wide network.",
        ),
    ] = 60,
) -> schemas.DecisionBoundary:
    """The network's output over a grid of the input plane around the batch (n_0 = 2 only),
    with the current weights; 409 for another number of inputs."""
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
