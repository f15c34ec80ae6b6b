"""Every pydantic model of the API. NumPy arrays become JSON lists here and nowhere else.

Matrices are in the column convention of MATH.md and go out as row-major nested lists; a
non-finite entry (a diverged run) goes out as the string "Infinity", "-Infinity" or "NaN", which
Python's `float()` reads back. Requests carry finite numbers only, NaN and Infinity are refused
with 422 naming the field, except in the `state` of an exported session, which is taken back as
it was exported, a diverged run's strings included. Requests are strict about JSON types (no
`true` or `"3"` for a number), but their types are otherwise as loose as a useful schema allows,
so that the engine does the semantic checks and names the field and the reason itself.
"""

from __future__ import annotations

import math
import threading
import weakref
from typing import Annotated, Any, Literal, cast

import numpy as np
import numpy.typing as npt
import orjson
import pybase64
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    FieldSerializationInfo,
    FiniteFloat,
    PlainValidator,
    PrivateAttr,
    TypeAdapter,
    WithJsonSchema,
    computed_field,
    field_serializer,
)
from pydantic_core import PydanticCustomError

from app import engine
from app.identity_cache import IdentityCache

FloatArray = npt.NDArray[np.float64]

NonFinite = Literal["Infinity", "-Infinity", "NaN"]
JsonFloat = float | NonFinite
"""A number in a response: finite as a JSON number, else one of the three strings."""

_NON_FINITE: dict[str, float] = {"Infinity": math.inf, "-Infinity": -math.inf, "NaN": math.nan}


def encode_float(value: float) -> JsonFloat:
    """`value`, or its name as a string when it is not finite."""
    if math.isfinite(value):
        return value
    if math.isnan(value):
        return "NaN"
    return "Infinity" if value > 0 else "-Infinity"


def decode_float(value: JsonFloat) -> float:
    """The float a JSON number or one of the three strings stands for."""
    return _NON_FINITE[value] if isinstance(value, str) else float(value)


def encode_matrix(value: FloatArray) -> list[list[JsonFloat]]:
    """A 2-D array (rows × cols) as a list of rows, non-finite entries as strings."""
    rows: list[list[JsonFloat]] = value.tolist()
    if np.isfinite(value).all():
        return rows
    return [[encode_float(float(v)) for v in row] for row in rows]


def encode_floats(values: list[float]) -> list[JsonFloat]:
    """A list of floats, non-finite ones as strings."""
    return [encode_float(v) for v in values]


def encode_nested(value: Any) -> Any:
    """Floats inside lists and dicts (any depth, as in the engine's documents), encoded."""
    if isinstance(value, float):
        return encode_float(value)
    if isinstance(value, list):
        return [encode_nested(v) for v in value]
    if isinstance(value, dict):
        return {k: encode_nested(v) for k, v in value.items()}
    return value


def _describe_choices(names: Any) -> str:
    return ", ".join(f"`{name}`" for name in names)


ACTIVATION_NAMES = _describe_choices(engine.ACTIVATIONS)
OBJECTIVE_NAMES = _describe_choices(engine.OBJECTIVES)
INIT_NAMES = _describe_choices(engine.INITIALISATIONS)

XOR_SPEC: dict[str, Any] = engine.preset("xor").spec
"""The example body: XOR with a batch of 4, a hidden layer of 4 tanh neurons."""

Phase = Literal["forward", "objective", "backward", "update"]

Matrix = list[list[FiniteFloat]]
"""A matrix in a request: a list of rows of finite numbers."""


def _state_number(value: object) -> float:
    """A finite number, or one of the three strings as the float it stands for."""
    if type(value) is float and value - value == 0.0:  # the common case first: finite floats
        return value
    if isinstance(value, str) and value in _NON_FINITE:
        return _NON_FINITE[value]
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    raise PydanticCustomError(
        "state_number", 'must be a finite number, or "Infinity", "-Infinity" or "NaN"'
    )


StateNumber = Annotated[
    float,
    PlainValidator(_state_number),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"enum": list(_NON_FINITE)}]}),
]
"""A number of a session's state as export returns it: a diverged run's weights and losses
may be "Infinity", "-Infinity" or "NaN", and the session is restored with them."""

