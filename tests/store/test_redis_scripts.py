"""The Lua scripts of the Redis store, run on a real Redis as a store runs them: each refuses
what it must (a full store, a session changed meanwhile, a live session to purge) in one step."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import redis

from app.store.redis_scripts import CREATE_VIEW, DELETE, RESOLVE_VIEW, WRITE

INDEX, VIEWS, VIEW_OF = "bpv:sessions", "bpv:views", "bpv:view-of"


def parts(session_id: str) -> list[str]:
    """A session's keys as the scripts take them: session, history, losses, the index."""
    return [f"bpv:{kind}:{session_id}" for kind in ("session", "history", "losses")] + [INDEX]


def write(mode: str, guard: str, session_id: str, *, now: float, cutoff: float) -> list[Any]:
    """WRITE's arguments setting the iteration to 1, with no losses and no history."""
    fields = [1, "iteration", 1]
    return [mode, guard, session_id, repr(now), repr(cutoff), 60_000, "", "", "", *fields, 0]


@pytest.fixture
def client(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


def test_create_refuses_a_session_past_the_most_live_ones(client: redis.Redis) -> None:
    script = client.register_script(WRITE)

    made = script(keys=parts("s1"), args=write("create", "1", "s1", now=100.0, cutoff=50.0))
    refused = script(keys=parts("s2"), args=write("create", "1", "s2", now=100.0, cutoff=50.0))
    after_s1_idled = script(
        keys=parts("s3"), args=write("create", "1", "s3", now=200.0, cutoff=150.0)
    )

    assert (made, refused, after_s1_idled) == (1, 0, 1)
    assert client.exists("bpv:session:s2") == 0


def test_commit_refuses_a_session_whose_version_moved_and_one_that_is_gone(
    client: redis.Redis,
) -> None:
    script = client.register_script(WRITE)
    script(keys=parts("s1"), args=write("create", "9", "s1", now=100.0, cutoff=50.0))
    client.hset("bpv:session:s1", "iteration", 0)

    stale = script(keys=parts("s1"), args=write("commit", "7", "s1", now=101.0, cutoff=51.0))
    gone = script(keys=parts("s9"), args=write("commit", "0", "s9", now=101.0, cutoff=51.0))
    current = script(keys=parts("s1"), args=write("commit", "0", "s1", now=101.0, cutoff=51.0))

    assert (stale, gone, current) == (0, -1, 1)
    assert client.hmget("bpv:session:s1", "iteration", "version") == [b"1", b"1"]


def test_purge_leaves_a_live_session_and_deletes_an_idle_one_with_its_view(
    client: redis.Redis,
) -> None:
    create, delete = client.register_script(WRITE), client.register_script(DELETE)
    create(keys=parts("s1"), args=write("create", "9", "s1", now=100.0, cutoff=50.0))
    client.register_script(CREATE_VIEW)(keys=[INDEX, VIEWS, VIEW_OF], args=["s1", 50.0, "v1"])

    live = delete(keys=[*parts("s1"), VIEWS, VIEW_OF], args=["s1", 50.0, "purge"])
    idle = delete(keys=[*parts("s1"), VIEWS, VIEW_OF], args=["s1", 150.0, "purge"])

    assert (live, idle) == (0, 1)
    assert client.exists("bpv:session:s1", VIEWS, VIEW_OF) == 0
    assert client.zscore(INDEX, "s1") is None


def test_a_view_made_once_resolves_to_its_session_while_that_is_live(
    client: redis.Redis,
) -> None:
    client.register_script(WRITE)(
        keys=parts("s1"), args=write("create", "9", "s1", now=100.0, cutoff=50.0)
    )
    make, resolve = client.register_script(CREATE_VIEW), client.register_script(RESOLVE_VIEW)

    first = make(keys=[INDEX, VIEWS, VIEW_OF], args=["s1", 50.0, "v1"])
    again = make(keys=[INDEX, VIEWS, VIEW_OF], args=["s1", 50.0, "v2"])
    of_nothing = make(keys=[INDEX, VIEWS, VIEW_OF], args=["s9", 50.0, "v3"])

    assert (first, again, of_nothing) == (b"v1", b"v1", None)
    assert resolve(keys=[INDEX, VIEWS], args=["v1", 50.0]) == b"s1"
    assert resolve(keys=[INDEX, VIEWS], args=["v1", 150.0]) is None  # its session idled out
