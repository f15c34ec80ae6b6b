"""Rooms and views as a client follows them: the links it makes (`ViewLink`, `RoomLink`), what
a room's followers learn of it (`RoomState`), and the event stream read across its reconnects.

A room follows the lecturer's page, not one session: its event stream sends each network the
lecturer starts whole (`network`), each move (`step`), and the lecturer's page closing or coming
back (`room`). The server ends a stream after a few minutes; a follower connects again and is
sent where the room is now, which it has already seen unless something moved meanwhile.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass
from typing import Any, Literal

import httpx

from .errors import NotFound, api_error
from .transport import events

__all__ = ["RoomLink", "RoomState", "ViewLink", "followed_answers"]

LecturerPage = Literal["open", "closed"]


@dataclass(frozen=True)
class ViewLink:
    """A session's read-only view: its id, and the page and event stream that follow it, as
    full addresses on the server."""

    view_id: str
    page: str
    events: str


@dataclass(frozen=True)
class RoomLink:
    """A room this client made: its id (followed as a view id, `follow`), its owner key (which
    only this client holds: it re-points the room), and the page and event stream that follow
    it, as full addresses on the server."""

    room_id: str
    key: str
    page: str
    events: str


@dataclass(frozen=True)
class RoomState:
    """A room as its followers see it: `network`, how many networks it has shown (1 for the
    first); `started`, how the one shown began ("new": another session, "reset": the same one
    back at its first weights); `lecturer_page`, "open" or "closed" (followers then stay on the
    last step shown). Never the id of the session it shows."""

    room_id: str
    network: int
    started: Literal["new", "reset"]
    lecturer_page: LecturerPage

    @classmethod
    def from_json(cls, answer: Mapping[str, Any]) -> RoomState:
        """From the API's room state (`room` of GET /api/views/{id}, PUT /api/rooms/{id})."""
        started: Literal["new", "reset"] = "reset" if answer["started"] == "reset" else "new"
        page: LecturerPage = "closed" if answer["lecturer_page"] == "closed" else "open"
        return cls(str(answer["id"]), int(answer["network"]), started, page)

    def __str__(self) -> str:
        """The line a follower's page shows for this state."""
        if self.lecturer_page == "closed":
            return (
                "The lecturer's page is closed. You stay on the last step shown, and follow "
                "again when they are back."
            )
        if self.network == 1:
            return "Following the lecturer live (read only)."
        if self.started == "reset":
            return "The lecturer started the network again from its first weights."
        return "The lecturer started a new network."


def followed_answers(
    connect: Callable[[], AbstractContextManager[httpx.Response]],
    on_room: Callable[[RoomState], None] | None = None,
) -> Iterator[dict[str, Any]]:
    """The answers of a view's event stream (`network` and `step` events' data), each once,
    through as many connections (`connect`) as the server's time limit on a stream takes.

    `on_room` is called with a room's state whenever it changes (a new network, the lecturer's
    page closing or coming back). Ends when the view (or room) is gone; raises the ApiError of
    a `failed` event (409 busy past the wait, 503 store unreadable), the stream's last.
    """
    seen, room, connected = "", None, False
    while True:
        with ExitStack() as stack:
            try:
                response = stack.enter_context(connect())
            except NotFound:
                if connected:
                    return  # gone between two connections
                raise
            connected = True
            for event in events(response):
                if event.event == "gone":
                    return
                data = json.loads(event.data)
                if event.event == "failed":
                    path = str(response.request.url.path)
                    raise api_error(int(data["status"]), data["detail"], method="GET", path=path)
                state = data if event.event == "room" else data.get("room")
                if state is not None and RoomState.from_json(state) != room:
                    room = RoomState.from_json(state)
                    if on_room is not None:
                        on_room(room)
                if event.event in ("network", "step") and event.id != seen:
                    seen = event.id
                    yield data
