"""SqliteStore: one file that survives restarts, written compactly, one transaction a request."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from app.engine import Session
from app.store import SessionConflict, SqliteStore

from .conftest import Clock


@pytest.fixture
def store(sqlite_path: Path, clock: Clock) -> Iterator[SqliteStore]:
    store = SqliteStore(
        sqlite_path, ttl_seconds=3600, max_sessions=100, history_limit=3, clock=clock
    )
    yield store
    store.close()


class Statements:
    """Records the SQL every pooled connection of a store runs."""

    def __init__(self, store: SqliteStore) -> None:
        self.seen: list[str] = []
        for conn in store._all:
            conn.set_trace_callback(self.seen.append)

    def matching(self, word: str) -> list[str]:
        return [s for s in self.seen if word in s]


def warmed_up(store: SqliteStore, session: Session) -> str:
    """Stores the session and reads it once, so the pool holds a connection to trace."""
    session_id = store.create(session)
    with store.read(session_id):
        pass
    return session_id


def test_sessions_survive_closing_and_reopening_the_file(
    store: SqliteStore, sqlite_path: Path, clock: Clock, xor_session: Session
) -> None:
    session_id = store.create(xor_session)
    with store.edit(session_id) as session:
        session.train(7)
        session.goto(4)
    store.close()

    reopened = SqliteStore(
        sqlite_path, ttl_seconds=3600, max_sessions=100, history_limit=3, clock=clock
    )
    again = reopened.get(session_id)
    reopened.close()

    xor_session.train(7)
    xor_session.goto(4)
    assert (again.iteration, again.cursor, again.losses) == (7, 4, xor_session.losses)
    assert again.parameters.flat().tobytes() == xor_session.parameters.flat().tobytes()
    assert [p.flat().tobytes() for p in again.history] == [
        p.flat().tobytes() for p in xor_session.history[-3:]
    ]


def test_a_step_inside_an_iteration_rewrites_only_the_position_in_one_statement(
    store: SqliteStore, xor_session: Session
) -> None:
    session_id = warmed_up(store, xor_session)
    statements = Statements(store)

    with store.edit(session_id) as session:
        session.step()

    [update] = statements.matching("UPDATE")
    assert update.startswith("UPDATE sessions SET iteration")
    assert "parameters" not in update and "losses" not in update
    assert statements.matching(" history ") == []
    assert statements.matching("BEGIN") == []  # one statement: a transaction of its own


def test_the_update_step_writes_one_history_row_and_reads_none(
    store: SqliteStore, xor_session: Session
) -> None:
    xor_session.train(5)
    session_id = warmed_up(store, xor_session)
    with store.edit(session_id) as session:
        session.goto(5)
    statements = Statements(store)

    with store.edit(session_id) as session:
        session.step()

    assert statements.matching("SELECT parameters FROM history") == []
    assert len(statements.matching("INSERT OR REPLACE INTO history")) == 1
    [state] = statements.matching("UPDATE states")
    assert "parameters" in state and "losses" in state


def test_a_session_this_process_wrote_last_is_read_without_its_parameters(
    store: SqliteStore, xor_session: Session
) -> None:
    session_id = warmed_up(store, xor_session)
    with store.edit(session_id) as session:
        session.step()
    statements = Statements(store)

    with store.edit(session_id) as session:
        session.step()
    with store.read(session_id):
        pass

    assert statements.matching("states") == []


def test_a_session_another_process_wrote_is_read_as_it_left_it(
    store: SqliteStore, sqlite_path: Path, clock: Clock, xor_session: Session
) -> None:
    other = SqliteStore(sqlite_path, ttl_seconds=3600, max_sessions=100, clock=clock)
    session_id = warmed_up(store, xor_session)

    with other.edit(session_id) as theirs:
        theirs.train(3)
        theirs.goto(2)
    with store.read(session_id) as ours:
        seen = (ours.iteration, ours.cursor, ours.parameters.fingerprint, list(ours.losses))

    xor_session.train(3)
    xor_session.goto(2)
    assert seen == (3, 2, xor_session.parameters.fingerprint, xor_session.losses)
    other.close()


def test_each_step_inside_an_iteration_writes_at_most_two_pages_to_the_log(
    store: SqliteStore, sqlite_path: Path, xor_session: Session
) -> None:
    session_id = warmed_up(store, xor_session)
    wal = sqlite_path.with_name(sqlite_path.name + "-wal")
    frame = 24 + sqlite3.connect(sqlite_path).execute("PRAGMA page_size").fetchone()[0]
    written = []

    for _ in range(3 * xor_session.steps_per_iteration):
        sqlite3.connect(sqlite_path).execute("PRAGMA wal_checkpoint(TRUNCATE)")
        with store.edit(session_id) as session:
            session.step()
            updated = session.cursor == 0
        if not updated:
            written.append(wal.stat().st_size // frame)

    assert max(written) <= 2


def test_stepping_back_across_an_update_reads_and_drops_one_history_row(
    store: SqliteStore, sqlite_path: Path, xor_session: Session
) -> None:
    xor_session.train(2)
    session_id = warmed_up(store, xor_session)
    statements = Statements(store)

    with store.edit(session_id) as session:
        session.back()

    assert len(statements.matching("SELECT parameters FROM history")) == 1
    rows = (
        sqlite3.connect(sqlite_path).execute("SELECT iteration FROM history ORDER BY 1").fetchall()
    )
    assert rows == [(0,)]
    xor_session.back()
    assert store.get(session_id).parameters.flat().tobytes() == (
        xor_session.parameters.flat().tobytes()
    )


def test_a_change_by_another_process_meanwhile_is_refused_not_lost(
    store: SqliteStore, sqlite_path: Path, clock: Clock, xor_session: Session
) -> None:
    other = SqliteStore(sqlite_path, ttl_seconds=3600, max_sessions=100, clock=clock)
    session_id = store.create(xor_session)

    with pytest.raises(SessionConflict), store.edit(session_id) as session:
        session.step()
        with other.edit(session_id) as theirs:
            theirs.train(1)

    assert (store.get(session_id).iteration, store.get(session_id).cursor) == (1, 0)
    other.close()


def test_parameters_are_stored_as_float64_blobs_not_pickles(
    store: SqliteStore, sqlite_path: Path, xor_session: Session
) -> None:
    store.create(xor_session)

    (blob,) = sqlite3.connect(sqlite_path).execute("SELECT parameters FROM states").fetchone()

    assert np.frombuffer(blob, dtype="<f8").tobytes() == xor_session.parameters.flat().tobytes()
