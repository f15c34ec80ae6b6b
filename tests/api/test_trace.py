"""POST /api/trace: a spec in, one whole iteration out; every bad spec is a 422 naming the field."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.engine import Network, presets, step_count, trace_iteration

JSON = {"content-type": "application/json"}


def tiny(**changes: Any) -> dict[str, Any]:
    """A 2 → 1 network with one sample, changed as given (None removes a field)."""
    spec: dict[str, Any] = {
        "layers": [2, 1],
        "activations": ["sigmoid"],
        "inputs": [[0.5, -1.0]],
        "targets": [[1.0]],
    }
    spec.update(changes)
    return {k: v for k, v in spec.items() if v is not None}


@pytest.mark.parametrize("preset", presets(), ids=lambda p: p.id)
def test_a_trace_has_2k_plus_2_steps_in_order_and_every_tensor_by_name(
    client: TestClient, preset: Any
) -> None:
    response = client.post("/api/trace", json=preset.spec)

    assert response.status_code == 200
    trace = response.json()
    k = len(preset.spec["layers"]) - 1
    assert trace["step_count"] == step_count(k) == len(trace["steps"])
    assert [s["phase"] for s in trace["steps"]] == (
        ["forward"] * k + ["objective"] + ["backward"] * k + ["update"]
    )
    assert [s["number"] for s in trace["steps"]] == list(range(1, 2 * k + 3))
    assert all("tensors" not in s for s in trace["steps"])
    for i in range(1, k + 1):
        for name in (f"W{i}", f"N{i}", f"Sigma{i}", f"SigmaPrime{i}", f"Delta{i}", f"gradW{i}"):
            assert name in trace["tensors"]
    assert {"X", "J", "G"} <= trace["tensors"].keys()


@pytest.mark.parametrize("preset", presets(), ids=lambda p: p.id)
def test_every_tensor_is_the_engines_exactly_with_its_shape(
    client: TestClient, preset: Any
) -> None:
    network = Network.from_spec(preset.spec)
    expected = trace_iteration(network, network.initial_parameters())

    tensors = client.post("/api/trace", json=preset.spec).json()["tensors"]

    assert tensors.keys() == expected.tensors.keys()
    for name, tensor in tensors.items():
        assert tensor["name"] == name
        assert tensor["latex"] == expected.tensors[name].latex
        assert tensor["shape"] == list(expected.tensors[name].shape)
        assert len(tensor["data"]) == tensor["shape"][0]
        assert all(len(row) == tensor["shape"][1] for row in tensor["data"])
        assert np.array_equal(np.array(tensor["data"]), expected.tensors[name].value)


def test_the_loss_is_j_of_the_iteration(client: TestClient) -> None:
    trace = client.post("/api/trace", json=tiny()).json()

    assert trace["loss"] == trace["tensors"]["J"]["data"][0][0]


def test_a_step_record_names_its_operands_results_and_their_shapes(client: TestClient) -> None:
    steps = client.post("/api/trace", json=presets()[3].spec).json()["steps"]

    backward_1 = steps[4]
    assert backward_1["title"] == "Backward, layer 1"
    assert backward_1["intermediates"] == ["WTDelta1"]
    assert {"Delta1", "gradW1", "gradb1"} <= set(backward_1["results"])
    assert backward_1["shapes"]["W2"] == [1, 4]
    assert backward_1["formulas"][0]["latex_shapes"].count(r"\underbrace") >= 3
    assert [s["result"] for s in backward_1["substeps"]][:2] == ["WTDelta1", "Delta1"]
    assert steps[-1]["constants"] == {"eta": 2.0}


def test_a_diverged_network_sends_infinity_as_a_string_not_an_error(client: TestClient) -> None:
    spec = tiny(
        layers=[1, 1],
        activations=["identity"],
        bias=False,
        inputs=[[1e300]],
        targets=[[0.0]],
        weights=[[[1e300]]],
    )

    response = client.post("/api/trace", json=spec)

    assert response.status_code == 200
    trace = response.json()
    assert trace["loss"] == "Infinity"
    assert trace["tensors"]["N1"]["data"] == [["Infinity"]]
    assert trace["tensors"]["W1_new"]["data"] == [["-Infinity"]]
    assert float(trace["tensors"]["W1_new"]["data"][0][0]) == -np.inf


@pytest.mark.parametrize(
    ("spec", "loc", "reason"),
    [
        (tiny(layers=[2]), ["layers"], "at least two widths"),
        (tiny(layers=[2] * 10, activations="tanh"), ["layers"], "over the limit 8"),
        (tiny(layers=[2, 0]), ["layers", 1], "at least 1"),
        (tiny(layers=[2000, 1], inputs=[[0.0] * 2000]), ["layers", 0], "over the limit 1024"),
        (tiny(layers=[1000, 1000, 1], activations="tanh"), ["layers"], "parameters"),
        (tiny(activations=["tanh", "tanh"]), ["activations"], "one per layer"),
        (tiny(activations=["swish"]), ["activations", 0], "unknown activation 'swish'"),
        (tiny(activations=[["tanh", "relu"]]), ["activations", 0], "needs one activation or 1"),
        (tiny(loss="hinge"), ["loss"], "unknown objective 'hinge'"),
        (tiny(layers=[2, 2], targets=None, loss="network"), ["layers"], "n_k = 1"),
        (
            tiny(layers=[2, 2], loss="softmax_cross_entropy", targets=[[1, 0]]),
            ["activations", 0],
            "identity",
        ),
        (
            tiny(
                layers=[2, 2],
                activations=["identity"],
                loss="softmax_cross_entropy",
                targets=[[0.5, 0.6]],
            ),
            ["targets", 0],
            "distributions",
        ),
        (tiny(inputs=[]), ["inputs"], "at least one sample"),
        (tiny(inputs=[[1.0, 2.0, 3.0]]), ["inputs", 0], "must have 2 numbers"),
        (tiny(inputs=[[0.0, 0.0]] * 257, targets=[[0.0]] * 257), ["inputs"], "batch limit 256"),
        (tiny(targets=None), ["targets"], "needs targets"),
        (tiny(targets=[[1.0], [0.0]]), ["targets"], "one target per input sample"),
        (tiny(targets=[[1.0, 0.0]]), ["targets", 0], "must have 1 numbers"),
        (tiny(weights=[]), ["weights"], "list of 1 matrices"),
        (tiny(weights=[[[1.0]]]), ["weights", 0, 0], "must have 2 numbers"),
        (tiny(weights=[[[1.0, 2.0], [3.0, 4.0]]]), ["weights", 0], "must have 1 rows"),
        (tiny(bias=False, biases=[[0.0]]), ["biases"], "`bias` is false"),
        (tiny(biases=[[0.0, 1.0]]), ["biases", 0], "must have 1 rows"),
        (tiny(seed=-1), ["seed"], "between 0 and 2^63"),
        (tiny(init="uniform"), ["init"], "unknown initialisation 'uniform'"),
        (tiny(learning_rate=0), ["learning_rate"], "must be positive"),
    ],
)
def test_each_spec_the_engine_refuses_is_a_422_naming_the_field_and_the_reason(
    client: TestClient, spec: dict[str, Any], loc: list[str | int], reason: str
) -> None:
    response = client.post("/api/trace", json=spec)

    assert response.status_code == 422
    [issue] = response.json()["detail"]
    assert issue["loc"] == ["body", *loc]
    assert reason in issue["msg"]
    assert issue["type"] == "spec_error"


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ('"inputs": [[0.5, NaN]]', ["body", "inputs", 0, 1]),
        ('"targets": [[Infinity]]', ["body", "targets", 0, 0]),
        ('"weights": [[[-Infinity, 1]]]', ["body", "weights", 0, 0, 0]),
        ('"biases": [[NaN]]', ["body", "biases", 0, 0]),
        ('"learning_rate": NaN', ["body", "learning_rate"]),
    ],
)
def test_nan_and_infinity_in_a_request_are_refused_naming_the_field(
    client: TestClient, body: str, loc: list[str | int]
) -> None:
    spec = {k: v for k, v in tiny().items() if f'"{k}"' not in body}
    text = json.dumps(spec)[:-1] + ", " + body + "}"

    response = client.post("/api/trace", content=text, headers=JSON)

    assert response.status_code == 422
    [issue] = response.json()["detail"]
    assert issue["loc"] == loc
    assert issue["msg"] == "Input should be a finite number"


@pytest.mark.parametrize(
    ("spec", "loc", "kind"),
    [
        (tiny(layers="2,1"), ["body", "layers"], "list_type"),
        (tiny(layers=[2, "one"]), ["body", "layers", 1], "int_type"),
        (tiny(inputs=[["a", 1.0]]), ["body", "inputs", 0, 0], "float_type"),
        (tiny(bias="sometimes"), ["body", "bias"], "bool_type"),
        (tiny(layers=None), ["body", "layers"], "missing"),
        (tiny(learning_rte=0.5), ["body", "learning_rte"], "extra_forbidden"),
    ],
)
def test_a_field_of_the_wrong_type_is_a_422_naming_it(
    client: TestClient, spec: dict[str, Any], loc: list[str | int], kind: str
) -> None:
    response = client.post("/api/trace", json=spec)

    assert response.status_code == 422
    assert [(i["loc"], i["type"]) for i in response.json()["detail"]] == [(loc, kind)]


@pytest.mark.parametrize(
    ("content", "headers"),
    [
        (b'{"layers": [2, 1], ', JSON),
        (b"[1, 2", JSON),
        (b"", JSON),
        (b"[1, 2]", JSON),
        (b'"a string"', JSON),
    ],
    ids=["cut-off", "unclosed-list", "empty", "a-list", "a-string"],
)
def test_a_body_that_is_not_a_json_spec_is_a_422(
    client: TestClient, content: bytes, headers: dict[str, str]
) -> None:
    response = client.post("/api/trace", content=content, headers=headers)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "body"


@pytest.mark.parametrize(
    "content",
    [b"\xff\xfe{]", b"[" * 100_000, b'{"seed": 1' + b"0" * 5000 + b"}"],
    ids=["not-utf8", "nested-100000-deep", "a-5000-digit-number"],
)
def test_garbage_bodies_are_refused_without_a_server_error(
    client: TestClient, content: bytes
) -> None:
    response = client.post("/api/trace", content=content, headers=JSON)

    assert 400 <= response.status_code < 500


@pytest.mark.parametrize(
    ("setting", "spec", "loc"),
    [
        ("max_width", tiny(layers=[2, 8, 1]), ["layers", 1]),
        ("max_depth", tiny(layers=[2, 2, 2, 2, 2, 1], activations="tanh"), ["layers"]),
        ("max_parameters", tiny(layers=[2, 4, 1]), ["layers"]),
        ("max_batch", tiny(inputs=[[0.0, 0.0]] * 5, targets=[[0.0]] * 5), ["inputs"]),
    ],
)
def test_the_limits_come_from_the_settings(
    client_with: Any, setting: str, spec: dict[str, Any], loc: list[str | int]
) -> None:
    client = client_with(**{setting: 4})

    response = client.post("/api/trace", json=spec)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", *loc]
