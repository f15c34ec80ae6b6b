"""Each activation's derivative against finite differences, and stability far from zero."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from app.engine import ACTIVATIONS, LayerActivation

NAMES = sorted(ACTIVATIONS)
# Points away from the kinks of relu and leaky_relu at 0.
POINTS = np.array([-7.5, -3.0, -1.1, -0.4, -0.05, 0.05, 0.3, 0.9, 2.2, 6.0])


@pytest.mark.parametrize("name", NAMES)
def test_derivative_matches_central_differences(name: str) -> None:
    act = ACTIVATIONS[name]
    h = 1e-6
    numeric = (act.function(POINTS + h) - act.function(POINTS - h)) / (2 * h)
    np.testing.assert_allclose(act.derivative(POINTS), numeric, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("name", NAMES)
def test_activation_is_finite_and_silent_at_plus_minus_1e4(name: str) -> None:
    act = ACTIVATIONS[name]
    x = np.array([-1e4, -745.0, -30.0, 30.0, 745.0, 1e4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value, slope = act.function(x), act.derivative(x)
    assert np.isfinite(value).all()
    assert np.isfinite(slope).all()


@pytest.mark.parametrize(
    ("name", "x", "expected"),
    [
        ("sigmoid", 1e4, 1.0),
        ("sigmoid", -1e4, 0.0),
        ("softplus", 1e4, 1e4),
        ("softplus", -1e4, 0.0),
        ("silu", -1e4, 0.0),
        ("elu", -1e4, -1.0),
        ("tanh", -1e4, -1.0),
    ],
)
def test_activation_reaches_its_asymptote(name: str, x: float, expected: float) -> None:
    assert ACTIVATIONS[name].function(np.array([x]))[0] == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("name", "slope_at_zero"), [("relu", 0.0), ("leaky_relu", 0.01), ("elu", 1.0)]
)
def test_derivative_at_the_kink_is_the_documented_one(name: str, slope_at_zero: float) -> None:
    assert ACTIVATIONS[name].derivative(np.array([0.0]))[0] == slope_at_zero


def test_sigmoid_matches_its_textbook_formula() -> None:
    x = np.linspace(-5, 5, 11)
    np.testing.assert_allclose(ACTIVATIONS["sigmoid"].function(x), 1 / (1 + np.exp(-x)))


def test_a_mixed_layer_applies_each_neurons_own_activation() -> None:
    layer = LayerActivation(["relu", "identity", "tanh"])
    n = np.array([[-1.0, 2.0], [-1.0, 2.0], [0.5, -0.5]])
    np.testing.assert_allclose(layer(n), [[0, 2], [-1, 2], np.tanh([0.5, -0.5])])
    np.testing.assert_allclose(layer.derivative(n), [[0, 1], [1, 1], 1 - np.tanh([0.5, -0.5]) ** 2])
    assert layer.uniform is None


def test_a_uniform_layer_reports_its_activation() -> None:
    assert LayerActivation(["sin", "sin"]).uniform == "sin"


@pytest.mark.parametrize(
    "names",
    [[name] * 3 for name in NAMES] + [["sigmoid", "relu", "tanh"], ["tanh", "sigmoid", "sigmoid"]],
)
def test_with_derivative_gives_bit_for_bit_the_value_and_the_derivative(names: list[str]) -> None:
    layer = LayerActivation(names)
    n = np.outer([1.0, -2.0, 0.5], [-1e4, -30.0, -1.5, -0.0, 0.0, 0.7, 40.0, 1e4])
    value, slope = layer.with_derivative(n)
    np.testing.assert_array_equal(value, layer(n))
    np.testing.assert_array_equal(slope, layer.derivative(n))
