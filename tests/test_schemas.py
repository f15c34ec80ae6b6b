"""app.schemas: arrays become JSON lists here, non-finite numbers become strings, every field is
described and every request body has an example."""

from __future__ import annotations

import base64
import json
import math
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from app import schemas
from app.engine import Session, Tensor, build_spec, preset


@pytest.mark.parametrize(
    ("value", "encoded"),
    [(1.5, 1.5), (math.inf, "Infinity"), (-math.inf, "-Infinity"), (0.0, 0.0)],
)
def test_a_float_is_sent_as_a_number_or_its_name(value: float, encoded: object) -> None:
    assert schemas.encode_float(value) == encoded


def test_nan_is_sent_as_the_string_nan_that_float_reads_back() -> None:
    assert schemas.encode_float(math.nan) == "NaN"
    assert math.isnan(float("NaN"))
    assert math.isnan(schemas.decode_float("NaN"))


def test_a_matrix_is_a_list_of_rows_with_non_finite_entries_as_strings() -> None:
    matrix = np.array([[1.0, np.inf], [np.nan, -2.5]])

    encoded = schemas.encode_matrix(matrix)

    assert encoded == [[1.0, "Infinity"], ["NaN", -2.5]]
    assert np.array_equal(np.array(encoded, dtype=float), matrix, equal_nan=True)


def test_a_finite_matrix_is_its_rows_exactly() -> None:
    matrix = np.random.default_rng(0).normal(size=(3, 5))

    assert np.array(schemas.encode_matrix(matrix)).tobytes() == matrix.tobytes()


def test_nested_documents_are_encoded_at_any_depth() -> None:
    document = {"a": [[math.inf, 1.0]], "b": {"c": math.nan}, "d": "text", "e": 3}

    assert schemas.encode_nested(document) == {
        "a": [["Infinity", 1.0]],
        "b": {"c": "NaN"},
        "d": "text",
        "e": 3,
    }


@pytest.mark.parametrize(
    "minimal",
    [
        {"layers": [2, 1], "inputs": [[1.0, 2.0]], "targets": [[0.5]]},
        {"layers": [1, 1], "inputs": [[1.0]], "loss": "network"},
    ],
)
def test_the_schemas_defaults_are_the_engines(minimal: dict[str, Any]) -> None:
    through_schema = build_spec(schemas.NetworkSpec.model_validate(minimal).to_engine())

    assert through_schema.to_dict() == build_spec(minimal).to_dict()


def test_a_restored_states_loss_strings_become_floats() -> None:
    state = schemas.SessionState.model_validate(
        {"iteration": 2, "cursor": 0, "weights": [[[1.0]]], "losses": [0.5, "Infinity"]}
    )

    assert state.to_engine()["losses"] == [0.5, math.inf]


def test_the_exported_example_restores_a_session() -> None:
    body = schemas.SessionCreate.model_validate(schemas.EXPORTED_EXAMPLE)

    session = Session.from_document(body.to_document())

    assert (session.iteration, session.cursor) == (1, 2)


def test_the_current_step_number_is_the_one_the_engine_shows() -> None:
    session = Session.create(preset("xor").spec, history_limit=1)
    moves = ["step"] * 7 + ["back"] * 3 + ["train", "back", "reset", "step", "back"]
    for move in moves:
        getattr(session, move)(*([2] if move == "train" else []))
        shown = session.current()

        assert schemas.current_step_number(session) == (
            None if shown is None else shown[0].index + 1
        )


@pytest.fixture
def openapi(client: TestClient) -> dict[str, Any]:
    return dict(client.get("/openapi.json").json())


def test_every_field_of_every_model_is_described(openapi: dict[str, Any]) -> None:
    undescribed = [
        f"{name}.{field}"
        for name, schema in openapi["components"]["schemas"].items()
        for field, spec in schema.get("properties", {}).items()
        if not spec.get("description")
    ]

    assert undescribed == []


