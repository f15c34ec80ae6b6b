"""Sharing a session: its read-only view, rooms that follow the lecturer, and following either
live (see Client)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import httpx

from .results import Position, SessionState, StepResult
from .rooms import RoomLink, RoomState, ViewLink, followed_answers
from .session_transport import Convention, SessionTransport, View


class SharingCalls(SessionTransport):
    """The client's calls on views and rooms."""

    def create_view(self) -> ViewLink:
        """The session's read-only view (the same on every call): its id, and the page that
        follows the session live, as full addresses."""
        answer = self._json("POST", self._session_path("/view"))
        return ViewLink(
            view_id=str(answer["view_id"]),
            page=self.link(answer["page"]),
            events=self.link(answer["events"]),
        )

    def create_room(self) -> RoomLink:
        """A room showing this client's session, for others to follow read-only (`follow` with
        its id, or its page); `point_room` makes it show the session the client works on now."""
        answer = self._json("POST", "/api/rooms", body={"session": self._session_id()})
        return RoomLink(
            room_id=str(answer["id"]),
            key=str(answer["key"]),
            page=self.link(answer["page"]),
            events=self.link(answer["events"]),
        )

    def point_room(self, room: RoomLink, *, restart: bool = False) -> RoomState:
        """Makes `room` show the session the client works on now (its followers start anew with
        it); `restart` after a reset of the same session. Returns the room as followers see it."""
        body = {"key": room.key, "session": self._session_id(), "restart": restart}
        return RoomState.from_json(self._json("PUT", f"/api/rooms/{room.room_id}", body=body))

    def leave_room(self, room: RoomLink) -> RoomState:
        """Tells `room`'s followers that the lecturer has gone: they stay on the last step (told
        so after a few seconds, in which a page reloaded comes back; `point_room` comes back)."""
        path = f"/api/rooms/{room.room_id}/leave"
        return RoomState.from_json(self._json("POST", path, body={"key": room.key}))

    def read_view(
        self,
        view_id: str,
        *,
        convention: Convention | None = None,
        view: View | None = None,
    ) -> tuple[SessionState, StepResult | None]:
        """A followed session (its id is the view's) and the step it shows, in the notation
        asked for."""
        answer = self._json(
            "GET", f"/api/views/{view_id}", params=self._notation(convention, view, tensors=False)
        )
        return SessionState.from_json(answer["session"]), self._step(answer, convention, view)

    def follow(
        self,
        view_id: str,
        *,
        convention: Convention | None = None,
        view: View | None = None,
        on_room: Callable[[RoomState], None] | None = None,
    ) -> Iterator[tuple[Position, StepResult | None]]:
        """The followed session's position and step now, and again each time it moves (the
        server's event stream, connected again whenever the server ends it), a room's from
        network to network as the lecturer starts them (the step None at a network's start).

        For a room, `on_room` is called with its state whenever it changes: a new network, the
        lecturer's page closing or coming back (`on_room=print` prints the follower page's
        line). Ends when the session (or room) is gone; raises Conflict or ServerUnavailable
        when the server cannot go on (a session busy past the wait, a store it cannot read).
        """
        path = f"/api/views/{view_id}/events"
        params = self._notation(convention, view, tensors=False)

        def connect() -> AbstractContextManager[httpx.Response]:
            return self._stream("GET", path, params=params, timeout=None)

        for answer in followed_answers(connect, on_room):
            yield Position.from_json(answer["session"]), self._step(answer, convention, view)

    def link(self, path: str) -> str:
        """A path the server answered (`/?follow=…`) as a full address under the client's URL
        (its path prefix kept)."""
        return self.url + "/" + path.lstrip("/")
