"""MemoryStore: sessions in a dict, each handed out and taken in as a copy."""

from __future__ import annotations

from app.engine import Session
from app.store import MemoryStore


def memory_store() -> MemoryStore:
    return MemoryStore(ttl_seconds=3600, max_sessions=10)


def test_changing_a_session_handed_out_does_not_change_the_store(xor_session: Session) -> None:
    store = memory_store()
    session_id = store.create(xor_session)

    handed_out = store.get(session_id)
    handed_out.train(3)

    assert store.get(session_id).iteration == 0
    assert store.get(session_id).history == []


def test_changing_a_session_after_storing_it_does_not_change_the_store(
    xor_session: Session,
) -> None:
    store = memory_store()
    session_id = store.create(xor_session)

    xor_session.train(2)

    assert store.get(session_id).losses == []


def test_close_forgets_every_session(xor_session: Session) -> None:
    store = memory_store()
    store.create(xor_session)

    store.close()

    assert store.count() == 0