StateMatrix = list[list[StateNumber]]

STRICT_JSON = ConfigDict(extra="forbid", strict=True)
"""Requests take no unknown fields, and no value of another JSON type (`true` or `"3"` for an
integer, `2.0` for a width): the schema says what is accepted, exactly."""


# --- requests --------------------------------------------------------------------------------


class NetworkSpec(BaseModel):
    """A network, its data and how to train it (MATH.md): what POST /api/trace runs."""

    model_config = STRICT_JSON | ConfigDict(json_schema_extra={"examples": [XOR_SPEC]})

    layers: list[int] = Field(
        description="Widths n_0 … n_k: the inputs n_0, then the neurons of layers 1 … k (k ≥ 1).",
        examples=[[2, 4, 1]],
    )
    activations: str | list[str | list[str]] = Field(
        default="sigmoid",
        description=(
            "One activation per layer 1 … k; an entry may instead list one name per neuron "
            f"of its layer; a single name applies to every layer. Names: {ACTIVATION_NAMES}."
        ),
        examples=[["tanh", "sigmoid"], [["tanh", "relu", "tanh", "sin"], "sigmoid"]],
    )
    bias: bool = Field(
        default=True,
        description="True for affine layers N_i = W_i Σ_{i-1} + b_i 1ᵀ, false for homogeneous "
        "layers N_i = W_i Σ_{i-1} (the paper's setting).",
    )
    loss: str = Field(
        default="squared_error",
        description=f"The objective J: {OBJECTIVE_NAMES}. `network` needs n_k = 1 and no "
        "targets; `softmax_cross_entropy` needs the identity activation on layer k and "
        "targets that are distributions.",
        examples=["squared_error"],
    )
    inputs: Matrix = Field(
        description="The batch: m samples, each a list of n_0 numbers (sent back as X, n_0 × m).",
        examples=[[[0, 0], [0, 1], [1, 0], [1, 1]]],
    )
    targets: Matrix | None = Field(
        default=None,
        description="One target per sample, each a list of n_k numbers (sent back as Y, "
        "n_k × m); omitted or null for the `network` objective.",
        examples=[[[0], [1], [1], [0]]],
    )
    weights: list[Matrix] | None = Field(
        default=None,
        description="Optional starting weights W_1 … W_k, W_i as n_i rows of n_{i-1} numbers; "
        "omitted: drawn by `init` from `seed`.",
        examples=[[[[0.5, -0.5]]]],
    )
    biases: Matrix | None = Field(
        default=None,
        description="Optional starting biases b_1 … b_k, b_i as a list of n_i numbers; "
        "omitted: zeros. Only with `bias: true`.",
        examples=[[[0.1]]],
    )
    seed: int = Field(
        default=0,
        description="Seed of the random starting weights, 0 … 2^63 − 1.",
        examples=[0],
    )
    init: str = Field(
        default="xavier",
        description=f"How random starting weights are drawn: {INIT_NAMES}.",
        examples=["xavier"],
    )
    learning_rate: FiniteFloat = Field(
        default=0.1, description="η of the update W_i ← W_i − η ∇W_i; positive.", examples=[0.5]
    )

    def to_engine(self) -> dict[str, Any]:
        """The spec as the engine's `build_spec` reads it."""
        return self.model_dump(exclude={"state"})


class HistoryEntry(BaseModel):
    """The parameters at the start of an earlier iteration, kept for stepping back."""

    model_config = STRICT_JSON

    weights: list[StateMatrix] = Field(description="W_1 … W_k, each a list of rows.")
    biases: StateMatrix | None = Field(
        default=None, description="b_1 … b_k, each a list of n_i numbers; null without biases."
    )


