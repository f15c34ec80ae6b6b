"""The stepping sessions: create, read, step, back, goto, current, steps/n, train, reset, delete,
export; and every refusal, after which the session is as it was."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.api.deps import app_store
from app.config import Settings
from app.engine import Session, preset
from app.store import MemoryStore, SessionStore

from .session_requests import SESSION_REQUESTS

STEPS = 6  # XOR: k = 2, so 2k + 2


@pytest.fixture(params=["memory", "sqlite"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Every session test runs on both stores the server can use."""
    if request.param == "sqlite":
        return Settings(store=f"sqlite:///{tmp_path}/data/sessions.sqlite3")
    return Settings(store="memory://")


def url(session_id: str, suffix: str = "") -> str:
    return f"/api/sessions/{session_id}{suffix}"


def post(client: TestClient, session_id: str, suffix: str, body: Any = None) -> dict[str, Any]:
    response = client.post(url(session_id, suffix), json=body)
    assert response.status_code == 200, response.text
    return dict(response.json())


def steps(client: TestClient, session_id: str, n: int) -> dict[str, Any]:
    answer: dict[str, Any] = {}
    for _ in range(n):
        answer = post(client, session_id, "/step")
    return answer


# --- create and read ---------------------------------------------------------------------------


def test_creating_a_session_answers_201_with_its_id_state_and_outline(
    client: TestClient, xor: dict[str, Any]
) -> None:
    response = client.post("/api/sessions", json=xor)

    assert response.status_code == 201
    session = response.json()
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", session["id"])
    assert response.headers["location"] == f"/api/sessions/{session['id']}"
    assert (session["iteration"], session["cursor"], session["current"]) == (1, 0, None)
    assert session["step_count"] == STEPS
    assert session["losses"] == []
    assert session["read_only"] is False
    assert [(o["number"], o["phase"], o["layer"]) for o in session["outline"]] == [
        (1, "forward", 1),
        (2, "forward", 2),
        (3, "objective", None),
        (4, "backward", 2),
        (5, "backward", 1),
        (6, "update", None),
    ]


def test_the_sessions_spec_is_normalised_and_as_given_its_seed_drawing_the_weights(
    client: TestClient, xor: dict[str, Any]
) -> None:
    session = client.post("/api/sessions", json=xor).json()

    expected = Session.create(xor)
    assert (session["spec"]["weights"], session["spec"]["biases"]) == (None, None)
    assert (session["spec"]["seed"], session["spec"]["init"]) == (xor["seed"], "xavier")
    assert session["weights"] == [w.tolist() for w in expected.initial.weights]
    assert session["biases"] == [[0.0] * 4, [0.0]]
    assert session["spec"]["inputs"] == xor["inputs"]
    assert session["spec"]["learning_rate"] == xor["learning_rate"]


def test_the_sessions_spec_starts_the_same_network_again(
    client: TestClient, xor: dict[str, Any]
) -> None:
    first = client.post("/api/sessions", json=xor).json()
    post(client, first["id"], "/train", {"iterations": 3})

    again = client.post("/api/sessions", json=client.get(url(first["id"])).json()["spec"]).json()

    assert again["weights"] == first["weights"]
    assert again["biases"] == first["biases"]


def test_a_spec_that_gives_its_weights_keeps_them(client: TestClient, xor: dict[str, Any]) -> None:
    weights = [[[0.5, -0.5], [0.25, 0.0], [1.0, 2.0], [-1.0, 0.125]], [[1.0, 2.0, 3.0, 4.0]]]
    biases = [[0.1, 0.2, 0.3, 0.4], [0.5]]

    session = client.post("/api/sessions", json=xor | {"weights": weights, "biases": biases}).json()

    assert (session["spec"]["weights"], session["spec"]["biases"]) == (weights, biases)
    assert (session["weights"], session["biases"]) == (weights, biases)


def test_a_session_sends_its_parameters_once(client: TestClient, xor: dict[str, Any]) -> None:
    created = client.post("/api/sessions", json=xor).json()
    post(client, created["id"], "/train", {"iterations": 2})

    session = client.get(url(created["id"])).json()

    spec = session["spec"]
    given = len(json.dumps([spec["inputs"], spec["targets"], session["losses"]]))
    parameters = len(json.dumps([session["weights"], session["biases"]]))
    numbers = len(json.dumps([spec["weights"], spec["biases"]]))
    assert (spec["weights"], spec["biases"]) == (None, None)
    assert numbers + given + parameters < len(json.dumps(session))


