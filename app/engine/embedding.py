"""The affine ↔ homogeneous embedding of the paper's section 3, both ways."""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt

from .errors import SpecError
from .network import Gradient, Network, Parameters
from .trace import Trace, trace_iteration

FloatArray = npt.NDArray[np.float64]


def to_homogeneous(network: Network, params: Parameters) -> tuple[Network, Parameters]:
    """The homogeneous network equivalent to an affine one.

    X̂ = [X; 1ᵀ] ((n_0+1) × m); for i < k, Ŵ_i = [[W_i, b_i], [0 … 0, 1]] ((n_i+1) × (n_{i-1}+1))
    and the extra neuron's activation is the identity; Ŵ_k = [W_k, b_k] (n_k × (n_{k-1}+1)).
    """
    if params.biases is None:
        raise SpecError("bias", "the network is already homogeneous (no biases)")
    spec, k = network.spec, network.depth
    weights = embedded_weights(params)
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
        weights=weights,
        biases=None,
        formal_rows=True,
    )
    return Network(homogeneous), Parameters(weights, None)


def embedded_weights(params: Parameters) -> tuple[FloatArray, ...]:
    """Ŵ_i = [[W_i, b_i], [0 … 0, 1]] for i < k, Ŵ_k = [W_k, b_k], from affine parameters."""
    assert params.biases is not None
    k, weights = len(params.weights), []
    for i, (w, b) in enumerate(zip(params.weights, params.biases, strict=True)):
        block = np.hstack([w, b])
        if i < k - 1:
            formal = np.zeros((1, block.shape[1]))
            formal[0, -1] = 1.0
            block = np.vstack([block, formal])
        weights.append(block)
    return tuple(weights)


def parameters_of(trace: Trace, *, new: bool = False) -> Parameters:
    """The parameters an iteration was traced from (its W_i and b_i), or with `new` those its
    update gives (W_i^new, b_i^new)."""
    suffix = "_new" if new else ""
    k = sum(name.startswith("gradW") for name in trace.tensors)
    weights = tuple(trace.tensors[f"W{i}{suffix}"].value for i in range(1, k + 1))
    if "b1" not in trace.tensors:
        return Parameters(weights, None)
    biases = tuple(trace.tensors[f"b{i}{suffix}"].value for i in range(1, k + 1))
    return Parameters(weights, biases)


def embedded_trace(network: Network, trace: Trace) -> tuple[Network, Trace]:
    """The homogeneous view of an affine network's iteration: its embedding, traced.

    Forward, objective and backward are the embedded network's own (the blind gradient of a
    formal row is there in ∇Ŵ_i, flagged as held fixed). Ŵ_i^new is the embedding of the affine
    update, the parameters the next iteration starts from, bit for bit: it is Ŵ_i − η ∇Ŵ_i with
    the formal row held fixed, up to rounding (the top blocks of ∇Ŵ_i are [∇W_i, ∇b_i], summed
    in another order).
    """
    embedded, params = to_homogeneous(network, parameters_of(trace))
    traced = trace_iteration(embedded, params)
    tensors = dict(traced.tensors)
    for i, w in enumerate(embedded_weights(parameters_of(trace, new=True)), start=1):
        tensors[f"W{i}_new"] = dataclasses.replace(tensors[f"W{i}_new"], value=w)
    return embedded, Trace(traced.steps, tensors, traced.plan)


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
        formal_rows=False,
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
