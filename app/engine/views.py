"""Other views of one traced iteration: the row convention of the Q&A and of NumPy/PyTorch.

In the row convention a batch is one sample per row: H = Σ_{i-1}ᵀ (m × n_{i-1}), the weights
are W_iᵀ (n_{i-1} × n_i), Y = f(H W_iᵀ + 1 b_iᵀ), and ∂J/∂W_iᵀ = Hᵀ δ with δ = Δ_iᵀ. The
numbers are the same; every matrix is transposed and every formula is rewritten.
"""

from __future__ import annotations

import re

from .network import Network
from .objectives import objective_latex, sums_to_one
from .trace import Entries, Formula, Step, SubStep, Tensor, Trace

_SYMBOL = re.compile(r"^(?P<kind>[A-Za-z]+?)(?P<layer>\d+)?(?P<new>_new)?$")


def row_symbol(name: str) -> str:
    """The LaTeX of a tensor's transpose in the row view, e.g. Delta2 → \\Delta_{2}^{T}."""
    match = _SYMBOL.match(name)
    assert match is not None, name
    kind, i = match["kind"], match["layer"]
    if name == "J":
        return "J"
    if kind == "WTDelta":
        return rf"\Delta_{{{int(i) + 1}}}^{{T}}\,W_{{{int(i) + 1}}}"
    base = {
        "X": "X",
        "Y": "Y",
        "G": "G",
        "P": "P",
        "W": f"W_{{{i}}}",
        "b": f"b_{{{i}}}",
        "N": f"N_{{{i}}}",
        "Sigma": rf"\Sigma_{{{i}}}",
        "SigmaPrime": rf"\Sigma'_{{{i}}}",
        "Delta": rf"\Delta_{{{i}}}",
        "gradW": rf"\nabla W_{{{i}}}",
        "gradb": rf"\nabla b_{{{i}}}",
    }[kind]
    if match["new"]:
        return rf"({base}^{{T}})^{{\text{{new}}}}"
    if kind == "SigmaPrime":
        return rf"\Sigma_{{{i}}}'^{{T}}"
    return rf"{base}^{{T}}"


def row_objective(network: Network) -> str:
    """J as a formula of the row view: samples are rows, Σ_k[:,j] becomes Σ_kᵀ[j,:]."""
    k = network.depth
    value = objective_latex(network.objective, k)[0].split(r",\quad ")[-1]
    value = value.replace("[:,j]", "[j,:]").replace("[r,j]", "[j,r]")
    value = value.replace(rf"\Sigma_{{{k}}}", rf"\Sigma_{{{k}}}^{{T}}").replace("Y[", "Y^{T}[")
    return value.replace("P[", "P^{T}[")


def _dims(shape: tuple[int, int]) -> str:
    return f"({shape[0]}×{shape[1]})"


class _Rows:
    """Writes one step's formulas in the row convention from its names and transposed shapes."""

    def __init__(self, tensors: dict[str, Tensor]) -> None:
        self.tensors = tensors

    def s(self, name: str) -> str:
        return self.tensors[name].latex

    def d(self, name: str) -> str:
        return _dims(self.tensors[name].shape)

    def u(self, name: str) -> str:
        rows, cols = self.tensors[name].shape
        return rf"\underbrace{{{self.s(name)}}}_{{{rows}\times {cols}}}"

    def line(self, result: str, parts: list[tuple[str, str]], algebra: str) -> Formula:
        """`parts` are (plain, with-sizes) pieces of the right-hand side."""
        plain = "".join(p for p, _ in parts)
        sized = "".join(q for _, q in parts)
        return Formula(rf"{self.s(result)} = {plain}", rf"{self.u(result)} = {sized}", algebra)


