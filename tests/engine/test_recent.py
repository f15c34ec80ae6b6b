"""The traces kept by network and parameters: found again only when they are the same trace."""

from __future__ import annotations

import numpy as np
import pytest

from app.engine import Network, Parameters, Session, preset, trace_iteration
from app.engine import recent as recent_module
from app.engine import session as session_module
from app.engine.recent import RecentTraces


def network_of(name: str = "xor") -> Network:
    return Network.from_spec(preset(name).spec)


def assert_same_numbers(one: object, other: object) -> None:
    assert one.tensors.keys() == other.tensors.keys()  # type: ignore[attr-defined]
    for name, tensor in one.tensors.items():  # type: ignore[attr-defined]
        np.testing.assert_array_equal(tensor.value, other.tensors[name].value)  # type: ignore[attr-defined]


def test_a_kept_trace_is_found_for_equal_parameters_and_holds_the_computed_numbers() -> None:
    network = network_of()
    params = network.initial_parameters()
    traces = RecentTraces()

    first = traces.trace(network, params)
    again = traces.trace(network, params.copy())

    assert again is first
    assert_same_numbers(first, trace_iteration(network, params))


def test_parameters_differing_in_one_bit_get_their_own_trace() -> None:
    network = network_of()
    params = network.initial_parameters()
    nudged = params.copy()
    weights = nudged.weights[0].copy()
    weights[0, 0] = np.nextafter(weights[0, 0], np.inf)
    nudged = Parameters((weights, *nudged.weights[1:]), nudged.biases)
    traces = RecentTraces()

    first, second = traces.trace(network, params), traces.trace(network, nudged)

    assert second is not first
    assert_same_numbers(second, trace_iteration(network, nudged))


def test_a_network_built_again_from_the_same_spec_finds_the_kept_trace() -> None:
    first, again = network_of(), network_of()
    params = first.initial_parameters()
    traces = RecentTraces()

    assert traces.trace(again, params) is traces.trace(first, params)
    assert first.fingerprint == again.fingerprint


@pytest.mark.parametrize(
    "change",
    [
        {"learning_rate": 0.5},
        {"activations": ["sigmoid", "sigmoid"]},
        {"bias": False},
        {"targets": [[0], [1], [1], [1]]},
        {"inputs": [[0, 0], [0, 1], [1, 0], [1, 1.5]]},
    ],
)
def test_a_network_differing_in_anything_a_trace_reads_has_another_fingerprint(
    change: dict[str, object],
) -> None:
    assert Network.from_spec(preset("xor").spec | change).fingerprint != network_of().fingerprint


def test_another_network_with_the_same_parameters_is_traced_anew() -> None:
    xor, other = network_of(), Network.from_spec(preset("xor").spec | {"learning_rate": 0.5})
    params = xor.initial_parameters()
    traces = RecentTraces()

    first, second = traces.trace(xor, params), traces.trace(other, params)

    assert second is not first
    np.testing.assert_array_equal(
        second.tensors["W1_new"].value, trace_iteration(other, params).tensors["W1_new"].value
    )


def test_a_kept_trace_cannot_be_changed_by_whoever_holds_it() -> None:
    network = network_of()
    trace = RecentTraces().trace(network, network.initial_parameters())

    with pytest.raises(ValueError, match="read-only"):
        trace.tensors["Delta1"].value[0, 0] = 1.0


def three_states() -> tuple[Network, list[Parameters], int]:
    """A network, three sets of its parameters, and what the arrays of one trace take."""
    network = network_of()
    start = network.initial_parameters()
    one = sum(t.value.nbytes for t in trace_iteration(network, start).tensors.values())
    params = [Parameters(tuple(w + k for w in start.weights), start.biases) for k in range(3)]
    return network, params, one


def test_the_oldest_traces_go_when_the_bytes_run_out_and_a_trace_too_large_is_not_kept() -> None:
    network, params, one = three_states()
    traces = RecentTraces(max_bytes=2 * one)

    for p in params:
        traces.trace(network, p)

    assert len(traces) == 2 and traces.nbytes == 2 * one
    assert traces.trace(network, params[2]) is traces.trace(network, params[2])
    tiny = RecentTraces(max_bytes=one - 1)
    tiny.trace(network, params[0])
    assert len(tiny) == 0


def test_stepping_through_an_iteration_traces_it_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def counted(network: Network, params: Parameters) -> object:
        calls.append(params)
        return trace_iteration(network, params)

    monkeypatch.setattr(session_module, "RECENT", RecentTraces())
    monkeypatch.setattr(recent_module, "trace_iteration", counted)
    session = Session.create(preset("xor").spec)

    for _ in range(session.steps_per_iteration):
        session.step()
    session.back()

    # One trace for the iteration stepped through; the update's answer and the step back
    # after it show that same iteration.
    assert len(calls) == 1
    assert session.iteration == 0 and session.cursor == session.steps_per_iteration - 1


def test_what_was_written_from_a_kept_trace_counts_against_the_bytes() -> None:
    network, params, one = three_states()
    traces = RecentTraces(max_bytes=3 * one)
    first = traces.trace(network, params[0])
    traces.trace(network, params[1])

    first.written.get("all of it", lambda: bytes(one))

    assert traces.nbytes == 3 * one
    traces.trace(network, params[2])
    assert len(traces) == 2 and traces.nbytes == 2 * one
    assert traces.trace(network, params[1]) is not first
