"""The two notations a step can be shown in: column ↔ row convention, affine ↔ homogeneous.

Every session move (step, back, goto, current, steps/n), POST /api/trace, explain and check take
`convention` and `view` as query parameters; the engine does the rewriting (`row_convention`,
`to_homogeneous`), this module only picks it and labels the embedded network's matrices Ŵ_i, X̂.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Annotated

from fastapi import Depends, Query

from app import engine
from app.schemas import Convention, View

from .errors import invalid

_W = re.compile(r"(?<![A-Za-z\\])W_\{")
_X = re.compile(r"(?<![A-Za-z\\])X(?![A-Za-z])")


def _hat(latex: str) -> str:
    """W_{i} → \\hat{W}_{i} and X → \\hat{X}: the embedded network's symbols (paper section 3)."""
    return _X.sub(r"\\hat{X}", _W.sub(r"\\hat{W}_{", latex))


def _hatted(trace: engine.Trace) -> engine.Trace:
    tensors = {
        name: dataclasses.replace(t, latex=_hat(t.latex)) for name, t in trace.tensors.items()
    }
    steps = tuple(
        dataclasses.replace(
            step,
            formulas=tuple(
                engine.Formula(_hat(f.latex), _hat(f.latex_shapes), f.shape_algebra)
                for f in step.formulas
            ),
            substeps=tuple(
                dataclasses.replace(s, latex=_hat(s.latex), latex_shapes=_hat(s.latex_shapes))
                for s in step.substeps
            ),
        )
        for step in trace.steps
    )
    return engine.Trace(steps, tensors)


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

    def trace(self, network: engine.Network, trace: engine.Trace) -> engine.Trace:
        """The same iteration as it is to be shown."""
        shown_network, shown = self.column_trace(network, trace)
        if self.convention == "row":
            shown = engine.row_convention(shown_network, shown)
        return _hatted(shown) if self.view == "homogeneous" else shown

    def symbols(self, latex: str) -> str:
        """LaTeX written about the engine's (column or row) trace, in this notation's symbols:
        the embedded network's Ŵ_i and X̂ in the homogeneous view."""
        return _hat(latex) if self.view == "homogeneous" else latex

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
