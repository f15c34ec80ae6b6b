"""Teaching a session: explain any entry, grade a student's prediction, every gradient form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import numpy as np
from fastapi import APIRouter, Body, Depends, Query

from app import engine, schemas
from app.store import SessionStore

from .deps import SettingsDep, StoreDep
from .errors import INVALID, NOT_FOUND, invalid
from .json_body import JsonBodyRoute
from .notation import Notation, NotationDep
from .sessions import SessionId

router = APIRouter(
    prefix="/api/sessions",
    tags=["teaching"],
    responses=INVALID | NOT_FOUND,
    route_class=JsonBodyRoute,
)

FORM_TITLES = {
    "recursive": "Recursive: Δ_i = (W_{i+1}ᵀ Δ_{i+1}) ∘ Σ'_i, ∇W_i = Δ_i Σ_{i-1}ᵀ",
    "hadamard_chain": "Hadamard chain, formulas (3)/(4)",
    "diagonal_chain": "Diagonal chain, formula (5)",
    "finite_differences": "Central finite differences of J",
}

CHECK_EXAMPLES: dict[str, Any] = {
    "delta": {
        "summary": "Δ₂ of XOR (1 × 4)",
        "description": "A prediction of Δ₂ for the XOR preset; only the shape must match.",
        "value": {"tensor": "Delta2", "values": [[0.01, -0.02, -0.02, 0.01]]},
    },
    "row": {
        "summary": "∇W₁ of XOR with a tolerance",
        "description": "∇W₁ (4 × 2) of the XOR preset, graded to 1 %.",
        "value": {
            "tensor": "gradW1",
            "values": [[0, 0], [0, 0], [0, 0], [0, 0]],
            "tolerance": 0.01,
        },
    },
}


def _shown_trace(session: engine.Session) -> engine.Trace:
    """The iteration of the step now shown (the previous one right after an update)."""
    shown = session.current()
    return session.trace() if shown is None else shown[1]


def _shape(tensor: engine.Tensor, convention: str) -> tuple[int, int]:
    rows, cols = tensor.shape
    return (cols, rows) if convention == "row" else (rows, cols)


def _explain(
    notation: Notation, network: engine.Network, trace: engine.Trace, name: str, row: int, col: int
) -> schemas.Explanation:
    shown_network, column = notation.column_trace(network, trace)
    if name not in column.tensors:
        raise invalid(("query", "tensor"), f"no tensor {name!r} in this iteration")
    tensor = column.tensors[name]
    rows, cols = _shape(tensor, notation.convention)
    if row > rows:
        raise invalid(("query", "row"), f"{name} has rows 1 … {rows} here, got {row}")
    if col > cols:
        raise invalid(("query", "col"), f"{name} has columns 1 … {cols} here, got {col}")
    swap = notation.convention == "row"
    at = (col, row) if swap else (row, col)
    explained = engine.explain_entry(
        shown_network, column, name, *at, convention=notation.convention
    )
    latex = notation.symbols(engine.row_symbol(name) if swap else tensor.latex)

    def factor(f: engine.Factor) -> schemas.ExplainFactor:
        r, c = (f.col, f.row) if swap else (f.row, f.col)
        return schemas.ExplainFactor(name=f.name, row=r, col=c, value=schemas.encode_float(f.value))

    highlights = {
        operand: schemas.Highlight(
            rows=marks["cols" if swap else "rows"], cols=marks["rows" if swap else "cols"]
        )
        for operand, marks in explained.highlights.items()
    }
    return schemas.Explanation(
        tensor=name,
        latex=latex,
        row=row,
        col=col,
        value=schemas.encode_float(explained.value),
        formula=notation.symbols(explained.formula),
        numbers=notation.symbols(explained.numbers),
        terms=[[factor(f) for f in term] for term in explained.terms],
        highlights=highlights,
        convention=notation.convention,
        view=notation.view,
    )


@dataclass(frozen=True)
class Entry:
    """An entry to explain: a tensor's key, and a 1-based row and column of it as shown."""

    tensor: str
    row: int
    col: int


async def explained_entry(
    tensor: Annotated[
        str,
        Query(
            description="The tensor's key, e.g. `gradW2`, `Delta1`, `Sigma1`: any tensor of "
            "the iteration of the step now shown.",
            examples=["gradW2"],
        ),
    ],
    row: Annotated[
        int, Query(ge=1, description="1-based row, in the matrix as shown.", examples=[1])
    ],
    col: Annotated[
        int, Query(ge=1, description="1-based column, in the matrix as shown.", examples=[3])
    ],
) -> Entry:
    """The entry a request asks to have explained."""
    return Entry(tensor, row, col)


EntryDep = Annotated[Entry, Depends(explained_entry)]


def explain_shown(
    store: SessionStore, session_id: str, notation: Notation, entry: Entry
) -> schemas.Explanation:
    """The explanation of an entry of the iteration whose step the stored session shows."""
    with store.read(session_id) as session:
        trace = _shown_trace(session)
        return _explain(notation, session.network, trace, entry.tensor, entry.row, entry.col)


@router.get("/{session_id}/explain")
def explain_entry(
    session_id: SessionId, entry: EntryDep, notation: NotationDep, store: StoreDep
) -> schemas.Explanation:
    """Explains one entry at index level with the numbers: the iteration of the step now shown
    (the one just finished right after an update; the current one before any step)."""
    return explain_shown(store, session_id, notation, entry)