def floats(typed: dict[str, Any]) -> list[list[float]]:
    rows, cols = map(int, typed["shape"].split(", "))
    values = np.frombuffer(base64.b64decode(typed["bdata"]), "<f8")
    return [[float(v) for v in row] for row in values.reshape(rows, cols)]


@pytest.mark.parametrize("how", ["create", "read", "reset"])
def test_with_encoding_binary_a_sessions_parameters_are_typed_arrays(
    client: TestClient, xor: dict[str, Any], how: str
) -> None:
    created = client.post("/api/sessions", json=xor).json()
    if how == "create":
        response = client.post("/api/sessions?encoding=binary", json=xor)
    elif how == "read":
        response = client.get(url(created["id"], "?encoding=binary"))
    else:
        response = client.post(url(created["id"], "/reset?encoding=binary"))

    session = response.json()
    assert response.status_code in (200, 201)
    assert [w["shape"] for w in session["weights"]] == ["4, 2", "1, 4"]
    assert [floats(w) for w in session["weights"]] == created["weights"]
    assert [b["shape"] for b in session["biases"]] == ["4, 1", "1, 1"]
    assert [[row[0] for row in floats(b)] for b in session["biases"]] == created["biases"]
    assert {k: v for k, v in session.items() if k not in ("id", "weights", "biases")} == {
        k: v for k, v in created.items() if k not in ("id", "weights", "biases")
    }


def big_spec() -> dict[str, Any]:
    """784-256-128-10 with a batch of 8: the MNIST-sized network of the page's benchmarks."""
    rng = np.random.default_rng(7)
    return {
        "layers": [784, 256, 128, 10],
        "activations": ["sigmoid", "sigmoid", "identity"],
        "loss": "softmax_cross_entropy",
        "inputs": rng.uniform(0, 1, (8, 784)).round(3).tolist(),
        "targets": np.eye(10)[rng.integers(0, 10, 8)].tolist(),
    }


def test_a_big_sessions_answer_in_binary_is_its_parameters_bytes_and_its_spec(
    client: TestClient,
) -> None:
    """784-256-128-10 (235,146 parameters): the parameters once, as typed arrays (4/3 of their
    float64 bytes in base64), beside the spec's inputs and targets."""
    spec = big_spec()
    created = client.post("/api/sessions?encoding=binary", json=spec)
    session_id = created.json()["id"]
    client.post(url(session_id, "/train"), json={"iterations": 1})

    read = client.get(url(session_id, "?encoding=binary"))

    raw = 8 * Session.create(spec).network.spec.parameter_count
    spec_bytes = len(json.dumps(read.json()["spec"]))
    for answer in (created, read):
        assert answer.status_code in (200, 201)
        assert len(answer.content) < 1.4 * raw + spec_bytes + 10_000


def test_a_sessions_encoding_must_be_json_or_binary(
    client: TestClient, xor: dict[str, Any]
) -> None:
    created = client.post("/api/sessions", json=xor).json()

    response = client.get(url(created["id"], "?encoding=base64"))

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "encoding"]
    assert client.get(url(created["id"])).json() == created


def test_session_ids_differ_and_are_unguessable(client: TestClient, xor: dict[str, Any]) -> None:
    ids = {client.post("/api/sessions", json=xor).json()["id"] for _ in range(20)}

    assert len(ids) == 20
    assert all(len(i) >= 22 for i in ids)  # ≥ 128 bits in base64


def test_reading_a_session_gives_what_creating_it_gave(
    client: TestClient, xor: dict[str, Any]
) -> None:
    created = client.post("/api/sessions", json=xor).json()

    assert client.get(url(created["id"])).json() == created


def test_a_bad_spec_creates_no_session(client: TestClient, xor: dict[str, Any]) -> None:
    store: SessionStore = client.app.state.store  # type: ignore[attr-defined]

    response = client.post("/api/sessions", json=xor | {"layers": [2, 4, 2]})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "targets", 0]
    assert store.count() == 0


# --- step, back, goto, current ---------------------------------------------------------------


def test_a_step_returns_the_step_with_its_tensors_and_the_moved_session(
    client: TestClient, session_id: str
) -> None:
    answer = post(client, session_id, "/step")

    assert answer["session"]["cursor"] == 1
    assert answer["session"]["current"] == 1
    step = answer["step"]
    assert (step["number"], step["of"], step["phase"], step["layer"]) == (1, STEPS, "forward", 1)
    assert set(step["tensors"]) == {"W1", "X", "b1", "N1", "Sigma1", "SigmaPrime1"}
    assert step["tensors"]["N1"]["shape"] == [4, 4]


