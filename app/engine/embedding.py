"""The affine ↔ homogeneous embedding of the paper's section 3, both ways."""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt

from .errors import SpecError
from .network import Gradient, Network, Parameters

FloatArray = npt.NDArray[np.float64]


def to_homogeneous(network: Network, params: Parameters) -> tuple[Network, Parameters]:
    """The homogeneous network equivalent to an affine one.

    X̂ = [X; 1ᵀ] ((n_0+1) × m); for i < k, Ŵ_i = [[W_i, b_i], [0 … 0, 1]] ((n_i+1) × (n_{i-1}+1))
    and the extra neuron's activation is the identity; Ŵ_k = [W_k, b_k] (n_k × (n_{k-1}+1)).
    """
    if params.biases is None:
        raise SpecError("bias", "the network is already homogeneous (no biases)")
    spec, k = network.spec, network.depth
    weights = []
    for i, (w, b) in enumerate(zip(params.weights, params.biases, strict=True)):
        block = np.hstack([w, b])
        if i < k - 1:
            formal = np.zeros((1, block.shape[1]))
            formal[0, -1] = 1.0
            block = np.vstack([block, formal])
        weights.append(block)
    layers = tuple(n + 1 for n in spec.layers[:-1]) + (spec.layers[-1],)
    activations = tuple(
        names + ("identity",) if i < k - 1 else names for i, names in enumerate(spec.activations)
    )
    inputs = np.vstack([spec.inputs, np.ones((1, spec.inputs.shape[1]))])
    homogeneous = dataclasses.replace(
        spec,
        layers=layers,
        activations=activations,
        bias=False,
        inputs=inputs,
        weights=tuple(weights),
        biases=None,
    )
    return Network(homogeneous), Parameters(tuple(weights), None)


def to_affine(network: Network, params: Parameters) -> tuple[Network, Parameters]:
    """The affine network a homogeneous one encodes under conditions (a)-(c) of section 3.

    Needs: the last input row all ones; for i < k the last row of Ŵ_i is [0 … 0, 1] and the last
    neuron's activation is the identity. Then W_i is Ŵ_i without its last column (and, for i < k,
    last row), and b_i is that last column.
    """
    spec, k = network.spec, network.depth
    if params.biases is not None:
        raise SpecError("bias", "the network is already affine (it has biases)")
    if not np.array_equal(spec.inputs[-1], np.ones(spec.inputs.shape[1])):
        raise SpecError("inputs", "the last coordinate of every input must be 1 (condition (a))")
    weights, biases = [], []
    for i, w in enumerate(params.weights):
        if i < k - 1:
            expected = np.zeros(w.shape[1])
            expected[-1] = 1.0
            if not np.array_equal(w[-1], expected):
                raise SpecError(("weights", i), "the last row must be [0, …, 0, 1] (condition (b))")
            if spec.activations[i][-1] != "identity":
                raise SpecError(
                    ("activations", i), "the last neuron must be the identity (condition (c))"
                )
            w = w[:-1]
        weights.append(w[:, :-1].copy())
        biases.append(w[:, -1:].copy())
    layers = tuple(n - 1 for n in spec.layers[:-1]) + (spec.layers[-1],)
    activations = tuple(
        names[:-1] if i < k - 1 else names for i, names in enumerate(spec.activations)
    )
    affine = dataclasses.replace(
        spec,
        layers=layers,
        activations=activations,
        bias=True,
        inputs=spec.inputs[:-1].copy(),
        weights=tuple(weights),
        biases=tuple(biases),
    )
    return Network(affine), Parameters(tuple(weights), tuple(biases))


def affine_blocks(gradient: Gradient, layers: tuple[int, ...]) -> Gradient:
    """From ∇Ŵ_i of a homogeneous embedding, the top blocks [∇W_i, ∇b_i] (layers: affine widths)."""
    weights, biases = [], []
    for i, g in enumerate(gradient.weights):
        top = g[: layers[i + 1]]
        weights.append(top[:, :-1])
        biases.append(top[:, -1:])
    return Gradient(tuple(weights), tuple(biases))
