"""Stochastic gradient descent over whole iterations, with the loss of each."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .network import Network, Parameters


@dataclass(frozen=True)
class TrainingResult:
    """The parameters after training, and J at the start of each iteration."""

    parameters: Parameters
    losses: tuple[float, ...]
    history: tuple[Parameters, ...]


def sgd_step(network: Network, params: Parameters) -> tuple[Parameters, float]:
    """One iteration: forward, objective, backward, update. Returns (new parameters, J)."""
    forward = network.forward(params)
    objective = network.evaluate(forward)
    gradient = network.backward(params, forward, objective.gradient).gradient
    return network.update(params, gradient), objective.value


def train(
    network: Network, params: Parameters, iterations: int, *, keep: int = 0
) -> TrainingResult:
    """Run `iterations` SGD steps; `keep` the parameters before the last `keep` updates.

    A diverging run is not an error: J then becomes inf or nan and stays so.
    """
    losses: list[float] = []
    history: list[Parameters] = []
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for n in range(iterations):
            if keep and n >= iterations - keep:
                history.append(params)
            params, value = sgd_step(network, params)
            losses.append(value)
    return TrainingResult(params, tuple(losses), tuple(history))
