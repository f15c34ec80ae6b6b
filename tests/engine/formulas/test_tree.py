"""A described line transposed is the row convention's line: (AB)ᵀ = BᵀAᵀ, leaves flip once."""

from __future__ import annotations

import pytest

from app.engine.formulas import (
    Apply,
    Entry,
    Equation,
    Group,
    Leaf,
    Ones,
    Op,
    Scalar,
    Sum,
    transpose,
)
from app.engine.formulas.tree import batch_of_one

A, B = Leaf("W2", True), Leaf("Delta2")


@pytest.mark.parametrize(
    ("tree", "transposed"),
    [
        (Op("matmul", (A, B)), Op("matmul", (Leaf("Delta2", True), Leaf("W2")))),
        (
            Op("hadamard", (B, Leaf("SigmaPrime1"))),
            Op("hadamard", (Leaf("Delta2", True), Leaf("SigmaPrime1", True))),
        ),
        (Op("bullet", (B, A)), Op("matmul", (Leaf("Delta2", True), Leaf("W2")))),
        (
            Op("scale", (Scalar("eta", 0.1), B)),
            Op("scale", (Scalar("eta", 0.1), Leaf("Delta2", True))),
        ),
        (Ones(4, True), Ones(4)),
        (Entry(Leaf("Y"), ":", "j"), Entry(Leaf("Y", True), "j", ":")),
        (Apply("sigma", B, 2), Apply("sigma", Leaf("Delta2", True), 2)),
        (
            Group(Op("matmul", (A, B)), "WTDelta1"),
            Group(Op("matmul", (Leaf("Delta2", True), Leaf("W2"))), "WTDelta1"),
        ),
    ],
)
def test_transposing_follows_the_rules_of_the_transpose(tree, transposed) -> None:
    assert transpose(tree) == transposed


def test_transposing_twice_gives_the_line_back() -> None:
    line = Equation(Leaf("gradW1"), Op("matmul", (Leaf("Delta1"), Leaf("X", True))))
    assert transpose(transpose(line)) == line


def test_one_sample_drops_its_sum_its_index_and_ones_of_size_one() -> None:
    per_sample = Sum(
        "j",
        "1",
        "m",
        Op("kronecker", (Entry(Leaf("X", True), "j", ":"), Entry(Leaf("G"), ":", "j"))),
    )
    assert batch_of_one(per_sample, 1) == Op("kronecker", (Leaf("X", True), Leaf("G")))
    assert batch_of_one(Op("matmul", (Leaf("b1"), Ones(1, True))), 1) == Leaf("b1")
    assert batch_of_one(per_sample, 2) == per_sample
