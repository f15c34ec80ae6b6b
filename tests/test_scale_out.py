"""Two app processes on one Redis: any replica serves any session, and steps never get lost.

Both replicas are real uvicorn processes (tests/test_server.py's Server) with
`STORE=redis://127.0.0.1:PORT/1`; a single process on the memory store is the reference.
"""

from __future__ import annotations

import json
import queue
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from app.engine import preset

from .redis_server import RedisServer
from .test_server import Server, ok

pytestmark = pytest.mark.server

MOVES: list[tuple[str, dict[str, Any] | None]] = [
    *[("step", None)] * 7,
    ("back", None),
    ("back", None),
    ("goto", {"step": 6}),
    ("train", {"iterations": 3}),
    ("step", None),
    ("reset", None),
    ("goto", {"step": 4}),
    ("step", None),
]


@pytest.fixture(scope="module")
def replicas(
    redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[list[Server]]:
    """Two app processes sharing database 1 of the test Redis, started side by side."""
    log = tmp_path_factory.mktemp("replicas") / "uvicorn.log"
    with ThreadPoolExecutor(2) as pool:
        servers = list(pool.map(lambda _: Server(redis_server.url(1), log), range(2)))
    yield servers
    for server in servers:
        server.kill()


def seen(answer: Any, session_id: str) -> str:
    """An answer as JSON with the session id blanked, to compare runs with different ids."""
    return json.dumps(answer, sort_keys=True).replace(session_id, "<id>")


def test_both_replicas_say_they_keep_sessions_in_redis(replicas: list[Server]) -> None:
    assert [ok(r.http.get("/api/health"))["store"] for r in replicas] == ["redis", "redis"]


def test_a_session_stepped_alternately_on_two_replicas_ends_where_one_process_would(
    replicas: list[Server], client: TestClient
) -> None:
    spec = preset("xor").spec
    shared = ok(replicas[0].http.post("/api/sessions", json=spec))["id"]
    alone = ok(client.post("/api/sessions", json=spec))["id"]

    for n, (move, body) in enumerate(MOVES):
        answer = ok(replicas[n % 2].http.post(f"/api/sessions/{shared}/{move}", json=body))
        reference = ok(client.post(f"/api/sessions/{alone}/{move}", json=body))
        assert seen(answer, shared) == seen(reference, alone), f"move {n}: {move}"

    for suffix in ("", "/current", "/export", "/steps/3"):
        for replica in replicas:
            answer = ok(replica.http.get(f"/api/sessions/{shared}{suffix}"))
            reference = ok(client.get(f"/api/sessions/{alone}{suffix}"))
            assert seen(answer, shared) == seen(reference, alone), suffix


def test_fifty_concurrent_steps_through_two_replicas_advance_a_session_fifty_steps(
    replicas: list[Server],
) -> None:
    session_id = ok(replicas[0].http.post("/api/sessions", json=preset("xor").spec))["id"]
    start = threading.Barrier(50)
    positions: list[int] = []
    limits = httpx.Limits(max_connections=25)
    clients = [httpx.Client(base_url=r.url, timeout=30, limits=limits) for r in replicas]

    def step(http: httpx.Client) -> None:
        start.wait()
        session = ok(http.post(f"/api/sessions/{session_id}/step"))["session"]
        positions.append((session["iteration"] - 1) * session["step_count"] + session["cursor"])

    threads = [threading.Thread(target=step, args=(clients[n % 2],)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for http in clients:
        http.close()

    session = ok(replicas[1].http.get(f"/api/sessions/{session_id}"))
    assert (session["iteration"] - 1, session["cursor"]) == divmod(50, 6)
    assert sorted(positions) == list(range(1, 51))


class Follower:
    """A follower's event stream of a view on one replica, read in a thread of its own."""

    def __init__(self, server: Server, view_id: str) -> None:
        self.events: queue.Queue[tuple[float, str, Any]] = queue.Queue()
        self._http = httpx.Client(base_url=server.url, timeout=30)
        self._stream = self._http.stream("GET", f"/api/views/{view_id}/events")
        self._closed, self._connected = threading.Event(), threading.Event()
        self._socket: socket.socket | None = None
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        event = ""
        try:
            with self._stream as response:
                stream = response.extensions["network_stream"]
                self._socket = stream.get_extra_info("socket")
                self._connected.set()
                for line in response.iter_lines():
                    if line.startswith("event: "):
                        event = line[len("event: ") :]
                    elif line.startswith("data: "):
                        data = json.loads(line[len("data: ") :])
                        self.events.put((time.monotonic(), event, data))
        except (httpx.ReadError, httpx.RemoteProtocolError):
            if not self._closed.is_set():
                raise

    def next(self, timeout: float = 10) -> tuple[float, str, Any]:
        """When the next event came, its kind and its data."""
        return self.events.get(timeout=timeout)

    def close(self) -> None:
        """Ends the stream at once (a blocked read wakes when its socket is shut down)."""
        self._closed.set()
        if self._connected.wait(timeout=10) and self._socket is not None:
            self._socket.shutdown(socket.SHUT_RDWR)
        self._thread.join(timeout=10)
        self._http.close()


def test_a_room_made_through_one_replica_moves_its_followers_on_another_within_a_second(
    replicas: list[Server],
) -> None:
    lecturer, student = replicas[0].http, replicas
    first = ok(lecturer.post("/api/sessions", json=preset("xor").spec))["id"]
    second = ok(lecturer.post("/api/sessions", json=preset("qa-one-hidden").spec))["id"]
    owned = ok(lecturer.post("/api/rooms", json={"session": first}))
    followers = [Follower(replica, owned["id"]) for replica in student]
    try:
        for follower in followers:
            _, event, data = follower.next()
            assert (event, data["room"]["network"]) == ("network", 1)

        ok(lecturer.post(f"/api/sessions/{first}/step"))
        for follower in followers:
            assert follower.next()[1] == "step"

        started = time.monotonic()
        ok(
            replicas[1].http.put(
                f"/api/rooms/{owned['id']}", json={"key": owned["key"], "session": second}
            )
        )
        for follower in followers:
            when, event, data = follower.next()
            assert (event, data["room"]["network"]) == ("network", 2)
            assert data["session"]["spec"]["layers"] == preset("qa-one-hidden").spec["layers"]
            assert when - started < 1.0

        ok(lecturer.post(f"/api/rooms/{owned['id']}/leave", json={"key": owned["key"]}))
        for follower in followers:
            _, event, data = follower.next()
            assert (event, data["lecturer_page"]) == ("room", "closed")
    finally:
        for follower in followers:
            follower.close()
