"""What the API answers, as Python objects whose tensors are float64 NumPy arrays.

Matrices are in the convention the request asked for: the paper's column convention by default
(`W1` is n_1 × n_0, `X` is n_0 × m with one column a sample), the row convention of the Q&A and
NumPy with `convention="row"` (every matrix transposed). A step, a trace and a tensor draw
themselves in Jupyter (see `display.py`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import display
from .arrays import FloatArray, to_array, to_float
from .tensor import Tensor

__all__ = [
    "Boundary",
    "Check",
    "Explanation",
    "GradientForm",
    "GradientForms",
    "Position",
    "SessionState",
    "StepResult",
    "Tensor",
    "TraceResult",
    "TrainProgress",
    "Training",
]


@dataclass(frozen=True)
class Position:
    """Where a session is: `iteration` the one it is in (numbered from 1, as the API numbers
    them), `cursor` steps taken of it (of `step_count` = 2k + 2), `current` the number of the
    step shown (None before any)."""

    id: str
    iteration: int
    cursor: int
    step_count: int
    current: int | None
    read_only: bool

    @property
    def shown_iteration(self) -> int:
        """The number, from 1, of the iteration whose step is shown: right after an update,
        the iteration that update finished."""
        return self.iteration - 1 if self.cursor == 0 and self.current else self.iteration

    @classmethod
    def from_json(cls, answer: Mapping[str, Any]) -> Position:
        """From the API's position (or session) fields."""
        current = answer.get("current")
        return cls(
            id=str(answer["id"]),
            iteration=int(answer["iteration"]),
            cursor=int(answer["cursor"]),
            step_count=int(answer["step_count"]),
            current=None if current is None else int(current),
            read_only=bool(answer["read_only"]),
        )


@dataclass(frozen=True)
class SessionState:
    """A session: where it is (`position`), its `spec` (as given: its `weights` null unless it
    gave them, its `seed` and `init` drawing them), `losses` (J of each finished iteration), the
    current `weights` W_1 … W_k (n_i × n_{i-1}) and `biases` b_1 … b_k (n_i × 1; None without
    biases), and `outline`, the 2k + 2 steps."""

    position: Position
    spec: dict[str, Any]
    losses: FloatArray
    weights: list[FloatArray]
    biases: list[FloatArray] | None
    outline: list[dict[str, Any]]

    @classmethod
    def from_json(cls, answer: Mapping[str, Any]) -> SessionState:
        """From GET /api/sessions/{id} (and every answer holding a session)."""
        biases = answer.get("biases")
        return cls(
            position=Position.from_json(answer),
            spec=dict(answer["spec"]),
            losses=_floats(answer["losses"]),
            weights=[_matrix(w) for w in answer["weights"]],
            biases=None if biases is None else [_floats(b).reshape(-1, 1) for b in biases],
            outline=list(answer.get("outline", [])),
        )

    @property
    def id(self) -> str:
        """The session's id (or, for a followed session, its view's id)."""
        return self.position.id

    @property
    def iteration(self) -> int:
        """Iterations finished (updates taken)."""
        return self.position.iteration

    @property
    def cursor(self) -> int:
        """Steps taken in the current iteration."""
        return self.position.cursor


class _Tensors(Mapping[str, FloatArray]):
    """Named tensors read as arrays: `result["Delta2"]` is Δ_2's float64 array, `result.tensor(
    "Delta2")` the same with its symbol."""

    tensors: dict[str, Tensor]

    def __getitem__(self, name: str) -> FloatArray:
        return self.tensors[name].value

    def __iter__(self) -> Iterator[str]:
        return iter(self.tensors)

    def __len__(self) -> int:
        return len(self.tensors)

    def tensor(self, name: str) -> Tensor:
        """The tensor `name` with its symbol; displays itself as a heatmap."""
        return self.tensors[name]


