"""A damaged SQLite file, met by the real server at start.

What an operator wants (and gets): the server does not start on a damaged file, and says so in
one line naming the file, what is wrong and what to do, with no traceback; it never answers 500
to every request, and never silently starts empty over a file that held sessions. With
DAMAGED_STORE=move-aside it moves the file aside (kept beside it, byte for byte) and starts with
no sessions, saying so. An empty (0-byte) file starts empty, with a warning that the volume may
have been lost.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from app.config import REPO_ROOT
from app.engine import Session, preset
from app.store import SqliteStore

from .store.test_sqlite_file import states_root
from .test_server import Server, ok

pytestmark = pytest.mark.server

EXIT_SECONDS = 30


def stored_sessions(path: Path, count: int = 12) -> None:
    """A real session file with `count` trained sessions, checkpointed and closed."""
    store = SqliteStore(path, ttl_seconds=3600, max_sessions=100)
    for _ in range(count):
        session = Session.create(preset("qa-one-hidden").spec)
        session.train(5)
        store.create(session)
    store.close()
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0


def garbage_header(path: Path) -> None:
    path.write_bytes(os.urandom(8192))


def truncated(path: Path) -> None:
    stored_sessions(path)
    with path.open("r+b") as file:
        file.truncate(path.stat().st_size // 2)


def zeroed_table_root(path: Path) -> None:
    """The root page of the `states` table overwritten with zeros, as a bad sector leaves it."""
    stored_sessions(path)
    offset, size = states_root(path)
    with path.open("r+b") as file:
        file.seek(offset)
        file.write(bytes(size))


DAMAGES: dict[str, Callable[[Path], None]] = {
    "garbage header": garbage_header,
    "truncated": truncated,
    "zeroed table root": zeroed_table_root,
}


def start(path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Runs the server on `path` until it exits (it must, within EXIT_SECONDS)."""
    return subprocess.run(
        [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", "0"],
        cwd=REPO_ROOT,
        env=os.environ | {"STORE": f"sqlite:///{path}"} | env,
        capture_output=True,
        text=True,
        timeout=EXIT_SECONDS,
        check=False,
    )


@pytest.fixture(params=DAMAGES)
def damaged(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, bytes]:
    """A session file damaged in each way of DAMAGES, and its bytes as damaged."""
    path = tmp_path / "sessions.sqlite3"
    DAMAGES[request.param](path)
    return path, path.read_bytes()


def test_the_server_refuses_a_damaged_file_in_one_line_naming_it_and_what_to_do(
    damaged: tuple[Path, bytes],
) -> None:
    path, before = damaged

    run = start(path)

    assert run.returncode != 0
    assert "Traceback" not in run.stderr
    [said] = [line for line in run.stderr.splitlines() if str(path) in line]
    assert "is damaged" in said and "Move it aside" in said and "DAMAGED_STORE=move-aside" in said
    assert path.read_bytes() == before  # nothing touched


def test_move_aside_keeps_the_damaged_file_beside_and_starts_with_no_sessions(
    damaged: tuple[Path, bytes], tmp_path: Path
) -> None:
    path, before = damaged
    log = tmp_path / "server.log"

    server = Server(f"sqlite:///{path}", log, {"DAMAGED_STORE": "move-aside"})
    try:
        ready = server.http.get("/api/ready")
        created = ok(server.http.post("/api/sessions", json=preset("xor").spec))
        stepped = ok(server.http.post(f"/api/sessions/{created['id']}/step"))
    finally:
        server.kill()

    [moved] = tmp_path.glob("sessions.sqlite3.damaged-*[0-9]Z")
    assert moved.read_bytes() == before
    assert ready.status_code == 200 and stepped["session"]["cursor"] == 1
    said = log.read_text()
    assert f"moved aside to {moved}" in said and "starting with no sessions" in said


def test_an_empty_file_starts_empty_warning_that_its_volume_may_be_lost(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    path.touch()
    log = tmp_path / "server.log"

    server = Server(f"sqlite:///{path}", log)
    try:
        assert server.http.get("/api/ready").status_code == 200
    finally:
        server.kill()

    assert "is empty (0 bytes)" in log.read_text()
    assert "volume" in log.read_text()
