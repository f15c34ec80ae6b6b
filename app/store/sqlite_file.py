"""One SQLite file of sessions: opened only when sound, its pooled connections, its transactions.

Each request is one transaction (`BEGIN IMMEDIATE`, or a single statement) in WAL mode with
`synchronous=NORMAL`: a committed request is in the file's log before the answer goes out, so it
survives the app being killed; only a crash of the machine itself may lose the last requests
before the log's next sync (a step costs no fsync, which took longer than the step itself).
A damaged file is refused when it is opened (StoreDamaged, saying what to do), and a write the
disk refuses is StoreUnavailable saying why, never a 500.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .base import StoreDamaged, StoreUnavailable
from .sqlite_schema import SCHEMA_VERSION, create_or_migrate, schema_version

BUSY_TIMEOUT_SECONDS = 30.0

DAMAGED = ("SQLITE_CORRUPT", "SQLITE_NOTADB")
"""SQLite's names for a file that is not a database, or one whose pages are damaged."""

log = logging.getLogger(__name__)


def move_aside(path: Path, now: Callable[[], float] = time.time) -> Path:
    """Renames a damaged session file, and its write-ahead log and shared-memory files, to
    `<name>.damaged-<UTC time>…`, beside it; returns the file's new path."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now()))
    moved = path.with_name(f"{path.name}.damaged-{stamp}")
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.rename(moved.with_name(moved.name + suffix))
    path.rename(moved)
    return moved


def path_from_url(url: str) -> Path:
    """`sqlite:///relative/path` or `sqlite:////absolute/path` → the file's path."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or len(url) == len(prefix):
        raise ValueError(f"not a SQLite URL: {url!r}; write sqlite:///relative/path")
    return Path(url[len(prefix) :])


class SqliteFile:
    """The session file a SqliteStore keeps its records in: checked, created or migrated when
    opened, then a pool of connections (one per concurrent request) and write transactions
    one at a time in this process."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._guard = threading.Lock()
        self._idle: list[sqlite3.Connection] = []
        self._all: list[sqlite3.Connection] = []
        self._writer = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.is_file() and self.path.stat().st_size == 0:
            log.warning(
                "%s is empty (0 bytes): starting with no sessions. If it held sessions, the "
                "volume that kept it may have been lost or not mounted.",
                self.path,
            )
        self._check()
        with self._connection() as conn:
            conn.execute("PRAGMA journal_mode = WAL")
            try:
                self._create_or_migrate(conn)
            except StoreUnavailable:
                # A full or read-only disk: a file already of this schema is served for reading.
                if schema_version(conn) != SCHEMA_VERSION:
                    raise

    def _check(self) -> None:
        """StoreDamaged when the file is not a SQLite database, or SQLite's quick check finds
        damaged pages in it (reading every page once: about a second per GB)."""
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS)
        try:
            problems = [row[0] for row in conn.execute("PRAGMA quick_check(3)")]
        except sqlite3.DatabaseError as error:
            if getattr(error, "sqlite_errorname", "") not in DAMAGED:
                raise
            problems = [str(error)]
        finally:
            conn.close()
        if problems != ["ok"]:
            raise StoreDamaged(self.path, "; ".join(problems))

    def _create_or_migrate(self, conn: sqlite3.Connection) -> None:
        """The tables of this schema, in one transaction with foreign keys off."""
        conn.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction
        try:
            with transaction(conn):
                create_or_migrate(conn, self.path)
        finally:
            conn.execute("PRAGMA foreign_keys = ON")

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
        )
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """A connection of the pool for this thread's block (one per concurrent request)."""
        with self._guard:
            conn = self._idle.pop() if self._idle else None
        if conn is None:
            conn = self._connect()
            with self._guard:
                self._all.append(conn)
        try:
            yield conn
        except sqlite3.DatabaseError as error:
            if getattr(error, "sqlite_errorname", "") not in DAMAGED:
                raise
            raise StoreUnavailable(
                f"its session file {self.path} is damaged ({error})",
                "What it holds cannot be read; the server checks the file when it starts, and "
                "says there what to do",
                cannot="read its sessions",
            ) from error
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            with self._guard:
                self._idle.append(conn)

    @contextmanager
    def _writing(self, conn: sqlite3.Connection, *, single: bool = False) -> Iterator[None]:
        """A write transaction, one at a time in this process: SQLite lets one writer in at a
        time anyway, and the others of this process then wait on a lock that wakes them at
        once, not in SQLite's busy handler, which sleeps and retries (milliseconds at a time,
        with many requests at once). Other processes on the same file still meet the busy
        handler. A `single` statement is a transaction of its own."""
        with self._writer, unavailable_on_error() if single else transaction(conn):
            yield

    def close(self) -> None:
        """Closes every connection."""
        with self._guard:
            for conn in self._all:
                conn.close()
            self._all.clear()
            self._idle.clear()


def _unwritable(error: sqlite3.Error) -> str | None:
    """Why the store cannot write, in words, when `error` is of that kind; else None."""
    name = getattr(error, "sqlite_errorname", "")
    for prefix, reason in (
        ("SQLITE_FULL", "the disk holding its sessions is full"),
        ("SQLITE_READONLY", "its session store is read-only"),
        ("SQLITE_IOERR", "its session store cannot be written (a disk error)"),
        ("SQLITE_CANTOPEN", "its session store cannot be opened for writing"),
        ("SQLITE_BUSY", "its session store is locked by another process"),
    ):
        if name.startswith(prefix):
            return reason
    return None


@contextmanager
def unless_unwritable() -> Iterator[None]:
    """Skips a bookkeeping write that the store cannot make now."""
    try:
        yield
    except sqlite3.OperationalError as error:
        if _unwritable(error) is None:
            raise


def count_live(conn: sqlite3.Connection, table: str, cutoff: float) -> int:
    """The rows of `table` (sessions, assignments) written to at or after `cutoff`: those that
    have not expired."""
    (count,) = conn.execute(
        f"SELECT count(*) FROM {table} WHERE touched >= ?", (cutoff,)
    ).fetchone()
    return int(count)


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any exception. A write the disk refuses (full,
    read-only) raises StoreUnavailable; SQLite has then written nothing of the transaction."""
    with unavailable_on_error():
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if conn.in_transaction:  # SQLite may have rolled back already, e.g. on SQLITE_FULL
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


@contextmanager
def unavailable_on_error() -> Iterator[None]:
    """A write the disk refuses (full, read-only, locked by another process) raises
    StoreUnavailable saying why."""
    try:
        yield
    except sqlite3.OperationalError as error:
        reason = _unwritable(error)
        if reason is None:
            raise
        raise StoreUnavailable(reason) from error
