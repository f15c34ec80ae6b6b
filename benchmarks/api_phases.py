"""API step, in one process and phase by phase: where a step's time goes, against the no-op.

The app is called as an ASGI app, without sockets or uvicorn (its lifespan run first, the
default SQLite store in a temporary directory), on uvloop as the server runs it. A timing layer
is put between each pair of the app's middlewares and around the router, and the step's
handler is timed where it runs, in its worker thread (the store's read and write, around
`store.edit`). One step of 3 layers of 32 (batch 16) alternates with one `GET /api/health`,
with the headers httpx sends (zstd accepted). Printed: the p50 of each request, the CPU time
of each (every thread), the page faults of a step, and the p50 and p10 of each phase of the
step and of the no-op (a phase runs from one mark to the next; on the way out, a middleware's
part runs from the inner layer's mark to its own). On a busy machine the p10s are the figures
to compare: the p50s move with the other work.

With `--profile FILE`, the worker thread's part of each step is profiled with cProfile (its
stats written to FILE) and the timings are not printed (the profile slows the step).

Run: `GLIBC_TUNABLES=… .venv/bin/python -m benchmarks.api_phases [--steps N] [--profile FILE]`,
with the Dockerfile's GLIBC_TUNABLES (`benchmarks.common.deployed_environment`), as the
server runs. Not a target: a diagnostic, like `faults.py`. It reads only what every version of
the app has had since the fourth round (middlewares, a router, `app.state.store`), so a copy of
it runs on an older tree the same way.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import functools
import os
import resource
import statistics
import tempfile
import time
from collections.abc import Iterator
from typing import Any

MARKS: list[tuple[str, float]] = []
"""(mark, time) of the request being timed, in order."""


def mark(name: str) -> None:
    """Notes that the request reached `name` now."""
    MARKS.append((name, time.perf_counter()))


class Mark:
    """An ASGI layer that marks a request's way in and its answer's way out."""

    def __init__(self, app: Any, name: str) -> None:
        self.app = app
        self.name = name

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        mark(f"in {self.name}")

        async def marked(message: Any) -> None:
            if message["type"] == "http.response.start":
                mark(f"out {self.name}")
            await send(message)

        await self.app(scope, receive, marked)


def instrument(app: Any, profiler: cProfile.Profile | None) -> None:
    """Puts a Mark between each pair of the app's middlewares and around its router, and
    marks the step handler's part in its worker thread."""
    import fastapi.routing
    from fastapi.routing import APIRoute
    from starlette.middleware import Middleware

    layered: list[Any] = [Middleware(Mark, name="app")]
    for middleware in app.user_middleware:
        layered += [middleware, Middleware(Mark, name=f"after {middleware.cls.__name__}")]
    app.user_middleware[:] = layered
    router = app.router
    original = router.__call__

    async def routed(scope: Any, receive: Any, send: Any) -> None:
        await Mark(original, "router")(scope, receive, send)

    app.router = _Routed(router, routed)
    solve = fastapi.routing.solve_dependencies

    async def marked_solve(*args: Any, **kwargs: Any) -> Any:
        mark("dependencies")
        try:
            return await solve(*args, **kwargs)
        finally:
            mark("dependencies solved")

    fastapi.routing.solve_dependencies = marked_solve  # type: ignore[assignment]
    for route in _routes(router):
        if isinstance(route, APIRoute) and route.path.endswith("/step") and "POST" in route.methods:
            # An included route's handler is built again, from its endpoint, on first use.
            route.endpoint = _marked(route.endpoint, profiler)


def _marked(handler: Any, profiler: cProfile.Profile | None) -> Any:
    """`handler`, marking its start and end in its thread (and profiled while it runs)."""

    @functools.wraps(handler)
    def marked_handler(*args: Any, **kwargs: Any) -> Any:
        mark("handler")
        if profiler is not None:
            profiler.enable()
        try:
            return handler(*args, **kwargs)
        finally:
            if profiler is not None:
                profiler.disable()
            mark("handler returned")

    return marked_handler


def _routes(router: Any) -> Iterator[Any]:
    """Every route of `router`, those of the routers it includes too."""
    for route in router.routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from _routes(included)
        else:
            yield route


class _Routed:
    """The app's router, called through a Mark (attributes read through to it)."""

    def __init__(self, router: Any, call: Any) -> None:
        self._router = router
        self._call = call

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self._call(scope, receive, send)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._router, name)


@contextlib.contextmanager
def timed_edit(store: Any) -> Iterator[None]:
    """Marks the store's read (entering `edit`) and write (leaving it) of the step."""
    original = store.edit

    @contextlib.contextmanager
    def edit(*args: Any, **kwargs: Any) -> Iterator[Any]:
        mark("store read")
        with original(*args, **kwargs) as session:
            mark("store read done")
            yield session
            mark("store write")
        mark("store write done")

    store.edit = edit
    try:
        yield
    finally:
        store.edit = original


HEADERS = [
    (b"host", b"127.0.0.1"),
    (b"accept", b"*/*"),
    (b"accept-encoding", b"gzip, deflate, zstd"),
    (b"connection", b"keep-alive"),
    (b"user-agent", b"python-httpx/0.28.1"),
]


