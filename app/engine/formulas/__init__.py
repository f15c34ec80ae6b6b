"""Every formula line, described once as an expression tree and written in each notation.

A line is described in the paper's column convention, as a tree whose leaves are the
iteration's tensors by name (transposed or not), ones 1 / 1ᵀ and scalars (η, 1/m), and whose
nodes are operations (matmul ·, Hadamard ∘, +, −, bullet •, Kronecker ⊗, scalar times),
function application σ(·), bracketed sub-results (naming their tensor when there is one), and,
for J, entries T[r,c], sums and the squared norm. From that one tree the same line is written in
each `Notation`: the column or row convention (the row one is the tree transposed, (AB)ᵀ = BᵀAᵀ,
each leaf's transpose flipped, so that no double transpose is ever written), the affine network
or its homogeneous embedding (Ŵ_i, X̂), with the paper's names or the Q&A's (row convention, one
hidden layer, squared error: H, W, B, Y, Y*, f′(HW + B), ∂J/∂W, ∂J/∂B); as LaTeX, as LaTeX with the
size under every factor, as shape algebra, and as JSON for the page (`Formula.expression`).

JSON of a written tree, every node in the notation asked for (shapes as [rows, cols] of the
value the node stands for, null for a scalar; `latex` is the node alone, plain):

    {"kind": "equation", "latex", "shape", "lhs": node, "rhs": node}
    {"kind": "tensor",   "latex", "shape", "name": "W2", "transpose": true}
        `name` keys the step's `tensors`; `transpose`: the factor is the transpose of that
        tensor as it is sent in this notation (draw its data transposed); `shape` is the
        factor's, i.e. already transposed.
    {"kind": "ones",     "latex", "shape", "transpose": bool}     1 (m × 1) or 1ᵀ (1 × m)
    {"kind": "scalar",   "latex", "shape": null, "value": 0.1}     η, 1/m, 1/(2m), −1/m
    {"kind": "operation","latex", "shape", "op": OP, "args": [node, node]}
        OP: "matmul" (·), "hadamard" (∘), "add" (+), "subtract" (−), "bullet" (A • B = B · A),
        "kronecker" (⊗, of a row and a column: their outer product), "scale" (scalar times),
        "times" (numbers multiplied, written side by side: the 1-D chain's Δ_{i+1} w_{i+1} σ'_i,
        where every width is 1 and there is one sample).
    {"kind": "apply",    "latex", "shape", "function": "\\tanh'", "args": [node]}  entrywise
    {"kind": "group",    "latex", "shape", "name": "WTDelta1" | null, "brackets": bool,
                         "body": node}
        a sub-result: `name` is the tensor it equals (in `tensors`) when it has one;
        `brackets`: written inside ( ).
    {"kind": "entry",    "latex", "shape", "of": tensor node, "row": "r", "col": "j"}
    {"kind": "sum",      "latex", "shape", "index": "j", "lower": "1", "upper": "m" | null,
                         "body": node}
    {"kind": "norm",     "latex", "shape", "body": node}           the squared norm ‖·‖²

The root of a line is an `equation` (result = expression), or, where a notation has no name of
its own for the result (the Q&A's HW + B), the expression alone.
"""

from __future__ import annotations

from .lines import (
    StepLines,
    back_signal,
    chain_product,
    definitions,
    delta,
    describe_steps,
    gradient_form_lines,
    layer_input,
    objective_gradient,
    objective_lines,
    weighted_sums,
)
from .numbers import factor_tex, number_tex, with_numbers
from .symbols import QA_SYMBOLS, QA_WRITTEN_OUT, column_symbol
from .tree import (
    COLUMN,
    Apply,
    Context,
    Entry,
    Equation,
    Group,
    Leaf,
    Line,
    Node,
    Norm,
    Notation,
    Ones,
    Op,
    Scalar,
    Sum,
    qa_names_fit,
    transpose,
)
from .writer import Formula, symbol, write

__all__ = [
    "COLUMN",
    "QA_SYMBOLS",
    "QA_WRITTEN_OUT",
    "Apply",
    "Context",
    "Entry",
    "Equation",
    "Formula",
    "Group",
    "Leaf",
    "Line",
    "Node",
    "Norm",
    "Notation",
    "Ones",
    "Op",
    "Scalar",
    "StepLines",
    "Sum",
    "back_signal",
    "chain_product",
    "column_symbol",
    "definitions",
    "delta",
    "describe_steps",
    "factor_tex",
    "gradient_form_lines",
    "layer_input",
    "number_tex",
    "objective_gradient",
    "objective_lines",
    "qa_names_fit",
    "symbol",
    "transpose",
    "weighted_sums",
    "with_numbers",
    "write",
]
