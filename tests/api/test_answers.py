"""app.api.answers: every answer it writes parses as its model in app/schemas and is exactly the
model's dump, for every preset, step, notation and encoding, a diverged run's strings included;
its numbers are the engine's, bit for bit."""

from __future__ import annotations

import base64
import math
from typing import Any

import numpy as np
import orjson
import pytest
from fastapi.testclient import TestClient
from pydantic import TypeAdapter

from app import schemas
from app.api import answers, views
from app.engine import Network, Session, preset, presets, trace_iteration

NOTATIONS = [
    "convention=column&view=affine",
    "convention=row&view=affine",
    "convention=column&view=homogeneous",
    "convention=row&view=homogeneous",
]
CASES = [
    (p.id, notation)
    for p in presets()
    for notation in NOTATIONS
    if p.spec.get("bias", True) or notation.endswith("affine")
]
DIVERGING: dict[str, Any] = {
    **preset("xor").spec,
    "activations": "identity",
    "learning_rate": 100.0,
}
"""XOR through identity layers with η = 100: J overflows within a few iterations."""


def as_model(model: Any, response: Any, status: int = 200) -> Any:
    """The answer parsed as `model`, after checking that the model's dump is the answer."""
    assert response.status_code == status, response.text
    adapter = TypeAdapter(model)
    parsed = adapter.validate_json(response.content)
    assert adapter.dump_python(parsed, mode="json") == orjson.loads(response.content)
    return parsed


@pytest.mark.parametrize("encoding", ["json", "binary"])
@pytest.mark.parametrize(("name", "notation"), CASES)
def test_every_answer_of_a_session_is_its_models_dump(
    client: TestClient, name: str, notation: str, encoding: str
) -> None:
    query = f"?{notation}&encoding={encoding}"
    created = as_model(
        schemas.Session,
        client.post(f"/api/sessions?encoding={encoding}", json=preset(name).spec),
        status=201,
    )
    url = f"/api/sessions/{created.id}"
    as_model(schemas.MoveAnswer, client.get(f"{url}/current{query}"))

    for _ in range(created.step_count + 2):  # one iteration, its update, and two steps more
        answer = as_model(schemas.StepAnswer, client.post(f"{url}/step{query}"))
        as_model(schemas.MoveAnswer, client.get(f"{url}/current{query}"))
        as_model(schemas.StepWithTensors, client.get(f"{url}/steps/{answer.step.number}{query}"))
    as_model(schemas.MoveAnswer, client.post(f"{url}/back{query}"))
    as_model(schemas.MoveAnswer, client.post(f"{url}/goto{query}", json={"step": 1}))
    as_model(schemas.Trace, client.post(f"/api/trace{query}", json=preset(name).spec))
    as_model(schemas.Session, client.get(f"{url}?encoding={encoding}"))
    as_model(schemas.Trace, client.get(f"{url}/export/trace.json"))
    as_model(schemas.ExportedSession, client.get(f"{url}/export"))
    as_model(schemas.TrainAnswer, client.post(f"{url}/train", json={"iterations": 2}))
    as_model(schemas.Session, client.post(f"{url}/reset?encoding={encoding}"))
    view_id = client.post(f"{url}/view").json()["view_id"]
    as_model(schemas.ViewAnswer, client.get(f"/api/views/{view_id}?{notation}"))
    room_id = client.post("/api/rooms", json={"session": created.id}).json()["id"]
    as_model(schemas.ViewAnswer, client.get(f"/api/views/{room_id}?{notation}"))


def test_a_diverged_runs_answers_are_their_models_dumps_with_the_numbers_names(
    client: TestClient,
) -> None:
    url = f"/api/sessions/{client.post('/api/sessions', json=DIVERGING).json()['id']}"
    client.post(f"{url}/train", json={"iterations": 6})
    steps = [as_model(schemas.StepAnswer, client.post(f"{url}/step")) for _ in range(6)]
    session = as_model(schemas.Session, client.get(url))
    as_model(schemas.ExportedSession, client.get(f"{url}/export"))
    as_model(schemas.Trace, client.get(f"{url}/export/trace.json"))

    written = [entry for answer in steps for entry in strings(answer.step.tensors)]
    assert {"NaN", "Infinity"} & set(written) or {"-Infinity"} & set(written)
    assert set(session.losses) & {"NaN", "Infinity"}


def strings(tensors: dict[str, schemas.Tensor]) -> list[str]:
    return [
        entry
        for tensor in tensors.values()
        if isinstance(tensor.data, list)
        for row in tensor.data
        for entry in row
        if isinstance(entry, str)
    ]


