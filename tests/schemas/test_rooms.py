"""app.schemas.rooms: every answer about a room is its model's dump, and what a follower learns
of a room never holds the session it shows."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from app import schemas
from app.engine import preset
from tests.api.test_answers import as_model


def test_every_answer_about_a_room_is_its_models_dump(client: TestClient) -> None:
    session_id = client.post("/api/sessions", json=preset("xor").spec).json()["id"]
    client.post(f"/api/sessions/{session_id}/step")

    owned = as_model(
        schemas.RoomOwned, client.post("/api/rooms", json={"session": session_id}), status=201
    )
    body = {"key": owned.key, "session": session_id, "restart": True}
    as_model(schemas.RoomState, client.put(f"/api/rooms/{owned.id}", json=body))
    as_model(
        schemas.RoomState, client.post(f"/api/rooms/{owned.id}/leave", json={"key": owned.key})
    )
    followed = as_model(schemas.ViewAnswer, client.get(f"/api/views/{owned.id}"))
    as_model(schemas.FollowLinks, client.get(f"/api/views/{owned.id}/links"))

    assert followed.room is not None
    assert (followed.room.id, followed.room.network, followed.room.started) == (
        owned.id,
        2,
        "reset",
    )


def test_what_followers_learn_of_a_room_names_no_session() -> None:
    assert set(schemas.RoomState.model_fields) == {"id", "network", "started", "lecturer_page"}


@pytest.mark.parametrize(
    "body",
    [{"key": "k", "session": "s", "restart": 1}, {"key": 3, "session": "s"}, {"key": "k"}],
)
def test_a_pointing_is_strict_about_its_fields_types(body: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        schemas.RoomPointing.model_validate_json(orjson.dumps(body))


def test_a_pointing_restarts_nothing_unless_it_says_so() -> None:
    pointing = schemas.RoomPointing.model_validate({"key": "k", "session": "s"})

    assert pointing.restart is False
