"""The real server when things go wrong: a disk that fills up, and a body far over the limit.

On a full disk, requests that would write answer 503 saying so, reads go on, a restart on the
full disk still serves them, and once there is room again nothing stored is lost and writes
work. The SQLite file lives on a 4 MiB tmpfs mounted for the test (root can mount one; elsewhere
the test is skipped, and tests/api/test_store_faults.py still covers a store that cannot write).

A body declared far over MAX_BODY_BYTES is answered 413 before the client has sent it.
"""

from __future__ import annotations

import json
import socket
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.networks import wide_network
from tests.test_server import Server, ok, servers, snapshot

pytestmark = pytest.mark.server

BIG = wide_network(inputs=64, hidden=64, samples=16, modulus=11)
"""8,449 parameters: every write of such a session needs new room on the disk."""


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MiB tmpfs, unmounted afterwards."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "--lazy", str(disk)], check=False)


@pytest.fixture
def start_on(small_disk: Path, tmp_path: Path) -> Iterator[Callable[[], Server]]:
    """Starts servers whose SQLite file is on the small disk; kills them at the end."""
    with servers(f"sqlite:///{small_disk}/sessions.sqlite3", tmp_path / "server.log") as start:
        yield start


def fill(disk: Path) -> Path:
    """Writes zeros until the disk has no room left; returns the file that holds them."""
    filler = disk / "filler"
    with filler.open("wb", buffering=0) as file:
        try:
            while True:
                file.write(b"\0" * 4096)
        except OSError:
            pass
    return filler


def refused_for_a_full_disk(response: httpx.Response) -> bool:
    detail = response.json().get("detail", "") if response.status_code == 503 else ""
    return "disk holding its sessions is full" in detail and "Nothing stored was lost" in detail


def test_a_full_disk_refuses_writes_with_503_serves_reads_and_loses_nothing(
    start_on: Callable[[], Server], small_disk: Path
) -> None:
    server = start_on()
    ids = [ok(server.http.post("/api/sessions", json=BIG))["id"] for _ in range(2)]
    ok(server.http.post(f"/api/sessions/{ids[0]}/train", json={"iterations": 3}))
    ok(server.http.post(f"/api/sessions/{ids[1]}/step"))
    before = {session_id: snapshot(server.http, session_id) for session_id in ids}
    filler = fill(small_disk)

    writes: list[tuple[str, str, Any]] = [
        ("POST", "/api/sessions", BIG),
        ("POST", f"/api/sessions/{ids[0]}/step", None),
        ("POST", f"/api/sessions/{ids[0]}/train", {"iterations": 2}),
        ("POST", f"/api/sessions/{ids[0]}/train/stream", {"iterations": 2}),
        ("POST", f"/api/sessions/{ids[1]}/goto", {"step": 8}),
        ("DELETE", f"/api/sessions/{ids[1]}", None),
    ]
    for method, url, body in writes:
        response = server.http.request(method, url, json=body)
        assert refused_for_a_full_disk(response), (url, response.status_code, response.text)
    assert {session_id: snapshot(server.http, session_id) for session_id in ids} == before

    server.kill()
    again = start_on()  # a restart on the full disk
    assert {session_id: snapshot(again.http, session_id) for session_id in ids} == before
    assert refused_for_a_full_disk(again.http.post(f"/api/sessions/{ids[0]}/step"))

    filler.unlink()
    assert ok(again.http.post(f"/api/sessions/{ids[0]}/step"))["session"]["cursor"] == 1
    assert ok(again.http.post("/api/sessions", json=BIG))["iteration"] == 1
    assert snapshot(again.http, ids[1]) == before[ids[1]]


def test_a_disk_that_fills_during_a_streamed_training_ends_it_with_an_error_line_saying_so(
    start_on: Callable[[], Server], small_disk: Path
) -> None:
    server = start_on()
    session_id = ok(server.http.post("/api/sessions", json=BIG))["id"]
    lines: list[dict[str, Any]] = []
    filler = None

    with server.http.stream(
        "POST", f"/api/sessions/{session_id}/train/stream", json={"iterations": 3000}
    ) as response:
        assert response.status_code == 200
        for text in response.iter_lines():
            lines.append(json.loads(text))
            if filler is None:
                filler = fill(small_disk)
    assert filler is not None
    saved = ok(server.http.get(f"/api/sessions/{session_id}"))["iteration"]
    filler.unlink()

    *progress, last = lines
    assert last["type"] == "error" and last["status"] == 503, last
    assert "disk holding its sessions is full" in last["detail"]
    assert saved == progress[-1]["iteration"] + 1  # the session is in the next one, from 1


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """The real server on an ordinary disk."""
    running = Server(f"sqlite:///{tmp_path}/sessions.sqlite3", tmp_path / "server.log")
    yield running
    running.kill()


def test_a_body_declared_over_the_limit_is_refused_before_it_is_sent(server: Server) -> None:
    host, port = server.url.removeprefix("http://").split(":")
    head = (
        f"POST /api/trace HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {10**12}\r\n\r\n"
    )

    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(head.encode() + b'{"layers": [')  # a terabyte promised, 12 bytes sent
        answer = b""
        while chunk := connection.recv(65536):  # the server closes the connection after it
            answer += chunk

    assert answer.decode().startswith("HTTP/1.1 413")
    assert b'"loc": ["body"]' in answer
