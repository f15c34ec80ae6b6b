"""GET /api/health (liveness: the process answers, whatever its store does) and GET /api/ready
(readiness: the store answers), with every store, and with a real Redis that goes away."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import Settings, app_version
from app.engine import preset
from app.main import create_app

from ..redis_server import RedisServer, find_or_install


@pytest.fixture(params=["memory", "sqlite", "redis"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "redis":
        return str(request.getfixturevalue("redis_url"))
    return "memory://" if request.param == "memory" else f"sqlite:///{tmp_path}/s.sqlite3"


def test_health_says_ok_the_version_and_the_store(client: TestClient) -> None:
    response = client.get("/api/health")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "version": app_version(),
        "store": "memory",
        "store_status": "unknown",  # nothing learnt yet: it looks after answering
        "store_detail": None,
        "store_learnt_seconds_ago": None,
    }
    assert client.get("/api/health").json()["store_status"] == "ok"


def test_the_store_is_ready_when_it_answers(store_url: str) -> None:
    with TestClient(create_app(Settings(store=store_url))) as client:
        response = client.get("/api/ready")

    assert response.status_code == 200
    assert response.json() == {"status": "ready", "store": store_url.split(":")[0]}


@pytest.fixture
def redis_that_goes(tmp_path: Path) -> Iterator[RedisServer]:
    """A redis-server of this test's own, to stop in the middle of it."""
    binary = find_or_install()
    if binary is None:
        pytest.skip("redis-server is not installed and apt-get could not install it")
    server = RedisServer(binary, tmp_path)
    yield server
    if server.process.poll() is None:
        server.stop()


@pytest.fixture
def redis_gone(redis_that_goes: RedisServer) -> Iterator[tuple[TestClient, str]]:
    """A client of the app on `redis_that_goes` and the id of an XOR session it made before
    that Redis stopped."""
    with TestClient(create_app(Settings(store=redis_that_goes.url()))) as client:
        session_id = client.post("/api/sessions", json=preset("xor").spec).json()["id"]
        redis_that_goes.stop()
        yield client, session_id


def test_without_redis_ready_is_a_503_saying_why_and_health_still_answers_saying_so(
    redis_gone: tuple[TestClient, str],
) -> None:
    client, session_id = redis_gone
    started = time.perf_counter()
    ready = client.get("/api/ready")
    waited = time.perf_counter() - started
    step = client.post(f"/api/sessions/{session_id}/step")
    health = client.get("/api/health")

    assert ready.status_code == 503 and waited < 2.0
    assert "Redis does not answer" in ready.json()["detail"]
    assert step.status_code == 503
    assert "neither read nor saved" in step.json()["detail"]
    assert "Nothing stored was lost and reading still works" not in step.json()["detail"]
    assert health.status_code == 200
    assert health.json()["store_status"] == "unavailable"
    assert "Redis does not answer" in health.json()["store_detail"]


def test_a_503_says_whether_redis_keeps_its_sessions_over_a_restart(
    redis_gone: tuple[TestClient, str],
) -> None:
    client, session_id = redis_gone
    detail = client.post(f"/api/sessions/{session_id}/step").json()["detail"]

    assert "keeps no append-only file" in detail  # the test Redis runs without persistence


def test_version_is_the_one_in_pyproject() -> None:
    import tomllib

    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())

    assert app_version() == pyproject["project"]["version"]
