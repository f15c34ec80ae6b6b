"""Sessions in Redis, shared by every replica: any process serves any session, one at a time.

The record is SqliteStore's (its float64 codecs and LazyHistory are shared, in
app.store.records), in Redis types. Per session, under `bpv:<kind>:<id>`:

- `session`, a hash: the spec once (JSON, initial weights explicit), `iteration` and `cursor`,
  `parameters` (W_1 … W_k then b_1 … b_k, row-major, little-endian float64 bytes),
  `history_count`, `version` (bumped by every save) and `touched` (Unix time of the last use);
- `losses`, a string: J of each finished iteration, float64 bytes (an update appends 8 bytes);
- `history`, a hash from an iteration to the parameters at its start (float64 bytes);
- `lock`, a string while a request holds the session (redis-py's `Lock`: SET NX PX + token),
  with a lease of a few seconds that its holder renews while the request runs.

`bpv:sessions`, a sorted set of ids by `touched`, counts the live sessions for MAX_SESSIONS;
`bpv:views` maps a read-only view id to its session id, and `bpv:view-of` back (both are purged
with the session). A room is a hash `bpv:room:<id>` (`owner`, the digest of its owner key;
`session`, `network`, `started`, `seen`, `left` and `touched`, as app.store.base.Room), expiring
SESSION_TTL_SECONDS after its owner last used it; `bpv:rooms` scores the room ids by `touched`.

A step inside an iteration rewrites `iteration`, `cursor` and `touched`; the update step adds the
new parameters, one loss and one history entry. Every write is one Lua script, so it is atomic,
and it refuses a session whose `version` moved since it was read (a lock that lapsed mid-request
then yields SessionConflict, never a lost update). The keys expire after SESSION_TTL_SECONDS
without use; each use renews them.
"""

from __future__ import annotations

import functools
import math
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from typing import Concatenate, ParamSpec, TypeVar, cast

import redis
from redis.backoff import ExponentialWithJitterBackoff
from redis.exceptions import LockError, LockNotOwnedError
from redis.lock import Lock
from redis.retry import Retry

from app.engine import Network, Parameters, Session

from .assignments import DEFAULT_LIMITS, AssignmentLimits
from .base import (
    LOCK_WAIT_SECONDS,
    SAVING_ONLY,
    LockTable,
    NotRoomOwner,
    Room,
    RoomNotFound,
    RoomsFull,
    SessionBusy,
    SessionConflict,
    SessionNotFound,
    StoreFull,
    StoreUnavailable,
    ViewNotFound,
    history_limit,
    key_digest,
    new_room_key,
    new_session_id,
    wait_left,
)
from .records import (
    TOUCH_INTERVAL_SECONDS,
    KnownSessions,
    LazyHistory,
    StoredLosses,
    decode_parameters,
    floats_blob,
    parameters_blob,
    spec_json,
)
from .redis_assignments import RedisAssignments

PREFIX = "bpv"
"""The first part of every key, so that the app can share a Redis database with others."""

LOCK_LEASE_SECONDS = 5.0
"""A session's lock lapses this long after its holder last renewed it; the holder renews it
three times a lease while its request runs. So a replica killed mid-request, or a lock that came
back from Redis's append-only file after a restart, blocks its session for at most this long. A
request that outlived its lock cannot save: the version check refuses it (SessionConflict)."""

LOCK_POLL_SECONDS = 0.005
"""How often a waiting request tries the lock; only one thread per process and session polls."""

CONNECT_TIMEOUT_SECONDS = 5.0
COMMAND_TIMEOUT_SECONDS = 10.0
RETRY = Retry(ExponentialWithJitterBackoff(base=0.01, cap=0.1), retries=2)
"""A command that lost its connection is tried twice more within about 0.2 s (a Redis that
restarted is reconnected to), not ten times over seconds (a Redis that is down answers 503
at once, and the readiness probe says so within its timeout)."""

