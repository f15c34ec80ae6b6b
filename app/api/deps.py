"""Dependencies of the handlers, as Annotated aliases; the store's life follows the app's.

The dependencies are `async def` although they await nothing: they only read the app's state,
and FastAPI runs a plain `def` dependency in a worker thread, a hop that costs more than they do.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Annotated, cast

from fastapi import Depends, FastAPI, Request

from app.config import Settings
from app.engine import Limits
from app.store import SessionStore, StoreUnavailable, from_url

from .turns import Turns


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
    )


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Opens the store at start-up (creating its directory), purges expired sessions, and
    closes it at shutdown."""
    store = open_store(app.state.settings)
    with suppress(StoreUnavailable):  # a full disk: serve reads, purge later
        store.expire()
    app.state.store = store
    app.state.turns = Turns(app.state.settings.lock_wait_seconds)
    try:
        yield
    finally:
        store.close()
