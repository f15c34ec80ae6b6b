"""GET /api/health."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.config import app_version


def test_health_says_ok_the_version_and_the_store(client: TestClient) -> None:
    response = client.get("/api/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": app_version(), "store": "memory"}


def test_version_is_the_one_in_pyproject() -> None:
    import tomllib
    from pathlib import Path

    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())

    assert app_version() == pyproject["project"]["version"]
