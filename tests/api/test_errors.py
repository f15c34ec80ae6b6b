"""app.api.errors: a catalogue of bad inputs, each refused with a 4xx naming the field at fault,
leaving an existing session of the same server exactly as it was; an unknown query parameter
named; a wrong method answered with every method the path takes.

One server (the default SQLite store, the default limits) with one session moved a few steps;
every request of the catalogue is sent to it, and the session is compared with its first
answer after each.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.engine import preset
from app.main import create_app

SETTINGS = Settings(store="memory://")  # the limits only; the server below uses SQLite
SPEC_ROUTES = ("/api/trace", "/api/sessions")


def xor(**changes: Any) -> dict[str, Any]:
    """XOR (layers 2, 4, 1; a batch of 4) with some fields changed."""
    return {**preset("xor").spec, **changes}


def softmax(**changes: Any) -> dict[str, Any]:
    """The softmax classifier (layers 2, 5, 3; a batch of 6) with some fields changed."""
    return {**preset("softmax-classifier").spec, **changes}


def inputs_with(row: int, col: int, value: Any) -> list[list[Any]]:
    inputs: list[list[Any]] = [list(sample) for sample in preset("xor").spec["inputs"]]
    inputs[row][col] = value
    return inputs


@dataclass(frozen=True)
class Bad:
    """A bad request, the status it must get, and the field its answer must name."""

    body: Any
    loc: list[str | int]
    status: int = 422
    route: str = ""  # empty: every route that takes a spec; "{id}" stands for the session's
    method: str = "POST"
    headers: tuple[tuple[str, str], ...] = (("content-type", "application/json"),)

    def content(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        return json.dumps(self.body, allow_nan=True).encode()  # NaN and Infinity as bare tokens


def deep(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


MAX_DEPTH, MAX_WIDTH = SETTINGS.max_depth, SETTINGS.max_width

SPECS = {
    "nan-in-inputs": Bad(xor(inputs=inputs_with(0, 0, math.nan)), ["body", "inputs", 0, 0]),
    "infinity-in-targets": Bad(
        xor(targets=[[0.0], [math.inf], [1.0], [0.0]]), ["body", "targets", 1, 0]
    ),
    "minus-infinity-learning-rate": Bad(xor(learning_rate=-math.inf), ["body", "learning_rate"]),
    "string-in-inputs": Bad(xor(inputs=inputs_with(2, 1, "1")), ["body", "inputs", 2, 1]),
    "string-nan-in-inputs": Bad(xor(inputs=inputs_with(3, 0, "NaN")), ["body", "inputs", 3, 0]),
    "string-in-weights": Bad(
        xor(layers=[2, 1], activations="sigmoid", targets=[[0]] * 4, weights=[[["0.5", 1.0]]]),
        ["body", "weights", 0, 0, 0],
    ),
    "string-learning-rate": Bad(xor(learning_rate="0.5"), ["body", "learning_rate"]),
    "no-widths": Bad(xor(layers=[]), ["body", "layers"]),
    "zero-width": Bad(xor(layers=[2, 0, 1]), ["body", "layers", 1]),
    "negative-width": Bad(xor(layers=[2, -4, 1]), ["body", "layers", 1]),
    "fractional-width": Bad(xor(layers=[2, 1.5, 1]), ["body", "layers", 1]),
    "boolean-width": Bad(xor(layers=[2, True, 1]), ["body", "layers", 1]),
    "depth-over-the-limit": Bad(
        xor(layers=[2] * (MAX_DEPTH + 1) + [1], activations="tanh"), ["body", "layers"]
    ),
    "width-over-the-limit": Bad(xor(layers=[2, MAX_WIDTH + 1, 1]), ["body", "layers", 1]),
    "parameters-over-the-limit-each-width-allowed": Bad(
        xor(layers=[2, MAX_WIDTH, MAX_WIDTH, 1], activations="tanh"), ["body", "layers"]
    ),
    "sample-of-the-wrong-length": Bad(
        xor(inputs=[[0, 0, 0], [0, 1, 0], [1, 0, 0], [1, 1, 0]]), ["body", "inputs", 0]
    ),
    "target-of-the-wrong-length": Bad(xor(targets=[[0], [1, 0], [1], [0]]), ["body", "targets", 1]),
    "fewer-targets-than-samples": Bad(xor(targets=[[0], [1], [1]]), ["body", "targets"]),
    "ragged-inputs": Bad(xor(inputs=[[0, 0], [0], [1, 0], [1, 1]]), ["body", "inputs", 1]),
    "ragged-weights": Bad(
        xor(weights=[[[1, 2], [3], [5, 6], [7, 8]], [[1, 2, 3, 4]]]), ["body", "weights", 0, 1]
    ),
    "unknown-activation": Bad(xor(activations=["tanh", "swish"]), ["body", "activations", 1]),
    "unknown-objective": Bad(xor(loss="hinge"), ["body", "loss"]),
    "network-objective-with-two-outputs": Bad(
        xor(layers=[2, 4, 2], loss="network", targets=None), ["body", "layers"]
    ),
    "cross-entropy-targets-not-distributions": Bad(
        softmax(targets=[[0.5, 0.6, 0]] + preset("softmax-classifier").spec["targets"][1:]),
        ["body", "targets", 0],
    ),
    "cross-entropy-negative-target": Bad(
        softmax(
            targets=[[1, 0, 0], [1.5, -0.5, 0]] + preset("softmax-classifier").spec["targets"][2:]
        ),
        ["body", "targets", 1],
    ),
    "boolean-seed": Bad(xor(seed=True), ["body", "seed"]),
    "negative-seed": Bad(xor(seed=-1), ["body", "seed"]),
    "unknown-field": Bad(xor(learning_rte=0.5), ["body", "learning_rte"]),
    "deeply-nested-json": Bad(deep(100_000), ["body"]),
    "nested-500-deep-in-a-field": Bad(
        b'{"layers": [2, 1], "activations": ' + deep(500) + b"}", ["body", "activations"]
    ),
    "a-list-for-a-spec": Bad([2, 4, 1], ["body"]),
    "not-utf8": Bad(b'{"layers": "\xff"}', ["body"]),
    "wrong-content-type": Bad(
        xor(), ["header", "content-type"], status=415, headers=(("content-type", "text/plain"),)
    ),
    "form-content-type": Bad(
        b"layers=2&layers=1",
        ["header", "content-type"],
        status=415,
        headers=(("content-type", "application/x-www-form-urlencoded"),),
    ),
    "no-content-type": Bad(xor(), ["header", "content-type"], status=415, headers=()),
    "body-over-the-size-limit": Bad(
        b'{"layers": [' + b" " * SETTINGS.max_restore_bytes + b"]}", ["body"], status=413
    ),
}

SESSION_MOVES = {
    "huge-iterations": Bad({"iterations": 10**9}, ["body", "iterations"], route="{id}/train"),
    "iterations-beyond-64-bits": Bad(
        {"iterations": 10**30}, ["body", "iterations"], route="{id}/train"
    ),
    "zero-iterations": Bad({"iterations": 0}, ["body", "iterations"], route="{id}/train"),
    "string-iterations": Bad({"iterations": "5"}, ["body", "iterations"], route="{id}/train"),
    "goto-past-the-update": Bad({"step": 99}, ["body", "step"], route="{id}/goto"),
    "goto-before-the-start": Bad({"step": -1}, ["body", "step"], route="{id}/goto"),
    "goto-a-boolean": Bad({"step": False}, ["body", "step"], route="{id}/goto"),
    "step-past-the-iteration": Bad(None, ["path", "number"], route="{id}/steps/99", method="GET"),
    "step-zero": Bad(None, ["path", "number"], route="{id}/steps/0", method="GET"),
    "train-body-as-text": Bad(
        b"iterations=5",
        ["header", "content-type"],
        status=415,
        route="{id}/train",
        headers=(("content-type", "text/plain"),),
    ),
}

CASES = [
    pytest.param(route, bad, id=f"{name}@{route}")
    for name, bad in SPECS.items()
    for route in SPEC_ROUTES
] + [
    pytest.param(f"/api/sessions/{bad.route}", bad, id=name) for name, bad in SESSION_MOVES.items()
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str]]:
    """One app on a SQLite file, and a session on it that took 8 steps (one update)."""
    database: Path = tmp_path_factory.mktemp("bad-inputs") / "sessions.sqlite3"
    with TestClient(create_app(Settings(store=f"sqlite:///{database}"))) as client:
        session_id = client.post("/api/sessions", json=preset("xor").spec).json()["id"]
        for _ in range(8):
            assert client.post(f"/api/sessions/{session_id}/step").status_code == 200
        yield client, session_id


def seen(client: TestClient, session_id: str) -> tuple[Any, Any]:
    """What GET /api/sessions/{id} and its export answer."""
    return (
        client.get(f"/api/sessions/{session_id}").json(),
        client.get(f"/api/sessions/{session_id}/export").json(),
    )


@pytest.mark.parametrize(("route", "bad"), CASES)
def test_a_bad_input_is_a_4xx_naming_its_field_and_changes_no_session(
    server: tuple[TestClient, str], route: str, bad: Bad
) -> None:
    client, session_id = server
    before = seen(client, session_id)

    response = client.request(
        bad.method,
        route.replace("{id}", session_id),
        content=None if bad.body is None else bad.content(),
        headers=dict(bad.headers),
    )

    assert response.status_code == bad.status, response.text
    locs = [issue["loc"] for issue in response.json()["detail"]]
    assert bad.loc in locs or any(loc[: len(bad.loc)] == bad.loc for loc in locs), locs
    assert seen(client, session_id) == before


def test_an_unknown_query_parameter_is_named_and_refused(client: TestClient) -> None:
    session = client.post("/api/sessions", json=xor()).json()

    answer = client.post(f"/api/sessions/{session['id']}/step?convetion=row")

    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["query", "convetion"]
    assert client.get(f"/api/sessions/{session['id']}").json()["cursor"] == 0
    assert client.post(f"/api/sessions/{session['id']}/step?convention=row").status_code == 200


def test_a_wrong_method_is_a_405_listing_every_method_of_the_path(client: TestClient) -> None:
    session_id = client.post("/api/sessions", json=xor()).json()["id"]

    answer = client.put(f"/api/sessions/{session_id}")

    assert answer.status_code == 405
    assert set(answer.headers["allow"].split(", ")) == {"GET", "HEAD", "DELETE"}  # HEAD: as GET
