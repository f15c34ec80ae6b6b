"""The session file's tables: made in a new file, brought over from schema 1 with every session,
and a file of a schema this server does not know refused."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from app.engine import Session
from app.store import SqliteStore
from app.store.records import floats_blob
from app.store.sqlite_schema import SCHEMA_VERSION, create_or_migrate, schema_version

from .conftest import Clock

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
    sqlite_path: Path, clock: Clock, xor_session: Session
) -> None:
    xor_session.train(2)
    xor_session.goto(3)
    sqlite_path.parent.mkdir(parents=True)
    old = sqlite3.connect(sqlite_path)
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

    store = SqliteStore(sqlite_path, ttl_seconds=3600, max_sessions=100, clock=clock)
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
    files = sqlite3.connect(sqlite_path)
    assert files.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    for table in ("sessions", "specs", "states", "history", "views"):
        assert files.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)  # cascaded
    store.close()


def test_a_file_of_another_schema_version_is_refused(sqlite_path: Path) -> None:
    sqlite_path.parent.mkdir(parents=True)
    sqlite3.connect(sqlite_path).execute("PRAGMA user_version = 99")

    with pytest.raises(RuntimeError, match="schema 99"):
        SqliteStore(sqlite_path, ttl_seconds=60, max_sessions=1)


def test_a_new_file_gets_the_tables_of_this_schema_and_keeps_them_when_opened_again(
    sqlite_path: Path,
) -> None:
    conn = sqlite3.connect(":memory:")

    create_or_migrate(conn, sqlite_path)
    conn.execute("INSERT INTO sessions VALUES ('s1', 0, 0, 0, 0, 1.0, 1.0)")
    create_or_migrate(conn, sqlite_path)

    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"sessions", "specs", "states", "history", "views"} <= tables
    assert schema_version(conn) == SCHEMA_VERSION
    assert conn.execute("SELECT id FROM sessions").fetchall() == [("s1",)]
    conn.close()
