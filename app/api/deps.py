"""Dependencies of the handlers, as Annotated aliases; the store's life follows the app's.

The dependencies are `async def` although they await nothing: they only read the app's state,
and FastAPI runs a plain `def` dependency in a worker thread, a hop that costs more than they do.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Annotated, cast

from fastapi import Depends, FastAPI, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import Settings
from app.engine import Limits
from app.store import (
    AssignmentLimits,
    SessionStore,
    StoreDamaged,
    StoreUnavailable,
    from_url,
    move_aside,
)

from .health import StoreWatch
from .turns import Turns

log = logging.getLogger(__name__)


async def app_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    return cast(Settings, request.app.state.settings)


SettingsDep = Annotated[Settings, Depends(app_settings)]


async def app_store(request: Request) -> SessionStore:
    """The app's session store, opened at start-up."""
    return cast(SessionStore, request.app.state.store)


StoreDep = Annotated[SessionStore, Depends(app_store)]


async def spec_limits(settings: SettingsDep) -> Limits:
    """The engine's limits on a spec, from the settings."""
    return Limits(
        max_width=settings.max_width,
        max_depth=settings.max_depth,
        max_parameters=settings.max_parameters,
        max_batch=settings.max_batch,
        max_activations=settings.max_activations,
    )


LimitsDep = Annotated[Limits, Depends(spec_limits)]


def open_store(settings: Settings) -> SessionStore:
    """The store `settings.store` names, with the TTL, session and history limits."""
    return from_url(
        settings.store,
        ttl_seconds=settings.session_ttl_seconds,
        max_sessions=settings.max_sessions,
        history_limit=settings.back_history,
        history_bytes=settings.max_history_bytes,
        lock_wait=settings.lock_wait_seconds,
        lock_lease=settings.lock_lease_seconds,
        assignment_limits=AssignmentLimits(
            ttl_seconds=settings.assignment_ttl_seconds,
            max_assignments=settings.max_assignments,
            max_students=settings.max_students,
        ),
    )


class StartupRefused(RuntimeError):
    """The app will not start, for a reason its operator must act on, said in one line."""


def open_checked_store(settings: Settings) -> SessionStore:
    """The store, once its file is known to be sound: a damaged one refuses the start
    (StartupRefused), or with DAMAGED_STORE=move-aside is moved aside for an empty one."""
    try:
        return open_store(settings)
    except StoreDamaged as damage:
        if settings.damaged_store != "move-aside":
            raise StartupRefused(str(damage)) from None
        moved = move_aside(damage.path)
        log.warning(
            "The session file %s was damaged (%s): moved aside to %s; starting with no sessions.",
            damage.path,
            damage.problem,
            moved,
        )
        return open_store(settings)


class SaysWhyStartupFailed:
    """ASGI middleware: a start-up the app refused (StartupRefused) is reported by its one
    line, not a traceback, before the server exits."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return

        async def send_the_reason(message: Message) -> None:
            refusal = sys.exc_info()[1]
            if message["type"] == "lifespan.startup.failed" and isinstance(refusal, StartupRefused):
                message = {**message, "message": str(refusal)}
            await send(message)

        with suppress(StartupRefused):  # reported: the server exits without a traceback
            await self.app(scope, receive, send_the_reason)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Opens the store at start-up (creating its directory, checking its file), purges expired
    sessions and assignments, and closes it at shutdown."""
    store = open_checked_store(app.state.settings)
    with suppress(StoreUnavailable):  # a full disk: serve reads, purge later
        store.expire()
        store.assignments.expire()
    app.state.store = store
    app.state.store_watch = StoreWatch(store)
    app.state.turns = Turns(app.state.settings.lock_wait_seconds)
    try:
        yield
    finally:
        store.close()