_WRITE = """
-- The one write of a RedisStore, atomic. KEYS: session hash, history hash, losses, the index.
-- ARGV: mode, guard, id, touched, cutoff, ttl in ms, losses op ('', 'set', 'append'), losses,
--   history op ('' or 'replace'), n fields, field value ..., n drops, iteration ..., then
--   iteration parameters ... (history entries to write), to the end.
-- Modes: 'create' (guard: the most sessions), 'commit' (guard: the version read),
--   'save' and 'touch' (the session must be live). Returns 1, or 0 (full / changed
--   meanwhile), or -1 (no such live session).
local mode, guard = ARGV[1], ARGV[2]
if mode == 'create' then
  if redis.call('ZCOUNT', KEYS[4], ARGV[5], '+inf') >= tonumber(guard) then return 0 end
  redis.call('HSET', KEYS[1], 'version', 0)
else
  local stored = redis.call('HMGET', KEYS[1], 'version', 'touched')
  if not stored[1] then return -1 end
  if mode == 'commit' then
    if stored[1] ~= guard then return 0 end
  elseif tonumber(stored[2]) < tonumber(ARGV[5]) then
    return -1
  end
  if mode ~= 'touch' then redis.call('HINCRBY', KEYS[1], 'version', 1) end
end
redis.call('HSET', KEYS[1], 'touched', ARGV[4])
redis.call('ZADD', KEYS[4], ARGV[4], ARGV[3])
local at = 10
for i = at + 1, at + 2 * tonumber(ARGV[at]), 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
at = at + 2 * tonumber(ARGV[at]) + 1
if ARGV[7] == 'set' then
  redis.call('SET', KEYS[3], ARGV[8])
elseif ARGV[7] == 'append' then
  redis.call('APPEND', KEYS[3], ARGV[8])
end
if ARGV[9] == 'replace' then redis.call('DEL', KEYS[2]) end
for i = at + 1, at + tonumber(ARGV[at]) do redis.call('HDEL', KEYS[2], ARGV[i]) end
at = at + tonumber(ARGV[at]) + 1
for i = at, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ARGV[6]) end
return 1
"""

_DELETE = """
-- Deletes a session and its view. KEYS: session hash, history hash, losses, the index, views,
-- view-of. ARGV: id, cutoff, mode. Mode 'delete' deletes it whatever its age and returns 1 if it
-- was live; mode 'purge' deletes it only if it is idle past the cutoff, and returns 1 if it did.
local score = redis.call('ZSCORE', KEYS[4], ARGV[1])
local idle = not score or tonumber(score) < tonumber(ARGV[2])
if ARGV[3] == 'purge' and not idle then return 0 end
local existed = redis.call('DEL', KEYS[1], KEYS[2], KEYS[3]) > 0
redis.call('ZREM', KEYS[4], ARGV[1])
local view = redis.call('HGET', KEYS[6], ARGV[1])
if view then
  redis.call('HDEL', KEYS[5], view)
  redis.call('HDEL', KEYS[6], ARGV[1])
end
if ARGV[3] == 'purge' then return 1 end
if existed and not idle then return 1 end
return 0
"""

_CREATE_VIEW = """
-- The view id of a live session, made on first use. KEYS: the index, views, view-of.
-- ARGV: id, cutoff, a fresh view id. Returns the view id, or nil for no live session.
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) < tonumber(ARGV[2]) then return false end
local view = redis.call('HGET', KEYS[3], ARGV[1])
if view then return view end
redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[3], ARGV[1])
return ARGV[3]
"""

_RESOLVE_VIEW = """
-- The id of the live session a view shows, or nil. KEYS: the index, views. ARGV: view id, cutoff.
local id = redis.call('HGET', KEYS[2], ARGV[1])
if not id then return false end
local score = redis.call('ZSCORE', KEYS[1], id)
if not score or tonumber(score) < tonumber(ARGV[2]) then return false end
return id
"""

_CREATE_ROOM = """
-- A new room showing a live session. KEYS: the session index, the room index, the room.
-- ARGV: session id, cutoff, most rooms, room id, owner digest, now, ttl in ms.
-- Returns 1, 0 (as many rooms as allowed) or -1 (no such live session).
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) < tonumber(ARGV[2]) then return -1 end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[2])
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[3], 'owner', ARGV[5], 'session', ARGV[1], 'network', 1,
  'started', 'new', 'seen', ARGV[6], 'left', '', 'touched', ARGV[6])
redis.call('PEXPIRE', KEYS[3], ARGV[7])
redis.call('ZADD', KEYS[2], ARGV[6], ARGV[4])
return 1
"""

