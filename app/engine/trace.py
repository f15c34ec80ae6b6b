"""One iteration as data: 2k + 2 step records naming every tensor, with formulas and shapes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from .activations import ACTIVATIONS
from .network import BackwardPass, ForwardPass, Network, Parameters
from .objectives import OBJECTIVES, ObjectiveValue, objective_latex, sums_to_one

FloatArray = npt.NDArray[np.float64]

PHASES = ("forward", "objective", "backward", "update")


@dataclass(frozen=True, init=False)
class Tensor:
    """A named matrix of the iteration, in the column convention (2-D, rows × cols)."""

    # Slots declared here rather than with dataclass(slots=True), which in Python 3.11 makes
    # a new class that its own frozen __setattr__ does not recognise.
    __slots__ = ("name", "latex", "value")

    name: str
    latex: str
    value: FloatArray

    def __init__(self, name: str, latex: str, value: FloatArray) -> None:
        # What a frozen dataclass's own __init__ does (object.__setattr__ past the frozen
        # __setattr__), through the slots' descriptors: half the cost, and a trace makes ~36.
        _set_name(self, name)
        _set_latex(self, latex)
        _set_value(self, value)

    def __reduce__(self) -> tuple[type[Tensor], tuple[str, str, FloatArray]]:
        # Pickle and copy through __init__: the default would set the slots with setattr,
        # which a frozen dataclass refuses.
        return type(self), (self.name, self.latex, self.value)

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, cols)."""
        rows, cols = self.value.shape
        return int(rows), int(cols)


_new_object = object.__new__
_SlotSetter = Callable[[Tensor, object], None]
_set_name: _SlotSetter = vars(Tensor)["name"].__set__
_set_latex: _SlotSetter = vars(Tensor)["latex"].__set__
_set_value: _SlotSetter = vars(Tensor)["value"].__set__


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
class Formula:
    """One line of a step's mathematics: plain, with sizes under each factor, and shape algebra."""

    latex: str
    latex_shapes: str
    shape_algebra: str


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
    """A step of the iteration: phase, layer (None for the objective and update), and its maths."""

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


@dataclass(frozen=True)
class Trace:
    """All steps of one iteration (forward 1 … k, objective, backward k … 1, update) and tensors."""

    steps: tuple[Step, ...]
    tensors: dict[str, Tensor]

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


def _dims(shape: tuple[int, int]) -> str:
    return f"({shape[0]}×{shape[1]})"


def _tex_dims(shape: tuple[int, int]) -> str:
    return rf"{shape[0]}\times {shape[1]}"


TensorLayout = tuple[tuple[str, str, tuple[int, int]], ...]
"""(name, LaTeX, shape) of each tensor of an iteration, in the order of Trace.tensors."""


class _Builder:
    """Writes the step records of one iteration from the names, LaTeX and shapes of its tensors."""

    def __init__(self, layout: TensorLayout, *, formal_rows: bool = False) -> None:
        self.latex = {name: latex for name, latex, _ in layout}
        self.shapes = {name: shape for name, _, shape in layout}
        self.steps: list[Step] = []
        self.m = self.shapes["X"][1]
        self.fixed: dict[str, Entries] = {}
        if formal_rows:
            k = sum(name.startswith("gradW") for name in self.shapes)
            for i in range(1, k):
                for name in (f"W{i}", f"gradW{i}", f"W{i}_new"):
                    self.fixed[name] = Entries(rows=(self.shapes[name][0],))

    def shape(self, name: str) -> tuple[int, int]:
        return self.shapes[name]

    def tex(self, name: str) -> str:
        return self.latex[name]

    def under(self, name: str, *, transpose: bool = False) -> str:
        """The tensor's symbol with its size under a brace, e.g. \\underbrace{W_{2}^{T}}_{3×4}."""
        symbol = self.tex(name) + (r"^{T}" if transpose else "")
        shape = self.shape(name)
        if transpose:
            shape = (shape[1], shape[0])
        return rf"\underbrace{{{symbol}}}_{{{_tex_dims(shape)}}}"

    def sub(
        self,
        description: str,
        latex: str,
        latex_shapes: str,
        algebra: str,
        operands: tuple[str, ...],
        result: str,
    ) -> SubStep:
        return SubStep(description, latex, latex_shapes, algebra, operands, result)

    def step(
        self,
        phase: str,
        layer: int | None,
        title: str,
        substeps: list[SubStep],
        formulas: list[Formula] | None = None,
        intermediates: tuple[str, ...] = (),
        constants: dict[str, float] | None = None,
    ) -> None:
        results = tuple(s.result for s in substeps if s.result not in intermediates)
        produced = {s.result for s in substeps}
        operands = tuple(
            dict.fromkeys(o for s in substeps for o in s.operands if o not in produced)
        )
        names = (*operands, *intermediates, *results)
        self.steps.append(
            Step(
                index=len(self.steps),
                phase=phase,
                layer=layer,
                title=title,
                formulas=tuple(
                    formulas
                    or [Formula(s.latex, s.latex_shapes, s.shape_algebra) for s in substeps]
                ),
                substeps=tuple(substeps),
                operands=operands,
                results=results,
                intermediates=intermediates,
                shapes={name: self.shape(name) for name in names},
                constants=dict(constants or {}),
                held_fixed={name: self.fixed[name] for name in names if name in self.fixed},
            )
        )


