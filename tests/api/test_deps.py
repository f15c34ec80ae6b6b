"""app.api.deps: the handlers' dependencies read the app's settings and store; the store is
opened at start-up (its directory made), purged of expired sessions, and closed at shutdown."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.api.deps import open_store, spec_limits
from app.config import Settings
from app.engine import Limits, preset
from app.main import create_app


def test_the_specs_limits_are_the_settings() -> None:
    settings = Settings(
        store="memory://",
        max_width=7,
        max_depth=3,
        max_parameters=500,
        max_batch=9,
        max_activations=600,
    )

    limits = asyncio.run(spec_limits(settings))

    assert limits == Limits(
        max_width=7, max_depth=3, max_parameters=500, max_batch=9, max_activations=600
    )


def test_a_request_is_held_to_the_limits_of_its_apps_settings(client_with) -> None:
    small = client_with(max_width=3)

    answer = small.post("/api/trace", json=preset("xor").spec)  # a hidden layer of 4

    assert answer.status_code == 422
    assert "3" in answer.json()["detail"][0]["msg"]


@pytest.mark.parametrize(("url", "kind"), [("memory://", "memory"), ("sqlite", "sqlite")])
def test_the_store_is_the_one_the_settings_name(tmp_path: Path, url: str, kind: str) -> None:
    if url == "sqlite":
        url = f"sqlite:///{tmp_path}/sessions.sqlite3"

    store = open_store(Settings(store=url))
    try:
        assert store.kind == kind
    finally:
        store.close()


def test_the_store_is_opened_in_a_new_directory_at_start_up_and_closed_at_shutdown(
    tmp_path: Path,
) -> None:
    path = tmp_path / "not" / "yet" / "there" / "sessions.sqlite3"
    app = create_app(Settings(store=f"sqlite:///{path}"))

    log = path.with_name(path.name + "-wal")

    with TestClient(app) as client:
        assert client.post("/api/sessions", json=preset("xor").spec).status_code == 201
        assert path.exists() and log.exists()

    assert not log.exists()  # the last connection closed: SQLite folded its log into the file


def test_expired_sessions_are_purged_at_start_up(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/sessions.sqlite3"
    with TestClient(create_app(Settings(store=url, session_ttl_seconds=1))) as client:
        session_id = client.post("/api/sessions", json=preset("xor").spec).json()["id"]
    time.sleep(1.1)

    with TestClient(create_app(Settings(store=url, session_ttl_seconds=1))):
        pass

    with sqlite3.connect(tmp_path / "sessions.sqlite3") as stored:
        left = stored.execute("SELECT id FROM sessions").fetchall()
    assert session_id not in {row[0] for row in left}
    assert left == []
