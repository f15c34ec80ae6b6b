"""Session locks in Redis, across processes: held with a short lease that the holder renews.

A lock is redis-py's `Lock` (SET NX PX with a token) under `bpv:lock:<id>`. A request waits for
its session's lock first in its own process (one thread per process and session polls Redis),
then in Redis; while it holds the lock, one thread of the process renews it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import redis
from redis.exceptions import LockError, LockNotOwnedError
from redis.lock import Lock

from .base import LOCK_WAIT_SECONDS, LockTable, SessionBusy, wait_left

LOCK_LEASE_SECONDS = 5.0
"""A session's lock lapses this long after its holder last renewed it; the holder renews it
three times a lease while its request runs. So a replica killed mid-request, or a lock that came
back from Redis's append-only file after a restart, blocks its session for at most this long. A
request that outlived its lock cannot save: the version check refuses it (SessionConflict)."""

LOCK_POLL_SECONDS = 0.005
"""How often a waiting request tries the lock; only one thread per process and session polls."""


class Leases:
    """The session locks this store holds, renewed by one thread three times a lease.

    A lock whose holder renews it lives as long as the request; one whose holder died (the
    process killed, or the lock restored from the append-only file after a restart of Redis)
    lapses within a lease. A renewal Redis refuses (the lock lapsed and another request took
    it) or cannot make (Redis down) is dropped: the version check keeps the late holder from
    saving over the newer state.
    """

    def __init__(self, lease: float) -> None:
        self.lease = lease
        self._held: dict[str, Lock] = {}
        """By the lock's key in Redis: a process holds one lock of a session at a time."""
        self._guard = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def add(self, lock: Lock) -> None:
        """Renews `lock` from now on, until `remove`."""
        with self._guard:
            self._held[lock.name] = lock
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._renew, name="session-lock-leases", daemon=True
                )
                self._thread.start()

    def remove(self, lock: Lock) -> None:
        """Stops renewing `lock` (not another lock of its session that came after it)."""
        with self._guard:
            if self._held.get(lock.name) is lock:
                del self._held[lock.name]

    def close(self) -> None:
        """Stops the renewing thread."""
        self._stop.set()
        with self._guard:
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join()

    def _renew(self) -> None:
        while not self._stop.wait(self.lease / 3):
            with self._guard:
                held = list(self._held.values())
            for lock in held:
                try:
                    lock.reacquire()
                except (LockError, redis.RedisError):
                    self.remove(lock)


class SessionLocks:
    """The sessions' locks of one process on one Redis: in the process, then in Redis, the one
    in Redis renewed while held."""

    def __init__(
        self,
        client: redis.Redis,
        *,
        lease: float = LOCK_LEASE_SECONDS,
        wait: float = LOCK_WAIT_SECONDS,
    ) -> None:
        self.client = client
        self.lease = lease
        self.wait = wait
        self._local = LockTable(wait)
        self._leases = Leases(lease)

    @contextmanager
    def hold(self, key: str, session_id: str) -> Iterator[None]:
        """The lock of `session_id` (its key in Redis is `key`), renewed while the block runs;
        SessionBusy when it is not had within the wait (less when the request's deadline comes
        sooner)."""
        with self._local.hold(session_id):
            lock = self.client.lock(
                key,
                timeout=self.lease,
                sleep=LOCK_POLL_SECONDS,
                blocking_timeout=wait_left(self.wait),
                thread_local=False,
            )
            if not lock.acquire():
                raise SessionBusy(session_id)
            self._leases.add(lock)
            try:
                yield
            finally:
                self._leases.remove(lock)
                # A lock that lapsed is no one's to release; the version check already made
                # sure that nothing written meanwhile was overwritten.
                with suppress(LockNotOwnedError):
                    lock.release()

    def close(self) -> None:
        """Stops renewing locks."""
        self._leases.close()
