"""Numbers in formulas: a value in LaTeX, and a product of scalars written out with its numbers
(the 1-D chain's formula (2))."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from .writer import Formula


def number_tex(value: float) -> str:
    """A number in LaTeX, 4 significant digits: `0.25`, `-1.2\\times 10^{-5}`, `\\infty`."""
    if value != value:
        return r"\mathrm{NaN}"
    if value in (float("inf"), float("-inf")):
        return r"\infty" if value > 0 else r"-\infty"
    text = f"{value:.4g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa}\times 10^{{{int(exponent)}}}"
    return text


def factor_tex(value: float) -> str:
    """A number as a factor of a product: in parentheses when negative."""
    return f"({number_tex(value)})" if value < 0 else number_tex(value)


def _tensor_leaves(node: dict[str, Any]) -> list[str]:
    if node["kind"] == "tensor":
        return [node["name"]]
    found: list[str] = []
    for key in ("args", "lhs", "rhs", "body", "of"):
        value = node.get(key)
        for child in value if isinstance(value, list) else [value] if value else []:
            found += _tensor_leaves(child)
    return found


def with_numbers(formula: Formula, value: Callable[[str], float]) -> Formula:
    """A product of scalars written out with its numbers and its value, e.g.
    ∇_{w_1} f = σ'_3 w_3 σ'_2 w_2 σ'_1 x = 0.25 · 0.6 · … = −0.01; `value(name)` reads a 1 × 1
    tensor of the iteration."""
    expression = formula.expression
    factors = _tensor_leaves(expression["rhs"] if expression["kind"] == "equation" else expression)
    written = r" \cdot ".join(factor_tex(value(name)) for name in factors)
    tail = f" = {written} = {number_tex(value(formula.result))}"
    return dataclasses.replace(
        formula, latex=formula.latex + tail, latex_shapes=formula.latex_shapes + tail
    )
