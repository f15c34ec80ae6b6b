"""uvicorn's HTTP protocol with the request head bounded in size and in time.

uvicorn bounds neither (its keep-alive timeout only covers the idle time after an answer):
ten connections sending 80 MB of header bytes each, never ending their head, took the server
from 124 MB to 1 GB; 200 connections that opened and sent nothing, or a byte now and then, were
never closed. Served with `--http app.http_limits:HeadLimitedHttp` (deploy/serve.sh, `make
run`), a connection whose head (request line and headers) is over MAX_HEADER_BYTES gets a 431
and is closed, and one that has not sent its whole head HEADER_TIMEOUT_SECONDS after it opened,
or after it began its next request, is closed (with a 408 when it had begun one).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol
from uvicorn.server import ServerState

from app.config import get_settings


class HeadLimitedHttp(HttpToolsProtocol):
    """uvicorn's httptools protocol; each request's head at most MAX_HEADER_BYTES, read within
    HEADER_TIMEOUT_SECONDS."""

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        settings = get_settings()
        self.max_head_bytes = settings.max_header_bytes
        self.head_timeout = settings.header_timeout_seconds
        self._head_bytes: int | None = None
        """Bytes received of the head being read; None while no head is (its body, or an
        answer, or the idle time after one, which uvicorn's keep-alive timeout bounds)."""
        self._head_timer: asyncio.TimerHandle | None = None
        self._begun = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._expect_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._head_read()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._head_bytes is not None:
            self._head_bytes += len(data)
        super().data_received(data)
        if self._head_bytes is not None and self._head_bytes > self.max_head_bytes:
            self._refuse(
                431,
                f"the request's line and headers are over the limit of {self.max_head_bytes} "
                "bytes (MAX_HEADER_BYTES)",
            )

    def on_message_begin(self) -> None:
        if self._head_bytes is None:  # the next request of a kept-alive or pipelined connection
            self._expect_head()
        self._begun = True
        super().on_message_begin()

    def on_headers_complete(self) -> None:
        self._head_read()
        super().on_headers_complete()

    def _expect_head(self) -> None:
        self._head_read()
        self._head_bytes = 0
        self._begun = False
        self._head_timer = self.loop.call_later(self.head_timeout, self._head_too_slow)

    def _head_read(self) -> None:
        self._head_bytes = None
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_too_slow(self) -> None:
        self._head_timer = None
        if not self._begun:
            self._head_read()
            self.transport.close()  # nothing sent: no request to answer
            return
        self._refuse(
            408,
            f"the request's line and headers did not arrive within {self.head_timeout:g} s "
            "(HEADER_TIMEOUT_SECONDS)",
        )

    def _refuse(self, status: int, message: str) -> None:
        """Answers `status` with the API's JSON shape of a refusal, and closes."""
        self._head_read()
        body = json.dumps(
            {"detail": [{"loc": ["header"], "msg": message, "type": "request_head_refused"}]}
        ).encode()
        head = [STATUS_LINE[status]]
        for name, value in self.server_state.default_headers:
            head += [name, b": ", value, b"\r\n"]
        head += [
            b"content-type: application/json\r\n",
            b"content-length: %d\r\n" % len(body),
            b"connection: close\r\n\r\n",
        ]
        self.transport.write(b"".join(head) + body)
        self.transport.close()
