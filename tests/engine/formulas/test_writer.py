"""Every formula line is described once and written in each notation: the row convention is the
column one transposed, with the Q&A's forms; the expression tree names real tensors."""

from __future__ import annotations

import json
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
    row_convention,
    trace_iteration,
)

NOTATIONS = [
    Notation(),
    Notation("row"),
    Notation("column", "homogeneous"),
    Notation("row", "homogeneous"),
]


def both_views(preset_id: str):
    network = Network.from_spec(preset(preset_id).spec)
    column = trace_iteration(network, network.initial_parameters())
    return network, column, row_convention(column)


def shown(example, notation: Notation):
    network = Network.from_spec(example.spec)
    trace = trace_iteration(network, network.initial_parameters())
    if notation.view == "homogeneous":
        if not network.bias:
            pytest.skip("nothing to embed")
        trace = embedded_trace(network, trace)[1]
    return notate(trace, notation)


@pytest.mark.parametrize("example", presets(), ids=lambda p: p.id)
def test_every_tensor_is_the_transpose_of_its_column_form(example) -> None:
    _, column, rows = both_views(example.id)
    assert rows.tensors.keys() == column.tensors.keys()
    for name, tensor in column.tensors.items():
        np.testing.assert_array_equal(rows.tensors[name].value, tensor.value.T)


@pytest.mark.parametrize("example", presets(), ids=lambda p: p.id)
def test_every_step_keeps_its_place_and_names(example) -> None:
    _, column, rows = both_views(example.id)
    for a, b in zip(column.steps, rows.steps, strict=True):
        assert (a.phase, a.layer, a.results, a.operands) == (
            b.phase,
            b.layer,
            b.results,
            b.operands,
        )
        assert len(a.formulas) == len(b.formulas)
        for name, (r, c) in a.shapes.items():
            assert b.shapes[name] == (c, r) == rows.tensors[name].shape


def test_the_weight_gradient_reads_sigma_times_delta_transposed_with_no_double_transpose() -> None:
    _, _, rows = both_views("qa-one-hidden")
    backward = rows.steps[3]
    assert backward.formulas[1].latex == r"\nabla W_{2}^{T} = \Sigma_{1} \cdot \Delta_{2}^{T}"
    t = rows.tensors
    h, delta = t["Sigma1"].value, t["Delta2"].value
    np.testing.assert_allclose(t["gradW2"].value, h.T @ delta, rtol=1e-14)


def test_the_forward_formula_is_h_w_plus_b() -> None:
    _, _, rows = both_views("xor")
    forward = rows.steps[1].formulas[0]
    assert (
        forward.latex == r"N_{2}^{T} = \Sigma_{1}^{T} \cdot W_{2}^{T} + \mathbf{1} \cdot b_{2}^{T}"
    )
    assert forward.shape_algebra == "(4×4) · (4×1) + (4×1) · (1×1) → (4×1)"


def test_the_hidden_delta_multiplies_by_w_untransposed() -> None:
    _, _, rows = both_views("xor")
    delta = rows.steps[4].formulas[0]
    assert delta.latex == r"\Delta_{1}^{T} = (\Delta_{2}^{T} \cdot W_{2}) \circ \Sigma_{1}'^{T}"
    assert delta.shape_algebra == "((4×1) · (4×1)ᵀ → (4×4)) ∘ (4×4) → (4×4)"


def test_the_objective_s_shape_algebra_reads_whole_in_the_row_convention() -> None:
    _, column, rows = both_views("xor")
    assert [f.shape_algebra for f in column.steps[2].formulas] == [
        "(1×4) → (1×1), m = 4",
        "1/m·((1×4) − (1×4)) → (1×4)",
    ]
    assert [f.shape_algebra for f in rows.steps[2].formulas] == [
        "(4×1) → (1×1), m = 4",
        "1/m·((4×1) − (4×1)) → (4×1)",
    ]


def test_the_embedded_network_is_written_with_hats() -> None:
    example = preset("xor")
    hat = shown(example, Notation("column", "homogeneous"))
    assert hat.tensors["W1"].latex == r"\hat{W}_{1}"
    assert hat.tensors["X"].latex == r"\hat{X}"
    assert hat.steps[0].formulas[0].latex == r"N_{1} = \hat{W}_{1} \cdot \hat{X}"
    assert hat.steps[4].formulas[1].latex == r"\nabla \hat{W}_{1} = \Delta_{1} \cdot \hat{X}^{T}"


