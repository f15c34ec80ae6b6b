"""app.api.turns: requests on one session take turns, first come first served, on the event
loop; other sessions' requests do not wait; a request that waits too long is refused as busy."""

from __future__ import annotations

from typing import Any

import anyio

from app.api.turns import Turns
from app.store import SessionBusy
from app.store.base import wait_left

Task = tuple[Any, ...]
"""An async function, then its arguments."""


def first_then_others(first: Task, *others: Task) -> None:
    """Runs the task `first` (a function and its arguments) and, 10 ms later, when it has taken
    its turn, the tasks `others`, all on one event loop; returns when all are done."""

    async def main() -> None:
        async with anyio.create_task_group() as group:
            group.start_soon(*first)
            await anyio.sleep(0.01)
            for other in others:
                group.start_soon(*other)

    anyio.run(main)


async def hold(turns: Turns, key: str, seconds: float) -> None:
    """Takes the turn of `key` and keeps it `seconds`."""
    async with turns.take(key):
        await anyio.sleep(seconds)


def test_requests_on_one_session_take_turns_in_the_order_they_came() -> None:
    turns = Turns(wait=5.0)
    order: list[str] = []

    async def request(name: str, key: str, seconds: float) -> None:
        async with turns.take(key):
            order.append(f"{name} in")
            await anyio.sleep(seconds)
            order.append(f"{name} out")

    first_then_others(
        (request, "first", "s1", 0.05),
        (request, "second", "s1", 0.0),
        (request, "other session", "s2", 0.0),
    )

    assert order.index("first out") < order.index("second in")
    assert order.index("other session out") < order.index("first out")
    assert len(turns) == 0  # a key nobody holds or awaits is forgotten


def test_a_request_that_waits_longer_than_the_wait_is_refused_as_busy() -> None:
    turns = Turns(wait=0.05)
    refused: list[BaseException] = []

    async def waiter() -> None:
        try:
            async with turns.take("s1"):
                pass
        except SessionBusy as busy:
            refused.append(busy)

    first_then_others((hold, turns, "s1", 0.3), (waiter,))

    assert len(refused) == 1
    assert len(turns) == 0


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


def test_a_free_turn_is_taken_without_letting_other_tasks_run_first() -> None:
    turns = Turns(wait=5.0)
    order: list[str] = []

    async def other() -> None:
        order.append("other task")

    async def main() -> None:
        async with anyio.create_task_group() as group:
            group.start_soon(other)
            async with turns.take("s1"):
                order.append("in the turn")

    anyio.run(main)

    assert order == ["in the turn", "other task"]


def test_a_request_arriving_as_a_turn_is_released_waits_behind_those_already_waiting() -> None:
    turns = Turns(wait=5.0)
    order: list[str] = []

    async def request(name: str) -> None:
        async with turns.take("s1"):
            order.append(name)

    async def main() -> None:
        async with anyio.create_task_group() as group:
            async with turns.take("s1"):
                group.start_soon(request, "waiting")
                await anyio.sleep(0.01)  # "waiting" now waits for the turn
            await request("newcomer")  # the turn is free, but "waiting" is first in line

    anyio.run(main)

    assert order == ["waiting", "newcomer"]
