"""The same gradient computed every way the texts give it, and how far apart the results are."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .network import Gradient, Network, Parameters

FloatArray = npt.NDArray[np.float64]

FINITE_DIFFERENCE_STEP = 1e-4
GRADIENT_FORMS = ("recursive", "hadamard_chain", "diagonal_chain", "finite_differences")


def recursive_gradient(network: Network, params: Parameters) -> Gradient:
    """The paper's remark 3: Δ_i = (W_{i+1}ᵀ Δ_{i+1}) ∘ Σ'_i, ∇W_i = Δ_i Σ_{i-1}ᵀ."""
    return network.gradient(params)


def _chain_gradient(network: Network, params: Parameters, *, diagonal: bool) -> Gradient:
    """Per sample j, each layer's factor is rebuilt from the output down, then summed over j.

    Hadamard chain (3)/(4): v = Σ'_i ∘ W_{i+1}ᵀ·(Σ'_{i+1} ∘ … W_kᵀ·(Σ'_k ∘ G)), right to left.
    Diagonal chain (5):     v = (D_i W_{i+1}ᵀ D_{i+1} … W_kᵀ D_k) G, with D_j = diag(Σ'_j): the
    matrix of layer i is D_i W_{i+1}ᵀ times that of layer i + 1, each made once a sample.
    Then ∇W_i += Σ_{i-1}ᵀ ⊗ v (a Kronecker product of a row and a column) and ∇b_i += v.
    """
    forward = network.forward(params)
    g = network.evaluate(forward).gradient
    k, m = network.depth, network.x.shape[1]
    inputs = (network.x, *forward.sigma[:-1])
    grad_w = [np.zeros_like(w) for w in params.weights]
    grad_b = [np.zeros((w.shape[0], 1)) for w in params.weights]
    for j in range(m):
        primes = [p[:, j : j + 1] for p in forward.sigma_prime]
        chain = np.diag(primes[k - 1][:, 0]) if diagonal else None  # D_k, layer k's matrix
        for i in reversed(range(k)):
            if chain is not None:
                if i < k - 1:
                    chain = np.diag(primes[i][:, 0]) @ params.weights[i + 1].T @ chain
                v = chain @ g[:, j : j + 1]
            else:
                v = primes[k - 1] * g[:, j : j + 1]
                for r in range(k - 2, i - 1, -1):
                    v = primes[r] * (params.weights[r + 1].T @ v)
            grad_w[i] += np.kron(inputs[i][:, j : j + 1].T, v)
            grad_b[i] += v
    return Gradient(tuple(grad_w), tuple(grad_b) if params.biases is not None else None)


def hadamard_chain_gradient(network: Network, params: Parameters) -> Gradient:
    """Formulas (3)/(4) of the paper, per sample, summed over the batch."""
    return _chain_gradient(network, params, diagonal=False)


def diagonal_chain_gradient(network: Network, params: Parameters) -> Gradient:
    """Formula (5) of the paper (Σ'_j as diagonal matrices), per sample, summed over the batch."""
    return _chain_gradient(network, params, diagonal=True)


def finite_difference_gradient(
    network: Network, params: Parameters, *, step: float = FINITE_DIFFERENCE_STEP
) -> Gradient:
    """Central differences of J for every parameter θ, on the five-point stencil.

    ∂J/∂θ ≈ (−J(θ+2h) + 8J(θ+h) − 8J(θ−h) + J(θ−2h)) / 12h, with h = step · max(1, |θ|):
    the error is O(h⁴), so h = 1e-4 leaves rounding (about 1e-12 · |J|) as the main error.
    """
    theta = params.flat()
    grad = np.empty_like(theta)

    def loss_at(p: int, value: float) -> float:
        shifted = theta.copy()
        shifted[p] = value
        return network.loss(params.unflat(shifted))

    for p in range(theta.size):
        h = step * max(1.0, abs(theta[p]))
        t = theta[p]
        grad[p] = (
            -loss_at(p, t + 2 * h)
            + 8 * loss_at(p, t + h)
            - 8 * loss_at(p, t - h)
            + loss_at(p, t - 2 * h)
        ) / (12 * h)
    as_params = params.unflat(grad)
    return Gradient(as_params.weights, as_params.biases)


EXACT_FORMS: dict[str, Callable[[Network, Parameters], Gradient]] = {
    "recursive": recursive_gradient,
    "hadamard_chain": hadamard_chain_gradient,
    "diagonal_chain": diagonal_chain_gradient,
}
"""The forms that compute ∇J exactly (up to rounding), by name, in GRADIENT_FORMS' order."""


@dataclass(frozen=True)
class GradientComparison:
    """Every form of ∇J, and the largest absolute and relative difference between any two."""

    forms: dict[str, Gradient]
    max_difference: float
    max_relative_difference: float


def relative_difference(a: FloatArray, b: FloatArray) -> float:
    """max |a − b| over max(max |a|, max |b|), 0 when both are zero."""
    scale = max(float(np.abs(a).max(initial=0.0)), float(np.abs(b).max(initial=0.0)))
    diff = float(np.abs(a - b).max(initial=0.0))
    return 0.0 if diff == 0.0 else diff / scale


def compare_gradient_forms(
    network: Network, params: Parameters, *, finite_differences: bool = True
) -> GradientComparison:
    """∇J by the recursive form, both chains and (optionally) finite differences, compared."""
    forms = {name: form(network, params) for name, form in EXACT_FORMS.items()}
    if finite_differences:
        forms["finite_differences"] = finite_difference_gradient(network, params)
    flats = [g.flat() for g in forms.values()]
    pairs = [(a, b) for n, a in enumerate(flats) for b in flats[n + 1 :]]
    return GradientComparison(
        forms=forms,
        max_difference=max(float(np.abs(a - b).max(initial=0.0)) for a, b in pairs),
        max_relative_difference=max(relative_difference(a, b) for a, b in pairs),
    )
