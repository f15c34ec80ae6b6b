"""Rooms: a view its owner's page re-points, in every store, shared by the stores' processes."""

from __future__ import annotations

import base64
import sqlite3
from collections.abc import Callable

import pytest

from app.engine import Session, preset
from app.store import (
    MemoryStore,
    NotRoomOwner,
    RedisStore,
    Room,
    RoomNotFound,
    RoomsFull,
    SessionNotFound,
    SessionStore,
    SqliteStore,
    ViewNotFound,
    from_url,
    key_digest,
)

from .conftest import Clock, assert_no_session

MakeStore = Callable[..., SessionStore]


def new_session(name: str = "xor") -> Session:
    return Session.create(preset(name).spec)


@pytest.fixture
def two(store: SessionStore) -> tuple[str, str]:
    """Two sessions of the store: XOR and the Q&A's network."""
    return store.create(new_session()), store.create(new_session("qa-one-hidden"))


def bits(token: str) -> int:
    return 8 * len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))


def test_a_new_room_shows_its_session_as_network_1_with_its_owners_page_open(
    store: SessionStore, two: tuple[str, str], clock: Clock
) -> None:
    room_id, key = store.create_room(two[0])

    assert store.get_room(room_id) == Room(two[0], 1, "new", seen=clock.now, left=None)


def test_a_room_id_and_its_key_are_unguessable_and_neither_is_the_session_id(
    store: SessionStore, two: tuple[str, str]
) -> None:
    made = [store.create_room(two[0]) for _ in range(3)]
    tokens = [token for pair in made for token in pair]

    assert all(bits(token) >= 128 for token in tokens)
    assert len(set(tokens)) == len(tokens) and two[0] not in tokens


def test_a_room_id_opens_no_session_and_no_view_and_a_session_id_is_no_room(
    store: SessionStore, two: tuple[str, str]
) -> None:
    room_id, key = store.create_room(two[0])

    assert_no_session(store, room_id)
    with pytest.raises(ViewNotFound):
        store.resolve_view(room_id)
    with pytest.raises(RoomNotFound):
        store.get_room(two[0])
    with pytest.raises(RoomNotFound):
        store.point_room(two[0], key, two[1], restart=False)


def stored_room(store: SessionStore, room_id: str) -> str:
    """Everything the store holds of a room, as text."""
    if isinstance(store, MemoryStore):
        return repr(store._rooms[room_id])
    if isinstance(store, SqliteStore):
        with sqlite3.connect(store.path) as conn:
            return repr(conn.execute("SELECT * FROM rooms WHERE id = ?", (room_id,)).fetchall())
    assert isinstance(store, RedisStore)
    return repr(store.redis.hgetall(store.key("room", room_id)))


def test_the_store_keeps_the_keys_digest_never_the_key(
    store: SessionStore, two: tuple[str, str]
) -> None:
    room_id, key = store.create_room(two[0])
    kept = stored_room(store, room_id)

    assert key_digest(key) in kept and key not in kept
    assert store.point_room(room_id, key, two[1], restart=False).network == 2


@pytest.mark.parametrize(
    ("session", "restart", "network", "started"),
    [(1, False, 2, "new"), (1, True, 2, "new"), (0, True, 2, "reset"), (0, False, 1, "new")],
)
def test_pointing_a_room_counts_a_new_network_for_another_session_or_a_restart(
    store: SessionStore,
    two: tuple[str, str],
    clock: Clock,
    session: int,
    restart: bool,
    network: int,
    started: str,
) -> None:
    room_id, key = store.create_room(two[0])
    clock.advance(5)

    pointed = store.point_room(room_id, key, two[session], restart=restart)

    assert pointed == Room(two[session], network, started, seen=clock.now, left=None)
    assert store.get_room(room_id) == pointed


def test_the_owners_page_closing_is_noted_and_its_return_clears_it(
    store: SessionStore, two: tuple[str, str], clock: Clock
) -> None:
    room_id, key = store.create_room(two[0])
    clock.advance(5)
    left = store.leave_room(room_id, key)

    assert left == Room(two[0], 1, "new", seen=clock.now - 5, left=clock.now)
    assert store.get_room(room_id) == left

    clock.advance(5)
    back = store.point_room(room_id, key, two[0], restart=False)

    assert back == Room(two[0], 1, "new", seen=clock.now, left=None)


