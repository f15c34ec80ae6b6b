"""The row convention shows the same numbers transposed, with the Q&A's formulas."""

from __future__ import annotations

import numpy as np
import pytest

from app.engine import Network, preset, presets, row_convention, row_symbol, trace_iteration


def both_views(preset_id: str):
    network = Network.from_spec(preset(preset_id).spec)
    column = trace_iteration(network, network.initial_parameters())
    return network, column, row_convention(network, column)


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


def test_the_weight_gradient_reads_h_transpose_times_delta_as_in_the_qa() -> None:
    _, _, rows = both_views("qa-one-hidden")
    backward = rows.steps[3]
    assert backward.formulas[1].latex == r"\nabla W_{2}^{T} = (\Sigma_{1}^{T})^{T}\,\Delta_{2}^{T}"
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
    assert delta.shape_algebra == "(4×1) · (1×4) → (4×4), ∘ (4×4) → (4×4)"


@pytest.mark.parametrize(
    ("name", "latex"),
    [
        ("W2", "W_{2}^{T}"),
        ("SigmaPrime1", r"\Sigma_{1}'^{T}"),
        ("J", "J"),
        ("WTDelta1", r"\Delta_{2}^{T}\,W_{2}"),
        ("b1_new", r"(b_{1}^{T})^{\text{new}}"),
    ],
)
def test_row_symbols_mark_the_transpose(name: str, latex: str) -> None:
    assert row_symbol(name) == latex