class StepResult(_Tensors):
    """A step with its tensors: `step["Delta2"]` is Δ_2 as a float64 array, `step.tensor(
    "Delta2")` the same with its symbol (displayable), `step.title`, `step.formulas`, ... and
    `step.session`, where the session is after the move (None for a step read without moving).
    Displays itself in Jupyter as the step's equation view."""

    def __init__(
        self,
        record: Mapping[str, Any],
        tensors: Mapping[str, Tensor],
        session: Position | None = None,
        *,
        convention: str = "column",
        view: str = "affine",
    ) -> None:
        self.record = {k: v for k, v in record.items() if k != "tensors"}
        self.tensors = dict(tensors)
        self.session = session
        self.convention = convention
        self.view = view

    @classmethod
    def from_json(
        cls,
        step: Mapping[str, Any],
        session: Mapping[str, Any] | None = None,
        *,
        convention: str = "column",
        view: str = "affine",
    ) -> StepResult:
        """From the API's step record with its tensors."""
        tensors = {name: Tensor.from_json(t) for name, t in step.get("tensors", {}).items()}
        position = None if session is None else Position.from_json(session)
        return cls(step, tensors, position, convention=convention, view=view)

    def __repr__(self) -> str:
        return f"<StepResult {self.number}/{self.record.get('of')}: {self.title}>"

    @property
    def number(self) -> int:
        """1-based position in the iteration."""
        return int(self.record["number"])

    @property
    def phase(self) -> str:
        """forward, objective, backward or update."""
        return str(self.record["phase"])

    @property
    def layer(self) -> int | None:
        """The layer (1-based), None for the objective and the update."""
        layer = self.record.get("layer")
        return None if layer is None else int(layer)

    @property
    def title(self) -> str:
        """E.g. "Backward, layer 1"."""
        return str(self.record["title"])

    @property
    def formulas(self) -> list[dict[str, Any]]:
        """The step's formulas, one line each: `latex`, `latex_shapes`, `shape_algebra`."""
        return list(self.record.get("formulas", []))

    @property
    def operands(self) -> list[str]:
        """The tensors the step reads."""
        return list(self.record.get("operands", []))

    @property
    def intermediates(self) -> list[str]:
        """The tensors computed along the way, e.g. `WTDelta1` = W_2ᵀ Δ_2."""
        return list(self.record.get("intermediates", []))

    @property
    def results(self) -> list[str]:
        """The tensors the step produces."""
        return list(self.record.get("results", []))

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return display.step_bundle(self)


class TraceResult(_Tensors):
    """A whole iteration: `trace["gradW1"]` (an array), `trace.loss`, `trace.steps` (the step
    records), `trace.step(n)` (step n with its tensors). Displays itself as every step's
    equation view."""

    def __init__(
        self,
        loss: float,
        steps: list[dict[str, Any]],
        tensors: Mapping[str, Tensor],
        *,
        convention: str = "column",
        view: str = "affine",
    ) -> None:
        self.loss = loss
        self.steps = steps
        self.tensors = dict(tensors)
        self.convention = convention
        self.view = view

    @classmethod
    def from_json(
        cls, answer: Mapping[str, Any], *, convention: str = "column", view: str = "affine"
    ) -> TraceResult:
        """From POST /api/trace (or an exported trace.json)."""
        tensors = {name: Tensor.from_json(t) for name, t in answer["tensors"].items()}
        return cls(
            to_float(answer["loss"]),
            list(answer["steps"]),
            tensors,
            convention=convention,
            view=view,
        )

    def __repr__(self) -> str:
        return f"<TraceResult of {len(self.steps)} steps, J = {self.loss!r}>"

    def step(self, number: int) -> StepResult:
        """Step `number` (1 … 2k + 2) with the tensors it reads, computes and produces."""
        if not 1 <= number <= len(self.steps):
            raise IndexError(f"steps are numbered 1 … {len(self.steps)}, got {number}")
        record = self.steps[number - 1]
        names = [*record["operands"], *record["intermediates"], *record["results"]]
        tensors = {name: self.tensors[name] for name in names if name in self.tensors}
        return StepResult(record, tensors, convention=self.convention, view=self.view)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return display.trace_bundle(self)


@dataclass(frozen=True)
class Explanation:
    """One entry at index level: `formula` (the rule, LaTeX) and `numbers` (the rule with the
    values written in, and the result), its `value`, its `terms` (per term the factors, each
    `{"name", "row", "col", "value"}`, 1-based), and per operand the rows and columns it reads
    (`highlights`)."""

    tensor: str
    latex: str
    row: int
    col: int
    value: float
    formula: str
    numbers: str
    terms: list[list[dict[str, Any]]]
    highlights: dict[str, dict[str, list[int]]]
    convention: str
    view: str

    @classmethod
    def from_json(cls, answer: Mapping[str, Any]) -> Explanation:
        """From GET …/explain."""
        return cls(
            tensor=str(answer["tensor"]),
            latex=str(answer["latex"]),
            row=int(answer["row"]),
            col=int(answer["col"]),
            value=to_float(answer["value"]),
            formula=str(answer["formula"]),
            numbers=str(answer["numbers"]),
            terms=[list(term) for term in answer["terms"]],
            highlights={k: dict(v) for k, v in answer["highlights"].items()},
            convention=str(answer["convention"]),
            view=str(answer["view"]),
        )

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return display.explanation_bundle(self)


@dataclass(frozen=True)
class Graded:
    """Entries of a tensor graded: `correct` per entry (a rows × cols bool array), how many are
    right and the `tolerance` used; true when all are. Never the expected values."""

    tensor: str
    correct: np.ndarray[Any, np.dtype[np.bool_]]
    correct_count: int
    total: int
    all_correct: bool
    tolerance: float

    @staticmethod
    def graded_json(answer: Mapping[str, Any]) -> dict[str, Any]:
        """Graded's fields, from an answer that grades entries (…/check, a submission)."""
        rows, cols = answer["shape"]
        return {
            "tensor": str(answer["tensor"]),
            "correct": np.array(answer["correct"], dtype=bool).reshape(rows, cols),
            "correct_count": int(answer["correct_count"]),
            "total": int(answer["total"]),
            "all_correct": bool(answer["all_correct"]),
            "tolerance": float(answer["tolerance"]),
        }

    def __bool__(self) -> bool:
        return self.all_correct


