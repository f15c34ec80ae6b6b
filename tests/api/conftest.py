"""Fixtures of the API tests: specs to send, a session to move, apps with other settings, and
apps on each persistent store (a real SQLite file, a real redis-server)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, suppress
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.engine import preset
from app.main import create_app


@pytest.fixture
def xor() -> dict[str, Any]:
    """XOR with a batch of 4: layers 2, 4, 1 with biases, so 2k + 2 = 6 steps."""
    return preset("xor").spec


@pytest.fixture
def session_id(client: TestClient, xor: dict[str, Any]) -> str:
    """A fresh XOR session at step 0 of iteration 0."""
    response = client.post("/api/sessions", json=xor)
    assert response.status_code == 201
    return str(response.json()["id"])


@pytest.fixture
def client_with() -> Iterator[Callable[..., TestClient]]:
    """Makes a client for an app whose settings differ from the defaults as given."""
    with ExitStack() as stack:

        def make(**overrides: Any) -> TestClient:
            settings = Settings(**{"store": "memory://", **overrides})
            return stack.enter_context(TestClient(create_app(settings)))

        yield make


@pytest.fixture(params=["sqlite", "redis"])
def persistent_store(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A real SQLite file, or a real (emptied) redis-server."""
    if request.param == "redis":
        return str(request.getfixturevalue("redis_url"))
    return f"sqlite:///{tmp_path}/sessions.sqlite3"


@pytest.fixture
def make_client(persistent_store: str) -> Iterator[Callable[..., TestClient]]:
    """Makes clients of apps on the test's persistent store (each test runs on both), with
    settings as given; the ones still open are closed after the test."""
    opened: list[TestClient] = []

    def make(**settings: Any) -> TestClient:
        client = TestClient(create_app(Settings(store=persistent_store, **settings)))
        opened.append(client.__enter__())
        return client

    yield make
    for client in opened:
        with suppress(RuntimeError):  # closed by the test already
            client.__exit__(None, None, None)


@pytest.fixture
def api(make_client: Callable[..., TestClient]) -> TestClient:
    """A client of an app with the default settings on a persistent store."""
    return make_client()
