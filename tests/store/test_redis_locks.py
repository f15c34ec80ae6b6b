"""Session locks in Redis: requests on one session are serialised across processes, a waiter
gives up after its wait, a holder's lease is renewed while it works and a dead one's lapses.

Two RedisStore objects on one database stand for two processes.
"""

from __future__ import annotations

import threading
import time

import pytest

from app.engine import Session
from app.store import RedisStore, SessionBusy, SessionConflict

from .conftest import MakeRedisStore


def test_edits_through_two_processes_are_serialised_by_the_lock_in_redis(
    make_redis_store: MakeRedisStore, xor_session: Session
) -> None:
    stores = [make_redis_store(), make_redis_store()]
    session_id = stores[0].create(xor_session)
    start = threading.Barrier(16)

    def step(store: RedisStore) -> None:
        start.wait()
        for _ in range(5):
            with store.edit(session_id) as session:
                session.step()

    threads = [threading.Thread(target=step, args=(stores[n % 2],)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    stepped = stores[1].get(session_id)
    assert (stepped.iteration, stepped.cursor) == divmod(80, 6)


def test_a_request_gives_up_waiting_for_a_session_held_elsewhere(
    make_redis_store: MakeRedisStore, xor_session: Session
) -> None:
    holder, impatient = make_redis_store(), make_redis_store(lock_wait=0.05)
    session_id = holder.create(xor_session)

    with holder.edit(session_id) as session:
        session.step()
        with pytest.raises(SessionBusy, match="busy"), impatient.edit(session_id):
            pass

    assert impatient.get(session_id).cursor == 1


def test_a_lock_is_renewed_while_its_request_runs_and_a_dead_holders_lapses_in_a_lease(
    make_redis_store: MakeRedisStore, xor_session: Session
) -> None:
    holder = make_redis_store(lock_lease=0.3)
    other = make_redis_store(lock_lease=0.3, lock_wait=0.05)
    session_id = holder.create(xor_session)

    with holder.edit(session_id) as session:
        session.step()
        time.sleep(1.0)  # over three leases
        with pytest.raises(SessionBusy), other.edit(session_id):
            pass
    holder.redis.set(holder.key("lock", session_id), "a holder that died", px=300)
    time.sleep(0.35)
    with other.edit(session_id) as session:
        session.step()

    assert holder.get(session_id).cursor == 2


def test_a_change_made_after_the_lock_lapsed_is_refused_not_lost(
    make_redis_store: MakeRedisStore, xor_session: Session
) -> None:
    slow, other = make_redis_store(), make_redis_store()
    session_id = slow.create(xor_session)

    with pytest.raises(SessionConflict), slow.edit(session_id) as session:
        session.step()
        slow.redis.delete(slow.key("lock", session_id))  # as if it outlived its timeout
        with other.edit(session_id) as theirs:
            theirs.train(1)

    assert (slow.get(session_id).iteration, slow.get(session_id).cursor) == (1, 0)
