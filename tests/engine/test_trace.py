"""An iteration's trace: 2k + 2 steps in MATH.md's order, every tensor named and shaped."""

from __future__ import annotations

import numpy as np
import pytest

from app.engine import Network, preset, presets, step_count, trace_iteration


def xor_trace():
    network = Network.from_spec(preset("xor").spec)
    return network, trace_iteration(network, network.initial_parameters())


def test_steps_follow_the_order_forward_objective_backward_update() -> None:
    _, trace = xor_trace()
    order = [(s.phase, s.layer) for s in trace.steps]
    assert order == [
        ("forward", 1),
        ("forward", 2),
        ("objective", None),
        ("backward", 2),
        ("backward", 1),
        ("update", None),
    ]
    assert [s.index for s in trace.steps] == list(range(6))


@pytest.mark.parametrize("example", presets(), ids=lambda p: p.id)
def test_every_preset_has_2k_plus_2_steps(example) -> None:
    network = Network.from_spec(example.spec)
    trace = trace_iteration(network, network.initial_parameters())
    assert len(trace.steps) == step_count(network.depth) == 2 * network.depth + 2


def test_tensors_have_the_shapes_of_math_md() -> None:
    _, trace = xor_trace()
    shapes = {name: t.shape for name, t in trace.tensors.items()}
    assert shapes == {
        "X": (2, 4),
        "Y": (1, 4),
        "W1": (4, 2),
        "b1": (4, 1),
        "W2": (1, 4),
        "b2": (1, 1),
        "N1": (4, 4),
        "Sigma1": (4, 4),
        "SigmaPrime1": (4, 4),
        "N2": (1, 4),
        "Sigma2": (1, 4),
        "SigmaPrime2": (1, 4),
        "J": (1, 1),
        "G": (1, 4),
        "Delta2": (1, 4),
        "gradW2": (1, 4),
        "gradb2": (1, 1),
        "WTDelta1": (4, 4),
        "Delta1": (4, 4),
        "gradW1": (4, 2),
        "gradb1": (4, 1),
        "W1_new": (4, 2),
        "b1_new": (4, 1),
        "W2_new": (1, 4),
        "b2_new": (1, 1),
    }


def test_each_steps_names_and_shapes_point_at_real_tensors() -> None:
    _, trace = xor_trace()
    for step in trace.steps:
        names = (*step.operands, *step.intermediates, *step.results)
        assert names, step.title
        for name in names:
            assert step.shapes[name] == trace.tensors[name].shape
        for sub in step.substeps:
            assert sub.result in names
            assert set(sub.operands) <= set(names)


def test_a_hidden_backward_step_computes_delta_in_two_substeps() -> None:
    _, trace = xor_trace()
    step = trace.steps[4]
    assert step.results == ("Delta1", "gradW1", "gradb1")
    assert step.intermediates == ("WTDelta1",)
    assert [s.result for s in step.substeps] == ["WTDelta1", "Delta1", "gradW1", "gradb1"]
    t = trace.tensors
    np.testing.assert_array_equal(t["WTDelta1"].value, t["W2"].value.T @ t["Delta2"].value)
    np.testing.assert_array_equal(t["Delta1"].value, t["WTDelta1"].value * t["SigmaPrime1"].value)
    np.testing.assert_array_equal(t["gradW1"].value, t["Delta1"].value @ t["X"].value.T)


def test_the_shape_algebra_writes_the_actual_sizes() -> None:
    _, trace = xor_trace()
    delta = trace.steps[4].formulas[0]
    assert delta.shape_algebra == "(1×4)ᵀ · (1×4) → (4×4), ∘ (4×4) → (4×4)"
    assert r"\underbrace{W_{2}^{T}}_{4\times 1}" in delta.latex_shapes
    # Brackets around braced factors stretch to their height.
    assert delta.latex_shapes.count(r"\left(") == delta.latex_shapes.count(r"\right)") == 1
    assert trace.steps[0].formulas[0].shape_algebra == "(4×2) · (2×4) + (4×1) · (1×4) → (4×4)"


def test_formulas_use_the_papers_symbols() -> None:
    _, trace = xor_trace()
    latex = [f.latex for s in trace.steps for f in s.formulas]
    assert r"N_{1} = W_{1}\,X + b_{1}\,\mathbf{1}^{T}" in latex
    assert r"\Delta_{2} = G \circ \Sigma'_{2}" in latex
    assert r"\nabla W_{1} = \Delta_{1}\,X^{T}" in latex


def test_the_update_step_gives_the_next_parameters() -> None:
    network, trace = xor_trace()
    eta = network.spec.learning_rate
    t = trace.tensors
    np.testing.assert_array_equal(t["W1_new"].value, t["W1"].value - eta * t["gradW1"].value)
    assert trace.steps[-1].constants == {"eta": eta}


def test_softmax_trace_shows_p() -> None:
    network = Network.from_spec(preset("softmax-classifier").spec)
    trace = trace_iteration(network, network.initial_parameters())
    objective = trace.steps[network.depth]
    assert objective.results == ("P", "J", "G")
    np.testing.assert_allclose(trace.tensors["P"].value.sum(axis=0), 1.0)


def test_a_diverged_network_traces_to_non_finite_numbers_without_raising() -> None:
    spec = preset("xor").spec | {
        "weights": [[[1e200, 1e200]] * 4, [[1e200] * 4]],
        "activations": ["identity", "identity"],
    }
    network = Network.from_spec(spec)
    trace = trace_iteration(network, network.initial_parameters())
    assert not np.isfinite(trace.loss)
