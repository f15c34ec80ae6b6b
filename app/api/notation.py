"""The two notations a step can be shown in: column ↔ row convention, affine ↔ homogeneous.

Every session move (step, back, goto, current, steps/n), POST /api/trace, explain and check take
`convention` and `view` as query parameters; the engine writes the iteration in the notation
asked (`engine.notate`, `engine.embedded_trace`), this module only picks it.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated

from fastapi import Depends, Query

from app import engine
from app.schemas import Convention, View

from .errors import invalid


@dataclasses.dataclass(frozen=True)
class Notation:
    """How to show an iteration: which convention, which network (the affine or its embedding)."""

    convention: Convention = "column"
    view: View = "affine"

    def check(self, network: engine.Network) -> None:
        """422 naming `view` when the homogeneous view is asked of a network without biases."""
        if self.view == "homogeneous" and not network.bias:
            raise invalid(
                ("query", "view"),
                "the network has no biases: it is homogeneous already, there is nothing to embed",
            )

    def network(self, network: engine.Network, trace: engine.Trace) -> engine.Network:
        """The network whose trace is shown (the embedded one in the homogeneous view)."""
        if self.view == "affine":
            return network
        return engine.to_homogeneous(network, engine.parameters_of(trace))[0]

    def column_trace(
        self, network: engine.Network, trace: engine.Trace
    ) -> tuple[engine.Network, engine.Trace]:
        """The network and trace in the column convention, embedded when asked (not hatted)."""
        self.check(network)
        if self.view == "affine":
            return network, trace
        return engine.embedded_trace(network, trace)

    @property
    def written(self) -> engine.Notation:
        """The engine's notation: how every symbol and formula is written."""
        return engine.Notation(self.convention, self.view)

    def trace(self, network: engine.Network, trace: engine.Trace) -> engine.Trace:
        """The same iteration as it is to be shown."""
        _, shown = self.column_trace(network, trace)
        return engine.notate(shown, self.written)

    def show(
        self, network: engine.Network, shown: tuple[engine.Step, engine.Trace] | None
    ) -> tuple[engine.Step, engine.Trace] | None:
        """A (step, trace) pair of a session move, rewritten; None stays None."""
        if shown is None or self == COLUMN_AFFINE:
            return shown
        step, trace = shown
        rewritten = self.trace(network, trace)
        return rewritten.steps[step.index], rewritten


COLUMN_AFFINE = Notation()


async def notation(
    convention: Annotated[
        Convention,
        Query(
            description="`column` (default): the paper's convention, one sample a column, "
            "W_i is n_i × n_{i-1}. `row`: the Q&A's and NumPy's, one sample a row, every "
            "matrix transposed and every formula rewritten (Y = f(HW + B)).",
        ),
    ] = "column",
    view: Annotated[
        View,
        Query(
            description="`affine` (default): the network as specified. `homogeneous`: its "
            "embedding of the paper's section 3, X̂ = [X; 1ᵀ], Ŵ_i = [[W_i, b_i], [0…0, 1]] "
            "(Ŵ_k = [W_k, b_k]), no biases; 422 when the network has no biases.",
        ),
    ] = "affine",
) -> Notation:
    """The notation a request asks for."""
    return Notation(convention, view)


NotationDep = Annotated[Notation, Depends(notation)]
