"""gzip for the API's answers, made with ISA-L: the same gzip, about three times as fast.

Step answers are tens to hundreds of kilobytes of numbers written out in decimal; compressing
them with zlib took longer than computing them. `isal` (Intel's ISA-L) writes standard gzip
that every browser and HTTP client reads: at its level 2, about four times as fast as zlib's
level 1 and smaller (0.475 of the JSON against 0.483; zlib's level 6: 0.462 at 17 times the
time). Answers asked for with `encoding=binary` go out as they are: base64 of float64 hardly
compresses (to about 0.8), and they are asked for to be quick.
"""

from __future__ import annotations

from typing import Any

from isal import isal_zlib
from starlette.datastructures import Headers
from starlette.middleware.gzip import GZipMiddleware, GZipResponder
from starlette.types import Receive, Scope, Send

from app.api.encoding import BINARY_QUERY

LEVEL = 2
"""ISA-L's level 2 of 0 … 3: for decimal numbers both quicker and smaller than its level 1."""

MINIMUM_BYTES = 1000
"""Smaller answers go out as they are: compressing them saves less than it costs."""


class _IsalResponder(GZipResponder):
    """Starlette's gzip responder with ISA-L's compressor instead of zlib's."""

    @property
    def compressor(self) -> Any:
        if self._isal is None:
            self._isal = isal_zlib.compressobj(
                self.compresslevel, isal_zlib.DEFLATED, 16 + isal_zlib.MAX_WBITS
            )
        return self._isal

    _isal: Any = None


class Compression(GZipMiddleware):
    """gzip when the client accepts it, except for typed-array answers."""

    def __init__(self, app: Any) -> None:
        super().__init__(app, minimum_size=MINIMUM_BYTES, compresslevel=LEVEL)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or BINARY_QUERY in scope.get("query_string", b""):
            await self.app(scope, receive, send)
            return
        if "gzip" not in Headers(scope=scope).get("accept-encoding", ""):
            await super().__call__(scope, receive, send)  # adds `Vary: Accept-Encoding`
            return
        responder = _IsalResponder(
            self.app,
            self.minimum_size,
            compresslevel=self.compresslevel,
            thread_minimum_size=self.thread_minimum_size,
            exclude_content_types=self.exclude_content_types,
        )
        await responder(scope, receive, send)
