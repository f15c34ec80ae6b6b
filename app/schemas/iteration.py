"""An iteration as the API sends it: tensors, step records and whole traces.

Matrices are in the column convention of MATH.md unless a request asks for the row convention,
and go out row-major: as nested lists (non-finite entries as strings, see `numbers`) or, with
`encoding=binary`, as typed arrays.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from .numbers import JsonFloat

Encoding = Literal["json", "binary"]
"""How tensors go out: `json` as nested lists (the default), `binary` as typed arrays."""

Phase = Literal["forward", "objective", "backward", "update"]


class TypedArray(BaseModel):
    """A matrix as Plotly's typed-array form: its float64 entries, row-major, in base64.

    NumPy reads it back with `np.frombuffer(base64.b64decode(bdata), "<f8").reshape(shape)`
    (the tensor's own `shape`); Plotly.js takes it as it is, e.g. as a heatmap's `z`.
    Non-finite entries are IEEE 754 infinities and NaNs like any other.
    """

    dtype: Literal["f8"] = Field(description="Always `f8`: little-endian float64.")
    shape: str = Field(
        description='"rows, cols", as Plotly writes it.', examples=["4, 2"], pattern=r"^\d+, \d+$"
    )
    bdata: str = Field(description="Base64 of the rows × cols entries, row after row.")


TensorData = list[list[JsonFloat]] | TypedArray


class Tensor(BaseModel):
    """A named matrix of the iteration, in the column convention."""

    name: str = Field(description="Its key in MATH.md: `W1`, `Sigma2`, `Delta1`, `gradW1`, …")
    latex: str = Field(description="Its symbol in LaTeX, e.g. `\\Delta_{1}`.")
    shape: list[int] = Field(description="[rows, cols].", min_length=2, max_length=2)
    data: TensorData | None = Field(
        description='Row-major: `data[r][c]` is entry (r + 1, c + 1) on paper; "Infinity", '
        '"-Infinity" or "NaN" for a non-finite entry. With `encoding=binary`: the same '
        "entries as a typed array. Null only in a move's answer, for a tensor its request "
        "said the client holds (`held`)."
    )


# --- a formula line as a tree: what the page draws the equation view from --------------------


class _Node(BaseModel):
    latex: str = Field(description="This part of the formula alone, in LaTeX, as it is shown.")
    shape: list[int] | None = Field(
        description="[rows, cols] of the value this part stands for (null for a scalar)."
    )


class TensorNode(_Node):
    """A factor that is a tensor of the step: find it in the step's `tensors` by `name`."""

    kind: Literal["tensor"] = Field(description="`tensor`: what kind of part this is.")
    name: str = Field(description="The tensor's key in `tensors`, e.g. `W2`.")
    transpose: bool = Field(
        description="The factor is the transpose of the tensor as it is sent in this notation: "
        "draw its data transposed. `shape` is the factor's (already transposed)."
    )


class OnesNode(_Node):
    """A column of ones 1 (m × 1), or the row 1ᵀ."""

    kind: Literal["ones"] = Field(description="`ones`: what kind of part this is.")
    transpose: bool = Field(description="True for the row 1ᵀ.")


class ScalarNode(_Node):
    """A number that scales: η, 1/m, 1/(2m), −1/m."""

    kind: Literal["scalar"] = Field(description="`scalar`: what kind of part this is.")
    value: float = Field(description="Its value.")


class OperationNode(_Node):
    """Two parts combined."""

    kind: Literal["operation"] = Field(description="`operation`: what kind of part this is.")
    op: Literal[
        "matmul", "hadamard", "add", "subtract", "bullet", "kronecker", "scale", "times"
    ] = Field(
        description="`matmul` ·, `hadamard` ∘, `add` +, `subtract` −, `bullet` • (the paper's "
        "A • B = B · A), `kronecker` ⊗ (of a row and a column: their outer product), `scale` "
        "(a scalar, first, times a matrix), `times` (numbers multiplied, written side by side: "
        "the 1-D chain of widths 1 and one sample, Δ_{i+1} w_{i+1} σ′_i)."
    )
    args: list[Expression] = Field(description="The two operands, in the order written.")


class ApplyNode(_Node):
    """A function applied entry by entry (softmax: column by column)."""

    kind: Literal["apply"] = Field(description="`apply`: what kind of part this is.")
    function: str = Field(description="The function in LaTeX, e.g. `\\tanh'`, `f'`.")
    args: list[Expression] = Field(description="Its one argument.")


class GroupNode(_Node):
    """A sub-result, e.g. (W₂ᵀΔ₂), which is the tensor `WTDelta1`."""

    kind: Literal["group"] = Field(description="`group`: what kind of part this is.")
    name: str | None = Field(description="The tensor it equals (a key of `tensors`), if any.")
    brackets: bool = Field(description="Whether it is written inside ( ).")
    body: Expression = Field(description="What is inside.")


class EntryNode(_Node):
    """Entries of a tensor by index symbols, e.g. Σ₂[:,j], Y[r,j]."""

    kind: Literal["entry"] = Field(description="`entry`: what kind of part this is.")
    of: TensorNode = Field(description="The tensor.")
    row: str = Field(description="Row index symbol, `:` for all.")
    col: str = Field(description="Column index symbol, `:` for all.")


class SumNode(_Node):
    """∑ over an index."""

    kind: Literal["sum"] = Field(description="`sum`: what kind of part this is.")
    index: str = Field(description="The index, e.g. `j`.")
    lower: str | None = Field(description="Its first value, e.g. `1`; null: every value.")
    upper: str | None = Field(description="Its last value, e.g. `m`; null: every value.")
    body: Expression = Field(description="What is summed.")


class NormNode(_Node):
    """The squared norm ‖·‖² (the Q&A writes it (v)(v)ᵀ)."""

    kind: Literal["norm"] = Field(description="`norm`: what kind of part this is.")
    body: Expression = Field(description="The vector.")


class EquationNode(_Node):
    """result = expression."""

    kind: Literal["equation"] = Field(description="`equation`: what kind of part this is.")
    lhs: Expression = Field(description="The result, usually a tensor.")
    rhs: Expression = Field(description="How it is computed.")


Expression = Annotated[
    TensorNode
    | OnesNode
    | ScalarNode
    | OperationNode
    | ApplyNode
    | GroupNode
    | EntryNode
    | SumNode
    | NormNode
    | EquationNode,
    Field(discriminator="kind"),
]
"""A formula line as a tree, in the notation asked for; see engine/formulas/__init__.py."""

for _model in (OperationNode, ApplyNode, GroupNode, SumNode, NormNode, EquationNode):
    _model.model_rebuild()


class Formula(BaseModel):
    """One line of a step's mathematics."""

    latex: str = Field(description="The formula in LaTeX.")
    latex_shapes: str = Field(
        description="The same with `\\underbrace{…}_{r\\times c}` under every factor."
    )
    shape_algebra: str = Field(description="The dimension algebra, e.g. `(4×2) · (2×4) → (4×4)`.")
    expression: Expression = Field(
        description="The same line as a tree, for a page to draw without reading LaTeX: every "
        "factor a `tensor` node naming its key in `tensors` (with `transpose` and its shape), "
        "operations (`matmul` ·, `hadamard` ∘, `add`, `subtract`, `bullet` •, `kronecker` ⊗, "
        "`scale`), `apply` σ(·), `ones` 1 / 1ᵀ, `scalar` η or 1/m, and `group`s, the bracketed "
        "sub-results, naming their tensor when they have one (W₂ᵀΔ₂ is `WTDelta1`). The root "
        "is an `equation` (result = expression), or the expression alone where the notation has "
        "no name for the result (the Q&A's HW + B)."
    )
    result: str = Field(description="The tensor the line computes (a key of `tensors`).")
    note: str | None = Field(
        default=None, description="What to say beside the line (e.g. J's 1/m), or null."
    )


class SubStep(BaseModel):
    """One operation inside a step, for the page to animate."""

    description: str = Field(description="What the operation does, in words.")
    latex: str = Field(description="The operation in LaTeX.")
    latex_shapes: str = Field(description="The same with the size under every factor.")
    shape_algebra: str = Field(description="The dimension algebra.")
    operands: list[str] = Field(description="Names of the tensors it reads.")
    result: str = Field(description="Name of the tensor it produces.")


class HeldFixed(BaseModel):
    """Whole rows and whole columns (1-based, of the matrix as shown) held fixed."""

    rows: list[int] = Field(description="1-based rows whose every entry is held fixed.")
    cols: list[int] = Field(description="1-based columns whose every entry is held fixed.")


class Step(BaseModel):
    """A step of an iteration: forward 1 … k, objective, backward k … 1, update."""

    index: int = Field(description="0-based position in the iteration.")
    number: int = Field(description="1-based position in the iteration (index + 1).")
    of: int = Field(description="Steps per iteration, 2k + 2.")
    phase: Phase = Field(description="What the step does.")
    layer: int | None = Field(description="Layer i (1-based); null for objective and update.")
    title: str = Field(description="A heading, e.g. `Backward, layer 1`.")
    formulas: list[Formula] = Field(description="The step's mathematics, one line each.")
    substeps: list[SubStep] = Field(description="The operations inside the step, in order.")
    operands: list[str] = Field(description="Tensors the step reads.")
    intermediates: list[str] = Field(
        description="Tensors computed along the way, e.g. `WTDelta1` = W_2ᵀ Δ_2."
    )
    results: list[str] = Field(description="Tensors the step produces.")
    shapes: dict[str, list[int]] = Field(
        description="[rows, cols] of every operand, intermediate and result."
    )
    constants: dict[str, float] = Field(
        description='Scalars in the formulas: `{"eta": 0.1}` for the update, '
        '`{"m": 4}` for the objective, else empty.'
    )
    held_fixed: dict[str, HeldFixed] = Field(
        default_factory=dict,
        description="Entries of the step's tensors that are constants, not weights, by tensor "
        "key: in the homogeneous view the formal row [0 … 0 1] of Ŵ_i, i < k (the last row; "
        "the last column in the row convention) in `W{i}`, `gradW{i}` and `W{i}_new`. The "
        "update holds them fixed, so their entries of ∇Ŵ_i, which differentiation gives "
        "non-zero, are not applied. Empty otherwise.",
    )
    held_fixed_reason: str | None = Field(
        default=None,
        description="Why `held_fixed` entries are held fixed, in one sentence (the paper's §3, "
        "condition (b)); null when there are none.",
    )


class StepWithTensors(Step):
    """A step record with the tensors it reads, computes and produces."""

    tensors: dict[str, Tensor] = Field(
        description="Every operand, intermediate and result of the step, by name."
    )


class Trace(BaseModel):
    """One whole iteration from the spec's starting parameters."""

    step_count: int = Field(description="2k + 2.")
    loss: JsonFloat = Field(description="J of the iteration.")
    steps: list[Step] = Field(description="The 2k + 2 step records, in order, without tensors.")
    tensors: dict[str, Tensor] = Field(
        description="Every tensor of the iteration by name: X, Y, W{i}, b{i}, N{i}, Sigma{i}, "
        "SigmaPrime{i}, P (softmax only), J, G, Delta{i}, WTDelta{i}, gradW{i}, gradb{i}, "
        "W{i}_new, b{i}_new."
    )


class OutlineEntry(BaseModel):
    """One step of an iteration, for the page's strip of steps."""

    number: int = Field(description="1-based position in the iteration.")
    phase: Phase = Field(description="Its phase.")
    layer: int | None = Field(description="Its layer, null for objective and update.")
    title: str = Field(description="Its heading.")
