"""Training you can watch: the streamed run (JSON Lines, saved chunk by chunk) and the decision
boundary over the input plane."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.api import training
from app.config import Settings
from app.engine import CannotMove, Session, preset
from app.store import MemoryStore, SessionBusy


def stream(client: TestClient, session_id: str, iterations: Any) -> list[dict[str, Any]]:
    response = client.post(
        f"/api/sessions/{session_id}/train/stream", json={"iterations": iterations}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/jsonl")
    return [json.loads(line) for line in response.text.splitlines()]


def test_a_streamed_run_sends_progress_lines_then_the_session(
    client: TestClient, session_id: str
) -> None:
    lines = stream(client, session_id, 300)

    progress, done = lines[:-1], lines[-1]
    assert len(progress) >= 10
    assert all(line["type"] == "progress" for line in progress)
    assert [line["done"] for line in progress] == sorted({line["done"] for line in progress})
    assert progress[-1]["done"] == progress[-1]["total"] == 300
    assert [line["iteration"] for line in progress] == [line["done"] for line in progress]
    assert sum(len(line["losses"]) for line in progress) == 300
    for line in progress:
        assert len(line["delta_norms"]) == len(line["gradient_norms"]) == len(line["losses"])
        assert all(len(norms) == 2 for norms in line["delta_norms"] + line["gradient_norms"])
        assert len(line["dead_units"]) == 2
    assert done["type"] == "done"
    assert done["session"]["iteration"] == 301
    assert done["losses"] == [loss for line in progress for loss in line["losses"]]


def test_a_streamed_run_equals_the_plain_train(client: TestClient, xor: dict[str, Any]) -> None:
    ids = [client.post("/api/sessions", json=xor).json()["id"] for _ in range(2)]
    plain = client.post(f"/api/sessions/{ids[0]}/train", json={"iterations": 50}).json()
    done = stream(client, ids[1], 50)[-1]
    assert done["losses"] == plain["losses"]
    assert done["session"]["weights"] == plain["session"]["weights"]
    assert client.get(f"/api/sessions/{ids[1]}").json()["losses"] == plain["losses"]


def test_each_chunk_is_saved_before_its_line_is_sent(
    client: TestClient, session_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(training, "MIN_LINES", 5)
    seen = []
    with client.stream(
        "POST", f"/api/sessions/{session_id}/train/stream", json={"iterations": 20}
    ) as response:
        for line in response.iter_lines():
            record = json.loads(line)
            if record["type"] == "progress":
                stored = client.get(f"/api/sessions/{session_id}").json()["iteration"] - 1
                seen.append((record["iteration"], stored))
    assert len(seen) >= 5
    assert all(stored >= reported for reported, stored in seen)
    assert seen[-1] == (20, 20)


def test_relu_units_that_never_fire_are_reported_dead(client: TestClient) -> None:
    spec = {
        "layers": [2, 3, 1],
        "activations": ["relu", "identity"],
        "inputs": [[1, 1], [2, 1]],
        "targets": [[1], [0]],
        "weights": [[[1, 1], [-1, -1], [1, 0]], [[1, 1, 1]]],
    }
    session_id = client.post("/api/sessions", json=spec).json()["id"]
    lines = stream(client, session_id, 1)
    assert lines[0]["dead_units"] == [[2], []]


@pytest.mark.parametrize("iterations", [0, -1, "ten", 2.5, None])
def test_a_bad_count_is_a_422_before_anything_runs(
    client: TestClient, session_id: str, iterations: Any
) -> None:
    response = client.post(
        f"/api/sessions/{session_id}/train/stream", json={"iterations": iterations}
    )
    assert response.status_code == 422
    [problem] = response.json()["detail"]  # said once
    assert problem["loc"] == ["body", "iterations"]
    assert client.get(f"/api/sessions/{session_id}").json()["iteration"] == 1


def test_the_iteration_limit_applies_to_a_stream(client_with: Any, xor: dict[str, Any]) -> None:
    client = client_with(max_train_iterations=10)
    session_id = client.post("/api/sessions", json=xor).json()["id"]
    response = client.post(f"/api/sessions/{session_id}/train/stream", json={"iterations": 11})
    assert response.status_code == 422
    assert "at most 10" in response.json()["detail"][0]["msg"]


def test_an_unknown_session_is_a_404_not_a_stream(client: TestClient) -> None:
    response = client.post("/api/sessions/nope/train/stream", json={"iterations": 5})
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"


@pytest.mark.parametrize(
    ("size", "elapsed", "total", "expected"),
    [(1, 0.0, 2000, 100), (1, 0.2, 2000, 1), (10, 0.01, 20, 1), (4, 0.001, 100_000, 400)],
)
def test_chunks_aim_at_a_tenth_of_a_second_and_enough_lines(
    size: int, elapsed: float, total: int, expected: int
) -> None:
    assert training.next_chunk(size, elapsed, total) == expected


# --- the decision boundary --------------------------------------------------------------------


def test_the_boundary_is_a_grid_over_the_input_plane_with_the_batch(
    client: TestClient, session_id: str
) -> None:
    answer = client.get(f"/api/sessions/{session_id}/boundary?resolution=7").json()
    assert len(answer["x1"]) == len(answer["x2"]) == 7
    assert len(answer["value"]) == 7 and all(len(row) == 7 for row in answer["value"])
    assert answer["winner"] is None and answer["outputs"] == 1
    assert answer["samples"] == {
        "x1": [0.0, 0.0, 1.0, 1.0],
        "x2": [0.0, 1.0, 0.0, 1.0],
        "label": [0.0, 1.0, 1.0, 0.0],
    }
    assert answer["x1"][0] < 0 < 1 < answer["x1"][-1]


def test_the_boundary_follows_training(client: TestClient, session_id: str) -> None:
    before = client.get(f"/api/sessions/{session_id}/boundary?resolution=5").json()
    stream(client, session_id, 200)
    after = client.get(f"/api/sessions/{session_id}/boundary?resolution=5").json()
    assert before["value"] != after["value"]


def test_several_outputs_give_the_winning_class(client: TestClient) -> None:
    spec = preset("xor").spec | {
        "layers": [2, 4, 2],
        "activations": ["tanh", "identity"],
        "loss": "softmax_cross_entropy",
        "targets": [[1, 0], [0, 1], [0, 1], [1, 0]],
    }
    session_id = client.post("/api/sessions", json=spec).json()["id"]
    answer = client.get(f"/api/sessions/{session_id}/boundary?resolution=4").json()
    assert answer["outputs"] == 2
    assert {v for row in answer["winner"] for v in row} <= {0, 1}
    assert answer["samples"]["label"] == [0.0, 1.0, 1.0, 0.0]


def test_the_boundary_needs_two_inputs(client: TestClient) -> None:
    session_id = client.post("/api/sessions", json=preset("paper-1d-chain").spec).json()["id"]
    response = client.get(f"/api/sessions/{session_id}/boundary")
    assert response.status_code == 409
    assert "two" in response.json()["detail"]


@pytest.mark.parametrize("resolution", [1, 201, "x"])
def test_a_bad_resolution_is_a_422(client: TestClient, session_id: str, resolution: Any) -> None:
    response = client.get(f"/api/sessions/{session_id}/boundary?resolution={resolution}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "resolution"]


def test_a_chunk_that_would_take_the_session_past_its_most_iterations_runs_none() -> None:
    """What a later chunk of a streamed run meets when another request trained the session
    meanwhile: the run stops with a 409 line, and the session keeps what was saved."""
    store = MemoryStore(ttl_seconds=60, max_sessions=1)
    session_id = store.create(Session.create(preset("xor").spec))
    settings = Settings(store="memory://", max_session_iterations=5)
    training.run_chunk(store, settings, session_id, 2, 0, 5)

    with pytest.raises(CannotMove, match="only 3 more fit"):
        training.run_chunk(store, settings, session_id, 1, 2, 6)

    assert store.get(session_id).iteration == 2
    assert training.STOPPED_BY[CannotMove] == 409


def test_a_chunk_whose_client_has_gone_runs_nothing_and_asks_under_the_sessions_lock() -> None:
    """The page's Stop: the run's request is gone. A chunk about to start asks whether its
    client is still there while it holds the session (a read from elsewhere waits for it),
    and runs nothing when it is not."""
    store = MemoryStore(ttl_seconds=60, max_sessions=1, lock_wait=0.05)
    session_id = store.create(Session.create(preset("xor").spec))
    settings = Settings(store="memory://")
    training.run_chunk(store, settings, session_id, 2, 0, 10, wanted=lambda: True)
    reads: list[str] = []

    def read_elsewhere() -> None:
        try:
            with store.read(session_id):
                reads.append("read")
        except SessionBusy:
            reads.append("busy")

    def gone() -> bool:
        reader = threading.Thread(target=read_elsewhere)
        reader.start()
        reader.join()
        return False

    with pytest.raises(training.RunLeft):
        training.run_chunk(store, settings, session_id, 3, 2, 10, wanted=gone)

    assert reads == ["busy"], "the client was not asked while the session was held"
    assert store.get(session_id).iteration == 2
