"""Any entry of a traced tensor as its scalar computation, with the actual numbers.

Indices are counted from 1, as on paper: `∇W₂[1,3] = Σ_j Δ₂[1,j] · Σ₁[3,j] = …`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import formulas as f
from .errors import SpecError
from .formulas import factor_tex, number_tex
from .network import Network
from .objectives import sums_to_one
from .trace import Trace, trace_context

MAX_TERMS_WRITTEN = 8


@dataclass(frozen=True)
class Factor:
    """One factor of a term: tensor `name` at (row, col), 1-based, and its value."""

    name: str
    row: int
    col: int
    value: float


@dataclass(frozen=True)
class Explanation:
    """How one entry is computed.

    `formula` is the index-level rule in LaTeX; `numbers` the same with values written in;
    `terms` are the products that add up to the entry, each a tuple of factors, each times its
    `coefficients` entry (1, or a constant such as 1/m or −η); empty where the entry is no sum
    of products (σ(N), P, J: `formula` says how). `highlights` lists, per operand,
    the rows and columns (1-based) that the entry reads, for the page to mark.
    """

    tensor: str
    row: int
    col: int
    value: float
    formula: str
    numbers: str
    terms: tuple[tuple[Factor, ...], ...]
    highlights: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    coefficients: tuple[float, ...] = ()
    """One per term: the entry is Σ_t coefficients[t] · Π (factors of terms[t]), to rounding."""


def _sum_of_products(terms: list[tuple[Factor, ...]]) -> str:
    """'a × b + c × d + …', eliding the middle of long sums."""

    def product(term: tuple[Factor, ...]) -> str:
        return r" \times ".join(factor_tex(f.value) for f in term)

    if len(terms) <= MAX_TERMS_WRITTEN:
        return " + ".join(product(t) for t in terms)
    head = " + ".join(product(t) for t in terms[:3])
    tail = " + ".join(product(t) for t in terms[-2:])
    return rf"{head} + \cdots + {tail}\ \ (\text{{{len(terms)} terms}})"


def _entry(trace: Trace, name: str, row: int, col: int) -> Factor:
    return Factor(name, row, col, float(trace.tensors[name].value[row - 1, col - 1]))


@dataclass(frozen=True)
class _Writer:
    """Writes entries of the tensors as they are shown. Indices given are the column
    convention's; in the row convention every matrix is shown transposed, so `T[r,c]` is
    written as the shown `Tᵀ[c,r]`, and the factors of a product come in the other order
    (the row view multiplies H W, where the paper multiplies W Σ)."""

    symbols: dict[str, str]
    transposed: bool

    def at(self, name: str, row: int | str, col: int | str) -> str:
        """Entry (row, col) of tensor `name` in the column convention, as shown."""
        if self.transposed:
            row, col = col, row
        symbol = self.symbols[name]
        if name.startswith("WTDelta"):  # a product: its entry is the product's
            symbol = f"({symbol})"
        return f"{symbol}[{row},{col}]"

    def vector(self, name: str, index: int) -> str:
        """Entry `index` of a bias vector, as shown (a column, or a row when transposed)."""
        return f"{self.symbols[name]}[{index}]"

    def product(self, *factors: str) -> str:
        return r"\,".join(reversed(factors) if self.transposed else factors)

    def ordered(self, term: tuple[Factor, ...]) -> tuple[Factor, ...]:
        return tuple(reversed(term)) if self.transposed else term


_NAME = re.compile(
    r"^(?P<kind>N|Sigma|SigmaPrime|Delta|WTDelta|gradW|gradb|W|b)(?P<layer>\d+)(?P<new>_new)?$"
)


def explain_entry(
    network: Network,
    trace: Trace,
    name: str,
    row: int,
    col: int,
    *,
    notation: f.Notation = f.COLUMN,
) -> Explanation:
    """Explain entry (row, col) of tensor `name` (1-based indices, column convention) of an
    iteration's column-convention trace, written in `notation`: in the row convention every
    matrix transposed, its indices swapped, products in the row view's order; the factors'
    indices stay the column convention's."""
    if name not in trace.tensors:
        raise SpecError("tensor", f"no tensor {name!r} in this iteration")
    rows, cols = trace.tensors[name].shape
    if not 1 <= row <= rows:
        raise SpecError("row", f"{name} has rows 1 … {rows}, got {row}")
    if not 1 <= col <= cols:
        raise SpecError("col", f"{name} has columns 1 … {cols}, got {col}")
    value = float(trace.tensors[name].value[row - 1, col - 1])
    k, m = network.depth, trace.tensors["X"].shape[1]
    t = trace.tensors
    transposed = notation.convention == "row"
    context = trace_context(trace)
    symbols = {key: f.symbol(key, context, notation) for key in t}
    w = _Writer(symbols, transposed)
    lhs = w.at(name, row, col)
    match = _NAME.match(name)
    terms: list[tuple[Factor, ...]] = []
    coefficients: list[float] | None = None
    highlights: dict[str, dict[str, list[int]]] = {}

    def explained(formula: str, numbers: str) -> Explanation:
        return Explanation(
            name,
            row,
            col,
            value,
            rf"{lhs} = {formula}",
            rf"{lhs} = {numbers} = {number_tex(value)}",
            tuple(terms),
            highlights,
            tuple(coefficients if coefficients is not None else [1.0] * len(terms)),
        )

    if name in ("X", "Y") or (match and match["kind"] in ("W", "b") and not match["new"]):
        numbers = rf"{lhs} = {number_tex(value)}"
        return Explanation(name, row, col, value, rf"{lhs}", numbers, (), {})
    if name == "J":
        objective = next(step for step in trace.steps if step.phase == "objective")
        line = next(line for line in objective.lines if line.result == "J")
        formula = f.write((line,), context, notation)[0].latex
        highlights = {f"Sigma{k}": {"rows": [], "cols": []}}
        return Explanation(name, 1, 1, value, formula, rf"J = {number_tex(value)}", (), highlights)
    if name in ("G", "P"):
        source = "P" if "P" in t and name == "G" else f"Sigma{k}"
        sm = t[f"Sigma{k}"].value[:, col - 1]
        if name == "P":
            highlights = {f"Sigma{k}": {"rows": [], "cols": [col]}}
            formula = (
                rf"\frac{{e^{{{w.at(f'Sigma{k}', row, col)}}}}}"
                rf"{{\sum_q e^{{{w.at(f'Sigma{k}', 'q', col)}}}}}"
            )
            exps = " + ".join(f"e^{{{number_tex(float(v))}}}" for v in sm)
            numbers = rf"\frac{{e^{{{number_tex(float(sm[row - 1]))}}}}}{{{exps}}}"
            return explained(formula, numbers)
        if network.spec.loss == "network":
            terms, coefficients = [()], [1 / m]
            return explained(r"\frac{1}{m}", rf"\frac{{1}}{{{m}}}")
        s, y = _entry(trace, source, row, col), _entry(trace, "Y", row, col)
        terms, coefficients = [(s,), (y,)], [1 / m, -1 / m]
        highlights = {source: {"rows": [row], "cols": [col]}, "Y": {"rows": [row], "cols": [col]}}
        if source == "P" and not sums_to_one(t["Y"].value):
            total = float(t["Y"].value[:, col - 1].sum())
            highlights["Y"] = {"rows": [], "cols": [col]}
            n_k = t["Y"].shape[0]
            terms = [(s, _entry(trace, "Y", q, col)) for q in range(1, n_k + 1)] + [(y,)]
            coefficients = [1 / m] * n_k + [-1 / m]
            return explained(
                rf"\frac{{1}}{{m}}\,({w.at('P', row, col)}\sum_{{q}} {w.at('Y', 'q', col)}"
                rf" - {w.at('Y', row, col)})",
                rf"\frac{{1}}{{{m}}}\,({number_tex(s.value)} \times {number_tex(total)}"
                rf" - {number_tex(y.value)})",
            )
        return explained(
            rf"\frac{{1}}{{m}}\,({w.at(source, row, col)} - {w.at('Y', row, col)})",
            rf"\frac{{1}}{{{m}}}\,({number_tex(s.value)} - {number_tex(y.value)})",
        )
    assert match is not None
    kind, i = match["kind"], int(match["layer"])
    prev = "X" if i == 1 else f"Sigma{i - 1}"
    if match["new"]:
        old, grad = f"{kind}{i}", f"grad{kind}{i}"
        a, g = _entry(trace, old, row, col), _entry(trace, grad, row, col)
        eta = network.spec.learning_rate
        terms, coefficients = [(a,), (g,)], [1.0, -eta]
        highlights = {old: {"rows": [row], "cols": [col]}, grad: {"rows": [row], "cols": [col]}}
        return explained(
            rf"{w.at(old, row, col)} - \eta\,{w.at(grad, row, col)}",
            rf"{number_tex(a.value)} - {number_tex(eta)} \times {factor_tex(g.value)}",
        )
    if kind == "N":
        n_in = t[prev].shape[0]
        terms = [
            (_entry(trace, f"W{i}", row, q), _entry(trace, prev, q, col))
            for q in range(1, n_in + 1)
        ]
        highlights = {f"W{i}": {"rows": [row], "cols": []}, prev: {"rows": [], "cols": [col]}}
        terms = [w.ordered(term) for term in terms]
        product = w.product(w.at(f"W{i}", row, "q"), w.at(prev, "q", col))
        formula = rf"\sum_{{q=1}}^{{{n_in}}} {product}"
        numbers = _sum_of_products(terms)
        if f"b{i}" in t:
            bias = _entry(trace, f"b{i}", row, 1)
            terms.append((bias,))
            highlights[f"b{i}"] = {"rows": [row], "cols": []}
            formula += f" + {w.vector(f'b{i}', row)}"
            numbers += f" + {number_tex(bias.value)}"
        return explained(formula, numbers)
    if kind in ("Sigma", "SigmaPrime"):
        n = _entry(trace, f"N{i}", row, col)
        highlights = {f"N{i}": {"rows": [row], "cols": [col]}}
        act = network.spec.activations[i - 1][row - 1]
        escaped = act.replace("_", "\\_")
        fn = rf"\operatorname{{{escaped}}}" + ("'" if kind == "SigmaPrime" else "")
        return explained(rf"{fn}({w.at(f'N{i}', row, col)})", rf"{fn}({number_tex(n.value)})")
    if kind == "WTDelta" or (kind == "Delta" and i < k):
        n_next = t[f"W{i + 1}"].shape[0]
        terms = [
            (_entry(trace, f"W{i + 1}", q, row), _entry(trace, f"Delta{i + 1}", q, col))
            for q in range(1, n_next + 1)
        ]
        highlights = {
            f"W{i + 1}": {"rows": [], "cols": [row]},
            f"Delta{i + 1}": {"rows": [], "cols": [col]},
        }
        terms = [w.ordered(term) for term in terms]
        product = w.product(w.at(f"W{i + 1}", "q", row), w.at(f"Delta{i + 1}", "q", col))
        inner = rf"\sum_{{q=1}}^{{{n_next}}} {product}"
        back_numbers = _sum_of_products(terms)
        if kind == "WTDelta":
            return explained(inner, back_numbers)
        sp = _entry(trace, f"SigmaPrime{i}", row, col)
        highlights[f"SigmaPrime{i}"] = {"rows": [row], "cols": [col]}
        back = float(t[f"WTDelta{i}"].value[row - 1, col - 1])
        # Each product carries the Σ'_i factor, so that the terms add up to Δ_i's entry.
        terms = [(*term, sp) for term in terms]
        return explained(
            rf"\Big({inner}\Big)\cdot {w.at(f'SigmaPrime{i}', row, col)}",
            rf"({back_numbers}) \times {number_tex(sp.value)} = {number_tex(back)} \times "
            rf"{number_tex(sp.value)}",
        )
    if kind == "Delta":
        g, sp = _entry(trace, "G", row, col), _entry(trace, f"SigmaPrime{i}", row, col)
        terms = [(g, sp)]
        highlights = {
            "G": {"rows": [row], "cols": [col]},
            f"SigmaPrime{i}": {"rows": [row], "cols": [col]},
        }
        return explained(
            rf"{w.at('G', row, col)}\cdot {w.at(f'SigmaPrime{i}', row, col)}",
            _sum_of_products(terms),
        )
    if kind == "gradW":
        terms = [
            w.ordered((_entry(trace, f"Delta{i}", row, j), _entry(trace, prev, col, j)))
            for j in range(1, m + 1)
        ]
        highlights = {f"Delta{i}": {"rows": [row], "cols": []}, prev: {"rows": [col], "cols": []}}
        return explained(
            rf"\sum_{{j=1}}^{{{m}}} "
            + w.product(w.at(f"Delta{i}", row, "j"), w.at(prev, col, "j")),
            _sum_of_products(terms),
        )
    # gradb
    terms = [(_entry(trace, f"Delta{i}", row, j),) for j in range(1, m + 1)]
    highlights = {f"Delta{i}": {"rows": [row], "cols": []}}
    return explained(
        rf"\sum_{{j=1}}^{{{m}}} {w.at(f'Delta{i}', row, 'j')}", _sum_of_products(terms)
    )
