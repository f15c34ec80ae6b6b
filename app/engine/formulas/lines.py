"""The lines of each step of an iteration, described once (column convention)."""

from __future__ import annotations

from dataclasses import dataclass

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
    Ones,
    Op,
    Scalar,
    Sum,
)

# --- the lines of each step, described ------------------------------------------------------


def _eq(result: str, rhs: Node) -> Equation:
    return Equation(Leaf(result), rhs)


def _mul(a: Node, b: Node) -> Op:
    return Op("matmul", (a, b))


def layer_input(i: int) -> str:
    """Σ_{i-1}'s key: X for the first layer."""
    return "X" if i == 1 else f"Sigma{i - 1}"


def weighted_sums(i: int, m: int, *, bias: bool) -> Node:
    """N_i's definition: W_i Σ_{i-1} (+ b_i 1ᵀ)."""
    product = _mul(Leaf(f"W{i}"), Leaf(layer_input(i)))
    if not bias:
        return product
    return Op("add", (product, _mul(Leaf(f"b{i}"), Ones(m, True))))


def objective_gradient(loss: str, k: int, m: int, n_k: int, *, scaled: bool = False) -> Node:
    """G = ∂J/∂Σ_k: 1/m · 1ᵀ, 1/m (Σ_k − Y), 1/m (P − Y) or, for targets that sum to 1 only
    within the tolerance, 1/m (P ∘ (1 1ᵀY) − Y)."""
    mean = Scalar("mean", 1.0 / m)
    if loss == "network":
        return Op("scale", (mean, Ones(m, True)))
    if loss == "squared_error":
        return Op("scale", (mean, Op("subtract", (Leaf(f"Sigma{k}"), Leaf("Y")))))
    p: Node = Leaf("P")
    if scaled:
        sums = Group(_mul(_mul(Ones(n_k), Ones(n_k, True)), Leaf("Y")))
        p = Op("hadamard", (p, sums))
    return Op("scale", (mean, Op("subtract", (p, Leaf("Y")))))


def objective_lines(loss: str, k: int, m: int, n_k: int, *, scaled: bool) -> tuple[Line, ...]:
    """P (softmax only), J and G."""
    out = Leaf(f"Sigma{k}")
    lines = []
    if loss == "network":
        value: Node = Op(
            "scale", (Scalar("mean", 1.0 / m), Sum("j", "1", "m", Entry(out, "1", "j")))
        )
        note = None
    elif loss == "squared_error":
        residual = Op("subtract", (Entry(out, ":", "j"), Entry(Leaf("Y"), ":", "j")))
        value = Op("scale", (Scalar("half_mean", 0.5 / m), Sum("j", "1", "m", Norm(residual))))
        note = (
            None
            if m == 1
            else f"J averages over the batch (1/m, m = {m}); the Q&A's J = ½(Y − Y*)(Y − Y*)ᵀ "
            "is one sample's, with no 1/m."
        )
    else:
        lines.append(Line("Softmax of each column", _eq("P", Apply("softmax", out)), "P"))
        log = Apply("log", Entry(Leaf("P"), "r", "j"))
        inner = Sum("r", None, None, _mul(Entry(Leaf("Y"), "r", "j"), log))
        value = Op("scale", (Scalar("minus_mean", -1.0 / m), Sum("j", "1", "m", inner)))
        note = None
    lines.append(Line("The objective, averaged over the batch", _eq("J", value), "J", note))
    gradient = objective_gradient(loss, k, m, n_k, scaled=scaled)
    lines.append(Line("Gradient of J with respect to the output Σ_k", _eq("G", gradient), "G"))
    return tuple(lines)


def back_signal(i: int) -> Node:
    """W_{i+1}ᵀ Δ_{i+1}, the tensor WTDelta{i}."""
    return _mul(Leaf(f"W{i + 1}", True), Leaf(f"Delta{i + 1}"))


def delta(i: int, k: int) -> Node:
    """Δ_k = G ∘ Σ'_k; Δ_i = (W_{i+1}ᵀ Δ_{i+1}) ∘ Σ'_i, the bracket naming WTDelta{i}."""
    prime = Leaf(f"SigmaPrime{i}")
    if i == k:
        return Op("hadamard", (Leaf("G"), prime))
    return Op("hadamard", (Group(back_signal(i), f"WTDelta{i}"), prime))


def definitions(k: int, m: int, *, bias: bool) -> dict[str, Node]:
    """What N_k, G and Δ_k are, for a notation that writes them out (the Q&A's)."""
    return {
        f"N{k}": weighted_sums(k, m, bias=bias),
        "G": objective_gradient("squared_error", k, m, 1),
        f"Delta{k}": delta(k, k),
    }


@dataclass(frozen=True)
class StepLines:
    """A step described: phase, layer, title, the lines shown (`lines`), the finer operations
    (`substeps`, each a line with the tensors it reads), and the scalars in its formulas."""

    phase: str
    layer: int | None
    title: str
    lines: tuple[Line, ...]
    substeps: tuple[tuple[Line, tuple[str, ...]], ...]
    constants: dict[str, float]


