"""Fixtures shared by every test: settings that touch no real store, a client, a real Redis."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app

from .redis_server import RedisServer, find_or_install


@pytest.fixture
def settings() -> Settings:
    """Settings with an in-memory store, so tests leave no files behind."""
    return Settings(store="memory://")


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """A client talking to a fresh app built from `settings`."""
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A real redis-server for the whole run (installed with apt-get when missing), emptied
    before each test that asks for it; skipped only when it cannot be installed."""
    binary = find_or_install()
    if binary is None:
        pytest.skip("redis-server is not installed and apt-get could not install it")
    server = RedisServer(binary, tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """The URL of database 0 of the test Redis, emptied for this test."""
    redis_server.flush()
    return redis_server.url()
