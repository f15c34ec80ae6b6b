"""Activation functions, each paired with its derivative, stable for |x| up to 1e4 and beyond."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
Elementwise = Callable[[FloatArray], FloatArray]

LEAKY_SLOPE = 0.01
ELU_ALPHA = 1.0


@dataclass(frozen=True)
class Activation:
    """A coordinate-wise map σ with its derivative σ', both acting on arrays of any shape."""

    name: str
    latex: str
    function: Elementwise
    derivative: Elementwise
    description: str
    slope_from_value: Elementwise | None = None
    """σ' as a function of s = σ(x), where `derivative` is computed that way: the forward pass
    then reuses Σ = σ(N) for Σ' instead of computing σ twice (the same numbers, less work)."""


def _sigmoid(x: FloatArray) -> FloatArray:
    """1 / (1 + e^{-x}), computed from e^{-|x|} so that nothing overflows."""
    e = np.exp(-np.abs(x))
    # 1 / (1 + e) where x ≥ 0, e / (1 + e) below: one division for both.
    return np.where(x >= 0, 1.0, e) / (1.0 + e)


def _sigmoid_slope(s: FloatArray) -> FloatArray:
    """σ' = s (1 − s) from s = σ(x)."""
    return s * (1.0 - s)


def _sigmoid_prime(x: FloatArray) -> FloatArray:
    return _sigmoid_slope(_sigmoid(x))


def _identity(x: FloatArray) -> FloatArray:
    return np.array(x, dtype=np.float64, copy=True)


def _identity_prime(x: FloatArray) -> FloatArray:
    return np.ones_like(x, dtype=np.float64)


def _tanh_slope(t: FloatArray) -> FloatArray:
    """tanh' = 1 − t² from t = tanh x."""
    return 1.0 - t * t


def _tanh_prime(x: FloatArray) -> FloatArray:
    return _tanh_slope(np.tanh(x))


def _relu(x: FloatArray) -> FloatArray:
    return np.maximum(x, 0.0)


def _relu_prime(x: FloatArray) -> FloatArray:
    """1 for x > 0, else 0: at the kink x = 0 the derivative is taken as 0."""
    return (x > 0).astype(np.float64)


def _leaky_relu(x: FloatArray) -> FloatArray:
    return np.where(x > 0, x, LEAKY_SLOPE * x)


def _leaky_relu_prime(x: FloatArray) -> FloatArray:
    """1 for x > 0, else 0.01: at the kink x = 0 the derivative is taken as 0.01."""
    return np.where(x > 0, 1.0, LEAKY_SLOPE)


def _elu(x: FloatArray) -> FloatArray:
    return np.where(x > 0, x, ELU_ALPHA * np.expm1(np.minimum(x, 0.0)))


def _elu_prime(x: FloatArray) -> FloatArray:
    """1 for x > 0, else α e^x: with α = 1 both sides give 1 at x = 0, so there is no kink."""
    return np.where(x > 0, 1.0, ELU_ALPHA * np.exp(np.minimum(x, 0.0)))


def _softplus(x: FloatArray) -> FloatArray:
    """log(1 + e^x) as logaddexp(0, x), exact for large |x|."""
    return np.logaddexp(0.0, x)


def _silu(x: FloatArray) -> FloatArray:
    return x * _sigmoid(x)


def _silu_prime(x: FloatArray) -> FloatArray:
    s = _sigmoid(x)
    return s * (1.0 + x * (1.0 - s))


def _sin(x: FloatArray) -> FloatArray:
    return np.sin(x)


def _cos(x: FloatArray) -> FloatArray:
    return np.cos(x)


def _tanh(x: FloatArray) -> FloatArray:
    return np.tanh(x)


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("identity", r"\operatorname{id}", _identity, _identity_prime, "σ(x) = x"),
        Activation(
            "sigmoid",
            r"\operatorname{sigmoid}",
            _sigmoid,
            _sigmoid_prime,
            "σ(x) = 1 / (1 + e^−x)",
            slope_from_value=_sigmoid_slope,
        ),
        Activation(
            "tanh", r"\tanh", _tanh, _tanh_prime, "σ(x) = tanh x", slope_from_value=_tanh_slope
        ),
        Activation(
            "relu",
            r"\operatorname{relu}",
            _relu,
            _relu_prime,
            "σ(x) = max(0, x); σ'(0) is taken as 0",
        ),
        Activation(
            "leaky_relu",
            r"\operatorname{leaky\_relu}",
            _leaky_relu,
            _leaky_relu_prime,
            "σ(x) = x for x > 0, else 0.01 x; σ'(0) is taken as 0.01",
        ),
        Activation(
            "elu",
            r"\operatorname{elu}",
            _elu,
            _elu_prime,
            "σ(x) = x for x > 0, else e^x − 1 (α = 1)",
        ),
        Activation(
            "softplus", r"\operatorname{softplus}", _softplus, _sigmoid, "σ(x) = log(1 + e^x)"
        ),
        Activation("silu", r"\operatorname{silu}", _silu, _silu_prime, "σ(x) = x / (1 + e^−x)"),
        Activation("sin", r"\sin", _sin, _cos, "σ(x) = sin x"),
    )
}


class LayerActivation:
    """The activations of one layer: one name per neuron (row), applied coordinate-wise.

    A layer whose neurons share one activation is applied in one call; a mixed layer
    applies each activation to its own rows.
    """

    def __init__(self, names: Sequence[str]) -> None:
        self.names: tuple[str, ...] = tuple(names)
        self._groups: list[tuple[Activation, npt.NDArray[np.intp]]] = [
            (ACTIVATIONS[name], np.flatnonzero(np.array(self.names) == name))
            for name in dict.fromkeys(self.names)
        ]

    @property
    def uniform(self) -> str | None:
        """The single activation name when all neurons share it, else None."""
        return self.names[0] if len(self._groups) == 1 else None

    def _apply(self, x: FloatArray, *, derivative: bool) -> FloatArray:
        if len(self._groups) == 1:
            act = self._groups[0][0]
            return (act.derivative if derivative else act.function)(x)
        out = np.empty_like(x, dtype=np.float64)
        for act, rows in self._groups:
            out[rows] = (act.derivative if derivative else act.function)(x[rows])
        return out

    def __call__(self, n: FloatArray) -> FloatArray:
        """Σ_i = σ_i(N_i), same shape as N_i (n_i × m)."""
        return self._apply(n, derivative=False)

    def derivative(self, n: FloatArray) -> FloatArray:
        """Σ'_i = σ_i'(N_i), same shape as N_i (n_i × m)."""
        return self._apply(n, derivative=True)

    def with_derivative(self, n: FloatArray) -> tuple[FloatArray, FloatArray]:
        """(Σ_i, Σ'_i) as `__call__` and `derivative` give them; Σ'_i reuses Σ_i where it can."""
        if len(self._groups) == 1:
            return _value_and_slope(self._groups[0][0], n)
        value = np.empty_like(n, dtype=np.float64)
        slope = np.empty_like(n, dtype=np.float64)
        for act, rows in self._groups:
            value[rows], slope[rows] = _value_and_slope(act, n[rows])
        return value, slope


def _value_and_slope(act: Activation, x: FloatArray) -> tuple[FloatArray, FloatArray]:
    value = act.function(x)
    slope = act.derivative(x) if act.slope_from_value is None else act.slope_from_value(value)
    return value, slope