def test_after_the_update_the_next_iteration_starts_with_the_new_weights(
    client: TestClient, session_id: str, xor: dict[str, Any]
) -> None:
    update = steps(client, session_id, STEPS)

    position = update["session"]
    assert (position["iteration"], position["cursor"], position["current"]) == (2, 0, STEPS)
    assert update["step"]["phase"] == "update"
    session = client.get(f"/api/sessions/{session_id}").json()
    assert session["weights"][0] == update["step"]["tensors"]["W1_new"]["data"]
    assert session["biases"][1] == [row[0] for row in update["step"]["tensors"]["b2_new"]["data"]]
    assert session["losses"] == [client.post("/api/trace", json=xor).json()["loss"]]
    first = post(client, session_id, "/step")["step"]
    assert first["tensors"]["W1"]["data"] == update["step"]["tensors"]["W1_new"]["data"]


def test_a_move_answers_where_the_session_is_and_leaves_the_rest_to_reading_it(
    client: TestClient, session_id: str
) -> None:
    answer = post(client, session_id, "/step")

    assert answer["session"] == {
        "id": session_id,
        "iteration": 1,
        "cursor": 1,
        "step_count": STEPS,
        "current": 1,
        "read_only": False,
    }
    session = client.get(f"/api/sessions/{session_id}").json()
    assert {k: session[k] for k in answer["session"]} == answer["session"]
    assert {"spec", "weights", "biases", "losses", "outline"} <= set(session)


def test_back_undoes_one_step(client: TestClient, session_id: str) -> None:
    steps(client, session_id, 3)

    answer = post(client, session_id, "/back")

    assert answer["session"]["cursor"] == 2
    assert answer["step"]["number"] == 2


def test_back_across_the_update_restores_the_weights_bitwise(
    client: TestClient, session_id: str
) -> None:
    before = client.get(url(session_id)).json()
    steps(client, session_id, STEPS)

    answer = post(client, session_id, "/back")

    store: SessionStore = client.app.state.store  # type: ignore[attr-defined]
    restored = store.get(session_id).parameters
    original = Session.create(preset("xor").spec).initial
    assert restored.flat().tobytes() == original.flat().tobytes()
    after = client.get(url(session_id)).json()
    assert after == before | {"cursor": STEPS - 1, "current": STEPS - 1}
    assert answer["session"] == {k: after[k] for k in answer["session"]}
    assert answer["step"]["phase"] == "backward"


def test_back_at_the_very_start_is_a_409_and_changes_nothing(
    client: TestClient, session_id: str
) -> None:
    before = client.get(url(session_id)).json()

    response = client.post(url(session_id, "/back"))

    assert response.status_code == 409
    assert "already at the start" in response.json()["detail"]
    assert client.get(url(session_id)).json() == before


def test_back_to_the_very_start_shows_no_step(client: TestClient, session_id: str) -> None:
    steps(client, session_id, 1)

    answer = post(client, session_id, "/back")

    assert answer["step"] is None
    assert answer["session"]["current"] is None


def test_back_past_the_kept_history_is_a_409_saying_so(client_with: Any, xor: Any) -> None:
    client = client_with(back_history=1)
    session_id = client.post("/api/sessions", json=xor).json()["id"]
    post(client, session_id, "/train", {"iterations": 2})
    post(client, session_id, "/back")
    for _ in range(STEPS - 1):
        post(client, session_id, "/back")

    response = client.post(url(session_id, "/back"))

    assert response.status_code == 409
    assert "no longer kept" in response.json()["detail"]


@pytest.mark.parametrize("n", [0, 1, 3, STEPS - 1])
def test_goto_takes_exactly_n_steps_of_the_iteration(
    client: TestClient, session_id: str, n: int
) -> None:
    answer = post(client, session_id, "/goto", {"step": n})

    assert answer["session"]["cursor"] == n
    assert (answer["step"] or {}).get("number") == (n or None)


def test_goto_the_last_step_takes_the_update(client: TestClient, session_id: str) -> None:
    answer = post(client, session_id, "/goto", {"step": STEPS})

    assert answer["session"]["iteration"] == 2
    assert answer["step"]["phase"] == "update"


@pytest.mark.parametrize("n", [-1, STEPS + 1])
def test_goto_outside_the_iteration_is_a_422_naming_step(
    client: TestClient, session_id: str, n: int
) -> None:
    steps(client, session_id, 2)
    before = client.get(url(session_id)).json()

    response = client.post(url(session_id, "/goto"), json={"step": n})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "step"]
    assert client.get(url(session_id)).json() == before


