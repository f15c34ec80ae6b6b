"""Sessions in a dict of this process: fast, and lost on restart. For tests and `STORE=memory://`."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Unpack

from app.engine import Session

from .base import (
    LockTable,
    Room,
    RoomNotFound,
    SessionNotFound,
    StoreFull,
    ViewNotFound,
    new_session_id,
)
from .kept import Kept
from .memory_assignments import MemoryAssignments
from .rules import SessionRules, StoreSettings


def _copy(session: Session, history_limit: int | None = None) -> Session:
    """A copy that shares nothing mutable (the engine never changes an array in place),
    keeping `history_limit` past states when given."""
    return dataclasses.replace(
        session,
        losses=list(session.losses),
        history=list(session.history),
        history_limit=session.history_limit if history_limit is None else history_limit,
    )


@dataclass
class _Entry:
    session: Session
    touched: float


@dataclass
class _RoomEntry:
    room: Room
    owner: str
    """The digest of the owner key."""
    touched: float
    """Unix time of the owner's last use."""


class MemoryStore(SessionRules):
    """A SessionStore holding copies of sessions in memory."""

    kind = "memory"

    def __init__(self, **settings: Unpack[StoreSettings]) -> None:
        super().__init__(settings)
        self._entries: Kept[_Entry] = Kept(SessionNotFound)
        self._views: dict[str, str] = {}
        """View id → session id; a view whose session is gone is dropped when looked up."""
        self._rooms: Kept[_RoomEntry] = Kept(RoomNotFound)
        self._guard = threading.Lock()
        self._locks = LockTable(self.lock_wait)
        self.assignments = MemoryAssignments(limits=self.assignment_limits, clock=self._clock)

    def _live(self, session_id: str) -> _Entry:
        """The entry of a live session; an expired one is dropped. Call under the guard."""
        return self._entries.live(session_id, self._cutoff())

    def create(self, session: Session) -> str:
        """Stores a copy under a fresh id."""
        with self._guard:
            self._expire()
            if len(self._entries) >= self.max_sessions:
                raise StoreFull(self.max_sessions)
            session_id = new_session_id()
            self._entries[session_id] = _Entry(_copy(session), self._clock())
            return session_id

    def get(self, session_id: str) -> Session:
        """A copy of the stored session, keeping as many past states as the store's limits
        allow its network (as the other stores do)."""
        with self._guard:
            entry = self._live(session_id)
            entry.touched = self._clock()
            limit = self._kept_history(entry.session.network)
            return _copy(entry.session, history_limit=limit)

    def save(self, session_id: str, session: Session) -> None:
        """Stores a copy in place of the session."""
        with self._guard:
            entry = self._live(session_id)
            entry.session = _copy(session)
            entry.touched = self._clock()

    @contextmanager
    def read(self, session_id: str) -> Iterator[Session]:
        """A copy of the session, under its lock."""
        with self._locks.hold(session_id):
            yield self.get(session_id)

    @contextmanager
    def edit(self, session_id: str) -> Iterator[Session]:
        """A copy of the session, under its lock, stored back when the block succeeds."""
        with self._locks.hold(session_id):
            session = self.get(session_id)
            yield session
            self.save(session_id, session)

    def delete(self, session_id: str) -> None:
        """Forgets the session."""
        with self._guard:
            self._live(session_id)
            del self._entries[session_id]
            self._views = {v: s for v, s in self._views.items() if s != session_id}

    def create_view(self, session_id: str) -> str:
        """The session's view id, made on first use."""
        with self._guard:
            self._live(session_id)
            for view_id, target in self._views.items():
                if target == session_id:
                    return view_id
            view_id = new_session_id()
            self._views[view_id] = session_id
            return view_id

    def resolve_view(self, view_id: str) -> str:
        """The session id behind a view id."""
        with self._guard:
            session_id = self._views.get(view_id)
            if session_id is None:
                raise ViewNotFound(view_id)
            if self._entries.find(session_id, self._cutoff()) is None:
                del self._views[view_id]
                raise ViewNotFound(view_id)
            return session_id

    def create_room(self, session_id: str) -> tuple[str, str]:
        """A new room showing the session."""
        with self._guard:
            self._live(session_id)
            self._expire()
            self._admit_room(len(self._rooms))
            new = self._new_room(session_id)
            self._rooms[new.id] = _RoomEntry(new.room, new.owner, new.room.seen)
            return new.id, new.key

    def _room(self, room_id: str, key: str | None = None) -> _RoomEntry:
        """The entry of a live room (its owner's, when `key` is given). Call under the guard."""
        entry = self._rooms.live(room_id, self._cutoff())
        self._check_owner(room_id, entry.owner, key)
        return entry

    def get_room(self, room_id: str) -> Room:
        """The room."""
        with self._guard:
            return self._room(room_id).room

    def point_room(self, room_id: str, key: str, session_id: str, *, restart: bool) -> Room:
        """Re-points the room, its owner's page open."""
        with self._guard:
            entry = self._room(room_id, key)
            self._live(session_id)
            entry.touched = self._clock()
            entry.room = entry.room.pointed(session_id, restart=restart, now=entry.touched)
            return entry.room

    def leave_room(self, room_id: str, key: str) -> Room:
        """Notes that the owner's page closed."""
        with self._guard:
            entry = self._room(room_id, key)
            entry.touched = self._clock()
            entry.room = dataclasses.replace(entry.room, left=entry.touched)
            return entry.room

    def count(self) -> int:
        """The number of live sessions."""
        with self._guard:
            self._expire()
            return len(self._entries)

    def expire(self) -> int:
        """Drops the sessions idle for longer than the TTL."""
        with self._guard:
            return self._expire()

    def _expire(self) -> int:
        stale = self._entries.purge(self._cutoff())
        if stale:
            self._views = {v: s for v, s in self._views.items() if s in self._entries}
        self._rooms.purge(self._cutoff())
        return len(stale)

    def ping(self) -> None:
        """Always answers: the sessions are in this process."""

    def close(self) -> None:
        """Forgets every session."""
        with self._guard:
            self._entries.clear()
            self._views.clear()
            self._rooms.clear()
        self.assignments.clear()