def _line(description: str, result: str, rhs: Node) -> Line:
    return Line(description, Equation(Leaf(result), rhs), result)


def describe_steps(
    c: Context, loss: str, eta: float, *, scaled: bool, bias: bool
) -> tuple[StepLines, ...]:
    """Every step of an iteration, described once in the column convention: forward 1 … k,
    objective, backward k … 1, update."""
    k, m = c.k, c.m
    steps: list[StepLines] = []
    for i in range(1, k + 1):
        prev, n = layer_input(i), f"N{i}"
        operands = (f"W{i}", prev, f"b{i}") if bias else (f"W{i}", prev)
        subs: tuple[tuple[Line, tuple[str, ...]], ...] = (
            (
                _line("Weighted sums of the layer's inputs", n, weighted_sums(i, m, bias=bias)),
                operands,
            ),
            (_line("Activation, entry by entry", f"Sigma{i}", Apply("sigma", Leaf(n), i)), (n,)),
            (
                _line(
                    "Derivative of the activation, entry by entry",
                    f"SigmaPrime{i}",
                    Apply("sigma", Leaf(n), i, prime=True),
                ),
                (n,),
            ),
        )
        steps.append(
            StepLines("forward", i, f"Forward, layer {i}", tuple(s for s, _ in subs), subs, {})
        )

    out = f"Sigma{k}"
    targets = ("Y",) if "Y" in c.shapes else ()
    objective = objective_lines(loss, k, m, c.shapes["G"][0], scaled=scaled)
    source = "P" if "P" in c.shapes else out
    reads = {"P": (out,), "J": (out, *targets), "G": (source, *targets) if targets else (out,)}
    reading = tuple((line, reads[line.result]) for line in objective)
    steps.append(
        StepLines(
            "objective", None, "Objective and its gradient", objective, reading, {"m": float(m)}
        )
    )

    for i in range(k, 0, -1):
        d, prev = f"Delta{i}", layer_input(i)
        what = (
            "Delta of the last layer"
            if i == k
            else ("Multiply entry by entry by the activation's derivative")
        )
        delta_line = _line(what, d, delta(i, k))
        grad_w = _line(
            "Gradient of the weights: delta times the layer's input, transposed",
            f"gradW{i}",
            Op("matmul", (Leaf(d), Leaf(prev, True))),
        )
        backward: list[tuple[Line, tuple[str, ...]]] = []
        if i == k:
            backward.append((delta_line, ("G", f"SigmaPrime{i}")))
        else:
            back = _line(
                "Send the next layer's delta back through its weights",
                f"WTDelta{i}",
                back_signal(i),
            )
            backward.append((back, (f"W{i + 1}", f"Delta{i + 1}")))
            backward.append((delta_line, (f"WTDelta{i}", f"SigmaPrime{i}")))
        backward.append((grad_w, (d, prev)))
        shown = [delta_line, grad_w]
        if c.scalar:  # the paper's formula (2): the whole product, with its numbers
            product = chain_product(i, k, c.loss)
            factors = _leaf_names(product.tree.rhs)
            backward.append((product, factors))
            shown.append(product)
        if bias:
            grad_b = _line(
                "Gradient of the biases: delta summed over the batch",
                f"gradb{i}",
                Op("matmul", (Leaf(d), Ones(m))),
            )
            backward.append((grad_b, (d,)))
            shown.append(grad_b)
        steps.append(
            StepLines("backward", i, f"Backward, layer {i}", tuple(shown), tuple(backward), {})
        )

    update: list[tuple[Line, tuple[str, ...]]] = []
    for i in range(1, k + 1):
        for kind, what in (("W", "weights"), ("b", "biases")):
            old, grad, new = f"{kind}{i}", f"grad{kind}{i}", f"{kind}{i}_new"
            if new not in c.shapes:
                continue
            moved = Op("subtract", (Leaf(old), Op("scale", (Scalar("eta", eta), Leaf(grad)))))
            update.append(
                (
                    _line(f"Gradient step on the {what} of layer {i}, η = {eta:g}", new, moved),
                    (old, grad),
                )
            )
    steps.append(
        StepLines(
            "update",
            None,
            f"Update, η = {eta:g}",
            tuple(s for s, _ in update),
            tuple(update),
            {"eta": eta},
        )
    )
    return tuple(steps)


def chain_product(i: int, k: int, loss: str) -> Line:
    """Formula (2) of the 1-D chain: ∇_{w_i} f = σ'_k w_k σ'_{k-1} … w_{i+1} σ'_i σ_{i-1} (with G
    first when the objective is not the network itself, whose G is 1)."""
    factors: list[Node] = [] if loss == "network" else [Leaf("G")]
    for j in range(k, i, -1):
        factors += [Leaf(f"SigmaPrime{j}"), Leaf(f"W{j}")]
    factors += [Leaf(f"SigmaPrime{i}"), Leaf(layer_input(i))]
    product = factors[0]
    for factor in factors[1:]:
        product = Op("matmul", (product, factor))
    tree = Equation(Leaf(f"gradW{i}"), product)
    return Line("The whole product, the paper's formula (2)", tree, f"gradW{i}", numbers=True)


