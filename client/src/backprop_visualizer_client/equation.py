"""A formula line drawn from its expression tree (the `expression` of a step's formula): each
tensor factor a heatmap at the shape it has in the formula (transposed where the formula
transposes it), operators, brackets and functions between them, in the order written.

The tree's JSON is the server's (`Formula.expression` in its schema): `equation`, `tensor`,
`ones`, `scalar`, `operation`, `apply`, `group`, `entry`, `sum` and `norm` nodes, each with its
own `latex` and `shape`. This module only lays the nodes out; the heatmaps and the MathML are
made by the functions it is given.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["SIGNS", "Figure", "Math", "draw"]

SIGNS = {
    "matmul": "·",
    "hadamard": "∘",
    "add": "+",
    "subtract": "−",
    "bullet": "•",
    "kronecker": "⊗",
    "scale": "",
    "times": "",
}
"""How each operation is written between its two operands (`scale` and `times`, numbers
multiplied in the 1-D chain: side by side)."""

Figure = Callable[[str, bool, str], str]
"""`figure(name, transposed, latex)`: the heatmap of tensor `name` (transposed or not), under
the symbol `latex`."""
Math = Callable[[str], str]
"""`math(latex)`: `latex` as inline MathML."""


def sign(text: str) -> str:
    """An operator, bracket or equals sign between the figures."""
    return f'<span style="font-size:20px;padding:0 2px" aria-hidden="true">{text}</span>'


def draw(
    node: Mapping[str, Any], tensors: Mapping[str, object], figure: Figure, math: Math
) -> list[str]:
    """The HTML pieces of `node`, in the order the formula writes them."""
    kind = node.get("kind")

    def inner(child: Mapping[str, Any]) -> list[str]:
        return draw(child, tensors, figure, math)

    if kind == "equation":
        return [*inner(node["lhs"]), sign("="), *inner(node["rhs"])]
    if kind == "tensor":
        if node["name"] in tensors:
            return [figure(node["name"], bool(node.get("transpose")), node["latex"])]
        return [math(node["latex"])]
    if kind == "operation":
        first, second = node["args"]
        between = SIGNS.get(node["op"], node["op"])
        return [*inner(first), *([sign(between)] if between else []), *inner(second)]
    if kind == "group":
        body = inner(node["body"])
        return [sign("("), *body, sign(")")] if node.get("brackets") else body
    if kind == "apply":
        (argument,) = node["args"]
        return [math(node["function"]), sign("("), *inner(argument), sign(")")]
    if kind == "entry":
        of = node["of"]
        if of["name"] in tensors:
            return [figure(of["name"], bool(of.get("transpose")), node["latex"])]
        return [math(node["latex"])]
    if kind == "sum":
        limits = "" if node.get("lower") is None else f"_{{{node['index']}={node['lower']}}}"
        if node.get("upper") is not None:
            limits += f"^{{{node['upper']}}}"
        if not limits:
            limits = f"_{{{node['index']}}}"
        return [math(r"\sum" + limits), *inner(node["body"])]
    if kind == "norm":
        return [sign("‖"), *inner(node["body"]), sign("‖²")]
    return [math(str(node.get("latex", "")))]  # ones, scalars: their symbol
