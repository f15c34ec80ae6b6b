"""Rooms: a read-only link that follows the lecturer's page from network to network, which only
that page can re-point, and which opens no session endpoint."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.api import rooms, views
from app.api.deps import app_store
from app.engine import preset
from app.store import MemoryStore, Room

from .session_requests import SESSION_REQUESTS
from .test_views import events

Owned = dict[str, Any]


def create(client: TestClient, name: str = "xor", steps: int = 0) -> str:
    session_id = str(client.post("/api/sessions", json=preset(name).spec).json()["id"])
    for _ in range(steps):
        client.post(f"/api/sessions/{session_id}/step")
    return session_id


def open_room(client: TestClient, session_id: str) -> Owned:
    response = client.post("/api/rooms", json={"session": session_id})
    assert response.status_code == 201, response.text
    return dict(response.json())


def point(client: TestClient, owned: Owned, session_id: str, **extra: Any) -> Any:
    body = {"key": owned["key"], "session": session_id, **extra}
    return client.put(f"/api/rooms/{owned['id']}", json=body)


def bits(token: str) -> int:
    return 8 * len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))


def test_a_new_room_gives_its_page_an_id_to_share_and_a_key_to_keep(client: TestClient) -> None:
    session_id = create(client)

    owned = open_room(client, session_id)

    assert bits(owned["id"]) >= 128 and bits(owned["key"]) >= 128
    assert len({owned["id"], owned["key"], session_id}) == 3
    assert owned["page"] == f"/?follow={owned['id']}"
    assert owned["events"] == f"/api/views/{owned['id']}/events"
    assert owned["room"] == {
        "id": owned["id"],
        "network": 1,
        "started": "new",
        "lecturer_page": "open",
    }


def test_room_ids_are_unrelated_to_one_another(client: TestClient) -> None:
    session_id = create(client)
    ids = [open_room(client, session_id)["id"] for _ in range(50)]

    assert len(set(ids)) == len(ids)
    assert len({i[:6] for i in ids}) == len(ids)  # no shared 36-bit prefix: not a counter


@pytest.mark.parametrize(
    ("body", "loc"),
    [({}, ["body", "session"]), ({"session": 7}, ["body", "session"]), (None, ["body"])],
)
def test_a_room_request_without_a_session_id_is_refused_naming_the_field(
    client: TestClient, body: Any, loc: list[str]
) -> None:
    response = client.post("/api/rooms", json=body)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == loc


def test_a_room_of_an_unknown_session_is_a_404(client: TestClient) -> None:
    response = client.post("/api/rooms", json={"session": "no-such-session"})

    assert response.status_code == 404
    assert "no session" in response.json()["detail"]


def test_a_room_shows_its_session_to_followers_under_the_rooms_id_only(
    client: TestClient,
) -> None:
    session_id = create(client, steps=3)
    owned = open_room(client, session_id)
    lecturer = client.get(f"/api/sessions/{session_id}/current").json()

    answer = client.get(f"/api/views/{owned['id']}")

    assert answer.status_code == 200
    assert session_id not in answer.text and owned["key"] not in answer.text
    assert answer.json()["step"] == lecturer["step"]
    assert answer.json()["session"]["id"] == owned["id"]
    assert answer.json()["session"]["read_only"] is True
    assert answer.json()["room"] == owned["room"]


def test_a_view_of_one_session_says_it_is_no_room(client: TestClient) -> None:
    session_id = create(client)
    view_id = client.post(f"/api/sessions/{session_id}/view").json()["view_id"]

    assert client.get(f"/api/views/{view_id}").json()["room"] is None


@pytest.mark.parametrize(("method", "suffix", "body"), SESSION_REQUESTS)
def test_a_room_id_or_its_key_opens_no_session_endpoint(
    client: TestClient, method: str, suffix: str, body: Any
) -> None:
    session_id = create(client, steps=3)
    owned = open_room(client, session_id)
    before = client.get(f"/api/sessions/{session_id}/export").json()

    for token in (owned["id"], owned["key"]):
        response = client.request(method, f"/api/sessions/{token}{suffix}", json=body)
        assert response.status_code == 404, response.text

    assert client.get(f"/api/sessions/{session_id}/export").json() == before


@pytest.mark.parametrize(
    "suffix",
    [
        "/export/trace.json",
        "/export/trace.csv",
        "/tensors/W1/latex",
        "/explain?tensor=W1&row=1&col=1",
    ],
)
def test_followers_of_a_room_read_exports_and_explanations_of_the_network_it_shows(
    client: TestClient, suffix: str
) -> None:
    first, second = create(client, steps=2), create(client, "qa-one-hidden", steps=2)
    owned = open_room(client, first)
    point(client, owned, second)

    follower = client.get(f"/api/views/{owned['id']}{suffix}")

    assert follower.status_code == 200, follower.text
    assert follower.content == client.get(f"/api/sessions/{second}{suffix}").content
    assert first not in follower.text and second not in follower.text


@pytest.mark.parametrize(
    ("target", "restart", "network", "started"),
    [("other", False, 2, "new"), ("same", True, 2, "reset"), ("same", False, 1, "new")],
)
def test_pointing_a_room_starts_a_network_for_another_session_or_after_a_reset(
    client: TestClient, target: str, restart: bool, network: int, started: str
) -> None:
    first, second = create(client, steps=2), create(client, "qa-one-hidden", steps=4)
    owned = open_room(client, first)
    session_id = second if target == "other" else first

    answer = point(client, owned, session_id, restart=restart)

    assert answer.status_code == 200, answer.text
    expected = {"id": owned["id"], "network": network, "started": started, "lecturer_page": "open"}
    assert answer.json() == expected
    follower = client.get(f"/api/views/{owned['id']}").json()
    assert follower["room"] == expected
    assert follower["step"] == client.get(f"/api/sessions/{session_id}/current").json()["step"]


def test_only_the_rooms_own_key_moves_it_and_a_wrong_one_changes_nothing(
    client: TestClient,
) -> None:
    first, second = create(client), create(client, "qa-one-hidden")
    mine, theirs = open_room(client, first), open_room(client, first)

    for key in (theirs["key"], "made-up", mine["id"], first):
        moved = client.put(f"/api/rooms/{mine['id']}", json={"key": key, "session": second})
        left = client.post(f"/api/rooms/{mine['id']}/leave", json={"key": key})
        assert (moved.status_code, left.status_code) == (403, 403)
        assert "does not own" in moved.json()["detail"]

    assert client.get(f"/api/views/{mine['id']}").json()["room"] == mine["room"]


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"session": "x"}, ["body", "key"]),
        ({"key": "x"}, ["body", "session"]),
        ({"key": "x", "session": "y", "restart": "yes"}, ["body", "restart"]),
        ({"key": "x", "session": "y", "network": 3}, ["body", "network"]),
    ],
)
def test_a_bad_pointing_is_refused_naming_the_field(
    client: TestClient, body: dict[str, Any], loc: list[str]
) -> None:
    owned = open_room(client, create(client))

    response = client.put(f"/api/rooms/{owned['id']}", json=body)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == loc


def test_an_unknown_room_or_session_is_a_404_and_the_room_stays(client: TestClient) -> None:
    session_id = create(client)
    owned = open_room(client, session_id)

    assert point(client, owned, "no-such-session").status_code == 404
    for wrong in ("no-such-room", session_id):
        answer = client.put(
            f"/api/rooms/{wrong}", json={"key": owned["key"], "session": session_id}
        )
        assert answer.status_code == 404
    assert client.get(f"/api/views/{owned['id']}").json()["room"] == owned["room"]


def test_two_lecturers_rooms_are_apart(client: TestClient) -> None:
    mine, theirs = create(client, steps=1), create(client, "qa-one-hidden", steps=3)
    my_room, their_room = open_room(client, mine), open_room(client, theirs)
    replacement = create(client, "paper-1d-chain")

    point(client, my_room, replacement)
    client.post(f"/api/rooms/{my_room['id']}/leave", json={"key": my_room["key"]})

    follower = client.get(f"/api/views/{their_room['id']}").json()
    assert follower["room"] == their_room["room"]
    assert follower["step"] == client.get(f"/api/sessions/{theirs}/current").json()["step"]
    assert (
        client.put(
            f"/api/rooms/{their_room['id']}", json={"key": my_room["key"], "session": replacement}
        ).status_code
        == 403
    )


@pytest.mark.parametrize(
    ("seen", "left", "page"),
    [
        (0.0, None, "open"),
        (-89.0, None, "open"),
        (-90.0, None, "closed"),
        (-10.0, -2.0, "open"),  # a reload: closed and back within the grace
        (-10.0, -3.0, "closed"),
    ],
)
def test_the_lecturers_page_is_closed_after_saying_so_or_after_a_long_silence(
    seen: float, left: float | None, page: str
) -> None:
    now = 1_000_000.0
    room = Room("s", 1, "new", seen=now + seen, left=None if left is None else now + left)

    assert rooms.lecturer_page(room, now) == page


def test_leaving_closes_the_lecturers_page_for_followers_and_pointing_opens_it_again(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rooms, "LEFT_GRACE_SECONDS", 0.0)
    session_id = create(client, steps=2)
    owned = open_room(client, session_id)
    shown = client.get(f"/api/views/{owned['id']}").json()["step"]

    left = client.post(f"/api/rooms/{owned['id']}/leave", json={"key": owned["key"]})

    assert left.status_code == 200 and left.json()["lecturer_page"] == "closed"
    follower = client.get(f"/api/views/{owned['id']}").json()
    assert follower["room"]["lecturer_page"] == "closed" and follower["step"] == shown
    assert point(client, owned, session_id).json()["lecturer_page"] == "open"


def test_a_room_expires_with_the_session_ttl_after_its_lecturers_last_use(
    client: TestClient,
) -> None:
    now = [1000.0]  # the store's clock, moved by the test: no race with a slow machine
    store = MemoryStore(ttl_seconds=2, max_sessions=10, clock=lambda: now[0])
    client.app.dependency_overrides[app_store] = lambda: store  # type: ignore[attr-defined]
    session_id = create(client)
    kept, idle = open_room(client, session_id), open_room(client, session_id)

    now[0] += 1.2
    client.get(f"/api/views/{idle['id']}")  # followers keep no room alive
    client.post(f"/api/sessions/{session_id}/step")
    assert point(client, kept, session_id).status_code == 200  # its lecturer's page does
    now[0] += 1.2

    assert client.get(f"/api/views/{idle['id']}").status_code == 404
    assert point(client, idle, session_id).status_code == 404
    assert client.get(f"/api/views/{kept['id']}").status_code == 200


def test_a_room_whose_session_is_gone_is_a_404_that_never_names_the_session(
    client: TestClient,
) -> None:
    session_id = create(client)
    owned = open_room(client, session_id)
    client.delete(f"/api/sessions/{session_id}")

    for suffix in ("", "/export/trace.json", "/explain?tensor=W1&row=1&col=1"):
        answer = client.get(f"/api/views/{owned['id']}{suffix}")
        assert answer.status_code == 404, suffix
        assert session_id not in answer.text and owned["id"] in answer.json()["detail"]
    assert point(client, owned, create(client)).json()["network"] == 2  # the lecturer goes on


# --- the event stream of a room ---------------------------------------------------------------


@pytest.fixture
def quick_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "POLL_SECONDS", 0.05)
    monkeypatch.setattr(views, "STREAM_SECONDS", 2.0)
    monkeypatch.setattr(rooms, "LEFT_GRACE_SECONDS", 0.0)


def stream_while(
    client: TestClient, owned: Owned, lecturer: Callable[[], None], **query: str
) -> list[dict[str, str]]:
    """The events a follower of the room gets while `lecturer` runs, 0.3 s in."""
    timer = threading.Timer(0.3, lecturer)
    timer.start()
    response = client.get(f"/api/views/{owned['id']}/events", params=query)
    timer.join()
    assert response.status_code == 200, response.text
    return events(response.text)


@pytest.mark.usefixtures("quick_stream")
def test_a_follower_is_sent_the_network_then_each_move_then_the_next_network(
    client: TestClient,
) -> None:
    first, second = create(client, steps=1), create(client, "qa-one-hidden")
    owned = open_room(client, first)

    def lecturer() -> None:
        client.post(f"/api/sessions/{first}/step")
        time.sleep(0.3)
        point(client, owned, second)
        time.sleep(0.3)
        client.post(f"/api/sessions/{second}/step")

    found = stream_while(client, owned, lecturer)

    assert [e["event"] for e in found] == ["network", "step", "network", "step"]
    assert [e["id"] for e in found] == ["1.0.1", "1.0.2", "2.0.0", "2.0.1"]
    assert found[0]["retry"] == "1000"
    opening, moved, started = (json.loads(found[i]["data"]) for i in range(3))
    assert opening["room"]["network"] == 1 and opening["session"]["spec"]["layers"] == [2, 4, 1]
    assert moved["step"] == client.get(f"/api/sessions/{first}/current").json()["step"]
    assert started["room"] == {**owned["room"], "network": 2}
    assert started["session"]["spec"] == client.get(f"/api/sessions/{second}").json()["spec"]
    assert started["step"] is None
    assert all(s not in e["data"] for e in found for s in (first, second, owned["key"]))


@pytest.mark.usefixtures("quick_stream")
def test_a_follower_is_told_when_the_lecturers_page_closes_and_comes_back(
    client: TestClient,
) -> None:
    session_id = create(client, steps=2)
    owned = open_room(client, session_id)

    def lecturer() -> None:
        client.post(f"/api/rooms/{owned['id']}/leave", json={"key": owned["key"]})
        time.sleep(0.3)
        point(client, owned, session_id)

    found = stream_while(client, owned, lecturer)

    assert [e["event"] for e in found] == ["network", "room", "room"]
    pages = [json.loads(e["data"])["lecturer_page"] for e in found[1:]]
    assert pages == ["closed", "open"]


@pytest.mark.usefixtures("quick_stream")
def test_a_reset_starts_the_network_over_for_followers(client: TestClient) -> None:
    session_id = create(client, steps=4)
    owned = open_room(client, session_id)

    def lecturer() -> None:
        client.post(f"/api/sessions/{session_id}/reset")
        point(client, owned, session_id, restart=True)

    found = stream_while(client, owned, lecturer)

    assert [e["event"] for e in found][0] == "network" and found[-1]["event"] == "network"
    last = json.loads(found[-1]["data"])
    assert last["room"]["started"] == "reset" and last["room"]["network"] == 2
    assert last["step"] is None and last["session"]["cursor"] == 0


@pytest.mark.usefixtures("quick_stream")
def test_a_follower_in_the_homogeneous_view_sees_a_network_without_biases_as_it_is(
    client: TestClient,
) -> None:
    with_biases, without = create(client, steps=1), create(client, "paper-1d-chain", steps=1)
    owned = open_room(client, with_biases)

    found = stream_while(client, owned, lambda: point(client, owned, without), view="homogeneous")

    assert [e["event"] for e in found] == ["network", "network"]
    shown = [json.loads(e["data"])["step"]["tensors"] for e in found]
    assert "\\hat{W}" in json.dumps(shown[0]) and "\\hat{W}" not in json.dumps(shown[1])
    plain = client.get(f"/api/sessions/{without}/current").json()["step"]["tensors"]
    assert shown[1] == plain


@pytest.mark.usefixtures("quick_stream")
def test_a_follower_is_told_the_room_is_gone_without_its_session_id(client: TestClient) -> None:
    session_id = create(client)
    owned = open_room(client, session_id)

    found = stream_while(client, owned, lambda: client.delete(f"/api/sessions/{session_id}"))

    assert [e["event"] for e in found] == ["network", "gone"]
    assert session_id not in found[1]["data"] and owned["id"] in found[1]["data"]


@pytest.mark.parametrize("kind", ["view", "room"])
def test_a_follower_reads_the_decision_boundary_the_lecturer_sees(
    client: TestClient, kind: str
) -> None:
    session_id = create(client, steps=6)  # XOR, two inputs, one update taken
    if kind == "view":
        view_id = client.post(f"/api/sessions/{session_id}/view").json()["view_id"]
    else:
        view_id = open_room(client, session_id)["id"]

    follower = client.get(f"/api/views/{view_id}/boundary", params={"resolution": 20})

    assert follower.status_code == 200, follower.text
    lecturer = client.get(f"/api/sessions/{session_id}/boundary", params={"resolution": 20})
    assert follower.content == lecturer.content


def test_a_room_under_a_path_names_its_page_and_stream_with_the_path(
    client_with: Callable[..., TestClient],
) -> None:
    client = client_with(root_path="/bpv")
    owned = open_room(client, create(client))

    assert owned["page"] == f"/bpv/?follow={owned['id']}"
    assert owned["events"] == f"/bpv/api/views/{owned['id']}/events"
    assert client.get(f"/bpv/api/views/{owned['id']}").status_code == 200
