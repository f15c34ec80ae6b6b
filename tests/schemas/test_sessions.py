"""app.schemas.sessions: what export answers is what POST /api/sessions takes back, and a move's
`session` is the first part of the whole session."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app import schemas
from app.engine import preset


def test_an_export_has_the_fields_a_new_session_takes() -> None:
    assert set(schemas.ExportedSession.model_fields) == set(schemas.SessionCreate.model_fields)
    assert set(schemas.ExportedState.model_fields) == set(schemas.SessionState.model_fields)


def test_an_exported_session_is_taken_back_as_a_new_sessions_body(client: TestClient) -> None:
    url = f"/api/sessions/{client.post('/api/sessions', json=preset('xor').spec).json()['id']}"
    for _ in range(8):
        client.post(f"{url}/step")

    exported = schemas.ExportedSession.model_validate_json(client.get(f"{url}/export").content)
    body = schemas.SessionCreate.model_validate(exported.model_dump())

    assert body.state is not None and (body.state.iteration, body.state.cursor) == (1, 2)


def test_a_moves_session_is_where_the_whole_session_is() -> None:
    position = list(schemas.Position.model_fields)

    assert list(schemas.Session.model_fields)[: len(position)] == position
    assert schemas.MoveAnswer.model_fields["session"].annotation is schemas.Position
