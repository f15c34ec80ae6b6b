"""Read-only views: a link others open to follow a session, or a room, live, never to move it.

A view id is either a session's own view (POST /api/sessions/{id}/view: it follows that
session for as long as it lives) or a room (POST /api/rooms, app/api/rooms.py: it follows
whichever session the lecturer's page shows). Both are read through the same routes here.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Path, Request, Response
from fastapi.sse import EventSourceResponse, ServerSentEvent

from app import engine, schemas
from app.store import (
    Room,
    RoomNotFound,
    SessionConflict,
    SessionNotFound,
    SessionStore,
    StoreUnavailable,
    ViewNotFound,
)

from . import answers
from .deps import StoreDep
from .errors import CONFLICT, INVALID, NOT_FOUND
from .notation import COLUMN_AFFINE, Notation, NotationDep
from .paths import app_path
from .rooms import lecturer_page, room_state
from .sessions import SessionId
from .teaching import EntryDep, explain_shown
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
        description="The id of a view (POST /api/sessions/{id}/view) or of a room "
        "(POST /api/rooms); never a session id.",
        examples=["Xb1T0b6pG2fJ4kq9Zr8uWc3nLm5aHs7D"],
    ),
]
VIEW_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": schemas.Problem, "description": "No view or room with this id (any more)."}
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


@dataclass(frozen=True)
class Followed:
    """What a view id shows: a session, and the room when it is one (which shows one session
    at a time)."""

    view_id: str
    session_id: str
    room: Room | None


def followed(view_id: ViewId, store: StoreDep) -> Iterator[Followed]:
    """What the view id shows; 404 for an unknown view id, and for a session gone meanwhile
    (said of the view: a follower never learns the session's id)."""
    try:
        room = store.get_room(view_id)
        found = Followed(view_id, room.session_id, room)
    except RoomNotFound:
        found = Followed(view_id, store.resolve_view(view_id), None)
    try:
        yield found
    except SessionNotFound as exc:
        if exc.session_id != found.session_id:
            raise
        raise ViewNotFound(view_id) from None


FollowedDep = Annotated[Followed, Depends(followed)]


async def viewed_session(shown: FollowedDep) -> str:
    """The id of the session a view shows now; 404 for an unknown view id."""
    return shown.session_id


ViewedSession = Annotated[str, Depends(viewed_session)]


def view_notation(shown: FollowedDep, store: StoreDep, notation: NotationDep) -> Notation:
    """The notation asked for; 422 naming `view` when the followed session's network cannot be
    embedded, before an event stream starts. A room's network, which the lecturer may change
    at any time, is shown in the notation that fits it (see `fitting`)."""
    if shown.room is None:
        with store.read(shown.session_id) as session:
            notation.check(session.network)
    return notation


ViewNotation = Annotated[Notation, Depends(view_notation)]


def fitting(notation: Notation, network: engine.Network) -> Notation:
    """`notation`, or its affine view for a network without biases (which a room may start
    after a follower chose the homogeneous view); the follower's page then picks it too."""
    if notation.view == "homogeneous" and not network.bias:
        return Notation(notation.convention, COLUMN_AFFINE.view)
    return notation


def view_answer(store: SessionStore, shown: Followed, notation: Notation) -> answers.Answer:
    """The session (under the view's id, read-only) and the step it shows, in `notation`,
    with the room's state when the view is a room."""
    with store.read(shown.session_id) as session:
        if shown.room is None:
            notation.check(session.network)
        else:
            notation = fitting(notation, session.network)
        return _answer(shown.view_id, session, notation, shown.room)


def _answer(
    view_id: str, session: engine.Session, notation: Notation, room: Room | None
) -> answers.Answer:
    state = None if room is None else room_state(view_id, room).model_dump()
    return answers.view(view_id, session, notation.show(session.network, session.current()), state)


def _json(answer: answers.Answer) -> str:
    return answers.dumps(answer).decode()


@dataclass
class _Sent:
    """What a follower's event stream has told it: the room's network, where the session was,
    and whether the lecturer's page was open."""

    network: int | None = None
    where: tuple[int, int] | None = None
    lecturer_page: str | None = None


def _news(
    store: SessionStore, shown: Followed, notation: Notation, sent: _Sent
) -> list[ServerSentEvent]:
    """The events that bring a follower from what it was `sent` (updated) to what the view
    shows now: a room's new network whole (`network`), a move (`step`, the move answer under
    the view's id), the lecturer's page closing or coming back (`room`)."""
    room = None if shown.room is None else store.get_room(shown.view_id)
    session_id = shown.session_id if room is None else room.session_id
    news: list[ServerSentEvent] = []
    with store.read(session_id) as session:
        where = (session.iteration, session.cursor)
        network = None if room is None else room.network
        at = ".".join(str(n) for n in (*([] if network is None else [network]), *where))
        if network != sent.network:
            answer = _answer(shown.view_id, session, fitting(notation, session.network), room)
            news.append(ServerSentEvent(event="network", raw_data=_json(answer), id=at))
        elif where != sent.where:
            step = fitting(notation, session.network).show(session.network, session.current())
            answer = answers.move(shown.view_id, session, step, read_only=True)
            news.append(ServerSentEvent(event="step", raw_data=_json(answer), id=at))
    if room is not None:
        page = lecturer_page(room, time.time())
        if network == sent.network and page != sent.lecturer_page:
            state = room_state(shown.view_id, room)
            news.append(ServerSentEvent(event="room", raw_data=state.model_dump_json()))
        sent.lecturer_page = page
    sent.network, sent.where = network, where
    return news


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
def read_view(shown: FollowedDep, store: StoreDep, notation: NotationDep) -> Response:
    """Returns the followed session (its `id` is the view id, `read_only` true) and the step
    it shows, in the notation asked for; for a room, also which network it shows and whether
    the lecturer's page is open (`room`)."""
    return answers.respond(view_answer(store, shown, notation))


@router.get("/api/views/{view_id}/explain", responses=VIEW_NOT_FOUND)
def explain_view_entry(
    session_id: ViewedSession, entry: EntryDep, notation: NotationDep, store: StoreDep
) -> schemas.Explanation:
    """Explains one entry of the iteration whose step the followed session shows, as
    GET /api/sessions/{id}/explain does for its owner."""
    return explain_shown(store, session_id, notation, entry)


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
    "expires (or the room); `failed` (data: `status` and `detail`) when the session stays "
    "busy past the wait (409) or the store cannot be read (503), as the stream's last event; "
    "`: ping` comments to keep the connection open. A room sends `network` instead of the "
    "first `step` and whenever the lecturer starts a network (data: as GET /api/views/{id} "
    "answers, `room` included; the `step` events after it are of that network), and `room` "
    "(data: the room's state) when the lecturer's page closes or comes back. Each event's "
    "`id` is `iteration.cursor` (`network.iteration.cursor` in a room). The stream ends after "
    "a few minutes and the browser reconnects.",
)
async def follow_view(
    view_id: ViewId,
    shown: FollowedDep,
    store: StoreDep,
    notation: ViewNotation,
    turns: TurnsDep,
) -> AsyncIterator[ServerSentEvent]:
    """Pushes the step the session shows (in the notation asked for), now and each time it
    moves, and for a room each network the lecturer starts and whether their page is open.
    Each look takes the view's turn, as a request on it does: a room of followers of a busy
    session waits on the event loop, not in worker threads."""
    deadline = time.monotonic() + STREAM_SECONDS
    sent = _Sent()
    retry: int | None = RETRY_MILLISECONDS
    while True:
        try:
            async with turns.take(view_id):
                news = await anyio.to_thread.run_sync(_news, store, shown, notation, sent)
        except SessionNotFound:
            yield ServerSentEvent(event="gone", data={"detail": str(ViewNotFound(view_id))})
            return
        except (SessionConflict, StoreUnavailable) as exc:
            status = 409 if isinstance(exc, SessionConflict) else 503
            yield ServerSentEvent(event="failed", data={"status": status, "detail": str(exc)})
            return
        for event in news:
            yield event if retry is None else event.model_copy(update={"retry": retry})
            retry = None
        if time.monotonic() >= deadline:
            return
        await anyio.sleep(POLL_SECONDS)
