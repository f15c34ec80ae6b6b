"""Fixtures of the API tests: specs to send, a session to move, apps with other settings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
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
