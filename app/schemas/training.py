"""Training you can watch: the lines of a streamed run, and the decision boundary."""

from __future__ import annotations

from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, Field

from app import engine

from .numbers import JsonFloat, encode_floats, encode_matrix
from .sessions import Session


class TrainProgress(BaseModel):
    """One chunk of a streamed training run, sent as soon as the session has been saved."""

    type: Literal["progress"] = Field(description="Always `progress`.")
    done: int = Field(description="Iterations of this request run so far.")
    total: int = Field(description="Iterations this request runs in all.")
    iteration: int = Field(
        description="The last iteration this chunk ran, numbered from 1 (so also how many "
        "iterations the session has finished)."
    )
    losses: list[JsonFloat] = Field(description="J of each iteration of the chunk, in order.")
    delta_norms: list[list[JsonFloat]] = Field(
        description="Per iteration of the chunk, ‖Δ_i‖ (Frobenius) of each layer i = 1 … k."
    )
    gradient_norms: list[list[JsonFloat]] = Field(
        description="Per iteration of the chunk, ‖∇W_i‖ (Frobenius) of each layer i = 1 … k."
    )
    dead_units: list[list[int]] = Field(
        description="Per layer i = 1 … k, the 1-based rows of the dead units (Σ'_i = 0 for "
        "every sample) in the chunk's last iteration."
    )

    @classmethod
    def from_engine(
        cls,
        records: tuple[engine.IterationRecord, ...],
        *,
        done: int,
        total: int,
        iteration: int,
    ) -> TrainProgress:
        """The line for a chunk of iteration records."""
        return cls(
            type="progress",
            done=done,
            total=total,
            iteration=iteration,
            losses=encode_floats([r.loss for r in records]),
            delta_norms=[encode_floats(list(r.delta_norms)) for r in records],
            gradient_norms=[encode_floats(list(r.gradient_norms)) for r in records],
            dead_units=[list(units) for units in records[-1].dead_units] if records else [],
        )


class TrainDone(BaseModel):
    """The last line of a streamed training run: the session after it."""

    type: Literal["done"] = Field(description="Always `done`.")
    session: Session = Field(description="The session after training, at step 0.")
    losses: list[JsonFloat] = Field(description="J of each iteration run, in order.")


class TrainFailed(BaseModel):
    """The last line of a streamed run that stopped early, e.g. its session was deleted."""

    type: Literal["error"] = Field(description="Always `error`.")
    status: int = Field(description="The HTTP status the refusal would have had, e.g. 404.")
    detail: str = Field(description="What went wrong, in words.")


TrainStreamLine = Annotated[TrainProgress | TrainDone | TrainFailed, Field(discriminator="type")]
"""One line of POST /api/sessions/{id}/train/stream."""


class BoundarySamples(BaseModel):
    """The batch on the input plane, to draw over the decision boundary."""

    x1: list[float] = Field(description="First input of each sample (row 1 of X).")
    x2: list[float] = Field(description="Second input of each sample (row 2 of X).")
    label: list[float] | None = Field(
        description="Per sample its target for one output, or the 0-based row of its largest "
        "target for several; null without targets."
    )


class DecisionBoundary(BaseModel):
    """What the network outputs over a grid of the input plane (n_0 = 2), with the batch."""

    x1: list[float] = Field(description="Grid values of the first input (the columns).")
    x2: list[float] = Field(description="Grid values of the second input (the rows).")
    value: list[list[JsonFloat]] = Field(
        description="value[r][c] at (x1[c], x2[r]): for one output Σ_k; for several, the "
        "largest output (its softmax probability with `softmax_cross_entropy`)."
    )
    winner: list[list[int]] | None = Field(
        description="For several outputs, the 0-based row of the largest at each grid point; "
        "null for one output."
    )
    outputs: int = Field(description="n_k, the number of outputs.")
    samples: BoundarySamples = Field(description="The batch, with its labels.")

    @classmethod
    def from_engine(cls, grid: engine.DecisionGrid, network: engine.Network) -> DecisionBoundary:
        """The grid and the batch of `network`."""
        labels: list[float] | None = None
        if network.y is not None:
            y = network.y
            labels = (y[0] if y.shape[0] == 1 else y.argmax(axis=0).astype(np.float64)).tolist()
        return cls(
            x1=grid.x1.tolist(),
            x2=grid.x2.tolist(),
            value=encode_matrix(grid.value),
            winner=None if grid.winner is None else grid.winner.tolist(),
            outputs=network.layers[-1],
            samples=BoundarySamples(
                x1=network.x[0].tolist(), x2=network.x[1].tolist(), label=labels
            ),
        )
