"""The Redis connection under a RedisStore: what goes wrong with Redis is a StoreUnavailable that
says what is true of the sessions with this Redis, never a 500."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis

from app.engine import Session
from app.store import RedisStore, StoreUnavailable
from app.store.redis_connection import RedisConnection

from ..redis_server import free_port


@pytest.fixture
def nowhere() -> Iterator[RedisConnection]:
    """A connection to a port nothing listens on: it never learnt whether Redis persists."""
    connection = RedisConnection(f"redis://127.0.0.1:{free_port()}/0")
    yield connection
    connection.close()


def test_a_redis_that_does_not_answer_makes_the_store_unavailable(xor_session: Session) -> None:
    store = RedisStore(f"redis://127.0.0.1:{free_port()}/0", ttl_seconds=60, max_sessions=1)

    with pytest.raises(StoreUnavailable, match="Redis does not answer"):
        store.create(xor_session)
    with pytest.raises(StoreUnavailable), store.edit("any"):
        pass
    store.close()


def test_a_connection_learns_whether_its_redis_keeps_an_append_only_file(
    redis_url: str, nowhere: RedisConnection
) -> None:
    connection = RedisConnection(redis_url)

    assert (connection.append_only, nowhere.append_only) == (False, None)
    with pytest.raises(StoreUnavailable, match="keeps no append-only file"), connection.answering():
        raise redis.ConnectionError("connection reset")
    connection.close()


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (redis.ConnectionError("connection refused"), "Redis does not answer"),
        (redis.TimeoutError("timed out"), "Redis does not answer"),
        (redis.ResponseError("OOM command not allowed"), "Redis is out of memory"),
    ],
)
def test_what_goes_wrong_with_redis_is_said_as_store_unavailable(
    nowhere: RedisConnection, error: redis.RedisError, said: str
) -> None:
    with pytest.raises(StoreUnavailable, match=said), nowhere.answering():
        raise error


def test_a_redis_error_of_another_kind_is_not_hidden(nowhere: RedisConnection) -> None:
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"), nowhere.answering():
        raise redis.ResponseError("WRONGTYPE Operation against a key holding the wrong kind")


def test_a_connection_names_a_sessions_keys_under_one_prefix(nowhere: RedisConnection) -> None:
    assert nowhere.key("lock", "abc") == "bpv:lock:abc"
