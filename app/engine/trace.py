"""One iteration as data: 2k + 2 step records naming every tensor, with formulas and shapes."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from . import formulas as f
from .formulas import Formula, Line, Notation
from .network import BackwardPass, ForwardPass, Network, Parameters
from .objectives import ObjectiveValue, sums_to_one

FloatArray = npt.NDArray[np.float64]

PHASES = ("forward", "objective", "backward", "update")


@dataclass(frozen=True)
class Tensor:
    """A named matrix of the iteration (2-D, rows × cols) and its symbol in LaTeX."""

    name: str
    latex: str
    value: FloatArray

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, cols)."""
        rows, cols = self.value.shape
        return int(rows), int(cols)


@dataclass(frozen=True)
class SubStep:
    """One operation inside a step: what it computes, from what, and the sizes involved."""

    description: str
    latex: str
    latex_shapes: str
    shape_algebra: str
    operands: tuple[str, ...]
    result: str


@dataclass(frozen=True)
class Entries:
    """Whole rows and whole columns of a matrix, 1-based."""

    rows: tuple[int, ...] = ()
    cols: tuple[int, ...] = ()


FORMAL_ROW_REASON = (
    "The last row [0 … 0 1] of Ŵᵢ (i < k) is the formal neuron of the paper's §3, condition (b): "
    "a constant, not a weight, so the update holds it fixed and does not apply its entries of ∇Ŵᵢ."
)
"""Why an embedding's formal rows are held fixed, in one sentence for the page."""


@dataclass(frozen=True)
class Step:
    """A step of the iteration: phase, layer (None for the objective and update), and its maths.

    `formulas` are its lines as written in the trace's notation, `substeps` the finer operations
    the page animates; `lines` and `substep_lines` describe both once (formulas.Line), so
    that any other notation writes them anew.
    """

    index: int
    phase: str
    layer: int | None
    title: str
    formulas: tuple[Formula, ...]
    substeps: tuple[SubStep, ...]
    operands: tuple[str, ...]
    results: tuple[str, ...]
    intermediates: tuple[str, ...]
    shapes: dict[str, tuple[int, int]]
    constants: dict[str, float] = field(default_factory=dict)
    held_fixed: dict[str, Entries] = field(default_factory=dict)
    """Entries of the step's tensors that are constants, not weights: the formal rows of an
    embedding's Ŵ_i, i < k, in W{i}, gradW{i} and W{i}_new (see FORMAL_ROW_REASON)."""
    lines: tuple[Line, ...] = ()
    substep_lines: tuple[tuple[Line, tuple[str, ...]], ...] = ()


PlanKey = tuple[object, ...]
"""What an iteration's records depend on: structure, input shapes, activations, objective, η."""


class Written:
    """What readers of a trace wrote from it (a tensor's JSON, say), kept by key with the trace:
    a trace never changes, so neither does what is written from it, and a trace several
    requests show is written once. Safe for threads; `nbytes` is what it keeps."""

    def __init__(self) -> None:
        self._kept: dict[Hashable, bytes] = {}
        self._guard = threading.Lock()
        self.nbytes = 0

    def get(self, key: Hashable, write: Callable[[], bytes]) -> bytes:
        """What `write()` wrote under `key`, written on the first call only."""
        found = self._kept.get(key)
        if found is None:
            written = write()
            with self._guard:
                found = self._kept.setdefault(key, written)
                if found is written:
                    self.nbytes += len(written)
        return found

    def __reduce__(self) -> tuple[type[Written], tuple[()]]:
        """A copy (or a pickled trace) starts with nothing written: it is written again."""
        return Written, ()


