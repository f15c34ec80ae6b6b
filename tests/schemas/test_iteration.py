"""app.schemas.iteration: a tensor's entries are rows of numbers (a diverged run's as their
names) or a typed array of float64; a shape is rows and columns; a step is of one of four
phases."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from app import schemas

TENSOR: dict[str, Any] = {"name": "D1", "latex": "D_{1}", "shape": [2, 2]}


@pytest.mark.parametrize(
    "data",
    [
        [[1.0, "Infinity"], ["NaN", "-Infinity"]],
        {"dtype": "f8", "shape": "2, 2", "bdata": "AAAAAAAA8D8="},
    ],
)
def test_a_tensors_entries_are_rows_or_a_typed_array(data: Any) -> None:
    tensor = schemas.Tensor.model_validate({**TENSOR, "data": data})

    assert tensor.model_dump(mode="json")["data"] == data


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("shape", [2, 2, 1]),
        ("data", [[None]]),
        ("data", {"dtype": "f4", "shape": "2, 2", "bdata": ""}),
        ("data", {"dtype": "f8", "shape": "2x2", "bdata": ""}),
    ],
)
def test_what_is_not_a_tensor_is_refused(field: str, value: Any) -> None:
    with pytest.raises(ValidationError):
        schemas.Tensor.model_validate({**TENSOR, "data": [[0.0]]} | {field: value})


def test_a_step_is_of_one_of_the_four_phases() -> None:
    assert set(schemas.Phase.__args__) == {"forward", "objective", "backward", "update"}
    outline = {"number": 1, "layer": None, "title": "t"}

    with pytest.raises(ValidationError):
        schemas.OutlineEntry.model_validate(outline | {"phase": "sideways"})
