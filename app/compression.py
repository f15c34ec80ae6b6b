"""Compressed answers: zstd when the client takes it, else gzip made with ISA-L.

Step answers are tens to hundreds of kilobytes of numbers written out in decimal. zstd at its
level 1 makes them smaller than gzip (0.42 of the JSON against 0.47) in less time, and its
decoding takes a fifth of gzip's: Chromium asks for it (over HTTPS and from localhost), as do
httpx and urllib3 where the `zstandard` package is installed (it is with this app). Everyone
else gets gzip by `isal` (Intel's ISA-L): standard gzip, at its level 2 about four times as fast
as zlib's level 1 and smaller. Answers asked for with `encoding=binary` go out as they are:
base64 of float64 hardly compresses (to about 0.8), and they are asked for to be quick.
"""

from __future__ import annotations

from typing import Any

import anyio.to_thread
import zstandard
from isal import isal_zlib
from starlette.datastructures import Headers
from starlette.middleware.gzip import GZipMiddleware, GZipResponder, IdentityResponder
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.encoding import BINARY_QUERY

GZIP_LEVEL = 2
"""ISA-L's level 2 of 0 … 3: for decimal numbers both quicker and smaller than its level 1."""

ZSTD_LEVEL = 1
"""zstd's level 1: its levels 2 and 3 take 1.5 and 2 times as long for a 5 % smaller answer."""

MINIMUM_BYTES = 1000
"""Smaller answers go out as they are: compressing them saves less than it costs."""

THREAD_MINIMUM_BYTES = 1024 * 1024
"""Larger answers are compressed in a worker thread (a few milliseconds) rather than on the
event loop; smaller ones take less than the trip to a thread (Starlette's default is 128 KiB,
for zlib's level 9)."""


def accepted_codings(header: str) -> set[str]:
    """The content codings an `Accept-Encoding` value accepts: those listed without `q=0`."""
    codings = set()
    for item in header.lower().split(","):
        coding, *params = item.split(";")
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if coding.strip() and quality > 0:
            codings.add(coding.strip())
    return codings


class _IsalResponder(GZipResponder):
    """Starlette's gzip responder with ISA-L's compressor instead of zlib's."""

    _isal: Any = None

    @property
    def compressor(self) -> Any:
        if self._isal is None:
            self._isal = isal_zlib.compressobj(
                self.compresslevel, isal_zlib.DEFLATED, 16 + isal_zlib.MAX_WBITS
            )
        return self._isal


class _ZstdResponder(IdentityResponder):
    """Starlette's responder framework writing zstd: one frame with its size for a whole
    answer; a flushed block per chunk for a streamed one (each line of a training run goes out
    as it is made)."""

    content_encoding = "zstd"

    def __init__(
        self, app: ASGIApp, minimum_size: int, *, exclude_content_types: tuple[str, ...]
    ) -> None:
        super().__init__(app, minimum_size, exclude_content_types=exclude_content_types)
        self._stream: Any = None

    async def apply_compression(self, body: bytes, *, more_body: bool) -> bytes:
        if self._stream is None and not more_body:
            if len(body) >= THREAD_MINIMUM_BYTES:
                return await anyio.to_thread.run_sync(_zstd_frame, body)
            return _zstd_frame(body)
        if self._stream is None:
            self._stream = zstandard.ZstdCompressor(level=ZSTD_LEVEL).compressobj()
        mode = (
            zstandard.COMPRESSOBJ_FLUSH_BLOCK if more_body else zstandard.COMPRESSOBJ_FLUSH_FINISH
        )
        chunk: bytes = self._stream.compress(body) + self._stream.flush(mode)
        return chunk


def _zstd_frame(body: bytes) -> bytes:
    # A compressor per answer: one is not safe to share between threads, and making one is
    # cheap next to compressing a step.
    frame: bytes = zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(body)
    return frame


class Compression(GZipMiddleware):
    """zstd or gzip as the client accepts, except for typed-array answers."""

    def __init__(self, app: ASGIApp) -> None:
        super().__init__(
            app,
            minimum_size=MINIMUM_BYTES,
            compresslevel=GZIP_LEVEL,
            thread_minimum_size=THREAD_MINIMUM_BYTES,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or BINARY_QUERY in scope.get("query_string", b""):
            await self.app(scope, receive, send)
            return
        codings = accepted_codings(Headers(scope=scope).get("accept-encoding", ""))
        responder: ASGIApp
        if "zstd" in codings:
            responder = _ZstdResponder(
                self.app, self.minimum_size, exclude_content_types=self.exclude_content_types
            )
        elif "gzip" in codings or "*" in codings:
            responder = _IsalResponder(
                self.app,
                self.minimum_size,
                compresslevel=self.compresslevel,
                thread_minimum_size=self.thread_minimum_size,
                exclude_content_types=self.exclude_content_types,
            )
        else:  # adds `Vary: Accept-Encoding`
            responder = IdentityResponder(
                self.app, self.minimum_size, exclude_content_types=self.exclude_content_types
            )
        await responder(scope, receive, send)