@dataclass(frozen=True)
class Trace:
    """All steps of one iteration (forward 1 … k, objective, backward k … 1, update) and tensors,
    in `notation`; `plan` keys the step records of its structure (see `_plan`)."""

    steps: tuple[Step, ...]
    tensors: dict[str, Tensor]
    plan: PlanKey = ()
    notation: Notation = f.COLUMN
    written: Written = field(default_factory=Written, init=False, compare=False, repr=False)
    """What readers wrote from this trace (its own for each trace, never copied)."""

    @property
    def loss(self) -> float:
        """J of this iteration."""
        return float(self.tensors["J"].value[0, 0])

    def step_tensors(self, index: int) -> dict[str, Tensor]:
        """The operands, intermediates and results of step `index` (0-based)."""
        step = self.steps[index]
        names = (*step.operands, *step.intermediates, *step.results)
        return {name: self.tensors[name] for name in names}


def step_count(depth: int) -> int:
    """2k + 2."""
    return 2 * depth + 2


def trace_iteration(network: Network, params: Parameters) -> Trace:
    """Run one iteration and record it: forward 1 … k, objective, backward k … 1, update.

    Tensors (column convention): X (n_0 × m), Y, W{i}, b{i}, N{i}, Sigma{i}, SigmaPrime{i},
    P (softmax only), J (1 × 1), G (n_k × m), Delta{i}, WTDelta{i} = W_{i+1}ᵀ Δ_{i+1} (i < k),
    gradW{i}, gradb{i}, and the updated W{i}_new, b{i}_new. A diverging network gives inf or nan
    entries, never an exception.
    """
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        return _trace(network, params)


def _trace(network: Network, params: Parameters) -> Trace:
    forward = network.forward(params)
    objective = network.evaluate(forward)
    backward = network.backward(params, forward, objective.gradient)
    updated = network.update(params, backward.gradient)
    structure = (
        network.depth,
        network.y is not None,
        params.biases is not None,
        "P" in objective.extras,
    )
    values = _values(network, structure, params, forward, objective, backward, updated)
    inputs = _input_count(structure)
    # The trace keeps float64 arrays: np.asarray(value, dtype=np.float64), which is `value`
    # itself for one. What the engine computes from float64 arrays is float64 already (a test
    # checks it), so this is needed only when an input X, Y, W_i, b_i is not.
    if not _float64_arrays(values[:inputs]):
        values = [np.asarray(value, dtype=np.float64) for value in values]
    key = _plan_key(network, structure, values[:inputs])
    plan = _plan(key, values)
    tensors = {
        name: Tensor(name, latex, value)
        for (name, latex), value in zip(plan.labels, values, strict=True)
    }
    return Trace(_numbered(plan, tensors), tensors, key)


def _numbered(plan: _Plan, tensors: dict[str, Tensor]) -> tuple[Step, ...]:
    """The plan's steps; for the 1-D chain, its products written out with this iteration's
    numbers (so those records are the iteration's own, not the structure's)."""
    if not plan.context.scalar:
        return plan.steps

    def value(name: str) -> float:
        return float(tensors[name].value[0, 0])

    return tuple(
        dataclasses.replace(
            step,
            formulas=tuple(
                f.with_numbers(formula, value) if formula.numbers else formula
                for formula in step.formulas
            ),
        )
        if any(formula.numbers for formula in step.formulas)
        else step
        for step in plan.steps
    )


_FLOAT64 = np.dtype(np.float64)


def _float64_arrays(values: list[FloatArray]) -> bool:
    """True when every value is an ndarray (not a subclass) of float64."""
    for value in values:
        if type(value) is not np.ndarray or value.dtype is not _FLOAT64:
            return False
    return True


Structure = tuple[int, bool, bool, bool]
"""The depth k, whether there are targets Y, biases b_i, and a softmax P."""


def _input_count(structure: Structure) -> int:
    """How many of an iteration's tensors are its inputs X, Y, W_i, b_i (they come first)."""
    depth, targets, bias, _ = structure
    return 1 + targets + depth * (1 + bias)


def _plan_key(network: Network, structure: Structure, inputs: list[FloatArray]) -> PlanKey:
    """Everything the step records depend on. Not a value: the records are written from the
    structure, the activations, the objective, η and every tensor's shape, and every shape
    follows from the shapes of the inputs (X, Y, W_i, b_i), as numpy's shape rules never look
    at a value. Whether cross-entropy's targets sum to 1 picks the G written."""
    scaled = network.objective.name == "softmax_cross_entropy" and not sums_to_one(network.y)
    return (
        structure,
        tuple([value.shape for value in inputs]),
        tuple([layer.names for layer in network.activations]),
        network.objective.name,
        network.spec.learning_rate,
        scaled,
        network.spec.formal_rows,
    )


