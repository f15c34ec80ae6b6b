"""The tables of the session file, and how a file of an earlier schema is brought to them.

Per session, a small row of where it is (iteration, cursor, version, times), the spec once in a
row of its own (JSON, initial weights explicit), the current parameters and the losses as
little-endian float64 blobs in another, and one row per kept history entry (the parameters at
the start of an earlier iteration). A step inside an iteration rewrites the small row only, in
place (a page or two of the log); the update step also writes the new parameters, one loss and
one history row.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

ASSIGNMENT_SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS assignments (
        id TEXT PRIMARY KEY NOT NULL,    -- as unguessable as a session id
        record TEXT NOT NULL,            -- the lecturer's settings, JSON (Assignment.to_json)
        touched REAL NOT NULL            -- Unix time of the last write to it or its students
    ) WITHOUT ROWID
    """,
    "CREATE INDEX IF NOT EXISTS assignments_by_touched ON assignments (touched)",
    """
    CREATE TABLE IF NOT EXISTS assignment_students (
        assignment_id TEXT NOT NULL REFERENCES assignments (id) ON DELETE CASCADE,
        number_key TEXT NOT NULL,        -- the student number, trimmed and case-folded
        key TEXT NOT NULL,               -- the SHA-256 of the student's token, hex
        record TEXT NOT NULL,            -- name, number, seed, network: JSON (Student.to_json)
        cursor INTEGER NOT NULL,         -- steps of the iteration taken, 0 … 2k + 2
        joined REAL NOT NULL,            -- Unix time
        PRIMARY KEY (assignment_id, number_key),
        UNIQUE (assignment_id, key)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE IF NOT EXISTS assignment_attempts (
        assignment_id TEXT NOT NULL,
        number_key TEXT NOT NULL,
        task TEXT NOT NULL,              -- the tensor's key, e.g. Delta2
        at REAL NOT NULL,                -- Unix time
        record TEXT NOT NULL,            -- values sent and entries right: JSON (Attempt.to_json)
        FOREIGN KEY (assignment_id, number_key)
            REFERENCES assignment_students (assignment_id, number_key) ON DELETE CASCADE
    )
    """,
    "CREATE INDEX IF NOT EXISTS attempts_by_student "
    "ON assignment_attempts (assignment_id, number_key, at)",
)
"""The assignments, their students and their attempts (sqlite_assignments.py), added to
schema 2 as they are (CREATE … IF NOT EXISTS on opening the file)."""

SCHEMA_VERSION = 2
SCHEMA = (
    # Where each session is: the row a step rewrites, small enough that it does so in place.
    """
    CREATE TABLE IF NOT EXISTS sessions (
        id TEXT PRIMARY KEY NOT NULL,
        iteration INTEGER NOT NULL,
        cursor INTEGER NOT NULL,         -- steps taken in the current iteration
        history_count INTEGER NOT NULL,  -- history rows: iterations (iteration - count) … - 1
        version INTEGER NOT NULL,        -- bumped by every save, so a lost update is noticed
        created REAL NOT NULL,           -- Unix time
        touched REAL NOT NULL            -- Unix time of the last use
    ) WITHOUT ROWID
    """,
    "CREATE INDEX IF NOT EXISTS sessions_by_touched ON sessions (touched)",
    # Written once.
    """
    CREATE TABLE IF NOT EXISTS specs (
        session_id TEXT PRIMARY KEY NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        spec TEXT NOT NULL               -- the normalised spec, JSON, initial weights explicit
    )
    """,
    # Written once an iteration.
    """
    CREATE TABLE IF NOT EXISTS states (
        session_id TEXT PRIMARY KEY NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        parameters BLOB NOT NULL,        -- W_1 … W_k then b_1 … b_k, row-major, float64 LE
        losses BLOB NOT NULL             -- J of each finished iteration, float64 LE
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS history (
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        iteration INTEGER NOT NULL,      -- these are the parameters at this iteration's start
        parameters BLOB NOT NULL,
        PRIMARY KEY (session_id, iteration)
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS views (
        id TEXT PRIMARY KEY NOT NULL,    -- a read-only view id, as unguessable as a session id
        session_id TEXT NOT NULL UNIQUE REFERENCES sessions (id) ON DELETE CASCADE
    )
    """,
    # Rooms, added to schema 2 as they are (CREATE … IF NOT EXISTS on opening the file).
    """
    CREATE TABLE IF NOT EXISTS rooms (
        id TEXT PRIMARY KEY NOT NULL,    -- a room id, as unguessable as a session id
        owner TEXT NOT NULL,             -- the SHA-256 of its owner key, hex
        session_id TEXT NOT NULL,        -- the session it shows (it may go before the room)
        network INTEGER NOT NULL,        -- networks shown so far, 1 for the first
        started TEXT NOT NULL,           -- how the network shown started: 'new' or 'reset'
        seen REAL NOT NULL,              -- Unix time its owner's page last said it is open
        left_at REAL,                    -- Unix time it said it closed, if not back since
        touched REAL NOT NULL            -- Unix time of the owner's last use
    ) WITHOUT ROWID
    """,
    "CREATE INDEX IF NOT EXISTS rooms_by_touched ON rooms (touched)",
    *ASSIGNMENT_SCHEMA,
)

FROM_SCHEMA_1 = (
    # Schema 1 kept the spec, the parameters and the losses in the sessions row, which every
    # step rewrote whole (over 100 kB for a 3-layer 32-wide network): SQLite's recipe for a
    # changed table, run with foreign keys off (https://sqlite.org/lang_altertable.html).
    SCHEMA[0].replace("sessions (", "sessions_2 (", 1),
    "INSERT INTO sessions_2 SELECT id, iteration, cursor, history_count, version, created, "
    "touched FROM sessions",
    SCHEMA[2],
    "INSERT INTO specs SELECT id, spec FROM sessions",
    SCHEMA[3],
    "INSERT INTO states SELECT id, parameters, losses FROM sessions",
    "DROP TABLE sessions",
    "ALTER TABLE sessions_2 RENAME TO sessions",
    SCHEMA[1],
)


def schema_version(conn: sqlite3.Connection) -> int:
    """The schema the file says it has: 0 for a new file."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def create_or_migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Creates the tables in a new file, or brings a file of schema 1 to this schema; refuses
    a file of any other schema. Run inside one transaction with foreign keys off."""
    version = schema_version(conn)
    if version == 1:
        for statement in FROM_SCHEMA_1:
            conn.execute(statement)
        if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
            raise RuntimeError(f"{path}: schema 1 held rows without a session")
    elif version not in (0, SCHEMA_VERSION):
        raise RuntimeError(
            f"{path} has session schema {version}; this server knows "
            f"{SCHEMA_VERSION}: move the file away or use another STORE"
        )
    for statement in SCHEMA:
        conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
