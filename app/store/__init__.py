"""Where sessions live between requests: `from_url(Settings.store)` picks the store."""

from __future__ import annotations

import time
from collections.abc import Callable

from .assignments import (
    DEFAULT_LIMITS,
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
    LOCK_WAIT_SECONDS,
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
    "SessionStore",
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
    url: str,
    *,
    ttl_seconds: float,
    max_sessions: int,
    history_limit: int = 100,
    history_bytes: int | None = None,
    clock: Callable[[], float] = time.time,
    lock_wait: float = LOCK_WAIT_SECONDS,
    lock_lease: float = LOCK_LEASE_SECONDS,
    assignment_limits: AssignmentLimits = DEFAULT_LIMITS,
) -> SessionStore:
    """The store a URL names: `sqlite:///path` (the default), `memory://` or
    `redis://host:port/db` (`rediss://` for TLS).

    Every store takes every limit: the TTL, the most sessions, the most past states a session
    keeps (`history_limit`, and no more than `history_bytes` of them) and the longest wait for
    a session's lock; Redis also the lease of its locks. Assignments have limits of their own
    (`assignment_limits`). A new kind of store adds one branch here, keyed on the URL's scheme.
    """
    scheme = url.split(":", 1)[0].lower()
    if scheme == "sqlite":
        return SqliteStore(
            path_from_url(url),
            ttl_seconds=ttl_seconds,
            max_sessions=max_sessions,
            history_limit=history_limit,
            history_bytes=history_bytes,
            clock=clock,
            lock_wait=lock_wait,
            assignment_limits=assignment_limits,
        )
    if scheme == "memory":
        return MemoryStore(
            ttl_seconds=ttl_seconds,
            max_sessions=max_sessions,
            history_limit=history_limit,
            history_bytes=history_bytes,
            clock=clock,
            lock_wait=lock_wait,
            assignment_limits=assignment_limits,
        )
    if scheme in ("redis", "rediss"):
        return RedisStore(
            url,
            ttl_seconds=ttl_seconds,
            max_sessions=max_sessions,
            history_limit=history_limit,
            history_bytes=history_bytes,
            clock=clock,
            lock_wait=lock_wait,
            lock_lease=lock_lease,
            assignment_limits=assignment_limits,
        )
    raise ValueError(
        f"unknown store {url!r}: use sqlite:///path/to/file.sqlite3, memory:// "
        "or redis://host:6379/0"
    )