@dataclass(frozen=True)
class _Plan:
    """The tensors' (name, LaTeX) in order and the step records, for one plan key."""

    labels: tuple[tuple[str, str], ...]
    steps: tuple[Step, ...]
    context: f.Context
    described: tuple[f.StepLines, ...]


_plans: dict[tuple[PlanKey, Notation], _Plan] = {}
_PLANS_KEPT = 512


def _plan(key: PlanKey, values: list[FloatArray], notation: Notation = f.COLUMN) -> _Plan:
    """The plan of `key` in `notation`, written once: every iteration of a network (and of
    any network of the same structure) shares the same records, so they must not be changed."""
    found = _plans.get((key, notation))
    if found is not None:
        return found
    column = _plans.get((key, f.COLUMN))
    if column is None:
        # Every tensor is a matrix: a shape that is not rows × cols fails here, as it always has.
        structure = key[0]
        assert isinstance(structure, tuple)
        shapes = [(rows, cols) for rows, cols in [value.shape for value in values]]
        names = _names(*structure)
        context = _context(key, dict(zip(names, shapes, strict=True)))
        _, _, _, loss, eta, scaled, _ = key
        assert isinstance(loss, str) and isinstance(eta, float)
        described = f.describe_steps(context, loss, eta, scaled=bool(scaled), bias=structure[2])
        column = _written(names, described, context, f.COLUMN, formal_rows=bool(key[6]))
        _keep((key, f.COLUMN), column)
    if notation == f.COLUMN:
        return column
    names = [name for name, _ in column.labels]
    written = _written(names, column.described, column.context, notation, formal_rows=bool(key[6]))
    _keep((key, notation), written)
    return written


def _keep(key: tuple[PlanKey, Notation], plan: _Plan) -> None:
    if len(_plans) >= _PLANS_KEPT:
        _plans.clear()
    _plans[key] = plan


def _context(key: PlanKey, shapes: dict[str, tuple[int, int]]) -> f.Context:
    structure, _, activations, *_ = key
    assert isinstance(structure, tuple) and isinstance(activations, tuple)
    k, _, bias, _ = structure
    m = shapes["X"][1]
    loss = key[3]
    assert isinstance(loss, str)
    return f.Context(shapes, m, k, activations, f.definitions(k, m, bias=bias), loss)


def _names(depth: int, targets: bool, bias: bool, softmax: bool) -> list[str]:
    """The key of every tensor of an iteration, in the order the steps first use them.

    The values come from `_values`, in the same order; both depend on the same structure.
    """
    k = depth
    names = ["X"] + (["Y"] if targets else [])
    for i in range(1, k + 1):
        names += [f"W{i}"] + ([f"b{i}"] if bias else [])
    for i in range(1, k + 1):
        names += [f"N{i}", f"Sigma{i}", f"SigmaPrime{i}"]
    names += ["J", "G"] + (["P"] if softmax else [])
    for i in range(k, 0, -1):
        names += [f"Delta{i}", f"gradW{i}"]
        names += [f"WTDelta{i}"] if i < k else []
        names += [f"gradb{i}"] if bias else []
    for i in range(1, k + 1):
        names += [f"W{i}_new"] + ([f"b{i}_new"] if bias else [])
    return names


