"""Rooms: a read-only link that follows the lecturer's page, not one session.

A room is a view (its id is followed at /api/views/{id} and /?follow=<id>, like a session's
view) that the page which made it owns: that page re-points it to each session it starts (a
preset, an edit, a restored export, a reset) with the owner key only it holds, and says when it
closes. Followers then move to the new network, or stay on the last step shown.
"""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request

from app import schemas
from app.store import Room

from .deps import StoreDep
from .errors import FULL, INVALID, NOT_FOUND
from .json_body import JsonBodyRoute
from .paths import app_path

router = APIRouter(tags=["rooms"], responses=INVALID, route_class=JsonBodyRoute)

LEFT_GRACE_SECONDS = 3.0
"""A page that said it closed is taken as closed only after this long: a reload closes the
lecturer's page and opens it again within it, and the followers need not hear of it."""

SILENT_SECONDS = 90.0
"""A room whose owner's page has not said it is open for this long counts as closed (a laptop
that slept, a lost network). The page says so every 20 s; a browser may run the timers of a
tab in the background only once a minute."""

RoomId = Annotated[
    str,
    Path(
        description="The id POST /api/rooms returned.",
        examples=["Xb1T0b6pG2fJ4kq9Zr8uWc3nLm5aHs7D"],
    ),
]
OWNED: dict[int | str, dict[str, Any]] = {
    403: {"model": schemas.Problem, "description": "The key is not this room's owner key."},
    404: {"model": schemas.Problem, "description": "No room, or no session, with this id."},
}


def lecturer_page(room: Room, now: float) -> schemas.LecturerPage:
    """Whether the page that owns `room` is open at `now` (Unix time), as followers are told."""
    if room.left is not None and now - room.left >= LEFT_GRACE_SECONDS:
        return "closed"
    return "closed" if now - room.seen >= SILENT_SECONDS else "open"


def room_state(room_id: str, room: Room, now: float | None = None) -> schemas.RoomState:
    """The room as its followers see it (never its session's id)."""
    return schemas.RoomState(
        id=room_id,
        network=room.network,
        started="reset" if room.started == "reset" else "new",
        lecturer_page=lecturer_page(room, time.time() if now is None else now),
    )


@router.post("/api/rooms", status_code=201, responses=NOT_FOUND | FULL)
def create_room(body: schemas.RoomRequest, store: StoreDep, request: Request) -> schemas.RoomOwned:
    """Makes a room that shows the session for students to follow, read-only; its `key` lets
    the page that made it, and no one else, re-point it."""
    room_id, key = store.create_room(body.session)
    return schemas.RoomOwned(
        id=room_id,
        key=key,
        page=app_path(request, f"/?follow={room_id}"),
        events=app_path(request, f"/api/views/{room_id}/events"),
        room=room_state(room_id, store.get_room(room_id)),
    )


@router.put("/api/rooms/{room_id}", responses=OWNED)
def point_room(room_id: RoomId, body: schemas.RoomPointing, store: StoreDep) -> schemas.RoomState:
    """Shows the session from now on: another session (or `restart` after a reset) starts a new
    network for the followers; the same one says only that the owner's page is open, which the
    page says every 20 s."""
    room = store.point_room(room_id, body.key, body.session, restart=body.restart)
    return room_state(room_id, room)


@router.post("/api/rooms/{room_id}/leave", responses=OWNED)
def leave_room(room_id: RoomId, body: schemas.RoomKey, store: StoreDep) -> schemas.RoomState:
    """Says that the owner's page has closed: followers stay on the last step shown and are
    told so (after a few seconds, in which a reloaded page comes back). PUT takes it back."""
    return room_state(room_id, store.leave_room(room_id, body.key))
