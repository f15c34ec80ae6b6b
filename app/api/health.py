"""Liveness and readiness, for load balancers, orchestrators and humans.

`GET /api/health` says the process is up, and never touches the store: a Redis outage must not
make an orchestrator restart every replica. Its body says what the process last learnt of its
store, from a request the store refused, from `/api/ready`, or from a look of its own that it
takes after answering when what it knows is older than a few seconds. `GET /api/ready` asks the
store itself: 200 when it answers, 503 saying why when it does not.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Annotated, Literal, cast

import anyio
from fastapi import APIRouter, BackgroundTasks, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from app import schemas
from app.config import app_version
from app.store import SessionStore, StoreUnavailable

router = APIRouter(prefix="/api", tags=["health"])

RECHECK_SECONDS = 5.0
"""Health looks at the store again (after answering) when what it knows is older than this."""

READY_SECONDS = 1.5
"""How long /api/ready waits for the store before it answers 503: within a probe's timeout."""


@dataclass(frozen=True)
class StoreState:
    """What a process last learnt of its store, and when (`time.monotonic()`)."""

    status: Literal["ok", "unavailable", "unknown"]
    detail: str | None = None
    learnt: float | None = None


class StoreWatch:
    """The store's state as this process last learnt it; safe for threads."""

    def __init__(self, store: SessionStore) -> None:
        self.store = store
        self.state = StoreState("unknown")
        self._looking = threading.Lock()

    def look(self) -> StoreState:
        """Asks the store (blocking: run it in a worker thread) and remembers the answer."""
        try:
            self.store.ping()
        except StoreUnavailable as error:
            self.refused(str(error))
        else:
            self.state = StoreState("ok", None, time.monotonic())
        return self.state

    def look_unless_looking(self) -> None:
        """`look`, unless another thread is looking already."""
        if self._looking.acquire(blocking=False):
            try:
                self.look()
            finally:
                self._looking.release()

    def refused(self, detail: str) -> None:
        """Remembers that the store refused a request, and why."""
        self.state = StoreState("unavailable", detail, time.monotonic())

    def stale(self) -> bool:
        """True when what is known is older than RECHECK_SECONDS, or nothing is."""
        learnt = self.state.learnt
        return learnt is None or time.monotonic() - learnt > RECHECK_SECONDS


async def store_watch(request: Request) -> StoreWatch:
    """The app's watch on its store, made at start-up."""
    return cast(StoreWatch, request.app.state.store_watch)


WatchDep = Annotated[StoreWatch, Depends(store_watch)]


class Health(BaseModel):
    """The process is up; what it last learnt of its store."""

    status: Literal["ok"] = Field(description="Always `ok`: the process answers.")
    version: str = Field(description="The app's version.")
    store: str = Field(description='The kind of store: "memory", "sqlite" or "redis".')
    store_status: Literal["ok", "unavailable", "unknown"] = Field(
        description="What this process last learnt of its store: `unknown` before it learnt "
        "anything (looked at after this answer)."
    )
    store_detail: str | None = Field(
        description="Why the store is unavailable, in words; null otherwise."
    )
    store_learnt_seconds_ago: float | None = Field(
        description="How long ago that was learnt; null before it was."
    )


class Ready(BaseModel):
    """The store answers."""

    status: Literal["ready"] = Field(description="Always `ready`.")
    store: str = Field(description='The kind of store: "memory", "sqlite" or "redis".')


@router.get("/health")
async def read_health(watch: WatchDep, background: BackgroundTasks) -> Health:
    """Says the server is up, its version, its kind of store and what it last learnt of it
    (always 200; touches no store while answering: liveness)."""
    if watch.stale():
        background.add_task(watch.look_unless_looking)
    state = watch.state
    return Health(
        status="ok",
        version=app_version(),
        store=watch.store.kind,
        store_status=state.status,
        store_detail=state.detail,
        store_learnt_seconds_ago=(
            None if state.learnt is None else round(time.monotonic() - state.learnt, 3)
        ),
    )


@router.get(
    "/ready",
    response_model=Ready,
    responses={503: {"model": schemas.Problem, "description": "The store does not answer."}},
)
async def read_ready(watch: WatchDep) -> JSONResponse:
    """200 when the session store answers, 503 saying why when it does not (readiness: send
    this process no requests then)."""
    with anyio.move_on_after(READY_SECONDS):
        state = await anyio.to_thread.run_sync(watch.look, abandon_on_cancel=True)
        if state.status == "ok":
            return JSONResponse(Ready(status="ready", store=watch.store.kind).model_dump())
        return JSONResponse({"detail": state.detail}, status_code=503)
    detail = f"the session store ({watch.store.kind}) did not answer within {READY_SECONDS} s"
    watch.refused(detail)
    return JSONResponse({"detail": detail}, status_code=503)
