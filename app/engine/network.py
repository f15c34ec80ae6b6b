"""A dense network: parameters, the forward pass, the objective, the backward pass, the update."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from .activations import LayerActivation
from .objectives import OBJECTIVES, Objective, ObjectiveValue
from .spec import Limits, NetworkSpec, build_spec

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Parameters:
    """W_1 … W_k (W_i is n_i × n_{i-1}) and, in affine mode, b_1 … b_k (b_i is n_i × 1)."""

    weights: tuple[FloatArray, ...]
    biases: tuple[FloatArray, ...] | None

    def copy(self) -> Parameters:
        """A deep copy."""
        return Parameters(
            tuple(w.copy() for w in self.weights),
            None if self.biases is None else tuple(b.copy() for b in self.biases),
        )

    def flat(self) -> FloatArray:
        """Every parameter in one vector: W_1 row-major, …, W_k, then b_1, …, b_k."""
        parts = [w.ravel() for w in self.weights]
        if self.biases is not None:
            parts += [b.ravel() for b in self.biases]
        return np.concatenate(parts)

    @cached_property
    def fingerprint(self) -> bytes:
        """`flat()` as float64 bytes, made once (the engine never changes an array in place):
        equal bit for bit exactly when the parameters are."""
        return self.flat().astype("<f8", copy=False).tobytes()

    def unflat(self, vector: FloatArray) -> Parameters:
        """Parameters shaped like these, filled from `vector` in the order of `flat`."""
        out_w, offset = [], 0
        for w in self.weights:
            out_w.append(vector[offset : offset + w.size].reshape(w.shape).copy())
            offset += w.size
        out_b = None
        if self.biases is not None:
            out_b = []
            for b in self.biases:
                out_b.append(vector[offset : offset + b.size].reshape(b.shape).copy())
                offset += b.size
        return Parameters(tuple(out_w), None if out_b is None else tuple(out_b))

    def to_lists(self) -> tuple[list[Any], list[Any] | None]:
        """Weights as lists of rows, biases as flat lists (None without biases)."""
        return (
            [w.tolist() for w in self.weights],
            None if self.biases is None else [b[:, 0].tolist() for b in self.biases],
        )


@dataclass(frozen=True)
class ForwardPass:
    """Per layer i = 1 … k: N_i, Σ_i = σ_i(N_i), Σ'_i = σ'_i(N_i), each n_i × m."""

    n: tuple[FloatArray, ...]
    sigma: tuple[FloatArray, ...]
    sigma_prime: tuple[FloatArray, ...]


@dataclass(frozen=True)
class Gradient:
    """∇W_i (n_i × n_{i-1}) and ∇b_i (n_i × 1, None without biases), i = 1 … k."""

    weights: tuple[FloatArray, ...]
    biases: tuple[FloatArray, ...] | None

    def flat(self) -> FloatArray:
        """Every entry in one vector, in the order of Parameters.flat."""
        return Parameters(self.weights, self.biases).flat()


@dataclass(frozen=True)
class BackwardPass:
    """Δ_i (n_i × m), the gradient, and W_{i+1}ᵀ Δ_{i+1} (n_i × m) for i < k."""

    delta: tuple[FloatArray, ...]
    gradient: Gradient
    back_signal: tuple[FloatArray, ...]


class Network:
    """The network of a spec: widths, activations, objective, and the data X (n_0 × m), Y."""

    def __init__(self, spec: NetworkSpec) -> None:
        self.spec = spec
        self.layers = spec.layers
        self.activations = tuple(LayerActivation(names) for names in spec.activations)
        self.objective: Objective = OBJECTIVES[spec.loss]
        self.x = spec.inputs
        self.y = spec.targets

    @cached_property
    def fingerprint(self) -> bytes:
        """A digest of what an iteration depends on besides the parameters (layers,
        activations, biases, objective, η, X and Y): equal for networks built from equal specs,
        so that a network built again finds the traces of the first (see RecentTraces)."""
        digest = hashlib.blake2b(digest_size=16)
        shape = (self.layers, self.spec.activations, self.bias, self.spec.loss)
        digest.update(repr((*shape, float(self.spec.learning_rate).hex())).encode())
        for array in (self.x, self.y):
            if array is None:
                digest.update(b"none")
            else:
                digest.update(repr(array.shape).encode())
                digest.update(np.ascontiguousarray(array, dtype="<f8").tobytes())
        return digest.digest()

    @classmethod
    def from_spec(cls, raw: Mapping[str, Any], limits: Limits | None = None) -> Network:
        """Check a JSON-like spec (see build_spec) and build its network."""
        return cls(build_spec(raw, limits))

    @property
    def depth(self) -> int:
        """k."""
        return self.spec.depth

    @property
    def bias(self) -> bool:
        """True for affine layers, False for homogeneous ones."""
        return self.spec.bias

    def initial_parameters(self) -> Parameters:
        """The spec's explicit parameters, or a seeded initialisation (biases start at 0)."""
        return self._parameters(explicit=True)

    @cached_property
    def drawn_from_seed(self) -> bool:
        """True when the starting parameters are those the spec's `seed` and `init` draw
        (biases 0): for a spec that gives none, and for one that gives exactly those (as a
        store keeps a spec). The spec as the API sends it then leaves them out (`sent_spec`)."""
        if self.spec.weights is None and self.spec.biases is None:
            return True
        given, drawn = self.initial_parameters(), self._parameters(explicit=False)
        return bool(np.array_equal(given.flat(), drawn.flat()))

    @cached_property
    def sent_spec(self) -> dict[str, Any]:
        """The spec as JSON-like data as the API sends it (read it, never change it): its
        `weights` and `biases` null when the seed draws them (`drawn_from_seed`)."""
        spec = self.spec
        if self.drawn_from_seed:
            spec = replace(spec, weights=None, biases=None)
        return spec.to_dict()

    def _parameters(self, *, explicit: bool) -> Parameters:
        """The spec's parameters (`explicit`: those it gives, where it gives them), else the
        ones its seed and initialisation draw, biases 0."""
        rng = np.random.default_rng(self.spec.seed)
        weights = []
        for i in range(self.depth):
            n_in, n_out = self.layers[i], self.layers[i + 1]
            if explicit and self.spec.weights is not None:
                weights.append(self.spec.weights[i].copy())
            elif self.spec.init == "xavier":
                a = np.sqrt(6.0 / (n_in + n_out))
                weights.append(rng.uniform(-a, a, size=(n_out, n_in)))
            elif self.spec.init == "he":
                weights.append(rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_out, n_in)))
            else:
                weights.append(rng.normal(0.0, 1.0, size=(n_out, n_in)))
        biases: tuple[FloatArray, ...] | None = None
        if self.bias:
            biases = (
                tuple(b.copy() for b in self.spec.biases)
                if explicit and self.spec.biases is not None
                else tuple(np.zeros((n, 1)) for n in self.layers[1:])
            )
        return Parameters(tuple(weights), biases)

    def forward(self, params: Parameters) -> ForwardPass:
        """N_i = W_i Σ_{i-1} (+ b_i 1ᵀ), Σ_i = σ_i(N_i), Σ'_i = σ'_i(N_i) for i = 1 … k."""
        ns, sigmas, primes = [], [], []
        weights, biases, activations = params.weights, params.biases, self.activations
        previous = self.x
        for i in range(self.depth):
            n = weights[i] @ previous
            if biases is not None:
                n += biases[i]  # in place: n is new, and one array fewer is allocated
            sigma, prime = activations[i].with_derivative(n)
            ns.append(n)
            sigmas.append(sigma)
            primes.append(prime)
            previous = sigma
        return ForwardPass(tuple(ns), tuple(sigmas), tuple(primes))

    def evaluate(self, forward: ForwardPass) -> ObjectiveValue:
        """J and G = ∂J/∂Σ_k (n_k × m) for the output of a forward pass."""
        return self.objective.evaluate(forward.sigma[-1], self.y)

    def backward(self, params: Parameters, forward: ForwardPass, g: FloatArray) -> BackwardPass:
        """Δ_k = G ∘ Σ'_k, Δ_i = (W_{i+1}ᵀ Δ_{i+1}) ∘ Σ'_i, ∇W_i = Δ_i Σ_{i-1}ᵀ, ∇b_i = Δ_i 1."""
        k = self.depth
        weights, primes = params.weights, forward.sigma_prime
        # Built from layer k down to layer 1, then turned round.
        delta = [g * primes[k - 1]]
        back = []
        for i in range(k - 2, -1, -1):
            signal = weights[i + 1].T @ delta[-1]
            back.append(signal)
            delta.append(signal * primes[i])
        delta.reverse()
        back.reverse()
        inputs = (self.x, *forward.sigma[:-1])
        grad_w = tuple([delta[i] @ inputs[i].T for i in range(k)])
        grad_b = (
            tuple([np.add.reduce(d, axis=1, keepdims=True) for d in delta])
            if params.biases is not None
            else None
        )
        return BackwardPass(tuple(delta), Gradient(grad_w, grad_b), tuple(back))

    def loss(self, params: Parameters) -> float:
        """J at these parameters."""
        return self.evaluate(self.forward(params)).value

    def gradient(self, params: Parameters) -> Gradient:
        """∇J by the recursive form (forward, objective, backward)."""
        forward = self.forward(params)
        return self.backward(params, forward, self.evaluate(forward).gradient).gradient

    def update(self, params: Parameters, gradient: Gradient) -> Parameters:
        """One SGD step: W_i − η ∇W_i, b_i − η ∇b_i; an embedding's formal rows stay fixed."""
        eta = self.spec.learning_rate
        # p − (η ∇) into the array of η ∇: the same numbers as `p - eta * grad`, but one
        # allocation instead of two (freeing big temporaries makes malloc hand memory back to
        # the system, and the next iteration page-faults it in again).
        weights = []
        for w, gw in zip(params.weights, gradient.weights, strict=True):
            step = np.multiply(eta, gw)
            weights.append(np.subtract(w, step, out=step))
        if self.spec.formal_rows:  # condition (b) of §3: a constant row, not a weight
            for w, new in zip(params.weights[:-1], weights[:-1], strict=True):
                new[-1] = w[-1]
        if params.biases is None or gradient.biases is None:
            return Parameters(tuple(weights), None)
        biases = []
        for b, gb in zip(params.biases, gradient.biases, strict=True):
            step = np.multiply(eta, gb)
            biases.append(np.subtract(b, step, out=step))
        return Parameters(tuple(weights), tuple(biases))
