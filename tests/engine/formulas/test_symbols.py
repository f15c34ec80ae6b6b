"""A tensor's symbol marks its transpose once, in the paper's names and the 1-D chain's scalars."""

from __future__ import annotations

import pytest

from app.engine.formulas import column_symbol
from app.engine.formulas.symbols import scalar_symbol


@pytest.mark.parametrize(
    ("name", "transposed", "latex"),
    [
        ("W2", True, "W_{2}^{T}"),
        ("SigmaPrime1", False, r"\Sigma'_{1}"),
        ("SigmaPrime1", True, r"\Sigma_{1}'^{T}"),
        ("J", True, "J"),
        ("gradW3", False, r"\nabla W_{3}"),
        ("b1_new", True, r"(b_{1}^{T})^{\text{new}}"),
    ],
)
def test_symbols_mark_the_transpose_once(name: str, transposed: bool, latex: str) -> None:
    assert column_symbol(name, transposed=transposed) == latex


@pytest.mark.parametrize(
    ("name", "loss", "latex"),
    [
        ("X", "network", "x"),
        ("W2", "network", "w_{2}"),
        ("Sigma1", "network", r"\sigma_{1}"),
        ("SigmaPrime3", "network", r"\sigma'_{3}"),
        ("gradW1", "network", r"\nabla_{w_{1}} f"),
        ("gradW1", "squared_error", r"\nabla_{w_{1}} J"),
        ("WTDelta1", "network", r"\Delta_{2}\,w_{2}"),
        ("W1_new", "network", r"w_{1}^{\text{new}}"),
        ("Delta2", "network", r"\Delta_{2}"),
    ],
)
def test_the_1d_chain_writes_the_papers_scalars(name: str, loss: str, latex: str) -> None:
    assert scalar_symbol(name, loss) == latex