def test_current_shows_the_last_step_taken_after_a_reload(
    client: TestClient, session_id: str
) -> None:
    taken = steps(client, session_id, 4)

    answer = client.get(url(session_id, "/current")).json()

    assert answer == taken


def test_current_after_an_update_is_that_update(client: TestClient, session_id: str) -> None:
    update = steps(client, session_id, STEPS)

    assert client.get(url(session_id, "/current")).json() == update


def test_current_before_any_step_is_null(client: TestClient, session_id: str) -> None:
    answer = client.get(url(session_id, "/current")).json()

    assert answer["step"] is None
    assert answer["session"]["cursor"] == 0


def test_a_step_by_number_does_not_move_the_session(client: TestClient, session_id: str) -> None:
    before = client.get(url(session_id)).json()

    response = client.get(url(session_id, "/steps/5"))

    assert response.status_code == 200
    assert response.json()["title"] == "Backward, layer 1"
    assert "Delta1" in response.json()["tensors"]
    assert client.get(url(session_id)).json() == before
    assert steps(client, session_id, 5)["step"] == response.json()


@pytest.mark.parametrize("n", [0, STEPS + 1])
def test_a_step_number_outside_the_iteration_is_a_422(
    client: TestClient, session_id: str, n: int
) -> None:
    response = client.get(url(session_id, f"/steps/{n}"))

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "number"]


# --- train and reset -------------------------------------------------------------------------


def test_train_runs_whole_iterations_and_returns_each_loss(
    client: TestClient, session_id: str, xor: dict[str, Any]
) -> None:
    answer = post(client, session_id, "/train", {"iterations": 50})

    expected = Session.create(xor).train(50)
    assert answer["losses"] == expected
    assert answer["session"]["losses"] == expected
    assert (answer["session"]["iteration"], answer["session"]["cursor"]) == (51, 0)
    assert answer["losses"][-1] < answer["losses"][0]


def test_training_then_stepping_continues_from_the_trained_weights(
    client: TestClient, session_id: str
) -> None:
    trained = post(client, session_id, "/train", {"iterations": 3})["session"]

    step = post(client, session_id, "/step")["step"]

    assert step["tensors"]["W1"]["data"] == trained["weights"][0]


@pytest.mark.parametrize("body", [{"iterations": 0}, {"iterations": 2001}, {}, {"n": 5}])
def test_train_refuses_a_bad_count_naming_the_field(
    client: TestClient, session_id: str, body: dict[str, Any]
) -> None:
    before = client.get(url(session_id)).json()

    response = client.post(url(session_id, "/train"), json=body)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "body"
    assert client.get(url(session_id)).json() == before


def test_the_train_limit_comes_from_the_settings(client_with: Any, xor: Any) -> None:
    client = client_with(max_train_iterations=10)
    session_id = client.post("/api/sessions", json=xor).json()["id"]

    response = client.post(url(session_id, "/train"), json={"iterations": 11})

    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "at most 10 iterations per request"


def test_reset_goes_back_to_the_start_with_the_starting_weights(
    client: TestClient, session_id: str
) -> None:
    created = client.get(url(session_id)).json()
    post(client, session_id, "/train", {"iterations": 5})
    steps(client, session_id, 2)

    assert post(client, session_id, "/reset") == created


# --- delete --------------------------------------------------------------------------------------


def test_a_deleted_session_is_gone(client: TestClient, session_id: str) -> None:
    response = client.delete(url(session_id))

    assert response.status_code == 204
    assert response.content == b""
    assert client.get(url(session_id)).status_code == 404
    assert client.delete(url(session_id)).status_code == 404


@pytest.mark.parametrize(("method", "suffix", "body"), SESSION_REQUESTS)
def test_every_endpoint_answers_404_for_an_unknown_session(
    client: TestClient, method: str, suffix: str, body: Any
) -> None:
    response = client.request(method, url("no-such-session", suffix), json=body)

    assert response.status_code == 404
    assert "no session with id 'no-such-session'" in response.json()["detail"]


def test_an_expired_session_is_404_and_purged(client: TestClient, xor: dict[str, Any]) -> None:
    now = [1000.0]
    store = MemoryStore(ttl_seconds=60, max_sessions=10, clock=lambda: now[0])
    client.app.dependency_overrides[app_store] = lambda: store  # type: ignore[attr-defined]
    session_id = client.post("/api/sessions", json=xor).json()["id"]
    now[0] += 59
    assert client.post(url(session_id, "/step")).status_code == 200
    now[0] += 61

    response = client.get(url(session_id))

    assert response.status_code == 404
    assert store.count() == 0


