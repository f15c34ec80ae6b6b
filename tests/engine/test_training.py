"""SGD updates by −η∇, training lowers the loss, and divergence is reported, not raised."""

from __future__ import annotations

import math

import numpy as np

from app.engine import Network, preset, sgd_step, train, training_iterations


def test_one_sgd_step_subtracts_eta_times_the_gradient() -> None:
    network = Network.from_spec(preset("qa-one-hidden").spec)
    params = network.initial_parameters()
    new, loss = sgd_step(network, params)
    gradient = network.gradient(params)
    eta = network.spec.learning_rate
    np.testing.assert_allclose(new.flat(), params.flat() - eta * gradient.flat(), rtol=0, atol=0)
    assert loss == network.loss(params)


def test_training_xor_drives_the_loss_down() -> None:
    network = Network.from_spec(preset("xor").spec)
    result = train(network, network.initial_parameters(), 500)
    assert len(result.losses) == 500
    assert result.losses[-1] < 0.05 * result.losses[0]


def test_training_keeps_the_parameters_before_the_last_updates() -> None:
    network = Network.from_spec(preset("xor").spec)
    start = network.initial_parameters()
    result = train(network, start, 5, keep=2)
    assert len(result.history) == 2
    after_three = train(network, start, 3).parameters
    np.testing.assert_array_equal(result.history[0].flat(), after_three.flat())


def test_a_diverging_run_reports_non_finite_losses_without_raising() -> None:
    spec = preset("xor").spec | {"learning_rate": 1e6, "activations": ["identity", "identity"]}
    network = Network.from_spec(spec)
    result = train(network, network.initial_parameters(), 60)
    assert not math.isfinite(result.losses[-1])


def test_each_iteration_records_norms_per_layer() -> None:
    network = Network.from_spec(preset("xor").spec)
    params = network.initial_parameters()
    record = train(network, params, 1).records[0]
    forward = network.forward(params)
    backward = network.backward(params, forward, network.evaluate(forward).gradient)
    assert record.delta_norms == tuple(float(np.linalg.norm(d)) for d in backward.delta)
    assert record.gradient_norms == tuple(
        float(np.linalg.norm(g)) for g in backward.gradient.weights
    )
    assert record.dead_units == ((), ())


def test_a_relu_unit_that_never_fires_is_reported_dead() -> None:
    spec = preset("xor").spec | {
        "activations": ["relu", "sigmoid"],
        "weights": [[[1.0, 1.0], [-1.0, -1.0], [0.5, -0.5], [-2.0, -3.0]], [[1.0, 1.0, 1.0, 1.0]]],
        "biases": [[0.1, -0.5, 0.2, -0.1], [0.0]],
    }
    network = Network.from_spec(spec)
    record = train(network, network.initial_parameters(), 1).records[0]
    assert record.dead_units == ((2, 4), ())


def test_training_iterations_yields_before_and_after() -> None:
    network = Network.from_spec(preset("xor").spec)
    start = network.initial_parameters()
    ((before, after, record),) = list(training_iterations(network, start, 1))
    assert before is start
    np.testing.assert_array_equal(after.flat(), sgd_step(network, start)[0].flat())
    assert record.loss == network.loss(start)
