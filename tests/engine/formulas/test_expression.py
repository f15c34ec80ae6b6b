"""Every formula's `expression`, as it is sent, says what the numbers are: evaluated with numpy
from the tensors as they are sent in the same notation (transposed in the row convention, the
embedded network's in the homogeneous view, the Q&A's names), it gives the tensor the line
computes. So a reader of the tree (the page's equation view, a student's script) can rebuild every
step, and each of the paper's forms (3), (4), (5), from the tree and the tensors alone."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from app.engine import (
    Network,
    Notation,
    embedded_trace,
    notate,
    preset,
    presets,
    trace_context,
    trace_iteration,
)
from app.engine.formulas import gradient_form_lines, qa_names_fit, write

from .test_writer import NOTATIONS as PAPERS_NOTATIONS

NOTATIONS = [*PAPERS_NOTATIONS, Notation("row", "affine", "qa")]
"""Every notation the writer is tested in, and the Q&A's names."""


def functions(node: dict[str, Any]) -> set[str]:
    """The functions a tree applies."""
    found = {node["function"]} if node["kind"] == "apply" else set()
    for key in ("args", "lhs", "rhs", "body", "of"):
        value = node.get(key)
        for child in value if isinstance(value, list) else [value] if value else []:
            found |= functions(child)
    return found


def evaluate(node: dict[str, Any], sent: dict[str, np.ndarray], m: int, j: int | None) -> Any:
    """The value of a sent tree; `j` is the sample a sum over the batch is at."""
    kind = node["kind"]
    if kind == "tensor":
        value = sent[node["name"]]
        shape = tuple(node["shape"])
        assert value.shape == (shape[::-1] if node["transpose"] else shape)
        return value.T if node["transpose"] else value
    if kind == "ones":
        return np.ones(node["shape"])
    if kind == "scalar":
        return node["value"]
    if kind == "operation":
        a, b = (evaluate(arg, sent, m, j) for arg in node["args"])
        operations = {
            "matmul": lambda: a @ b,
            "bullet": lambda: b @ a,  # A • B = B · A
            "hadamard": lambda: a * b,
            "add": lambda: a + b,
            "subtract": lambda: a - b,
            "kronecker": lambda: np.kron(a, b),
            "scale": lambda: a * b,
            "times": lambda: a * b,  # numbers (1 × 1), the 1-D chain's
        }
        return operations[node["op"]]()
    if kind == "apply":
        assert node["function"] == r"\operatorname{diag}", "see `functions`"
        vector = evaluate(node["args"][0], sent, m, j)  # a column, or a row (row convention)
        assert 1 in vector.shape
        return np.diag(vector.ravel())
    if kind == "group":
        return evaluate(node["body"], sent, m, j)
    if kind == "entry":
        value = evaluate(node["of"], sent, m, j)
        at = {"j": j, "1": 0}  # the sample the sum is at; row 1 of a one-row tensor

        def index(i: str) -> slice:
            return slice(None) if i == ":" else slice(at[i], at[i] + 1)

        return value[index(node["row"]), index(node["col"])]
    if kind == "sum":
        assert (node["index"], node["lower"], node["upper"]) == ("j", "1", "m")
        return sum(evaluate(node["body"], sent, m, sample) for sample in range(m))
    if kind == "norm":
        value = evaluate(node["body"], sent, m, j)
        return float((value * value).sum())
    if kind == "equation":
        return evaluate(node["rhs"], sent, m, j)
    raise AssertionError(node)


@pytest.fixture
def shown(example, notation: Notation):
    """The example's iteration as it is sent in `notation`: (network, column trace, trace
    sent); the test is skipped where the notation does not fit the network."""
    network = Network.from_spec(example.spec)
    spec = network.spec
    if (notation.view == "homogeneous" and not network.bias) or (
        notation.names == "qa" and qa_names_fit(spec.layers, spec.loss, bias=spec.bias)
    ):
        pytest.skip("the notation does not fit this network")
    column = trace_iteration(network, network.initial_parameters())
    if notation.view == "homogeneous":
        network, column = embedded_trace(network, column)
    return network, column, notate(column, notation)


def assert_says(formula, sent: dict[str, np.ndarray], m: int, held=None, what="") -> None:
    """The formula's tree evaluates to its result (apart from entries held fixed)."""
    if functions(formula.expression) - {r"\operatorname{diag}"}:
        return  # σ, softmax and log are the engine's own, checked against autograd elsewhere
    value = evaluate(formula.expression, sent, m, None)
    expected = sent[formula.result]
    value = np.broadcast_to(value, expected.shape).copy()
    if held is not None:
        for r in held.rows:
            value[r - 1, :] = expected[r - 1, :]
        for c in held.cols:
            value[:, c - 1] = expected[:, c - 1]
    np.testing.assert_allclose(value, expected, rtol=1e-10, atol=1e-13, err_msg=what)


@pytest.mark.parametrize("notation", NOTATIONS, ids=str)
@pytest.mark.parametrize("example", presets(), ids=lambda p: p.id)
def test_every_step_formula_evaluates_to_its_result_as_sent(shown) -> None:
    _, column, trace = shown
    sent = {name: tensor.value for name, tensor in trace.tensors.items()}
    m = column.tensors["X"].shape[1]
    evaluated = 0
    for step in trace.steps:
        for formula in step.formulas:
            held = step.held_fixed.get(formula.result)
            assert_says(formula, sent, m, held, f"{step.title}: {formula.latex}")
            evaluated += 1
    assert evaluated >= len(trace.steps)


def test_a_formal_row_is_the_one_place_an_update_line_does_not_hold_and_is_flagged() -> None:
    network = Network.from_spec(preset("xor").spec)
    params = network.initial_parameters()
    for _ in range(3):  # b_2 ≠ 0 by now, so the formal row's blind gradient is not zero
        params = network.update(params, network.gradient(params))
    _, column = embedded_trace(network, trace_iteration(network, params))
    update = column.steps[-1]
    w1_new = next(f for f in update.formulas if f.result == "W1_new")
    sent = {name: tensor.value for name, tensor in column.tensors.items()}
    blind = evaluate(w1_new.expression, sent, 4, None)
    assert update.held_fixed["W1_new"].rows == (5,)
    assert np.abs(blind[-1] - sent["W1_new"][-1]).max() > 1e-6
    np.testing.assert_array_equal(sent["W1_new"][-1], [0.0, 0.0, 1.0])
    np.testing.assert_allclose(blind[:-1], sent["W1_new"][:-1], rtol=1e-12)


@pytest.mark.parametrize("notation", PAPERS_NOTATIONS, ids=str)
@pytest.mark.parametrize("example", presets(), ids=lambda p: p.id)
def test_each_papers_form_evaluates_to_the_gradient_as_sent(notation, shown) -> None:
    network, column, trace = shown
    context = trace_context(column)
    m = column.tensors["X"].shape[1]
    sent = {name: tensor.value for name, tensor in trace.tensors.items()}
    for i in range(1, network.depth + 1):
        for name, lines in gradient_form_lines(i, network.depth).items():
            for formula in write(lines, context, notation):
                assert_says(formula, sent, m, what=f"{name}, layer {i}: {formula.latex}")
