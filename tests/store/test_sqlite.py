"""SqliteStore: one file that survives restarts, written compactly, one transaction a request."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from app.engine import Session
from app.store import SessionConflict, SqliteStore, StoreDamaged, StoreUnavailable, from_url
from app.store.records import floats_blob
from app.store.sqlite import SCHEMA_VERSION, path_from_url

from .conftest import Clock


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "sessions.sqlite3"


@pytest.fixture
def store(path: Path, clock: Clock) -> Iterator[SqliteStore]:
    store = SqliteStore(path, ttl_seconds=3600, max_sessions=100, history_limit=3, clock=clock)
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
    store: SqliteStore, path: Path, clock: Clock, xor_session: Session
) -> None:
    session_id = store.create(xor_session)
    with store.edit(session_id) as session:
        session.train(7)
        session.goto(4)
    store.close()

    reopened = SqliteStore(path, ttl_seconds=3600, max_sessions=100, history_limit=3, clock=clock)
    again = reopened.get(session_id)
    reopened.close()

    xor_session.train(7)
    xor_session.goto(4)
    assert (again.iteration, again.cursor, again.losses) == (7, 4, xor_session.losses)
    assert again.parameters.flat().tobytes() == xor_session.parameters.flat().tobytes()
    assert [p.flat().tobytes() for p in again.history] == [
        p.flat().tobytes() for p in xor_session.history[-3:]
    ]


def test_the_directory_is_created_and_the_file_is_in_wal_mode_with_normal_sync(
    store: SqliteStore, path: Path
) -> None:
    assert path.is_file()
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert store._connect().execute("PRAGMA synchronous").fetchone() == (1,)  # NORMAL


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
    store: SqliteStore, path: Path, clock: Clock, xor_session: Session
) -> None:
    other = SqliteStore(path, ttl_seconds=3600, max_sessions=100, clock=clock)
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
    store: SqliteStore, path: Path, xor_session: Session
) -> None:
    session_id = warmed_up(store, xor_session)
    wal = path.with_name(path.name + "-wal")
    frame = 24 + sqlite3.connect(path).execute("PRAGMA page_size").fetchone()[0]
    written = []

    for _ in range(3 * xor_session.steps_per_iteration):
        sqlite3.connect(path).execute("PRAGMA wal_checkpoint(TRUNCATE)")
        with store.edit(session_id) as session:
            session.step()
            updated = session.cursor == 0
        if not updated:
            written.append(wal.stat().st_size // frame)

    assert max(written) <= 2


def test_stepping_back_across_an_update_reads_and_drops_one_history_row(
    store: SqliteStore, path: Path, xor_session: Session
) -> None:
    xor_session.train(2)
    session_id = warmed_up(store, xor_session)
    statements = Statements(store)

    with store.edit(session_id) as session:
        session.back()

    assert len(statements.matching("SELECT parameters FROM history")) == 1
    rows = sqlite3.connect(path).execute("SELECT iteration FROM history ORDER BY 1").fetchall()
    assert rows == [(0,)]
    xor_session.back()
    assert store.get(session_id).parameters.flat().tobytes() == (
        xor_session.parameters.flat().tobytes()
    )


def test_history_rows_are_trimmed_to_the_history_limit(
    store: SqliteStore, path: Path, xor_session: Session
) -> None:
    session_id = store.create(xor_session)

    for _ in range(5):
        with store.edit(session_id) as session:
            session.goto(6)

    rows = sqlite3.connect(path).execute("SELECT iteration FROM history ORDER BY 1").fetchall()
    assert rows == [(2,), (3,), (4,)]


def test_reset_and_delete_drop_the_history_rows(
    store: SqliteStore, path: Path, xor_session: Session
) -> None:
    xor_session.train(2)
    first, second = store.create(xor_session), store.create(xor_session)

    with store.edit(first) as session:
        session.reset()
    store.delete(second)

    assert sqlite3.connect(path).execute("SELECT count(*) FROM history").fetchone() == (0,)


def test_a_change_by_another_process_meanwhile_is_refused_not_lost(
    store: SqliteStore, path: Path, clock: Clock, xor_session: Session
) -> None:
    other = SqliteStore(path, ttl_seconds=3600, max_sessions=100, clock=clock)
    session_id = store.create(xor_session)

    with pytest.raises(SessionConflict), store.edit(session_id) as session:
        session.step()
        with other.edit(session_id) as theirs:
            theirs.train(1)

    assert (store.get(session_id).iteration, store.get(session_id).cursor) == (1, 0)
    other.close()


SCHEMA_1 = (
    """CREATE TABLE sessions (id TEXT PRIMARY KEY NOT NULL, spec TEXT NOT NULL,
    iteration INTEGER NOT NULL, cursor INTEGER NOT NULL, parameters BLOB NOT NULL,
    losses BLOB NOT NULL, history_count INTEGER NOT NULL, version INTEGER NOT NULL,
    created REAL NOT NULL, touched REAL NOT NULL)""",
    "CREATE INDEX sessions_by_touched ON sessions (touched)",
    """CREATE TABLE history (session_id TEXT NOT NULL REFERENCES sessions (id)
    ON DELETE CASCADE, iteration INTEGER NOT NULL, parameters BLOB NOT NULL,
    PRIMARY KEY (session_id, iteration))""",
    """CREATE TABLE views (id TEXT PRIMARY KEY NOT NULL, session_id TEXT NOT NULL UNIQUE
    REFERENCES sessions (id) ON DELETE CASCADE)""",
    "PRAGMA user_version = 1",
)
"""The file an earlier version of the server wrote: spec, parameters and losses in the row."""


def test_a_file_of_schema_1_is_migrated_with_its_sessions_history_and_views(
    path: Path, clock: Clock, xor_session: Session
) -> None:
    xor_session.train(2)
    xor_session.goto(3)
    path.parent.mkdir(parents=True)
    old = sqlite3.connect(path)
    for statement in SCHEMA_1:
        old.execute(statement)
    spec = xor_session.network.spec.to_dict()
    spec["weights"], spec["biases"] = xor_session.initial.to_lists()
    with old:
        old.execute(
            "INSERT INTO sessions VALUES ('s1', ?, 2, 3, ?, ?, 2, 7, ?, ?)",
            (
                json.dumps(spec),
                floats_blob(xor_session.parameters.flat()),
                floats_blob(xor_session.losses),
                clock(),
                clock(),
            ),
        )
        for iteration, parameters in zip((0, 1), xor_session.history, strict=True):
            old.execute(
                "INSERT INTO history VALUES ('s1', ?, ?)",
                (iteration, floats_blob(parameters.flat())),
            )
        old.execute("INSERT INTO views VALUES ('v1', 's1')")
    old.close()

    store = SqliteStore(path, ttl_seconds=3600, max_sessions=100, clock=clock)
    migrated = store.get("s1")
    view = store.resolve_view("v1")
    with store.edit("s1") as session:
        session.back()
        session.step()
    store.delete("s1")

    assert view == "s1"
    assert (migrated.iteration, migrated.cursor, migrated.losses) == (2, 3, xor_session.losses)
    assert migrated.parameters.flat().tobytes() == xor_session.parameters.flat().tobytes()
    assert [p.flat().tobytes() for p in migrated.history] == [
        p.flat().tobytes() for p in xor_session.history
    ]
    files = sqlite3.connect(path)
    assert files.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    for table in ("sessions", "specs", "states", "history", "views"):
        assert files.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)  # cascaded
    store.close()


def test_a_file_of_another_schema_version_is_refused(path: Path) -> None:
    path.parent.mkdir(parents=True)
    sqlite3.connect(path).execute("PRAGMA user_version = 99")

    with pytest.raises(RuntimeError, match="schema 99"):
        SqliteStore(path, ttl_seconds=60, max_sessions=1)


def test_parameters_are_stored_as_float64_blobs_not_pickles(
    store: SqliteStore, path: Path, xor_session: Session
) -> None:
    store.create(xor_session)

    (blob,) = sqlite3.connect(path).execute("SELECT parameters FROM states").fetchone()

    assert np.frombuffer(blob, dtype="<f8").tobytes() == xor_session.parameters.flat().tobytes()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:///./data/sessions.sqlite3", Path("data/sessions.sqlite3")),
        ("sqlite:////var/lib/bpv/s.sqlite3", Path("/var/lib/bpv/s.sqlite3")),
    ],
)
def test_a_sqlite_url_names_a_relative_or_absolute_path(url: str, expected: Path) -> None:
    assert path_from_url(url) == expected


@pytest.mark.parametrize("url", ["sqlite:///", "sqlite://x.db", "postgres://db", "data.sqlite3"])
def test_an_unusable_store_url_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="sqlite:///"):
        from_url(url, ttl_seconds=60, max_sessions=1)


def test_a_file_damaged_while_served_is_a_503_saying_so_not_a_500(
    path: Path, xor_session: Session
) -> None:
    store = SqliteStore(path, ttl_seconds=3600, max_sessions=10)
    session_id = store.create(xor_session)
    store.close()
    with sqlite3.connect(path) as conn:
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'states'"
        ).fetchone()
        (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    store = SqliteStore(path, ttl_seconds=3600, max_sessions=10)
    with path.open("r+b") as file:  # a bad sector, after the check at start
        file.seek((root - 1) * page_size)
        file.write(bytes(page_size))

    with pytest.raises(StoreUnavailable, match="is damaged"):
        store.get(session_id)
    store.close()


def test_a_damaged_file_is_refused_at_open_naming_it(path: Path) -> None:
    path.parent.mkdir()
    path.write_bytes(b"not a database" * 1000)

    with pytest.raises(StoreDamaged, match=f"{path}.*file is not a database"):
        SqliteStore(path, ttl_seconds=3600, max_sessions=10)
