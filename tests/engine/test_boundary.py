"""The decision grid evaluates the network over the plane around its two-dimensional inputs."""

from __future__ import annotations

import numpy as np
import pytest

from app.engine import Network, SpecError, decision_grid, preset, softmax


def test_one_output_gives_its_value_at_each_grid_point() -> None:
    network = Network.from_spec(preset("xor").spec)
    params = network.initial_parameters()
    grid = decision_grid(network, params, resolution=5)
    assert grid.value.shape == (5, 5) and grid.winner is None
    assert grid.x1[0] == pytest.approx(-0.5) and grid.x2[-1] == pytest.approx(1.5)
    # The point in row 2, column 3 is (x1[2], x2[1]).
    point = Network.from_spec(
        preset("xor").spec | {"inputs": [[grid.x1[2], grid.x2[1]]], "targets": [[0.0]]}
    )
    assert grid.value[1, 2] == pytest.approx(point.forward(params).sigma[-1][0, 0], rel=1e-12)


def test_several_outputs_give_the_winning_class_and_its_probability() -> None:
    network = Network.from_spec(preset("softmax-classifier").spec)
    params = network.initial_parameters()
    grid = decision_grid(network, params, resolution=7)
    assert grid.winner is not None and grid.winner.shape == (7, 7)
    assert set(np.unique(grid.winner)) <= {0, 1, 2}
    assert ((grid.value > 1 / 3 - 1e-12) & (grid.value <= 1)).all()
    corner = np.array([[grid.x1[0]], [grid.x2[0]]])
    forward = Network.from_spec(
        preset("softmax-classifier").spec | {"inputs": corner.T.tolist(), "targets": [[1, 0, 0]]}
    ).forward(params)
    assert grid.value[0, 0] == pytest.approx(softmax(forward.sigma[-1]).max())


def test_a_network_without_two_inputs_has_no_decision_grid() -> None:
    network = Network.from_spec(preset("qa-one-hidden").spec)
    with pytest.raises(SpecError):
        decision_grid(network, network.initial_parameters())
