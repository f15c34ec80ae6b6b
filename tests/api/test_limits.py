"""The limits that keep one request cheap: activations per batch, work per training request,
and bytes of past states per session; each refusal names the field and says the limit.

How long a worst-case request takes at the default limits is measured by
`benchmarks/limits.py`, not here: timings do not belong in unit tests.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.engine import preset

XOR_PARAMETERS = 17  # layers 2, 4, 1 with biases
XOR_ACTIVATIONS = 28  # (2 + 4 + 1) × 4 samples
XOR_STEPS = 6


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Both stores: SQLite rebuilds each session on every request, with the same limits."""
    return "memory://" if request.param == "memory" else f"sqlite:///{tmp_path}/s.sqlite3"


def create(client: TestClient, spec: dict[str, Any]) -> str:
    response = client.post("/api/sessions", json=spec)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


@pytest.mark.parametrize("route", ["/api/trace", "/api/sessions"])
def test_a_batch_over_the_activation_limit_is_refused_naming_the_inputs(
    client_with: Any, route: str
) -> None:
    client = client_with(max_activations=XOR_ACTIVATIONS - 1)

    response = client.post(route, json=preset("xor").spec)

    assert response.status_code == 422
    [issue] = response.json()["detail"]
    assert issue["loc"] == ["body", "inputs"]
    assert f"{XOR_ACTIVATIONS} activations, over the limit {XOR_ACTIVATIONS - 1}" in issue["msg"]


def test_a_batch_at_the_activation_limit_is_taken(client_with: Any) -> None:
    client = client_with(max_activations=XOR_ACTIVATIONS)

    assert client.post("/api/trace", json=preset("xor").spec).status_code == 200


def test_training_beyond_the_work_limit_is_refused_saying_how_many_iterations_fit(
    client_with: Any,
) -> None:
    work = XOR_PARAMETERS + XOR_ACTIVATIONS  # per iteration
    client = client_with(max_train_work=10 * work)
    session_id = create(client, preset("xor").spec)

    response = client.post(f"/api/sessions/{session_id}/train", json={"iterations": 11})

    assert response.status_code == 422
    [issue] = response.json()["detail"]
    assert issue["loc"] == ["body", "iterations"]
    assert issue["msg"].startswith("at most 10 iterations per request for this network")
    assert client.get(f"/api/sessions/{session_id}").json()["iteration"] == 0


def test_training_within_the_work_limit_runs(client_with: Any) -> None:
    client = client_with(max_train_work=10 * (XOR_PARAMETERS + XOR_ACTIVATIONS))
    session_id = create(client, preset("xor").spec)

    response = client.post(f"/api/sessions/{session_id}/train", json={"iterations": 10})

    assert response.status_code == 200
    assert len(response.json()["losses"]) == 10


def test_training_on_a_small_network_is_held_to_max_train_iterations(client_with: Any) -> None:
    client = client_with(max_train_iterations=5)
    session_id = create(client, preset("xor").spec)

    response = client.post(f"/api/sessions/{session_id}/train", json={"iterations": 6})

    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "at most 5 iterations per request"


def test_a_network_keeps_only_the_past_states_that_fit_in_max_history_bytes(
    client_with: Any, store: str
) -> None:
    kept = 3
    client = client_with(store=store, max_history_bytes=kept * XOR_PARAMETERS * 8 + 7)
    session_id = create(client, preset("xor").spec)
    client.post(f"/api/sessions/{session_id}/train", json={"iterations": 10})

    back = [
        client.post(f"/api/sessions/{session_id}/back").status_code
        for _ in range(kept * XOR_STEPS + 1)
    ]

    assert back == [200] * (kept * XOR_STEPS) + [409]
    assert len(client.get(f"/api/sessions/{session_id}/export").json()["state"]["history"]) == 0


def test_an_export_with_more_past_states_than_kept_is_restored_with_the_newest(
    client_with: Any,
) -> None:
    roomy = client_with()
    session_id = create(roomy, preset("xor").spec)
    roomy.post(f"/api/sessions/{session_id}/train", json={"iterations": 10})
    exported = roomy.get(f"/api/sessions/{session_id}/export").json()
    tight = client_with(max_history_bytes=2 * XOR_PARAMETERS * 8)

    restored = create(tight, exported)

    history = tight.get(f"/api/sessions/{restored}/export").json()["state"]["history"]
    assert history == exported["state"]["history"][-2:]