_ROOM_FIELDS = ("session", "network", "started", "seen", "left", "touched", "owner")

_SESSION_FIELDS = ("iteration", "cursor", "parameters", "history_count", "version", "touched")


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

P = ParamSpec("P")
R = TypeVar("R")


def _answering(
    method: Callable[Concatenate[RedisStore, P], R],
) -> Callable[Concatenate[RedisStore, P], R]:
    """A method of the store whose Redis errors are StoreUnavailable (503) saying what is true."""

    @functools.wraps(method)
    def answering(store: RedisStore, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with store.answering():
            return method(store, *args, **kwargs)

    return answering


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
        self._held: dict[int, Lock] = {}
        self._guard = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def add(self, lock: Lock) -> None:
        """Renews `lock` from now on, until `remove`."""
        with self._guard:
            self._held[id(lock)] = lock
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._renew, name="session-lock-leases", daemon=True
                )
                self._thread.start()

    def remove(self, lock: Lock) -> None:
        """Stops renewing `lock`."""
        with self._guard:
            self._held.pop(id(lock), None)

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


@dataclass
class _Loaded:
    """A session as read, with what is needed to write back only what changed."""

    session_id: str
    session: Session
    version: bytes
    parameters: Parameters
    losses: StoredLosses
    history_keys: range


@dataclass
class _Write:
    """One call of the write script: what to set, append and delete for one session."""

    mode: str
    guard: str = ""
    fields: dict[str, bytes | int | str] = field(default_factory=dict)
    losses: tuple[str, bytes] = ("", b"")
    replace_history: bool = False
    drop: Sequence[int] = ()
    history: Mapping[int, bytes] = field(default_factory=dict)


