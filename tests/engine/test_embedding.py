"""The homogeneous embedding of section 3 gives the same J and the same gradient blocks."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given

from app.engine import Network, SpecError, affine_blocks, to_affine, to_homogeneous

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