def test_a_followers_event_is_a_move_answer_under_the_view_id_read_only(
    client: TestClient,
) -> None:
    url = f"/api/sessions/{client.post('/api/sessions', json=preset('xor').spec).json()['id']}"
    client.post(f"{url}/step")
    view_id = client.post(f"{url}/view").json()["view_id"]
    store = client.app.state.store  # type: ignore[attr-defined]
    shown = views.Followed(view_id, store.resolve_view(view_id), None)

    sent = views._Sent()
    views._news(store, shown, views.Notation(), sent)
    client.post(f"{url}/step")
    (event,) = views._news(store, shown, views.Notation(), sent)

    assert event.event == "step" and event.raw_data is not None
    data = event.raw_data
    answer = schemas.MoveAnswer.model_validate_json(data)
    assert answer.model_dump(mode="json") == orjson.loads(data)
    assert answer.session.id == view_id and answer.session.read_only


def test_a_rooms_followers_events_are_a_view_answer_then_the_rooms_state(
    client: TestClient,
) -> None:
    session_id = client.post("/api/sessions", json=preset("xor").spec).json()["id"]
    owned = client.post("/api/rooms", json={"session": session_id}).json()
    store = client.app.state.store  # type: ignore[attr-defined]
    shown = views.Followed(owned["id"], session_id, store.get_room(owned["id"]))
    sent = views._Sent()

    (network,) = views._news(store, shown, views.Notation(), sent)
    store.leave_room(owned["id"], owned["key"])
    sent.lecturer_page = "open"
    room_events = views._news(store, shown, views.Notation(), sent)

    assert network.event == "network" and network.raw_data is not None
    answer = schemas.ViewAnswer.model_validate_json(network.raw_data)
    assert answer.model_dump(mode="json") == orjson.loads(network.raw_data)
    assert answer.room is not None and answer.room.id == owned["id"]
    for event in room_events:
        assert event.event == "room" and event.raw_data is not None
        schemas.RoomState.model_validate_json(event.raw_data)


@pytest.mark.parametrize("name", [p.id for p in presets()])
def test_a_tensors_entries_are_the_engines_numbers_bit_for_bit_in_both_encodings(
    name: str,
) -> None:
    session = Session.create(preset(name).spec)
    trace = session.trace()

    for tensor in trace.tensors.values():
        listed = orjson.loads(answers.dumps(answers.tensor(tensor, "json")))
        typed = orjson.loads(answers.dumps(answers.tensor(tensor, "binary")))
        entries = base64.b64decode(typed["data"]["bdata"])

        assert np.array(listed["data"], dtype=np.float64).tobytes() == tensor.value.tobytes()
        assert entries == np.ascontiguousarray(tensor.value, dtype="<f8").tobytes()


def test_a_transposed_view_is_written_row_by_row() -> None:
    value = np.arange(6.0).reshape(2, 3)

    assert answers.dumps({"data": answers.entries(value.T, "json")}) == (
        b'{"data":[[0.0,3.0],[1.0,4.0],[2.0,5.0]]}'
    )


def test_a_typed_array_is_plotlys_form_of_the_float64_entries_row_by_row() -> None:
    value = np.array([[1.0, -0.0, math.inf], [math.nan, 2.5e-300, -7.0]])

    typed = orjson.loads(answers.dumps(answers.entries(value.T.copy().T, "binary")))

    assert (typed["dtype"], typed["shape"]) == ("f8", "2, 3")
    assert base64.b64decode(typed["bdata"]) == value.astype("<f8").tobytes()


def test_the_current_step_number_is_the_one_the_engine_shows() -> None:
    session = Session.create(preset("xor").spec, history_limit=1)
    moves = ["step"] * 7 + ["back"] * 3 + ["train", "back", "reset", "step", "back"]
    for move in moves:
        getattr(session, move)(*([2] if move == "train" else []))
        shown = session.current()

        assert answers.current_step_number(session) == (
            None if shown is None else shown[0].index + 1
        )


@pytest.mark.parametrize("encoding", ["json", "binary"])
def test_each_tensor_of_an_iteration_is_written_once_however_many_steps_show_it(
    encoding: schemas.Encoding,
) -> None:
    network = Network.from_spec(preset("xor").spec)
    trace = trace_iteration(network, network.initial_parameters())
    shown = [answers.dumps(answers.step(s, trace, encoding)) for s in trace.steps]
    names = {name for s in trace.steps for name in trace.step_tensors(s.index)}
    alone = {name: answers.dumps(answers.tensor(trace.tensors[name], encoding)) for name in names}

    assert sum(len(s.operands) + len(s.intermediates) + len(s.results) for s in trace.steps) > len(
        names
    )
    assert trace.written.nbytes == sum(len(written) for written in alone.values())
    for step, written in zip(trace.steps, shown, strict=True):
        tensors = orjson.loads(written)["tensors"]
        assert tensors == {n: orjson.loads(alone[n]) for n in trace.step_tensors(step.index)}
