"""The history rows of the persistent stores (SQLite and Redis), read from the file or the
database itself: kept to the history limit, dropped on a reset and with the session."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.engine import Session
from app.store import RedisStore, SqliteStore

from .conftest import Clock

Persistent = SqliteStore | RedisStore


@pytest.fixture(params=["sqlite", "redis"])
def store(request: pytest.FixtureRequest, sqlite_path: Path, clock: Clock) -> Iterator[Persistent]:
    """A persistent store keeping 3 past states a session."""
    settings = {"ttl_seconds": 3600, "max_sessions": 100, "history_limit": 3, "clock": clock}
    if request.param == "sqlite":
        store: Persistent = SqliteStore(sqlite_path, **settings)
    else:
        store = RedisStore(str(request.getfixturevalue("redis_url")), **settings)
    yield store
    store.close()


def stored_history(store: Persistent, session_id: str) -> list[int]:
    """The iterations whose starting parameters the store's file or database holds."""
    if isinstance(store, SqliteStore):
        with sqlite3.connect(store.path) as conn:
            rows = conn.execute(
                "SELECT iteration FROM history WHERE session_id = ? ORDER BY 1", (session_id,)
            ).fetchall()
        return [iteration for (iteration,) in rows]
    return sorted(int(k) for k in store.redis.hkeys(store.key("history", session_id)))


def test_history_rows_are_trimmed_to_the_history_limit(
    store: Persistent, xor_session: Session
) -> None:
    session_id = store.create(xor_session)

    for _ in range(5):
        with store.edit(session_id) as session:
            session.goto(6)

    assert stored_history(store, session_id) == [2, 3, 4]


def test_reset_and_delete_drop_the_history_rows(store: Persistent, xor_session: Session) -> None:
    xor_session.train(2)
    first, second = store.create(xor_session), store.create(xor_session)
    assert stored_history(store, first) == stored_history(store, second) == [0, 1]

    with store.edit(first) as session:
        session.reset()
    store.delete(second)

    assert stored_history(store, first) == stored_history(store, second) == []
