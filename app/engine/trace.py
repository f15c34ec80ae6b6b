"""One iteration as data: 2k + 2 step records naming every tensor, with formulas and shapes."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from .activations import ACTIVATIONS
from .network import Network, Parameters
from .objectives import OBJECTIVES, objective_latex

FloatArray = npt.NDArray[np.float64]

PHASES = ("forward", "objective", "backward", "update")


@dataclass(frozen=True)
class Tensor:
    """A named matrix of the iteration, in the column convention (2-D, rows × cols)."""

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
class Formula:
    """One line of a step's mathematics: plain, with sizes under each factor, and shape algebra."""

    latex: str
    latex_shapes: str
    shape_algebra: str


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

    def __init__(self, layout: TensorLayout) -> None:
        self.latex = {name: latex for name, latex, _ in layout}
        self.shapes = {name: shape for name, _, shape in layout}
        self.steps: list[Step] = []
        self.m = self.shapes["X"][1]

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
    tensors, layout = _tensors(network, params)
    activations = tuple(layer.names for layer in network.activations)
    steps = _steps(layout, activations, network.objective.name, network.spec.learning_rate)
    return Trace(steps, tensors)


def _tensors(network: Network, params: Parameters) -> tuple[dict[str, Tensor], TensorLayout]:
    """Every tensor of one iteration, by name, in the order the steps first use them."""
    k = network.depth
    tensors: dict[str, Tensor] = {}
    layout: list[tuple[str, str, tuple[int, int]]] = []

    def add(name: str, latex: str, value: FloatArray) -> None:
        value = np.asarray(value, dtype=np.float64)
        rows, cols = value.shape
        tensors[name] = Tensor(name, latex, value)
        layout.append((name, latex, (rows, cols)))

    forward = network.forward(params)
    objective = network.evaluate(forward)
    backward = network.backward(params, forward, objective.gradient)
    updated = network.update(params, backward.gradient)

    add("X", "X", network.x)
    if network.y is not None:
        add("Y", "Y", network.y)
    for i in range(1, k + 1):
        add(f"W{i}", f"W_{{{i}}}", params.weights[i - 1])
        if params.biases is not None:
            add(f"b{i}", f"b_{{{i}}}", params.biases[i - 1])
    for i in range(1, k + 1):
        add(f"N{i}", f"N_{{{i}}}", forward.n[i - 1])
        add(f"Sigma{i}", rf"\Sigma_{{{i}}}", forward.sigma[i - 1])
        add(f"SigmaPrime{i}", rf"\Sigma'_{{{i}}}", forward.sigma_prime[i - 1])
    add("J", "J", np.array([[objective.value]]))
    add("G", "G", objective.gradient)
    if "P" in objective.extras:
        add("P", "P", objective.extras["P"])
    for i in range(k, 0, -1):
        add(f"Delta{i}", rf"\Delta_{{{i}}}", backward.delta[i - 1])
        add(f"gradW{i}", rf"\nabla W_{{{i}}}", backward.gradient.weights[i - 1])
        if i < k:
            add(
                f"WTDelta{i}",
                rf"W_{{{i + 1}}}^{{T}}\Delta_{{{i + 1}}}",
                backward.back_signal[i - 1],
            )
        if backward.gradient.biases is not None:
            add(f"gradb{i}", rf"\nabla b_{{{i}}}", backward.gradient.biases[i - 1])
    for i in range(1, k + 1):
        add(f"W{i}_new", rf"W_{{{i}}}^{{\text{{new}}}}", updated.weights[i - 1])
        if updated.biases is not None:
            add(f"b{i}_new", rf"b_{{{i}}}^{{\text{{new}}}}", updated.biases[i - 1])
    return tensors, tuple(layout)


@lru_cache(maxsize=256)
def _steps(
    layout: TensorLayout,
    activations: tuple[tuple[str, ...], ...],
    loss: str,
    eta: float,
) -> tuple[Step, ...]:
    """The step records of an iteration, which depend on its structure but on no value.

    Cached: every iteration of a network (and of any network of the same structure) shares
    the same records, so they must not be changed.
    """
    b = _Builder(layout)
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
    value_tex, gradient_tex = objective_latex(OBJECTIVES[loss], k)
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
            rf"\underbrace{{J}}_{{1\times 1}}: {value_tex.split('=', 1)[1]}",
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
