"""Where sessions live between requests: `from_url(Settings.store)` picks the store."""

from __future__ import annotations

from typing import Unpack

from .assignments import (
    Assignment,
    AssignmentLimits,
    AssignmentNotFound,
    AssignmentsFull,
    AssignmentStore,
    Attempt,
    AttemptsUsedUp,
    Student,
    StudentExists,
    StudentNotFound,
    StudentsFull,
    TooManyAttempts,
    new_token,
    number_key,
    token_digest,
)
from .base import (
    NotRoomOwner,
    Room,
    RoomNotFound,
    RoomsFull,
    SessionBusy,
    SessionConflict,
    SessionNotFound,
    SessionStore,
    StoreDamaged,
    StoreFull,
    StoreUnavailable,
    ViewNotFound,
    history_limit,
    key_digest,
    new_session_id,
)
from .memory import MemoryStore
from .redis import RedisStore
from .redis_locks import LOCK_LEASE_SECONDS
from .rules import SessionRules, StoreSettings
from .sqlite import SqliteStore
from .sqlite_file import move_aside, path_from_url

__all__ = [
    "Assignment",
    "AssignmentLimits",
    "AssignmentNotFound",
    "AssignmentStore",
    "AssignmentsFull",
    "Attempt",
    "AttemptsUsedUp",
    "Student",
    "StudentExists",
    "StudentNotFound",
    "StudentsFull",
    "TooManyAttempts",
    "new_token",
    "number_key",
    "token_digest",
    "MemoryStore",
    "NotRoomOwner",
    "RedisStore",
    "Room",
    "RoomNotFound",
    "RoomsFull",
    "SessionBusy",
    "SessionConflict",
    "SessionNotFound",
    "SessionRules",
    "SessionStore",
    "StoreSettings",
    "SqliteStore",
    "StoreDamaged",
    "StoreFull",
    "StoreUnavailable",
    "ViewNotFound",
    "from_url",
    "move_aside",
    "history_limit",
    "key_digest",
    "new_session_id",
]


def from_url(
    url: str, *, lock_lease: float = LOCK_LEASE_SECONDS, **settings: Unpack[StoreSettings]
) -> SessionStore:
    """The store a URL names: `sqlite:///path` (the default), `memory://` or
    `redis://host:port/db` (`rediss://` for TLS).

    Every store takes every limit (`StoreSettings`): the TTL, the most sessions, the most past
    states a session keeps (`history_limit`, and no more than `history_bytes` of them), the
    longest wait for a session's lock and the assignments' own limits (`assignment_limits`);
    Redis also the lease of its locks. A new kind of store adds one branch here, keyed on the
    URL's scheme.
    """
    scheme = url.split(":", 1)[0].lower()
    if scheme == "sqlite":
        return SqliteStore(path_from_url(url), **settings)
    if scheme == "memory":
        return MemoryStore(**settings)
    if scheme in ("redis", "rediss"):
        return RedisStore(url, lock_lease=lock_lease, **settings)
    raise ValueError(
        f"unknown store {url!r}: use sqlite:///path/to/file.sqlite3, memory:// "
        "or redis://host:6379/0"
    )
