"""Objectives J with their gradients G = ∂J/∂Σ_k, over a batch of m columns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def softmax(z: FloatArray) -> FloatArray:
    """Softmax of each column of z (n × m), shifted by the column maximum so nothing overflows."""
    shifted = z - z.max(axis=0, keepdims=True)
    e = np.exp(shifted)
    return np.asarray(e / e.sum(axis=0, keepdims=True), dtype=np.float64)


def log_softmax(z: FloatArray) -> FloatArray:
    """log softmax of each column of z (n × m), exact for large entries."""
    shifted = z - z.max(axis=0, keepdims=True)
    return np.asarray(shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True)))


def _sum(x: FloatArray) -> np.float64:
    """Every entry of x added up, in x's precision: `x.sum()` without its Python wrapper."""
    total: np.float64 = np.add.reduce(x, axis=None)
    return total


@dataclass(frozen=True)
class ObjectiveValue:
    """J (a float), G = ∂J/∂Σ_k (n_k × m), and named extras such as P for softmax."""

    value: float
    gradient: FloatArray
    extras: dict[str, FloatArray]


def _network(output: FloatArray, _targets: FloatArray | None) -> ObjectiveValue:
    m = output.shape[1]
    return ObjectiveValue(float(_sum(output) / m), np.full_like(output, 1.0 / m), {})


def _squared_error(output: FloatArray, targets: FloatArray | None) -> ObjectiveValue:
    assert targets is not None
    m = output.shape[1]
    residual = output - targets
    return ObjectiveValue(float(_sum(residual * residual) / (2 * m)), residual / m, {})


def _softmax_cross_entropy(output: FloatArray, targets: FloatArray | None) -> ObjectiveValue:
    assert targets is not None
    m = output.shape[1]
    p = softmax(output)
    # 0 · log P is 0 even where P underflows, so only the entries with Y > 0 are summed.
    log_p = log_softmax(output)
    value = -float(_sum(np.where(targets > 0, targets * log_p, 0.0)) / m)
    # ∂J/∂Σ_k[:,j] = (P[:,j] (1ᵀY[:,j]) − Y[:,j]) / m: exact for targets that sum to 1 only
    # within the spec's tolerance; for those that sum to 1.0 it is (P − Y) / m bit for bit.
    sums = np.add.reduce(targets, axis=0, keepdims=True)
    return ObjectiveValue(value, (p * sums - targets) / m, {"P": p})


@dataclass(frozen=True)
class Objective:
    """An objective: `evaluate(Σ_k, Y)` gives J and G (their formulas: formulas.objective_lines)."""

    name: str
    evaluate: Callable[[FloatArray, FloatArray | None], ObjectiveValue]
    needs_targets: bool
    description: str


OBJECTIVES: dict[str, Objective] = {
    o.name: o
    for o in (
        Objective(
            "network",
            _network,
            needs_targets=False,
            description="The network function itself, averaged over the batch (needs n_k = 1).",
        ),
        Objective(
            "squared_error",
            _squared_error,
            needs_targets=True,
            description="Half the squared error, averaged over the batch.",
        ),
        Objective(
            "softmax_cross_entropy",
            _softmax_cross_entropy,
            needs_targets=True,
            description="Softmax of each column, then cross-entropy against target distributions "
            "(needs the identity activation on the last layer).",
        ),
    )
}


def sums_to_one(targets: FloatArray | None) -> bool:
    """True when every column of the targets sums to 1 up to the rounding of its sum
    (n_k · ε): then G = (P − Y)/m is what the engine computes, to that rounding."""
    if targets is None:
        return True
    sums = np.add.reduce(targets, axis=0)
    return bool(np.all(np.abs(sums - 1.0) <= targets.shape[0] * np.finfo(np.float64).eps))
