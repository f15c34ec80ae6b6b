"""Plain-text symbols of the API's tensor keys (`Delta2` → Δ₂), for cell titles and tables,
in the convention and view the matrices are shown in."""

from __future__ import annotations

import re

__all__ = ["text_symbol"]

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_KEY = re.compile(r"(?P<base>[A-Za-z]+?)(?P<layer>\d+)?(?P<new>_new)?")
_BASES = {
    "X": "X",
    "Y": "Y",
    "P": "P",
    "J": "J",
    "G": "G",
    "W": "W",
    "b": "b",
    "N": "N",
    "Sigma": "Σ",
    "SigmaPrime": "Σ′",
    "Delta": "Δ",
    "gradW": "∇W",
    "gradb": "∇b",
}
_HATTED = {"W": "Ŵ", "X": "X̂", "gradW": "∇Ŵ"}


def _sub(layer: int) -> str:
    return str(layer).translate(_SUBSCRIPTS)


def text_symbol(name: str, convention: str = "column", view: str = "affine") -> str:
    """`Delta2` → `Δ₂`, `SigmaPrime1` → `Σ′₁`, `gradW2` → `∇W₂`, `W1_new` → `W₁ (new)`,
    `WTDelta1` → `W₂ᵀΔ₂`; transposed (`Δ₂ᵀ`) in the row convention, hatted (`Ŵ₁`) in the
    homogeneous view. An unknown key is returned as it is."""
    match = _KEY.fullmatch(name)
    if match is None:
        return name
    base, layer, new = match["base"], match["layer"], match["new"]
    hat = view == "homogeneous"
    if base == "WTDelta" and layer is not None:
        above = _sub(int(layer) + 1)
        weights = ("Ŵ" if hat else "W") + above
        if convention == "row":
            return f"Δ{above}ᵀ{weights}"
        return f"{weights}ᵀΔ{above}"
    if base not in _BASES:
        return name
    symbol = (_HATTED.get(base) if hat else None) or _BASES[base]
    if layer is not None:
        symbol += _sub(int(layer))
    if convention == "row" and base != "J":
        symbol += "ᵀ"
    return symbol + (" (new)" if new else "")
