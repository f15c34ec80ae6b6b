"""Ready-made networks from the two texts and classic small problems."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Preset:
    """A named spec with a sentence on what it shows."""

    id: str
    name: str
    description: str
    spec: dict[str, Any]


_PRESETS = (
    Preset(
        "paper-1d-chain",
        "The paper's 1-D chain",
        "All widths 1 (section 4): every matrix is a number, so Δ_i = Δ_{i+1} w_{i+1} σ'_i "
        "and ∇w_i f = Δ_i σ_{i-1} can be checked by hand.",
        {
            "layers": [1, 1, 1, 1],
            "activations": ["sigmoid", "tanh", "sigmoid"],
            "bias": False,
            "loss": "network",
            "inputs": [[0.5]],
            "weights": [[[0.8]], [[-1.2]], [[0.6]]],
            "learning_rate": 0.5,
        },
    ),
    Preset(
        "paper-k-layer",
        "The paper's k-layer scalar network",
        "A homogeneous network f: ℝ³ → ℝ¹ with three layers (section 2): Δ_4 = W_4ᵀ = 1 starts "
        "the backward pass, and the gradient is formula (3).",
        {
            "layers": [3, 4, 3, 1],
            "activations": ["tanh", "tanh", "sigmoid"],
            "bias": False,
            "loss": "network",
            "inputs": [[1.0, -0.5, 0.25]],
            "seed": 7,
            "init": "xavier",
            "learning_rate": 0.1,
        },
    ),
    Preset(
        "qa-one-hidden",
        "The Q&A's one hidden layer",
        "Y = f(HW + B) with biases and J = ½‖Y − Y*‖²: the closed forms "
        "∂J/∂B = (Y − Y*) ∘ f'(HW + B) and ∂J/∂W = Hᵀ((Y − Y*) ∘ f'(HW + B)) "
        "are the last backward step, transposed.",
        {
            "layers": [3, 4, 2],
            "activations": ["sigmoid", "sigmoid"],
            "bias": True,
            "loss": "squared_error",
            "inputs": [[0.5, -0.2, 0.1]],
            "targets": [[1.0, 0.0]],
            "seed": 1,
            "init": "xavier",
            "learning_rate": 0.5,
        },
    ),
    Preset(
        "xor",
        "XOR, a batch of 4",
        "The four points of XOR in one batch (m = 4): each matrix has one column per sample, "
        "and ∇W_i = Δ_i Σ_{i-1}ᵀ sums over them. Train it and watch the loss fall.",
        {
            "layers": [2, 4, 1],
            "activations": ["tanh", "sigmoid"],
            "bias": True,
            "loss": "squared_error",
            "inputs": [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]],
            "targets": [[0.0], [1.0], [1.0], [0.0]],
            "seed": 3,
            "init": "xavier",
            "learning_rate": 2.0,
        },
    ),
    Preset(
        "softmax-classifier",
        "A softmax classifier",
        "Three classes of points in the plane, one-hot targets, softmax cross-entropy: "
        "G = (P − Y)/m, so Δ of the output layer is the error of the probabilities.",
        {
            "layers": [2, 5, 3],
            "activations": ["tanh", "identity"],
            "bias": True,
            "loss": "softmax_cross_entropy",
            "inputs": [
                [1.0, 0.2],
                [0.8, -0.3],
                [-0.9, 0.5],
                [-0.6, 0.9],
                [0.1, -1.0],
                [-0.2, -0.8],
            ],
            "targets": [[1, 0, 0], [1, 0, 0], [0, 1, 0], [0, 1, 0], [0, 0, 1], [0, 0, 1]],
            "seed": 5,
            "init": "xavier",
            "learning_rate": 0.5,
        },
    ),
)


def presets() -> list[Preset]:
    """Every preset, each with its own copy of the spec."""
    return [Preset(p.id, p.name, p.description, copy.deepcopy(p.spec)) for p in _PRESETS]


def preset(preset_id: str) -> Preset:
    """One preset by id; KeyError for an unknown id."""
    for p in presets():
        if p.id == preset_id:
            return p
    raise KeyError(preset_id)