def _row_formulas(network: Network, step: Step, t: dict[str, Tensor]) -> dict[str, Formula]:
    """Row-convention formulas of a step, keyed by the name each one computes."""
    r, out = _Rows(t), {}
    m = t["X"].shape[0]
    ones_col = (r"\mathbf{1}", rf"\underbrace{{\mathbf{{1}}}}_{{{m}\times 1}}")
    if step.phase == "forward":
        i = step.layer
        assert i is not None
        prev = "X" if i == 1 else f"Sigma{i - 1}"
        n, w = f"N{i}", f"W{i}"
        parts = [(rf"{r.s(prev)}\,{r.s(w)}", rf"{r.u(prev)}\,{r.u(w)}")]
        algebra = f"{r.d(prev)} · {r.d(w)}"
        if f"b{i}" in t:
            parts += [(" + ", " + "), ones_col, (rf"\,{r.s(f'b{i}')}", rf"\,{r.u(f'b{i}')}")]
            algebra += f" + ({m}×1) · {r.d(f'b{i}')}"
        out[n] = r.line(n, parts, f"{algebra} → {r.d(n)}")
        for name, f in ((f"Sigma{i}", r"\sigma"), (f"SigmaPrime{i}", r"\sigma'")):
            fn = f"{f}_{{{i}}}"
            out[name] = r.line(
                name,
                [(rf"{fn}({r.s(n)})", rf"{fn}\left({r.u(n)}\right)")],
                f"entrywise: {r.d(n)} → {r.d(name)}",
            )
    elif step.phase == "objective":
        k = network.depth
        value, gradient = objective_latex(network.objective, k)
        if "P" in t:
            out["P"] = r.line(
                "P",
                [
                    (
                        rf"\operatorname{{softmax}}({r.s(f'Sigma{k}')})",
                        rf"\operatorname{{softmax}}({r.u(f'Sigma{k}')})",
                    )
                ],
                f"softmax of each row: {r.d(f'Sigma{k}')} → {r.d('P')}",
            )
        value = row_objective(network)
        shapes = rf"{r.u('J')} = {value.split('=', 1)[1].strip()}"
        out["J"] = Formula(value, shapes, f"{r.d(f'Sigma{k}')} → (1×1), m = {m}")
        rhs = gradient.split("=", 1)[1]
        for sym in (rf"\Sigma_{{{k}}}", "P", "Y"):
            rhs = rhs.replace(sym, f"{sym}^{{T}}")
        rhs = rhs.replace(r"\mathbf{1}^{T}", r"\mathbf{1}")
        if "P" in t and not sums_to_one(network.y):
            rhs = r" \frac{1}{m}\,(P^{T} \circ (Y^{T}\mathbf{1}\,\mathbf{1}^{T}) - Y^{T})"
        out["G"] = Formula(rf"G^{{T}} = {rhs}", rf"{r.u('G')} = {rhs}", f"→ {r.d('G')}")
    elif step.phase == "backward":
        i = step.layer
        assert i is not None
        d, sp = f"Delta{i}", f"SigmaPrime{i}"
        prev = "X" if i == 1 else f"Sigma{i - 1}"
        if i == network.depth:
            out[d] = r.line(
                d,
                [(rf"G^{{T}} \circ {r.s(sp)}", rf"{r.u('G')} \circ {r.u(sp)}")],
                f"{r.d('G')} ∘ {r.d(sp)} → {r.d(d)}",
            )
        else:
            wt, d_next, w_next = f"WTDelta{i}", f"Delta{i + 1}", f"W{i + 1}"
            w_rows, w_cols = t[w_next].shape
            w_plain = rf"W_{{{i + 1}}}"
            w_sized = rf"\underbrace{{W_{{{i + 1}}}}}_{{{w_cols}\times {w_rows}}}"
            w_dims = f"({w_cols}×{w_rows})"
            out[wt] = Formula(
                rf"{r.s(d_next)}\,{w_plain}",
                rf"{r.u(d_next)}\,{w_sized}",
                f"{r.d(d_next)} · {w_dims} → {r.d(wt)}",
            )
            out[d] = r.line(
                d,
                [
                    (
                        rf"({r.s(d_next)}\,{w_plain}) \circ {r.s(sp)}",
                        rf"\left({r.u(d_next)}\,{w_sized}\right) \circ {r.u(sp)}",
                    )
                ],
                f"{r.d(d_next)} · {w_dims} → {r.d(wt)}, ∘ {r.d(sp)} → {r.d(d)}",
            )
        gw = f"gradW{i}"
        p_rows, p_cols = t[prev].shape
        prev_plain = r.s(prev)
        out[gw] = r.line(
            gw,
            [
                (
                    rf"({prev_plain})^{{T}}\,{r.s(d)}",
                    rf"\underbrace{{({prev_plain})^{{T}}}}_{{{p_cols}\times {p_rows}}}\,{r.u(d)}",
                )
            ],
            f"{r.d(prev)}ᵀ · {r.d(d)} → {r.d(gw)}",
        )
        if f"gradb{i}" in t:
            gb = f"gradb{i}"
            out[gb] = r.line(
                gb,
                [
                    (
                        rf"\mathbf{{1}}^{{T}}\,{r.s(d)}",
                        rf"\underbrace{{\mathbf{{1}}^{{T}}}}_{{1\times {m}}}\,{r.u(d)}",
                    )
                ],
                f"(1×{m}) · {r.d(d)} → {r.d(gb)}",
            )
    else:
        for name in step.results:
            old = name.removesuffix("_new")
            grad = "grad" + old
            out[name] = r.line(
                name,
                [(rf"{r.s(old)} - \eta\,{r.s(grad)}", rf"{r.u(old)} - \eta\,{r.u(grad)}")],
                f"{r.d(old)} − η·{r.d(grad)} → {r.d(name)}",
            )
    return out


def row_convention(network: Network, trace: Trace) -> Trace:
    """The same iteration in the row convention: tensors transposed, formulas rewritten."""
    tensors = {
        name: Tensor(name, row_symbol(name), tensor.value.T.copy())
        for name, tensor in trace.tensors.items()
    }
    steps = []
    for step in trace.steps:
        formulas = _row_formulas(network, step, tensors)
        substeps = tuple(
            SubStep(
                s.description,
                formulas[s.result].latex,
                formulas[s.result].latex_shapes,
                formulas[s.result].shape_algebra,
                s.operands,
                s.result,
            )
            for s in step.substeps
        )
        lines = tuple(
            formulas[name]
            for name in (*step.intermediates, *step.results)
            if name in formulas
            and not (name.startswith("WTDelta") and f"Delta{step.layer}" in formulas)
        )
        steps.append(
            Step(
                index=step.index,
                phase=step.phase,
                layer=step.layer,
                title=step.title,
                formulas=lines,
                substeps=substeps,
                operands=step.operands,
                results=step.results,
                intermediates=step.intermediates,
                shapes={name: (shape[1], shape[0]) for name, shape in step.shapes.items()},
                constants=dict(step.constants),
                held_fixed={
                    name: Entries(rows=e.cols, cols=e.rows) for name, e in step.held_fixed.items()
                },
            )
        )
    return Trace(tuple(steps), tensors)