class SessionState(BaseModel):
    """Where a session is: what GET /api/sessions/{id}/export returns under `state`."""

    model_config = STRICT_JSON

    iteration: int = Field(
        ge=0,
        description="Iterations finished (updates taken): a count, from which the answers' "
        "iteration numbers (from 1) follow as iteration + 1.",
    )
    cursor: int = Field(
        ge=0, description="Steps taken in the current iteration, 0 … 2k + 1.", examples=[3]
    )
    weights: list[StateMatrix] = Field(
        description="W_1 … W_k at the start of the current iteration, each a list of rows."
    )
    biases: StateMatrix | None = Field(
        default=None,
        description="b_1 … b_k at the start of the current iteration; null without biases.",
    )
    losses: list[StateNumber] = Field(
        default_factory=list,
        description='J of each finished iteration; a diverged one as "Infinity" or "NaN".',
    )
    history: list[HistoryEntry] = Field(
        default_factory=list,
        description="The parameters at the start of the last finished iterations, oldest "
        "first, at most one per finished iteration: what stepping back across an update "
        "restores.",
    )

    def to_engine(self) -> dict[str, Any]:
        """The state as the engine's `Session.from_document` reads it."""
        return self.model_dump()


def _exported_example() -> dict[str, Any]:
    """The paper's 1-D chain after one update and two more steps, as export returns it."""
    session = engine.Session.create(engine.preset("paper-1d-chain").spec)
    for _ in range(session.steps_per_iteration + 2):
        session.step()
    document = session.to_document()
    return {**document["spec"], "state": document["state"]}


EXPORTED_EXAMPLE = _exported_example()


class SessionCreate(NetworkSpec):
    """A spec, and optionally the state an export returned, to restore that session exactly."""

    model_config = STRICT_JSON | ConfigDict(
        json_schema_extra={"examples": [XOR_SPEC, EXPORTED_EXAMPLE]}
    )

    state: SessionState | None = Field(
        default=None,
        description="Omitted: a new session at step 0 of iteration 1. Given (as export "
        "returns it): the session restored exactly, ready for its next step.",
    )

    def to_document(self) -> dict[str, Any]:
        """The body as the engine's `Session.from_document` reads it."""
        return {
            "spec": self.to_engine(),
            "state": None if self.state is None else self.state.to_engine(),
        }


class TrainRequest(BaseModel):
    """How many whole iterations to run."""

    model_config = STRICT_JSON | ConfigDict(json_schema_extra={"examples": [{"iterations": 100}]})

    iterations: int = Field(
        ge=1,
        description="Whole iterations (forward, objective, backward, update) to run from the "
        "start of the current one; at most the server's MAX_TRAIN_ITERATIONS.",
        examples=[100],
    )


class GotoRequest(BaseModel):
    """Which step of the current iteration to show."""

    model_config = STRICT_JSON | ConfigDict(json_schema_extra={"examples": [{"step": 3}]})

    step: int = Field(
        description="Steps taken afterwards, 0 … 2k + 2: 0 is the start of the iteration, "
        "2k + 2 takes the update and starts the next iteration.",
        examples=[3],
    )


# --- responses --------------------------------------------------------------------------------


Encoding = Literal["json", "binary"]
"""How tensors go out: `json` as nested lists (the default), `binary` as typed arrays."""


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
    _entries: FloatArray = PrivateAttr()

    @computed_field(description="Base64 of the rows × cols entries, row after row.")  # type: ignore[prop-decorator]
    @property
    def bdata(self) -> str:
        """Written when the answer is: an answer holds no second copy of its numbers."""
        return pybase64.b64encode_as_string(self._entries.data)

    def json_pieces(self) -> tuple[bytes, ...]:
        """This typed array as JSON, as pydantic writes it, in pieces to be joined once: the
        base64 is made as bytes and copied no more than it must be."""
        return _typed_pieces(self.shape, self._entries)

    @staticmethod
    def pieces_of(value: FloatArray) -> tuple[bytes, ...]:
        """`from_array(value).json_pieces()`, without making the typed array."""
        rows, cols = value.shape
        return _typed_pieces(f"{rows}, {cols}", np.ascontiguousarray(value, dtype="<f8"))

    @classmethod
    def from_array(cls, value: FloatArray) -> TypedArray:
        """The typed array of a 2-D float64 array (which must not change afterwards)."""
        rows, cols = value.shape
        made = cls.model_construct(dtype="f8", shape=f"{rows}, {cols}")
        made._entries = np.ascontiguousarray(value, dtype="<f8")
        return made


def _typed_pieces(shape: str, entries: FloatArray) -> tuple[bytes, ...]:
    return (
        b'{"dtype":"f8","shape":"',
        shape.encode("ascii"),
        b'","bdata":"',
        pybase64.b64encode(entries.data),
        b'"}',
    )


