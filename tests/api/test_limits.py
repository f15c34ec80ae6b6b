"""The limits that keep one request cheap: activations per batch, work per training request,
and bytes of past states per session; each refusal names the field and says the limit.

How long a worst-case request takes at the default limits is measured by
`benchmarks/limits.py`, not here: timings do not belong in unit tests.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.engine import preset

XOR_PARAMETERS = 17  # layers 2, 4, 1 with biases
XOR_ACTIVATIONS = 28  # (2 + 4 + 1) × 4 samples
XOR_STEPS = 6
JSON = {"content-type": "application/json"}


@pytest.fixture(params=["memory", "sqlite", "redis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Every store: SQLite and Redis rebuild each session on every request, with the same
    limits as the session kept in memory."""
    if request.param == "redis":
        return str(request.getfixturevalue("redis_url"))
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
    assert client.get(f"/api/sessions/{session_id}").json()["iteration"] == 1


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
    client_with: Any, store: str
) -> None:
    roomy = client_with()
    session_id = create(roomy, preset("xor").spec)
    roomy.post(f"/api/sessions/{session_id}/train", json={"iterations": 10})
    exported = roomy.get(f"/api/sessions/{session_id}/export").json()
    tight = client_with(store=store, max_history_bytes=2 * XOR_PARAMETERS * 8)

    restored = create(tight, exported)

    history = tight.get(f"/api/sessions/{restored}/export").json()["state"]["history"]
    assert history == exported["state"]["history"][-2:]


def test_an_export_over_the_body_limit_is_taken_back_by_post_sessions(client_with: Any) -> None:
    client = client_with(max_body_bytes=1000, max_restore_bytes=100_000)
    session_id = create(client, preset("xor").spec)
    client.post(f"/api/sessions/{session_id}/train", json={"iterations": 10})
    exported = client.get(f"/api/sessions/{session_id}/export").content
    assert 1000 < len(exported) < 100_000

    restored = client.post("/api/sessions", content=exported, headers=JSON)
    elsewhere = client.post("/api/trace", content=exported, headers=JSON)

    assert restored.status_code == 201, restored.text
    assert elsewhere.status_code == 413
    assert "limit of 1000 bytes" in elsewhere.json()["detail"][0]["msg"]


def test_a_body_over_the_restore_limit_is_refused_naming_it(client_with: Any) -> None:
    client = client_with(max_body_bytes=1000, max_restore_bytes=5000)
    body = b'{"layers": [' + b" " * 5000 + b"2, 1]}"

    response = client.post("/api/sessions", content=body, headers=JSON)

    assert response.status_code == 413
    assert response.json()["detail"][0]["loc"] == ["body"]
    assert "limit of 5000 bytes" in response.json()["detail"][0]["msg"]


def test_the_restore_limit_is_never_below_the_body_limit(client_with: Any) -> None:
    client = client_with(max_body_bytes=5000, max_restore_bytes=1000)
    spec = json.dumps(preset("xor").spec).encode() + b" " * 2000

    response = client.post("/api/sessions", content=spec, headers=JSON)

    assert response.status_code == 201, response.text


def test_a_784_256_128_10_session_trained_is_exported_and_taken_back_at_the_default_limits(
    client_with: Any, store: str
) -> None:
    client = client_with(store=store)
    rng = np.random.default_rng(0)
    spec = {
        "layers": [784, 256, 128, 10],
        "activations": ["sigmoid", "sigmoid", "identity"],
        "loss": "softmax_cross_entropy",
        "inputs": rng.normal(size=(1, 784)).tolist(),
        "targets": [[0, 0, 1, 0, 0, 0, 0, 0, 0, 0]],
    }
    session_id = create(client, spec)
    for _ in range(3):
        client.post(f"/api/sessions/{session_id}/train", json={"iterations": 2})
    exported = client.get(f"/api/sessions/{session_id}/export").content
    assert Settings().max_body_bytes < len(exported) < Settings().max_restore_bytes

    restored = client.post("/api/sessions", content=exported, headers=JSON)

    assert restored.status_code == 201, restored.text
    copy = client.get(f"/api/sessions/{restored.json()['id']}/export").content
    assert copy == exported


