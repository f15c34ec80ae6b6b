"""Streams end with their reason: when the store fails in the middle of a streamed training or
of a follower's event stream, the last line (event) says so, and what was saved stays saved.
A real redis-server with an append-only file, killed mid-stream and started again."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app

from ..networks import wide_network
from ..redis_server import RedisServer, find_or_install

SPEC = wide_network(inputs=16, hidden=64, samples=64, modulus=7)


@pytest.fixture
def redis_to_kill(tmp_path: Path) -> Iterator[list[RedisServer]]:
    """A redis-server with an append-only file, to kill and start again on its port."""
    binary = find_or_install()
    if binary is None:
        pytest.skip("redis-server is not installed and apt-get could not install it")
    servers = [RedisServer(binary, tmp_path, appendonly=True)]
    yield servers
    servers[-1].stop()


def restart(servers: list[RedisServer]) -> None:
    first = servers[0]
    binary = find_or_install() or "redis-server"
    servers.append(RedisServer(binary, first.log.parent, appendonly=True, port=first.port))


def test_a_streamed_training_cut_by_the_store_ends_with_an_error_line_and_keeps_its_saves(
    redis_to_kill: list[RedisServer],
) -> None:
    redis = redis_to_kill[0]
    with TestClient(create_app(Settings(store=redis.url(), max_train_work=10**12))) as client:
        session_id = client.post("/api/sessions", json=SPEC).json()["id"]
        lines: list[dict[str, Any]] = []
        with client.stream(
            "POST", f"/api/sessions/{session_id}/train/stream", json={"iterations": 2000}
        ) as response:
            assert response.status_code == 200
            for text in response.iter_lines():
                lines.append(json.loads(text))
                if len(lines) == 2:
                    redis.kill()
        restart(redis_to_kill)
        after = client.get(f"/api/sessions/{session_id}").json()

    *progress, last = lines
    assert {line["type"] for line in progress} == {"progress"}
    assert last["type"] == "error" and last["status"] == 503
    assert "Redis does not answer" in last["detail"]
    # The session is in the iteration after the last one saved (numbered from 1).
    assert after["iteration"] == progress[-1]["iteration"] + 1


def events(lines: Iterator[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    """The (event, data) of a text/event-stream, one by one."""
    event, data = "message", ""
    for line in lines:
        if line.startswith("event: "):
            event = line.removeprefix("event: ")
        elif line.startswith("data: "):
            data = line.removeprefix("data: ")
        elif line == "" and data:
            yield event, json.loads(data)
            event, data = "message", ""


def test_a_followers_event_stream_cut_by_the_store_ends_with_a_failed_event(
    redis_to_kill: list[RedisServer],
) -> None:
    redis = redis_to_kill[0]
    with TestClient(create_app(Settings(store=redis.url()))) as client:
        session_id = client.post("/api/sessions", json=SPEC).json()["id"]
        view_id = client.post(f"/api/sessions/{session_id}/view").json()["view_id"]
        seen = []
        with client.stream("GET", f"/api/views/{view_id}/events") as response:
            for event, data in events(response.iter_lines()):
                seen.append((event, data))
                if event == "step":
                    redis.kill()

    assert [event for event, _ in seen] == ["step", "failed"]
    assert seen[-1][1]["status"] == 503
    assert "Redis does not answer" in seen[-1][1]["detail"]
