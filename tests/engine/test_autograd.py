"""Every gradient the engine computes against torch's autograd, to 1e-9 relative, including
cross-entropy targets that sum to 1 only within the tolerance the spec accepts."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.engine import DISTRIBUTION_TOLERANCE, Network, trace_iteration

from .autograd import reference_gradient, relative_error
from .strategies import network_specs

EXACT = 1e-9


def assert_gradients_match_autograd(network: Network) -> None:
    params = network.initial_parameters()
    trace = trace_iteration(network, params)
    reference = reference_gradient(network, params)
    assert trace.loss == pytest.approx(reference.loss, rel=EXACT, abs=1e-12)
    for i, expected in enumerate(reference.weights, start=1):
        assert relative_error(trace.tensors[f"gradW{i}"].value, expected) <= EXACT, f"gradW{i}"
    for i, expected in enumerate(reference.biases or (), start=1):
        assert relative_error(trace.tensors[f"gradb{i}"].value, expected) <= EXACT, f"gradb{i}"


@settings(max_examples=60, deadline=None)
@given(spec=network_specs())
def test_every_gradient_matches_autograd_on_random_networks(spec: dict[str, Any]) -> None:
    assert_gradients_match_autograd(Network.from_spec(spec))


def test_cross_entropy_with_targets_a_little_short_of_one_is_exact() -> None:
    # The targets' columns sum to 0.9999999 and 1.0000009: both within the spec's tolerance.
    spec = {
        "layers": [2, 3],
        "activations": ["identity"],
        "loss": "softmax_cross_entropy",
        "inputs": [[0.5, -1.0], [2.0, 0.25]],
        "targets": [[0.3333333, 0.3333333, 0.3333333], [0.2, 0.3, 0.5000009]],
        "seed": 3,
    }
    assert_gradients_match_autograd(Network.from_spec(spec))


@settings(max_examples=40, deadline=None)
@given(
    spec=network_specs().filter(lambda s: s["loss"] == "softmax_cross_entropy"),
    shift=st.floats(-1.0, 1.0),
)
def test_cross_entropy_is_exact_for_every_target_the_spec_accepts(
    spec: dict[str, Any], shift: float
) -> None:
    targets = np.array(spec["targets"])
    # Each target's entries scaled so that it sums to 1 + shift · tolerance, the spec's edge.
    targets *= (1 + shift * DISTRIBUTION_TOLERANCE * 0.999) / targets.sum(axis=1, keepdims=True)
    assert_gradients_match_autograd(Network.from_spec(spec | {"targets": targets.tolist()}))
