"""Read-only views: a view id shows a session and follows it live, and can never move it."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.api import views
from app.engine import preset

from .session_requests import SESSION_REQUESTS


@pytest.fixture
def view_id(client: TestClient, session_id: str) -> str:
    response = client.post(f"/api/sessions/{session_id}/view")
    assert response.status_code == 200, response.text
    return str(response.json()["view_id"])


def events(text: str) -> list[dict[str, str]]:
    """The events of a text/event-stream body, each as its fields."""
    found = []
    for block in text.split("\n\n"):
        fields: dict[str, str] = {}
        for line in block.splitlines():
            if line and not line.startswith(":"):
                key, _, value = line.partition(": ")
                fields[key] = value
        if "event" in fields:
            found.append(fields)
    return found


def test_a_view_link_names_the_page_and_the_event_stream(
    client: TestClient, session_id: str
) -> None:
    link = client.post(f"/api/sessions/{session_id}/view").json()
    assert link["view_id"] != session_id and len(link["view_id"]) >= 22
    assert link["page"] == f"/?follow={link['view_id']}"
    assert link["events"] == f"/api/views/{link['view_id']}/events"
    assert client.post(f"/api/sessions/{session_id}/view").json() == link


def test_a_view_shows_the_session_and_its_step_but_never_its_id(
    client: TestClient, session_id: str, view_id: str
) -> None:
    for _ in range(3):
        client.post(f"/api/sessions/{session_id}/step")
    lecturer = client.get(f"/api/sessions/{session_id}/current").json()
    lecturer_session = client.get(f"/api/sessions/{session_id}").json()
    answer = client.get(f"/api/views/{view_id}")
    assert answer.status_code == 200
    follower = answer.json()
    assert session_id not in answer.text
    assert follower["session"]["id"] == view_id
    assert follower["session"]["read_only"] is True
    assert follower["step"] == lecturer["step"]
    lecturer_session.pop("id"), follower["session"].pop("id")
    lecturer_session.pop("read_only"), follower["session"].pop("read_only")
    assert follower["session"] == lecturer_session


NOTATIONS = [
    {"convention": "row"},
    {"view": "homogeneous"},
    {"convention": "row", "view": "homogeneous"},
]


@pytest.mark.parametrize("notation", NOTATIONS)
def test_a_view_shows_its_step_in_the_notation_asked_for(
    client: TestClient, session_id: str, view_id: str, notation: dict[str, str]
) -> None:
    for _ in range(4):
        client.post(f"/api/sessions/{session_id}/step")
    lecturer = client.get(f"/api/sessions/{session_id}/current", params=notation).json()
    follower = client.get(f"/api/views/{view_id}", params=notation).json()
    column = client.get(f"/api/views/{view_id}").json()
    assert follower["step"] == lecturer["step"]
    assert follower["step"] != column["step"]


@pytest.mark.parametrize("notation", [{}, *NOTATIONS])
def test_a_follower_has_any_entry_explained_as_the_lecturer_has(
    client: TestClient, session_id: str, view_id: str, notation: dict[str, str]
) -> None:
    for _ in range(5):
        client.post(f"/api/sessions/{session_id}/step")
    query = {"tensor": "gradW1", "row": 2, "col": 1, **notation}
    follower = client.get(f"/api/views/{view_id}/explain", params=query)
    assert follower.status_code == 200, follower.text
    assert follower.json() == client.get(f"/api/sessions/{session_id}/explain", params=query).json()
    assert session_id not in follower.text


def test_a_follower_sees_the_decision_boundary_the_lecturer_sees(
    client: TestClient, session_id: str, view_id: str
) -> None:
    client.post(f"/api/sessions/{session_id}/train", json={"iterations": 3})

    follower = client.get(f"/api/views/{view_id}/boundary", params={"resolution": 9})

    assert follower.status_code == 200, follower.text
    lecturer = client.get(f"/api/sessions/{session_id}/boundary", params={"resolution": 9})
    assert follower.json() == lecturer.json()


def test_a_view_of_a_network_without_biases_refuses_the_homogeneous_view(
    client: TestClient,
) -> None:
    session_id = client.post("/api/sessions", json=preset("paper-1d-chain").spec).json()["id"]
    view_id = client.post(f"/api/sessions/{session_id}/view").json()["view_id"]
    explain = {"tensor": "W1", "row": 1, "col": 1}
    for suffix, query in (("", {}), ("/events", {}), ("/explain", explain)):
        response = client.get(
            f"/api/views/{view_id}{suffix}", params={**query, "view": "homogeneous"}
        )
        assert response.status_code == 422, suffix
        assert response.json()["detail"][0]["loc"] == ["query", "view"]


@pytest.mark.parametrize(("method", "suffix", "body"), SESSION_REQUESTS)
def test_a_view_id_opens_no_session_endpoint(
    client: TestClient, session_id: str, view_id: str, method: str, suffix: str, body: Any
) -> None:
    client.post(f"/api/sessions/{session_id}/step")
    before = client.get(f"/api/sessions/{session_id}/export").json()
    response = client.request(method, f"/api/sessions/{view_id}{suffix}", json=body)
    assert response.status_code == 404
    assert client.get(f"/api/sessions/{session_id}/export").json() == before


@pytest.mark.parametrize(
    "suffix",
    ["", "/events", "/export/trace.csv", "/tensors/W1/latex", "/explain?tensor=W1&row=1&col=1"],
)
def test_a_session_id_or_a_made_up_id_is_no_view(
    client: TestClient, session_id: str, suffix: str
) -> None:
    for wrong in (session_id, "made-up"):
        response = client.get(f"/api/views/{wrong}{suffix}")
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/json"
        assert "no view" in response.json()["detail"]


def test_a_deleted_session_takes_its_view_with_it(
    client: TestClient, session_id: str, view_id: str
) -> None:
    assert client.delete(f"/api/sessions/{session_id}").status_code == 204
    assert client.get(f"/api/views/{view_id}").status_code == 404


def test_the_event_stream_pushes_the_step_now_and_after_each_move(
    client: TestClient, session_id: str, view_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "STREAM_SECONDS", 1.2)
    monkeypatch.setattr(views, "POLL_SECONDS", 0.05)
    client.post(f"/api/sessions/{session_id}/step")

    def lecturer() -> None:
        client.post(f"/api/sessions/{session_id}/step")
        client.post(f"/api/sessions/{session_id}/step")

    timer = threading.Timer(0.4, lecturer)
    timer.start()
    response = client.get(f"/api/views/{view_id}/events")
    timer.join()

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert session_id not in response.text
    found = events(response.text)
    assert [e["event"] for e in found][:1] == ["step"]
    assert found[0]["retry"] == "1000"
    ids = [e["id"] for e in found]
    assert ids[0] == "0.1" and ids[-1] == "0.3"
    assert len(ids) == len(set(ids))
    last, view = json.loads(found[-1]["data"]), client.get(f"/api/views/{view_id}").json()
    assert last["step"] == view["step"]
    assert last["session"] == {k: view["session"][k] for k in last["session"]}
    assert last["session"]["read_only"] is True


def test_the_event_stream_sends_the_step_in_the_notation_asked_for(
    client: TestClient, session_id: str, view_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "STREAM_SECONDS", 0.1)
    client.post(f"/api/sessions/{session_id}/step")
    response = client.get(f"/api/views/{view_id}/events", params={"convention": "row"})
    sent = json.loads(events(response.text)[0]["data"])
    assert sent["step"] == client.get(f"/api/views/{view_id}?convention=row").json()["step"]


def test_the_event_stream_says_when_the_session_is_gone(
    client: TestClient, session_id: str, view_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "STREAM_SECONDS", 5)
    monkeypatch.setattr(views, "POLL_SECONDS", 0.05)
    timer = threading.Timer(0.3, lambda: client.delete(f"/api/sessions/{session_id}"))
    timer.start()
    response = client.get(f"/api/views/{view_id}/events")
    timer.join()
    assert [e["event"] for e in events(response.text)] == ["step", "gone"]