def _uniform(names: tuple[str, ...]) -> str | None:
    """The layer's one activation name, or None when its neurons mix several."""
    return names[0] if len(set(names)) == 1 else None


def _activation_tex(activations: tuple[tuple[str, ...], ...], i: int) -> tuple[str, str]:
    """σ_i and σ'_i for layer i (1-based): the function's own name when the layer shares one."""
    uniform = _uniform(activations[i - 1])
    if uniform is None:
        return rf"\sigma_{{{i}}}", rf"\sigma'_{{{i}}}"
    name = ACTIVATIONS[uniform].latex
    return name, name + "'"


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
    labels, steps = _plan(network, structure, values, inputs)
    tensors = {}
    for (name, latex), value in zip(labels, values, strict=True):
        # Tensor(name, latex, value), without the call of its __init__ (~36 a trace).
        tensor = _new_object(Tensor)
        _set_name(tensor, name)
        _set_latex(tensor, latex)
        _set_value(tensor, value)
        tensors[name] = tensor
    return Trace(steps, tensors)


_FLOAT64 = np.dtype(np.float64)

_Plan = tuple[tuple[tuple[str, str], ...], tuple[Step, ...]]
_PlanKey = tuple[
    tuple[int, bool, bool, bool],
    tuple[tuple[int, ...], ...],
    tuple[tuple[str, ...], ...],
    str,
    float,
    bool,
    bool,
]
_plans: dict[_PlanKey, _Plan] = {}
_PLANS_KEPT = 256


def _float64_arrays(values: list[FloatArray]) -> bool:
    """True when every value is an ndarray (not a subclass) of float64."""
    for value in values:
        if type(value) is not np.ndarray or value.dtype is not _FLOAT64:
            return False
    return True


def _input_count(structure: tuple[int, bool, bool, bool]) -> int:
    """How many of an iteration's tensors are its inputs X, Y, W_i, b_i (they come first)."""
    depth, targets, bias, _ = structure
    return 1 + targets + depth * (1 + bias)


def _plan(
    network: Network,
    structure: tuple[int, bool, bool, bool],
    values: list[FloatArray],
    inputs: int,
) -> _Plan:
    """The tensors' (name, LaTeX) and the step records of an iteration with these values.

    Neither depends on a value. The records are written from the structure, the activations,
    the objective, η and every tensor's shape; and every shape follows from the shapes of the
    `inputs` first values (X, Y, W_i, b_i), since numpy's shape rules never look at a value.
    So the cache key holds only the inputs' shapes, and all shapes are read on a miss.
    """
    activations = tuple([layer.names for layer in network.activations])
    key = (
        structure,
        tuple([value.shape for value in values[:inputs]]),
        activations,
        network.objective.name,
        network.spec.learning_rate,
        network.objective.name == "softmax_cross_entropy" and not sums_to_one(network.y),
        network.spec.formal_rows,
    )
    plan = _plans.get(key)
    if plan is None:
        # Every tensor is a matrix: a shape that is not rows × cols fails here, as it always has.
        shapes = tuple([(rows, cols) for rows, cols in [value.shape for value in values]])
        plan = _labels(*structure), _steps(structure, shapes, activations, *key[3:])
        if len(_plans) >= _PLANS_KEPT:
            _plans.clear()
        _plans[key] = plan
    return plan