def _leaf_names(node: Node) -> tuple[str, ...]:
    match node:
        case Leaf(name):
            return (name,)
        case Op(_, (a, b)):
            return _leaf_names(a) + _leaf_names(b)
    return ()


def _column(name: str, transpose: bool = False) -> Entry:
    """Sample j's column of a tensor, Σ'_i[:,j] (transposed: the row Σ_{i-1}[:,j]ᵀ)."""
    return Entry(Leaf(name, transpose), "j", ":") if transpose else Entry(Leaf(name), ":", "j")


def bullet_form(i: int, k: int) -> Line:
    """Formula (3), read left to right, with the objective's G first:
    ∇W_i = (((G ∘ Σ'_k) • W_kᵀ ∘ Σ'_{k-1}) • W_{k-1}ᵀ ∘ … ∘ Σ'_i) · Σ_{i-1}ᵀ; each bracket is a
    Δ of the recursion, and is named so."""
    inner: Node = Group(Op("hadamard", (Leaf("G"), Leaf(f"SigmaPrime{k}"))), f"Delta{k}")
    for j in range(k, i, -1):
        sent = Op("bullet", (inner, Leaf(f"W{j}", True)))
        inner = Group(Op("hadamard", (sent, Leaf(f"SigmaPrime{j - 1}"))), f"Delta{j - 1}")
    tree = Equation(Leaf(f"gradW{i}"), Op("matmul", (inner, Leaf(layer_input(i), True))))
    return Line(
        "Formula (3): the bullet and the Hadamard product, read left to right", tree, f"gradW{i}"
    )


def hadamard_form(i: int, k: int) -> Line:
    """Formula (4), per sample j, read right to left, the samples' gradients added up:
    ∇W_i = ∑_j Σ_{i-1}[:,j]ᵀ ⊗ (Σ'_i[:,j] ∘ W_{i+1}ᵀ (Σ'_{i+1}[:,j] ∘ … W_kᵀ (Σ'_k[:,j] ∘ G[:,j])))
    (the paper's, for one output and G = 1, drops G)."""
    inner: Node = Op("hadamard", (_column(f"SigmaPrime{k}"), _column("G")))
    for j in range(k, i, -1):
        inner = Op(
            "hadamard",
            (_column(f"SigmaPrime{j - 1}"), Op("matmul", (Leaf(f"W{j}", True), Group(inner)))),
        )
    outer = Op("kronecker", (_column(layer_input(i), True), Group(inner)))
    tree = Equation(Leaf(f"gradW{i}"), Sum("j", "1", "m", outer))
    what = "Formula (4): the Kronecker product, per sample, right to left"
    return Line(what, tree, f"gradW{i}", per_sample=True)


HAT = "Σ̂′ᵣ is the paper's hat: the sample's column of Σ′ᵣ as the diagonal of a square matrix."


def diagonal_form(i: int, k: int) -> Line:
    """Formula (5), per sample j: ∇W_i = ∑_j Σ_{i-1}[:,j]ᵀ ⊗ (Σ̂'_i W_{i+1}ᵀ Σ̂'_{i+1} … W_kᵀ Σ̂'_k
    G[:,j]), Σ̂'_r = diag(Σ'_r[:,j]), the paper's hat."""
    product: Node = Apply("diag", _column(f"SigmaPrime{i}"))
    for j in range(i + 1, k + 1):
        product = Op("matmul", (product, Leaf(f"W{j}", True)))
        product = Op("matmul", (product, Apply("diag", _column(f"SigmaPrime{j}"))))
    product = Op("matmul", (product, _column("G")))
    outer = Op("kronecker", (_column(layer_input(i), True), Group(product)))
    tree = Equation(Leaf(f"gradW{i}"), Sum("j", "1", "m", outer))
    what = "Formula (5): the diagonal matrices Σ̂′, per sample"
    return Line(what, tree, f"gradW{i}", note=HAT, per_sample=True)


def recursive_form(i: int) -> Line:
    """The paper's remark 3: ∇W_i = Δ_i Σ_{i-1}ᵀ, Δ_i by the recursion."""
    tree = Equation(
        Leaf(f"gradW{i}"), Op("matmul", (Leaf(f"Delta{i}"), Leaf(layer_input(i), True)))
    )
    return Line("Remark 3: Δ_i by the recursion, then ∇W_i = Δ_i Σ_{i−1}ᵀ", tree, f"gradW{i}")


def gradient_form_lines(i: int, k: int) -> dict[str, tuple[Line, ...]]:
    """The lines each form of the gradient writes out for layer i, by the form's name."""
    return {
        "recursive": (
            Line("Δ_i", Equation(Leaf(f"Delta{i}"), delta(i, k)), f"Delta{i}"),
            recursive_form(i),
        ),
        "hadamard_chain": (bullet_form(i, k), hadamard_form(i, k)),
        "diagonal_chain": (diagonal_form(i, k),),
        "finite_differences": (),
    }