_MARK = "\x00tensor data\x00"
_MARK_JSON = b'"\\u0000tensor data\\u0000"'
"""A tensor's `data` while its answer is written, as JSON writes it: NUL is escaped, and no
string of the API holds a NUL."""


class _Splice:
    """The context of a `dump_json`: the tensors' data written apart, in the order written."""

    __slots__ = ("fragments",)

    def __init__(self) -> None:
        self.fragments: list[tuple[bytes, ...]] = []


class _Pending:
    """A tensor's `data` not made yet: made only if pydantic writes the tensor itself;
    `dump_json` writes it straight from the array. One instance for finite lists, one for a
    typed array."""

    __slots__ = ()


_PENDING: Any = _Pending()
_PENDING_TYPED: Any = _Pending()

_adapters: dict[type[BaseModel], TypeAdapter[Any]] = {}


def _adapter(model: type[BaseModel]) -> TypeAdapter[Any]:
    adapter = _adapters.get(model)
    if adapter is None:
        adapter = _adapters[model] = TypeAdapter(model)
    return adapter


TensorData = list[list[JsonFloat]] | TypedArray
_TENSOR_DATA: TypeAdapter[TensorData] = TypeAdapter(TensorData)


class Tensor(BaseModel):
    """A named matrix of the iteration, in the column convention."""

    name: str = Field(description="Its key in MATH.md: `W1`, `Sigma2`, `Delta1`, `gradW1`, …")
    latex: str = Field(description="Its symbol in LaTeX, e.g. `\\Delta_{1}`.")
    shape: list[int] = Field(description="[rows, cols].", min_length=2, max_length=2)
    data: TensorData = Field(
        description='Row-major: `data[r][c]` is entry (r + 1, c + 1) on paper; "Infinity", '
        '"-Infinity" or "NaN" for a non-finite entry. With `encoding=binary`: the same '
        "entries as a typed array."
    )

    _value: FloatArray | None = PrivateAttr(default=None)

    @classmethod
    def from_engine(cls, tensor: engine.Tensor, encoding: Encoding = "json") -> Tensor:
        """Its JSON form, its entries as nested lists or as a typed array. Finite lists are
        made when written (by `dump_json`, straight from the array)."""
        value = tensor.value
        if encoding == "binary":
            data: Any = _PENDING_TYPED
        elif np.isfinite(value).all():
            data = _PENDING
        else:
            data = encode_matrix(value)
        made = cls.model_construct(
            name=tensor.name, latex=tensor.latex, shape=list(tensor.shape), data=data
        )
        made._value = value
        return made

    @field_serializer("data", return_type=TensorData)
    def _write_data(self, data: Any, info: FieldSerializationInfo) -> Any:
        """`data` as pydantic writes it: lists made now when pending; within `dump_json`, a
        mark where the data written apart goes."""
        splice = info.context
        if isinstance(splice, _Splice):
            fragment = self.data_json()
            if fragment is not None:
                splice.fragments.append(fragment)
                return _MARK
        if data is _PENDING:
            assert self._value is not None
            return encode_matrix(self._value)
        if data is _PENDING_TYPED:
            assert self._value is not None
            return TypedArray.from_array(self._value)
        return data

    def data_json(self) -> tuple[bytes, ...] | None:
        """`data` as JSON, written faster than a general JSON writer does: a typed array with
        its base64 put in unscanned; finite lists by orjson from the array (another way of
        writing the same float64 numbers: 1e-05 comes out as 0.00001). None where neither
        applies (lists with non-finite entries, a tensor not made by `from_engine`)."""
        data, value = self.data, self._value
        if data is _PENDING_TYPED and value is not None:
            return TypedArray.pieces_of(value)
        if isinstance(data, TypedArray):
            return data.json_pieces()
        if data is _PENDING and value is not None:
            return (_finite_lists_json(value),)
        return None


def entries_json(value: FloatArray, encoding: Encoding) -> tuple[bytes, ...]:
    """A tensor's `data` as JSON, the same bytes as a `Tensor` made by `from_engine` writes
    it: a typed array, finite lists written by orjson, lists with a non-finite entry as
    pydantic writes them (the numbers' names as strings)."""
    if encoding == "binary":
        return TypedArray.pieces_of(value)
    if np.isfinite(value).all():
        return (_finite_lists_json(value),)
    return (_TENSOR_DATA.dump_json(encode_matrix(value)),)


