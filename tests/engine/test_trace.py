"""An iteration's trace: 2k + 2 steps in MATH.md's order, every tensor named and shaped."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from typing import Any

import numpy as np
import pytest
from hypothesis import given

from app.engine import (
    Network,
    Parameters,
    Tensor,
    preset,
    presets,
    row_convention,
    step_count,
    trace_iteration,
)

from .strategies import network_specs


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
    assert delta.shape_algebra == "((1×4)ᵀ · (1×4) → (4×4)) ∘ (4×4) → (4×4)"
    assert r"\underbrace{W_{2}^{T}}_{4\times 1}" in delta.latex_shapes
    # Brackets around braced factors stretch to their height.
    assert delta.latex_shapes.count(r"\left(") == delta.latex_shapes.count(r"\right)") == 1
    assert trace.steps[0].formulas[0].shape_algebra == "(4×2) · (2×4) + (4×1) · (1×4) → (4×4)"


@pytest.mark.parametrize("example", presets(), ids=lambda p: p.id)
def test_every_formula_with_sizes_is_the_same_equation_its_result_under_a_brace(example) -> None:
    network = Network.from_spec(example.spec)
    trace = trace_iteration(network, network.initial_parameters())

    if all(t.shape == (1, 1) for t in trace.tensors.values()):
        pytest.skip("the 1-D chain is written in numbers, which have no sizes to write")
    for shown in (trace, row_convention(trace)):
        for step in shown.steps:
            for formula in step.formulas:
                result, _, _ = formula.latex_shapes.partition(" = ")
                assert result.startswith(r"\underbrace{"), formula.latex_shapes
                assert "=" not in result, formula.latex_shapes


def test_formulas_use_the_papers_symbols() -> None:
    _, trace = xor_trace()
    latex = [f.latex for s in trace.steps for f in s.formulas]
    assert r"N_{1} = W_{1} \cdot X + b_{1} \cdot \mathbf{1}^{T}" in latex
    assert r"\Delta_{2} = G \circ \Sigma'_{2}" in latex
    assert r"\nabla W_{1} = \Delta_{1} \cdot X^{T}" in latex


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


@given(spec=network_specs())
def test_every_tensor_is_a_float64_matrix_with_the_shape_its_steps_give(spec) -> None:
    # The trace converts values to float64 only when an input is not float64: everything the
    # engine computes from float64 inputs must be float64 already.
    network = Network.from_spec(spec)
    trace = trace_iteration(network, network.initial_parameters())
    for name, tensor in trace.tensors.items():
        assert type(tensor.value) is np.ndarray, name
        assert tensor.value.dtype == np.float64, name
        assert tensor.value.ndim == 2, name
    for step in trace.steps:
        for name, shape in step.shapes.items():
            assert trace.tensors[name].shape == shape, (step.title, name)


@given(spec=network_specs())
def test_the_tensors_are_bit_for_bit_those_of_forward_backward_and_update(spec) -> None:
    network = Network.from_spec(spec)
    params = network.initial_parameters()
    with np.errstate(all="ignore"):
        trace = trace_iteration(network, params)
        forward = network.forward(params)
        objective = network.evaluate(forward)
        backward = network.backward(params, forward, objective.gradient)
        updated = network.update(params, backward.gradient)
    expected = {"X": network.x, "J": np.array([[objective.value]]), "G": objective.gradient}
    if network.y is not None:
        expected["Y"] = network.y
    expected.update(objective.extras)
    for i in range(1, network.depth + 1):
        expected |= {
            f"W{i}": params.weights[i - 1],
            f"N{i}": forward.n[i - 1],
            f"Sigma{i}": forward.sigma[i - 1],
            f"SigmaPrime{i}": forward.sigma_prime[i - 1],
            f"Delta{i}": backward.delta[i - 1],
            f"gradW{i}": backward.gradient.weights[i - 1],
            f"W{i}_new": updated.weights[i - 1],
        }
        if i < network.depth:
            expected[f"WTDelta{i}"] = backward.back_signal[i - 1]
        if params.biases is not None:
            assert backward.gradient.biases is not None and updated.biases is not None
            expected |= {
                f"b{i}": params.biases[i - 1],
                f"gradb{i}": backward.gradient.biases[i - 1],
                f"b{i}_new": updated.biases[i - 1],
            }
    assert set(trace.tensors) == set(expected)
    for name, value in expected.items():
        np.testing.assert_array_equal(trace.tensors[name].value, value, err_msg=name)


@pytest.mark.parametrize("dtype", [np.float32, np.int64], ids=lambda d: d.__name__)
def test_parameters_that_are_not_float64_are_traced_as_their_float64_values(dtype) -> None:
    network = Network.from_spec(preset("xor").spec)
    params = network.initial_parameters()
    assert params.biases is not None

    def converted(arrays: tuple[np.ndarray, ...]) -> tuple[Any, ...]:
        return tuple(np.round(a * 4).astype(dtype) for a in arrays)

    odd = Parameters(converted(params.weights), converted(params.biases))
    as_float64 = Parameters(
        tuple(np.asarray(w, dtype=np.float64) for w in odd.weights),
        tuple(np.asarray(b, dtype=np.float64) for b in odd.biases or ()),
    )
    traced, expected = trace_iteration(network, odd), trace_iteration(network, as_float64)
    assert list(traced.tensors) == list(expected.tensors)
    assert traced.steps == expected.steps
    for name, tensor in traced.tensors.items():
        assert tensor.value.dtype == np.float64, name
        np.testing.assert_array_equal(tensor.value, expected.tensors[name].value, err_msg=name)


def test_tensors_are_frozen_and_survive_pickle_copy_and_replace() -> None:
    tensor = Tensor("W1", "W_{1}", np.eye(2))
    for change in (
        lambda: setattr(tensor, "value", np.zeros((2, 2))),
        lambda: setattr(tensor, "other", 1),
        lambda: delattr(tensor, "name"),
    ):
        with pytest.raises(dataclasses.FrozenInstanceError):
            change()
    for copied in (pickle.loads(pickle.dumps(tensor)), copy.deepcopy(tensor), copy.copy(tensor)):
        assert type(copied) is Tensor
        assert (copied.name, copied.latex, copied.shape) == ("W1", "W_{1}", (2, 2))
        np.testing.assert_array_equal(copied.value, tensor.value)
    hatted = dataclasses.replace(tensor, latex=r"\hat{W}_{1}")
    assert (hatted.name, hatted.latex, hatted.value) == ("W1", r"\hat{W}_{1}", tensor.value)
    assert [f.name for f in dataclasses.fields(Tensor)] == ["name", "latex", "value"]


def test_traces_of_one_structure_share_steps_and_another_batch_gets_its_own() -> None:
    spec = preset("xor").spec
    network = Network.from_spec(spec)
    first = trace_iteration(network, network.initial_parameters())
    again = trace_iteration(Network.from_spec(spec), network.initial_parameters())
    assert again.steps is first.steps
    fewer = spec | {"inputs": spec["inputs"][:3], "targets": spec["targets"][:3]}
    smaller = Network.from_spec(fewer)
    other = trace_iteration(smaller, smaller.initial_parameters())
    assert other.steps is not first.steps
    assert other.steps[0].shapes["X"] == (2, 3)
    for step in other.steps:
        for name, shape in step.shapes.items():
            assert other.tensors[name].shape == shape


@pytest.mark.parametrize(
    ("targets", "written"),
    [
        ([[0.5, 0.5, 0.0], [0.2, 0.3, 0.5]], r"G = \frac{1}{m}\,(P - Y)"),
        (
            [[0.3333333, 0.3333333, 0.3333333], [0.2, 0.3, 0.5000009]],
            r"G = \frac{1}{m}\,(P \circ (\mathbf{1} \cdot \mathbf{1}^{T} \cdot Y) - Y)",
        ),
    ],
    ids=["sums-of-one", "sums-within-the-tolerance"],
)
def test_cross_entropy_writes_the_gradient_it_computes(targets, written) -> None:
    spec = {
        "layers": [2, 3],
        "activations": ["identity"],
        "loss": "softmax_cross_entropy",
        "inputs": [[0.5, -1.0], [2.0, 0.25]],
        "targets": targets,
    }
    network = Network.from_spec(spec)
    trace = trace_iteration(network, network.initial_parameters())
    objective = trace.steps[1]
    assert objective.formulas[-1].latex == written
    t = trace.tensors
    p, y = t["P"].value, t["Y"].value
    np.testing.assert_array_equal(t["G"].value, (p * y.sum(axis=0) - y) / 2)
    rows = row_convention(trace).steps[1].formulas[-1].latex
    assert (r"(Y^{T} \cdot \mathbf{1} \cdot \mathbf{1}^{T})" in rows) == ("circ" in written)


def test_what_is_written_from_a_trace_is_written_once_and_its_bytes_counted() -> None:
    _, trace = xor_trace()
    writes: list[str] = []

    def write(text: str) -> bytes:
        writes.append(text)
        return text.encode()

    first = trace.written.get("N1", lambda: write("N1 as JSON"))
    again = trace.written.get("N1", lambda: write("N1 once more"))

    assert first is again and writes == ["N1 as JSON"]
    assert trace.written.nbytes == len(b"N1 as JSON")


def test_a_trace_made_from_another_writes_its_own() -> None:
    _, trace = xor_trace()
    trace.written.get("N1", lambda: b"[[1.0]]")

    others = [dataclasses.replace(trace, plan=("another",)), copy.deepcopy(trace)]
    others.append(pickle.loads(pickle.dumps(trace)))

    for other in others:
        assert other.written.nbytes == 0 and other.written is not trace.written
