"""The rooms of a RedisStore: a hash per room beside the sessions, changed one at a time.

A room is a hash `bpv:room:<id>` (`owner`, the digest of its owner key; `session`, `network`,
`started`, `seen`, `left` and `touched`, as app.store.base.Room), expiring SESSION_TTL_SECONDS
after its owner last used it; `bpv:rooms` scores the room ids by `touched`. A room is made in
one script, and changed in WATCH … MULTI … EXEC, so two processes never lose each other's change.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from typing import cast

import redis

from .base import (
    Room,
    RoomNotFound,
    SessionNotFound,
)
from .redis_connection import PREFIX, RedisConnection
from .redis_scripts import CREATE_ROOM
from .rules import SessionRules

_ROOM_FIELDS = ("session", "network", "started", "seen", "left", "touched", "owner")


class RedisRooms:
    """The rooms kept in `connection`'s Redis, under the store's `rules` (at most as many live
    ones as sessions, each showing a live session of the sorted set `sessions_key`; a room
    unused for the TTL is gone)."""

    def __init__(
        self, connection: RedisConnection, *, rules: SessionRules, sessions_key: str
    ) -> None:
        self.redis = connection.redis
        self.key = connection.key
        self.rules = rules
        self.sessions_key = sessions_key
        self._create_script = self.redis.register_script(CREATE_ROOM)

    @property
    def index_key(self) -> str:
        """The sorted set of room ids, scored by their owner's last use."""
        return f"{PREFIX}:rooms"

    def _cutoff(self) -> float:
        return self.rules._cutoff()

    def _clock(self) -> float:
        return self.rules._clock()

    @property
    def _ttl_ms(self) -> int:
        return max(1, math.ceil(self.rules.ttl_seconds * 1000))

    def expire(self, cutoff: float) -> None:
        """Drops the rooms unused past `cutoff` (their hashes have expired in Redis already)."""
        idle = cast(list[bytes], self.redis.zrangebyscore(self.index_key, "-inf", f"({cutoff!r}"))
        if idle:
            self.redis.delete(*(self.key("room", raw.decode()) for raw in idle))
            self.redis.zrem(self.index_key, *idle)

    def create(self, session_id: str) -> tuple[str, str]:
        """A new room showing the session, in one script; purges expired rooms first."""
        new = self.rules._new_room(session_id)
        answer = self._create_script(
            keys=[self.sessions_key, self.index_key, self.key("room", new.id)],
            args=[
                session_id,
                repr(self._cutoff()),
                self.rules.max_sessions,
                new.id,
                new.owner,
                repr(new.room.seen),
                self._ttl_ms,
            ],
        )
        if answer == -1:
            raise SessionNotFound(session_id)
        if answer == 0:
            self.rules._admit_room(self.rules.max_sessions)
        return new.id, new.key

    def _room(self, client: redis.Redis, room_id: str, key: str | None = None) -> Room:
        """The live room (its owner's, when `key` is given), read with `client`."""
        stored = cast(list[bytes | None], client.hmget(self.key("room", room_id), _ROOM_FIELDS))
        session, network, started, seen, left, touched, owner = stored
        if session is None or float(cast(bytes, touched)) < self._cutoff():
            raise RoomNotFound(room_id)
        self.rules._check_owner(room_id, cast(bytes, owner).decode(), key)
        return Room(
            session.decode(),
            int(cast(bytes, network)),
            cast(bytes, started).decode(),
            float(cast(bytes, seen)),
            float(left) if left else None,
        )

    def get(self, room_id: str) -> Room:
        """The room."""
        return self._room(self.redis, room_id)

    def _change(
        self, room_id: str, key: str, change: Callable[[redis.client.Pipeline, Room], Room]
    ) -> Room:
        """Reads the owner's room, and writes `change(pipe, room)` unless another process
        changed the room meanwhile (then again, as WATCH … MULTI … EXEC does)."""
        room_key = self.key("room", room_id)
        changed: list[Room] = []

        def write(pipe: redis.client.Pipeline) -> None:
            room = change(pipe, self._room(pipe, room_id, key))
            now = self._clock()
            pipe.multi()
            pipe.hset(
                room_key,
                mapping={
                    "session": room.session_id,
                    "network": room.network,
                    "started": room.started,
                    "seen": repr(room.seen),
                    "left": "" if room.left is None else repr(room.left),
                    "touched": repr(now),
                },
            )
            pipe.pexpire(room_key, self._ttl_ms)
            pipe.zadd(self.index_key, {room_id: now})
            changed[:] = [room]

        self.redis.transaction(write, room_key)
        return changed[0]

    def point(self, room_id: str, key: str, session_id: str, *, restart: bool) -> Room:
        """Re-points the room, its owner's page open."""

        def point(pipe: redis.client.Pipeline, room: Room) -> Room:
            score = pipe.zscore(self.sessions_key, session_id)
            if score is None or float(score) < self._cutoff():
                raise SessionNotFound(session_id)
            return room.pointed(session_id, restart=restart, now=self._clock())

        return self._change(room_id, key, point)

    def leave(self, room_id: str, key: str) -> Room:
        """Notes that the owner's page closed."""
        return self._change(room_id, key, lambda _pipe, room: replace(room, left=self._clock()))
