"""A step, a trace and a tensor drawn for Jupyter with no JavaScript and no network.

The HTML is the step's equation view: each formula in MathML above its factors as SVG heatmaps
at their true shapes (a column is a column), on the page's diverging red–blue scale centred on
zero (blue negative, red positive, near-white zero, grey for a value that is not finite), row 1
on top, indices from 1, a `<title>` on every cell saying its entry and value, and a table
alternative for a small matrix. A matrix wider or taller than `MAX_DRAWN` cells is drawn in
square blocks (each cell the mean of its block, its `<title>` the block's range), so W_1 of a
784-input network is a few hundred rectangles, not 200,000. `text/latex` and `text/plain`
come too, for front ends that show no HTML.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
from latex2mathml.converter import convert

from . import equation
from .arrays import FloatArray
from .symbols import text_symbol
from .tensor import Tensor

if TYPE_CHECKING:
    from .results import Explanation, StepResult, TraceResult

__all__ = [
    "MAX_DRAWN",
    "explanation_bundle",
    "heatmap",
    "step_bundle",
    "step_html",
    "tensor_bundle",
    "trace_bundle",
]

MAX_DRAWN = 40
"""Most cells drawn along one side of a matrix; a longer side is drawn in blocks."""
MAX_CELL = 22
"""Largest cell, in CSS pixels: a small matrix is drawn this big."""
MIN_CELL = 6
"""Smallest cell, in CSS pixels."""
STEP_WIDTH = 420
"""About how wide the largest matrix of a step is drawn, in CSS pixels."""
TABLE_ENTRIES = 144
"""A matrix with at most this many entries also comes as a table (for screen readers)."""
LATEX_ENTRIES = 12
"""A matrix with at most this many rows and columns is written out in `text/latex`."""

RED_BLUE = (
    "#053061",
    "#2166ac",
    "#4393c3",
    "#92c5de",
    "#d1e5f0",
    "#f7f7f7",
    "#fddbc7",
    "#f4a582",
    "#d6604d",
    "#b2182b",
    "#67001f",
)
"""The page's red–blue scale (ColorBrewer RdBu), from the most negative to the most positive."""
NOT_FINITE = "#9a9a9a"
"""A gap: the colour of an entry that is inf or NaN (a diverged run)."""
FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif"


def _palette(levels: int = 255) -> list[str]:
    """`levels` colours evenly along RED_BLUE, the middle one its white."""
    stops = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in RED_BLUE], float)
    at = np.linspace(0.0, 1.0, len(RED_BLUE))
    t = np.linspace(0.0, 1.0, levels)
    channels = [np.interp(t, at, stops[:, k]).round().astype(int) for k in range(3)]
    return [f"#{r:02x}{g:02x}{b:02x}" for r, g, b in zip(*channels, strict=True)]


PALETTE = _palette()


def colours(values: FloatArray, limit: float) -> list[str]:
    """The colour of each value (flattened), on a scale from −`limit` (darkest blue) to
    `limit` (darkest red), zero white; NOT_FINITE for inf and NaN."""
    flat = values.ravel()
    finite = np.isfinite(flat)
    scaled = np.zeros_like(flat) if limit <= 0 else np.where(finite, flat, 0.0) / limit
    index = np.clip(np.rint((scaled + 1) / 2 * (len(PALETTE) - 1)), 0, len(PALETTE) - 1)
    return [
        PALETTE[i] if ok else NOT_FINITE for i, ok in zip(index.astype(int), finite, strict=True)
    ]


