"""Stochastic gradient descent over whole iterations, with what each iteration looked like."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .network import Network, Parameters


@dataclass(frozen=True)
class IterationRecord:
    """One iteration seen from outside: J, ‖Δ_i‖_F and ‖∇W_i‖_F per layer (i = 1 … k), and
    the dead units of each layer (1-based rows where Σ'_i is 0 for every sample)."""

    loss: float
    delta_norms: tuple[float, ...]
    gradient_norms: tuple[float, ...]
    dead_units: tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class TrainingResult:
    """The parameters after training, the record of each iteration, and the parameters kept
    from before the last updates (oldest first)."""

    parameters: Parameters
    records: tuple[IterationRecord, ...]
    history: tuple[Parameters, ...]

    @property
    def losses(self) -> tuple[float, ...]:
        """J at the start of each iteration."""
        return tuple(r.loss for r in self.records)


def sgd_step(network: Network, params: Parameters) -> tuple[Parameters, float]:
    """One iteration: forward, objective, backward, update. Returns (new parameters, J)."""
    new, record = _iteration(network, params)
    return new, record.loss


def _iteration(network: Network, params: Parameters) -> tuple[Parameters, IterationRecord]:
    forward = network.forward(params)
    objective = network.evaluate(forward)
    backward = network.backward(params, forward, objective.gradient)
    record = IterationRecord(
        loss=objective.value,
        delta_norms=tuple(float(np.linalg.norm(d)) for d in backward.delta),
        gradient_norms=tuple(float(np.linalg.norm(g)) for g in backward.gradient.weights),
        dead_units=tuple(
            tuple(int(r) + 1 for r in np.flatnonzero((sp == 0).all(axis=1)))
            for sp in forward.sigma_prime
        ),
    )
    return network.update(params, backward.gradient), record


def training_iterations(
    network: Network, params: Parameters, iterations: int
) -> Iterator[tuple[Parameters, Parameters, IterationRecord]]:
    """Yield (parameters before, parameters after, record) for each of `iterations` steps.

    A diverging run is not an error: J then becomes inf or nan and stays so.
    """
    for _ in range(iterations):
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            new, record = _iteration(network, params)
        yield params, new, record
        params = new


def train(
    network: Network, params: Parameters, iterations: int, *, keep: int = 0
) -> TrainingResult:
    """Run `iterations` SGD steps; `keep` the parameters before the last `keep` updates."""
    records: list[IterationRecord] = []
    history: list[Parameters] = []
    for n, (before, after, record) in enumerate(training_iterations(network, params, iterations)):
        if keep and n >= iterations - keep:
            history.append(before)
        records.append(record)
        params = after
    return TrainingResult(params, tuple(records), tuple(history))
