"""app.engine.network: the forward pass, the backward pass and the update are the texts'
formulas, layer by layer, written out here as plainly as on paper; starting weights are seeded;
a network's fingerprint is that of its spec."""

from __future__ import annotations

import numpy as np
import pytest

from app.engine import Network, preset

PRESETS = ["xor", "qa-one-hidden", "paper-k-layer", "softmax-classifier"]


@pytest.fixture(params=PRESETS)
def network(request: pytest.FixtureRequest) -> Network:
    return Network.from_spec(preset(request.param).spec)


def test_the_forward_pass_is_n_i_then_sigma_i_layer_by_layer(network: Network) -> None:
    params = network.initial_parameters()

    forward = network.forward(params)

    previous = network.x
    for i in range(network.depth):
        n = params.weights[i] @ previous
        if params.biases is not None:
            n = n + params.biases[i] @ np.ones((1, previous.shape[1]))
        assert np.allclose(forward.n[i], n, rtol=1e-14, atol=1e-15)
        assert forward.n[i].shape == (network.layers[i + 1], network.x.shape[1])
        assert np.array_equal(forward.sigma[i], network.activations[i](forward.n[i]))
        previous = forward.sigma[i]


def test_the_backward_pass_is_delta_then_the_gradients(network: Network) -> None:
    params = network.initial_parameters()
    forward = network.forward(params)
    g = network.evaluate(forward).gradient

    backward = network.backward(params, forward, g)

    k = network.depth
    delta = g * forward.sigma_prime[k - 1]
    for i in range(k - 1, -1, -1):
        assert np.allclose(backward.delta[i], delta, rtol=1e-13, atol=1e-16)
        below = network.x if i == 0 else forward.sigma[i - 1]
        assert np.allclose(backward.gradient.weights[i], delta @ below.T, rtol=1e-13, atol=1e-16)
        if backward.gradient.biases is not None:
            ones = np.ones((delta.shape[1], 1))
            assert np.allclose(backward.gradient.biases[i], delta @ ones, atol=1e-16)
        if i > 0:
            delta = (params.weights[i].T @ delta) * forward.sigma_prime[i - 1]


def test_the_update_is_one_gradient_step_exactly(network: Network) -> None:
    params = network.initial_parameters()
    gradient = network.gradient(params)
    eta = network.spec.learning_rate

    updated = network.update(params, gradient)

    for w, gw, new in zip(params.weights, gradient.weights, updated.weights, strict=True):
        assert new.tobytes() == (w - eta * gw).tobytes()
    biases = (params.biases or (), gradient.biases or (), updated.biases or ())
    for b, gb, new in zip(*biases, strict=True):
        assert new.tobytes() == (b - eta * gb).tobytes()


def test_random_starting_weights_are_drawn_from_the_seed() -> None:
    spec = {**preset("xor").spec, "weights": None, "biases": None}

    first = Network.from_spec({**spec, "seed": 7}).initial_parameters()
    again = Network.from_spec({**spec, "seed": 7}).initial_parameters()
    other = Network.from_spec({**spec, "seed": 8}).initial_parameters()

    assert first.fingerprint == again.fingerprint != other.fingerprint
    assert first.biases is not None and not any(b.any() for b in first.biases)


def test_a_networks_fingerprint_is_its_specs() -> None:
    spec = preset("xor").spec

    assert Network.from_spec(spec).fingerprint == Network.from_spec(dict(spec)).fingerprint
    for change in [{"learning_rate": 0.2}, {"activations": "sigmoid"}, {"inputs": [[0, 0]] * 4}]:
        assert Network.from_spec({**spec, **change}).fingerprint != (
            Network.from_spec(spec).fingerprint
        )


@pytest.mark.parametrize("init", ["xavier", "he", "normal"])
def test_a_spec_giving_exactly_its_seeded_weights_is_sent_without_them(init: str) -> None:
    seeded = {**preset("xor").spec, "seed": 11, "init": init}
    drawn = Network.from_spec(seeded).initial_parameters()
    weights, biases = drawn.to_lists()

    explicit = Network.from_spec({**seeded, "weights": weights, "biases": biases})

    assert Network.from_spec(seeded).drawn_from_seed
    assert explicit.drawn_from_seed
    assert (explicit.sent_spec["weights"], explicit.sent_spec["biases"]) == (None, None)
    assert explicit.sent_spec == Network.from_spec(seeded).sent_spec


def test_a_spec_giving_other_weights_is_sent_with_them() -> None:
    seeded = {**preset("xor").spec, "seed": 11}
    weights, biases = Network.from_spec(seeded).initial_parameters().to_lists()
    weights[0][0][0] += 1e-12

    explicit = Network.from_spec({**seeded, "weights": weights, "biases": biases})

    assert not explicit.drawn_from_seed
    assert explicit.sent_spec["weights"] == weights
    assert explicit.sent_spec["biases"] == biases
