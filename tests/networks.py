"""Networks the tests share that no preset gives: big enough to make writes and training slow."""

from __future__ import annotations

from typing import Any


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
