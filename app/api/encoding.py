"""How answers go out: tensors as nested JSON lists or typed arrays, compressed as the client
accepts.

Every endpoint that answers with tensors (POST /api/trace, the session moves, and a session's
current parameters: create, read, reset) takes `encoding`. The typed arrays are Plotly's
`{"dtype": "f8", "bdata", "shape"}`: about 1.33× the raw float64 bytes against about 2.7× for
the lists, and quicker to make and to read.

Answers are compressed by starlette-compress: zstd where the client takes it (httpx and urllib3
with the `zstandard` package, which this app installs; Chromium over HTTPS and from localhost),
else gzip (every browser). Typed-array answers and a view's events go out as they are
(`Compression`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette_compress import CompressMiddleware, add_compress_type, remove_compress_type

from app.schemas import Encoding

BINARY_QUERY = b"encoding=binary"
"""The query parameter that asks for typed arrays, as it stands in a query string."""

ZSTD_LEVEL = 1
"""zstd's level 1: for answers of decimal numbers its levels 2 and 3 take 1.5 and 2 times as
long for a 5 % smaller answer, and its negative levels hardly compress them (0.75 against 0.42
of the JSON)."""

GZIP_LEVEL = 1
"""gzip's quickest level: 0.48 of the JSON, against 0.46 at level 4 in three times as long."""

MINIMUM_BYTES = 1000
"""Smaller answers go out as they are: compressing them saves less than it costs."""


EncodingQuery = Annotated[
    Encoding,
    Query(
        description="`json` (default): each tensor's `data` as nested lists of numbers. "
        '`binary`: as a typed array `{"dtype": "f8", "bdata": base64, "shape": "r, c"}` '
        "(little-endian float64, row-major) that Plotly.js draws as it is and NumPy "
        'reads with `np.frombuffer(base64.b64decode(bdata), "<f8").reshape(shape)`.',
    ),
]


async def encoding(encoding: EncodingQuery = "json") -> Encoding:
    """The encoding a request asks for."""
    return encoding


EncodingDep = Annotated[Encoding, Depends(encoding)]


@dataclass(frozen=True)
class Held:
    """Tensors a client holds from earlier answers: `names` of iteration `iteration` (from 1),
    in the notation it asks in. A move's answer sends them without their entries."""

    iteration: int | None = None
    names: frozenset[str] = frozenset()

    def of(self, iteration: int) -> frozenset[str]:
        """The names held of `iteration` (none when the client holds another's)."""
        return self.names if iteration == self.iteration else frozenset()


NOTHING_HELD = Held()


HeldQuery = Annotated[
    str,
    Query(
        description="Tensors the client already holds, comma-separated names (`W1,gradW1`), "
        "from earlier answers of this session in the same notation and encoding, of "
        "iteration `held_iteration`: when the step shown is of that iteration, each of "
        "them that it shows is sent with `data` null (a step's operands are earlier steps' "
        "results; the update shows nearly every tensor of its iteration again). Read with "
        "the session, the W_i held of the iteration it is in (its current weights, the "
        "last update's W_i (new)) are sent null.",
    ),
]
HeldIterationQuery = Annotated[
    int | None, Query(ge=1, description="The iteration (from 1) the `held` tensors are of.")
]


def held_of(held: str, held_iteration: int | None) -> Held:
    """The tensors `held` (comma-separated names) of iteration `held_iteration`."""
    names = frozenset(name for name in held.split(",") if name)
    return Held(held_iteration, names) if names and held_iteration else NOTHING_HELD


async def held(held: HeldQuery = "", held_iteration: HeldIterationQuery = None) -> Held:
    """The tensors a move's request says its client holds."""
    return held_of(held, held_iteration)


HeldDep = Annotated[Held, Depends(held)]


class Compression:
    """starlette-compress's middleware, except for answers asked for as typed arrays.

    Base64 of float64 compresses to about 0.75 of itself, in more time than the answer takes
    to make (gzip: half a second for the 7.6 MB trace of 784-256-128-10, on the event loop,
    where every other request waits); such answers are asked for to be quick.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.compressed = CompressMiddleware(
            app,
            minimum_size=MINIMUM_BYTES,
            zstd_level=ZSTD_LEVEL,
            brotli=False,
            gzip_level=GZIP_LEVEL,
        )
        # A streamed training run's lines go out as they are made (flushed one by one).
        add_compress_type("application/jsonl", streaming=True)
        # A view's events go out as they are: every follower would have the same answer
        # compressed again for it (a room of 200 on gzip: 200 × ~1 ms a step).
        remove_compress_type("text/event-stream")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and BINARY_QUERY in scope.get("query_string", b""):
            await self.app(scope, receive, send)
        else:
            await self.compressed(scope, receive, send)
