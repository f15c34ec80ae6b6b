"""app.client: the student's client hands back every tensor as a NumPy array."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.client import ApiError, Client, StepResult, to_array
from app.engine import Network, preset, trace_iteration


@pytest.fixture
def api(client: TestClient) -> Iterator[Client]:
    with Client(http=client) as api:
        yield api


@pytest.fixture
def xor(api: Client) -> dict[str, Any]:
    return api.preset("xor")


def test_a_student_compares_the_servers_delta2_with_their_own_in_one_line(
    api: Client, xor: dict[str, Any]
) -> None:
    api.create_session(xor)
    step = api.goto(4)  # forward 1, forward 2, objective, backward 2
    assert step is not None

    x, y = np.array(xor["inputs"]).T, np.array(xor["targets"]).T
    w1, w2 = (np.array(w) for w in api.session()["spec"]["weights"])
    sigma1 = np.tanh(w1 @ x)
    sigma2 = 1 / (1 + np.exp(-(w2 @ sigma1)))
    my_delta2 = (sigma2 - y) / 4 * sigma2 * (1 - sigma2)

    assert np.allclose(step["Delta2"], my_delta2)


def test_a_step_is_a_mapping_of_arrays_with_its_record(api: Client, xor: dict[str, Any]) -> None:
    api.create_session(xor)

    step = api.step()

    assert isinstance(step, StepResult)
    assert (step.number, step.phase, step.layer, step.title) == (
        1,
        "forward",
        1,
        "Forward, layer 1",
    )
    assert set(step) == {"W1", "X", "b1", "N1", "Sigma1", "SigmaPrime1"}
    assert step["N1"].shape == (4, 4)
    assert step["N1"].dtype == np.float64
    assert step.session is not None and step.session["cursor"] == 1
    assert "tensors" not in step.record


def test_a_trace_gives_every_tensor_and_the_loss(api: Client, xor: dict[str, Any]) -> None:
    trace = api.trace(xor)

    assert len(trace.steps) == 6
    assert trace["gradW1"].shape == (4, 2)
    assert trace.loss == trace["J"][0, 0]


def test_the_arrays_are_the_engines_numbers_bit_for_bit(api: Client, xor: dict[str, Any]) -> None:
    network = Network.from_spec(xor)
    expected = trace_iteration(network, network.initial_parameters()).tensors

    trace = api.trace(xor)

    assert set(trace) == set(expected)
    for name, tensor in expected.items():
        assert trace[name].tobytes() == tensor.value.tobytes(), name


def test_to_array_reads_nested_lists_and_typed_arrays_alike() -> None:
    plain = {"name": "D", "shape": [1, 3], "data": [[1.5, "Infinity", "NaN"]]}
    typed = {
        "name": "D",
        "shape": [1, 3],
        "data": {"dtype": "f8", "bdata": "AAAAAAAA+D8AAAAAAADwfwAAAAAAAPh/", "shape": "1, 3"},
    }

    for tensor in (plain, typed):
        np.testing.assert_array_equal(to_array(tensor), [[1.5, np.inf, np.nan]])
    with pytest.raises(ValueError, match="f4"):
        to_array({**typed, "data": {**typed["data"], "dtype": "f4"}})


def test_moving_back_and_to_a_step_and_reading_one(api: Client, xor: dict[str, Any]) -> None:
    api.create_session(xor)
    api.goto(3)

    back = api.back()
    peek = api.get_step(5)
    current = api.current()

    assert back is not None and back.number == 2
    assert peek.title == "Backward, layer 1" and peek.session is None
    assert current is not None and current.number == 2
    assert api.goto(0) is None


def test_train_returns_the_losses_as_an_array(api: Client, xor: dict[str, Any]) -> None:
    api.create_session(xor)

    losses = api.train(20)

    assert losses.shape == (20,)
    assert losses[-1] < losses[0]
    weights, biases = api.parameters()
    assert [w.shape for w in weights] == [(4, 2), (1, 4)]
    assert biases is not None and [b.shape for b in biases] == [(4, 1), (1, 1)]


def test_an_export_restores_an_identical_session(api: Client, xor: dict[str, Any]) -> None:
    api.create_session(xor)
    api.train(3)
    api.goto(3)
    original = api.session_id

    restored = api.create_session(api.export())
    copy_step = api.step()
    api.session_id = original

    assert restored["id"] != original
    assert np.array_equal(api.step()["Delta2"], copy_step["Delta2"])


def test_reset_and_delete(api: Client, xor: dict[str, Any]) -> None:
    api.create_session(xor)
    api.train(2)

    assert api.reset()["iteration"] == 1
    api.delete()
    assert api.session_id is None


def test_a_refusal_is_an_api_error_naming_the_field(api: Client, xor: dict[str, Any]) -> None:
    with pytest.raises(ApiError, match=r"^422: inputs\.0: must have 2 numbers") as raised:
        api.trace(xor | {"inputs": [[1.0, 2.0, 3.0]]})

    assert raised.value.status_code == 422
    assert raised.value.detail[0]["loc"] == ["body", "inputs", 0]


def test_an_unknown_session_is_an_api_error_404(client: TestClient) -> None:
    api = Client(http=client, session_id="gone")

    with pytest.raises(ApiError, match="^404: no session with id 'gone'"):
        api.step()


def test_a_session_call_before_creating_one_says_what_to_do(client: TestClient) -> None:
    with pytest.raises(RuntimeError, match="create_session"):
        Client(http=client).step()


def test_numpy_arrays_in_a_spec_are_sent_as_lists(api: Client) -> None:
    spec = preset("qa-one-hidden").spec | {"inputs": np.array([[0.5, -0.2, 0.1]])}

    assert api.trace(spec)["X"].tolist() == [[0.5], [-0.2], [0.1]]


def test_the_catalogue(api: Client) -> None:
    assert "tanh" in [a["name"] for a in api.activations()]
    assert "network" in [o["name"] for o in api.objectives()]
    assert "xor" in [p["id"] for p in api.presets()]


def test_non_finite_entries_become_inf_and_nan() -> None:
    tensor = {"shape": [1, 3], "data": [["Infinity", "-Infinity", "NaN"]]}

    array = to_array(tensor)

    assert np.isposinf(array[0, 0]) and np.isneginf(array[0, 1]) and np.isnan(array[0, 2])


def test_by_default_the_client_talks_to_make_run() -> None:
    with Client() as api:
        assert str(api._http.base_url) == "http://127.0.0.1:8000"  # type: ignore[attr-defined]
