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
