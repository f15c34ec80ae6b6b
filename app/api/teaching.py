"""Teaching a session: explain any entry, grade a student's prediction, every gradient form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

import numpy as np
from fastapi import APIRouter, Body, Depends, Query, Response

from app import engine, schemas
from app.schemas import Encoding
from app.store import SessionStore

from . import answers
from .deps import SettingsDep, StoreDep
from .encoding import EncodingDep
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
    explained = engine.explain_entry(shown_network, column, name, *at, notation=notation.written)
    latex = engine.notate(column, notation.written).tensors[name].latex

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
        formula=explained.formula,
        numbers=explained.numbers,
        terms=[[factor(f) for f in term] for term in explained.terms],
        coefficients=list(explained.coefficients),
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
        # Iterations are numbered from 1 in answers; the engine counts the updates taken.
        trace, iteration = session.trace(), session.iteration + 1
        just_updated = session.cursor == 0 and session.iteration > 0
        asked = body.iteration
        if asked is not None and asked != iteration:
            previous = session.previous_trace() if asked == iteration - 1 else None
            if previous is None:
                raise invalid(
                    ("body", "iteration"),
                    f"only the current iteration ({iteration}) or, right after an update, "
                    f"the one just finished ({iteration - 1}) can be checked",
                )
            trace = previous
            iteration = asked
        network = session.network
    graded = grade(network, trace, iteration, body, notation)
    if graded.correct_count == 0 and just_updated and body.iteration is None:
        hint = (
            f"Every entry is wrong for iteration {iteration}, which has just begun: the update "
            f'just taken finished iteration {iteration - 1}; send "iteration": {iteration - 1} '
            "to grade that one."
        )
        return graded.model_copy(update={"hint": hint})
    return graded


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
    gradient: engine.Gradient,
    layers: list[int],
    symbol: Callable[[str], str],
    notation: Notation,
    encoding: Encoding,
) -> tuple[list[answers.Answer], list[answers.Answer] | None]:
    """∇W_i (and ∇b_i) of the layers asked, as the notation shows them."""

    def tensor(name: str, value: Any) -> answers.Answer:
        shown = value.T if notation.convention == "row" else value
        return answers.tensor(engine.Tensor(name, symbol(name), shown), encoding)

    weights = [tensor(f"gradW{i}", gradient.weights[i - 1]) for i in layers]
    if gradient.biases is None:
        return weights, None
    return weights, [tensor(f"gradb{i}", gradient.biases[i - 1]) for i in layers]


def _difference(a: engine.Gradient, b: engine.Gradient, i: int) -> float:
    """The largest |difference| of ∇W_i and ∇b_i between two forms."""
    pairs = [(a.weights[i - 1], b.weights[i - 1])]
    if a.biases is not None and b.biases is not None:
        pairs.append((a.biases[i - 1], b.biases[i - 1]))
    return max(float(np.abs(x - y).max(initial=0.0)) for x, y in pairs)


GradientLayer = Annotated[
    int | None,
    Query(
        ge=1,
        description="Only layer i (from 1): its ∇W_i and ∇b_i by every form, and each form's "
        "formulas written out for that layer ((3) with • and ∘, (4) with ⊗, (5) with the "
        "diagonal Σ̂′), with the network's indices and sizes. Omitted: every layer, no formulas.",
        examples=[1],
    ),
]


@router.get("/{session_id}/gradients", response_model=schemas.GradientForms)
def compare_gradient_forms(
    session_id: SessionId,
    notation: NotationDep,
    store: StoreDep,
    settings: SettingsDep,
    encoding: EncodingDep,
    layer: GradientLayer = None,
) -> Response:
    """∇W_i (and ∇b_i) of the current iteration by the recursive form, the Hadamard chain
    (3)/(4), the diagonal chain (5) and finite differences, and the largest difference."""
    with store.read(session_id) as session:
        network, iteration = session.network, session.iteration + 1  # numbered from 1
        trace = session.trace()
    notation.check(network)
    k = network.depth
    if layer is not None and layer > k:
        raise invalid(("query", "layer"), f"the network has layers 1 … {k}, got {layer}")
    shown_network, column = notation.column_trace(network, trace)
    params = engine.parameters_of(column)
    count = shown_network.spec.parameter_count
    with_fd = count <= settings.max_finite_difference_parameters
    comparison = engine.compare_gradient_forms(shown_network, params, finite_differences=with_fd)
    context = engine.trace_context(column)
    written = notation.written

    def symbol(name: str) -> str:
        return engine.formulas.symbol(name, context, written)

    layers = list(range(1, k + 1)) if layer is None else [layer]
    lines = {} if layer is None else engine.formulas.gradient_form_lines(layer, k)
    recursive = comparison.forms["recursive"]
    forms = []
    for name, gradient in comparison.forms.items():
        weights, biases = _gradient_tensors(gradient, layers, symbol, notation, encoding)
        formulas = engine.formulas.write(lines.get(name, ()), context, written)
        forms.append(
            {
                "name": name,
                "title": FORM_TITLES[name],
                "weights": weights,
                "biases": biases,
                "formulas": [answers.formula(f) for f in formulas],
                "differences": [
                    schemas.encode_float(_difference(gradient, recursive, i)) for i in layers
                ],
            }
        )
    note = None
    if not with_fd:
        note = (
            f"Finite differences are left out: the network has {count} parameters, more than "
            f"the {settings.max_finite_difference_parameters} this server differentiates "
            "numerically (4 forward passes each)."
        )
    return answers.respond(
        {
            "iteration": iteration,
            "layer": layer,
            "parameter_count": count,
            "forms": forms,
            "finite_differences": with_fd,
            "note": note,
            "max_difference": schemas.encode_float(comparison.max_difference),
            "max_relative_difference": schemas.encode_float(comparison.max_relative_difference),
            "convention": notation.convention,
            "view": notation.view,
        }
    )