@lru_cache(maxsize=64)
def _labels(depth: int, targets: bool, bias: bool, softmax: bool) -> tuple[tuple[str, str], ...]:
    """(name, LaTeX) of every tensor of an iteration, in the order the steps first use them.

    The values come from `_values`, in the same order; both depend on the same structure:
    the depth k, whether there are targets Y, biases b_i, and a softmax P.
    """
    k = depth
    labels = [("X", "X")]
    if targets:
        labels.append(("Y", "Y"))
    for i in range(1, k + 1):
        labels.append((f"W{i}", f"W_{{{i}}}"))
        if bias:
            labels.append((f"b{i}", f"b_{{{i}}}"))
    for i in range(1, k + 1):
        labels.append((f"N{i}", f"N_{{{i}}}"))
        labels.append((f"Sigma{i}", rf"\Sigma_{{{i}}}"))
        labels.append((f"SigmaPrime{i}", rf"\Sigma'_{{{i}}}"))
    labels.append(("J", "J"))
    labels.append(("G", "G"))
    if softmax:
        labels.append(("P", "P"))
    for i in range(k, 0, -1):
        labels.append((f"Delta{i}", rf"\Delta_{{{i}}}"))
        labels.append((f"gradW{i}", rf"\nabla W_{{{i}}}"))
        if i < k:
            labels.append((f"WTDelta{i}", rf"W_{{{i + 1}}}^{{T}}\Delta_{{{i + 1}}}"))
        if bias:
            labels.append((f"gradb{i}", rf"\nabla b_{{{i}}}"))
    for i in range(1, k + 1):
        labels.append((f"W{i}_new", rf"W_{{{i}}}^{{\text{{new}}}}"))
        if bias:
            labels.append((f"b{i}_new", rf"b_{{{i}}}^{{\text{{new}}}}"))
    return tuple(labels)


def _values(
    network: Network,
    structure: tuple[int, bool, bool, bool],
    params: Parameters,
    forward: ForwardPass,
    objective: ObjectiveValue,
    backward: BackwardPass,
    updated: Parameters,
) -> list[FloatArray]:
    """The value of every tensor of an iteration, in the order of `_labels(*structure)`."""
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


