"""The SessionStore contract, run against every kind of store."""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np
import pytest

from app.engine import CannotMove, Session, preset
from app.store import SessionNotFound, SessionStore, StoreFull
from app.store.base import LockTable, new_session_id

from .conftest import Clock


def same(a: Session, b: Session) -> bool:
    """Equal position, losses, parameters and history, bit for bit."""
    return (
        (a.iteration, a.cursor) == (b.iteration, b.cursor)
        and np.array_equal(np.array(a.losses), np.array(b.losses), equal_nan=True)
        and a.parameters.flat().tobytes() == b.parameters.flat().tobytes()
        and a.initial.flat().tobytes() == b.initial.flat().tobytes()
        and [p.flat().tobytes() for p in a.history] == [p.flat().tobytes() for p in b.history]
    )


def assert_gone(store: SessionStore, session_id: str) -> None:
    """The session is not found, and no session is counted."""
    with pytest.raises(SessionNotFound):
        store.get(session_id)
    assert store.count() == 0


def test_session_ids_carry_192_random_bits() -> None:
    ids = {new_session_id() for _ in range(1000)}

    assert len(ids) == 1000
    assert {len(i) for i in ids} == {32}


def test_a_created_session_comes_back_exactly(store: SessionStore, xor_session: Session) -> None:
    xor_session.train(3)
    xor_session.step()

    session_id = store.create(xor_session)

    assert same(store.get(session_id), xor_session)
    assert store.get(session_id).network.spec.to_dict() == xor_session.network.spec.to_dict()


def test_an_unknown_id_is_not_found(store: SessionStore) -> None:
    with pytest.raises(SessionNotFound, match="no session with id 'nope'"):
        store.get("nope")
    with pytest.raises(SessionNotFound), store.edit("nope"):
        pass
    with pytest.raises(SessionNotFound):
        store.delete("nope")
    with pytest.raises(SessionNotFound):
        store.save("nope", Session.create(preset("xor").spec))


def test_save_replaces_the_stored_state(store: SessionStore, xor_session: Session) -> None:
    session_id = store.create(xor_session)
    xor_session.train(5)
    xor_session.goto(3)

    store.save(session_id, xor_session)

    assert same(store.get(session_id), xor_session)


@pytest.mark.parametrize(
    "moves",
    [["step"], ["step"] * 6, ["step"] * 7 + ["back"] * 2, ["train"], ["train", "reset"]],
    ids=lambda m: "+".join(m),
)
def test_edit_saves_what_the_block_did(
    store: SessionStore, xor_session: Session, moves: list[str]
) -> None:
    session_id = store.create(xor_session)
    for move in moves:
        with store.edit(session_id) as session:
            getattr(session, move)(*([4] if move == "train" else []))
        getattr(xor_session, move)(*([4] if move == "train" else []))

    assert same(store.get(session_id), xor_session)


def test_an_edit_that_fails_saves_nothing(store: SessionStore, xor_session: Session) -> None:
    session_id = store.create(xor_session)
    with store.edit(session_id) as session:
        session.train(2)
    before = store.get(session_id)

    with pytest.raises(CannotMove), store.edit(session_id) as session:
        session.step()
        session.goto(99)

    assert same(store.get(session_id), before)


def test_read_saves_nothing(store: SessionStore, xor_session: Session) -> None:
    session_id = store.create(xor_session)

    with store.read(session_id) as session:
        session.step()

    assert store.get(session_id).cursor == 0


def test_a_deleted_session_is_gone(store: SessionStore, xor_session: Session) -> None:
    session_id = store.create(xor_session)

    store.delete(session_id)

    assert_gone(store, session_id)


def test_count_counts_live_sessions(store: SessionStore, xor_session: Session) -> None:
    for _ in range(3):
        store.create(xor_session)

    assert store.count() == 3


def test_a_session_idle_past_its_ttl_is_gone_and_purged(
    make_store: Callable[..., SessionStore], clock: Clock, xor_session: Session
) -> None:
    store = make_store(ttl_seconds=60)
    session_id = store.create(xor_session)
    clock.advance(61)

    assert_gone(store, session_id)


def test_using_a_session_keeps_it_alive(
    make_store: Callable[..., SessionStore], clock: Clock, xor_session: Session
) -> None:
    store = make_store(ttl_seconds=600)
    session_id = store.create(xor_session)
    for _ in range(5):
        clock.advance(500)
        with store.edit(session_id) as session:
            session.step()

    assert store.get(session_id).cursor == 5


def test_expire_purges_only_the_idle_sessions(
    make_store: Callable[..., SessionStore], clock: Clock, xor_session: Session
) -> None:
    store = make_store(ttl_seconds=60)
    old = [store.create(xor_session) for _ in range(3)]
    clock.advance(30)
    young = store.create(xor_session)
    clock.advance(31)

    assert store.expire() == 3
    assert store.count() == 1
    assert store.get(young).cursor == 0
    with pytest.raises(SessionNotFound):
        store.get(old[0])


def test_a_full_store_refuses_a_new_session(
    make_store: Callable[..., SessionStore], xor_session: Session
) -> None:
    store = make_store(max_sessions=2)
    store.create(xor_session)
    store.create(xor_session)

    with pytest.raises(StoreFull, match="maximum of 2 sessions"):
        store.create(xor_session)
    assert store.count() == 2


def test_expired_sessions_make_room_for_new_ones(
    make_store: Callable[..., SessionStore], clock: Clock, xor_session: Session
) -> None:
    store = make_store(max_sessions=1, ttl_seconds=60)
    store.create(xor_session)
    clock.advance(61)

    store.create(xor_session)

    assert store.count() == 1


def test_edits_of_one_session_from_many_threads_are_serialised(
    store: SessionStore, xor_session: Session
) -> None:
    session_id = store.create(xor_session)
    start = threading.Barrier(16)

    def step() -> None:
        start.wait()
        for _ in range(5):
            with store.edit(session_id) as session:
                session.step()

    threads = [threading.Thread(target=step) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    stepped = store.get(session_id)
    assert (stepped.iteration, stepped.cursor) == divmod(80, 6)


def test_a_diverged_session_round_trips_with_its_nan_and_infinity(
    store: SessionStore,
) -> None:
    spec = {
        "layers": [1, 1],
        "activations": ["identity"],
        "bias": False,
        "inputs": [[1e300]],
        "targets": [[0.0]],
        "weights": [[[1e300]]],
    }
    session = Session.create(spec)
    session.train(3)
    assert not np.isfinite(session.parameters.flat()).any()

    assert same(store.get(store.create(session)), session)


def test_a_lock_table_forgets_a_key_nobody_holds() -> None:
    locks = LockTable()

    with locks.hold("a"):
        assert len(locks) == 1

    assert len(locks) == 0
