"""GET /api/activations, /api/objectives, /api/presets: what the page offers, from the engine."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.engine import ACTIVATIONS, OBJECTIVES, presets


def test_activations_are_the_engines_with_latex_and_a_description(client: TestClient) -> None:
    response = client.get("/api/activations")

    assert response.status_code == 200
    listed = response.json()
    assert [a["name"] for a in listed] == list(ACTIVATIONS)
    tanh = next(a for a in listed if a["name"] == "tanh")
    assert tanh == {"name": "tanh", "latex": r"\tanh", "description": "σ(x) = tanh x"}


def test_objectives_say_whether_they_need_targets(client: TestClient) -> None:
    listed = client.get("/api/objectives").json()

    assert {o["name"]: o["needs_targets"] for o in listed} == {
        name: o.needs_targets for name, o in OBJECTIVES.items()
    }
    assert all(o["description"] for o in listed)


def test_presets_are_the_two_texts_networks_xor_and_a_softmax_classifier(
    client: TestClient,
) -> None:
    listed = client.get("/api/presets").json()

    assert [p["id"] for p in listed] == [
        "paper-1d-chain",
        "paper-k-layer",
        "qa-one-hidden",
        "xor",
        "softmax-classifier",
    ]
    assert all(p["name"] and p["description"] for p in listed)


@pytest.mark.parametrize("preset", presets(), ids=lambda p: p.id)
def test_every_presets_spec_starts_a_session(client: TestClient, preset: object) -> None:
    spec = client.get(f"/api/presets/{preset.id}").json()["spec"]  # type: ignore[attr-defined]

    response = client.post("/api/sessions", json=spec)

    assert response.status_code == 201
    assert client.post(f"/api/sessions/{response.json()['id']}/step").status_code == 200


def test_an_unknown_preset_is_404(client: TestClient) -> None:
    response = client.get("/api/presets/mnist")

    assert response.status_code == 404
    assert response.json() == {"detail": "no preset with id 'mnist'"}