@dataclass(frozen=True)
class Check(Graded):
    """A graded prediction (see Graded) and the `iteration` graded against."""

    iteration: int

    @classmethod
    def from_json(cls, answer: Mapping[str, Any]) -> Check:
        """From POST …/check."""
        return cls(**cls.graded_json(answer), iteration=int(answer["iteration"]))


@dataclass(frozen=True)
class GradientForm:
    """∇W_1 … ∇W_k (and ∇b_1 … ∇b_k, None without biases) by one form of the maths."""

    name: str
    title: str
    weights: list[FloatArray]
    biases: list[FloatArray] | None


@dataclass(frozen=True)
class GradientForms:
    """The same gradient by the recursive form, the Hadamard chain (3)/(4), the diagonal chain
    (5) and (for small networks) finite differences, by `name`, and how far apart they are."""

    iteration: int
    parameter_count: int
    forms: dict[str, GradientForm]
    finite_differences: bool
    note: str | None
    max_difference: float
    max_relative_difference: float
    convention: str
    view: str

    @classmethod
    def from_json(cls, answer: Mapping[str, Any]) -> GradientForms:
        """From GET …/gradients."""
        forms = {}
        for form in answer["forms"]:
            biases = form.get("biases")
            forms[str(form["name"])] = GradientForm(
                name=str(form["name"]),
                title=str(form["title"]),
                weights=[to_array(t) for t in form["weights"]],
                biases=None if biases is None else [to_array(t) for t in biases],
            )
        return cls(
            iteration=int(answer["iteration"]),
            parameter_count=int(answer["parameter_count"]),
            forms=forms,
            finite_differences=bool(answer["finite_differences"]),
            note=answer.get("note"),
            max_difference=to_float(answer["max_difference"]),
            max_relative_difference=to_float(answer["max_relative_difference"]),
            convention=str(answer["convention"]),
            view=str(answer["view"]),
        )


@dataclass(frozen=True)
class TrainProgress:
    """One chunk of a streamed training run: `done` of `total` iterations, J of each iteration of
    the chunk, ‖Δ_i‖ and ‖∇W_i‖ per iteration (chunk × k arrays), the dead units of each layer
    (1-based rows) in its last iteration, and the session's `iteration` after it."""

    done: int
    total: int
    iteration: int
    losses: FloatArray
    delta_norms: FloatArray
    gradient_norms: FloatArray
    dead_units: list[list[int]]

    @classmethod
    def from_json(cls, line: Mapping[str, Any]) -> TrainProgress:
        """From a `progress` line of the stream."""
        return cls(
            done=int(line["done"]),
            total=int(line["total"]),
            iteration=int(line["iteration"]),
            losses=_floats(line["losses"]),
            delta_norms=_matrix(line["delta_norms"]),
            gradient_norms=_matrix(line["gradient_norms"]),
            dead_units=[list(units) for units in line["dead_units"]],
        )


@dataclass(frozen=True)
class Training:
    """A whole training run: J of each iteration, ‖Δ_i‖ and ‖∇W_i‖ of each iteration and layer
    (iterations × k arrays; empty for a run not streamed), the dead units after it, and the
    session after it (at step 0)."""

    losses: FloatArray
    delta_norms: FloatArray
    gradient_norms: FloatArray
    dead_units: list[list[int]]
    session: SessionState


@dataclass(frozen=True)
class Boundary:
    """The network's output over a grid of the input plane (n_0 = 2): `value[r, c]` at
    (`x1[c]`, `x2[r]`), `winner` the row of the largest output for several outputs, and the
    batch (`samples_x1`, `samples_x2`, `labels`)."""

    x1: FloatArray
    x2: FloatArray
    value: FloatArray
    winner: np.ndarray[Any, np.dtype[np.int64]] | None
    outputs: int
    samples_x1: FloatArray
    samples_x2: FloatArray
    labels: FloatArray | None

    @classmethod
    def from_json(cls, answer: Mapping[str, Any]) -> Boundary:
        """From GET …/boundary."""
        samples = answer["samples"]
        winner = answer.get("winner")
        labels = samples.get("label")
        return cls(
            x1=_floats(answer["x1"]),
            x2=_floats(answer["x2"]),
            value=_matrix(answer["value"]),
            winner=None if winner is None else np.array(winner, dtype=np.int64),
            outputs=int(answer["outputs"]),
            samples_x1=_floats(samples["x1"]),
            samples_x2=_floats(samples["x2"]),
            labels=None if labels is None else _floats(labels),
        )


def _floats(values: list[Any]) -> FloatArray:
    return np.array([to_float(v) for v in values], dtype=np.float64)


def _matrix(rows: list[list[Any]]) -> FloatArray:
    if not rows:
        return np.zeros((0, 0), dtype=np.float64)
    return np.array([[to_float(v) for v in row] for row in rows], dtype=np.float64)
