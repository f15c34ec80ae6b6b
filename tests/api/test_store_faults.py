"""When the SQLite store cannot write (here: its connections made read-only, as on a disk
remounted read-only), every request that would write answers 503 with the reason, every read
still answers, and nothing already stored changes. The real full disk is in tests/test_faults.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.engine import preset
from app.main import create_app
from app.store import SqliteStore


class SwitchableStore(SqliteStore):
    """A SQLite store whose connections can be made read-only (`PRAGMA query_only`) at will."""

    read_only = False

    @contextmanager
    def _connection(self) -> Iterator[Any]:
        with super()._connection() as conn:
            conn.execute(f"PRAGMA query_only = {int(self.read_only)}")
            yield conn


WRITES = [
    ("POST", "/api/sessions", "xor"),
    ("POST", "/api/sessions/{id}/step", None),
    ("POST", "/api/sessions/{id}/back", None),
    ("POST", "/api/sessions/{id}/goto", {"step": 6}),
    ("POST", "/api/sessions/{id}/train", {"iterations": 3}),
    ("POST", "/api/sessions/{id}/reset", None),
    ("POST", "/api/sessions/{id}/view", None),
    ("DELETE", "/api/sessions/{id}", None),
]
READS = ["", "/current", "/steps/2", "/export", "/export/trace.json"]


@pytest.fixture
def read_only_later(tmp_path: Path) -> Iterator[tuple[TestClient, SwitchableStore]]:
    """A client of an app whose SQLite store can be switched to read-only."""
    app = create_app(Settings(store="memory://"))
    with TestClient(app) as client:
        app.state.store.close()
        store = SwitchableStore(tmp_path / "sessions.sqlite3", ttl_seconds=3600, max_sessions=10)
        app.state.store = store
        yield client, store


def answers(client: TestClient, session_id: str) -> list[Any]:
    return [client.get(f"/api/sessions/{session_id}{suffix}").json() for suffix in READS]


@pytest.mark.parametrize(("method", "route", "body"), WRITES)
def test_a_write_to_a_read_only_store_is_a_503_saying_why_and_reads_go_on(
    read_only_later: tuple[TestClient, SwitchableStore], method: str, route: str, body: Any
) -> None:
    client, store = read_only_later
    session_id = client.post("/api/sessions", json=preset("xor").spec).json()["id"]
    client.post(f"/api/sessions/{session_id}/train", json={"iterations": 2})
    client.post(f"/api/sessions/{session_id}/step")
    before = answers(client, session_id)
    store.read_only = True

    response = client.request(
        method,
        route.replace("{id}", session_id),
        json=preset("xor").spec if body == "xor" else body,
    )

    assert response.status_code == 503
    assert "read-only" in response.json()["detail"]
    assert "Nothing stored was lost" in response.json()["detail"]
    assert answers(client, session_id) == before
    store.read_only = False
    assert answers(client, session_id) == before


def test_once_writable_again_the_store_takes_writes(
    read_only_later: tuple[TestClient, SwitchableStore],
) -> None:
    client, store = read_only_later
    session_id = client.post("/api/sessions", json=preset("xor").spec).json()["id"]
    store.read_only = True
    assert client.post(f"/api/sessions/{session_id}/step").status_code == 503

    store.read_only = False

    assert client.post(f"/api/sessions/{session_id}/step").status_code == 200
    assert client.get(f"/api/sessions/{session_id}").json()["cursor"] == 1
