"""Read-only view ids: an alias of a session that is not its id and dies with it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.engine import Session, preset
from app.store import SessionNotFound, SessionStore, ViewNotFound

from .conftest import Clock, assert_no_session

MakeStore = Callable[..., SessionStore]


def new_session() -> Session:
    return Session.create(preset("xor").spec)


def test_a_view_id_is_stable_unguessable_and_not_the_session_id(make_store: MakeStore) -> None:
    store = make_store()
    session_id = store.create(new_session())
    view_id = store.create_view(session_id)
    assert view_id != session_id
    assert len(view_id) >= 22  # at least 128 bits in URL-safe base64
    assert store.create_view(session_id) == view_id
    assert store.resolve_view(view_id) == session_id
    other = store.create(new_session())
    assert store.create_view(other) not in (view_id, other)


def test_a_view_id_opens_no_session_and_a_session_id_is_no_view(make_store: MakeStore) -> None:
    store = make_store()
    session_id = store.create(new_session())
    view_id = store.create_view(session_id)
    assert_no_session(store, view_id)
    with pytest.raises(ViewNotFound):
        store.resolve_view(session_id)
    with pytest.raises(SessionNotFound):
        store.create_view("no-such-session")


def test_a_view_goes_with_its_deleted_or_expired_session(
    make_store: MakeStore, clock: Clock
) -> None:
    store = make_store(ttl_seconds=100)
    deleted, expired = store.create(new_session()), store.create(new_session())
    deleted_view, expired_view = store.create_view(deleted), store.create_view(expired)
    store.delete(deleted)
    with pytest.raises(ViewNotFound):
        store.resolve_view(deleted_view)
    clock.advance(101)
    with pytest.raises(ViewNotFound):
        store.resolve_view(expired_view)
    store.expire()
    with pytest.raises(ViewNotFound):
        store.resolve_view(expired_view)