def test_a_full_store_answers_503(client_with: Any, xor: dict[str, Any]) -> None:
    client = client_with(max_sessions=2)
    client.post("/api/sessions", json=xor)
    client.post("/api/sessions", json=xor)

    response = client.post("/api/sessions", json=xor)

    assert response.status_code == 503
    assert "maximum of 2 sessions" in response.json()["detail"]


# --- export and restore ------------------------------------------------------------------------


def without_id(session: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in session.items() if k != "id"}


@pytest.mark.parametrize(
    ("iterations", "taken"), [(0, 0), (0, 4), (3, 0), (3, 2), (120, 5)], ids=str
)
def test_an_exported_session_posted_back_is_identical(
    client: TestClient, session_id: str, iterations: int, taken: int
) -> None:
    if iterations:
        post(client, session_id, "/train", {"iterations": iterations})
    steps(client, session_id, taken)
    exported = client.get(url(session_id, "/export")).json()

    response = client.post("/api/sessions", json=exported)

    assert response.status_code == 201, response.text
    copy = response.json()["id"]
    restored, original = client.get(url(copy)).json(), client.get(url(session_id)).json()
    # The export gives the starting weights explicitly. They are the ones the seed draws, so the
    # copy's spec, as sent, leaves them out as the original's does, and starts the same network.
    assert exported["weights"] is not None
    assert restored["spec"]["weights"] is None
    started = Session.create(original["spec"]).initial.to_lists()
    assert Session.create(restored["spec"]).initial.to_lists() == started
    assert without_id(restored) == without_id(original)
    assert client.get(url(copy, "/export")).json() == exported
    for suffix in ("/step", "/back", "/back"):
        original_answer = client.post(url(session_id, suffix))
        copy_answer = client.post(url(copy, suffix))
        assert copy_answer.status_code == original_answer.status_code
        if original_answer.status_code != 200:
            assert copy_answer.json() == original_answer.json()
            continue
        assert without_id(copy_answer.json()["session"]) == without_id(
            original_answer.json()["session"]
        )
        assert copy_answer.json()["step"] == original_answer.json()["step"]


def test_an_export_holds_the_spec_and_the_state(client: TestClient, session_id: str) -> None:
    steps(client, session_id, STEPS + 2)

    exported = client.get(url(session_id, "/export")).json()

    assert exported["layers"] == [2, 4, 1]
    assert exported["state"]["iteration"] == 1
    assert exported["state"]["cursor"] == 2
    assert len(exported["state"]["losses"]) == 1
    assert len(exported["state"]["history"]) == 1


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"cursor": 6}, ["body", "state", "cursor"]),
        ({"losses": []}, ["body", "state", "losses"]),
        ({"weights": [[[1.0]]]}, ["body", "state", "weights"]),
        ({"weights": [[[1.0]], [[1.0]]]}, ["body", "state", "weights", 0]),
        ({"history": [{"weights": [[[1.0]]]}] * 2}, ["body", "state", "history"]),
        ({"iteration": -1}, ["body", "state", "iteration"]),
    ],
)
def test_a_bad_state_is_a_422_naming_its_field(
    client: TestClient, session_id: str, change: dict[str, Any], loc: list[Any]
) -> None:
    steps(client, session_id, STEPS)
    exported = client.get(url(session_id, "/export")).json()
    exported["state"].update(change)

    response = client.post("/api/sessions", json=exported)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == loc


def test_a_state_with_a_bare_nan_weight_is_refused_naming_it(
    client: TestClient, session_id: str
) -> None:  # JSON has no NaN: a diverged weight is the string "NaN" (see test_divergence.py)
    exported = client.get(url(session_id, "/export")).json()
    exported["state"]["weights"][0][0][0] = float("nan")

    response = client.post(
        "/api/sessions", content=json.dumps(exported), headers={"content-type": "application/json"}
    )

    assert response.status_code == 422
    [issue] = response.json()["detail"]
    assert (issue["loc"], issue["type"]) == (["body", "state", "weights", 0, 0, 0], "state_number")


def test_a_session_read_after_a_restart_is_the_same_answer(
    make_client: Callable[..., TestClient], xor: dict[str, Any]
) -> None:
    """A persistent store keeps the starting weights explicit; the answer is the same."""
    first = make_client()
    created = first.post("/api/sessions", json=xor).json()
    post(first, created["id"], "/train", {"iterations": 2})
    before = first.get(url(created["id"])).json()
    first.__exit__(None, None, None)

    after = make_client().get(url(created["id"])).json()

    assert after == before
    assert (after["spec"]["weights"], after["spec"]["biases"]) == (None, None)
