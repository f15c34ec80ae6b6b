"""One matrix of the API with its key and its symbol; displays itself as a heatmap."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .arrays import FloatArray, to_array

__all__ = ["Tensor"]


@dataclass(frozen=True, eq=False)
class Tensor:
    """One matrix: its key (`Delta2`), its symbol in LaTeX (`\\Delta_{2}`) and its value, a
    rows × cols float64 array. Displays itself as a heatmap in Jupyter."""

    name: str
    latex: str
    value: FloatArray = field(repr=False)

    @classmethod
    def from_json(cls, tensor: Mapping[str, Any]) -> Tensor:
        """From the API's `{"name", "latex", "shape", "data"}`."""
        return cls(str(tensor["name"]), str(tensor["latex"]), to_array(tensor))

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, cols)."""
        rows, cols = self.value.shape
        return int(rows), int(cols)

    def __repr__(self) -> str:
        rows, cols = self.shape
        return f"Tensor({self.name!r}, {rows} × {cols})"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        from .display import tensor_bundle

        return tensor_bundle(self)
