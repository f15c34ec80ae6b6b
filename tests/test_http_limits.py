"""A request's line and headers are bounded in size and in time, on the real server as the image
runs it (uvicorn with app.http_limits' protocol), reached directly as `docker run -p` exposes it.

- Ten connections sending header bytes without end: each gets a 431 after MAX_HEADER_BYTES and
  is closed; the server's memory stays flat (it grew by gigabytes before).
- A connection that sends part of a head, or nothing, is closed HEADER_TIMEOUT_SECONDS after it
  opened (with a 408 when it had begun a request); 200 idle ones included.
- Ordinary requests, big cookies and kept-alive connections are served as before.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .test_server import Server

pytestmark = pytest.mark.server

TIMEOUT = 1.0
ATTACK_BYTES = 16 * 1024 * 1024
"""What each of ten connections tries to send as one request's headers."""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("heads") / "server.log"
    running = Server("memory://", log, {"HEADER_TIMEOUT_SECONDS": str(TIMEOUT)})
    yield running
    running.kill()


def address(server: Server) -> tuple[str, int]:
    host, port = server.url.removeprefix("http://").split(":")
    return host, int(port)


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


def endless_headers(server: Server, answers: list[bytes]) -> None:
    """Sends one request's headers, 64 KiB at a time, until the server closes or ATTACK_BYTES."""
    chunk = b"X-Filler: " + b"a" * (64 * 1024 - 12) + b"\r\n"
    with socket.create_connection(address(server), timeout=10) as connection:
        connection.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")
        sent = 0
        try:
            while sent < ATTACK_BYTES:
                connection.sendall(chunk)
                sent += len(chunk)
        except OSError:
            pass
        answer = b""
        try:
            while part := connection.recv(65536):
                answer += part
        except OSError:
            pass
        answers.append(answer)


def test_ten_endless_heads_get_a_431_each_and_the_memory_stays_flat(server: Server) -> None:
    before = rss_bytes(server.process.pid)
    answers: list[bytes] = []

    attackers = [
        threading.Thread(target=endless_headers, args=(server, answers)) for _ in range(10)
    ]
    for attacker in attackers:
        attacker.start()
    for attacker in attackers:
        attacker.join()
    grown = rss_bytes(server.process.pid) - before

    assert grown < 20 * 1024 * 1024, f"the server grew by {grown / 2**20:.0f} MiB"
    assert len(answers) == 10
    for answer in answers:
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 431 "), answer[:200]
        assert "MAX_HEADER_BYTES" in json.loads(body)["detail"][0]["msg"]
    assert server.http.get("/api/health").status_code == 200


def closed_within(connection: socket.socket, seconds: float) -> tuple[float, bytes]:
    """Waits for the server to close the connection; returns when, and what it said."""
    started = time.monotonic()
    connection.settimeout(seconds)
    said = b""
    while part := connection.recv(65536):
        said += part
    return time.monotonic() - started, said


def test_a_head_that_stops_half_way_is_answered_408_and_closed(server: Server) -> None:
    with socket.create_connection(address(server)) as connection:
        connection.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        waited, said = closed_within(connection, TIMEOUT + 5)

    assert waited < TIMEOUT + 2
    assert said.startswith(b"HTTP/1.1 408 ")
    assert b"HEADER_TIMEOUT_SECONDS" in said


def test_two_hundred_idle_connections_are_closed_after_the_header_timeout(server: Server) -> None:
    connections = [socket.create_connection(address(server)) for _ in range(200)]
    try:
        waits = [closed_within(connection, TIMEOUT + 5)[0] for connection in connections]
    finally:
        for connection in connections:
            connection.close()

    assert max(waits) < TIMEOUT + 2


def test_ordinary_requests_and_big_cookies_are_served_on_a_kept_alive_connection(
    server: Server,
) -> None:
    cookie = "c=" + "x" * 16_000
    answers = [
        server.http.get("/api/health", headers={"Cookie": cookie}).status_code for _ in range(3)
    ]
    time.sleep(TIMEOUT * 1.5)  # idle, kept alive between requests: not a slow head
    answers.append(server.http.get("/api/health").status_code)

    assert answers == [200] * 4


def test_an_endless_head_sent_behind_a_request_still_running_is_refused_too(
    server: Server,
) -> None:
    spec = {
        "layers": [64, 64, 64, 1],
        "activations": ["tanh", "tanh", "sigmoid"],
        "inputs": [[(i * j % 11) / 11 for j in range(64)] for i in range(16)],
        "targets": [[i % 2] for i in range(16)],
    }
    session_id = server.http.post("/api/sessions", json=spec).json()["id"]
    body = b'{"iterations": 3000}'  # seconds of work, while the next head arrives
    before = rss_bytes(server.process.pid)
    with socket.create_connection(address(server), timeout=30) as connection:
        connection.sendall(
            f"POST /api/sessions/{session_id}/train HTTP/1.1\r\nHost: x\r\n".encode()
            + b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
            + body
            + b"GET /api/health HTTP/1.1\r\nHost: x\r\n"
        )
        with contextlib.suppress(OSError):
            for _ in range(3 * ATTACK_BYTES // (64 * 1024)):
                connection.sendall(b"X-Filler: " + b"a" * (64 * 1024 - 12) + b"\r\n")
        grown = rss_bytes(server.process.pid) - before
        said = b""
        with contextlib.suppress(OSError):
            while part := connection.recv(65536):
                said += part

    assert grown < 20 * 1024 * 1024, f"the server grew by {grown / 2**20:.0f} MiB"
    assert b"HTTP/1.1 431 " in said
