"""Requests on one session take turns on the event loop, before they take a worker thread.

FastAPI runs a plain `def` handler in a worker thread, of which there are 40. A request that
had to wait for its session inside one (on the store's lock) held that thread for the whole
wait: 60 requests on one busy session took all 40, and every other session's requests and
`/api/health` waited with them. Here a request on a session (a path with `{session_id}` or
`{view_id}`) waits for its turn in this process without a thread; only the request whose turn
it is goes on to the store's lock (across processes, in Redis) in a worker thread. The wait
here and there together is at most LOCK_WAIT_SECONDS, then 409 (SessionBusy).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Annotated, cast

import anyio
from fastapi import Depends, Request

from app.store import SessionBusy
from app.store.base import waiting_until

SESSION_PARAMETERS = ("session_id", "view_id")
"""The path parameters that name a session (a view names its session's followers' turn)."""


@dataclass
class _Turn:
    lock: anyio.Lock = field(default_factory=anyio.Lock)
    users: int = 0


class Turns:
    """One turn per key at a time in this process, handed out first come, first served."""

    def __init__(self, wait: float) -> None:
        self.wait = wait
        self._turns: dict[str, _Turn] = {}

    @asynccontextmanager
    async def take(self, key: str) -> AsyncIterator[None]:
        """Waits (on the event loop) for `key`'s turn, at most `wait` seconds, then
        SessionBusy; the block then has what is left of the wait to get the store's lock."""
        deadline = time.monotonic() + self.wait
        turn = self._turns.setdefault(key, _Turn())
        turn.users += 1
        try:
            try:
                # A free turn nobody waits for is taken at once, without a timer and without
                # a pass through the event loop (most requests: one client, one session).
                turn.lock.acquire_nowait()
            except anyio.WouldBlock:
                try:
                    with anyio.fail_after(self.wait):
                        await turn.lock.acquire()
                except TimeoutError:
                    raise SessionBusy(key) from None
            try:
                with waiting_until(deadline):
                    yield
            finally:
                turn.lock.release()
        finally:
            turn.users -= 1
            if turn.users == 0:
                del self._turns[key]

    def __len__(self) -> int:
        """The number of keys some request holds or awaits."""
        return len(self._turns)


async def app_turns(request: Request) -> Turns:
    """The app's turns, made at start-up."""
    return cast(Turns, request.app.state.turns)


TurnsDep = Annotated[Turns, Depends(app_turns)]


async def session_turn(request: Request) -> AsyncIterator[None]:
    """The turn of the session the path names, held while the handler runs (not while a
    streamed answer is sent: a stream takes turns of its own). A dependency of every route,
    solved for every request: it reads the app's turns itself rather than through `TurnsDep`,
    and looks no further on a path that names no session."""
    key = next(
        (request.path_params[p] for p in SESSION_PARAMETERS if p in request.path_params), None
    )
    if key is None:
        yield
        return
    async with cast(Turns, request.app.state.turns).take(str(key)):
        yield
