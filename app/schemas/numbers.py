"""Numbers in the API: how a float that is not finite is written, and which numbers requests take.

A response writes a non-finite number (a diverged run) as the string "Infinity", "-Infinity" or
"NaN", which Python's `float()` reads back. Requests carry finite numbers only, except the
`state` of an exported session, which is taken back as it was exported, a diverged run's
strings included.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import BeforeValidator, FiniteFloat, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

FloatArray = npt.NDArray[np.float64]

NonFinite = Literal["Infinity", "-Infinity", "NaN"]
JsonFloat = float | NonFinite
"""A number in a response: finite as a JSON number, else one of the three strings."""

_NON_FINITE: dict[str, float] = {"Infinity": math.inf, "-Infinity": -math.inf, "NaN": math.nan}


def encode_float(value: float) -> JsonFloat:
    """`value`, or its name as a string when it is not finite."""
    if math.isfinite(value):
        return value
    if math.isnan(value):
        return "NaN"
    return "Infinity" if value > 0 else "-Infinity"


def encode_matrix(value: FloatArray) -> list[list[JsonFloat]]:
    """A 2-D array (rows × cols) as a list of rows, non-finite entries as strings."""
    rows: list[list[JsonFloat]] = value.tolist()
    if np.isfinite(value).all():
        return rows
    return [[encode_float(float(v)) for v in row] for row in rows]


def encode_floats(values: list[float]) -> list[JsonFloat]:
    """A list of floats, non-finite ones as strings."""
    return [encode_float(v) for v in values]


def encode_nested(value: Any) -> Any:
    """Floats inside lists and dicts (any depth, as in the engine's documents), encoded."""
    if isinstance(value, float):
        return encode_float(value)
    if isinstance(value, list):
        return [encode_nested(v) for v in value]
    if isinstance(value, dict):
        return {k: encode_nested(v) for k, v in value.items()}
    return value


Matrix = list[list[FiniteFloat]]
"""A matrix in a request: a list of rows of finite numbers."""


def _state_number(value: object) -> float:
    """A finite number, or one of the three strings as the float it stands for."""
    if type(value) is float and value - value == 0.0:  # the common case first: finite floats
        return value
    if isinstance(value, str) and value in _NON_FINITE:
        return _NON_FINITE[value]
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    raise PydanticCustomError(
        "state_number", 'must be a finite number, or "Infinity", "-Infinity" or "NaN"'
    )


StateNumber = Annotated[
    float,
    PlainValidator(_state_number),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"enum": list(_NON_FINITE)}]}),
]
"""A number of a session's state as export returns it: a diverged run's weights and losses
may be "Infinity", "-Infinity" or "NaN", and the session is restored with them."""

StateMatrix = list[list[StateNumber]]


def _whole(value: object) -> object:
    """A number with no fraction written as a float (`37936.0`) as the integer it is: JSON
    Schema's `integer`, which the OpenAPI schema says, takes it. Anything else as it came, for
    the strict check (`true` and `"3"` stay refused; past 2^63 a float stays a float, which
    the 422 then calls too large)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2.0**63:
        return int(value)
    return value


WholeNumber = Annotated[int, BeforeValidator(_whole)]
"""An integer of a request: `3` or `3.0`, as JSON Schema's `integer` takes both."""
