"""Turns: requests on one session wait for each other on the event loop, first come first
served, at most the wait; requests on other sessions never wait for them. (The real server
under 60 waiters: tests/test_session_locks.py.)"""

from __future__ import annotations

import time

import anyio

from app.api.turns import Turns
from app.store import SessionBusy
from app.store.base import wait_left


def test_turns_on_one_key_are_taken_one_after_another_in_the_order_asked() -> None:
    turns = Turns(wait=5)
    order: list[int] = []

    async def request(n: int) -> None:
        async with turns.take("session"):
            order.append(n)
            await anyio.sleep(0.01)

    async def main() -> None:
        async with anyio.create_task_group() as group:
            for n in range(20):
                group.start_soon(request, n)
                await anyio.sleep(0)  # each asks after the one before

    anyio.run(main)

    assert order == list(range(20))
    assert len(turns) == 0  # forgotten once nobody holds or awaits it


def test_a_turn_not_had_within_the_wait_is_session_busy_and_other_keys_never_wait() -> None:
    turns = Turns(wait=0.2)
    seen: dict[str, object] = {}

    async def waiter(key: str) -> None:
        started = time.monotonic()
        try:
            async with turns.take(key):
                seen[key] = time.monotonic() - started
        except SessionBusy:
            seen[key] = ("busy", time.monotonic() - started)

    async def main() -> None:
        async with turns.take("stuck"), anyio.create_task_group() as group:
            group.start_soon(waiter, "stuck")
            group.start_soon(waiter, "other")
            await anyio.sleep(0.5)

    anyio.run(main)

    busy, waited = seen["stuck"]
    assert busy == "busy" and 0.15 < waited < 0.5
    assert seen["other"] < 0.05


def test_the_block_of_a_turn_has_what_is_left_of_the_wait_for_the_stores_lock() -> None:
    turns = Turns(wait=1.0)
    left: list[float] = []

    async def main() -> None:
        async with turns.take("session"):
            await anyio.sleep(0.3)
            left.append(wait_left(30.0))

    anyio.run(main)

    assert 0.5 < left[0] < 0.75
    assert wait_left(30.0) == 30.0  # outside a turn, a store waits its own time
