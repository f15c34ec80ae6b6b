"""app.store.rules: every store takes the same limits, with the same defaults and meaning."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.engine import Session, preset
from app.store import NotRoomOwner, Room, RoomsFull, SessionRules, SessionStore, key_digest
from app.store.assignments import DEFAULT_LIMITS
from app.store.base import LOCK_WAIT_SECONDS

from .conftest import Clock

MakeStore = Callable[..., SessionStore]


def test_every_store_keeps_its_limits_as_given(make_store: MakeStore, clock: Clock) -> None:
    store = make_store(max_sessions=7, history_limit=5, history_bytes=4096, lock_wait=0.5)

    assert isinstance(store, SessionRules)
    assert (store.ttl_seconds, store.max_sessions) == (3600, 7)
    assert (store.history_limit, store.history_bytes, store.lock_wait) == (5, 4096, 0.5)
    assert store.assignments.limits is DEFAULT_LIMITS


def test_every_store_has_the_same_defaults(make_store: MakeStore) -> None:
    store = make_store()

    assert isinstance(store, SessionRules)
    assert (store.history_limit, store.history_bytes) == (100, None)
    assert store.lock_wait == LOCK_WAIT_SECONDS


def test_a_session_expires_once_idle_for_longer_than_the_ttl() -> None:
    clock = Clock(1000.0)
    rules = SessionRules({"ttl_seconds": 60, "max_sessions": 1, "clock": clock})

    assert rules._cutoff() == 940.0


@pytest.mark.parametrize(
    ("ttl_seconds", "idle", "written"),
    [(3600, 30, False), (3600, 61, True), (1000, 11, True), (1000, 9, False)],
    ids=["a minute not yet", "past a minute", "past a hundredth of a short TTL", "not yet"],
)
def test_a_last_use_is_written_again_after_a_minute_or_a_hundredth_of_the_ttl(
    ttl_seconds: float, idle: float, written: bool
) -> None:
    rules = SessionRules({"ttl_seconds": ttl_seconds, "max_sessions": 1})

    assert rules._stale_touch(1000.0, 1000.0 + idle) is written


def test_a_session_keeps_the_past_states_its_bytes_allow_at_most_the_count() -> None:
    network = Session.create(preset("xor").spec).network
    size = 8 * network.spec.parameter_count
    rules = SessionRules({"ttl_seconds": 60, "max_sessions": 1, "history_bytes": 10 * size})

    assert rules._kept_history(network) == 10
    assert SessionRules({"ttl_seconds": 60, "max_sessions": 1})._kept_history(network) == 100


def test_a_new_room_shows_its_session_as_network_1_and_keeps_only_its_keys_digest() -> None:
    rules = SessionRules({"ttl_seconds": 60, "max_sessions": 2, "clock": Clock(500.0)})

    new = rules._new_room("s1")

    assert new.room == Room("s1", network=1, started="new", seen=500.0, left=None)
    assert new.owner == key_digest(new.key) and new.key not in (new.id, new.owner)
    assert len({new.id, new.key}) == 2 and min(len(new.id), len(new.key)) == 32


def test_no_more_rooms_than_sessions_and_only_the_owners_key_moves_one() -> None:
    rules = SessionRules({"ttl_seconds": 60, "max_sessions": 2})
    new = rules._new_room("s1")

    rules._admit_room(1)
    rules._check_owner(new.id, new.owner, new.key)
    rules._check_owner(new.id, new.owner, None)
    with pytest.raises(RoomsFull, match="maximum of 2 rooms"):
        rules._admit_room(2)
    with pytest.raises(NotRoomOwner):
        rules._check_owner(new.id, new.owner, "another key")