def test_a_wrong_key_changes_nothing_and_is_refused_before_the_session_is_looked_up(
    store: SessionStore, two: tuple[str, str]
) -> None:
    room_id, key = store.create_room(two[0])
    other_room, other_key = store.create_room(two[0])
    before = store.get_room(room_id)

    for wrong in (other_key, "made-up", ""):
        with pytest.raises(NotRoomOwner):
            store.point_room(room_id, wrong, two[1], restart=True)
        with pytest.raises(NotRoomOwner):
            store.point_room(room_id, wrong, "no-such-session", restart=False)
        with pytest.raises(NotRoomOwner):
            store.leave_room(room_id, wrong)

    assert store.get_room(room_id) == before


def test_rooms_of_one_session_are_apart(store: SessionStore, two: tuple[str, str]) -> None:
    first, first_key = store.create_room(two[0])
    second, _ = store.create_room(two[0])

    store.point_room(first, first_key, two[1], restart=False)
    store.leave_room(first, first_key)

    assert store.get_room(second).session_id == two[0]
    assert store.get_room(second).network == 1 and store.get_room(second).left is None


def test_a_room_refuses_a_session_that_is_not_there(
    store: SessionStore, two: tuple[str, str]
) -> None:
    room_id, key = store.create_room(two[0])
    store.delete(two[1])

    with pytest.raises(SessionNotFound):
        store.create_room(two[1])
    with pytest.raises(SessionNotFound):
        store.point_room(room_id, key, two[1], restart=False)
    with pytest.raises(RoomNotFound):
        store.point_room("no-such-room", key, two[0], restart=False)
    assert store.get_room(room_id).session_id == two[0]


def test_a_room_outlives_its_deleted_session_until_its_owner_points_it_elsewhere(
    store: SessionStore, two: tuple[str, str]
) -> None:
    room_id, key = store.create_room(two[0])
    store.delete(two[0])

    assert store.get_room(room_id).session_id == two[0]
    assert store.point_room(room_id, key, two[1], restart=False).network == 2


def test_a_room_its_owner_left_unused_past_the_ttl_is_gone_though_followers_read_it(
    make_store: MakeStore, clock: Clock
) -> None:
    store = make_store(ttl_seconds=100)
    kept_session = store.create(new_session())
    kept, key = store.create_room(kept_session)
    idle, idle_key = store.create_room(kept_session)

    clock.advance(60)
    store.get_room(idle)  # a follower's look is no use of the room
    store.point_room(kept, key, kept_session, restart=False)  # the owner's page's is
    clock.advance(60)

    with pytest.raises(RoomNotFound):
        store.get_room(idle)
    with pytest.raises(RoomNotFound):
        store.point_room(idle, idle_key, kept_session, restart=False)
    with pytest.raises(RoomNotFound):
        store.leave_room(idle, idle_key)
    assert store.get_room(kept).session_id == kept_session


def test_expire_purges_the_rooms_unused_past_the_ttl(make_store: MakeStore, clock: Clock) -> None:
    store = make_store(ttl_seconds=100, max_sessions=2)
    session_id = store.create(new_session())
    store.create_room(session_id)
    clock.advance(60)
    kept = store.create_room(session_id)[0]
    clock.advance(60)

    store.expire()

    session_id = store.create(new_session())
    store.create_room(session_id)  # room for a second one again
    assert store.get_room(kept)


def test_a_store_keeps_no_more_rooms_than_sessions(make_store: MakeStore, clock: Clock) -> None:
    store = make_store(max_sessions=2, ttl_seconds=100)
    session_id = store.create(new_session())
    store.create_room(session_id)
    store.create_room(session_id)

    with pytest.raises(RoomsFull, match="maximum of 2 rooms"):
        store.create_room(session_id)

    clock.advance(101)
    session_id = store.create(new_session())
    store.create_room(session_id)  # the expired ones made room


@pytest.mark.parametrize("kind", ["sqlite", "redis"])
def test_a_room_made_in_one_process_is_pointed_and_left_through_another(
    request: pytest.FixtureRequest, kind: str, tmp_path: object, clock: Clock
) -> None:
    url = (
        str(request.getfixturevalue("redis_url"))
        if kind == "redis"
        else f"sqlite:///{tmp_path}/sessions.sqlite3"
    )
    first, second = (
        from_url(url, ttl_seconds=3600, max_sessions=10, clock=clock) for _ in range(2)
    )
    try:
        sessions = first.create(new_session()), second.create(new_session("qa-one-hidden"))
        room_id, key = first.create_room(sessions[0])

        assert second.point_room(room_id, key, sessions[1], restart=False).network == 2
        assert first.get_room(room_id).session_id == sessions[1]
        second.leave_room(room_id, key)
        assert first.get_room(room_id).left == clock.now
        with pytest.raises(NotRoomOwner):
            first.point_room(room_id, "made-up", sessions[0], restart=False)
    finally:
        first.close()
        second.close()
