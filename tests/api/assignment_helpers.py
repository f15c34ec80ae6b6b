"""What the assignment API tests share: a template, an assignment set in one call, a student
joined, a submission, and the values the engine expects (to check grading, never to send)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from fastapi.testclient import TestClient

from app import engine

TEMPLATE: dict[str, Any] = {
    "layers": [2, 3, 1],
    "activations": ["tanh", "sigmoid"],
    "loss": "squared_error",
    "batch": 2,
}
BODY: dict[str, Any] = {"title": "Week 3", "template": TEMPLATE, "tasks": ["gradW1", "Delta2"]}

MakeClient = Callable[..., TestClient]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def create(api: TestClient, **changes: Any) -> tuple[str, str]:
    """Sets an assignment; returns its id and the lecturer's token."""
    response = api.post("/api/assignments", json=BODY | changes)
    assert response.status_code == 201, response.text
    created = response.json()
    return created["assignment"]["id"], created["lecturer_token"]


def join(api: TestClient, assignment_id: str, number: str, name: str = "Ada") -> dict[str, Any]:
    response = api.post(
        f"/api/assignments/{assignment_id}/students", json={"name": name, "number": number}
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def expected(network: dict[str, Any], tensor: str) -> np.ndarray:
    """What the engine computes for `tensor` in the first iteration of a student's network."""
    session = engine.Session.create(network)
    return session.trace().tensors[tensor].value.copy()


def submit(
    api: TestClient, assignment_id: str, token: str, tensor: str, values: Any, **query: str
) -> Any:
    return api.post(
        f"/api/assignments/{assignment_id}/work/submissions",
        params=query,
        json={"tensor": tensor, "values": np.asarray(values).tolist()},
        headers=bearer(token),
    )


def issue(response: Any) -> dict[str, Any]:
    [found] = response.json()["detail"]
    return dict(found)
