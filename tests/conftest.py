"""Fixtures shared by every test: settings that touch no real store, and a client for the app."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app


@pytest.fixture
def settings() -> Settings:
    """Settings with an in-memory store, so tests leave no files behind."""
    return Settings(store="memory://")


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """A client talking to a fresh app built from `settings`."""
    with TestClient(create_app(settings)) as client:
        yield client