@router.post("/{session_id}/check")
def check_prediction(
    session_id: SessionId,
    body: Annotated[schemas.CheckRequest, Body(openapi_examples=CHECK_EXAMPLES)],
    notation: NotationDep,
    store: StoreDep,
) -> schemas.CheckAnswer:
    """Grades a predicted tensor entry by entry, without revealing the expected values: any
    tensor of the current iteration, whether or not the cursor has reached it."""
    with store.read(session_id) as session:
        trace, iteration = session.trace(), session.iteration
        if body.iteration is not None and body.iteration != iteration:
            previous = session.previous_trace() if body.iteration == iteration - 1 else None
            if previous is None:
                raise invalid(
                    ("body", "iteration"),
                    f"only the current iteration ({iteration}) or, right after an update, "
                    f"the one just finished can be checked",
                )
            trace = previous
            iteration = body.iteration
        network = session.network
    return grade(network, trace, iteration, body, notation)


def grade(
    network: engine.Network,
    trace: engine.Trace,
    iteration: int,
    body: schemas.CheckRequest,
    notation: Notation,
) -> schemas.CheckAnswer:
    """Grades `body.values` against the tensor `body.tensor` of `trace` (an iteration of
    `network`, shown in `notation`) entry by entry: which are right, never what is expected.
    422 naming `tensor` for a tensor the iteration lacks, `values` for a shape that does not fit.
    The one grader: predictions on the page and assignments' submissions alike."""
    _, column = notation.column_trace(network, trace)
    if body.tensor not in column.tensors:
        raise invalid(("body", "tensor"), f"no tensor {body.tensor!r} in this iteration")
    expected = column.tensors[body.tensor].value
    if notation.convention == "row":
        expected = expected.T
    rows, cols = expected.shape
    if len(body.values) != rows:
        raise invalid(
            ("body", "values"), f"{body.tensor} has {rows} rows here, got {len(body.values)}"
        )
    for r, values in enumerate(body.values):
        if len(values) != cols:
            raise invalid(
                ("body", "values", r), f"{body.tensor} has {cols} columns here, got {len(values)}"
            )
    given = np.array(body.values, dtype=float).reshape(rows, cols)
    with np.errstate(invalid="ignore", over="ignore"):
        correct = np.abs(given - expected) <= body.tolerance * (1 + np.abs(expected))
    count = int(correct.sum())
    return schemas.CheckAnswer(
        tensor=body.tensor,
        shape=[int(rows), int(cols)],
        correct=correct.tolist(),
        correct_count=count,
        total=int(correct.size),
        all_correct=count == correct.size,
        tolerance=body.tolerance,
        iteration=iteration,
    )


def _gradient_tensors(
    gradient: engine.Gradient, notation: Notation, symbol: str
) -> tuple[list[schemas.Tensor], list[schemas.Tensor] | None]:
    def tensor(kind: str, i: int, value: Any) -> schemas.Tensor:
        latex = rf"\nabla {symbol if kind == 'W' else 'b'}_{{{i}}}"
        if notation.convention == "row":
            value, latex = value.T, latex + "^{T}"
        rows, cols = value.shape
        return schemas.Tensor(
            name=f"grad{kind}{i}",
            latex=latex,
            shape=[rows, cols],
            data=schemas.encode_matrix(value),
        )

    weights = [tensor("W", i, g) for i, g in enumerate(gradient.weights, start=1)]
    if gradient.biases is None:
        return weights, None
    return weights, [tensor("b", i, g) for i, g in enumerate(gradient.biases, start=1)]


@router.get("/{session_id}/gradients")
def compare_gradient_forms(
    session_id: SessionId, notation: NotationDep, store: StoreDep, settings: SettingsDep
) -> schemas.GradientForms:
    """∇W_i (and ∇b_i) of the current iteration by the recursive form, the Hadamard chain
    (3)/(4), the diagonal chain (5) and finite differences, and the largest difference."""
    with store.read(session_id) as session:
        network, params, iteration = session.network, session.parameters, session.iteration
    notation.check(network)
    if notation.view == "homogeneous":
        network, params = engine.to_homogeneous(network, params)
    count = network.spec.parameter_count
    with_fd = count <= settings.max_finite_difference_parameters
    comparison = engine.compare_gradient_forms(network, params, finite_differences=with_fd)
    symbol = r"\hat{W}" if notation.view == "homogeneous" else "W"
    forms = []
    for name, gradient in comparison.forms.items():
        weights, biases = _gradient_tensors(gradient, notation, symbol)
        forms.append(
            schemas.GradientForm(name=name, title=FORM_TITLES[name], weights=weights, biases=biases)
        )
    note = None
    if not with_fd:
        note = (
            f"Finite differences are left out: the network has {count} parameters, more than "
            f"the {settings.max_finite_difference_parameters} this server differentiates "
            "numerically (4 forward passes each)."
        )
    return schemas.GradientForms(
        iteration=iteration,
        parameter_count=count,
        forms=forms,
        finite_differences=with_fd,
        note=note,
        max_difference=schemas.encode_float(comparison.max_difference),
        max_relative_difference=schemas.encode_float(comparison.max_relative_difference),
        convention=notation.convention,
        view=notation.view,
    )
