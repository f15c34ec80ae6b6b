"""app.schemas.requests: the request bodies' defaults are the engine's, and an export's state
(a diverged run's strings included) comes back as the engine reads it."""

from __future__ import annotations

import math
from typing import Any

import pytest

from app import schemas
from app.engine import Session, build_spec


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


@pytest.mark.parametrize(
    ("body", "taken"),
    [
        ({"iterations": 37936.0}, 37936),  # JSON Schema's integer: the schema allows it
        ({"iterations": 3}, 3),
    ],
)
def test_an_integer_may_be_written_with_a_zero_fraction(body: dict[str, Any], taken: int) -> None:
    assert schemas.TrainRequest.model_validate(body).iterations == taken


@pytest.mark.parametrize("iterations", [3.5, True, "3", 2.0**64])
def test_an_integer_of_another_type_or_with_a_fraction_is_refused(iterations: Any) -> None:
    with pytest.raises(ValueError):
        schemas.TrainRequest.model_validate({"iterations": iterations})


def test_widths_written_with_a_zero_fraction_build_the_same_network() -> None:
    spec = {"layers": [2.0, 4.0, 1.0], "inputs": [[0.0, 1.0]], "targets": [[1.0]], "seed": 7.0}
    whole = {"layers": [2, 4, 1], "inputs": [[0.0, 1.0]], "targets": [[1.0]], "seed": 7}

    assert schemas.NetworkSpec.model_validate(spec) == schemas.NetworkSpec.model_validate(whole)
