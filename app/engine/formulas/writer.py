"""Writing a described line in one notation: LaTeX, LaTeX with sizes, shape algebra, JSON."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..activations import ACTIVATIONS
from .symbols import QA_SYMBOLS, QA_WRITTEN_OUT, column_symbol, scalar_symbol
from .tree import (
    Apply,
    Context,
    Entry,
    Equation,
    Group,
    Leaf,
    Line,
    Node,
    Norm,
    Notation,
    Ones,
    Op,
    Scalar,
    Shape,
    Sum,
    batch_of_one,
    transpose,
)


def _paper_order(node: Node) -> Node:
    """The 1-D chain's back signal as the paper writes it, Δ_{i+1} w_{i+1} (numbers commute)."""
    match node:
        case Op("matmul", (Leaf(w, True) as weight, Leaf(d) as signal)) if w.startswith(
            "W"
        ) and d.startswith("Delta"):
            return Op("matmul", (signal, weight))
        case Op(op, (a, b)):
            return Op(op, (_paper_order(a), _paper_order(b)))
        case Group(body, name, brackets):
            return Group(_paper_order(body), name, brackets)
        case Equation(lhs, rhs):
            return Equation(lhs, _paper_order(rhs))
    return node


# --- writing ---------------------------------------------------------------------------------

_PRECEDENCE = {
    "add": 1,
    "subtract": 1,
    "hadamard": 2,
    "bullet": 2,
    "kronecker": 2,
    "matmul": 3,
    "scale": 3,
}
_TEX_OPS = {
    "matmul": r" \cdot ",
    "hadamard": r" \circ ",
    "add": " + ",
    "subtract": " - ",
    "bullet": r" \bullet ",
    "kronecker": r" \otimes ",
    "scale": r"\,",
}
_TEXT_OPS = {
    "matmul": " · ",
    "hadamard": " ∘ ",
    "add": " + ",
    "subtract": " − ",
    "bullet": " • ",
    "kronecker": " ⊗ ",
    "scale": "·",
}
_SCALARS = {
    "eta": (r"\eta", "η"),
    "mean": (r"\frac{1}{m}", "1/m"),
    "half_mean": (r"\frac{1}{2m}", "1/(2m)"),
    "half": (r"\frac{1}{2}", "1/2"),
    "minus_mean": (r"-\frac{1}{m}", "−1/m"),
}


@dataclass(frozen=True)
class Formula:
    """A line as one notation writes it: plain, with the size under every factor, the shape
    algebra, `expression` (its tree as JSON-like data, see the module's docstring), the tensor
    it computes, and a note to show beside it (or None)."""

    latex: str
    latex_shapes: str
    shape_algebra: str
    expression: dict[str, Any]
    result: str
    note: str | None = None
    numbers: bool = False
    """To be written out with its factors' numbers per iteration (`with_numbers`)."""


def _dims(shape: Shape | None) -> str:
    return "" if shape is None else f"({shape[0]}×{shape[1]})"