def leaves(node: dict[str, Any]) -> list[dict[str, Any]]:
    if node["kind"] == "tensor":
        return [node]
    found = []
    for key in ("args", "lhs", "rhs", "body", "of"):
        value = node.get(key)
        for child in value if isinstance(value, list) else [value] if value else []:
            found += leaves(child)
    return found


@pytest.mark.parametrize("notation", NOTATIONS, ids=lambda n: f"{n.convention}-{n.view}")
@pytest.mark.parametrize("example", presets(), ids=lambda p: p.id)
def test_every_factor_of_every_tree_is_a_tensor_of_its_step_at_its_shape(
    example, notation: Notation
) -> None:
    trace = shown(example, notation)
    for step in trace.steps:
        tensors = trace.step_tensors(step.index)
        for formula in step.formulas:
            assert formula.latex.startswith(formula.expression["latex"])  # + numbers, 1-D chain
            json.dumps(formula.expression)  # plain JSON
            for leaf in leaves(formula.expression):
                rows, cols = tensors[leaf["name"]].shape
                assert leaf["shape"] == ([cols, rows] if leaf["transpose"] else [rows, cols])


@pytest.mark.parametrize("notation", NOTATIONS, ids=lambda n: f"{n.convention}-{n.view}")
@pytest.mark.parametrize("example", presets(), ids=lambda p: p.id)
def test_no_formula_writes_a_double_transpose(example, notation: Notation) -> None:
    trace = shown(example, notation)
    written = [f.latex for s in trace.steps for f in s.formulas]
    written += [t.latex for t in trace.tensors.values()]
    for latex in written:
        assert ")^{T}" not in latex.replace(r"\text{new}})^{T}", ""), latex
        assert "^{T}^{T}" not in latex and "^{T})^{T}" not in latex, latex


def qa(spec_changes: dict[str, Any] | None = None):
    network = Network.from_spec(preset("qa-one-hidden").spec | (spec_changes or {}))
    trace = trace_iteration(network, network.initial_parameters())
    return notate(trace, Notation("row", "affine", "qa"))


def test_the_qa_names_write_its_formulas_verbatim() -> None:
    trace = qa()  # one sample, as in the Q&A
    lines = {s.title: [f.latex for f in s.formulas] for s in trace.steps}
    assert lines["Forward, layer 2"] == ["HW + B", "Y = f(HW + B)", "f'(HW + B)"]
    assert lines["Objective and its gradient"] == [
        r"J = \frac{1}{2}\,(Y - Y^{*})(Y - Y^{*})^{T}",
        "Y - Y^{*}",
    ]
    assert lines["Backward, layer 2"] == [
        r"(Y - Y^{*}) \circ f'(HW + B)",
        r"\frac{\partial J}{\partial W} = H^{T}((Y - Y^{*}) \circ f'(HW + B))",
        r"\frac{\partial J}{\partial B} = (Y - Y^{*}) \circ f'(HW + B)",
    ]
    names = {name: t.latex for name, t in trace.tensors.items()}
    assert (names["Sigma1"], names["W2"], names["b2"], names["Sigma2"], names["Y"]) == (
        "H",
        "W",
        "B",
        "Y",
        "Y^{*}",
    )


def test_the_qa_names_draw_every_factor_from_a_tensor() -> None:
    formula = qa().steps[3].formulas[1]  # ∂J/∂W = Hᵀ((Y − Y*) ∘ f′(HW + B))
    named = [(leaf["name"], leaf["transpose"]) for leaf in leaves(formula.expression)]
    assert named == [
        ("gradW2", False),
        ("Sigma1", True),
        ("Sigma2", False),
        ("Y", False),
        ("SigmaPrime2", False),
    ]