def _finite_lists_json(value: FloatArray) -> bytes:
    # orjson writes C-ordered arrays only
    return orjson.dumps(np.ascontiguousarray(value), option=orjson.OPT_SERIALIZE_NUMPY)


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
    op: Literal["matmul", "hadamard", "add", "subtract", "bullet", "kronecker", "scale"] = Field(
        description="`matmul` ·, `hadamard` ∘, `add` +, `subtract` −, `bullet` • (the paper's "
        "A • B = B · A), `kronecker` ⊗ (of a row and a column: their outer product), `scale` "
        "(a scalar, first, times a matrix)."
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
_EXPRESSION: TypeAdapter[Expression] = TypeAdapter(Expression)


class Formula(BaseModel):
    """One line of a step's mathematics."""

    @classmethod
    def from_engine(cls, formula: engine.Formula) -> Formula:
        """The line as the engine wrote it."""
        return cls.model_construct(
            latex=formula.latex,
            latex_shapes=formula.latex_shapes,
            shape_algebra=formula.shape_algebra,
            expression=_EXPRESSION.validate_python(formula.expression),
            result=formula.result,
            note=formula.note,
        )

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


_step_fields: IdentityCache[dict[str, Any]] = IdentityCache()
"""The fields of step records, by the engine's record (while it lives) and step count."""


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

    @classmethod
    def _fields_from_engine(cls, step: engine.Step, of: int) -> dict[str, Any]:
        """The fields of a step record, made once for each record of the engine's (it makes
        one per network structure and reuses it; none of them is ever changed)."""
        found = _step_fields.get(step, of)
        if found is not None:
            return found
        # The entry goes with the record: a record made for one answer (another notation's)
        # is not kept alive by it.
        return _step_fields.put(step, cls._make_fields(step, of), of)

    @classmethod
    def _make_fields(cls, step: engine.Step, of: int) -> dict[str, Any]:
        return {
            "index": step.index,
            "number": step.index + 1,
            "of": of,
            "phase": step.phase,
            "layer": step.layer,
            "title": step.title,
            "formulas": [Formula.from_engine(f) for f in step.formulas],
            "substeps": [
                SubStep.model_construct(
                    description=s.description,
                    latex=s.latex,
                    latex_shapes=s.latex_shapes,
                    shape_algebra=s.shape_algebra,
                    operands=list(s.operands),
                    result=s.result,
                )
                for s in step.substeps
            ],
            "operands": list(step.operands),
            "intermediates": list(step.intermediates),
            "results": list(step.results),
            "shapes": {name: list(shape) for name, shape in step.shapes.items()},
            "constants": dict(step.constants),
            "held_fixed": {
                name: HeldFixed(rows=list(entries.rows), cols=list(entries.cols))
                for name, entries in step.held_fixed.items()
            },
            "held_fixed_reason": engine.FORMAL_ROW_REASON if step.held_fixed else None,
        }

    @classmethod
    def from_engine(cls, step: engine.Step, trace: engine.Trace) -> Step:
        """The step record without its tensors."""
        return cls.model_construct(**cls._fields_from_engine(step, len(trace.steps)))


class StepWithTensors(Step):
    """A step record with the tensors it reads, computes and produces."""

    tensors: dict[str, Tensor] = Field(
        description="Every operand, intermediate and result of the step, by name."
    )

    @classmethod
    def from_engine(
        cls, step: engine.Step, trace: engine.Trace, encoding: Encoding = "json"
    ) -> StepWithTensors:
        """The step record with its tensors."""
        return cls.model_construct(
            **cls._fields_from_engine(step, len(trace.steps)),
            tensors={
                name: Tensor.from_engine(tensor, encoding)
                for name, tensor in trace.step_tensors(step.index).items()
            },
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

    @classmethod
    def from_engine(cls, trace: engine.Trace, encoding: Encoding = "json") -> Trace:
        """Its JSON form, the tensors' entries as nested lists or as typed arrays."""
        return cls.model_construct(
            step_count=len(trace.steps),
            loss=encode_float(trace.loss),
            steps=[Step.from_engine(step, trace) for step in trace.steps],
            tensors={name: Tensor.from_engine(t, encoding) for name, t in trace.tensors.items()},
        )


class OutlineEntry(BaseModel):
    """One step of an iteration, for the page's strip of steps."""

    number: int = Field(description="1-based position in the iteration.")
    phase: Phase = Field(description="Its phase.")
    layer: int | None = Field(description="Its layer, null for objective and update.")
    title: str = Field(description="Its heading.")


def dump_json(answer: BaseModel) -> bytes:
    """`answer` as JSON, with the same content as FastAPI writes a returned model: the tensors'
    `data` (the bulk of an answer) are written by `Tensor.data_json` and put in as they are."""
    pieces = json_pieces(answer)
    return pieces[0] if len(pieces) == 1 else b"".join(pieces)


def json_pieces(answer: BaseModel) -> list[bytes]:
    """`dump_json(answer)` in the pieces it is made of, for whoever can send them as they are
    (a typed array's base64 is one piece: megabytes not copied once more to be joined)."""
    splice = _Splice()
    adapter = _adapter(type(answer))
    written = adapter.dump_json(answer, context=splice, warnings=False)
    if not splice.fragments:
        return [written]
    parts = written.split(_MARK_JSON)
    if len(parts) != len(splice.fragments) + 1:  # cannot happen; never a wrong answer if it does
        return [adapter.dump_json(answer)]
    pieces = [parts[0]]
    for fragment, part in zip(splice.fragments, parts[1:], strict=True):
        pieces += fragment
        pieces.append(part)
    return pieces


class Position(BaseModel):
    """Where a session is: what a move changes. A move answers with this; the spec, the
    parameters and the losses, which change at most once an iteration, are in
    GET /api/sessions/{id}."""

    id: str = Field(description="The session's id, unguessable (192 random bits).")
    iteration: int = Field(
        description="The iteration the session is in, numbered from 1 as everywhere a user "
        "meets iterations (the first iteration is 1; after n updates it is n + 1). Right after "
        "an update (`cursor` 0) the step shown is the update of iteration − 1."
    )
    cursor: int = Field(description="Steps taken in the current iteration, 0 … 2k + 1.")
    step_count: int = Field(description="Steps per iteration, 2k + 2.")
    current: int | None = Field(
        description="Number (1 … 2k + 2) of the step now shown: the last one taken, the "
        "previous iteration's update right after it; null before any step."
    )
    read_only: bool = Field(description="True when the session cannot be moved.")

    @classmethod
    def from_engine(cls, session_id: str, session: engine.Session) -> Position:
        """Where the session is."""
        return cls.model_construct(**position_fields(session_id, session))


def position_fields(session_id: str, session: engine.Session) -> dict[str, Any]:
    """The fields of `Position`, in their order."""
    return {
        "id": session_id,
        "iteration": session.iteration + 1,  # the one boundary: the engine counts updates
        "cursor": session.cursor,
        "step_count": session.steps_per_iteration,
        "current": current_step_number(session),
        "read_only": False,
    }


class Session(Position):
    """A session: where it is, its spec, its current parameters and its losses so far."""

    spec: NetworkSpec = Field(
        description="The spec, normalised, with the starting weights and biases explicit."
    )
    losses: list[JsonFloat] = Field(description="J of each finished iteration, oldest first.")
    weights: list[list[list[JsonFloat]]] = Field(
        description="W_1 … W_k at the start of the current iteration, each a list of rows."
    )
    biases: list[list[JsonFloat]] | None = Field(
        description="b_1 … b_k at the start of the current iteration; null without biases."
    )
    outline: list[OutlineEntry] = Field(description="The 2k + 2 steps of an iteration.")

    @classmethod
    def from_engine(cls, session_id: str, session: engine.Session) -> Session:
        """The session's JSON form."""
        params = session.parameters
        return cls.model_construct(
            **position_fields(session_id, session),
            spec=_starting_spec(session),
            losses=encode_floats(session.losses),
            weights=[encode_matrix(w) for w in params.weights],
            biases=None
            if params.biases is None
            else [encode_matrix(b.T)[0] for b in params.biases],
            outline=_outline(session),
        )


def current_step_number(session: engine.Session) -> int | None:
    """The number of the step `Session.current()` returns, without computing it."""
    if session.cursor > 0:
        return session.cursor
    if session.iteration > 0 and len(session.history) > 0:
        return session.steps_per_iteration
    return None


def _starting_spec(session: engine.Session) -> NetworkSpec:
    """The session's spec with its starting weights and biases explicit."""
    spec = session.network.spec.to_dict()
    spec["weights"], spec["biases"] = session.initial.to_lists()
    return NetworkSpec.model_construct(**spec)


_outlines: weakref.WeakKeyDictionary[engine.Network, list[OutlineEntry]] = (
    weakref.WeakKeyDictionary()
)
_outlines_lock = threading.Lock()


def _outline(session: engine.Session) -> list[OutlineEntry]:
    """The strip of steps of the session's iterations, which never changes: made once a
    network."""
    with _outlines_lock:
        outline = _outlines.get(session.network)
    if outline is None:
        steps = engine.trace_iteration(session.network, session.initial).steps
        outline = [
            OutlineEntry.model_construct(
                number=s.index + 1, phase=cast(Phase, s.phase), layer=s.layer, title=s.title
            )
            for s in steps
        ]
        with _outlines_lock:
            _outlines[session.network] = outline
    return outline


class StepAnswer(BaseModel):
    """Where the session is after a step, and the step taken."""

    session: Position = Field(description="Where the session is after the move.")
    step: StepWithTensors = Field(description="The step just taken, with its tensors.")


class MoveAnswer(BaseModel):
    """Where the session is after a move, and the step now shown."""

    session: Position = Field(description="Where the session is after the move.")
    step: StepWithTensors | None = Field(
        description="The step now shown (the last one taken), with its tensors; null at the "
        "very start of the session."
    )

    @classmethod
    def from_engine(
        cls,
        session_id: str,
        session: engine.Session,
        shown: tuple[engine.Step, engine.Trace] | None,
        encoding: Encoding = "json",
    ) -> MoveAnswer:
        """The answer for a session and the (step, trace) it shows, if any."""
        return cls.model_construct(
            session=Position.from_engine(session_id, session),
            step=None if shown is None else StepWithTensors.from_engine(*shown, encoding),
        )


class ViewAnswer(BaseModel):
    """A followed session, read-only, and the step it shows."""

    session: Session = Field(description="The session under the view's id, `read_only` true.")
    step: StepWithTensors | None = Field(
        description="The step it shows, with its tensors; null before its first step."
    )


class TrainAnswer(BaseModel):
    """The session after training, and J of each iteration run."""

    session: Session = Field(description="The session after training, at step 0.")
    losses: list[JsonFloat] = Field(description="J of each iteration run, in order.")


class ExportedSession(NetworkSpec):
    """A session as a document: its spec and its state. POST /api/sessions takes it back."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXPORTED_EXAMPLE]})

    state: ExportedState = Field(description="Where the session is.")

    @classmethod
    def from_engine(cls, session: engine.Session) -> ExportedSession:
        """The document of a session (its spec with the starting parameters explicit)."""
        document = session.to_document()
        return cls.model_validate({**document["spec"], "state": encode_nested(document["state"])})


class ExportedHistoryEntry(BaseModel):
    """The parameters at the start of an earlier iteration."""

    weights: list[list[list[JsonFloat]]] = Field(description="W_1 … W_k, each a list of rows.")
    biases: list[list[JsonFloat]] | None = Field(description="b_1 … b_k; null without biases.")


class ExportedState(BaseModel):
    """Where a session is, as SessionState but with non-finite numbers as strings."""

    iteration: int = Field(description="Iterations finished (updates taken).")
    cursor: int = Field(description="Steps taken in the current iteration, 0 … 2k + 1.")
    weights: list[list[list[JsonFloat]]] = Field(
        description="W_1 … W_k at the start of the current iteration."
    )
    biases: list[list[JsonFloat]] | None = Field(
        description="b_1 … b_k at the start of the current iteration; null without biases."
    )
    losses: list[JsonFloat] = Field(description="J of each finished iteration.")
    history: list[ExportedHistoryEntry] = Field(
        description="The parameters at the start of the last finished iterations, oldest first."
    )


ExportedSession.model_rebuild()


class Activation(BaseModel):
    """An activation function σ the spec may name."""

    name: str = Field(description="The name to use in `activations`.", examples=["tanh"])
    latex: str = Field(description="Its symbol in LaTeX.", examples=["\\tanh"])
    description: str = Field(description="Its formula in words.")


class Objective(BaseModel):
    """An objective J the spec may name as `loss`."""

    name: str = Field(description="The name to use in `loss`.", examples=["squared_error"])
    description: str = Field(description="What it computes.")
    needs_targets: bool = Field(description="Whether the spec must give `targets`.")


class Preset(BaseModel):
    """A ready-made spec from the two texts or a classic small problem."""

    id: str = Field(description="A stable id, e.g. `xor`.", examples=["xor"])
    name: str = Field(description="A short title.")
    description: str = Field(description="What the preset shows.")
    spec: NetworkSpec = Field(description="The spec, ready for POST /api/sessions.")


# --- teaching: explain an entry, check a prediction, every form of the gradient -----------------

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


class CheckRequest(BaseModel):
    """A student's prediction of a whole tensor, to be graded entry by entry."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [
                {"tensor": "Delta2", "values": [[0.01, -0.02, -0.02, 0.01]], "tolerance": 1e-3}
            ]
        },
    )

    tensor: str = Field(
        description="The key of a tensor of the iteration, e.g. `Delta2`, `gradW1`, `Sigma1`.",
        examples=["Delta2"],
    )
    values: Matrix = Field(
        description="The predicted matrix as a list of rows, of the tensor's shape in the "
        "convention asked (`convention=row`: transposed).",
        examples=[[[0.01, -0.02, -0.02, 0.01]]],
    )
    tolerance: FiniteFloat = Field(
        default=1e-3,
        gt=0,
        le=1,
        description="An entry v is right when |v − e| ≤ tolerance · (1 + |e|) for the expected "
        "e: absolute near zero, relative for large entries.",
    )
    iteration: int | None = Field(
        default=None,
        ge=1,
        description="Which iteration (numbered from 1, as the session's `iteration`) to grade "
        "against: omitted, the current one, whether or not the cursor has reached the tensor; "
        "the one just finished (the session's `iteration` − 1) is accepted too, so that an "
        "update just taken can be checked.",
    )


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