class _Writer:
    """Writes trees of one context in one notation."""

    def __init__(self, context: Context, notation: Notation) -> None:
        self.c = context
        self.n = notation
        self.row = notation.convention == "row"
        self.qa = notation.names == "qa"
        self.hat = notation.view == "homogeneous"
        # The paper's 1-D chain (§4): numbers w_i, σ_i, σ'_i, no transposes, products side by side.
        self.scalar = context.scalar and notation.names == "paper"

    # symbols and shapes of leaves, in this notation

    def shown_shape(self, name: str) -> Shape:
        rows, cols = self.c.shapes[name]
        return (cols, rows) if self.row else (rows, cols)

    def leaf_shape(self, leaf: Leaf) -> Shape:
        rows, cols = self.c.shapes[leaf.name]
        return (cols, rows) if leaf.transpose else (rows, cols)

    def symbol(self, leaf: Leaf) -> str:
        """The leaf's LaTeX: its symbol, or its transpose's, never a double transpose."""
        if self.scalar:
            return scalar_symbol(leaf.name, self.c.loss)
        shown = leaf.transpose == self.row  # the leaf is the tensor as it is sent
        if self.qa and leaf.name in QA_SYMBOLS:
            return QA_SYMBOLS[leaf.name] + ("" if shown else "^{T}")
        if self.qa and leaf.name == "SigmaPrime2":
            written = self.tex(self.finish(self._qa_prime()), sizes=False)
            return written if shown else rf"({written})^{{T}}"
        if leaf.name.startswith("WTDelta"):
            i = int(leaf.name.removeprefix("WTDelta"))
            product: Node = Op("matmul", (Leaf(f"W{i + 1}", True), Leaf(f"Delta{i + 1}")))
            product = transpose(product) if leaf.transpose else product
            return self.tex(self.finish(self.prepare(product)), sizes=False)
        return column_symbol(leaf.name, hat=self.hat, transposed=leaf.transpose)

    def _qa_prime(self) -> Node:
        """f′(HW + B): the Q&A's name of Σ'_2, as the row convention shows it."""
        return Apply("sigma", self.expand(Leaf("N2", True)), layer=2, prime=True)

    def expand(self, leaf: Leaf) -> Node:
        """A tensor without a name in this notation, written out by its definition."""
        definition = self.c.definitions[leaf.name]
        body = transpose(definition) if leaf.transpose else definition
        return Group(self.prepare(body), leaf.name, brackets=False)

    def finish(self, node: Node) -> Node:
        """The Q&A's forms for its one sample (no sum over it, no 1/m, no 1 of size 1 × 1); the
        1-D chain's in scalars."""
        if self.scalar:
            return _paper_order(batch_of_one(node, 1, scalars=True))
        return batch_of_one(node, self.c.m) if self.qa else node

    def written_out(self, node: Node) -> bool:
        return self.qa and isinstance(node, Leaf) and node.name in QA_WRITTEN_OUT

    def prepare(self, node: Node) -> Node:
        """The tree with the tensors this notation has no name for written out."""
        match node:
            case Leaf() if self.written_out(node):
                return self.expand(node)
            case Op(op, (a, b)):
                return Op(op, (self.prepare(a), self.prepare(b)))
            case Apply(function, arg, layer, prime):
                return Apply(function, self.prepare(arg), layer, prime)
            case Group(body, name, brackets):
                return Group(self.prepare(body), name, brackets)
            case Sum(index, lower, upper, body):
                return Sum(index, lower, upper, self.prepare(body))
            case Norm(body):
                return Norm(self.prepare(body))
            case Equation(lhs, rhs):
                return Equation(
                    lhs if self.written_out(lhs) else self.prepare(lhs), self.prepare(rhs)
                )
        return node

    def function(self, node: Apply) -> tuple[str, str]:
        """(LaTeX, text) of an applied function: \\tanh, σ_i when a layer mixes them, the
        Q&A's f."""
        if node.function == "softmax":
            return r"\operatorname{softmax}", "softmax"
        if node.function == "log":
            return r"\log", "log"
        if node.function == "diag":
            return r"\operatorname{diag}", "diag"
        i = node.layer
        assert i is not None
        mark = "'" if node.prime else ""
        if self.qa and i == self.c.k:
            return "f" + mark, "f" + ("′" if node.prime else "")
        names = self.c.activations[i - 1]
        if len(set(names)) == 1:
            return ACTIVATIONS[names[0]].latex + mark, names[0] + ("′" if node.prime else "")
        return rf"\sigma{mark}_{{{i}}}", f"σ{i}{'′' if node.prime else ''}"

    # shapes

    def shape(self, node: Node) -> Shape | None:
        match node:
            case Leaf():
                return self.leaf_shape(node)
            case Ones(count, t):
                return (1, count) if t else (count, 1)
            case Scalar():
                return None
            case Op("scale", (_, a)):
                return self.shape(a)
            case Op("matmul", (a, b)):
                sa, sb = self.shape(a), self.shape(b)
                assert sa is not None and sb is not None
                return (sa[0], sb[1])
            case Op("bullet", (a, b)):
                sa, sb = self.shape(a), self.shape(b)
                assert sa is not None and sb is not None
                return (sb[0], sa[1])
            case Op("kronecker", (a, b)):
                sa, sb = self.shape(a), self.shape(b)
                assert sa is not None and sb is not None
                return (sa[0] * sb[0], sa[1] * sb[1])
            case Op(_, (a, _)):
                return self.shape(a)
            case Apply("diag", arg):
                column = self.shape(arg)
                assert column is not None
                return (column[0], column[0])
            case Apply(_, arg):
                return self.shape(arg)
            case Group(body):
                return self.shape(body)
            case Entry(of, row, col):
                rows, cols = self.leaf_shape(of)
                return (rows if row == ":" else 1, cols if col == ":" else 1)
            case Sum() | Norm():
                return (1, 1)
            case Equation(lhs):
                return self.shape(lhs)
        raise TypeError(node)

    # LaTeX

    def _precedence(self, node: Node) -> int:
        match node:
            case Op(op):
                return 3 if self.scalar and op == "hadamard" else _PRECEDENCE[op]
            case Group(body, _, brackets) if not brackets or self.scalar:
                return self._precedence(body)
        return 4

    def _joined(self, op: str) -> str:
        # The paper writes the column-by-row product with a dot, W_1 · X, Δ_i · Σ_{i-1}ᵀ; the Q&A
        # writes a product of two symbols as they stand, HW; the 1-D chain multiplies numbers,
        # σ'_k w_k, whether the column convention's product was · or ∘.
        if self.qa and op == "matmul":
            return ""
        if self.scalar and op in ("matmul", "hadamard"):
            return r"\,"
        return _TEX_OPS[op]

    def _wrap(self, text: str, sizes: bool) -> str:
        return rf"\left({text}\right)" if sizes else f"({text})"

    def tex(self, node: Node, *, sizes: bool) -> str:
        """The node in LaTeX; `sizes`: each factor with its size under a brace."""
        match node:
            case Leaf():
                symbol = self.symbol(node)
                if not sizes:
                    return symbol
                rows, cols = self.leaf_shape(node)
                return rf"\underbrace{{{symbol}}}_{{{rows}\times {cols}}}"
            case Ones(count, t):
                symbol = "1" if self.scalar else r"\mathbf{1}^{T}" if t else r"\mathbf{1}"
                if not sizes:
                    return symbol
                rows, cols = (1, count) if t else (count, 1)
                return rf"\underbrace{{{symbol}}}_{{{rows}\times {cols}}}"
            case Scalar(kind):
                return _SCALARS[kind][0]
            case Op(op, (a, b)):
                mine = self._precedence(node)
                left, right = self.tex(a, sizes=sizes), self.tex(b, sizes=sizes)
                if self._precedence(a) < mine:
                    left = self._wrap(left, sizes)
                tighter = self._precedence(b) < mine
                same_kind = self._precedence(b) == mine and op in ("subtract", "bullet")
                if tighter or same_kind:
                    right = self._wrap(right, sizes)
                return left + self._joined(op) + right
            case Apply("diag", Leaf(name) | Entry(Leaf(name))) if name.startswith("SigmaPrime"):
                # The paper's hat: Σ'_i (a sample's column of it) made a diagonal matrix.
                i = name.removeprefix("SigmaPrime")
                symbol = rf"\widehat{{\Sigma}}'_{{{i}}}"
                if not sizes:
                    return symbol
                rows, _ = self.c.shapes[name]
                return rf"\underbrace{{{symbol}}}_{{{rows}\times {rows}}}"
            case Apply(_, arg):
                name, _ = self.function(node)
                inner = self.tex(arg, sizes=sizes)
                if node.function == "log" and isinstance(arg, Entry | Leaf):
                    return rf"{name} {inner}"
                return name + self._wrap(inner, sizes)
            case Group(body, _, brackets):
                inner = self.tex(body, sizes=sizes)
                return self._wrap(inner, sizes) if brackets and not self.scalar else inner
            case Entry(of, row, col):
                entry = f"{self.symbol(of)}[{row},{col}]"
                if not sizes or ":" not in (row, col):  # Y[r,j] is a number
                    return entry
                rows, cols = self.shape(node) or (1, 1)
                return rf"\underbrace{{{entry}}}_{{{rows}\times {cols}}}"
            case Sum(index, lower, upper, body):
                bounds = f"_{{{index}}}" if lower is None else f"_{{{index}={lower}}}"
                if upper is not None:
                    bounds += f"^{{{upper}}}"
                return rf"\sum{bounds} {self.tex(body, sizes=sizes)}"
            case Norm(body):
                inner = self.tex(body, sizes=sizes)
                if self.qa:  # the Q&A's dot product of a row with itself
                    return f"({inner})({inner})^{{T}}"
                return rf"\lVert {inner} \rVert^{{2}}"
            case Equation(lhs, rhs):
                return f"{self.tex(lhs, sizes=sizes)} = {self.tex(rhs, sizes=sizes)}"
        raise TypeError(node)

    # shape algebra

    def algebra(self, node: Node) -> str:
        match node:
            case Leaf(name):
                return _dims(self.shown_shape(name)) + ("" if node.transpose == self.row else "ᵀ")
            case Ones():
                return _dims(self.shape(node))
            case Scalar(kind):
                return _SCALARS[kind][1]
            case Op(op, (a, b)):
                mine = _PRECEDENCE[op]
                left, right = self.algebra(a), self.algebra(b)
                if self._precedence(a) < mine:
                    left = f"({left})"
                if self._precedence(b) < mine:
                    right = f"({right})"
                return left + _TEXT_OPS[op] + right
            case Apply(_, arg):
                return f"{self.function(node)[1]} {self.algebra(arg)}"
            case Group(body, name, brackets):
                inner = self.algebra(body)
                if name is not None and brackets:
                    return f"({inner} → {_dims(self.shape(body))})"
                return f"({inner})" if brackets else inner
            case Entry():
                return _dims(self.shape(node))
            case Sum(_, _, _, body) | Norm(body):
                return self.algebra(body)
        raise TypeError(node)

    # JSON for the page

    def json(self, node: Node) -> dict[str, Any]:
        shape = self.shape(node)
        out: dict[str, Any] = {
            "kind": "",
            "latex": self.tex(node, sizes=False),
            "shape": None if shape is None else list(shape),
        }
        match node:
            case Leaf(name, t):
                # A number is its own transpose: the 1-D chain draws w_3, never w_3ᵀ.
                flipped = t != self.row and not self.scalar
                out |= {"kind": "tensor", "name": name, "transpose": flipped}
            case Ones(_, t):
                out |= {"kind": "ones", "transpose": t}
            case Scalar(_, value):
                out |= {"kind": "scalar", "value": value}
            case Op(op, args):
                # The 1-D chain's products are of numbers, written side by side as the paper
                # writes them (Δ_{i+1} w_{i+1} σ'_i): "times", not the matrices' · or ∘.
                shown = "times" if self.scalar and op in ("matmul", "hadamard") else op
                out |= {"kind": "operation", "op": shown, "args": [self.json(a) for a in args]}
            case Apply(_, arg):
                out |= {
                    "kind": "apply",
                    "function": self.function(node)[0],
                    "args": [self.json(arg)],
                }
            case Group(body, name, brackets):
                out |= {
                    "kind": "group",
                    "name": name,
                    "brackets": brackets and not self.scalar,  # as `tex` writes it
                    "body": self.json(body),
                }
            case Entry(of, row, col):
                out |= {"kind": "entry", "of": self.json(of), "row": row, "col": col}
            case Sum(index, lower, upper, body):
                out |= {"kind": "sum", "index": index, "lower": lower, "upper": upper}
                out["body"] = self.json(body)
            case Norm(body):
                out |= {"kind": "norm", "body": self.json(body)}
            case Equation(lhs, rhs):
                out |= {"kind": "equation", "lhs": self.json(lhs), "rhs": self.json(rhs)}
        return out

    # a whole line

    def line(self, line: Line) -> Formula:
        # Numbers are their own transposes: the 1-D chain reads the same in either convention.
        tree: Node = transpose(line.tree) if self.row and not self.scalar else line.tree
        tree = self.finish(self.prepare(tree))
        if line.per_sample and self.c.m == 1:
            tree = batch_of_one(tree, 1)
        assert isinstance(tree, Equation)
        root: Node = tree
        if self.written_out(tree.lhs) or (
            self.tex(tree.lhs, sizes=False) == self.tex(tree.rhs, sizes=False)
        ):
            root = tree.rhs  # the notation has no name of its own for the result
        result_dims = _dims(self.shown_shape(line.result))
        rhs = tree.rhs
        if self.scalar:
            algebra = "numbers: every width is 1 and there is one sample (the paper's §4)"
        elif isinstance(rhs, Apply) and rhs.function == "sigma":
            name = self.function(rhs)[1]
            algebra = f"{name} applied entrywise: {self.algebra(rhs.arg)} → {result_dims}"
        elif line.result == "J":
            algebra = f"{_dims(self.shape(_first_leaf(rhs)))} → (1×1), m = {self.c.m}"
        else:
            algebra = f"{self.algebra(rhs)} → {result_dims}"
        return Formula(
            latex=self.tex(root, sizes=False),
            # The 1-D chain's are numbers, not 1 × 1 matrices: nothing to write under them.
            latex_shapes=self.tex(root, sizes=not self.scalar),
            shape_algebra=algebra,
            expression=self.json(root),
            result=line.result,
            note=line.note,
            numbers=line.numbers,
        )


def _first_leaf(node: Node) -> Leaf:
    match node:
        case Leaf():
            return node
        case Entry(of):
            return of
        case Op(_, (a, b)):
            try:
                return _first_leaf(a)
            except ValueError:
                return _first_leaf(b)
        case Apply(_, body) | Group(body) | Sum(_, _, _, body) | Norm(body):
            return _first_leaf(body)
    raise ValueError(node)


def write(lines: tuple[Line, ...], context: Context, notation: Notation) -> tuple[Formula, ...]:
    """Each line in `notation`."""
    writer = _Writer(context, notation)
    return tuple(writer.line(line) for line in lines)


def symbol(name: str, context: Context, notation: Notation) -> str:
    """The LaTeX of tensor `name` as it is sent in `notation` (its transpose in the row
    convention): `\\Delta_{2}^{T}`, `\\hat{W}_{1}`, the Q&A's `H`; a tensor the notation has no
    name for is written out, e.g. HW + B."""
    writer = _Writer(context, notation)
    leaf = Leaf(name, notation.convention == "row")
    if writer.written_out(leaf):
        return writer.tex(writer.finish(writer.expand(leaf)), sizes=False)
    return writer.symbol(leaf)
