"""A client makes a room and follows one: from network to network as the lecturer starts them,
across the server ending its event stream, told when the lecturer's page closes, and stopped
with the reason when the server cannot go on."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from backprop_visualizer_client import Client, RoomState, ServerUnavailable
from fastapi.testclient import TestClient

from app.api import rooms, views
from app.config import Settings
from app.main import create_app
from devtools.server import local_server
from tests.redis_server import RedisServer, find_or_install


def test_a_room_follows_the_clients_session_from_network_to_network(
    api: Client, xor: dict[str, Any]
) -> None:
    first = api.create_session(xor)
    api.goto(2)
    room = api.create_room()
    followed = iter(api.follow(room.room_id))
    position, step = next(followed)

    assert room.page == f"{api.url}/?follow={room.room_id}" and room.room_id != first.id
    assert position.id == room.room_id and step is not None and step.number == 2

    second = api.create_session(xor)
    pointed = api.point_room(room)
    position, step = next(followed)

    assert pointed == RoomState(room.room_id, network=2, started="new", lecturer_page="open")
    assert second.id != first.id and step is None and position.read_only
    api.goto(1)
    assert next(followed)[1].number == 1  # type: ignore[union-attr]
    assert api.point_room(room, restart=True).started == "reset"
    assert api.leave_room(room).network == 3
    session, _ = api.read_view(room.room_id)
    assert session.id == room.room_id


@pytest.fixture
def in_process(monkeypatch: pytest.MonkeyPatch) -> Iterator[Client]:
    """A client of the app in this process, whose event streams end after 1 s (the server's
    are minutes long) and whose rooms say at once that the lecturer's page has closed."""
    monkeypatch.setattr(views, "POLL_SECONDS", 0.05)
    monkeypatch.setattr(views, "STREAM_SECONDS", 1.0)
    monkeypatch.setattr(rooms, "LEFT_GRACE_SECONDS", 0.0)
    with TestClient(create_app(Settings(store="memory://"))) as http:
        yield Client("http://testserver", http=http)


def later(seconds: float, lecturer: Any) -> None:
    threading.Timer(seconds, lecturer).start()


def test_following_goes_on_past_the_end_of_each_stream_and_repeats_no_step(
    in_process: Client,
) -> None:
    api = in_process
    xor = api.preset("xor")
    api.create_session(xor)
    api.goto(2)
    room = api.create_room()
    states: list[RoomState] = []
    followed = iter(api.follow(room.room_id, on_room=states.append))

    assert next(followed)[0].cursor == 2
    time.sleep(1.5)  # the first stream has ended
    api.goto(3)
    assert next(followed)[0].cursor == 3  # on the next stream
    later(2.0, lambda: api.goto(4))  # after the next stream starts with step 3 again
    assert next(followed)[0].cursor == 4

    api.leave_room(room)
    later(0.5, lambda: (api.create_session(xor), api.point_room(room)))
    position, step = next(followed)

    assert step is None and position.cursor == 0
    seen = [(state.network, state.lecturer_page) for state in states]
    assert seen == [(1, "open"), (1, "closed"), (2, "open")]
    assert str(states[1]).startswith("The lecturer's page is closed. You stay on the last step")
    assert str(states[2]) == "The lecturer started a new network."


def test_following_stops_with_the_reason_when_the_servers_store_is_gone(
    tmp_path: Path, xor: dict[str, Any]
) -> None:
    binary = find_or_install()
    if binary is None:
        pytest.skip("redis-server is not installed and apt-get could not install it")
    redis = RedisServer(binary, tmp_path)
    try:
        with local_server(store=redis.url()) as server, Client(server.url) as api:
            api.create_session(xor)
            followed = iter(api.follow(api.create_room().room_id))
            next(followed)
            redis.kill()
            with pytest.raises(ServerUnavailable) as stopped:
                next(followed)
    finally:
        redis.stop()

    assert stopped.value.status_code == 503 and "Redis" in str(stopped.value)