class ValidationIssue(BaseModel):
    """One reason a request was refused, as FastAPI's own validation errors are shaped."""

    loc: list[str | int] = Field(
        description='Where: "body" then the path to the field, e.g. ["body", "inputs", 2, 0].'
    )
    msg: str = Field(description="Why, in words.")
    type: str = Field(description="A machine-readable kind, e.g. `spec_error`.")
    input: Any = Field(default=None, description="The value refused, when FastAPI checked it.")
    ctx: dict[str, Any] | None = Field(default=None, description="Details of some checks.")


class ValidationProblem(BaseModel):
    """A refused request (422): every field at fault with its reason."""

    detail: list[ValidationIssue] = Field(description="The fields at fault.")


class Problem(BaseModel):
    """A refused request: unknown session (404), impossible move (409), store full (503)."""

    detail: str = Field(description="What went wrong, in words.")


# --- training you can watch, read-only views, exports ------------------------------------------


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
        return cls.model_construct(
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
        return cls.model_construct(
            x1=grid.x1.tolist(),
            x2=grid.x2.tolist(),
            value=encode_matrix(grid.value),
            winner=None if grid.winner is None else grid.winner.tolist(),
            outputs=network.layers[-1],
            samples=BoundarySamples.model_construct(
                x1=network.x[0].tolist(), x2=network.x[1].tolist(), label=labels
            ),
        )


class ViewLink(BaseModel):
    """A read-only view of a session: others follow it live but cannot move it."""

    view_id: str = Field(
        description="The view's id (192 random bits), not the session's: it opens no session "
        "endpoint."
    )
    page: str = Field(description="The page that follows the session live, `/?follow=<view id>`.")
    events: str = Field(description="The text/event-stream of the step shown, as it changes.")
