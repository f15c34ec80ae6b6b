"""Hypothesis strategies for random networks that satisfy the spec rules."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from app.engine import ACTIVATIONS, OBJECTIVES, softmax

ACTIVATION_NAMES = sorted(ACTIVATIONS)
KINKED = {"relu", "leaky_relu"}


@st.composite
def network_specs(draw: st.DrawFn, *, max_depth: int = 5, max_width: int = 8) -> dict[str, Any]:
    """A JSON-like spec: depth 1-5, widths 1-8, batch 1-5, any activations, objective, bias."""
    loss = draw(st.sampled_from(sorted(OBJECTIVES)))
    depth = draw(st.integers(1, max_depth))
    widths = draw(st.lists(st.integers(1, max_width), min_size=depth + 1, max_size=depth + 1))
    if loss == "network":
        widths[-1] = 1
    activations: list[Any] = []
    for i in range(depth):
        if draw(st.booleans()):
            activations.append(draw(st.sampled_from(ACTIVATION_NAMES)))
        else:
            activations.append(
                draw(
                    st.lists(
                        st.sampled_from(ACTIVATION_NAMES),
                        min_size=widths[i + 1],
                        max_size=widths[i + 1],
                    )
                )
            )
    if loss == "softmax_cross_entropy":
        activations[-1] = "identity"
    batch = draw(st.integers(1, 5))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    spec: dict[str, Any] = {
        "layers": widths,
        "activations": activations,
        "bias": draw(st.booleans()),
        "loss": loss,
        "inputs": rng.normal(size=(batch, widths[0])).tolist(),
        "seed": seed,
        "init": draw(st.sampled_from(["xavier", "he", "normal"])),
        "learning_rate": 0.1,
    }
    if loss == "squared_error":
        spec["targets"] = rng.normal(size=(batch, widths[-1])).tolist()
    elif loss == "softmax_cross_entropy":
        spec["targets"] = softmax(rng.normal(size=(widths[-1], batch))).T.tolist()
    return spec


def has_kink(spec: dict[str, Any]) -> bool:
    """True when some neuron uses relu or leaky_relu."""
    names = {n for a in spec["activations"] for n in ([a] if isinstance(a, str) else a)}
    return bool(names & KINKED)
