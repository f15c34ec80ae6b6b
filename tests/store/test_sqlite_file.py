"""The session file: opened only when sound, in WAL mode with normal sync, named by a URL; what
goes wrong with it is said (StoreDamaged at start, StoreUnavailable while serving), never a 500."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from app.engine import Session
from app.store import SqliteStore, StoreDamaged, StoreUnavailable, from_url, move_aside
from app.store.sqlite_file import SqliteFile, path_from_url, transaction


def states_root(path: Path) -> tuple[int, int]:
    """Where the root page of the session file's `states` table starts, and its size, in bytes."""
    with sqlite3.connect(path) as conn:
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'states'"
        ).fetchone()
        (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    return (root - 1) * page_size, page_size


def test_the_directory_is_created_and_the_file_is_in_wal_mode_with_normal_sync(
    sqlite_path: Path,
) -> None:
    file = SqliteFile(sqlite_path)

    assert sqlite_path.is_file()
    assert sqlite3.connect(sqlite_path).execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert file._connect().execute("PRAGMA synchronous").fetchone() == (1,)  # NORMAL
    file.close()


def test_a_damaged_file_is_refused_at_open_naming_it(sqlite_path: Path) -> None:
    sqlite_path.parent.mkdir()
    sqlite_path.write_bytes(b"not a database" * 1000)

    with pytest.raises(StoreDamaged, match=f"{sqlite_path}.*file is not a database"):
        SqliteFile(sqlite_path)


def test_an_empty_file_is_opened_empty_with_a_warning_that_its_volume_may_be_lost(
    sqlite_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    sqlite_path.parent.mkdir()
    sqlite_path.touch()

    with caplog.at_level(logging.WARNING, logger="app.store.sqlite_file"):
        SqliteFile(sqlite_path).close()

    [warning] = caplog.messages
    assert f"{sqlite_path} is empty (0 bytes)" in warning and "volume" in warning


def test_a_damaged_file_moved_aside_keeps_its_log_beside_it(sqlite_path: Path) -> None:
    sqlite_path.parent.mkdir()
    for suffix, content in (("", b"pages"), ("-wal", b"log"), ("-shm", b"index")):
        Path(f"{sqlite_path}{suffix}").write_bytes(content)

    moved = move_aside(sqlite_path, now=lambda: 0.0)

    stamped = "sessions.sqlite3.damaged-19700101T000000Z"
    assert moved == sqlite_path.with_name(stamped)
    assert {p.name: p.read_bytes() for p in sqlite_path.parent.iterdir()} == {
        stamped: b"pages",
        f"{stamped}-wal": b"log",
        f"{stamped}-shm": b"index",
    }


def test_a_write_the_disk_refuses_is_unavailable_saying_why_and_writes_nothing(
    sqlite_path: Path,
) -> None:
    file = SqliteFile(sqlite_path)

    with file._connection() as conn:
        conn.execute("PRAGMA query_only = 1")  # as on a disk remounted read-only
        with pytest.raises(StoreUnavailable, match="read-only"), transaction(conn):
            conn.execute("INSERT INTO views (id, session_id) VALUES ('v', 's')")
        conn.execute("PRAGMA query_only = 0")
        assert conn.execute("SELECT count(*) FROM views").fetchone() == (0,)
    file.close()


def test_a_file_damaged_while_served_is_a_503_saying_so_not_a_500(
    sqlite_path: Path, xor_session: Session
) -> None:
    store = SqliteStore(sqlite_path, ttl_seconds=3600, max_sessions=10)
    session_id = store.create(xor_session)
    store.close()
    offset, size = states_root(sqlite_path)
    store = SqliteStore(sqlite_path, ttl_seconds=3600, max_sessions=10)
    with sqlite_path.open("r+b") as file:  # a bad sector, after the check at start
        file.seek(offset)
        file.write(bytes(size))

    with pytest.raises(StoreUnavailable, match="is damaged"):
        store.get(session_id)
    store.close()


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
