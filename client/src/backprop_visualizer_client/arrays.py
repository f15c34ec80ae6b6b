"""Tensors of the API as float64 NumPy arrays, and NumPy values as JSON for requests."""

from __future__ import annotations

import base64
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["FloatArray", "jsonable", "to_array", "to_float"]

FloatArray = npt.NDArray[np.float64]

_NON_FINITE = {"Infinity": math.inf, "-Infinity": -math.inf, "NaN": math.nan}


def to_float(value: float | str) -> float:
    """A number of an answer: a JSON number, or "Infinity", "-Infinity", "NaN" (a diverged run)."""
    return _NON_FINITE[value] if isinstance(value, str) else float(value)


def to_array(tensor: Mapping[str, Any]) -> FloatArray:
    """A tensor of the API (`{"name", "latex", "shape", "data"}`) as a rows × cols float64 array.

    `data` is either nested lists of rows ("Infinity", "-Infinity" and "NaN" become inf, -inf
    and nan) or a typed array (`{"dtype": "f8", "bdata", "shape"}`, little-endian float64 in
    base64): the server's numbers bit for bit either way.
    """
    rows, cols = tensor["shape"]
    data = tensor["data"]
    if isinstance(data, Mapping):
        if data.get("dtype") != "f8":
            raise ValueError(f"tensor {tensor.get('name')}: dtype {data.get('dtype')!r}, not f8")
        entries = np.frombuffer(base64.b64decode(data["bdata"]), dtype="<f8")
        return entries.astype(np.float64).reshape(rows, cols)
    if any(isinstance(v, str) for row in data for v in row):
        data = [[to_float(v) for v in row] for row in data]
    return np.array(data, dtype=np.float64).reshape(rows, cols)


def jsonable(value: Any) -> Any:
    """`value` with NumPy arrays and scalars inside it as plain lists and numbers, so a spec or a
    prediction may hold arrays."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Mapping):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value