def _steps(
    structure: tuple[int, bool, bool, bool],
    tensor_shapes: tuple[tuple[int, int], ...],
    activations: tuple[tuple[str, ...], ...],
    loss: str,
    eta: float,
    scaled: bool = False,
    formal_rows: bool = False,
) -> tuple[Step, ...]:
    """The step records of an iteration, which depend on its structure but on no value.

    `structure` is `_labels`' arguments, `tensor_shapes` the tensors' shapes in that order.
    Cached by `_plan`: every iteration of a network (and of any network of the same
    structure) shares the same records, so they must not be changed.
    """
    layout = tuple(
        (name, latex, shape)
        for (name, latex), shape in zip(_labels(*structure), tensor_shapes, strict=True)
    )
    b = _Builder(layout, formal_rows=formal_rows)
    k = len(activations)
    has_bias = "b1" in b.shapes
    has_targets = "Y" in b.shapes

    # Forward, i = 1 … k.
    for i in range(1, k + 1):
        prev = "X" if i == 1 else f"Sigma{i - 1}"
        n, s, sp = f"N{i}", f"Sigma{i}", f"SigmaPrime{i}"
        w = f"W{i}"
        out = _dims(b.shape(n))
        latex = rf"N_{{{i}}} = W_{{{i}}}\,{b.tex(prev)}"
        shapes = rf"{b.under(n)} = {b.under(w)}\,{b.under(prev)}"
        algebra = f"{_dims(b.shape(w))} · {_dims(b.shape(prev))}"
        operands: tuple[str, ...] = (w, prev)
        if has_bias:
            bias = f"b{i}"
            ones = rf"\underbrace{{\mathbf{{1}}^{{T}}}}_{{1\times {b.m}}}"
            latex += rf" + b_{{{i}}}\,\mathbf{{1}}^{{T}}"
            shapes += rf" + {b.under(bias)}\,{ones}"
            algebra += f" + {_dims(b.shape(bias))} · (1×{b.m})"
            operands = (w, prev, bias)
        sigma, sigma_prime = _activation_tex(activations, i)
        b.step(
            "forward",
            i,
            f"Forward, layer {i}",
            [
                b.sub(
                    "Weighted sums of the layer's inputs",
                    latex,
                    shapes,
                    f"{algebra} → {out}",
                    operands,
                    n,
                ),
                b.sub(
                    "Activation, entry by entry",
                    rf"\Sigma_{{{i}}} = {sigma}(N_{{{i}}})",
                    rf"{b.under(s)} = {sigma}\left({b.under(n)}\right)",
                    f"{_sigma_name(activations, i)} applied entrywise: {out} → {out}",
                    (n,),
                    s,
                ),
                b.sub(
                    "Derivative of the activation, entry by entry",
                    rf"\Sigma'_{{{i}}} = {sigma_prime}(N_{{{i}}})",
                    rf"{b.under(sp)} = {sigma_prime}\left({b.under(n)}\right)",
                    f"{_sigma_name(activations, i)}′ applied entrywise: {out} → {out}",
                    (n,),
                    sp,
                ),
            ],
        )

    # Objective.
    out_name = f"Sigma{k}"
    value_tex, gradient_tex = objective_latex(OBJECTIVES[loss], k, scaled=scaled)
    targets: tuple[str, ...] = ("Y",) if has_targets else ()
    out = _dims(b.shape(out_name))
    subs = []
    if "P" in b.shapes:
        subs.append(
            b.sub(
                "Softmax of each column",
                rf"P = \operatorname{{softmax}}(\Sigma_{{{k}}})",
                rf"{b.under('P')} = \operatorname{{softmax}}({b.under(out_name)})",
                f"softmax of each column: {out} → {out}",
                (out_name,),
                "P",
            )
        )
        value_tex = value_tex.split(r",\quad ")[1]
    subs.append(
        b.sub(
            "The objective, averaged over the batch",
            value_tex,
            rf"{b.under('J')} = {value_tex.split('=', 1)[1].strip()}",
            f"{out} → (1×1), m = {b.m}",
            (out_name, *targets),
            "J",
        )
    )
    g_dims = _dims(b.shape("G"))
    g_algebra = f"{out} − {out} → {g_dims}" if has_targets else f"(1×{b.m}) → {g_dims}"
    g_operands = ("P", *targets) if "P" in b.shapes else (out_name, *targets)
    subs.append(
        b.sub(
            "Gradient of J with respect to the output Σ_k",
            gradient_tex,
            rf"{b.under('G')} = {gradient_tex.split('=', 1)[1]}",
            g_algebra,
            g_operands if has_targets else (out_name,),
            "G",
        )
    )
    b.step(
        "objective",
        None,
        "Objective and its gradient",
        subs,
        intermediates=(),
        constants={"m": float(b.m)},
    )

    # Backward, i = k … 1.
    for i in range(k, 0, -1):
        d, sp = f"Delta{i}", f"SigmaPrime{i}"
        prev = "X" if i == 1 else f"Sigma{i - 1}"
        gw, gb = f"gradW{i}", f"gradb{i}"
        subs = []
        formulas: list[Formula] = []
        intermediates: tuple[str, ...] = ()
        if i == k:
            latex = rf"\Delta_{{{i}}} = G \circ \Sigma'_{{{i}}}"
            shapes = rf"{b.under(d)} = {b.under('G')} \circ {b.under(sp)}"
            algebra = f"{_dims(b.shape('G'))} ∘ {_dims(b.shape(sp))} → {_dims(b.shape(d))}"
            subs.append(b.sub("Delta of the last layer", latex, shapes, algebra, ("G", sp), d))
            formulas.append(Formula(latex, shapes, algebra))
        else:
            wt, w_next, d_next = f"WTDelta{i}", f"W{i + 1}", f"Delta{i + 1}"
            intermediates = (wt,)
            wt_latex = rf"W_{{{i + 1}}}^{{T}}\,\Delta_{{{i + 1}}}"
            wt_shapes = rf"{b.under(w_next, transpose=True)}\,{b.under(d_next)}"
            wt_algebra = (
                f"{_dims(b.shape(w_next))}ᵀ · {_dims(b.shape(d_next))} → {_dims(b.shape(wt))}"
            )
            subs.append(
                b.sub(
                    "Send the next layer's delta back through its weights",
                    wt_latex,
                    wt_shapes,
                    wt_algebra,
                    (w_next, d_next),
                    wt,
                )
            )
            latex_delta = (
                rf"\Delta_{{{i}}} = (W_{{{i + 1}}}^{{T}}\,\Delta_{{{i + 1}}}) \circ \Sigma'_{{{i}}}"
            )
            had_algebra = f"{_dims(b.shape(wt))} ∘ {_dims(b.shape(sp))} → {_dims(b.shape(d))}"
            subs.append(
                b.sub(
                    "Multiply entry by entry by the activation's derivative",
                    latex_delta,
                    rf"{b.under(d)} = {b.under(wt)} \circ {b.under(sp)}",
                    had_algebra,
                    (wt, sp),
                    d,
                )
            )
            latex = latex_delta
            # \left( \right): brackets that stretch around the braced factors.
            shapes = rf"{b.under(d)} = \left({wt_shapes}\right) \circ {b.under(sp)}"
            algebra = (
                f"{_dims(b.shape(w_next))}ᵀ · {_dims(b.shape(d_next))} → {_dims(b.shape(wt))}, "
                f"∘ {_dims(b.shape(sp))} → {_dims(b.shape(d))}"
            )
            formulas.append(Formula(latex, shapes, algebra))
        prev_tex = b.tex(prev)
        latex = rf"\nabla W_{{{i}}} = \Delta_{{{i}}}\,{prev_tex}^{{T}}"
        shapes = rf"{b.under(gw)} = {b.under(d)}\,{b.under(prev, transpose=True)}"
        algebra = f"{_dims(b.shape(d))} · {_dims(b.shape(prev))}ᵀ → {_dims(b.shape(gw))}"
        subs.append(
            b.sub(
                "Gradient of the weights: delta times the layer's input, transposed",
                latex,
                shapes,
                algebra,
                (d, prev),
                gw,
            )
        )
        formulas.append(Formula(latex, shapes, algebra))
        if has_bias:
            latex = rf"\nabla b_{{{i}}} = \Delta_{{{i}}}\,\mathbf{{1}}"
            shapes = rf"{b.under(gb)} = {b.under(d)}\,\underbrace{{\mathbf{{1}}}}_{{{b.m}\times 1}}"
            algebra = f"{_dims(b.shape(d))} · ({b.m}×1) → {_dims(b.shape(gb))}"
            subs.append(
                b.sub(
                    "Gradient of the biases: delta summed over the batch",
                    latex,
                    shapes,
                    algebra,
                    (d,),
                    gb,
                )
            )
            formulas.append(Formula(latex, shapes, algebra))
        b.step("backward", i, f"Backward, layer {i}", subs, formulas, intermediates)

    # Update.
    subs = []
    for i in range(1, k + 1):
        for kind, grad in (("W", f"gradW{i}"), ("b", f"gradb{i}")):
            old, new = f"{kind}{i}", f"{kind}{i}_new"
            if new not in b.shapes:
                continue
            latex = (
                rf"{kind}_{{{i}}}^{{\text{{new}}}} = {kind}_{{{i}}} - \eta\,\nabla {kind}_{{{i}}}"
            )
            shapes = rf"{b.under(new)} = {b.under(old)} - \eta\,{b.under(grad)}"
            algebra = f"{_dims(b.shape(old))} − η·{_dims(b.shape(grad))} → {_dims(b.shape(new))}"
            what = "weights" if kind == "W" else "biases"
            subs.append(
                b.sub(
                    f"Gradient step on the {what} of layer {i}, η = {eta:g}",
                    latex,
                    shapes,
                    algebra,
                    (old, grad),
                    new,
                )
            )
    b.step("update", None, f"Update, η = {eta:g}", subs, constants={"eta": eta})
    return tuple(b.steps)


def sigma_name(network: Network, i: int) -> str:
    """The activation of layer i (1-based) as plain text: its name, or σᵢ when mixed."""
    return _sigma_name(tuple(layer.names for layer in network.activations), i)


def _sigma_name(activations: tuple[tuple[str, ...], ...], i: int) -> str:
    uniform = _uniform(activations[i - 1])
    return uniform if uniform is not None else f"σ{i} (per neuron)"