@pytest.mark.parametrize("route", ["/api/trace", "/api/sessions"])
def test_a_chunked_body_that_grows_over_the_limit_is_a_413_naming_the_limit(
    client_with: Any, route: str
) -> None:
    client = client_with(max_body_bytes=1000, max_restore_bytes=2000)
    limit = 2000 if route == "/api/sessions" else 1000

    def chunks() -> Iterator[bytes]:  # no Content-Length: sent chunked
        yield b'{"layers": ['
        for _ in range(100):
            yield b" " * 100

    response = client.post(route, content=chunks(), headers=JSON)

    assert response.status_code == 413
    assert response.json()["detail"] == [
        {
            "loc": ["body"],
            "msg": f"the request body is over the limit of {limit} bytes",
            "type": "body_too_large",
        }
    ]


def finished(client: TestClient, session_id: str) -> tuple[int, int, int]:
    """Iterations finished, steps taken in the current one, and losses kept, as exported."""
    state = client.get(f"/api/sessions/{session_id}/export").json()["state"]
    return state["iteration"], state["cursor"], len(state["losses"])


def test_a_session_finishes_at_most_max_session_iterations_however_it_moves(
    client_with: Any, store: str
) -> None:
    client = client_with(store=store, max_session_iterations=3)
    session_id = create(client, preset("xor").spec)
    moves = f"/api/sessions/{session_id}"

    trained = client.post(f"{moves}/train", json={"iterations": 2}).status_code
    too_many = client.post(f"{moves}/train", json={"iterations": 2})
    stepped = [client.post(f"{moves}/step").status_code for _ in range(2 * XOR_STEPS - 1)]
    refused = [
        client.post(f"{moves}/step"),
        client.post(f"{moves}/goto", json={"step": XOR_STEPS}),
        client.post(f"{moves}/train", json={"iterations": 1}),
        client.post(f"{moves}/train/stream", json={"iterations": 1}),
    ]

    assert trained == 200 and stepped == [200] * (2 * XOR_STEPS - 1)
    assert too_many.status_code == 409
    assert too_many.json()["detail"].startswith(
        "a session finishes at most 3 iterations (MAX_SESSION_ITERATIONS)"
    )
    assert "only 1 more fit" in too_many.json()["detail"]
    assert [r.status_code for r in refused] == [409] * 4
    assert all("this one has finished them all" in r.json()["detail"] for r in refused)
    assert finished(client, session_id) == (3, XOR_STEPS - 1, 3)  # nothing refused was saved


def test_a_streamed_run_that_would_pass_max_session_iterations_stops_before_it_starts(
    client_with: Any,
) -> None:
    client = client_with(max_session_iterations=10)
    session_id = create(client, preset("xor").spec)

    response = client.post(f"/api/sessions/{session_id}/train/stream", json={"iterations": 11})

    assert response.status_code == 409
    assert "only 10 more fit" in response.json()["detail"]
    assert finished(client, session_id) == (0, 0, 0)


def test_an_export_past_max_session_iterations_is_refused_naming_the_iteration(
    client_with: Any,
) -> None:
    roomy = client_with()
    session_id = create(roomy, preset("xor").spec)
    roomy.post(f"/api/sessions/{session_id}/train", json={"iterations": 4})
    exported = roomy.get(f"/api/sessions/{session_id}/export").json()
    tight = client_with(max_session_iterations=3)

    refused = tight.post("/api/sessions", json=exported)
    taken = client_with(max_session_iterations=4).post("/api/sessions", json=exported)

    assert refused.status_code == 422
    [issue] = refused.json()["detail"]
    assert issue["loc"] == ["body", "state", "iteration"]
    assert issue["msg"] == "at most 3 finished iterations (MAX_SESSION_ITERATIONS)"
    assert taken.status_code == 201


def test_the_largest_export_the_default_limits_allow_can_be_taken_back() -> None:
    """The losses of a session that finished its most iterations (at most 25 bytes each as
    JSON) fit beside the largest export of the other limits, which the 784-256-128-10 test
    above measures at about 10 MB (15 MB at most: README)."""
    settings = Settings()

    assert 15_000_000 + 25 * settings.max_session_iterations <= settings.max_restore_bytes
