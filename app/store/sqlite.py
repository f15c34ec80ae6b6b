"""Sessions in one SQLite file: they survive a restart, and a kill -9 loses at most one request.

The records are app.store.sqlite_schema's tables, in the file app.store.sqlite_file opens: a
step inside an iteration rewrites the session's small row only, in one statement; the update
step also writes the new parameters, one loss and one history row, in one transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import astuple, dataclass, replace
from pathlib import Path
from typing import Unpack

from app.engine import Parameters, Session

from .base import (
    LockTable,
    Room,
    RoomNotFound,
    SessionConflict,
    SessionNotFound,
    StoreFull,
    ViewNotFound,
    new_session_id,
)
from .records import (
    Known,
    KnownSessions,
    KnownState,
    LazyHistory,
    StoredLosses,
    decode_parameters,
    floats_blob,
    outside,
    parameters_blob,
    spec_json,
)
from .rules import SessionRules, StoreSettings
from .sqlite_assignments import SqliteAssignments
from .sqlite_file import SqliteFile, count_live, unavailable_on_error, unless_unwritable


@dataclass
class _Loaded:
    """A session as read from its row, with what is needed to write back only what changed."""

    session_id: str
    session: Session
    version: int
    touched: float
    parameters: Parameters
    losses: StoredLosses
    history_keys: range


class SqliteStore(SessionRules, SqliteFile):
    """A SessionStore in one SQLite file, safe for the threads of one process and for several
    processes sharing the file (a lost update across processes is refused, never silent)."""

    kind = "sqlite"

    def __init__(self, path: Path | str, **settings: Unpack[StoreSettings]) -> None:
        SessionRules.__init__(self, settings)
        self._locks = LockTable(self.lock_wait)
        self._sessions = KnownSessions()
        self.assignments = SqliteAssignments(
            connection=self._connection,
            writing=self._writing,
            limits=self.assignment_limits,
            clock=self._clock,
        )
        SqliteFile.__init__(self, path)

    def close(self) -> None:
        """Closes every connection, and forgets the sessions it knew."""
        super().close()
        self._sessions.clear()

    # --- reading ---------------------------------------------------------------------------

    def _known(self, conn: sqlite3.Connection, session_id: str) -> Known:
        """The session's network and initial parameters, built once from the stored spec."""
        known = self._sessions.get(session_id)
        if known is not None:
            return known
        row = conn.execute("SELECT spec FROM specs WHERE session_id = ?", (session_id,)).fetchone()
        if row is None:
            raise SessionNotFound(session_id)
        return self._sessions.build(session_id, row[0])

    def _load(self, conn: sqlite3.Connection, session_id: str, *, touch: bool) -> _Loaded:
        row = conn.execute(
            "SELECT iteration, cursor, history_count, version, touched FROM sessions WHERE id = ?",
            (session_id,),
        ).fetchone()
        if row is None:
            raise SessionNotFound(session_id)
        iteration, cursor, history_count, version, touched = row
        now = self._clock()
        if touched < self._cutoff():
            with unless_unwritable():
                conn.execute(
                    "DELETE FROM sessions WHERE id = ? AND touched < ?",
                    (session_id, self._cutoff()),
                )
            self._sessions.forget(session_id)
            raise SessionNotFound(session_id)
        if touch and self._stale_touch(touched, now):
            # Bookkeeping only: a read still answers when the store cannot write.
            with unless_unwritable():
                conn.execute("UPDATE sessions SET touched = ? WHERE id = ?", (now, session_id))
        known = self._known(conn, session_id)
        network, initial, state = known.network, known.initial, known.state
        if state is None or state.version != version:
            # Not read here since it was last written (by another process, maybe): its
            # position and state again, in one statement, so that they belong together.
            found = conn.execute(
                "SELECT iteration, cursor, history_count, version, parameters, losses "
                "FROM sessions JOIN states ON session_id = id WHERE id = ?",
                (session_id,),
            ).fetchone()
            if found is None:
                raise SessionNotFound(session_id)
            iteration, cursor, history_count, version, blob, losses = found
            state = KnownState(version, decode_parameters(initial, blob), StoredLosses.read(losses))
            self._sessions.note_state(session_id, version, state.parameters, state.losses)
        parameters, losses = state.parameters, state.losses

        def load_history(key: int) -> Parameters:
            found = conn.execute(
                "SELECT parameters FROM history WHERE session_id = ? AND iteration = ?",
                (session_id, key),
            ).fetchone()
            if found is None:
                raise RuntimeError(f"session {session_id!r} lacks its history of iteration {key}")
            return decode_parameters(initial, found[0])

        keys = range(iteration - history_count, iteration)
        session = Session(
            network,
            initial,
            parameters,
            iteration=iteration,
            cursor=cursor,
            losses=list(losses.values),
            history=LazyHistory(keys, load_history),
            history_limit=self._kept_history(network),
        )
        return _Loaded(session_id, session, version, touched, parameters, losses, keys)

    def get(self, session_id: str) -> Session:
        """The stored session, its whole history read."""
        with self._connection() as conn:
            session = self._load(conn, session_id, touch=True).session
            session.history = list(session.history)
            return session

    @contextmanager
    def read(self, session_id: str) -> Iterator[Session]:
        """The stored session under its lock; history is read only if the block looks at it."""
        with self._locks.hold(session_id), self._connection() as conn:
            yield self._load(conn, session_id, touch=True).session

    # --- writing ---------------------------------------------------------------------------

    @contextmanager
    def edit(self, session_id: str) -> Iterator[Session]:
        """The stored session under its lock; what the block changed is written in one
        transaction when it ends without an exception."""
        with self._locks.hold(session_id), self._connection() as conn:
            loaded = self._load(conn, session_id, touch=False)
            yield loaded.session
            self._write_changes(conn, loaded)

    def _write_changes(self, conn: sqlite3.Connection, loaded: _Loaded) -> None:
        session = loaded.session
        columns: dict[str, object] = {
            "iteration": session.iteration,
            "cursor": session.cursor,
            "history_count": len(session.history),
        }
        now = self._clock()
        if self._stale_touch(loaded.touched, now):
            columns["touched"] = now
        state: dict[str, object] = {}
        if session.parameters is not loaded.parameters:
            state["parameters"] = parameters_blob(session.parameters)
        losses = loaded.losses.then(session.losses)
        if losses is not loaded.losses:
            state["losses"] = losses.blob
        history = session.history
        first = session.iteration - len(history)
        if isinstance(history, LazyHistory):
            changed = history.changed(first)
        else:
            changed = list(range(len(history)))
        stale = outside(loaded.history_keys, first, session.iteration)
        # A step inside an iteration changes the position only: one statement, no BEGIN/COMMIT.
        with self._writing(conn, single=not (state or stale or changed)):
            updated = conn.execute(
                f"UPDATE sessions SET {_assignments(columns)}, version = version + 1 "
                "WHERE id = ? AND version = ?",
                (*columns.values(), loaded.session_id, loaded.version),
            ).rowcount
            if updated != 1:
                raise SessionConflict(loaded.session_id)
            if state:
                conn.execute(
                    f"UPDATE states SET {_assignments(state)} WHERE session_id = ?",
                    (*state.values(), loaded.session_id),
                )
            if stale:
                conn.execute(
                    "DELETE FROM history "
                    "WHERE session_id = ? AND (iteration < ? OR iteration >= ?)",
                    (loaded.session_id, first, session.iteration),
                )
            _write_history(conn, loaded.session_id, history, first, changed)
        self._sessions.note_state(loaded.session_id, loaded.version + 1, session.parameters, losses)

    def create(self, session: Session) -> str:
        """Stores a new session: spec, state and history; purges expired sessions first."""
        stored_spec = spec_json(session)
        losses = StoredLosses.of(session.losses)
        history = list(session.history)
        first = session.iteration - len(history)
        with self._connection() as conn, self._writing(conn):
            now = self._clock()
            conn.execute("DELETE FROM sessions WHERE touched < ?", (now - self.ttl_seconds,))
            (count,) = conn.execute("SELECT count(*) FROM sessions").fetchone()
            if count >= self.max_sessions:
                raise StoreFull(self.max_sessions)
            session_id = new_session_id()
            conn.execute(
                "INSERT INTO sessions (id, iteration, cursor, history_count, version, created, "
                "touched) VALUES (?, ?, ?, ?, 0, ?, ?)",
                (session_id, session.iteration, session.cursor, len(history), now, now),
            )
            conn.execute(
                "INSERT INTO specs (session_id, spec) VALUES (?, ?)", (session_id, stored_spec)
            )
            conn.execute(
                "INSERT INTO states (session_id, parameters, losses) VALUES (?, ?, ?)",
                (session_id, parameters_blob(session.parameters), losses.blob),
            )
            _write_history(conn, session_id, history, first, range(len(history)))
        self._sessions.remember(session_id, session.network, session.initial)
        self._sessions.note_state(session_id, 0, session.parameters, losses)
        return session_id

    def save(self, session_id: str, session: Session) -> None:
        """Overwrites the whole state of a session (its spec stays)."""
        history = list(session.history)
        first = session.iteration - len(history)
        with self._connection() as conn, self._writing(conn):
            updated = conn.execute(
                "UPDATE sessions SET iteration = ?, cursor = ?, history_count = ?, "
                "version = version + 1, touched = ? WHERE id = ? AND touched >= ?",
                (
                    session.iteration,
                    session.cursor,
                    len(history),
                    self._clock(),
                    session_id,
                    self._cutoff(),
                ),
            ).rowcount
            if updated != 1:
                raise SessionNotFound(session_id)
            conn.execute(
                "UPDATE states SET parameters = ?, losses = ? WHERE session_id = ?",
                (parameters_blob(session.parameters), floats_blob(session.losses), session_id),
            )
            conn.execute("DELETE FROM history WHERE session_id = ?", (session_id,))
            _write_history(conn, session_id, history, first, range(len(history)))
        self._sessions.forget(session_id)

    def delete(self, session_id: str) -> None:
        """Removes the session and its history."""
        with self._connection() as conn, self._writing(conn):
            rows = conn.execute(
                "DELETE FROM sessions WHERE id = ? RETURNING touched", (session_id,)
            ).fetchall()
        self._sessions.forget(session_id)
        if not rows or rows[0][0] < self._cutoff():
            raise SessionNotFound(session_id)

    def create_view(self, session_id: str) -> str:
        """The session's view id, made on first use."""
        with self._connection() as conn, self._writing(conn):
            self._live_session(conn, session_id)
            found = conn.execute(
                "SELECT id FROM views WHERE session_id = ?", (session_id,)
            ).fetchone()
            if found is not None:
                return str(found[0])
            view_id = new_session_id()
            conn.execute("INSERT INTO views (id, session_id) VALUES (?, ?)", (view_id, session_id))
            return view_id

    def resolve_view(self, view_id: str) -> str:
        """The session id behind a view id."""
        with self._connection() as conn:
            row = conn.execute(
                "SELECT s.id FROM views v JOIN sessions s ON s.id = v.session_id "
                "WHERE v.id = ? AND s.touched >= ?",
                (view_id, self._cutoff()),
            ).fetchone()
        if row is None:
            raise ViewNotFound(view_id)
        return str(row[0])

    def _live_session(self, conn: sqlite3.Connection, session_id: str) -> None:
        """SessionNotFound unless the session is there and live."""
        row = conn.execute("SELECT touched FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None or row[0] < self._cutoff():
            raise SessionNotFound(session_id)

    def create_room(self, session_id: str) -> tuple[str, str]:
        """A new room showing the session; purges expired rooms first."""
        with self._connection() as conn, self._writing(conn):
            self._live_session(conn, session_id)
            conn.execute("DELETE FROM rooms WHERE touched < ?", (self._cutoff(),))
            (count,) = conn.execute("SELECT count(*) FROM rooms").fetchone()
            self._admit_room(count)
            new = self._new_room(session_id)
            room = new.room
            conn.execute(
                "INSERT INTO rooms (id, owner, session_id, network, started, seen, left_at, "
                "touched) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (new.id, new.owner, *astuple(room), room.seen),
            )
        return new.id, new.key

    def _room(self, conn: sqlite3.Connection, room_id: str, key: str | None = None) -> Room:
        """The live room (its owner's, when `key` is given)."""
        row = conn.execute(
            "SELECT session_id, network, started, seen, left_at, owner FROM rooms "
            "WHERE id = ? AND touched >= ?",
            (room_id, self._cutoff()),
        ).fetchone()
        if row is None:
            raise RoomNotFound(room_id)
        self._check_owner(room_id, row[5], key)
        return Room(*row[:5])

    def _put_room(self, conn: sqlite3.Connection, room_id: str, room: Room) -> None:
        conn.execute(
            "UPDATE rooms SET session_id = ?, network = ?, started = ?, seen = ?, left_at = ?, "
            "touched = ? WHERE id = ?",
            (*astuple(room), self._clock(), room_id),
        )

    def get_room(self, room_id: str) -> Room:
        """The room."""
        with self._connection() as conn:
            return self._room(conn, room_id)

    def point_room(self, room_id: str, key: str, session_id: str, *, restart: bool) -> Room:
        """Re-points the room, its owner's page open, in one transaction."""
        with self._connection() as conn, self._writing(conn):
            room = self._room(conn, room_id, key)
            self._live_session(conn, session_id)
            room = room.pointed(session_id, restart=restart, now=self._clock())
            self._put_room(conn, room_id, room)
        return room

    def leave_room(self, room_id: str, key: str) -> Room:
        """Notes that the owner's page closed."""
        with self._connection() as conn, self._writing(conn):
            room = replace(self._room(conn, room_id, key), left=self._clock())
            self._put_room(conn, room_id, room)
        return room

    def ping(self) -> None:
        """Reads the first page of the sessions table."""
        with self._connection() as conn, unavailable_on_error():
            conn.execute("SELECT id FROM sessions LIMIT 1").fetchall()

    def count(self) -> int:
        """The number of live sessions."""
        with self._connection() as conn:
            return count_live(conn, "sessions", self._cutoff())

    def expire(self) -> int:
        """Deletes the sessions idle for longer than the TTL, with their history."""
        with self._connection() as conn, self._writing(conn):
            purged = conn.execute(
                "DELETE FROM sessions WHERE touched < ? RETURNING id", (self._cutoff(),)
            ).fetchall()
            conn.execute("DELETE FROM rooms WHERE touched < ?", (self._cutoff(),))
        for (session_id,) in purged:
            self._sessions.forget(session_id)
        return len(purged)


def _assignments(columns: dict[str, object]) -> str:
    return ", ".join(f"{name} = ?" for name in columns)


def _write_history(
    conn: sqlite3.Connection,
    session_id: str,
    history: list[Parameters],
    first: int,
    indices: Iterable[int],
) -> None:
    """Writes history entries `indices` as the rows of iterations `first + index`."""
    conn.executemany(
        "INSERT OR REPLACE INTO history (session_id, iteration, parameters) VALUES (?, ?, ?)",
        [(session_id, first + j, parameters_blob(history[j])) for j in indices],
    )
