"""Teaching answers: an entry explained, a prediction graded, every form of the gradient."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from .iteration import Formula, Tensor
from .numbers import JsonFloat

Convention = Literal["column", "row"]
View = Literal["affine", "homogeneous"]
Names = Literal["paper", "qa"]


class ExplainFactor(BaseModel):
    """One factor of a term of an explained entry: an entry of a shown matrix and its value."""

    name: str = Field(description="The tensor's key, e.g. `Delta2`.")
    row: int = Field(description="1-based row in the matrix as shown (transposed in `row`).")
    col: int = Field(description="1-based column in the matrix as shown.")
    value: JsonFloat = Field(description="The entry's value.")


class Highlight(BaseModel):
    """The rows and columns (1-based, of the matrix as shown) of an operand an entry reads.

    Rows only: those whole rows; columns only: those whole columns; both: the entries where
    they cross; neither: the whole matrix.
    """

    rows: list[int] = Field(description="1-based rows read.")
    cols: list[int] = Field(description="1-based columns read.")


class Explanation(BaseModel):
    """How one entry of a tensor is computed, at index level, with the numbers written in."""

    tensor: str = Field(description="The tensor's key, e.g. `gradW2`.", examples=["gradW2"])
    latex: str = Field(description="Its symbol as shown, in LaTeX.")
    row: int = Field(description="1-based row of the entry in the matrix as shown.")
    col: int = Field(description="1-based column of the entry in the matrix as shown.")
    value: JsonFloat = Field(description="The entry's value.")
    formula: str = Field(
        description="The index-level rule in LaTeX, e.g. "
        "`\\nabla W_{2}[1,3] = \\sum_{j=1}^{4} \\Delta_{2}[1,j]\\,\\Sigma_{1}[3,j]`; in the row "
        "convention it starts with the transposed entry, `(\\nabla W_{2}^{T})[3,1] = …`, "
        "and continues with the paper's indices."
    )
    numbers: str = Field(description="The same rule with the values written in, and the result.")
    terms: list[list[ExplainFactor]] = Field(
        description="The products that add up to the entry: the entry is the sum over terms of "
        "`coefficients[t]` times the product of the values of `terms[t]`'s factors (to "
        "rounding). A hidden Δ_i's terms each carry its Σ'_i factor: "
        "W_{i+1}[q,r] · Δ_{i+1}[q,c] · Σ'_i[r,c]. Empty where the entry is no sum of products "
        "(σ(N), softmax P, J): `formula` says how it is computed."
    )
    coefficients: list[float] = Field(
        description="One per term: 1, or a constant of the formula (G's 1/m and −1/m, the "
        "update's 1 and −η)."
    )
    highlights: dict[str, Highlight] = Field(
        description="Per operand (by key), the rows and columns the entry reads, for the page "
        "to mark."
    )
    convention: Convention = Field(description="The convention the indices refer to.")
    view: View = Field(description="The network explained: the affine one or its embedding.")


class CheckAnswer(BaseModel):
    """Which entries of a prediction are right; the expected values are not revealed."""

    tensor: str = Field(description="The tensor's key.")
    shape: list[int] = Field(description="[rows, cols] expected (as shown in the convention).")
    correct: list[list[bool]] = Field(description="Per entry, row-major: whether it is right.")
    correct_count: int = Field(description="How many entries are right.")
    total: int = Field(description="How many entries there are.")
    all_correct: bool = Field(description="Whether every entry is right.")
    tolerance: float = Field(description="The tolerance used.")
    iteration: int = Field(description="The iteration graded, numbered from 1.")
    hint: str | None = Field(
        default=None,
        description="When every entry is wrong right after an update: that the iteration "
        'graded is the new one, and how to grade the one just finished (`"iteration"`).',
    )


class GradientForm(BaseModel):
    """∇J computed one way: ∇W_1 … ∇W_k (and ∇b_1 … ∇b_k)."""

    name: str = Field(
        description="`recursive`, `hadamard_chain`, `diagonal_chain` or `finite_differences`."
    )
    title: str = Field(description="What the form is, in words, e.g. `Diagonal chain (5)`.")
    weights: list[Tensor] = Field(
        description="∇W_1 … ∇W_k, named gradW1 … gradWk (with `?layer=i`, ∇W_i alone)."
    )
    biases: list[Tensor] | None = Field(
        description="∇b_1 … ∇b_k as n_i × 1 (1 × n_i in the row convention); null without biases."
    )
    formulas: list[Formula] = Field(
        default_factory=list,
        description="With `?layer=i`: the form written out for ∇W_i as the texts write it, with "
        "the network's layer indices and the size under every factor (`latex_shapes`); the "
        "recursive form's Δ_i and ∇W_i = Δ_i Σ_{i-1}ᵀ, the Hadamard chain's (3) (• and ∘) and "
        "(4) (⊗), the diagonal chain's (5) (Σ̂′); none for finite differences.",
    )
    differences: list[JsonFloat] = Field(
        default_factory=list,
        description="Per layer answered, the largest |difference| of any entry of ∇W_i and ∇b_i "
        "from the recursive form's (0 for the recursive form itself).",
    )


class GradientForms(BaseModel):
    """The gradient of the current iteration by every form the texts give, and how close."""

    iteration: int = Field(
        description="The iteration whose parameters are used (the current one), from 1."
    )
    layer: int | None = Field(
        default=None, description="The layer asked with `?layer=i`; null: every layer."
    )
    parameter_count: int = Field(description="Weights and biases in the network.")
    forms: list[GradientForm] = Field(description="Each form's gradient, in a fixed order.")
    finite_differences: bool = Field(
        description="Whether finite differences were computed (not above "
        "MAX_FINITE_DIFFERENCE_PARAMETERS parameters: they cost 4 passes per parameter)."
    )
    note: str | None = Field(description="Why a form is missing, in words; null otherwise.")
    max_difference: JsonFloat = Field(
        description="The largest |difference| of any entry between any two forms."
    )
    max_relative_difference: JsonFloat = Field(
        description="The same over the largest |entry| of the two forms compared."
    )
    convention: Convention = Field(description="The convention of the matrices.")
    view: View = Field(description="The network: the affine one or its embedding.")
