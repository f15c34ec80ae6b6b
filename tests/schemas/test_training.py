"""app.schemas.training: a chunk of a training run becomes one progress line, a diverged J as
its name; a decision boundary carries the batch with its labels."""

from __future__ import annotations

import math

import numpy as np

from app import schemas
from app.engine import IterationRecord, Network, decision_grid, preset


def test_a_chunk_is_one_line_with_each_iterations_numbers() -> None:
    records = (
        IterationRecord(0.5, (1.0, 2.0), (3.0, 4.0), ((), (2,))),
        IterationRecord(math.inf, (math.nan, 2.0), (3.0, -math.inf), ((1,), ())),
    )

    line = schemas.TrainProgress.from_engine(records, done=2, total=10, iteration=7)

    assert line.model_dump(mode="json") == {
        "type": "progress",
        "done": 2,
        "total": 10,
        "iteration": 7,
        "losses": [0.5, "Infinity"],
        "delta_norms": [[1.0, 2.0], ["NaN", 2.0]],
        "gradient_norms": [[3.0, 4.0], [3.0, "-Infinity"]],
        "dead_units": [[1], []],  # the chunk's last iteration's
    }


def test_a_boundary_labels_each_sample_by_its_target_or_its_largest_target() -> None:
    for name, labels in [("xor", [0.0, 1.0, 1.0, 0.0]), ("softmax-classifier", None)]:
        network = Network.from_spec(preset(name).spec)
        grid = decision_grid(network, network.initial_parameters(), resolution=5)

        boundary = schemas.DecisionBoundary.from_engine(grid, network)

        assert boundary.samples.x1 == network.x[0].tolist()
        expected = labels or network.y.argmax(axis=0).astype(np.float64).tolist()
        assert boundary.samples.label == expected
        assert (boundary.winner is None) == (network.layers[-1] == 1)
        assert len(boundary.value) == len(boundary.x2) == 5
