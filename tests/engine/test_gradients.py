"""Every form of the gradient agrees with finite differences, and with the texts' closed forms."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given

from app.engine import (
    Network,
    compare_gradient_forms,
    finite_difference_gradient,
    relative_difference,
    trace_iteration,
)
from app.engine.gradients import EXACT_FORMS

from .strategies import has_kink, network_specs


@given(spec=network_specs())
def test_every_gradient_form_equals_finite_differences(spec: dict[str, Any]) -> None:
    network = Network.from_spec(spec)
    params = network.initial_parameters()
    if has_kink(spec):
        # Finite differences are meaningless within a step of a kink.
        assume(min(float(np.abs(n).min()) for n in network.forward(params).n) > 1e-2)
    numeric = finite_difference_gradient(network, params).flat()
    for name, form in EXACT_FORMS.items():
        exact = form(network, params).flat()
        assert relative_difference(exact, numeric) < 1e-6, name


@given(spec=network_specs(max_depth=3, max_width=5))
def test_the_three_analytic_forms_agree_to_rounding(spec: dict[str, Any]) -> None:
    network = Network.from_spec(spec)
    comparison = compare_gradient_forms(
        network, network.initial_parameters(), finite_differences=False
    )
    assert comparison.max_relative_difference < 1e-12


def test_comparison_reports_every_form_and_the_largest_difference() -> None:
    network = Network.from_spec(
        {
            "layers": [2, 3, 1],
            "activations": ["tanh", "sigmoid"],
            "loss": "squared_error",
            "inputs": [[0.3, -0.7], [1.0, 0.5]],
            "targets": [[1.0], [0.0]],
            "seed": 4,
        }
    )
    comparison = compare_gradient_forms(network, network.initial_parameters())
    assert list(comparison.forms) == [
        "recursive",
        "hadamard_chain",
        "diagonal_chain",
        "finite_differences",
    ]
    assert 0 < comparison.max_difference < 1e-9
    assert comparison.max_relative_difference < 1e-8


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def test_one_dimensional_chain_follows_the_papers_formula_1() -> None:
    x, w1, w2, w3 = 0.5, 0.8, -1.2, 0.6
    network = Network.from_spec(
        {
            "layers": [1, 1, 1, 1],
            "activations": ["sigmoid", "tanh", "sigmoid"],
            "bias": False,
            "loss": "network",
            "inputs": [[x]],
            "weights": [[[w1]], [[w2]], [[w3]]],
        }
    )
    # Formula (1), written out: σ_1 = sigmoid, σ_2 = tanh, σ_3 = sigmoid.
    n1 = w1 * x
    s1 = _sigmoid(n1)
    n2 = w2 * s1
    s2 = math.tanh(n2)
    n3 = w3 * s2
    d1, d2, d3 = s1 * (1 - s1), 1 - s2**2, _sigmoid(n3) * (1 - _sigmoid(n3))
    expected = [d3 * w3 * d2 * w2 * d1 * x, d3 * w3 * d2 * s1, d3 * s2]
    # The same numbers, evaluated once by hand from the formula.
    np.testing.assert_allclose(expected, [-0.01297212, 0.05387376, -0.14884308], rtol=1e-5)

    trace = trace_iteration(network, network.initial_parameters())
    got = [trace.tensors[f"gradW{i}"].value[0, 0] for i in (1, 2, 3)]
    np.testing.assert_allclose(got, expected, rtol=1e-14)
    # The recursion Δ_i = Δ_{i+1} w_{i+1} σ'_i with Δ_4 = w_4 = 1, and ∇w_i f = Δ_i σ_{i-1}.
    delta3 = 1.0 * 1.0 * d3
    delta2 = delta3 * w3 * d2
    delta1 = delta2 * w2 * d1
    for i, delta in zip((1, 2, 3), (delta1, delta2, delta3), strict=True):
        assert trace.tensors[f"Delta{i}"].value[0, 0] == pytest.approx(delta, rel=1e-14)


def test_one_hidden_layer_matches_the_qa_closed_forms() -> None:
    # The Q&A's row convention: H = Σ_1ᵀ (1 × h), W = W_2ᵀ (h × y), B = b_2ᵀ (1 × y), Y = f(HW + B).
    w1 = [[0.1, -0.4, 0.3], [0.7, 0.2, -0.5], [-0.3, 0.6, 0.1], [0.2, -0.1, 0.4]]
    b1 = [0.05, -0.1, 0.2, 0.0]
    w2 = [[0.5, -0.6, 0.3, 0.8], [-0.2, 0.4, 0.9, -0.7]]
    b2 = [0.1, -0.3]
    x, y_star = [0.5, -0.2, 0.1], [1.0, 0.0]
    network = Network.from_spec(
        {
            "layers": [3, 4, 2],
            "activations": ["sigmoid", "sigmoid"],
            "bias": True,
            "loss": "squared_error",
            "inputs": [x],
            "targets": [y_star],
            "weights": [w1, w2],
            "biases": [b1, b2],
        }
    )
    trace = trace_iteration(network, network.initial_parameters())

    def f(z: np.ndarray) -> np.ndarray:
        return 1 / (1 + np.exp(-z))

    h = f(np.array([x]) @ np.array(w1).T + np.array([b1]))
    w, b = np.array(w2).T, np.array([b2])
    y = f(h @ w + b)
    f_prime = y * (1 - y)
    dj_db = (y - np.array([y_star])) * f_prime
    dj_dw = h.T @ dj_db
    np.testing.assert_allclose(trace.tensors["gradb2"].value.T, dj_db, rtol=1e-14)
    np.testing.assert_allclose(trace.tensors["gradW2"].value.T, dj_dw, rtol=1e-14)
    assert trace.tensors["J"].value[0, 0] == pytest.approx(0.5 * ((y - y_star) ** 2).sum())
    # Index level, [∇W_2]_{rc} = Σ_j Δ_2[r, j] Σ_1[c, j], for one entry.
    delta2, sigma1 = trace.tensors["Delta2"].value, trace.tensors["Sigma1"].value
    assert trace.tensors["gradW2"].value[1, 2] == pytest.approx((delta2[1] * sigma1[2]).sum())
