"""The real server in a subprocess: sessions survive a SIGKILL, and parallel steps serialise.

Each test starts uvicorn on a free loopback port with its SQLite file in tmp_path.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.config import REPO_ROOT
from app.engine import preset
from devtools.server import free_port
from tests.networks import wide_network

pytestmark = pytest.mark.server

STARTUP_SECONDS = 30


class Server:
    """uvicorn serving app.main:app on a loopback port, its sessions in the `store` URL, with
    settings `env` on top of the tests' own."""

    def __init__(self, store: str, log: Path, env: dict[str, str] | None = None) -> None:
        self.url = f"http://127.0.0.1:{free_port()}"
        self._log = log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1"]
            + ["--port", self.url.rsplit(":", 1)[1], "--log-level", "warning"]
            + ["--http", "app.http_limits:HeadLimitedHttp"],
            cwd=REPO_ROOT,
            env=os.environ
            | {"STORE": store, "MAX_TRAIN_ITERATIONS": "5000", "MAX_TRAIN_WORK": str(10**12)}
            | (env or {}),
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.http = httpx.Client(base_url=self.url, timeout=30)
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                if self.http.get("/api/health").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"the server did not start; see {log}")
            time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, nothing is flushed."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.http.close()
        self._log.close()


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Callable[[], Server]]:
    """Starts servers on one SQLite file; kills whichever still run at the end."""
    database = tmp_path / "data" / "sessions.sqlite3"
    with servers(f"sqlite:///{database}", tmp_path / "server.log") as start:
        yield start


@contextlib.contextmanager
def servers(store: str, log: Path) -> Iterator[Callable[[], Server]]:
    """A function that starts a server on `store` (writing to `log`) at each call; every server
    it started that still runs is killed at the end."""
    started: list[Server] = []

    def start() -> Server:
        server = Server(store, log)
        started.append(server)
        return server

    try:
        yield start
    finally:
        for server in started:
            server.kill()


def train_in_background(url: str, iterations: int) -> threading.Thread:
    """A started thread that POSTs a training of `iterations` to `url` (…/train or
    …/train/stream), and ends quietly if the server or its store goes away meanwhile."""

    def train() -> None:
        with contextlib.suppress(httpx.TransportError):
            httpx.post(url, json={"iterations": iterations}, timeout=60)

    thread = threading.Thread(target=train)
    thread.start()
    return thread


def ok(response: httpx.Response) -> Any:
    assert response.status_code < 300, response.text
    return response.json() if response.content else None


def snapshot(http: httpx.Client, session_id: str) -> dict[str, Any]:
    """Everything a client can see of a session without moving it."""
    return {
        suffix: ok(http.get(f"/api/sessions/{session_id}{suffix}"))
        for suffix in ("", "/current", "/export", "/steps/3")
    }


def test_every_session_is_exactly_as_it_was_after_a_sigkill_and_a_restart(
    start_server: Callable[[], Server],
) -> None:
    server = start_server()
    moves = {
        "xor": [("step", None)] * 8 + [("back", None)] * 3,
        "qa-one-hidden": [("train", {"iterations": 40}), ("goto", {"step": 5})],
        "softmax-classifier": [("step", None)] * 6 + [("back", None)],
        "paper-1d-chain": [("train", {"iterations": 3}), ("reset", None), ("step", None)],
    }
    sessions = {}
    for name, steps in moves.items():
        session_id = ok(server.http.post("/api/sessions", json=preset(name).spec))["id"]
        for move, body in steps:
            ok(server.http.post(f"/api/sessions/{session_id}/{move}", json=body))
        sessions[session_id] = snapshot(server.http, session_id)
    deleted = ok(server.http.post("/api/sessions", json=preset("xor").spec))["id"]
    ok(server.http.delete(f"/api/sessions/{deleted}"))

    server.kill()
    again = start_server()

    for session_id, before in sessions.items():
        assert snapshot(again.http, session_id) == before
    assert again.http.get(f"/api/sessions/{deleted}").status_code == 404
    xor = next(iter(sessions))
    assert ok(again.http.post(f"/api/sessions/{xor}/step"))["session"]["cursor"] == 0


def test_fifty_parallel_steps_advance_a_session_exactly_fifty_steps(
    start_server: Callable[[], Server],
) -> None:
    server = start_server()
    session_id = ok(server.http.post("/api/sessions", json=preset("xor").spec))["id"]
    start = threading.Barrier(50)
    positions: list[int] = []
    http = httpx.Client(base_url=server.url, timeout=30, limits=httpx.Limits(max_connections=50))

    def step() -> None:
        start.wait()
        session = ok(http.post(f"/api/sessions/{session_id}/step"))["session"]
        positions.append((session["iteration"] - 1) * session["step_count"] + session["cursor"])

    threads = [threading.Thread(target=step) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    http.close()

    session = ok(server.http.get(f"/api/sessions/{session_id}"))
    assert divmod(50, 6) == (session["iteration"] - 1, session["cursor"])
    assert sorted(positions) == list(range(1, 51))


def test_a_sigkill_during_training_loses_at_most_that_request(
    start_server: Callable[[], Server], tmp_path: Path
) -> None:
    server = start_server()
    spec = wide_network(inputs=8, hidden=128, samples=128, modulus=7)
    session_id = ok(server.http.post("/api/sessions", json=spec))["id"]
    for _ in range(3):
        ok(server.http.post(f"/api/sessions/{session_id}/step"))
    committed = snapshot(server.http, session_id)

    # seconds of work: the SIGKILL comes in the middle
    in_flight = train_in_background(f"{server.url}/api/sessions/{session_id}/train", 5000)
    time.sleep(0.3)
    server.kill()
    in_flight.join()
    again = start_server()

    after = snapshot(again.http, session_id)
    assert after == committed or (after[""]["iteration"], after[""]["cursor"]) == (5001, 0)
    database = sqlite3.connect(tmp_path / "data" / "sessions.sqlite3")
    assert database.execute("PRAGMA integrity_check").fetchone() == ("ok",)
