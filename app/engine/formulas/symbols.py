"""The symbols of tensors: the paper's (Σ'_1, ∇W_2, Ŵ_i, X̂ and their transposes), the Q&A's (H,
W, B, Y, Y*, ∂J/∂W) and the 1-D chain's scalars (w_i, σ_i, σ'_i, x, ∇_{w_i} f)."""

from __future__ import annotations


def _split(name: str) -> tuple[str, int | None, bool]:
    """'gradW2' → ('gradW', 2, False), 'b1_new' → ('b', 1, True), 'X' → ('X', None, False)."""
    new = name.endswith("_new")
    stem = name.removesuffix("_new")
    digits = len(stem) - len(stem.rstrip("0123456789"))
    if digits == 0:
        return stem, None, new
    return stem[:-digits], int(stem[-digits:]), new


_HEADS = {
    "X": "X",
    "Y": "Y",
    "J": "J",
    "G": "G",
    "P": "P",
    "W": "W",
    "b": "b",
    "N": "N",
    "Sigma": r"\Sigma",
    "SigmaPrime": r"\Sigma",
    "Delta": r"\Delta",
    "gradW": r"\nabla W",
    "gradb": r"\nabla b",
}

QA_SYMBOLS = {
    "Sigma1": "H",
    "W2": "W",
    "b2": "B",
    "Sigma2": "Y",
    "Y": "Y^{*}",
    "gradW2": r"\frac{\partial J}{\partial W}",
    "gradb2": r"\frac{\partial J}{\partial B}",
    "W2_new": r"W^{\text{new}}",
    "b2_new": r"B^{\text{new}}",
}
"""The Q&A's names of the tensors it names, as they are shown in the row convention."""

QA_WRITTEN_OUT = ("N2", "G", "Delta2")
"""Tensors the Q&A has no name for: written out where they appear (HW + B, Y − Y*, …)."""


def column_symbol(name: str, *, hat: bool = False, transposed: bool = False) -> str:
    """A tensor's symbol in the paper's names, or of its transpose: `\\Sigma'_{1}`,
    `\\Sigma_{1}'^{T}`, `\\hat{W}_{2}^{T}`; `hat`: the embedded network's Ŵ_i, X̂."""
    kind, i, new = _split(name)
    head = _HEADS[kind]
    if kind == "J":  # 1 × 1: its own transpose
        return head
    if hat and kind in ("X", "W", "gradW"):
        head = head.replace("W", r"\hat{W}") if kind != "X" else r"\hat{X}"
    sub = "" if i is None else f"_{{{i}}}"
    prime = kind == "SigmaPrime"
    if not transposed:
        symbol = head + ("'" if prime else "") + sub
        return symbol + (r"^{\text{new}}" if new else "")
    symbol = head + sub + ("'" if prime else "") + "^{T}"
    return rf"({symbol})^{{\text{{new}}}}" if new else symbol


def scalar_symbol(name: str, loss: str) -> str:
    """A tensor of the 1-D chain as the paper's §4 writes it: w_i, σ_i, σ'_i, x, ∇_{w_i} f."""
    kind, i, new = _split(name)
    f = "f" if loss == "network" else "J"
    symbols = {
        "X": "x",
        "W": f"w_{{{i}}}",
        "Sigma": rf"\sigma_{{{i}}}",
        "SigmaPrime": rf"\sigma'_{{{i}}}",
        "gradW": rf"\nabla_{{w_{{{i}}}}} {f}",
        "gradb": rf"\nabla_{{b_{{{i}}}}} {f}",
        "WTDelta": rf"\Delta_{{{(i or 0) + 1}}}\,w_{{{(i or 0) + 1}}}",
    }
    if kind not in symbols:
        return column_symbol(name)
    symbol = symbols[kind]
    return symbol + r"^{\text{new}}" if new else symbol
