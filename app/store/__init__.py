"""Where sessions live between requests: `from_url(Settings.store)` picks the store."""

from __future__ import annotations

import time
from collections.abc import Callable

from .base import (
    SessionConflict,
    SessionNotFound,
    SessionStore,
    StoreFull,
    new_session_id,
)
from .memory import MemoryStore
from .sqlite import SqliteStore, path_from_url

__all__ = [
    "MemoryStore",
    "SessionConflict",
    "SessionNotFound",
    "SessionStore",
    "SqliteStore",
    "StoreFull",
    "from_url",
    "new_session_id",
]


def from_url(
    url: str,
    *,
    ttl_seconds: float,
    max_sessions: int,
    history_limit: int = 100,
    clock: Callable[[], float] = time.time,
) -> SessionStore:
    """The store a URL names: `sqlite:///path` (the default) or `memory://`.

    A new kind of store adds one branch here, keyed on the URL's scheme.
    """
    scheme = url.split(":", 1)[0].lower()
    if scheme == "sqlite":
        return SqliteStore(
            path_from_url(url),
            ttl_seconds=ttl_seconds,
            max_sessions=max_sessions,
            history_limit=history_limit,
            clock=clock,
        )
    if scheme == "memory":
        return MemoryStore(ttl_seconds=ttl_seconds, max_sessions=max_sessions, clock=clock)
    raise ValueError(f"unknown store {url!r}: use sqlite:///path/to/file.sqlite3 or memory://")
