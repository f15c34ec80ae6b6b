"""Each objective's G = ∂J/∂Σ_k against finite differences, and its value on hand numbers."""

from __future__ import annotations

import numpy as np
import pytest

from app.engine import OBJECTIVES, softmax


def _targets(name: str, rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray | None:
    if name == "network":
        return None
    if name == "softmax_cross_entropy":
        return softmax(rng.normal(size=shape))
    return rng.normal(size=shape)


@pytest.mark.parametrize("name", sorted(OBJECTIVES))
def test_gradient_matches_finite_differences(name: str) -> None:
    rng = np.random.default_rng(0)
    shape = (1, 3) if name == "network" else (4, 3)
    output, targets = rng.normal(size=shape), _targets(name, rng, shape)
    objective = OBJECTIVES[name]
    g = objective.evaluate(output, targets).gradient
    h, numeric = 1e-6, np.empty(shape)
    for index in np.ndindex(shape):
        plus, minus = output.copy(), output.copy()
        plus[index] += h
        minus[index] -= h
        numeric[index] = (
            objective.evaluate(plus, targets).value - objective.evaluate(minus, targets).value
        ) / (2 * h)
    np.testing.assert_allclose(g, numeric, rtol=1e-6, atol=1e-9)


def test_squared_error_is_half_the_mean_squared_distance() -> None:
    output = np.array([[1.0, 2.0], [0.0, 1.0]])
    targets = np.array([[0.0, 2.0], [2.0, 1.0]])
    value = OBJECTIVES["squared_error"].evaluate(output, targets)
    assert value.value == pytest.approx((1 + 4) / (2 * 2))
    np.testing.assert_allclose(value.gradient, (output - targets) / 2)


def test_network_objective_is_the_batch_mean_with_constant_gradient() -> None:
    value = OBJECTIVES["network"].evaluate(np.array([[0.2, 0.6]]), None)
    assert value.value == pytest.approx(0.4)
    np.testing.assert_allclose(value.gradient, [[0.5, 0.5]])


def test_cross_entropy_is_finite_for_huge_logits_and_gives_p() -> None:
    output = np.array([[1e4], [-1e4], [0.0]])
    targets = np.array([[0.0], [1.0], [0.0]])
    value = OBJECTIVES["softmax_cross_entropy"].evaluate(output, targets)
    assert value.value == pytest.approx(2e4)
    np.testing.assert_allclose(value.extras["P"][:, 0], [1.0, 0.0, 0.0])
