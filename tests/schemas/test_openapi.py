"""The contract as /openapi.json shows it: every field and parameter described, every request
body with a realistic example, and the docs page served."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.engine import preset


@pytest.fixture
def openapi(client: TestClient) -> dict[str, Any]:
    return dict(client.get("/openapi.json").json())


def test_every_field_of_every_model_is_described(openapi: dict[str, Any]) -> None:
    undescribed = [
        f"{name}.{field}"
        for name, schema in openapi["components"]["schemas"].items()
        for field, spec in schema.get("properties", {}).items()
        if not spec.get("description")
    ]

    assert undescribed == []


def test_every_parameter_is_described(openapi: dict[str, Any]) -> None:
    undescribed = [
        f"{path} {parameter['name']}"
        for path, item in openapi["paths"].items()
        for operation in item.values()
        for parameter in operation.get("parameters", [])
        if not parameter.get("description")
    ]

    assert undescribed == []


def test_every_request_body_has_a_realistic_example(openapi: dict[str, Any]) -> None:
    bodies = {
        f"{method.upper()} {path}": operation["requestBody"]["content"]["application/json"]
        for path, item in openapi["paths"].items()
        for method, operation in item.items()
        if "requestBody" in operation
    }
    models = openapi["components"]["schemas"]

    def examples(media: dict[str, Any]) -> list[Any]:
        model = models[media["schema"]["$ref"].rsplit("/", 1)[1]]
        listed = [e["value"] for e in media.get("examples", {}).values()]
        return listed + model.get("examples", [])

    assert set(bodies) >= {
        "POST /api/trace",
        "POST /api/sessions",
        "POST /api/sessions/{session_id}/train",
        "POST /api/sessions/{session_id}/goto",
    }
    assert all(examples(media) for media in bodies.values())
    assert preset("xor").spec in examples(bodies["POST /api/trace"])
    assert any("state" in example for example in examples(bodies["POST /api/sessions"]))


def test_the_docs_page_is_served(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
