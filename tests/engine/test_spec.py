"""Bad specs raise SpecError naming the field and the reason; good ones are normalised."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from app.engine import Limits, SpecError, build_spec, parameter_count


def good_spec(**changes: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "layers": [2, 3, 1],
        "activations": ["tanh", "sigmoid"],
        "bias": True,
        "loss": "squared_error",
        "inputs": [[0.0, 1.0], [1.0, 0.0]],
        "targets": [[1.0], [0.0]],
        "seed": 0,
        "init": "xavier",
        "learning_rate": 0.5,
    }
    spec.update(changes)
    return spec


def test_a_good_spec_gives_inputs_one_column_per_sample() -> None:
    spec = build_spec(good_spec())
    assert spec.inputs.shape == (2, 2)
    np.testing.assert_array_equal(spec.inputs, [[0.0, 1.0], [1.0, 0.0]])
    assert spec.targets is not None and spec.targets.shape == (1, 2)
    assert spec.activations == (("tanh",) * 3, ("sigmoid",))
    assert spec.depth == 2 and spec.batch == 2


def test_a_spec_survives_a_round_trip_through_to_dict() -> None:
    spec = build_spec(good_spec(activations=[["tanh", "relu", "sin"], "sigmoid"]))
    again = build_spec(spec.to_dict())
    assert again.activations == spec.activations
    np.testing.assert_array_equal(again.inputs, spec.inputs)


def test_one_activation_name_applies_to_every_layer() -> None:
    assert build_spec(good_spec(activations="relu")).activations == (("relu",) * 3, ("relu",))


BAD_SPECS = [
    ("layers", {"layers": [2]}, "at least two widths"),
    ("layers.1", {"layers": [2, 0, 1]}, "at least 1"),
    ("layers.1", {"layers": [2, -3, 1]}, "at least 1"),
    ("layers.1", {"layers": [2, 2.5, 1]}, "whole number"),
    ("layers.1", {"layers": [2, "3", 1]}, "integer"),
    ("layers.1", {"layers": [2, 5000, 1]}, "over the limit"),
    ("layers", {"layers": [2] * 12 + [1], "activations": "tanh"}, "depth"),
    ("activations.0", {"activations": ["swish", "sigmoid"]}, "unknown activation"),
    ("activations.0.1", {"activations": [["tanh", "nope", "tanh"], "sigmoid"]}, "unknown"),
    ("activations.0", {"activations": [["tanh", "tanh"], "sigmoid"]}, "3 neurons"),
    ("activations", {"activations": ["tanh"]}, "2 activations"),
    ("loss", {"loss": "hinge"}, "unknown objective"),
    ("layers", {"loss": "network", "layers": [2, 3, 2], "targets": None}, "one output"),
    ("activations.1", {"loss": "softmax_cross_entropy"}, "identity"),
    ("inputs", {"inputs": []}, "at least one sample"),
    ("inputs.1", {"inputs": [[0.0, 1.0], [1.0]]}, "2 numbers"),
    ("inputs.0.1", {"inputs": [[0.0, math.nan], [1.0, 0.0]]}, "finite"),
    ("inputs.0.0", {"inputs": [[math.inf, 0.0], [1.0, 0.0]]}, "finite"),
    ("inputs.0.0", {"inputs": [["a", 0.0], [1.0, 0.0]]}, "number"),
    ("inputs.1.1", {"inputs": [[0.0, 1.0], [1.0, True]]}, "number, got bool"),
    ("inputs.1.0", {"inputs": [[0.0, 1.0], [None, 1.0]]}, "number, got NoneType"),
    ("inputs.1.1", {"inputs": [[0.0, 1.0], [1.0, -math.inf]]}, "finite"),
    ("inputs.1.0", {"inputs": [[0.0, 1.0], [10**400, 1.0]]}, "beyond float64"),
    ("targets", {"targets": [[1.0]]}, "one target per input"),
    ("targets", {"targets": None}, "needs targets"),
    ("weights.0", {"weights": [[[1, 2]], [[1, 2, 3]]]}, "3 rows"),
    ("weights.1.0", {"weights": [[[1, 2]] * 3, [[1, 2]]]}, "3 numbers"),
    ("biases", {"bias": False, "biases": [[0, 0, 0], [0]]}, "bias` is false"),
    ("learning_rate", {"learning_rate": 0}, "positive"),
    ("learning_rate", {"learning_rate": math.inf}, "finite"),
    ("init", {"init": "zeros"}, "unknown initialisation"),
    ("seed", {"seed": -1}, "between"),
    ("bias", {"bias": "yes"}, "true"),
]


@pytest.mark.parametrize(("field", "changes", "reason"), BAD_SPECS)
def test_a_bad_spec_names_its_field_and_reason(
    field: str, changes: dict[str, Any], reason: str
) -> None:
    with pytest.raises(SpecError) as caught:
        build_spec(good_spec(**changes))
    assert caught.value.field == field
    assert reason in caught.value.reason


def test_cross_entropy_targets_must_be_distributions() -> None:
    spec = good_spec(
        layers=[2, 3, 2],
        activations=["tanh", "identity"],
        loss="softmax_cross_entropy",
        targets=[[0.5, 0.5], [0.7, 0.7]],
    )
    with pytest.raises(SpecError) as caught:
        build_spec(spec)
    assert caught.value.field == "targets.1"
    assert "distributions" in caught.value.reason


def test_parameter_count_is_limited_even_when_each_width_is_allowed() -> None:
    limits = Limits(max_width=1000, max_parameters=10_000)
    with pytest.raises(SpecError) as caught:
        build_spec(good_spec(layers=[2, 1000, 1000, 1], activations="tanh"), limits)
    assert caught.value.field == "layers"
    assert "parameters" in caught.value.reason


def test_batch_size_is_limited() -> None:
    with pytest.raises(SpecError) as caught:
        build_spec(good_spec(inputs=[[0.0, 0.0]] * 5, targets=[[0.0]] * 5), Limits(max_batch=4))
    assert caught.value.field == "inputs"


def test_parameter_count_counts_weights_and_biases() -> None:
    assert parameter_count([784, 256, 128, 10], bias=True) == 235_146
    assert parameter_count([2, 3, 1], bias=False) == 9


def test_the_network_objective_ignores_no_targets() -> None:
    spec = build_spec(good_spec(layers=[2, 3, 1], loss="network", targets=None))
    assert spec.targets is None
