"""The client's tests run against a real server (uvicorn in a subprocess on a free loopback
port), started once for the whole run."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from backprop_visualizer_client import Client

from devtools.server import LocalServer, local_server


@pytest.fixture(scope="session")
def server() -> Iterator[LocalServer]:
    """A live server, sessions in memory."""
    with local_server() as running:
        yield running


@pytest.fixture
def api(server: LocalServer) -> Iterator[Client]:
    """A client of the live server, as a student makes it."""
    with Client(server.url) as client:
        yield client


@pytest.fixture
def xor(api: Client) -> dict[str, Any]:
    """The XOR preset's spec: layers 2-4-1, tanh then sigmoid, biases, a batch of 4."""
    return api.preset("xor")
