"""RedisStore: one record per session in a real Redis, shared and serialised across processes.

Two RedisStore objects on one database stand for two processes: each has its own in-process
locks and network cache, so only what is in Redis can keep them in step.
"""

from __future__ import annotations

import json
import time
from typing import Any

import numpy as np
import pytest

from app.engine import Session
from app.store import (
    RedisStore,
    SessionNotFound,
    ViewNotFound,
    from_url,
)

from .conftest import MakeRedisStore


@pytest.fixture
def store(make_redis_store: MakeRedisStore) -> RedisStore:
    return make_redis_store()


class Writes:
    """Records every call of a store's write script: what it set, appended and deleted."""

    def __init__(self, store: RedisStore, monkeypatch: pytest.MonkeyPatch) -> None:
        self.seen: list[Any] = []
        write = store._write

        def recording(session_id: str, change: Any) -> int:
            self.seen.append(change)
            return write(session_id, change)

        monkeypatch.setattr(store, "_write", recording)


def history_keys(store: RedisStore, session_id: str) -> list[int]:
    return sorted(int(k) for k in store.redis.hkeys(store.key("history", session_id)))


def test_a_session_made_through_one_process_is_moved_through_another(
    make_redis_store: MakeRedisStore, xor_session: Session
) -> None:
    first, second = make_redis_store(), make_redis_store()
    session_id = first.create(xor_session)

    with second.edit(session_id) as session:
        session.train(2)
        session.step()

    assert (first.get(session_id).iteration, first.get(session_id).cursor) == (2, 1)


def test_a_step_inside_an_iteration_writes_only_the_position(
    store: RedisStore, xor_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    session_id = store.create(xor_session)
    writes = Writes(store, monkeypatch)

    with store.edit(session_id) as session:
        session.step()

    [write] = writes.seen
    assert set(write.fields) == {"iteration", "cursor", "history_count"}
    assert write.losses == ("", b"")
    assert (write.drop, write.history) == ([], {})


def test_the_update_step_appends_one_loss_and_writes_one_history_entry_reading_none(
    store: RedisStore, xor_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    session_id = store.create(xor_session)
    with store.edit(session_id) as session:
        session.train(5)  # keeps the history of iterations 2, 3 and 4
        session.goto(5)
    writes = Writes(store, monkeypatch)
    reads: list[Any] = []
    monkeypatch.setattr(store.redis, "hget", lambda *args: reads.append(args))

    with store.edit(session_id) as session:
        session.step()

    [write] = writes.seen
    assert "parameters" in write.fields
    assert write.losses == ("append", np.array(session.losses[-1:], "<f8").tobytes())
    assert list(write.history) == [5] and write.drop == [2]
    assert reads == []


def test_stepping_back_across_an_update_reads_and_drops_one_history_entry(
    store: RedisStore, xor_session: Session
) -> None:
    xor_session.train(2)
    session_id = store.create(xor_session)

    with store.edit(session_id) as session:
        session.back()

    assert history_keys(store, session_id) == [0]
    xor_session.back()
    assert store.get(session_id).parameters.flat().tobytes() == (
        xor_session.parameters.flat().tobytes()
    )


def test_delete_drops_every_key_of_the_session(store: RedisStore, xor_session: Session) -> None:
    xor_session.train(2)
    first, second = store.create(xor_session), store.create(xor_session)

    store.delete(second)

    assert [k.decode() for k in store.redis.keys(f"*{second}*")] == []
    assert store.redis.zrange(store.index_key, 0, -1) == [first.encode()]


def test_the_record_is_the_spec_as_json_and_float64_bytes_not_pickles(
    store: RedisStore, xor_session: Session
) -> None:
    xor_session.train(2)
    session_id = store.create(xor_session)

    record = store.redis.hgetall(store.key("session", session_id))

    assert json.loads(record[b"spec"])["weights"] == xor_session.initial.to_lists()[0]
    assert record[b"parameters"] == xor_session.parameters.flat().tobytes()
    assert store.redis.get(store.key("losses", session_id)) == (
        np.array(xor_session.losses, "<f8").tobytes()
    )


def test_the_keys_expire_after_the_ttl_and_each_use_renews_them(
    make_redis_store: MakeRedisStore, xor_session: Session
) -> None:
    store = make_redis_store(ttl_seconds=600, clock=time.time)
    xor_session.train(1)
    session_id = store.create(xor_session)
    keys = [store.key(kind, session_id) for kind in ("session", "history", "losses")]
    for key in keys:
        store.redis.pexpire(key, 1000)

    with store.edit(session_id) as session:
        session.step()

    assert all(590_000 < store.redis.pttl(key) <= 600_000 for key in keys)


def test_a_session_whose_keys_redis_expired_is_gone_and_not_counted(
    make_redis_store: MakeRedisStore, xor_session: Session
) -> None:
    store = make_redis_store(ttl_seconds=0.2, clock=time.time)
    session_id = store.create(xor_session)

    time.sleep(0.25)

    assert store.redis.exists(store.key("session", session_id)) == 0
    with pytest.raises(SessionNotFound):
        store.get(session_id)
    assert store.count() == 0
    assert store.expire() == 1


def test_a_store_counts_the_sessions_of_every_process_against_max_sessions(
    make_redis_store: MakeRedisStore, xor_session: Session
) -> None:
    first, second = make_redis_store(max_sessions=2), make_redis_store(max_sessions=2)
    first.create(xor_session)
    second.create(xor_session)

    assert first.count() == second.count() == 2


def test_a_view_is_shared_by_every_process_and_goes_with_its_session(
    make_redis_store: MakeRedisStore, xor_session: Session
) -> None:
    first, second = make_redis_store(), make_redis_store()
    session_id = first.create(xor_session)
    view_id = first.create_view(session_id)

    assert second.create_view(session_id) == view_id
    assert second.resolve_view(view_id) == session_id

    second.delete(session_id)

    with pytest.raises(ViewNotFound):
        first.resolve_view(view_id)
    assert [first.redis.exists(key) for key in first.view_keys] == [0, 0]


@pytest.mark.parametrize("url", ["redis://127.0.0.1:6379/0", "rediss://cache.example:6380/2"])
def test_a_redis_url_opens_a_redis_store(url: str) -> None:
    store = from_url(url, ttl_seconds=60, max_sessions=1)

    assert isinstance(store, RedisStore) and store.kind == "redis"
    store.close()
