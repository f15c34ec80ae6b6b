"""The Redis a RedisStore keeps its records in: one client, its errors said as StoreUnavailable.

The client gives up on a Redis that does not answer within seconds (so that GET /api/ready and
every request say so at once) and tries a command that lost its connection twice more (so a
Redis that restarted is reconnected to). Every key starts with `bpv:`, so the app can share a
Redis database with others; sessions' locks are `bpv:lock:<id>` (app.store.redis_locks).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import cast

import redis
from redis.backoff import ExponentialWithJitterBackoff
from redis.retry import Retry

from .base import LOCK_WAIT_SECONDS, SAVING_ONLY, StoreUnavailable
from .redis_locks import LOCK_LEASE_SECONDS, SessionLocks

PREFIX = "bpv"
"""The first part of every key, so that the app can share a Redis database with others."""

CONNECT_TIMEOUT_SECONDS = 5.0
COMMAND_TIMEOUT_SECONDS = 10.0
RETRY = Retry(ExponentialWithJitterBackoff(base=0.01, cap=0.1), retries=2)
"""A command that lost its connection is tried twice more within about 0.2 s (a Redis that
restarted is reconnected to), not ten times over seconds (a Redis that is down answers 503
at once, and the readiness probe says so within its timeout)."""

WHEN_DOWN = {
    True: "Redis keeps its sessions in an append-only file, so none it acknowledged is lost; "
    "until it answers again, sessions can be neither read nor saved",
    False: "This Redis keeps no append-only file: if it restarted, the sessions saved since its "
    "last snapshot (all of them, without snapshots) are lost; until it answers again, sessions "
    "can be neither read nor saved",
    None: "Until it answers again, sessions can be neither read nor saved",
}
"""What a Redis that does not answer means, by whether it keeps an append-only file (None: not
known, as it never answered this process)."""


class RedisConnection:
    """A client of the Redis at `url` with the sessions' locks in it, for a store to build on:
    `answering()` turns what goes wrong with Redis into StoreUnavailable, `_hold` holds a
    session's lock."""

    def __init__(
        self,
        url: str,
        *,
        lock_lease: float = LOCK_LEASE_SECONDS,
        lock_wait: float = LOCK_WAIT_SECONDS,
    ) -> None:
        self.url = url
        self.redis = redis.Redis.from_url(
            url,
            socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
            socket_timeout=COMMAND_TIMEOUT_SECONDS,
            retry=RETRY,
        )
        self._locks = SessionLocks(self.redis, lease=lock_lease, wait=lock_wait)
        self.append_only: bool | None = None
        """Whether this Redis keeps an append-only file, as it said when last asked (ping)."""
        with suppress(StoreUnavailable):  # a Redis not up yet is asked again by GET /api/ready
            self.ping()

    @contextmanager
    def answering(self) -> Iterator[None]:
        """Turns a Redis that does not answer, or is out of memory, into StoreUnavailable
        (503), saying what that means for the sessions with this Redis."""
        try:
            yield
        except (redis.ConnectionError, redis.TimeoutError) as error:
            raise StoreUnavailable(
                f"Redis does not answer ({error})",
                WHEN_DOWN[self.append_only],
                cannot="reach its sessions",
            ) from error
        except redis.ResponseError as error:
            if str(error).startswith("OOM"):
                raise StoreUnavailable("Redis is out of memory", SAVING_ONLY) from error
            raise

    def ping(self) -> None:
        """Asks Redis whether it keeps an append-only file (and so whether it answers)."""
        with self.answering():
            info = cast(dict[str, object], self.redis.info("persistence"))
        self.append_only = bool(info.get("aof_enabled"))

    def key(self, kind: str, session_id: str) -> str:
        """The Redis key of one part of a session: "session", "history", "losses" or "lock"."""
        return f"{PREFIX}:{kind}:{session_id}"

    @contextmanager
    def _hold(self, session_id: str) -> Iterator[None]:
        """The session's lock in this process, then in Redis (so across processes), renewed
        while the block runs; SessionBusy when it is not had within the wait."""
        with self.answering(), self._locks.hold(self.key("lock", session_id), session_id):
            yield

    def close(self) -> None:
        """Stops renewing locks and closes the connections to Redis."""
        self._locks.close()
        self.redis.close()
