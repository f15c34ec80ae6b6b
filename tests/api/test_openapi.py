"""app.api.openapi: the schema states the limits the server was started with, so that a
request the schema allows is not refused for them; and each body's field examples make one
request the server takes."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.engine import preset
from app.main import create_app


@pytest.mark.parametrize("most", [2000, 37])
def test_the_most_iterations_a_training_request_may_ask_is_in_the_schema(most: int) -> None:
    with TestClient(create_app(Settings(store="memory://", max_train_iterations=most))) as client:
        schema = client.get("/openapi.json").json()["components"]["schemas"]["TrainRequest"]
        session_id = client.post("/api/sessions", json=preset("xor").spec).json()["id"]
        at_most = client.post(f"/api/sessions/{session_id}/train", json={"iterations": most})
        past = client.post(f"/api/sessions/{session_id}/train", json={"iterations": most + 1})

    assert schema["properties"]["iterations"]["maximum"] == most
    assert at_most.status_code == 200
    assert past.status_code == 422


def first_examples(schema: dict[str, Any]) -> dict[str, Any]:
    """A body made of each field's first example."""
    return {
        name: field["examples"][0]
        for name, field in schema["properties"].items()
        if field.get("examples")
    }


def test_the_spec_fields_examples_together_are_a_network_the_server_takes(
    client: TestClient,
) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    body = first_examples(schemas["NetworkSpec"])

    answer = client.post("/api/trace", json=body)

    assert answer.status_code == 200, answer.text
