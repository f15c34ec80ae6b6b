"""Each student's network: the same number gives the same numbers, another number other numbers
of the same shapes, and what a task withholds is every tensor that would give it away."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from app import engine
from app.assignments.networks import (
    check_template,
    computed,
    derive_seed,
    new_salt,
    student_spec,
    withheld,
)
from app.engine import SpecError, preset, presets, trace_iteration

from ..networks import TWO_LAYER_COMPUTED

TEMPLATE: dict[str, Any] = {
    "layers": [2, 3, 1],
    "activations": ["tanh", "sigmoid"],
    "loss": "squared_error",
    "batch": 2,
}


def traced(spec: dict[str, Any]) -> engine.Trace:
    network = engine.Network.from_spec(spec)
    return trace_iteration(network, network.initial_parameters())


def test_a_seed_is_derived_from_the_salt_and_the_number_alone() -> None:
    assert derive_seed(7, "s1001") == derive_seed(7, "s1001")
    assert derive_seed(7, "s1001") != derive_seed(7, "s1002")
    assert derive_seed(7, "s1001") != derive_seed(8, "s1001")
    assert all(0 <= derive_seed(salt, "x") < 2**53 for salt in (0, 1, 2**63 - 1))
    assert 0 <= new_salt() < 2**53  # JavaScript reads it exactly


def test_the_same_seed_draws_the_same_network_every_time() -> None:
    assert student_spec(TEMPLATE, 42) == student_spec(TEMPLATE, 42)


@pytest.mark.parametrize("first, second", [(1, 2), (42, 43), (0, 2**62)])
def test_two_seeds_draw_other_numbers_of_the_same_shapes(first: int, second: int) -> None:
    one, other = student_spec(TEMPLATE, first), student_spec(TEMPLATE, second)
    for key in ("inputs", "targets", "weights"):
        assert np.shape(one[key][0]) == np.shape(other[key][0])
        assert one[key] != other[key]
    assert np.shape(one["inputs"]) == (2, 2)
    assert np.shape(one["targets"]) == (2, 1)
    assert [np.shape(w) for w in one["weights"]] == [(3, 2), (1, 3)]


@pytest.mark.parametrize("decimals", [0, 1, 2, 4])
def test_random_numbers_are_rounded_to_the_templates_decimals(decimals: int) -> None:
    spec = student_spec({**TEMPLATE, "decimals": decimals}, 5)
    numbers = np.concatenate(
        [np.ravel(spec["inputs"]), np.ravel(spec["targets"]), *map(np.ravel, spec["weights"])]
    )
    assert np.array_equal(numbers, np.round(numbers, decimals))
    assert not np.signbit(numbers[numbers == 0]).any()  # no -0.0


def test_inputs_targets_and_weights_the_template_gives_are_every_students() -> None:
    given = {
        **TEMPLATE,
        "inputs": [[1, 0], [0, 1], [1, 1]],
        "targets": [[1], [0], [1]],
        "weights": [[[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]], [[1, -1, 1]]],
    }
    spec = student_spec(given, 9)
    assert (spec["inputs"], spec["targets"], spec["weights"]) == (
        given["inputs"],
        given["targets"],
        given["weights"],
    )
    assert student_spec({**TEMPLATE, "inputs": given["inputs"]}, 9)["inputs"] == given["inputs"]
    assert student_spec({**TEMPLATE, "inputs": given["inputs"]}, 9)["targets"] != given["targets"]


def test_a_weights_seed_gives_every_student_the_same_weights_and_their_own_data() -> None:
    shared = {**TEMPLATE, "weights_seed": 77}
    one, other = student_spec(shared, 1), student_spec(shared, 2)
    assert one["weights"] == other["weights"] == student_spec(TEMPLATE, 77)["weights"]
    assert one["inputs"] != other["inputs"]


def test_random_targets_fit_the_objective() -> None:
    softmax = student_spec(
        {"layers": [2, 3], "activations": "identity", "loss": "softmax_cross_entropy"}, 3
    )
    assert all(sorted(t) == [0.0, 0.0, 1.0] for t in softmax["targets"])
    paper = student_spec({"layers": [2, 2, 1], "loss": "network", "batch": 3}, 3)
    assert paper["targets"] is None
    squared = student_spec(TEMPLATE, 3)
    assert all(0 <= t[0] <= 1 for t in squared["targets"])


@pytest.mark.parametrize(
    "template, field",
    [
        ({**TEMPLATE, "activations": ["tanh", "nope"]}, ("activations", 1)),
        ({**TEMPLATE, "layers": [2, 0, 1]}, ("layers", 1)),
        ({**TEMPLATE, "inputs": [[1, 2]], "batch": 2}, ("batch",)),
        ({**TEMPLATE, "batch": None, "inputs": [[1, 2, 3]]}, ("inputs", 0)),
        ({**TEMPLATE, "batch": 300}, ("batch",)),
        ({**TEMPLATE, "layers": [2, 10**9, 1]}, ("layers", 1)),
        ({**TEMPLATE, "weights": [[[1, 2]]]}, ("weights",)),
        ({**TEMPLATE, "layers": [2, 40, 1]}, ("layers",)),
    ],
)
def test_a_template_that_makes_no_network_is_refused_naming_its_field(
    template: dict[str, Any], field: tuple[Any, ...]
) -> None:
    limits = engine.Limits(max_parameters=100)
    with pytest.raises(SpecError) as refused:
        check_template(template, limits)
    assert refused.value.loc == field


def test_an_iteration_computes_every_tensor_but_the_data_and_the_parameters() -> None:
    assert computed(traced(preset("xor").spec)) == TWO_LAYER_COMPUTED


@pytest.mark.parametrize(
    "tasks, hidden",
    [
        (["J"], {"J"}),
        (["gradW1"], {"gradW1", "W1_new"}),
        (["gradb2"], {"gradb2", "b2_new"}),
        (
            ["Delta2"],
            {"Delta2", "gradW2", "gradb2", "WTDelta1", "Delta1", "gradW1", "gradb1"}
            | {"W1_new", "b1_new", "W2_new", "b2_new"},
        ),
        (
            ["Sigma1"],
            {"Sigma1", "N2", "Sigma2", "SigmaPrime2", "J", "G", "Delta2", "gradW2", "gradb2"}
            | {"WTDelta1", "Delta1", "gradW1", "gradb1", "W1_new", "b1_new", "W2_new", "b2_new"},
        ),
    ],
)
def test_a_task_withholds_itself_and_what_is_computed_from_it(
    tasks: list[str], hidden: set[str]
) -> None:
    assert withheld(traced(preset("xor").spec), tasks) == hidden


@pytest.mark.parametrize("name", [p.id for p in presets()])
def test_nothing_shown_is_computed_from_anything_withheld(name: str) -> None:
    trace = traced(preset(name).spec)
    for task in computed(trace):
        hidden = withheld(trace, [task])
        for step in trace.steps:
            for sub in step.substeps:
                if sub.result not in hidden:
                    assert not hidden.intersection(sub.operands), (task, sub.result)
            shown = {*step.intermediates, *step.results} - hidden
            by_sub = {sub.result for sub in step.substeps}
            if shown - by_sub:
                assert not hidden.intersection(step.operands), (task, step.title)
