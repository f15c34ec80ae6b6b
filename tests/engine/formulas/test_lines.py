"""Each described line, evaluated with numpy from its tree, gives the tensor it says it computes:
the step lines, and the paper's formulas (3), (4), (5) written out for every layer."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from app.engine import Network, preset, presets, trace_iteration
from app.engine.formulas import (
    Apply,
    Entry,
    Equation,
    Group,
    Leaf,
    Node,
    Norm,
    Ones,
    Op,
    Scalar,
    Sum,
    gradient_form_lines,
)


def evaluate(node: Node, tensors: dict[str, np.ndarray], j: int | None = None) -> Any:
    """The value of a tree (column convention); `j` is the sample a per-sample sum is at."""
    match node:
        case Leaf(name, t):
            return tensors[name].T if t else tensors[name]
        case Ones(count, t):
            return np.ones((1, count)) if t else np.ones((count, 1))
        case Scalar(_, value):
            return value
        case Op(op, (a, b)):
            x, y = evaluate(a, tensors, j), evaluate(b, tensors, j)
            return {
                "matmul": lambda: x @ y,
                "bullet": lambda: y @ x,
                "hadamard": lambda: x * y,
                "add": lambda: x + y,
                "subtract": lambda: x - y,
                "kronecker": lambda: np.kron(x, y),
                "scale": lambda: x * y,
            }[op]()
        case Apply("diag", arg):
            return np.diag(evaluate(arg, tensors, j)[:, 0])
        case Group(body):
            return evaluate(body, tensors, j)
        case Entry(of, row, col):
            value = evaluate(of, tensors, j)
            rows = slice(None) if row == ":" else slice(j, j + 1)
            cols = slice(None) if col == ":" else slice(j, j + 1)
            return value[rows, cols]
        case Sum("j", _, "m", body):
            m = tensors["X"].shape[1]
            return sum(evaluate(body, tensors, sample) for sample in range(m))
        case Norm(body):
            value = evaluate(body, tensors, j)
            return float((value * value).sum())
    raise TypeError(node)


def traced(example_id: str):
    network = Network.from_spec(preset(example_id).spec)
    trace = trace_iteration(network, network.initial_parameters())
    return network, {name: t.value for name, t in trace.tensors.items()}, trace


@pytest.mark.parametrize("example", presets(), ids=lambda p: p.id)
def test_every_form_of_every_layer_evaluates_to_the_engines_gradient(example) -> None:
    network, tensors, _ = traced(example.id)
    for i in range(1, network.depth + 1):
        for name, lines in gradient_form_lines(i, network.depth).items():
            for line in lines:
                assert isinstance(line.tree, Equation)
                value = evaluate(line.tree.rhs, tensors)
                np.testing.assert_allclose(
                    value, tensors[line.result], rtol=1e-10, atol=1e-14, err_msg=f"{name} {i}"
                )


@pytest.mark.parametrize("example", presets(), ids=lambda p: p.id)
def test_every_step_line_that_is_algebra_evaluates_to_its_result(example) -> None:
    _, tensors, trace = traced(example.id)
    for step in trace.steps:
        for line in step.lines:
            if any(isinstance(n, Apply | Sum) for n in _nodes(line.tree.rhs)):
                continue  # σ, softmax and J are the engine's own functions
            np.testing.assert_allclose(
                evaluate(line.tree.rhs, tensors),
                tensors[line.result],
                rtol=1e-10,
                atol=1e-14,
                err_msg=f"{step.title}: {line.description}",
            )


def _nodes(node: Node) -> list[Node]:
    found: list[Node] = [node]
    match node:
        case Op(_, (a, b)):
            found += _nodes(a) + _nodes(b)
        case Group(body) | Norm(body) | Sum(_, _, _, body) | Apply(_, body):
            found += _nodes(body)
    return found