def _values(
    network: Network,
    structure: Structure,
    params: Parameters,
    forward: ForwardPass,
    objective: ObjectiveValue,
    backward: BackwardPass,
    updated: Parameters,
) -> list[FloatArray]:
    """The value of every tensor of an iteration, in the order of `_names(*structure)`."""
    k = structure[0]
    values = [network.x]
    append = values.append
    if network.y is not None:
        append(network.y)
    for i in range(k):
        append(params.weights[i])
        if params.biases is not None:
            append(params.biases[i])
    for i in range(k):
        append(forward.n[i])
        append(forward.sigma[i])
        append(forward.sigma_prime[i])
    append(np.array([[objective.value]]))
    append(objective.gradient)
    if "P" in objective.extras:
        append(objective.extras["P"])
    gradient = backward.gradient
    for i in range(k - 1, -1, -1):
        append(backward.delta[i])
        append(gradient.weights[i])
        if i < k - 1:
            append(backward.back_signal[i])
        if gradient.biases is not None:
            append(gradient.biases[i])
    for i in range(k):
        append(updated.weights[i])
        if updated.biases is not None:
            append(updated.biases[i])
    return values


def _written(
    names: list[str],
    described: tuple[f.StepLines, ...],
    c: f.Context,
    notation: Notation,
    *,
    formal_rows: bool,
) -> _Plan:
    """The tensors' symbols and the step records, in `notation`."""
    labels = tuple((name, f.symbol(name, c, notation)) for name in names)
    row = notation.convention == "row"
    held: dict[str, Entries] = {}
    if formal_rows:  # the last row of Ŵ_i, i < k (the last column in the row convention)
        for i in range(1, c.k):
            for name in (f"W{i}", f"gradW{i}", f"W{i}_new"):
                last = (c.shapes[name][0],)
                held[name] = Entries(cols=last) if row else Entries(rows=last)
    steps = []
    for index, step in enumerate(described):
        lines = tuple(line for line, _ in step.substeps)
        substeps = tuple(
            SubStep(
                line.description,
                written.latex,
                written.latex_shapes,
                written.shape_algebra,
                operands,
                line.result,
            )
            for (line, operands), written in zip(
                step.substeps, f.write(lines, c, notation), strict=True
            )
        )
        made = tuple(dict.fromkeys(line.result for line in lines))
        results = tuple(name for name in made if not name.startswith("WTDelta"))
        intermediates = tuple(name for name in made if name.startswith("WTDelta"))
        produced = set(results + intermediates)
        operands = tuple(
            dict.fromkeys(o for _, ops in step.substeps for o in ops if o not in produced)
        )
        used = (*operands, *intermediates, *results)
        shapes = {}
        for name in used:
            rows, cols = c.shapes[name]
            shapes[name] = (cols, rows) if row else (rows, cols)
        steps.append(
            Step(
                index=index,
                phase=step.phase,
                layer=step.layer,
                title=step.title,
                formulas=f.write(step.lines, c, notation),
                substeps=substeps,
                operands=operands,
                results=results,
                intermediates=intermediates,
                shapes=shapes,
                constants=dict(step.constants),
                held_fixed={name: e for name, e in held.items() if name in used},
                lines=step.lines,
                substep_lines=step.substeps,
            )
        )
    return _Plan(labels, tuple(steps), c, described)


def notate(trace: Trace, notation: Notation) -> Trace:
    """The same iteration written in `notation`: in the row convention every tensor
    transposed; every symbol and formula written anew from the steps' descriptions (once per
    structure and notation)."""
    if notation == trace.notation:
        return trace
    assert trace.notation == f.COLUMN, "notate a column-convention trace"
    values = [tensor.value for tensor in trace.tensors.values()]
    plan = _plan(trace.plan, values, notation)
    row = notation.convention == "row"
    tensors = {
        name: Tensor(name, latex, tensor.value.T.copy() if row else tensor.value)
        for (name, latex), tensor in zip(plan.labels, trace.tensors.values(), strict=True)
    }
    return Trace(_numbered(plan, tensors), tensors, trace.plan, notation)


def row_convention(trace: Trace) -> Trace:
    """The iteration in the row convention of the Q&A and NumPy: every matrix transposed."""
    return notate(trace, Notation(convention="row"))


def trace_context(trace: Trace) -> f.Context:
    """What the trace's formulas are written from: its tensors' shapes (column convention),
    m, k, the activations, the definitions a notation may write out."""
    values = [tensor.value for tensor in trace.tensors.values()]
    if trace.notation.convention == "row":
        values = [value.T for value in values]
    return _plan(trace.plan, values).context
