"""A busy or stuck session never stalls the server, and a Redis restart stalls no session for
long. Real uvicorn processes on a real redis-server.

- A lock left behind on one session (as a crash leaves it) and 60 requests waiting for it: the
  other sessions' steps and /api/health answer at once, and every waiter gets its 409 within
  LOCK_WAIT_SECONDS.
- Redis killed while a request holds a session's lock, and started again from its append-only
  file: the lock comes back, and lapses within its short lease, so every session steps again
  within 5 s of Redis's return.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import redis

from app.engine import preset

from .networks import wide_network
from .redis_server import RedisServer, find_or_install
from .test_server import Server, ok, train_in_background

pytestmark = pytest.mark.server

WAITERS = 60
WAIT_SECONDS = 3.0
QUICK_SECONDS = 1.0
"""A generous bound for an answer that must not wait: a step of XOR or /api/health takes a few
milliseconds; before requests waited for their turn on the event loop, they took 30 s or more."""

BIG = wide_network(inputs=32, hidden=96, samples=128, modulus=13)
"""A network whose streamed training spends ~0.1 s per chunk under its session's lock."""


@pytest.fixture
def database(redis_server: RedisServer) -> Iterator[redis.Redis]:
    """Database 2 of the test Redis, emptied."""
    client = redis.Redis(port=redis_server.port, db=2)
    client.flushdb()
    yield client
    client.close()


@pytest.fixture
def server(redis_server: RedisServer, database: redis.Redis, tmp_path: Path) -> Iterator[Server]:
    """One app process on database 2 of the test Redis, waiting at most WAIT_SECONDS."""
    running = Server(
        redis_server.url(2), tmp_path / "server.log", {"LOCK_WAIT_SECONDS": str(WAIT_SECONDS)}
    )
    yield running
    running.kill()


def timed(call: Callable[[], httpx.Response]) -> tuple[float, httpx.Response]:
    started = time.perf_counter()
    response = call()
    return time.perf_counter() - started, response


def test_sixty_requests_waiting_for_a_stuck_session_hold_up_no_other_request(
    server: Server, database: redis.Redis
) -> None:
    stuck, other = (
        ok(server.http.post("/api/sessions", json=preset("xor").spec))["id"] for _ in "ab"
    )
    database.set(f"bpv:lock:{stuck}", "left by a crash", px=45_000)
    waiters = httpx.Client(
        base_url=server.url, timeout=60, limits=httpx.Limits(max_connections=WAITERS)
    )

    with ThreadPoolExecutor(WAITERS) as pool:
        waiting = [
            pool.submit(timed, lambda: waiters.post(f"/api/sessions/{stuck}/step"))
            for _ in range(WAITERS)
        ]
        time.sleep(0.5)  # every waiter has arrived
        probes = [
            timed(lambda: server.http.post(f"/api/sessions/{other}/step")) for _ in range(5)
        ] + [timed(lambda: server.http.get("/api/health")) for _ in range(5)]
        answers = [future.result() for future in waiting]
    waiters.close()

    assert all(response.status_code == 200 for _, response in probes)
    assert max(seconds for seconds, _ in probes) < QUICK_SECONDS, probes
    assert {response.status_code for _, response in answers} == {409}
    assert all("busy" in response.json()["detail"] for _, response in answers)
    assert max(seconds for seconds, _ in answers) < WAIT_SECONDS + QUICK_SECONDS


def test_sixty_requests_on_one_session_are_served_one_after_another(server: Server) -> None:
    session_id = ok(server.http.post("/api/sessions", json=preset("xor").spec))["id"]
    http = httpx.Client(
        base_url=server.url, timeout=60, limits=httpx.Limits(max_connections=WAITERS)
    )

    with ThreadPoolExecutor(WAITERS) as pool:
        answers = list(
            pool.map(lambda _: http.post(f"/api/sessions/{session_id}/step"), range(WAITERS))
        )
    http.close()

    assert [response.status_code for response in answers] == [200] * WAITERS
    session = ok(server.http.get(f"/api/sessions/{session_id}"))
    assert (session["iteration"] - 1, session["cursor"]) == divmod(WAITERS, 6)


@pytest.fixture
def persistent_redis(tmp_path: Path) -> Iterator[list[RedisServer]]:
    """A redis-server with an append-only file synced at every write; restartable on its port
    and directory (the last one started is the list's last)."""
    binary = find_or_install()
    if binary is None:
        pytest.skip("redis-server is not installed and apt-get could not install it")
    directory = tmp_path / "redis"
    directory.mkdir()
    servers = [RedisServer(binary, directory, appendonly=True)]
    yield servers
    servers[-1].stop()


def test_every_session_steps_again_within_five_seconds_of_redis_returning(
    persistent_redis: list[RedisServer], tmp_path: Path
) -> None:
    redis = persistent_redis[0]
    server = Server(redis.url(), tmp_path / "server.log")
    busy = ok(server.http.post("/api/sessions", json=BIG))["id"]
    idle = [ok(server.http.post("/api/sessions", json=preset("xor").spec))["id"] for _ in "ab"]
    lock = f"bpv:lock:{busy}"

    # chunks of ~0.1 s, each under the lock; ends when Redis goes
    training = train_in_background(f"{server.url}/api/sessions/{busy}/train/stream", 5000)
    deadline = time.monotonic() + 10
    while not redis.client.exists(lock):  # kill it while the lock is held
        assert time.monotonic() < deadline, "the streamed training never took the lock"
    redis.kill()
    training.join()
    time.sleep(1)
    again = RedisServer(
        find_or_install() or "redis-server", redis.log.parent, appendonly=True, port=redis.port
    )
    persistent_redis.append(again)
    returned = time.monotonic()
    assert again.client.pttl(lock) > 0, "the lock held at the kill came back from the file"

    stepped_after = {}
    for session_id in [busy, *idle]:
        while True:
            response = server.http.post(f"/api/sessions/{session_id}/step")
            if response.status_code == 200:
                stepped_after[session_id] = time.monotonic() - returned
                break
            assert response.status_code in (409, 503), response.text
            assert time.monotonic() - returned < 40, response.text
            time.sleep(0.1)
    server.kill()

    assert max(stepped_after.values()) < 5.0, stepped_after