class RedisStore:
    """A SessionStore in Redis, for several processes on several machines: requests on one
    session are serialised by a lock in Redis, and a lost update is refused, never silent."""

    kind = "redis"

    def __init__(
        self,
        url: str,
        *,
        ttl_seconds: float,
        max_sessions: int,
        history_limit: int = 100,
        history_bytes: int | None = None,
        clock: Callable[[], float] = time.time,
        lock_lease: float = LOCK_LEASE_SECONDS,
        lock_wait: float = LOCK_WAIT_SECONDS,
        assignment_limits: AssignmentLimits = DEFAULT_LIMITS,
    ) -> None:
        self.url = url
        self.ttl_seconds = ttl_seconds
        self.max_sessions = max_sessions
        self.history_limit = history_limit
        self.history_bytes = history_bytes
        self.lock_lease = lock_lease
        self.lock_wait = lock_wait
        self._clock = clock
        self.redis = redis.Redis.from_url(
            url,
            socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
            socket_timeout=COMMAND_TIMEOUT_SECONDS,
            retry=RETRY,
        )
        self._write_script = self.redis.register_script(_WRITE)
        self._delete_script = self.redis.register_script(_DELETE)
        self._create_view_script = self.redis.register_script(_CREATE_VIEW)
        self._resolve_view_script = self.redis.register_script(_RESOLVE_VIEW)
        self._create_room_script = self.redis.register_script(_CREATE_ROOM)
        self._locks = LockTable(lock_wait)
        self._leases = Leases(lock_lease)
        self._sessions = KnownSessions()
        self.assignments = RedisAssignments(
            self.redis, answering=self.answering, limits=assignment_limits, clock=clock
        )
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

    @property
    def index_key(self) -> str:
        """The sorted set of live session ids, scored by their last use."""
        return f"{PREFIX}:sessions"

    @property
    def view_keys(self) -> list[str]:
        """The hashes from a view id to its session id, and from a session id to its view id."""
        return [f"{PREFIX}:views", f"{PREFIX}:view-of"]

    @property
    def rooms_key(self) -> str:
        """The sorted set of room ids, scored by their owner's last use."""
        return f"{PREFIX}:rooms"

    def _keys(self, session_id: str) -> list[str]:
        """The keys the scripts take: session, history, losses, the index, the two view hashes."""
        parts = [self.key(kind, session_id) for kind in ("session", "history", "losses")]
        return [*parts, self.index_key, *self.view_keys]

    def close(self) -> None:
        """Stops renewing locks and closes the connections to Redis."""
        self._leases.close()
        self.redis.close()
        self._sessions.clear()

    # --- locking ---------------------------------------------------------------------------

    @contextmanager
    def _hold(self, session_id: str) -> Iterator[None]:
        """The session's lock in this process, then in Redis (so across processes), renewed
        while the block runs; SessionBusy when it is not had within the wait."""
        with self.answering(), self._locks.hold(session_id):
            lock = self.redis.lock(
                self.key("lock", session_id),
                timeout=self.lock_lease,
                sleep=LOCK_POLL_SECONDS,
                blocking_timeout=wait_left(self.lock_wait),
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

    # --- reading ---------------------------------------------------------------------------

    def _cutoff(self) -> float:
        return self._clock() - self.ttl_seconds

    def _network(self, session_id: str) -> tuple[Network, Parameters]:
        """The session's network and initial parameters, built once from the stored spec."""
        known = self._sessions.get(session_id)
        if known is None:
            spec = cast(bytes | None, self.redis.hget(self.key("session", session_id), "spec"))
            if spec is None:
                raise SessionNotFound(session_id)
            known = self._sessions.build(session_id, spec)
        return known.network, known.initial

    def _load(self, session_id: str, *, touch: bool, whole_history: bool = False) -> _Loaded:
        """The session in one MULTI (a consistent snapshot); its history entries are read when
        looked at, or all at once with `whole_history`."""
        pipe = self.redis.pipeline()
        pipe.hmget(self.key("session", session_id), _SESSION_FIELDS)
        pipe.get(self.key("losses", session_id))
        if whole_history:
            pipe.hgetall(self.key("history", session_id))
        row, losses, *rest = pipe.execute()
        iteration, cursor, parameters_blob, history_count, version, touched = row
        if version is None:
            raise SessionNotFound(session_id)
        now = self._clock()
        if float(touched) < now - self.ttl_seconds:
            self._delete_script(
                keys=self._keys(session_id), args=[session_id, self._cutoff(), "purge"]
            )
            self._sessions.forget(session_id)
            raise SessionNotFound(session_id)
        if touch and now - float(touched) > min(TOUCH_INTERVAL_SECONDS, self.ttl_seconds / 100):
            self._write(session_id, _Write("touch"))
        network, initial = self._network(session_id)
        iteration, count = int(iteration), int(history_count)
        keys = range(iteration - count, iteration)

        def entry(key: int, blob: bytes | None) -> Parameters:
            if blob is None:
                raise RuntimeError(f"session {session_id!r} lacks its history of iteration {key}")
            return decode_parameters(initial, blob)

        history: list[Parameters]
        if whole_history:
            stored = cast(dict[bytes, bytes], rest[0])
            history = [entry(key, stored.get(str(key).encode())) for key in keys]
        else:
            history_key = self.key("history", session_id)
            history = LazyHistory(
                keys, lambda key: entry(key, cast(bytes | None, self.redis.hget(history_key, key)))
            )
        parameters = decode_parameters(initial, parameters_blob)
        stored_losses = StoredLosses.read(losses or b"")
        session = Session(
            network,
            initial,
            parameters,
            iteration=iteration,
            cursor=int(cursor),
            losses=list(stored_losses.values),
            history=history,
            history_limit=history_limit(
                network, count=self.history_limit, max_bytes=self.history_bytes
            ),
        )
        return _Loaded(session_id, session, version, parameters, stored_losses, keys)

    @_answering
    def get(self, session_id: str) -> Session:
        """The stored session, its whole history read."""
        return self._load(session_id, touch=True, whole_history=True).session

    @contextmanager
    def read(self, session_id: str) -> Iterator[Session]:
        """The stored session under its lock; history is read only if the block looks at it."""
        with self._hold(session_id):
            yield self._load(session_id, touch=True).session

    # --- writing ---------------------------------------------------------------------------

    def _write(self, session_id: str, write: _Write) -> int:
        """Runs the write script for one session; returns its answer (1, 0 or -1)."""
        args: list[bytes | int | float | str] = [
            write.mode,
            write.guard,
            session_id,
            repr(self._clock()),
            repr(self._cutoff()),
            max(1, math.ceil(self.ttl_seconds * 1000)),
            *write.losses,
            "replace" if write.replace_history else "",
            len(write.fields),
        ]
        for name, value in write.fields.items():
            args += [name, value]
        args += [len(write.drop), *write.drop]
        for key, blob in write.history.items():
            args += [key, blob]
        return int(self._write_script(keys=self._keys(session_id), args=args))

    @contextmanager
    def edit(self, session_id: str) -> Iterator[Session]:
        """The stored session under its lock; what the block changed is written in one script
        when it ends without an exception."""
        with self._hold(session_id):
            loaded = self._load(session_id, touch=False)
            yield loaded.session
            self._commit(loaded)

    def _commit(self, loaded: _Loaded) -> None:
        session = loaded.session
        write = _Write(
            "commit",
            guard=loaded.version.decode(),
            fields={
                "iteration": session.iteration,
                "cursor": session.cursor,
                "history_count": len(session.history),
            },
        )
        if session.parameters is not loaded.parameters:
            write.fields["parameters"] = parameters_blob(session.parameters)
        losses = loaded.losses.then(session.losses)
        if losses is not loaded.losses:
            before, after = loaded.losses.blob, losses.blob
            grew = after.startswith(before)
            write.losses = ("append", after[len(before) :]) if grew else ("set", after)
        history = session.history
        first = session.iteration - len(history)
        write.drop = [key for key in loaded.history_keys if not first <= key < session.iteration]
        changed = (
            history.changed(first) if isinstance(history, LazyHistory) else range(len(history))
        )
        write.history = {first + j: parameters_blob(history[j]) for j in changed}
        answer = self._write(loaded.session_id, write)
        if answer == -1:
            raise SessionNotFound(loaded.session_id)
        if answer == 0:
            raise SessionConflict(loaded.session_id)

    def _whole(self, session: Session, mode: str, guard: str = "") -> _Write:
        """A write of the whole state of a session."""
        history = list(session.history)
        first = session.iteration - len(history)
        return _Write(
            mode,
            guard,
            fields={
                "iteration": session.iteration,
                "cursor": session.cursor,
                "parameters": parameters_blob(session.parameters),
                "history_count": len(history),
            },
            losses=("set", floats_blob(session.losses)),
            replace_history=True,
            history={first + j: parameters_blob(p) for j, p in enumerate(history)},
        )

    @_answering
    def create(self, session: Session) -> str:
        """Stores a new session: spec, state and history; purges expired sessions first."""
        write = self._whole(session, "create", guard=str(self.max_sessions))
        write.fields |= {
            "spec": spec_json(session),
            "created": repr(self._clock()),
        }
        self.expire()
        session_id = new_session_id()
        if self._write(session_id, write) == 0:
            raise StoreFull(self.max_sessions)
        self._sessions.remember(session_id, session.network, session.initial)
        return session_id

    @_answering
    def save(self, session_id: str, session: Session) -> None:
        """Overwrites the whole state of a session (its spec stays)."""
        if self._write(session_id, self._whole(session, "save")) != 1:
            raise SessionNotFound(session_id)

    @_answering
    def delete(self, session_id: str) -> None:
        """Removes the session, its losses and its history."""
        answer = self._delete_script(
            keys=self._keys(session_id), args=[session_id, self._cutoff(), "delete"]
        )
        self._sessions.forget(session_id)
        if answer != 1:
            raise SessionNotFound(session_id)

    @_answering
    def create_view(self, session_id: str) -> str:
        """The session's view id, made on first use."""
        view_id = self._create_view_script(
            keys=[self.index_key, *self.view_keys],
            args=[session_id, self._cutoff(), new_session_id()],
        )
        if view_id is None:
            raise SessionNotFound(session_id)
        return cast(bytes, view_id).decode()

    @_answering
    def resolve_view(self, view_id: str) -> str:
        """The session id behind a view id."""
        session_id = self._resolve_view_script(
            keys=[self.index_key, self.view_keys[0]], args=[view_id, self._cutoff()]
        )
        if session_id is None:
            raise ViewNotFound(view_id)
        return cast(bytes, session_id).decode()

    @_answering
    def count(self) -> int:
        """The number of live sessions."""
        return int(self.redis.zcount(self.index_key, self._cutoff(), "+inf"))

    @_answering
    def expire(self) -> int:
        """Deletes the sessions idle for longer than the TTL (Redis may have dropped their keys
        already; this also drops them from the index)."""
        cutoff = self._cutoff()
        self._expire_rooms(cutoff)
        idle = cast(list[bytes], self.redis.zrangebyscore(self.index_key, "-inf", f"({cutoff!r}"))
        pipe = self.redis.pipeline(transaction=False)
        for raw in idle:
            session_id = raw.decode()
            self._delete_script(
                keys=self._keys(session_id), args=[session_id, cutoff, "purge"], client=pipe
            )
            self._sessions.forget(session_id)
        return sum(int(answer) for answer in pipe.execute()) if idle else 0

    # --- rooms -----------------------------------------------------------------------------

    def _expire_rooms(self, cutoff: float) -> None:
        """Drops the rooms unused past `cutoff` (their hashes have expired in Redis already)."""
        idle = cast(list[bytes], self.redis.zrangebyscore(self.rooms_key, "-inf", f"({cutoff!r}"))
        if idle:
            self.redis.delete(*(self.key("room", raw.decode()) for raw in idle))
            self.redis.zrem(self.rooms_key, *idle)

    @_answering
    def create_room(self, session_id: str) -> tuple[str, str]:
        """A new room showing the session, in one script; purges expired rooms first."""
        room_id, key = new_session_id(), new_room_key()
        answer = self._create_room_script(
            keys=[self.index_key, self.rooms_key, self.key("room", room_id)],
            args=[
                session_id,
                repr(self._cutoff()),
                self.max_sessions,
                room_id,
                key_digest(key),
                repr(self._clock()),
                max(1, math.ceil(self.ttl_seconds * 1000)),
            ],
        )
        if answer == -1:
            raise SessionNotFound(session_id)
        if answer == 0:
            raise RoomsFull(self.max_sessions)
        return room_id, key

    def _room(self, client: redis.Redis, room_id: str, key: str | None = None) -> Room:
        """The live room (its owner's, when `key` is given), read with `client`."""
        stored = cast(list[bytes | None], client.hmget(self.key("room", room_id), _ROOM_FIELDS))
        session, network, started, seen, left, touched, owner = stored
        if session is None or float(cast(bytes, touched)) < self._cutoff():
            raise RoomNotFound(room_id)
        if key is not None and key_digest(key).encode() != owner:
            raise NotRoomOwner(room_id)
        return Room(
            session.decode(),
            int(cast(bytes, network)),
            cast(bytes, started).decode(),
            float(cast(bytes, seen)),
            float(left) if left else None,
        )

    @_answering
    def get_room(self, room_id: str) -> Room:
        """The room."""
        return self._room(self.redis, room_id)

    def _change_room(
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
            pipe.pexpire(room_key, max(1, math.ceil(self.ttl_seconds * 1000)))
            pipe.zadd(self.rooms_key, {room_id: now})
            changed[:] = [room]

        self.redis.transaction(write, room_key)
        return changed[0]

    @_answering
    def point_room(self, room_id: str, key: str, session_id: str, *, restart: bool) -> Room:
        """Re-points the room, its owner's page open."""

        def point(pipe: redis.client.Pipeline, room: Room) -> Room:
            score = pipe.zscore(self.index_key, session_id)
            if score is None or float(score) < self._cutoff():
                raise SessionNotFound(session_id)
            return room.pointed(session_id, restart=restart, now=self._clock())

        return self._change_room(room_id, key, point)

    @_answering
    def leave_room(self, room_id: str, key: str) -> Room:
        """Notes that the owner's page closed."""
        return self._change_room(
            room_id, key, lambda _pipe, room: replace(room, left=self._clock())
        )
