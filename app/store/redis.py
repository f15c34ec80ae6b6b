"""Sessions in Redis, shared by every replica: any process serves any session, one at a time.

The record is SqliteStore's (its float64 codecs and LazyHistory are shared, in
app.store.records), in Redis types. Per session, under `bpv:<kind>:<id>`:

- `session`, a hash: the spec once (JSON, initial weights explicit), `iteration` and `cursor`,
  `parameters` (W_1 … W_k then b_1 … b_k, row-major, little-endian float64 bytes),
  `history_count`, `version` (bumped by every save) and `touched` (Unix time of the last use);
- `losses`, a string: J of each finished iteration, float64 bytes (an update appends 8 bytes);
- `history`, a hash from an iteration to the parameters at its start (float64 bytes);
- `lock`, a string while a request holds the session (redis-py's `Lock`: SET NX PX + token),
  with a lease of a few seconds that its holder renews while the request runs
  (app.store.redis_locks).

`bpv:sessions`, a sorted set of ids by `touched`, counts the live sessions for MAX_SESSIONS;
`bpv:views` maps a read-only view id to its session id, and `bpv:view-of` back (both are purged
with the session). Rooms are hashes beside them (app.store.redis_rooms).

A step inside an iteration rewrites `iteration`, `cursor` and `touched`; the update step adds the
new parameters, one loss and one history entry. Every write is one Lua script
(app.store.redis_scripts), so it is atomic, and it refuses a session whose `version` moved
since it was read (a lock that lapsed mid-request then yields SessionConflict, never a lost
update). The keys expire after SESSION_TTL_SECONDS without use; each use renews them.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Concatenate, ParamSpec, TypeVar, Unpack, cast

from app.engine import Network, Parameters, Session

from .base import (
    Room,
    SessionConflict,
    SessionNotFound,
    StoreFull,
    ViewNotFound,
    new_session_id,
)
from .records import (
    KnownSessions,
    LazyHistory,
    StoredLosses,
    decode_parameters,
    floats_blob,
    outside,
    parameters_blob,
    spec_json,
)
from .redis_assignments import RedisAssignments
from .redis_connection import PREFIX, RedisConnection
from .redis_locks import LOCK_LEASE_SECONDS
from .redis_rooms import RedisRooms
from .redis_scripts import CREATE_VIEW, DELETE, RESOLVE_VIEW, WRITE
from .rules import SessionRules, StoreSettings

_ROOM_FIELDS = ("session", "network", "started", "seen", "left", "touched", "owner")

_SESSION_FIELDS = ("iteration", "cursor", "parameters", "history_count", "version", "touched")


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


class RedisStore(SessionRules, RedisConnection):
    """A SessionStore in Redis, for several processes on several machines: requests on one
    session are serialised by a lock in Redis, and a lost update is refused, never silent."""

    kind = "redis"

    def __init__(
        self,
        url: str,
        *,
        lock_lease: float = LOCK_LEASE_SECONDS,
        **settings: Unpack[StoreSettings],
    ) -> None:
        SessionRules.__init__(self, settings)
        RedisConnection.__init__(self, url, lock_lease=lock_lease, lock_wait=self.lock_wait)
        self._write_script = self.redis.register_script(WRITE)
        self._delete_script = self.redis.register_script(DELETE)
        self._create_view_script = self.redis.register_script(CREATE_VIEW)
        self._resolve_view_script = self.redis.register_script(RESOLVE_VIEW)
        self._sessions = KnownSessions()
        self.assignments = RedisAssignments(
            self.redis, answering=self.answering, limits=self.assignment_limits, clock=self._clock
        )
        self.rooms = RedisRooms(self, rules=self, sessions_key=self.index_key)

    @property
    def index_key(self) -> str:
        """The sorted set of live session ids, scored by their last use."""
        return f"{PREFIX}:sessions"

    @property
    def view_keys(self) -> list[str]:
        """The hashes from a view id to its session id, and from a session id to its view id."""
        return [f"{PREFIX}:views", f"{PREFIX}:view-of"]

    def _keys(self, session_id: str) -> list[str]:
        """The keys the scripts take: session, history, losses, the index, the two view hashes."""
        parts = [self.key(kind, session_id) for kind in ("session", "history", "losses")]
        return [*parts, self.index_key, *self.view_keys]

    def close(self) -> None:
        """Stops renewing locks, closes the connections to Redis, and forgets the sessions it
        knew."""
        super().close()
        self._sessions.clear()

    # --- reading ---------------------------------------------------------------------------

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
        if float(touched) < self._cutoff():
            self._delete_script(
                keys=self._keys(session_id), args=[session_id, self._cutoff(), "purge"]
            )
            self._sessions.forget(session_id)
            raise SessionNotFound(session_id)
        if touch and self._stale_touch(float(touched), now):
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
            history_limit=self._kept_history(network),
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
        write.drop = outside(loaded.history_keys, first, session.iteration)
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
        self.rooms.expire(cutoff)
        idle = cast(list[bytes], self.redis.zrangebyscore(self.index_key, "-inf", f"({cutoff!r}"))
        pipe = self.redis.pipeline(transaction=False)
        for raw in idle:
            session_id = raw.decode()
            self._delete_script(
                keys=self._keys(session_id), args=[session_id, cutoff, "purge"], client=pipe
            )
            self._sessions.forget(session_id)
        return sum(int(answer) for answer in pipe.execute()) if idle else 0

    # --- rooms (app.store.redis_rooms) -----------------------------------------------------

    @_answering
    def create_room(self, session_id: str) -> tuple[str, str]:
        """A new room showing the session, in one script; purges expired rooms first."""
        return self.rooms.create(session_id)

    @_answering
    def get_room(self, room_id: str) -> Room:
        """The room."""
        return self.rooms.get(room_id)

    @_answering
    def point_room(self, room_id: str, key: str, session_id: str, *, restart: bool) -> Room:
        """Re-points the room, its owner's page open."""
        return self.rooms.point(room_id, key, session_id, restart=restart)

    @_answering
    def leave_room(self, room_id: str, key: str) -> Room:
        """Notes that the owner's page closed."""
        return self.rooms.leave(room_id, key)
