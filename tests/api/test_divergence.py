"""Training that diverges stays honest: an infinite or NaN J is said so in the JSON (as the
strings "Infinity" and "NaN", never as bare tokens JSON does not have), and the session can
still be stepped, exported, restored and reset; nothing answers 500.

An export of a diverged session holds non-finite weights; POST /api/sessions takes them back
in its `state` (so an export always restores), while a spec's own numbers must stay finite.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from app.config import Settings
from app.engine import preset

NON_FINITE = {"Infinity", "-Infinity", "NaN"}
DIVERGING = {**preset("xor").spec, "activations": "identity", "learning_rate": 100.0}
"""XOR through identity layers with η = 100: J overflows within a few iterations."""


@pytest.fixture(params=["memory", "sqlite"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Both stores: SQLite keeps the weights as float64 blobs, NaN and infinities included."""
    if request.param == "sqlite":
        return Settings(store=f"sqlite:///{tmp_path}/sessions.sqlite3")
    return Settings(store="memory://")


def strict_json(response: Response) -> Any:
    """The body, read as standard JSON: a bare NaN or Infinity token is an error."""
    assert response.status_code < 300, response.text

    def refuse(token: str) -> None:
        raise AssertionError(f"bare {token} in {response.request.url}")

    return json.loads(response.text, parse_constant=refuse)


def numbers(value: Any) -> list[Any]:
    """Every number (or number-string) in nested lists."""
    if isinstance(value, list):
        return [n for v in value for n in numbers(v)]
    return [value]


@pytest.fixture
def diverged(client: TestClient) -> str:
    """A session trained 40 iterations past its divergence."""
    session_id = str(strict_json(client.post("/api/sessions", json=DIVERGING))["id"])
    strict_json(client.post(f"/api/sessions/{session_id}/train", json={"iterations": 40}))
    return session_id


def test_training_that_diverges_reports_j_as_infinity_or_nan(client: TestClient) -> None:
    session_id = strict_json(client.post("/api/sessions", json=DIVERGING))["id"]

    answer = strict_json(client.post(f"/api/sessions/{session_id}/train", json={"iterations": 40}))

    assert isinstance(answer["losses"][0], float)
    assert answer["losses"][-1] in NON_FINITE
    assert answer["session"]["losses"] == answer["losses"]


def test_a_diverged_session_shows_its_weights_that_are_not_finite_as_strings(
    client: TestClient, diverged: str
) -> None:
    weights = numbers(strict_json(client.get(f"/api/sessions/{diverged}"))["weights"])

    assert all(isinstance(w, float) or w in NON_FINITE for w in weights)
    assert any(w in NON_FINITE for w in weights)


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("POST", "/step", None),
        ("POST", "/back", None),
        ("POST", "/goto", {"step": 3}),
        ("GET", "/current", None),
        ("GET", "/steps/4", None),
        ("POST", "/train", {"iterations": 5}),
        ("GET", "/export", None),
    ],
)
def test_a_diverged_session_can_still_be_moved_and_read(
    client: TestClient, diverged: str, method: str, suffix: str, body: Any
) -> None:
    strict_json(client.request(method, f"/api/sessions/{diverged}{suffix}", json=body))


def test_a_diverged_session_is_stepped_through_a_whole_iteration(
    client: TestClient, diverged: str
) -> None:
    for _ in range(6):
        answer = strict_json(client.post(f"/api/sessions/{diverged}/step"))

    assert (answer["session"]["iteration"], answer["session"]["cursor"]) == (42, 0)
    assert answer["step"]["phase"] == "update"


def test_a_diverged_session_resets_to_its_finite_starting_weights(
    client: TestClient, diverged: str
) -> None:
    session = strict_json(client.post(f"/api/sessions/{diverged}/reset"))

    assert (session["iteration"], session["losses"]) == (1, [])
    started = strict_json(client.post("/api/sessions", json=session["spec"]))
    assert session["weights"] == started["weights"]
    assert all(isinstance(n, float) for n in numbers(session["weights"]))


def test_the_export_of_a_diverged_session_restores_it_exactly(
    client: TestClient, diverged: str
) -> None:
    client.post(f"/api/sessions/{diverged}/step")
    exported = strict_json(client.get(f"/api/sessions/{diverged}/export"))

    restored = strict_json(client.post("/api/sessions", json=exported))

    assert strict_json(client.get(f"/api/sessions/{restored['id']}/export")) == exported
    assert restored["losses"] == exported["state"]["losses"]


def test_a_spec_with_a_starting_weight_that_is_not_finite_is_still_refused(
    client: TestClient,
) -> None:
    spec = {**DIVERGING, "layers": [2, 1], "targets": [[0]] * 4, "weights": [[["NaN", 1.0]]]}

    response = client.post("/api/sessions", json=spec)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][:5] == ["body", "weights", 0, 0, 0]


def test_a_one_shot_trace_that_overflows_reports_j_as_infinity(client: TestClient) -> None:
    spec = {**DIVERGING, "inputs": [[1e300, -1e300]] * 4}

    trace = strict_json(client.post("/api/trace", json=spec))

    assert trace["loss"] == "Infinity"
    assert trace["tensors"]["J"]["data"] == [["Infinity"]]
