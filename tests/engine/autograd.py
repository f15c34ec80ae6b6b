"""An independent reference: the same network, objective and gradient in torch autograd (float64).

Only the spec is shared with the engine: torch builds the layers from the widths, activations
and parameters, computes J as MATH.md defines it, and differentiates it itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from app.engine import Network, Parameters

_ACTIVATIONS = {
    "identity": lambda x: x,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "leaky_relu": lambda x: torch.nn.functional.leaky_relu(x, 0.01),
    "elu": torch.nn.functional.elu,
    "softplus": torch.nn.functional.softplus,
    "silu": torch.nn.functional.silu,
    "sin": torch.sin,
}


@dataclass(frozen=True)
class Reference:
    """J and its gradient with respect to every W_i (and b_i), as numpy arrays."""

    loss: float
    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...] | None


def _layer(names: tuple[str, ...], n: torch.Tensor) -> torch.Tensor:
    if len(set(names)) == 1:
        return _ACTIVATIONS[names[0]](n)
    return torch.stack([_ACTIVATIONS[name](n[r]) for r, name in enumerate(names)])


def reference_gradient(network: Network, params: Parameters) -> Reference:
    """J at `params` and ∂J/∂W_i, ∂J/∂b_i by torch's autograd."""
    spec = network.spec

    def leaf(array: np.ndarray) -> torch.Tensor:
        return torch.tensor(array, dtype=torch.float64, requires_grad=True)

    weights = [leaf(w) for w in params.weights]
    biases = None if params.biases is None else [leaf(b) for b in params.biases]
    sigma = torch.tensor(spec.inputs, dtype=torch.float64)
    for i, w in enumerate(weights):
        n = w @ sigma
        if biases is not None:
            n = n + biases[i]
        sigma = _layer(spec.activations[i], n)
    m = sigma.shape[1]
    y = None if spec.targets is None else torch.tensor(spec.targets, dtype=torch.float64)
    if spec.loss == "network":
        loss = sigma.sum() / m
    elif spec.loss == "squared_error":
        assert y is not None
        loss = ((sigma - y) ** 2).sum() / (2 * m)
    else:
        assert y is not None
        loss = -(y * torch.log_softmax(sigma, dim=0)).sum() / m
    parameters: list[Any] = [*weights, *(biases or [])]
    grads = torch.autograd.grad(loss, parameters)
    k = len(weights)
    return Reference(
        float(loss.detach()),
        tuple(g.numpy() for g in grads[:k]),
        None if biases is None else tuple(g.numpy() for g in grads[k:]),
    )


def relative_error(value: np.ndarray, reference: np.ndarray) -> float:
    """max |value − reference| over max |reference| (0 when both are zero)."""
    scale = float(np.abs(reference).max(initial=0.0))
    diff = float(np.abs(value - reference).max(initial=0.0))
    return diff if scale == 0.0 else diff / scale
