"""The compose topology, run for real: Debian's nginx with the repository's deploy/nginx.conf in
front of two app processes (uvicorn) on a real redis-server with an append-only file.

Through nginx: the page, a step, a follower's event stream (of a view, and of a room as the
Python client follows it) and a streamed training arrive unbuffered; a 413 is JSON, from the app
or from nginx; killing one app process fails only the requests in flight on it; killing Redis
gives 503s saying why, and within 5 s of its return every session steps again, nothing
restarted. `nginx -t` passes on the file as shipped.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from backprop_visualizer_client import Client, RoomState

from app.engine import preset

from .nginx_server import NginxServer, check_config
from .nginx_server import find_or_install as find_nginx
from .redis_server import RedisServer
from .redis_server import find_or_install as find_redis
from .test_server import Server, ok

pytestmark = pytest.mark.server

PROMPT_SECONDS = 1.0
"""The first line of a stream arrives within this of the request (it is written at once)."""

STREAMED = {
    "layers": [16, 64, 64, 1],
    "activations": ["tanh", "tanh", "sigmoid"],
    "inputs": [[(i * j % 7) / 7 for j in range(16)] for i in range(64)],
    "targets": [[i % 2] for i in range(64)],
}


@dataclass
class Topology:
    redis: list[RedisServer]
    apps: list[Server]
    nginx: NginxServer
    http: httpx.Client


@pytest.fixture(scope="module")
def topology(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Topology]:
    nginx, redis = find_nginx(), find_redis()
    if nginx is None or redis is None:
        pytest.skip("nginx or redis-server is not installed and apt-get could not install it")
    directory = tmp_path_factory.mktemp("topology")
    (directory / "redis").mkdir()
    (directory / "nginx").mkdir()
    store = [RedisServer(redis, directory / "redis", appendonly=True)]
    log = directory / "apps.log"
    with ThreadPoolExecutor(2) as pool:
        apps = list(pool.map(lambda _: Server(store[0].url(), log), range(2)))
    proxy = NginxServer(
        nginx, directory / "nginx", [app.url.removeprefix("http://") for app in apps]
    )
    http = httpx.Client(base_url=proxy.url, timeout=30)
    yield Topology(store, apps, proxy, http)
    http.close()
    proxy.stop()
    for app in apps:
        app.kill()
    store[-1].stop()


def test_nginx_t_passes_on_the_file_as_shipped(tmp_path: Path) -> None:
    binary = find_nginx()
    if binary is None:
        pytest.skip("nginx is not installed and apt-get could not install it")

    checked = check_config(binary, tmp_path)

    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr


def test_the_page_and_a_step_come_through(topology: Topology) -> None:
    http = topology.http
    page = http.get("/")
    session_id = ok(http.post("/api/sessions", json=preset("xor").spec))["id"]

    assert page.status_code == 200 and "<html" in page.text
    assert ok(http.post(f"/api/sessions/{session_id}/step"))["session"]["cursor"] == 1


def test_a_streamed_training_arrives_line_by_line(topology: Topology) -> None:
    http = topology.http
    session_id = ok(http.post("/api/sessions", json=STREAMED))["id"]
    started = time.monotonic()
    arrivals = []

    with http.stream(
        "POST", f"/api/sessions/{session_id}/train/stream", json={"iterations": 400}
    ) as response:
        for line in response.iter_lines():
            arrivals.append((time.monotonic() - started, json.loads(line)["type"]))

    assert arrivals[0][0] < PROMPT_SECONDS and arrivals[0][1] == "progress"
    assert arrivals[-1][1] == "done"
    assert arrivals[-1][0] - arrivals[0][0] > 0.2  # lines came over time, not all at the end


def test_a_followers_event_stream_arrives_at_once_and_at_each_move(topology: Topology) -> None:
    http = topology.http
    session_id = ok(http.post("/api/sessions", json=preset("xor").spec))["id"]
    view_id = ok(http.post(f"/api/sessions/{session_id}/view"))["view_id"]
    events: list[tuple[float, str]] = []
    started = time.monotonic()

    with http.stream("GET", f"/api/views/{view_id}/events") as response:
        for line in response.iter_lines():
            if line.startswith("event: "):
                events.append((time.monotonic() - started, line.removeprefix("event: ")))
                if len(events) == 1:
                    moved = time.monotonic()
                    ok(topology.http.post(f"/api/sessions/{session_id}/step"))
                else:
                    break

    assert [event for _, event in events] == ["step", "step"]
    assert events[0][0] < PROMPT_SECONDS
    assert events[1][0] - (moved - started) < PROMPT_SECONDS


def test_a_room_followed_through_nginx_moves_to_each_network_the_lecturer_starts(
    topology: Topology,
) -> None:
    url = topology.nginx.url
    with Client(url) as lecturer, Client(url) as student:
        lecturer.create_session(preset("xor").spec)
        room = lecturer.create_room()
        states: list[RoomState] = []
        followed = iter(student.follow(room.room_id, on_room=states.append))
        assert next(followed)[0].id == room.room_id

        lecturer.step()
        assert next(followed)[0].cursor == 1
        lecturer.create_session(preset("qa-one-hidden").spec)
        started = time.monotonic()
        lecturer.point_room(room)
        position, step = next(followed)

    assert time.monotonic() - started < PROMPT_SECONDS
    assert step is None and position.cursor == 0 and position.id == room.room_id
    assert [(state.network, state.started) for state in states] == [(1, "new"), (2, "new")]


@pytest.mark.parametrize(
    ("megabytes", "limit"),
    [(9, "limit of 8388608 bytes"), (40, "proxy's limit of 32 MiB")],
)
def test_an_oversized_body_is_a_413_in_the_apis_json(
    topology: Topology, megabytes: int, limit: str
) -> None:
    body = b'{"layers": [' + b" " * (megabytes * 1024 * 1024) + b"2, 1]}"

    response = topology.http.post(
        "/api/trace", content=body, headers={"content-type": "application/json"}
    )

    assert response.status_code == 413
    [issue] = response.json()["detail"]
    assert issue["loc"] == ["body"] and limit in issue["msg"]


def test_killing_one_app_process_fails_only_the_requests_in_flight_on_it(
    tmp_path: Path, topology: Topology
) -> None:
    http = httpx.Client(
        base_url=topology.nginx.url, timeout=30, limits=httpx.Limits(max_connections=8)
    )
    sessions = [ok(http.post("/api/sessions", json=preset("xor").spec))["id"] for _ in range(8)]
    killed_at: list[float] = []
    outcomes: list[tuple[float, float, int]] = []
    stop = time.monotonic() + 4

    def student(session_id: str) -> None:
        while time.monotonic() < stop:
            sent = time.monotonic()
            try:
                status = http.post(f"/api/sessions/{session_id}/step").status_code
            except httpx.TransportError:
                status = 0
            outcomes.append((sent, time.monotonic(), status))

    threads = [threading.Thread(target=student, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    time.sleep(1.5)
    victim = topology.apps.pop(0)
    killed_at.append(time.monotonic())
    os.kill(victim.process.pid, signal.SIGKILL)
    victim.process.wait()
    killed_at.append(time.monotonic())  # gone: what it had accepted is lost
    for thread in threads:
        thread.join()
    victim.kill()
    http.close()

    failed = [(sent, done) for sent, done, status in outcomes if status != 200]
    after = [status for sent, _, status in outcomes if sent > killed_at[1]]
    assert len(outcomes) > 100
    assert len(failed) <= len(sessions), failed  # at most one in flight per student
    assert all(sent <= killed_at[1] and killed_at[0] <= done for sent, done in failed), (
        killed_at,
        failed,
    )
    assert after and set(after) == {200}


def test_without_redis_503s_say_why_and_within_5_s_of_its_return_all_is_well(
    topology: Topology,
) -> None:
    http = topology.http
    sessions = [ok(http.post("/api/sessions", json=preset("xor").spec))["id"] for _ in range(4)]
    redis = topology.redis[-1]

    redis.kill()
    refused = http.post(f"/api/sessions/{sessions[0]}/step")
    not_ready = http.get("/api/ready")
    binary = find_redis() or "redis-server"
    topology.redis.append(RedisServer(binary, redis.log.parent, appendonly=True, port=redis.port))
    returned = time.monotonic()
    well_after: dict[str, float] = {}
    for session_id in sessions:
        while (status := http.post(f"/api/sessions/{session_id}/step").status_code) != 200:
            assert status == 503 and time.monotonic() - returned < 30
            time.sleep(0.1)
        well_after[session_id] = time.monotonic() - returned

    assert refused.status_code == 503 and "Redis does not answer" in refused.json()["detail"]
    assert not_ready.status_code == 503 and "Redis does not answer" in not_ready.json()["detail"]
    assert max(well_after.values()) < 5.0, well_after
    assert ok(http.get(f"/api/sessions/{sessions[0]}"))["cursor"] == 1
