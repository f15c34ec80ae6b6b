"""Numbers in formulas read as a person writes them, and a product of scalars is written out with
the numbers of its factors."""

from __future__ import annotations

import math

import pytest

from app.engine.formulas import Formula, factor_tex, number_tex, with_numbers


@pytest.mark.parametrize(
    ("value", "latex"),
    [
        (0.25, "0.25"),
        (-3.0, "-3"),
        (1 / 3, "0.3333"),
        (-1.2e-5, r"-1.2\times 10^{-5}"),
        (6.02e23, r"6.02\times 10^{23}"),
        (math.inf, r"\infty"),
        (-math.inf, r"-\infty"),
        (math.nan, r"\mathrm{NaN}"),
    ],
)
def test_a_number_is_written_with_four_significant_digits(value: float, latex: str) -> None:
    assert number_tex(value) == latex


@pytest.mark.parametrize(("value", "latex"), [(0.5, "0.5"), (-0.5, "(-0.5)"), (0.0, "0")])
def test_a_negative_factor_is_bracketed(value: float, latex: str) -> None:
    assert factor_tex(value) == latex


def test_a_product_is_written_out_factor_by_factor_with_its_value() -> None:
    def tensor(name: str) -> dict[str, object]:
        return {"kind": "tensor", "latex": name, "shape": [1, 1], "name": name, "transpose": False}

    product = {"kind": "operation", "op": "matmul", "args": [tensor("SigmaPrime1"), tensor("X")]}
    formula = Formula(
        latex=r"\nabla_{w_{1}} f = \sigma'_{1}\,x",
        latex_shapes=r"\nabla_{w_{1}} f = \sigma'_{1}\,x",
        shape_algebra="numbers",
        expression={"kind": "equation", "lhs": tensor("gradW1"), "rhs": product},
        result="gradW1",
        numbers=True,
    )
    values = {"SigmaPrime1": 0.5, "X": -2.0, "gradW1": -1.0}

    written = with_numbers(formula, values.__getitem__)

    tail = r" = 0.5 \cdot (-2) = -1"
    assert written.latex == formula.latex + tail
    assert written.latex_shapes == formula.latex_shapes + tail
