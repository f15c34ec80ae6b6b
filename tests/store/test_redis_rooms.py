"""Rooms in Redis: a hash per room that expires with its owner's last use, and its id dropped
from the index of rooms when it does."""

from __future__ import annotations

import time

from app.engine import Session

from .conftest import MakeRedisStore


def test_a_rooms_hash_expires_after_the_ttl_and_each_change_renews_it(
    make_redis_store: MakeRedisStore, xor_session: Session
) -> None:
    store = make_redis_store(ttl_seconds=600, clock=time.time)
    room_id, key = store.create_room(store.create(xor_session))
    room_key = store.key("room", room_id)
    store.redis.pexpire(room_key, 1000)

    store.leave_room(room_id, key)

    assert 590_000 < store.redis.pttl(room_key) <= 600_000
    assert store.redis.zscore(store.rooms.index_key, room_id) is not None


def test_expire_drops_rooms_unused_past_the_ttl_from_redis(
    make_redis_store: MakeRedisStore, xor_session: Session
) -> None:
    store = make_redis_store(ttl_seconds=0.2, clock=time.time)
    room_id, _ = store.create_room(store.create(xor_session))

    time.sleep(0.25)
    store.expire()

    assert store.redis.exists(store.key("room", room_id)) == 0
    assert store.redis.zcard(store.rooms.index_key) == 0
