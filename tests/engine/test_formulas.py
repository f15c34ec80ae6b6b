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
from app.engine.formulas import column_symbol

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
    assert backward.formulas[1].latex == r"\nabla W_{2}^{T} = \Sigma_{1}\,\Delta_{2}^{T}"
    t = rows.tensors
    h, delta = t["Sigma1"].value, t["Delta2"].value
    np.testing.assert_allclose(t["gradW2"].value, h.T @ delta, rtol=1e-14)


def test_the_forward_formula_is_h_w_plus_b() -> None:
    _, _, rows = both_views("xor")
    forward = rows.steps[1].formulas[0]
    assert forward.latex == r"N_{2}^{T} = \Sigma_{1}^{T}\,W_{2}^{T} + \mathbf{1}\,b_{2}^{T}"
    assert forward.shape_algebra == "(4×4) · (4×1) + (4×1) · (1×1) → (4×1)"


def test_the_hidden_delta_multiplies_by_w_untransposed() -> None:
    _, _, rows = both_views("xor")
    delta = rows.steps[4].formulas[0]
    assert delta.latex == r"\Delta_{1}^{T} = (\Delta_{2}^{T}\,W_{2}) \circ \Sigma_{1}'^{T}"
    assert delta.shape_algebra == "((4×1) · (4×1)ᵀ → (4×4)) ∘ (4×4) → (4×4)"


@pytest.mark.parametrize(
    ("name", "transposed", "latex"),
    [
        ("W2", True, "W_{2}^{T}"),
        ("SigmaPrime1", False, r"\Sigma'_{1}"),
        ("SigmaPrime1", True, r"\Sigma_{1}'^{T}"),
        ("J", True, "J"),
        ("gradW3", False, r"\nabla W_{3}"),
        ("b1_new", True, r"(b_{1}^{T})^{\text{new}}"),
    ],
)
def test_symbols_mark_the_transpose_once(name: str, transposed: bool, latex: str) -> None:
    assert column_symbol(name, transposed=transposed) == latex


def test_the_embedded_network_is_written_with_hats() -> None:
    example = preset("xor")
    hat = shown(example, Notation("column", "homogeneous"))
    assert hat.tensors["W1"].latex == r"\hat{W}_{1}"
    assert hat.tensors["X"].latex == r"\hat{X}"
    assert hat.steps[0].formulas[0].latex == r"N_{1} = \hat{W}_{1}\,\hat{X}"
    assert hat.steps[4].formulas[1].latex == r"\nabla \hat{W}_{1} = \Delta_{1}\,\hat{X}^{T}"


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
            assert formula.expression["latex"] == formula.latex
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
