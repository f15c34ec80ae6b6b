"""Explaining an entry writes its scalar computation, and the numbers add up to the entry."""

from __future__ import annotations

import math

import numpy as np
import pytest

from app.engine import (
    Network,
    Notation,
    SpecError,
    explain_entry,
    preset,
    presets,
    row_convention,
    trace_iteration,
)


def traced(preset_id: str):
    network = Network.from_spec(preset(preset_id).spec)
    return network, trace_iteration(network, network.initial_parameters())


def test_a_weight_gradient_entry_is_a_sum_over_the_batch() -> None:
    network, trace = traced("xor")
    explanation = explain_entry(network, trace, "gradW1", 2, 1)
    assert explanation.formula == r"\nabla W_{1}[2,1] = \sum_{j=1}^{4} \Delta_{1}[2,j]\,X[1,j]"
    assert len(explanation.terms) == 4
    assert [f.name for f in explanation.terms[0]] == ["Delta1", "X"]
    total = sum(a.value * b.value for a, b in explanation.terms)
    assert total == pytest.approx(explanation.value, rel=1e-12, abs=1e-15)
    assert explanation.highlights == {
        "Delta1": {"rows": [2], "cols": []},
        "X": {"rows": [1], "cols": []},
    }
    assert explanation.numbers.endswith(f"= {explanation.numbers.rsplit('= ', 1)[1]}")


def test_a_hidden_delta_sums_the_next_layer_then_multiplies_by_the_derivative() -> None:
    network, trace = traced("paper-k-layer")
    explanation = explain_entry(network, trace, "Delta1", 2, 1)
    assert sum(w.value * d.value * s.value for w, d, s in explanation.terms) == pytest.approx(
        explanation.value, rel=1e-12
    )
    assert explanation.highlights["W2"] == {"rows": [], "cols": [2]}
    assert r"\Sigma'_{1}[2,1]" in explanation.formula


@pytest.mark.parametrize("example", presets(), ids=lambda p: p.id)
def test_every_entry_of_every_tensor_can_be_explained(example) -> None:
    network = Network.from_spec(example.spec)
    trace = trace_iteration(network, network.initial_parameters())
    for name, tensor in trace.tensors.items():
        rows, cols = tensor.shape
        for row, col in {(1, 1), (rows, cols)}:
            explanation = explain_entry(network, trace, name, row, col)
            assert explanation.value == tensor.value[row - 1, col - 1]
            symbol = f"({tensor.latex})" if name.startswith("WTDelta") else tensor.latex
            assert explanation.formula.startswith(symbol)
            if name.startswith(("N", "gradW", "gradb", "WTDelta")):
                total = sum(math.prod(f.value for f in term) for term in explanation.terms)
                assert total == pytest.approx(explanation.value, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("example", presets(), ids=lambda p: p.id)
def test_in_the_row_convention_every_entry_is_written_with_the_transposed_matrices(
    example,
) -> None:
    network = Network.from_spec(example.spec)
    trace = trace_iteration(network, network.initial_parameters())
    rows = row_convention(trace)
    for name, tensor in trace.tensors.items():
        for row, col in {(1, 1), tensor.shape}:
            column = explain_entry(network, trace, name, row, col)
            explanation = explain_entry(network, trace, name, row, col, notation=Notation("row"))
            shown = rows.tensors[name].latex
            symbol = f"({shown})" if name.startswith("WTDelta") else shown
            assert explanation.value == column.value
            if name != "J":
                assert explanation.formula.startswith(f"{symbol}[{col},{row}]")
            for term, column_term in zip(explanation.terms, column.terms, strict=True):
                assert set(term) == set(column_term)
            if name.startswith(("N", "gradW", "gradb", "WTDelta")):
                total = sum(math.prod(f.value for f in term) for term in explanation.terms)
                assert total == pytest.approx(explanation.value, rel=1e-9, abs=1e-12)


def test_a_row_convention_product_reads_in_the_row_views_order() -> None:
    network, trace = traced("xor")

    forward = explain_entry(network, trace, "N1", 2, 3, notation=Notation("row"))
    gradient = explain_entry(network, trace, "gradW1", 2, 1, notation=Notation("row"))

    assert forward.formula == (
        r"N_{1}^{T}[3,2] = \sum_{q=1}^{2} X^{T}[3,q]\,W_{1}^{T}[q,2] + b_{1}^{T}[2]"
    )
    assert [f.name for f in forward.terms[0]] == ["X", "W1"]
    assert gradient.formula == (
        r"\nabla W_{1}^{T}[1,2] = \sum_{j=1}^{4} X^{T}[j,1]\,\Delta_{1}^{T}[j,2]"
    )


def test_long_sums_are_elided_with_a_count() -> None:
    spec = preset("xor").spec | {"inputs": [[0.0, 1.0]] * 20, "targets": [[1.0]] * 20}
    network = Network.from_spec(spec)
    trace = trace_iteration(network, network.initial_parameters())
    assert r"\cdots" in explain_entry(network, trace, "gradW1", 1, 1).numbers
    assert "20 terms" in explain_entry(network, trace, "gradW1", 1, 1).numbers


@pytest.mark.parametrize(
    ("name", "row", "col", "field"),
    [("Nope", 1, 1, "tensor"), ("W1", 0, 1, "row"), ("W1", 1, 3, "col"), ("W1", 5, 1, "row")],
)
def test_an_entry_outside_the_tensor_names_the_field(name, row, col, field) -> None:
    network, trace = traced("xor")
    with pytest.raises(SpecError) as caught:
        explain_entry(network, trace, name, row, col)
    assert caught.value.field == field


def test_numbers_are_written_with_four_significant_digits() -> None:
    network, trace = traced("qa-one-hidden")
    explanation = explain_entry(network, trace, "N1", 1, 1)
    values = [f.value for term in explanation.terms for f in term]
    assert f"{values[0]:.4g}" in explanation.numbers
    assert np.isfinite(explanation.value)


NO_SUM_OF_PRODUCTS = ("Sigma", "SigmaPrime", "P", "J")


@pytest.mark.parametrize("example", presets(), ids=lambda p: p.id)
def test_every_entrys_terms_times_their_coefficients_add_up_to_the_entry(example) -> None:
    network, trace = traced(example.id)
    for name, tensor in trace.tensors.items():
        rows, cols = tensor.shape
        for row, col in {(1, 1), (rows, cols), (rows, 1)}:
            explanation = explain_entry(network, trace, name, row, col)
            if name.rstrip("0123456789") in (*NO_SUM_OF_PRODUCTS, "X", "Y", "W", "b"):
                assert explanation.terms == (), name
                continue
            assert len(explanation.coefficients) == len(explanation.terms), name
            total = sum(
                c * math.prod(f.value for f in term)
                for c, term in zip(explanation.coefficients, explanation.terms, strict=True)
            )
            assert total == pytest.approx(explanation.value, rel=1e-12, abs=1e-15), name


def test_a_hidden_delta_carries_the_derivative_in_every_term() -> None:
    network, trace = traced("xor")
    explanation = explain_entry(network, trace, "Delta1", 3, 2)
    assert [f.name for f in explanation.terms[0]] == ["W2", "Delta2", "SigmaPrime1"]
    assert all(term[-1].name == "SigmaPrime1" for term in explanation.terms)
