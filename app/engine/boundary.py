"""What a network with two inputs outputs over a grid of the input plane."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .errors import SpecError
from .network import Network, Parameters
from .objectives import softmax

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class DecisionGrid:
    """x1 (columns) and x2 (rows) of a grid, and per point the output: for one output the value
    of Σ_k; for several, the index (0-based) of the largest and its probability (softmax) or
    value."""

    x1: FloatArray
    x2: FloatArray
    value: FloatArray
    winner: npt.NDArray[np.int64] | None


def decision_grid(
    network: Network, params: Parameters, *, resolution: int = 60, margin: float = 0.5
) -> DecisionGrid:
    """Evaluate the network on a resolution × resolution grid around the inputs (n_0 = 2)."""
    if network.layers[0] != 2:
        raise SpecError("layers", "a decision boundary needs exactly two inputs (n_0 = 2)")
    x = network.x
    lo, hi = x.min(axis=1) - margin, x.max(axis=1) + margin
    x1 = np.linspace(lo[0], hi[0], resolution)
    x2 = np.linspace(lo[1], hi[1], resolution)
    g1, g2 = np.meshgrid(x1, x2)
    points = np.vstack([g1.ravel(), g2.ravel()])
    # Only the forward pass runs on the grid, so the grid needs no targets.
    shaped = Network(dataclasses.replace(network.spec, inputs=points, targets=None))
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        out = shaped.forward(params).sigma[-1]
    if out.shape[0] == 1:
        return DecisionGrid(x1, x2, out[0].reshape(resolution, resolution), None)
    scores = softmax(out) if network.spec.loss == "softmax_cross_entropy" else out
    winner = scores.argmax(axis=0)
    return DecisionGrid(
        x1,
        x2,
        scores.max(axis=0).reshape(resolution, resolution),
        winner.reshape(resolution, resolution).astype(np.int64),
    )
