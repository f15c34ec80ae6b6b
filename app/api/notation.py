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
from app.engine.formulas import qa_names_fit
from app.schemas import Convention, Names, View

from .errors import invalid


@dataclasses.dataclass(frozen=True)
class Notation:
    """How to show an iteration: which convention, which network (the affine or its embedding)."""

    convention: Convention = "column"
    view: View = "affine"
    names: Names = "paper"

    def check(self, network: engine.Network) -> None:
        """422 naming `view` when the homogeneous view is asked of a network without biases,
        `names` when the Q&A's names are asked where they do not fit."""
        if self.view == "homogeneous" and not network.bias:
            raise invalid(
                ("query", "view"),
                "the network has no biases: it is homogeneous already, there is nothing to embed",
            )
        if self.names == "qa":
            spec = network.spec
            why = qa_names_fit(spec.layers, spec.loss, bias=spec.bias)
            if why is None and self.convention != "row":
                why = "the Q&A's names are those of the row convention: add convention=row"
            if why is None and self.view != "affine":
                why = "the Q&A's names are those of the affine network (B is its bias): view=affine"
            if why is not None:
                raise invalid(("query", "names"), why)

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
        return engine.Notation(self.convention, self.view, self.names)

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


ConventionQuery = Annotated[
    Convention,
    Query(
        description="`column` (default): the paper's convention, one sample a column, "
        "W_i is n_i × n_{i-1}. `row`: the Q&A's and NumPy's, one sample a row, every "
        "matrix transposed and every formula rewritten (Y = f(HW + B)).",
    ),
]
ViewQuery = Annotated[
    View,
    Query(
        description="`affine` (default): the network as specified. `homogeneous`: its "
        "embedding of the paper's section 3, X̂ = [X; 1ᵀ], Ŵ_i = [[W_i, b_i], [0…0, 1]] "
        "(Ŵ_k = [W_k, b_k]), no biases; 422 when the network has no biases.",
    ),
]
NamesQuery = Annotated[
    Names,
    Query(
        description="`paper` (default): the paper's symbols (in the row convention, their "
        "transposes: Σ_1ᵀ, W_2ᵀ …). `qa`: the Q&A's own, for one hidden layer with biases "
        "and the squared error in the row convention: H = Σ_1ᵀ, W = W_2ᵀ, B = b_2ᵀ, "
        "Y = f(HW + B) = Σ_2ᵀ, Y* the targets, ∂J/∂W, ∂J/∂B; 422 where they do not fit.",
    ),
]


async def notation(
    convention: ConventionQuery = "column", view: ViewQuery = "affine", names: NamesQuery = "paper"
) -> Notation:
    """The notation a request asks for."""
    return Notation(convention, view, names)


NotationDep = Annotated[Notation, Depends(notation)]
