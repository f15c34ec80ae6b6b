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


def by_hand(network: dict[str, Any]) -> dict[str, np.ndarray]:
    """The first iteration's backward tensors of a 2-layer tanh-sigmoid network with biases and
    squared error in plain NumPy, as a student computes them (the Q&A's forms: J = 1/(2m)
    Σ‖Σ_2 − Y‖², G = (Σ_2 − Y)/m), independent of the engine."""
    x, y = np.array(network["inputs"], dtype=float).T, np.array(network["targets"], dtype=float).T
    w1, w2 = (np.array(w, dtype=float) for w in network["weights"])
    b1, b2 = (np.array(b, dtype=float).reshape(-1, 1) for b in network["biases"])
    sigma1 = np.tanh(w1 @ x + b1)
    sigma2 = 1 / (1 + np.exp(-(w2 @ sigma1 + b2)))
    delta2 = (sigma2 - y) / x.shape[1] * sigma2 * (1 - sigma2)
    delta1 = (w2.T @ delta2) * (1 - sigma1**2)
    return {
        "Delta2": delta2,
        "gradW2": delta2 @ sigma1.T,
        "gradb2": delta2.sum(axis=1, keepdims=True),
        "Delta1": delta1,
        "gradW1": delta1 @ x.T,
        "gradb1": delta1.sum(axis=1, keepdims=True),
    }


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