def _number(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    return f"{value:.4g}".replace("-", "−")


@lru_cache(maxsize=4096)
def mathml(latex: str, *, block: bool = False) -> str:
    """`latex` as MathML (one string is converted once)."""
    return str(convert(latex, display="block" if block else "inline"))


def _block(rows: int, cols: int) -> int:
    """The side of the square blocks a rows × cols matrix is drawn in (1: every entry)."""
    return max(1, math.ceil(max(rows, cols) / MAX_DRAWN))


def _blocks(value: FloatArray, size: int) -> FloatArray:
    """The mean of each `size` × `size` block (the last ones smaller), NaN where a block holds
    a value that is not finite."""
    rows, cols = value.shape
    starts_r, starts_c = np.arange(0, rows, size), np.arange(0, cols, size)
    with np.errstate(invalid="ignore", over="ignore"):
        sums = np.add.reduceat(np.add.reduceat(value, starts_r, axis=0), starts_c, axis=1)
    counts = np.outer(np.diff([*starts_r, rows]), np.diff([*starts_c, cols]))
    means: FloatArray = sums / counts
    return means


def heatmap(tensor: Tensor, *, symbol: str, cell: int) -> str:
    """One matrix as an HTML figure: its SVG heatmap (row 1 on top, indices from 1, a `<title>`
    per cell) under its symbol in MathML and its size, with a table for a small one."""
    value = tensor.value
    rows, cols = value.shape
    size = _block(rows, cols)
    drawn = value if size == 1 else _blocks(value, size)
    drawn_rows, drawn_cols = drawn.shape
    finite = value[np.isfinite(value)]
    limit = float(np.abs(finite).max()) if finite.size else 0.0
    fills = colours(drawn, limit)
    labelled = size == 1 and cell >= 14
    margin_left = 8 + 6 * len(str(rows))
    margin_top = 14
    width = margin_left + drawn_cols * cell + 1
    height = margin_top + drawn_rows * cell + 1
    label = f"{symbol}, {rows} × {cols}" + (
        f", drawn in blocks of {size} × {size}" if size > 1 else ""
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" style="display:block;overflow:visible">'
        f"<title>{html.escape(label)}</title>",
        '<g font-size="9" fill="#444">',
    ]
    for c in _index_marks(drawn_cols, labelled):
        x = margin_left + c * cell + cell / 2
        parts.append(f'<text x="{x:g}" y="10" text-anchor="middle">{_first_index(c, size)}</text>')
    for r in _index_marks(drawn_rows, labelled):
        y = margin_top + r * cell + cell / 2 + 3
        parts.append(
            f'<text x="{margin_left - 3}" y="{y:g}" text-anchor="end">'
            f"{_first_index(r, size)}</text>"
        )
    parts.append("</g><g>")
    flat = drawn.ravel()
    for k, fill in enumerate(fills):
        r, c = divmod(k, drawn_cols)
        where = _where(symbol, r, c, size, rows, cols)
        parts.append(
            f'<rect x="{margin_left + c * cell}" y="{margin_top + r * cell}" width="{cell}" '
            f'height="{cell}" fill="{fill}"><title>{where} = {_number(float(flat[k]))}'
            "</title></rect>"
        )
    parts.append(
        f'</g><rect x="{margin_left}" y="{margin_top}" width="{drawn_cols * cell}" '
        f'height="{drawn_rows * cell}" fill="none" stroke="#666" stroke-width="0.5"/></svg>'
    )
    caption = f"{mathml(tensor.latex)} <span>{rows} × {cols}</span>" + (
        f" <small>(blocks of {size} × {size}, mean)</small>" if size > 1 else ""
    )
    table = _table(value, symbol) if value.size <= TABLE_ENTRIES else ""
    return (
        f'<figure data-tensor="{html.escape(tensor.name)}" style="margin:0;display:inline-flex;'
        f'flex-direction:column;align-items:center;gap:2px">{"".join(parts)}'
        f'<figcaption style="font-size:12px">{caption}</figcaption>{table}</figure>'
    )


def _index_marks(count: int, every: bool) -> Iterable[int]:
    return range(count) if every else sorted({0, count - 1})


def _first_index(drawn: int, size: int) -> int:
    return drawn * size + 1


def _where(symbol: str, r: int, c: int, size: int, rows: int, cols: int) -> str:
    if size == 1:
        return f"{symbol}[{r + 1},{c + 1}]"
    r_last, c_last = min(rows, (r + 1) * size), min(cols, (c + 1) * size)
    return f"{symbol}[{r * size + 1}…{r_last},{c * size + 1}…{c_last}], mean"


def _table(value: FloatArray, symbol: str) -> str:
    rows, cols = value.shape
    head = "".join(f'<th scope="col">{c}</th>' for c in range(1, cols + 1))
    body = "".join(
        f'<tr><th scope="row">{r + 1}</th>'
        + "".join(f"<td>{_number(float(v))}</td>" for v in value[r])
        + "</tr>"
        for r in range(rows)
    )
    return (
        '<details style="font-size:11px"><summary>Table</summary>'
        f'<table style="border-collapse:collapse;text-align:right"><caption>{html.escape(symbol)}'
        f"</caption><thead><tr><th></th>{head}</tr></thead><tbody>{body}</tbody></table></details>"
    )


def _cell(shapes: Sequence[tuple[int, int]]) -> int:
    """The cell size shared by the matrices of one view, so that their sizes compare."""
    longest = max((min(max(r, c), MAX_DRAWN) for r, c in shapes), default=1)
    return max(MIN_CELL, min(MAX_CELL, STEP_WIDTH // max(longest, 1)))


_FACTOR = re.compile(r"\((\d+)×(\d+)\)(ᵀ?)")
_OPERATOR = re.compile(r"\)ᵀ?\s*([·∘+−•⊗])\s*\(")


def _factors(operation: dict[str, Any], tensors: dict[str, Tensor]) -> list[tuple[str, str, bool]]:
    """The operands of an operation in the order of its formula, each with the operator before
    it and whether the formula transposes it, matched to the factors of its shape algebra
    (`(1×4) · (4×4)ᵀ → (1×4)`; the row convention writes a transposed factor by its shape);
    the operands alone, in their order, when they do not match (a factor of ones)."""
    operands = [n for n in operation["operands"] if n in tensors]
    left = operation["shape_algebra"].split("→")[0]
    factors = [(int(r), int(c), mark == "ᵀ") for r, c, mark in _FACTOR.findall(left)]
    signs = ["", *_OPERATOR.findall(left)]
    if len(factors) == len(operands) and len(signs) == len(factors):
        for order in (operands, operands[::-1]):
            placed = _placed(factors, order, tensors)
            if placed is not None:
                return [(s, n, t) for s, (n, t) in zip(signs, placed, strict=True)]
    return [("", name, False) for name in operands]


def _placed(
    factors: list[tuple[int, int, bool]], names: list[str], tensors: dict[str, Tensor]
) -> list[tuple[str, bool]] | None:
    placed = []
    for (rows, cols, marked), name in zip(factors, names, strict=True):
        shape = tensors[name].shape
        if shape == (rows, cols):
            placed.append((name, marked))
        elif shape == (cols, rows) and not marked:
            placed.append((name, True))
        else:
            return None
    return placed


def step_html(step: StepResult) -> str:
    """The step's equation view: each formula line in MathML with its shape algebra, above its
    factors as heatmaps in the order written. Drawn from each formula's expression tree when
    the server sends it; else from the step's operations (`substeps`), each result = its
    operands, matched to the factors of their shape algebra."""
    tensors = step.tensors
    cell = _cell([t.shape for t in tensors.values()])

    def figure(name: str, transposed: bool = False, latex: str | None = None) -> str:
        tensor = tensors[name]
        symbol = text_symbol(name, step.convention, step.view)
        if transposed:  # the factor is the tensor as sent, transposed: Σ₁ᵀ, or Δ₂ in the row one
            symbol = symbol[:-1] if symbol.endswith("ᵀ") else symbol + "ᵀ"
            tensor = Tensor(tensor.name, latex or tensor.latex + "^{T}", tensor.value.T)
        elif latex is not None:
            tensor = Tensor(tensor.name, latex, tensor.value)
        return heatmap(tensor, symbol=symbol, cell=cell)

    formulas = step.formulas
    operations = step.record.get("substeps") or []
    if formulas and all("expression" in f for f in formulas):
        lines = [
            _line(
                f["latex"],
                f["shape_algebra"],
                equation.draw(f["expression"], tensors, figure, mathml),
                f.get("note"),
            )
            for f in formulas
        ]
    elif operations:
        lines = []
        for operation in operations:
            row = []
            if operation["result"] in tensors:
                row += [figure(operation["result"]), equation.sign("=")]
            for sign, name, transposed in _factors(operation, tensors):
                row += [equation.sign(sign)] if sign else []
                row.append(figure(name, transposed))
            lines.append(_line(operation["latex"], operation["shape_algebra"], row))
    else:  # a step described by formulas only: the formulas, then every tensor of the step
        names = [*step.operands, *step.intermediates, *step.results]
        row = [figure(n) for n in names if n in tensors]
        lines = [_line(f["latex"], f["shape_algebra"], []) for f in formulas]
        lines.append(_line("", "", row))
    of = step.record.get("of", "?")
    where = ""
    if step.session is not None:
        where = f" · iteration {step.session.shown_iteration}"
    return (
        f'<div class="bpv-step" style="{FONT};color:#111">'
        f'<div style="font-weight:600;font-size:14px">Step {step.number} of {of}: '
        f"{html.escape(step.title)}{where}</div>{''.join(lines)}</div>"
    )


def _line(latex: str, algebra: str, pieces: list[str], note: str | None = None) -> str:
    """One line of the equation view: the formula and its shape algebra, then its figures."""
    head = ""
    if latex:
        head = (
            f'<div style="font-size:15px">{mathml(latex)}'
            f'<span style="color:#555;font-size:12px;margin-left:12px">'
            f"{html.escape(algebra)}</span></div>"
        )
    if note:
        head += f'<div style="font-size:12px;color:#555">{html.escape(note)}</div>'
    row = ""
    if pieces:
        row = (
            '<div style="display:flex;flex-wrap:wrap;align-items:center;gap:6px;'
            f'margin-top:4px">{"".join(pieces)}</div>'
        )
    return f'<div style="margin:10px 0">{head}{row}</div>'


def step_latex(step: StepResult) -> str:
    """The step's formulas with the size under every factor, for `text/latex`."""
    lines = [f["latex_shapes"] for f in step.formulas]
    return (
        "$$\n\\begin{aligned}\n"
        + " \\\\\n".join(f"&{line}" for line in lines)
        + "\n\\end{aligned}\n$$"
    )


def step_text(step: StepResult) -> str:
    """The step in plain text: its title, formulas, shape algebra and tensors."""
    lines = [f"Step {step.number} of {step.record.get('of', '?')}: {step.title}"]
    for formula in step.formulas:
        lines.append(f"  {formula['latex']}    {formula['shape_algebra']}")
    for name, tensor in step.tensors.items():
        rows, cols = tensor.shape
        lines.append(f"  {name} ({rows} × {cols})")
    return "\n".join(lines)


def step_bundle(step: StepResult) -> dict[str, str]:
    """A step's MIME bundle: the equation view, its LaTeX and its text."""
    return {
        "text/html": step_html(step),
        "text/latex": step_latex(step),
        "text/plain": step_text(step),
    }


def trace_bundle(trace: TraceResult) -> dict[str, str]:
    """A trace's MIME bundle: every step's equation view in order."""
    steps = [trace.step(n) for n in range(1, len(trace.steps) + 1)]
    head = f"One iteration of {len(steps)} steps, J = {_number(trace.loss)}"
    return {
        "text/html": f'<div style="{FONT}"><div style="font-weight:600">{html.escape(head)}</div>'
        + "".join(step_html(s) for s in steps)
        + "</div>",
        "text/latex": "\n".join(step_latex(s) for s in steps),
        "text/plain": head + "\n" + "\n".join(step_text(s) for s in steps),
    }


def tensor_latex(tensor: Tensor) -> str:
    """`symbol = \\begin{bmatrix}…\\end{bmatrix}` for a small matrix, its space for a big one."""
    rows, cols = tensor.shape
    if max(rows, cols) > LATEX_ENTRIES:
        return f"$${tensor.latex} \\in \\mathbb{{R}}^{{{rows}\\times {cols}}}$$"
    body = " \\\\ ".join(
        " & ".join(_number(float(v)).replace("−", "-").replace("∞", "\\infty") for v in row)
        for row in tensor.value
    )
    return f"$${tensor.latex} = \\begin{{bmatrix}} {body} \\end{{bmatrix}}$$"


def tensor_bundle(
    tensor: Tensor, *, convention: str = "column", view: str = "affine"
) -> dict[str, str]:
    """A tensor's MIME bundle: its heatmap, its `bmatrix` and NumPy's text."""
    rows, cols = tensor.shape
    figure = heatmap(
        tensor,
        symbol=text_symbol(tensor.name, convention, view),
        cell=_cell([tensor.shape]),
    )
    return {
        "text/html": f'<div style="{FONT}">{figure}</div>',
        "text/latex": tensor_latex(tensor),
        "text/plain": f"{tensor.name} ({rows} × {cols})\n{np.array2string(tensor.value)}",
    }


def explanation_bundle(explained: Explanation) -> dict[str, str]:
    """An explained entry: the rule and the rule with the numbers, in MathML."""
    head = f"{explained.tensor}[{explained.row},{explained.col}] = {_number(explained.value)}"
    return {
        "text/html": f'<div style="{FONT}"><div>{mathml(explained.formula, block=True)}</div>'
        f"<div>{mathml(explained.numbers, block=True)}</div></div>",
        "text/latex": f"$${explained.formula}$$\n$${explained.numbers}$$",
        "text/plain": f"{head}\n{explained.formula}\n{explained.numbers}",
    }
