"""Every store under the same tests: add a kind to STORES and it is tested like the others."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.engine import Session, preset
from app.store import RedisStore, SessionNotFound, SessionStore, from_url

STORES = ["memory", "sqlite", "redis"]


class Clock:
    """A clock that moves only when told to."""

    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty store of the kind the test runs with."""
    kind = request.param
    if kind == "redis":
        return str(request.getfixturevalue("redis_url"))
    return {"memory": "memory://", "sqlite": f"sqlite:///{tmp_path}/sessions.sqlite3"}[kind]


@pytest.fixture(params=STORES)
def make_store(
    request: pytest.FixtureRequest, tmp_path: Path, clock: Clock
) -> Iterator[Callable[..., SessionStore]]:
    """Opens stores of one kind (each test runs once per kind) on one file or Redis database;
    closes them after."""
    opened: list[SessionStore] = []
    url = store_url(request, tmp_path)

    def make(**options: Any) -> SessionStore:
        settings = {"ttl_seconds": 3600, "max_sessions": 100, "clock": clock, **options}
        store = from_url(url, **settings)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


@pytest.fixture
def store(make_store: Callable[..., SessionStore]) -> SessionStore:
    return make_store()


@pytest.fixture
def xor_session() -> Session:
    """XOR at step 0 of iteration 0: k = 2, 2k + 2 = 6 steps."""
    return Session.create(preset("xor").spec)


@pytest.fixture
def sqlite_path(tmp_path: Path) -> Path:
    """Where a SQLite store's file goes: in a directory not made yet."""
    return tmp_path / "data" / "sessions.sqlite3"


MakeRedisStore = Callable[..., RedisStore]


@pytest.fixture
def make_redis_store(redis_url: str, clock: Clock) -> Iterator[MakeRedisStore]:
    """Opens RedisStores on one empty database (history limit 3), each standing for a process
    of its own; closes them after."""
    opened: list[RedisStore] = []

    def make(**options: Any) -> RedisStore:
        settings = {"ttl_seconds": 3600, "max_sessions": 100, "history_limit": 3, "clock": clock}
        store = RedisStore(redis_url, **(settings | options))
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


def assert_no_session(store: SessionStore, some_id: str) -> None:
    """`some_id` opens no session: neither reading nor editing finds one (SessionNotFound)."""
    with pytest.raises(SessionNotFound):
        store.get(some_id)
    with pytest.raises(SessionNotFound), store.edit(some_id):
        pass
