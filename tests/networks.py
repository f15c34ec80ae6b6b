"""Networks the tests share that no preset gives (big enough to make writes and training slow),
and what an iteration of a network of two layers computes."""

from __future__ import annotations

from typing import Any

TWO_LAYER_COMPUTED = [
    "N1",
    "Sigma1",
    "SigmaPrime1",
    "N2",
    "Sigma2",
    "SigmaPrime2",
    "J",
    "G",
    "Delta2",
    "gradW2",
    "gradb2",
    "WTDelta1",
    "Delta1",
    "gradW1",
    "gradb1",
    "W1_new",
    "b1_new",
    "W2_new",
    "b2_new",
]
"""What an iteration of a network of two layers computes, in step order: every result and
intermediate of its steps, not the data (X, Y) nor the parameters (W_i, b_i)."""


def wide_network(*, inputs: int, hidden: int, samples: int, modulus: int) -> dict[str, Any]:
    """A tanh-tanh-sigmoid network with two hidden layers of `hidden` units, on `samples`
    samples of `inputs` features ((i·j mod `modulus`) / `modulus`, the same every run) labelled
    by the parity of the sample."""
    return {
        "layers": [inputs, hidden, hidden, 1],
        "activations": ["tanh", "tanh", "sigmoid"],
        "inputs": [[(i * j % modulus) / modulus for j in range(inputs)] for i in range(samples)],
        "targets": [[i % 2] for i in range(samples)],
    }
