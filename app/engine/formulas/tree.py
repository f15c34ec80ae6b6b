"""The description of a formula line: an expression tree in the column convention, and its
transpose (the row convention)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Convention = Literal["column", "row"]
View = Literal["affine", "homogeneous"]
Names = Literal["paper", "qa"]
Shape = tuple[int, int]


@dataclass(frozen=True)
class Notation:
    """How a formula is written: convention, network (affine or embedded), whose names."""

    convention: Convention = "column"
    view: View = "affine"
    names: Names = "paper"


COLUMN = Notation()


def qa_names_fit(layers: tuple[int, ...], loss: str, *, bias: bool) -> str | None:
    """Why the Q&A's names do not fit a network (None when they do): they name one hidden
    layer (k = 2) with biases and the squared error."""
    if len(layers) != 3:
        k = len(layers) - 1
        return f"the Q&A's names are those of one hidden layer (k = 2); this network has k = {k}"
    if loss != "squared_error":
        return f"the Q&A's names are those of the squared error; this network uses {loss}"
    if not bias:
        return "the Q&A's names include the bias B; this network has no biases"
    return None


# --- the description: a tree, in the column convention ----------------------------------------


@dataclass(frozen=True)
class Leaf:
    """Tensor `name` of the iteration, transposed or not."""

    name: str
    transpose: bool = False


@dataclass(frozen=True)
class Ones:
    """A column of `count` ones, 1 (count × 1), or with `transpose` the row 1ᵀ."""

    count: int
    transpose: bool = False


@dataclass(frozen=True)
class Scalar:
    """A number in a formula: `eta` (η), `mean` (1/m), `half_mean` (1/(2m)), `half` (1/2, the
    Q&A's, whose m is 1), `minus_mean` (−1/m)."""

    kind: Literal["eta", "mean", "half_mean", "half", "minus_mean"]
    value: float


@dataclass(frozen=True)
class Op:
    """An operation of two arguments (for `scale`, the scalar first)."""

    op: Literal["matmul", "hadamard", "add", "subtract", "bullet", "kronecker", "scale"]
    args: tuple[Node, Node]


@dataclass(frozen=True)
class Apply:
    """A function applied entry by entry: `sigma` of `layer` (σ_i or σ'_i), `softmax` of
    each column, `log`; and `diag`, a column made the diagonal of a square matrix."""

    function: Literal["sigma", "softmax", "log", "diag"]
    arg: Node
    layer: int | None = None
    prime: bool = False


@dataclass(frozen=True)
class Group:
    """A sub-result: `name`s the tensor it equals when it has one; `brackets`: written in ( )."""

    body: Node
    name: str | None = None
    brackets: bool = True


@dataclass(frozen=True)
class Entry:
    """Entry (row, col) of a tensor, with index symbols: `Σ_2[:,j]`, `Y[r,j]`."""

    of: Leaf
    row: str
    col: str


@dataclass(frozen=True)
class Sum:
    """∑ over `index` from `lower` to `upper` (None: over every value)."""

    index: str
    lower: str | None
    upper: str | None
    body: Node


@dataclass(frozen=True)
class Norm:
    """The squared Euclidean norm of a column (of a row, transposed)."""

    body: Node


@dataclass(frozen=True)
class Equation:
    """result = expression."""

    lhs: Node
    rhs: Node


Node = Leaf | Ones | Scalar | Op | Apply | Group | Entry | Sum | Norm | Equation


@dataclass(frozen=True)
class Line:
    """One line of a step: what it computes (`result`), its tree, and what it does in words."""

    description: str
    tree: Equation
    result: str
    note: str | None = None
    numbers: bool = False
    """Written out with its factors' numbers too, per iteration (the 1-D chain's product)."""
    per_sample: bool = False
    """A sum over the samples j of their columns: with one sample, written as the paper does,
    without the sum and the index."""


# --- what the writer needs to know of the network -----------------------------------------


@dataclass(frozen=True)
class Context:
    """What the symbols and sizes depend on: the tensors' shapes (column convention), the batch
    m, the depth k, each layer's activation names, and the definitions a notation may write out
    in place of a tensor (the Q&A's names have none for N_k, G, Δ_k), the objective's name."""

    shapes: Mapping[str, Shape]
    m: int
    k: int
    activations: tuple[tuple[str, ...], ...]
    definitions: Mapping[str, Node] = field(default_factory=dict)
    loss: str = "squared_error"

    @property
    def scalar(self) -> bool:
        """Every tensor 1 × 1: the paper's 1-D chain of §4 with one sample, written in scalars."""
        return all(shape == (1, 1) for shape in self.shapes.values())


# --- transposing a tree (the row convention) ----------------------------------------------


def transpose(node: Node) -> Node:
    """The tree of the transposed value: (AB)ᵀ = BᵀAᵀ, (A ∘ B)ᵀ = Aᵀ ∘ Bᵀ, (A • B)ᵀ = Aᵀ·Bᵀ,
    (a ⊗ b)ᵀ = aᵀ ⊗ bᵀ, σ(A)ᵀ = σ(Aᵀ), T[r,c] → Tᵀ[c,r]; a leaf's transpose flips."""
    match node:
        case Leaf(name, t):
            return Leaf(name, not t)
        case Ones(count, t):
            return Ones(count, not t)
        case Scalar():
            return node
        case Op("matmul", (a, b)):
            return Op("matmul", (transpose(b), transpose(a)))
        case Op("bullet", (a, b)):
            return Op("matmul", (transpose(a), transpose(b)))
        case Op("scale", (s, a)):
            return Op("scale", (s, transpose(a)))
        case Op(op, (a, b)):
            return Op(op, (transpose(a), transpose(b)))
        case Apply(function, arg, layer, prime):
            return Apply(function, transpose(arg), layer, prime)
        case Group(body, name, brackets):
            return Group(transpose(body), name, brackets)
        case Entry(of, row, col):
            return Entry(Leaf(of.name, not of.transpose), col, row)
        case Sum(index, lower, upper, body):
            return Sum(index, lower, upper, transpose(body))
        case Norm(body):
            return Norm(transpose(body))
        case Equation(lhs, rhs):
            return Equation(transpose(lhs), transpose(rhs))
    raise TypeError(node)


def batch_of_one(node: Node, m: int, *, scalars: bool = False) -> Node:
    """The Q&A's forms for one sample: the sum over it, its index, 1/m and 1 (1 × 1) go;
    with `scalars` (every tensor 1 × 1) every entry is its tensor."""

    def rec(child: Node, m: int) -> Node:
        return batch_of_one(child, m, scalars=scalars)

    match node:
        case Entry(of) if scalars:
            return of
        case Op("scale", (Scalar("mean", _), a)) if m == 1:
            return rec(a, m)
        case Op("scale", (Scalar("half_mean", value), a)) if m == 1:
            return Op("scale", (Scalar("half", value), rec(a, m)))
        case Op("scale", (s, a)):
            return Op("scale", (s, rec(a, m)))
        case Op("matmul", (Ones(1, _), a)) | Op("matmul", (a, Ones(1, _))):
            return rec(a, m)
        case Op(op, (a, b)):
            return Op(op, (rec(a, m), rec(b, m)))
        case Apply(function, arg, layer, prime):
            return Apply(function, rec(arg, m), layer, prime)
        case Group(body, name, brackets):
            return Group(rec(body, m), name, brackets)
        case Sum("j", _, "m", body) if m == 1:
            return rec(body, m)
        case Entry(of, row, col) if m == 1 and "j" in (row, col) and ":" in (row, col):
            return of
        case Sum(index, lower, upper, body):
            return Sum(index, lower, upper, rec(body, m))
        case Norm(body):
            return Norm(rec(body, m))
        case Equation(lhs, rhs):
            return Equation(rec(lhs, m), rec(rhs, m))
    return node