def test_with_a_batch_the_qa_names_keep_1_over_m_and_say_so_next_to_j() -> None:
    trace = qa({"inputs": [[0.5, -0.2, 0.1], [1, 2, 3]], "targets": [[1, 0], [0, 1]]})
    objective = trace.steps[2].formulas[0]
    assert objective.latex.startswith(r"J = \frac{1}{2m}\,\sum_{j=1}^{m} (Y[j,:] - Y^{*}[j,:])")
    assert objective.note is not None and "no 1/m" in objective.note
    assert trace.steps[3].formulas[1].latex == (
        r"\frac{\partial J}{\partial W} = "
        r"H^{T}(\frac{1}{m}\,(Y - Y^{*}) \circ f'(HW + \mathbf{1}B))"
    )


def test_the_1d_chain_reads_as_the_papers_scalar_formulas_with_its_numbers() -> None:
    network = Network.from_spec(preset("paper-1d-chain").spec)  # w = 0.8, −1.2, 0.6; x = 0.5
    trace = trace_iteration(network, network.initial_parameters())
    backward = {
        s.layer: [f.latex for f in s.formulas] for s in trace.steps if s.phase == "backward"
    }
    assert backward[2][0] == r"\Delta_{2} = \Delta_{3}\,w_{3}\,\sigma'_{2}"
    assert backward[2][1] == r"\nabla_{w_{2}} f = \Delta_{2}\,\sigma_{1}"
    product, _, numbers = backward[1][2].partition(" = ")[2].partition(" = ")
    assert backward[1][2].startswith(r"\nabla_{w_{1}} f = ")
    assert product == r"\sigma'_{3}\,w_{3}\,\sigma'_{2}\,w_{2}\,\sigma'_{1}\,x"
    # The numbers, worked by hand from the spec: σ = sigmoid, tanh, sigmoid.
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    s1 = sig(0.8 * 0.5)
    s2 = np.tanh(-1.2 * s1)
    n3 = 0.6 * s2
    d3, d2, d1 = sig(n3) * (1 - sig(n3)), 1 - s2**2, s1 * (1 - s1)
    factors, value = numbers.split(" = ")
    written = [float(v.strip("()")) for v in factors.split(r" \cdot ")]
    np.testing.assert_allclose(written, [d3, 0.6, d2, -1.2, d1, 0.5], rtol=5e-4)
    np.testing.assert_allclose(float(value), d3 * 0.6 * d2 * -1.2 * d1 * 0.5, rtol=5e-4)
    assert float(value) == pytest.approx(trace.tensors["gradW1"].value[0, 0], rel=5e-4)


def operators(node: dict[str, Any]) -> list[str]:
    """Every operation's `op` in an expression tree, in the order written."""
    children = [node[key] for key in ("lhs", "rhs", "body", "of") if key in node]
    children += node.get("args", [])
    own = [node["op"]] if node["kind"] == "operation" else []
    return own + [op for child in children for op in operators(child)]


@pytest.mark.parametrize("convention", ["column", "row"])
def test_the_1d_chain_s_expressions_multiply_numbers_side_by_side_as_its_formulas(
    convention: str,
) -> None:
    network = Network.from_spec(preset("paper-1d-chain").spec)
    trace = notate(trace_iteration(network, network.initial_parameters()), Notation(convention))
    backward = [s for s in trace.steps if s.phase == "backward"]
    written = [operators(f.expression) for s in backward for f in s.formulas]
    assert all(ops and set(ops) == {"times"} for ops in written), written
    delta2 = next(s for s in backward if s.layer == 2).formulas[0].expression
    assert delta2["rhs"]["latex"] == r"\Delta_{3}\,w_{3}\,\sigma'_{2}"
    back_signal = delta2["rhs"]["args"][0]  # Δ₃ w₃, a sub-result written without brackets
    assert (back_signal["kind"], back_signal["brackets"]) == ("group", False)
    weight = back_signal["body"]["args"][1]  # w₃, a number: never drawn transposed
    assert (weight["name"], weight["transpose"]) == ("W3", False)


def test_a_chain_with_a_batch_is_not_written_in_scalars() -> None:
    spec = preset("paper-1d-chain").spec | {"inputs": [[0.5], [1.0]]}
    network = Network.from_spec(spec)
    trace = trace_iteration(network, network.initial_parameters())
    assert trace.steps[4].formulas[0].latex == r"\Delta_{3} = G \circ \Sigma'_{3}"
