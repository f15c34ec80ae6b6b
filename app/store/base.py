"""What every session store offers, the errors it raises, and the pieces stores share."""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from app.engine import Network, Session

from .assignments import AssignmentStore

LOCK_WAIT_SECONDS = 30.0
"""How long a request waits for a session another request holds, at most, before it gives up
with SessionBusy (409, "try again"), in every store."""

ID_BYTES = 24
"""Random bytes in a session id: 192 bits, written as 32 URL-safe characters."""


def new_session_id() -> str:
    """An unguessable session id from `secrets` (192 bits)."""
    return secrets.token_urlsafe(ID_BYTES)


def new_room_key() -> str:
    """A room's owner key (192 bits from `secrets`): what lets a page re-point its room."""
    return secrets.token_urlsafe(ID_BYTES)


def key_digest(key: str) -> str:
    """The SHA-256 of an owner key, in hex: what a store keeps of it, never the key itself."""
    return hashlib.sha256(key.encode()).hexdigest()


def history_limit(network: Network, *, count: int, max_bytes: int | None) -> int:
    """How many past parameter sets a session of `network` keeps for stepping back: at most
    `count`, and no more than `max_bytes` of them (8 bytes a parameter)."""
    if max_bytes is None:
        return count
    return min(count, max_bytes // (8 * network.spec.parameter_count))


class SessionNotFound(LookupError):
    """No session with this id: it never existed, was deleted, or expired."""

    def __init__(self, session_id: str) -> None:
        self.session_id = session_id
        super().__init__(f"no session with id {session_id!r} (it may have expired)")


class ViewNotFound(SessionNotFound):
    """No read-only view with this id, or its session is gone."""

    def __init__(self, view_id: str) -> None:
        self.session_id = view_id
        LookupError.__init__(self, f"no view with id {view_id!r} (its session may have expired)")


class RoomNotFound(ViewNotFound):
    """No room with this id: it never existed, or expired (a room is a kind of view)."""

    def __init__(self, room_id: str) -> None:
        self.session_id = room_id
        LookupError.__init__(self, f"no view with id {room_id!r} (the room may have expired)")


class NotRoomOwner(PermissionError):
    """The key given is not the owner key of the room: only the page that made it may move it."""

    def __init__(self, room_id: str) -> None:
        self.room_id = room_id
        super().__init__(
            f"this key does not own room {room_id!r}: only the page that made the room may "
            "change what it shows"
        )


class StoreFull(RuntimeError):
    """The store already holds its maximum number of sessions."""

    def __init__(self, max_sessions: int) -> None:
        self.max_sessions = max_sessions
        super().__init__(
            f"the server already keeps its maximum of {max_sessions} sessions; "
            "delete one or try again later"
        )


class RoomsFull(StoreFull):
    """The store already holds its maximum number of rooms (as many as sessions)."""

    def __init__(self, max_rooms: int) -> None:
        self.max_sessions = max_rooms
        RuntimeError.__init__(
            self,
            f"the server already keeps its maximum of {max_rooms} rooms; try again later",
        )


SAVING_ONLY = "Nothing stored was lost and reading still works"
"""What is true when a store cannot save but still reads (a full or read-only disk)."""


class StoreUnavailable(RuntimeError):
    """The store cannot do this now: `reason` says why, and `consequence` what that means for
    what it holds and for reading, as is true of the store in use (a full disk keeps everything
    and still reads; a Redis that does not answer reads nothing either)."""

    def __init__(
        self, reason: str, consequence: str = SAVING_ONLY, *, cannot: str = "save changes"
    ) -> None:
        self.reason = reason
        self.consequence = consequence
        super().__init__(
            f"the server cannot {cannot} now: {reason}. {consequence}; try again later"
        )


class StoreDamaged(RuntimeError):
    """The store's file is damaged: the server does not start on it (or moves it aside and
    starts empty, when told to), rather than answer 500 to every request."""

    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(
            f"The session file {path} is damaged ({problem}). Move it aside or restore it "
            f"from a backup; or set DAMAGED_STORE=move-aside, and the server moves it aside "
            f"itself (keeping it beside as {path.name}.damaged-<time>) and starts with no sessions."
        )


class SessionConflict(RuntimeError):
    """Another process changed the session while this request was working on it."""

    def __init__(self, session_id: str) -> None:
        self.session_id = session_id
        super().__init__(
            f"session {session_id!r} was changed by another request meanwhile; try again"
        )


class SessionBusy(SessionConflict):
    """Another request held the session for longer than this one was willing to wait."""

    def __init__(self, session_id: str) -> None:
        self.session_id = session_id
        RuntimeError.__init__(
            self, f"session {session_id!r} is busy with another request; try again"
        )


@dataclass(frozen=True)
class Room:
    """What a room shows its followers: the session its owner's page shows now, and whether
    that page is still open. A room is a view that its owner re-points (see SessionStore)."""

    session_id: str
    """The session the room shows now (never sent to followers)."""
    network: int
    """How many networks the room has shown, 1 for the first: each re-pointing to another
    session, or the same one started over, adds one."""
    started: str
    """How the network now shown was started: "new" (another session) or "reset"."""
    seen: float
    """Unix time the owner's page last said it is open (made or re-pointed the room)."""
    left: float | None
    """Unix time the owner's page said it closed, unless it has re-pointed the room since."""

    def pointed(self, session_id: str, *, restart: bool, now: float) -> Room:
        """The room re-pointed to `session_id` at `now` by its open owner's page: a new
        network when the session is another one ("new") or started over ("reset")."""
        if session_id != self.session_id:
            network, started = self.network + 1, "new"
        elif restart:
            network, started = self.network + 1, "reset"
        else:
            network, started = self.network, self.started
        return Room(session_id, network, started, seen=now, left=None)


class SessionStore(Protocol):
    """Where sessions live between requests.

    `edit` is the way requests change a session: it holds the session's lock, hands out the
    stored session, and saves it when the block ends without an exception (so a failed move
    leaves the stored session as it was). `read` holds the same lock and saves nothing.
    Sessions idle for longer than the store's TTL are gone: `get`, `read` and `edit` raise
    SessionNotFound for them, and `expire` purges them.
    """

    kind: str
    """A short name for /api/health: "memory", "sqlite" or "redis"."""

    @property
    def assignments(self) -> AssignmentStore:
        """The assignments kept beside the sessions (see app/store/assignments.py)."""
        ...

    def create(self, session: Session) -> str:
        """Stores a new session and returns its fresh id; StoreFull when there is no room."""
        ...

    def get(self, session_id: str) -> Session:
        """A copy of the stored session; SessionNotFound for an unknown or expired id."""
        ...

    def save(self, session_id: str, session: Session) -> None:
        """Replaces the stored session; SessionNotFound for an unknown or expired id."""
        ...

    def read(self, session_id: str) -> AbstractContextManager[Session]:
        """The stored session, under its lock, to look at without saving."""
        ...

    def edit(self, session_id: str) -> AbstractContextManager[Session]:
        """The stored session, under its lock, saved when the block ends without error."""
        ...

    def delete(self, session_id: str) -> None:
        """Removes a session; SessionNotFound for an unknown or expired id."""
        ...

    def count(self) -> int:
        """The number of live (not expired) sessions."""
        ...

    def create_view(self, session_id: str) -> str:
        """The read-only view id of a session: made on the first call (unguessable, not the
        session id), the same afterwards; it goes with the session. SessionNotFound."""
        ...

    def resolve_view(self, view_id: str) -> str:
        """The id of the session a view id shows; ViewNotFound for an unknown view id or one
        whose session is gone. Does not count as a use of the session."""
        ...

    def create_room(self, session_id: str) -> tuple[str, str]:
        """A new room showing the session (network 1, its owner's page open): its id and its
        owner key, each 192 random bits. The store keeps only the key's digest (key_digest).
        SessionNotFound; RoomsFull when as many rooms as sessions are kept."""
        ...

    def get_room(self, room_id: str) -> Room:
        """The room; RoomNotFound for an unknown id or a room whose owner has not used it for
        longer than the TTL. Whether its session is still there is the caller's to find out.
        Does not count as a use of the room."""
        ...

    def point_room(self, room_id: str, key: str, session_id: str, *, restart: bool) -> Room:
        """Makes the room show `session_id` and marks its owner's page open again (`left`
        cleared, `seen` now): a use of the room. Its `network` grows by one when the session
        is another one, or when `restart` says the same session started over (a reset).
        RoomNotFound, NotRoomOwner (checked before the session), SessionNotFound."""
        ...

    def leave_room(self, room_id: str, key: str) -> Room:
        """Notes that the owner's page closed (`left` now); the room keeps showing its session
        and is open to `point_room` until it expires. RoomNotFound, NotRoomOwner."""
        ...

    def expire(self) -> int:
        """Purges the sessions idle for longer than the TTL; returns how many there were.
        Rooms unused by their owner for longer than the TTL go too (not counted)."""
        ...

    def ping(self) -> None:
        """Asks the store for something small; StoreUnavailable saying why when it cannot
        answer (for GET /api/ready)."""
        ...

    def close(self) -> None:
        """Releases files and connections; the store is not used afterwards."""
        ...


_turn_deadline: ContextVar[float | None] = ContextVar("turn_deadline", default=None)
"""When the request of this context must have its session by (`time.monotonic()`), if it set
one: the time it spent waiting on the event loop counts against the same LOCK_WAIT_SECONDS."""


@contextmanager
def waiting_until(deadline: float) -> Iterator[None]:
    """Makes `deadline` (`time.monotonic()`) the latest time by which the stores give this
    context (a request, and the worker thread it runs in) a session's lock."""
    token = _turn_deadline.set(deadline)
    try:
        yield
    finally:
        _turn_deadline.reset(token)


def wait_left(wait: float) -> float:
    """How long a lock may still be waited for: `wait` seconds, or less when the request's
    deadline comes sooner (never below zero)."""
    deadline = _turn_deadline.get()
    if deadline is None:
        return wait
    return max(0.0, min(wait, deadline - time.monotonic()))


@dataclass
class _Holder:
    lock: threading.Lock = field(default_factory=threading.Lock)
    users: int = 0


class LockTable:
    """One lock per key, made on first use and dropped when no thread holds or awaits it."""

    def __init__(self, wait: float = LOCK_WAIT_SECONDS) -> None:
        self.wait = wait
        self._guard = threading.Lock()
        self._holders: dict[str, _Holder] = {}

    @contextmanager
    def hold(self, key: str) -> Iterator[None]:
        """Holds the lock of `key` for the block; other threads asking for it wait, at most
        `wait` seconds (less when their request's deadline comes sooner), then SessionBusy."""
        with self._guard:
            holder = self._holders.setdefault(key, _Holder())
            holder.users += 1
        try:
            if not holder.lock.acquire(timeout=wait_left(self.wait)):
                raise SessionBusy(key)
            try:
                yield
            finally:
                holder.lock.release()
        finally:
            with self._guard:
                holder.users -= 1
                if holder.users == 0:
                    del self._holders[key]

    def __len__(self) -> int:
        """The number of keys some thread holds or awaits."""
        with self._guard:
            return len(self._holders)