def test_every_parameter_is_described(openapi: dict[str, Any]) -> None:
    undescribed = [
        f"{path} {parameter['name']}"
        for path, item in openapi["paths"].items()
        for operation in item.values()
        for parameter in operation.get("parameters", [])
        if not parameter.get("description")
    ]

    assert undescribed == []


def test_every_request_body_has_a_realistic_example(openapi: dict[str, Any]) -> None:
    bodies = {
        f"{method.upper()} {path}": operation["requestBody"]["content"]["application/json"]
        for path, item in openapi["paths"].items()
        for method, operation in item.items()
        if "requestBody" in operation
    }
    models = openapi["components"]["schemas"]

    def examples(media: dict[str, Any]) -> list[Any]:
        model = models[media["schema"]["$ref"].rsplit("/", 1)[1]]
        listed = [e["value"] for e in media.get("examples", {}).values()]
        return listed + model.get("examples", [])

    assert set(bodies) >= {
        "POST /api/trace",
        "POST /api/sessions",
        "POST /api/sessions/{session_id}/train",
        "POST /api/sessions/{session_id}/goto",
    }
    assert all(examples(media) for media in bodies.values())
    assert preset("xor").spec in examples(bodies["POST /api/trace"])
    assert any("state" in example for example in examples(bodies["POST /api/sessions"]))


def test_the_docs_page_is_served(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200


def test_a_typed_array_is_plotlys_form_of_the_float64_entries_row_by_row() -> None:
    value = np.array([[1.0, -0.0, math.inf], [math.nan, 2.5e-300, -7.0]])

    typed = schemas.TypedArray.from_array(value.T.copy().T)  # not C-contiguous: still row-major

    assert (typed.dtype, typed.shape) == ("f8", "2, 3")
    assert base64.b64decode(typed.bdata) == value.astype("<f8").tobytes()


def answers_of(name: str, encoding: schemas.Encoding) -> list[BaseModel]:
    """A trace, a move and a step read of preset `name` three steps in."""
    session = Session.create(preset(name).spec)
    for _ in range(3):
        session.step()
    shown = session.current()
    assert shown is not None
    return [
        schemas.Trace.from_engine(session.trace(), encoding),
        schemas.MoveAnswer.from_engine("id", session, shown, encoding),
        schemas.StepWithTensors.from_engine(*shown, encoding),
    ]


@pytest.mark.parametrize("name", ["xor", "paper-1d-chain", "qa-one-hidden"])
def test_typed_arrays_are_written_byte_for_byte_as_pydantic_writes_them(name: str) -> None:
    for answer in answers_of(name, "binary"):
        written = schemas.TypeAdapter(type(answer)).dump_json(answer)
        assert schemas.dump_json(answer) == written
        assert b"bdata" in written and b"\\u0000" not in written


@pytest.mark.parametrize("name", ["xor", "paper-1d-chain", "qa-one-hidden"])
def test_lists_written_fast_hold_the_same_numbers_bit_for_bit(name: str) -> None:
    for answer in answers_of(name, "json"):
        written = schemas.TypeAdapter(type(answer)).dump_json(answer)
        fast = schemas.dump_json(answer)
        assert json.loads(fast) == json.loads(written)
        assert b"\\u0000" not in fast


def test_lists_with_non_finite_entries_are_written_by_pydantic_as_strings() -> None:
    value = np.array([[1.0, math.inf], [math.nan, -math.inf]])
    tensor = schemas.Tensor.from_engine(Tensor("D1", "D_{1}", value))
    finite = schemas.Tensor.from_engine(Tensor("D2", "D_{2}", np.eye(2)))
    trace = schemas.Trace.model_construct(
        step_count=0, loss=1.0, steps=[], tensors={"D1": tensor, "D2": finite}
    )

    written = json.loads(schemas.dump_json(trace))

    assert written["tensors"]["D1"]["data"] == [[1.0, "Infinity"], ["NaN", "-Infinity"]]
    assert written["tensors"]["D2"]["data"] == [[1.0, 0.0], [0.0, 1.0]]
