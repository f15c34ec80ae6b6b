"""Read-only views of a session: a link others open to follow it live, never to move it."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.sse import EventSourceResponse, ServerSentEvent

from app import schemas
from app.store import SessionConflict, SessionNotFound, SessionStore, StoreUnavailable

from . import answers
from .deps import StoreDep
from .errors import CONFLICT, INVALID, NOT_FOUND
from .notation import Notation, NotationDep
from .paths import app_path
from .sessions import SessionId
from .teaching import ExplainedCol, ExplainedRow, ExplainedTensor, explain_shown
from .training import Resolution, boundary_of
from .turns import TurnsDep

router = APIRouter(tags=["views"], responses=INVALID)

POLL_SECONDS = 0.25
"""How often a followed session is looked up in the store: any replica sees any change."""

STREAM_SECONDS = 300.0
"""An event stream ends after this long; the browser's EventSource then reconnects."""

RETRY_MILLISECONDS = 1000
"""What the stream tells the browser to wait before reconnecting."""

ViewId = Annotated[
    str,
    Path(
        description="The id POST /api/sessions/{id}/view returned (not a session id).",
        examples=["Xb1T0b6pG2fJ4kq9Zr8uWc3nLm5aHs7D"],
    ),
]
VIEW_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": schemas.Problem, "description": "No view with this id (any more)."}
}
EVENTS_REFUSED: dict[int | str, dict[str, Any]] = {
    # Spelt out: a `model` would be documented as text/event-stream, the stream's own type.
    status: {
        "description": answer["description"],
        "content": {
            "application/json": {
                "schema": {"$ref": f"#/components/schemas/{answer['model'].__name__}"}
            }
        },
    }
    for status, answer in (VIEW_NOT_FOUND | INVALID).items()
}


def viewed_session(view_id: ViewId, store: StoreDep) -> str:
    """The id of the session a view shows; 404 for an unknown view id."""
    return store.resolve_view(view_id)


ViewedSession = Annotated[str, Depends(viewed_session)]


def view_notation(session_id: ViewedSession, store: StoreDep, notation: NotationDep) -> Notation:
    """The notation asked for; 422 naming `view` when the followed network cannot be embedded,
    before an event stream starts."""
    with store.read(session_id) as session:
        notation.check(session.network)
    return notation


ViewNotation = Annotated[Notation, Depends(view_notation)]


def view_answer(
    store: SessionStore, session_id: str, view_id: str, notation: Notation
) -> answers.Answer:
    """The session (under the view's id, read-only) and the step it shows, in `notation`."""
    with store.read(session_id) as session:
        notation.check(session.network)
        return answers.view(view_id, session, notation.show(session.network, session.current()))


def _changed(
    store: SessionStore,
    session_id: str,
    view_id: str,
    notation: Notation,
    last: tuple[int, int] | None,
) -> tuple[tuple[int, int], str | None]:
    """Where the session is, and the move answer under the view's id (in `notation`), as
    JSON, when that differs from `last`."""
    with store.read(session_id) as session:
        where = (session.iteration, session.cursor)
        if where == last:
            return where, None
        shown = notation.show(session.network, session.current())
        answer = answers.move(view_id, session, shown, read_only=True)
    return where, answers.dumps(answer).decode()


@router.post("/api/sessions/{session_id}/view", responses=NOT_FOUND)
def create_view(session_id: SessionId, store: StoreDep, request: Request) -> schemas.ViewLink:
    """Returns the session's read-only view link (made on the first call, then the same)."""
    view_id = store.create_view(session_id)
    return schemas.ViewLink(
        view_id=view_id,
        page=app_path(request, f"/?follow={view_id}"),
        events=app_path(request, f"/api/views/{view_id}/events"),
    )


@router.get("/api/views/{view_id}", response_model=schemas.ViewAnswer, responses=VIEW_NOT_FOUND)
def read_view(
    view_id: ViewId, session_id: ViewedSession, store: StoreDep, notation: NotationDep
) -> Response:
    """Returns the followed session (its `id` is the view id, `read_only` true) and the step
    it shows, in the notation asked for."""
    return answers.respond(view_answer(store, session_id, view_id, notation))


@router.get("/api/views/{view_id}/explain", responses=VIEW_NOT_FOUND)
def explain_view_entry(
    session_id: ViewedSession,
    tensor: ExplainedTensor,
    row: ExplainedRow,
    col: ExplainedCol,
    notation: NotationDep,
    store: StoreDep,
) -> schemas.Explanation:
    """Explains one entry of the iteration whose step the followed session shows, as
    GET /api/sessions/{id}/explain does for its owner."""
    return explain_shown(store, session_id, notation, tensor, row, col)


@router.get("/api/views/{view_id}/boundary", responses=VIEW_NOT_FOUND | CONFLICT)
def read_view_boundary(
    session_id: ViewedSession, store: StoreDep, resolution: Resolution = 60
) -> schemas.DecisionBoundary:
    """The followed session's decision boundary, as GET /api/sessions/{id}/boundary gives its
    owner."""
    return boundary_of(store, session_id, resolution)


@router.get(
    "/api/views/{view_id}/events",
    response_class=EventSourceResponse,
    responses=EVENTS_REFUSED,
    response_description="Server-sent events: `step` (data: a move answer, where the session "
    "is and the step it shows, as POST /api/sessions/{id}/goto returns it, under the view's "
    "id) at once and whenever the session moves; `gone` when the session is deleted or "
    "expires; `failed` (data: `status` and `detail`) when the session stays busy past the wait "
    "(409) or the store cannot be read (503), as the stream's last event; `: ping` comments to "
    "keep the connection open. The stream ends after a few minutes and the browser "
    "reconnects.",
)
async def follow_view(
    view_id: ViewId,
    session_id: ViewedSession,
    store: StoreDep,
    notation: ViewNotation,
    turns: TurnsDep,
) -> AsyncIterator[ServerSentEvent]:
    """Pushes the step the session shows (in the notation asked for), now and each time it
    moves. Each look takes the view's turn, as a request on it does: a room of followers of a
    busy session waits on the event loop, not in worker threads."""
    deadline = time.monotonic() + STREAM_SECONDS
    last: tuple[int, int] | None = None
    first = True
    while True:
        try:
            async with turns.take(view_id):
                where, answer = await anyio.to_thread.run_sync(
                    _changed, store, session_id, view_id, notation, last
                )
        except SessionNotFound as exc:
            yield ServerSentEvent(event="gone", data={"detail": str(exc)})
            return
        except (SessionConflict, StoreUnavailable) as exc:
            status = 409 if isinstance(exc, SessionConflict) else 503
            yield ServerSentEvent(event="failed", data={"status": status, "detail": str(exc)})
            return
        if answer is not None:
            yield ServerSentEvent(
                event="step",
                raw_data=answer,  # JSON already, on one line
                id=f"{where[0]}.{where[1]}",
                retry=RETRY_MILLISECONDS if first else None,
            )
            first = False
        last = where
        if time.monotonic() >= deadline:
            return
        await anyio.sleep(POLL_SECONDS)
