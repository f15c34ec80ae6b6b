"""app.schemas.problems: every refusal the API answers is the model /docs shows for it."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app import schemas
from app.engine import preset

XOR = preset("xor").spec
TEXT = {"content": b"{", "headers": {"content-type": "text/plain"}}
BROKEN = {"content": b"{oops", "headers": {"content-type": "application/json"}}


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "model"),
    [
        ("GET", "/api/sessions/no-such-session", {}, 404, schemas.Problem),
        ("POST", "/api/trace", {"json": {**XOR, "layers": [2, 0, 1]}}, 422, None),
        (
            "POST",
            "/api/trace",
            {"content": b"{", "headers": {"content-type": "text/plain"}},
            415,
            None,
        ),
        (
            "POST",
            "/api/trace",
            {"content": b"{oops", "headers": {"content-type": "application/json"}},
            422,
            None,
        ),
        ("POST", "/api/trace?oops=1", {"json": XOR}, 422, None),
    ],
)
def test_a_refusal_is_its_documented_model(
    client: TestClient, method: str, path: str, kwargs: dict[str, Any], status: int, model: Any
) -> None:
    answer = client.request(method, path, **kwargs)

    assert answer.status_code == status
    parsed = (model or schemas.ValidationProblem).model_validate_json(answer.content)
    assert parsed.model_dump(mode="json", exclude_none=True) == answer.json()


def test_a_move_the_session_cannot_make_is_a_problem(client: TestClient) -> None:
    session_id = client.post("/api/sessions", json=XOR).json()["id"]

    answer = client.post(f"/api/sessions/{session_id}/back")

    assert answer.status_code == 409
    assert schemas.Problem.model_validate_json(answer.content).detail
