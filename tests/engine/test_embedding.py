"""The homogeneous embedding of section 3 gives the same J and the same gradient blocks."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings

from app.engine import (
    Network,
    SpecError,
    affine_blocks,
    embedded_trace,
    parameters_of,
    to_affine,
    to_homogeneous,
    trace_iteration,
)

from .autograd import reference_gradient, relative_error
from .strategies import network_specs


@given(spec=network_specs(max_depth=4, max_width=6))
def test_embedding_keeps_j_and_the_gradient_blocks(spec: dict[str, Any]) -> None:
    spec["bias"] = True
    affine = Network.from_spec(spec)
    params = affine.initial_parameters()
    # Non-zero biases, so the bias column matters.
    params = params.unflat(params.flat() + 0.1)
    homogeneous, hat = to_homogeneous(affine, params)
    assert homogeneous.loss(hat) == pytest.approx(affine.loss(params), rel=1e-12, abs=1e-14)
    blocks = affine_blocks(homogeneous.gradient(hat), affine.layers)
    gradient = affine.gradient(params)
    assert gradient.biases is not None and blocks.biases is not None
    for got, want in zip(
        blocks.weights + blocks.biases, gradient.weights + gradient.biases, strict=True
    ):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-13)


def test_embedding_has_the_shapes_of_section_3() -> None:
    affine = Network.from_spec(
        {
            "layers": [2, 3, 1],
            "activations": ["tanh", "sigmoid"],
            "loss": "network",
            "inputs": [[0.5, -1.0]],
            "biases": [[0.1, 0.2, 0.3], [0.4]],
            "weights": [[[1, 2], [3, 4], [5, 6]], [[7, 8, 9]]],
        }
    )
    homogeneous, hat = to_homogeneous(affine, affine.initial_parameters())
    assert homogeneous.layers == (3, 4, 1)
    np.testing.assert_array_equal(
        hat.weights[0], [[1, 2, 0.1], [3, 4, 0.2], [5, 6, 0.3], [0, 0, 1]]
    )
    np.testing.assert_array_equal(hat.weights[1], [[7, 8, 9, 0.4]])
    np.testing.assert_array_equal(homogeneous.x[:, 0], [0.5, -1.0, 1.0])
    assert homogeneous.spec.activations[0][-1] == "identity"


def test_embedding_goes_back_to_the_same_affine_network() -> None:
    spec = {
        "layers": [3, 4, 2],
        "activations": ["relu", "identity"],
        "loss": "squared_error",
        "inputs": [[1, 2, 3], [0, -1, 2]],
        "targets": [[0, 1], [1, 0]],
        "seed": 9,
        "biases": [[0.1, 0.2, 0.3, 0.4], [0.5, 0.6]],
    }
    affine = Network.from_spec(spec)
    params = affine.initial_parameters()
    back, back_params = to_affine(*to_homogeneous(affine, params))
    assert back.layers == affine.layers
    assert back.spec.activations == affine.spec.activations
    np.testing.assert_array_equal(back.x, affine.x)
    assert back_params.biases is not None and params.biases is not None
    for got, want in zip(
        back_params.weights + back_params.biases, params.weights + params.biases, strict=True
    ):
        np.testing.assert_array_equal(got, want)


def test_a_network_that_breaks_condition_b_is_not_affine() -> None:
    affine = Network.from_spec(
        {"layers": [1, 2, 1], "loss": "network", "inputs": [[1.0]], "activations": "tanh"}
    )
    homogeneous, hat = to_homogeneous(affine, affine.initial_parameters())
    hat.weights[0][-1, 0] = 0.5
    with pytest.raises(SpecError) as caught:
        to_affine(homogeneous, hat)
    assert caught.value.field == "weights.0"


@settings(max_examples=25, deadline=None)
@given(spec=network_specs(max_depth=4, max_width=6))
def test_five_homogeneous_iterations_hold_the_formal_rows_and_agree_with_autograd(
    spec: dict[str, Any],
) -> None:
    spec |= {"bias": True, "learning_rate": 0.3}
    affine = Network.from_spec(spec)
    start = affine.initial_parameters()
    params = start.unflat(start.flat() + 0.1)  # b_i ≠ 0: the formal rows' gradients are not 0
    k, eta = affine.depth, 0.3
    previous = None
    for _ in range(5):
        with np.errstate(all="ignore"):
            trace = trace_iteration(affine, params)
            embedded, hat = embedded_trace(affine, trace)
        if not np.isfinite(trace.loss):
            return
        reference = reference_gradient(affine, params)
        for i in range(1, k + 1):
            w = hat.tensors[f"W{i}"].value
            grad, new = hat.tensors[f"gradW{i}"].value, hat.tensors[f"W{i}_new"].value
            rows = affine.layers[i]
            if previous is not None:  # the update's Ŵ_i^new is where the next one starts
                np.testing.assert_array_equal(w, previous[i - 1])
            np.testing.assert_array_equal(new[:rows, :-1], trace.tensors[f"W{i}_new"].value)
            np.testing.assert_array_equal(new[:rows, -1:], trace.tensors[f"b{i}_new"].value)
            np.testing.assert_array_equal(new[rows:], w[rows:])  # condition (b), held fixed
            assert relative_error(grad[:rows, :-1], reference.weights[i - 1]) <= 1e-9
            assert reference.biases is not None
            assert relative_error(grad[:rows, -1:], reference.biases[i - 1]) <= 1e-9
            moved = w - eta * grad
            moved[rows:] = w[rows:]
            np.testing.assert_allclose(new, moved, rtol=1e-10, atol=1e-12)
        previous = [hat.tensors[f"W{i}_new"].value for i in range(1, k + 1)]
        params = parameters_of(trace, new=True)


def test_an_embedded_networks_own_update_holds_its_formal_rows() -> None:
    affine = Network.from_spec(
        {
            "layers": [2, 3, 1],
            "activations": ["tanh", "identity"],
            "inputs": [[1.0, 2.0]],
            "loss": "network",
            "biases": [[0.5, -0.5, 1.0], [2.0]],
            "seed": 1,
        }
    )
    embedded, hat = to_homogeneous(affine, affine.initial_parameters())
    gradient = embedded.gradient(hat)
    assert gradient.weights[0][-1].any()
    updated = embedded.update(hat, gradient)
    np.testing.assert_array_equal(updated.weights[0][-1], [0.0, 0.0, 1.0])
    assert not np.array_equal(updated.weights[1], hat.weights[1])  # Ŵ_k has no formal row