async def call(app: Any, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
    """One request through the whole app; its status and body (as sent, maybe compressed)."""
    headers = list(HEADERS)
    if method == "POST":
        headers.append((b"content-length", str(len(body)).encode()))
        if body:
            headers.append((b"content-type", b"application/json"))
    path, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    sent = False
    status = 0
    chunks: list[bytes] = []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(chunks)


async def lifespan(app: Any) -> tuple[asyncio.Task[None], asyncio.Queue[Any]]:
    """Starts the app's lifespan; returns its task and the queue that ends it."""
    incoming: asyncio.Queue[Any] = asyncio.Queue()
    outgoing: asyncio.Queue[Any] = asyncio.Queue()
    await incoming.put({"type": "lifespan.startup"})
    task = asyncio.ensure_future(
        app(
            {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}},
            incoming.get,
            outgoing.put,
        )
    )
    started = await outgoing.get()
    assert started["type"] == "lifespan.startup.complete", started
    return task, incoming


def phases(marks: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """(from → to, seconds) for each pair of consecutive marks."""
    return [(f"{a} → {b}", tb - ta) for (a, ta), (b, tb) in zip(marks, marks[1:], strict=False)]


async def run(steps: int, profile: str | None) -> None:
    import orjson

    from app.main import create_app
    from benchmarks.common import layers_of

    profiler = cProfile.Profile() if profile else None
    app = create_app()
    instrument(app, profiler)
    task, incoming = await lifespan(app)
    spec = layers_of(32)
    status, created = await call(app, "POST", "/api/sessions", orjson.dumps(spec))
    assert status == 201, (status, created[:300])
    import zstandard

    created = zstandard.ZstdDecompressor().decompressobj().decompress(created)
    session_id = orjson.loads(created)["id"]
    step_path = f"/api/sessions/{session_id}/step"
    step_times: list[float] = []
    noop_times: list[float] = []
    sizes: list[int] = []
    faults: list[int] = []
    cpu_times: list[tuple[float, float]] = []
    by_phase: dict[str, list[float]] = {}
    noop_phases: dict[str, list[float]] = {}
    with timed_edit(app.state.store):
        for i in range(steps + 200):
            MARKS.clear()
            faulted = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            cpu = time.process_time()
            start = time.perf_counter()
            status, body = await call(app, "POST", step_path)
            took = time.perf_counter() - start
            step_cpu = time.process_time() - cpu
            faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faulted)
            assert status == 200, (status, body[:300])
            step_marks = list(MARKS)
            start = time.perf_counter()
            MARKS.clear()
            cpu = time.process_time()
            status, _ = await call(app, "GET", "/api/health")
            noop = time.perf_counter() - start
            noop_cpu = time.process_time() - cpu
            assert status == 200
            noop_marks = list(MARKS)
            if i < 200:  # warm-up
                continue
            step_times.append(took)
            noop_times.append(noop)
            cpu_times.append((step_cpu, noop_cpu))
            sizes.append(len(body))
            for name, seconds in phases(step_marks):
                by_phase.setdefault(name, []).append(seconds)
            for name, seconds in phases(noop_marks):
                noop_phases.setdefault(name, []).append(seconds)
    incoming.put_nowait({"type": "lifespan.shutdown"})
    await task
    if profiler is not None:
        profiler.dump_stats(profile)
        print(f"profile of the worker thread's part written to {profile}")
        return
    ms = 1000
    step_p50 = statistics.median(step_times) * ms
    noop_p50 = statistics.median(noop_times) * ms
    print(
        f"step p50 {step_p50:.3f} ms, no-op p50 {noop_p50:.3f} ms: {step_p50 / noop_p50:.2f}×, "
        f"{step_p50 - noop_p50:.3f} ms more; answers as sent {min(sizes)}–{max(sizes)} B; "
        f"page faults a step: median {statistics.median(faults[200:])}, "
        f"mean {statistics.mean(faults[200:]):.1f}"
    )
    step_cpu = statistics.mean(c for c, _ in cpu_times) * ms
    noop_cpu = statistics.mean(c for _, c in cpu_times) * ms
    print(
        f"CPU time (every thread), mean: step {step_cpu:.3f} ms, no-op {noop_cpu:.3f} ms, "
        f"{step_cpu - noop_cpu:.3f} ms more"
    )
    for title, timed in (("step", by_phase), ("no-op", noop_phases)):
        print(f"{title}, phase by phase (p50, and p10 the least disturbed):")
        total = low = 0.0
        for name, values in timed.items():
            p50 = statistics.median(values) * ms
            p10 = statistics.quantiles(values, n=10)[0] * ms
            total += p50
            low += p10
            print(f"  {p50:7.3f} ms  {p10:7.3f} ms  {name}")
        print(f"  {total:7.3f} ms  {low:7.3f} ms  the phases summed")


def main(argv: list[str] | None = None) -> int:
    """Times (or profiles) `--steps` steps alternating with the no-op."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1600, help="steps timed (1600)")
    parser.add_argument("--profile", help="profile the worker thread's part into this file")
    args = parser.parse_args(argv)
    import uvloop

    from benchmarks.common import as_deployed

    if not as_deployed():
        print("(not run with the Dockerfile's GLIBC_TUNABLES: the server's allocator differs)")

    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        os.environ["STORE"] = f"sqlite:///{tmp}/sessions.sqlite3"
        uvloop.run(run(args.steps, args.profile))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
