"""ASGI middleware that guards every response: security headers, and a cap on body size."""

from __future__ import annotations

import json
from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.paths import route_path

# Everything the page loads comes from the app itself, and no inline script runs: the page's
# scripts are ES modules under /static, Plotly.js and KaTeX under /vendor. Plotly's SVG heatmaps
# need no eval (checked in Chromium with `script-src 'self'`). Styles: Plotly writes a <style>
# element and style attributes, hence 'unsafe-inline' for styles only; it draws heatmap cells as
# `data:` PNG images, hence `img-src data:`.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


DRAINED_BYTES = 64 * 1024 * 1024
"""A body declared over its limit but no bigger than this is read and dropped before the 413
is sent: a proxy that sends the whole body before it reads the answer (nginx) then gets the
413, not a broken pipe (which it answers 502, and counts against the replica). A bigger one is
answered at once, and its connection closed."""


async def _drain(receive: Receive) -> None:
    """Reads the request's body to its end, keeping none of it."""
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            return


class BodyTooLarge(Exception):
    """The request body went past the limit, `max_bytes`, while it was being read."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        super().__init__(f"the request body is over the limit of {max_bytes} bytes")

    def detail(self) -> list[dict[str, object]]:
        """The 413's detail, in the API's shape of a refusal naming the field."""
        return [{"loc": ["body"], "msg": str(self), "type": "body_too_large"}]


class BodyLimit:
    """Answers 413 to a request whose body is over `max_bytes`, or over the limit
    `route_limits` gives its method and path (never less than `max_bytes`).

    A declared Content-Length over the limit is refused before the request does anything (its
    body, up to DRAINED_BYTES, read and dropped first); a body that grows past the limit while
    it is read (sent chunked, without a Content-Length) is cut off as soon as it does: a route
    reads its body before it does anything, and app/api/errors.py answers the same 413 then.

    Starlette 1.10 has a body limit of its own (RequestBodyLimitMiddleware), but FastAPI's
    routes take no per-route limit (POST /api/sessions takes MAX_RESTORE_BYTES), and a body
    declared too large for a route that does not read it is answered 413 only after the route
    ran: a step would be taken, and refused.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_bytes: int,
        route_limits: Mapping[tuple[str, str], int] | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.route_limits = {
            route: max(limit, max_bytes) for route, limit in (route_limits or {}).items()
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        route = (scope["method"], route_path(scope))
        max_bytes = self.route_limits.get(route, self.max_bytes)
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared > max_bytes:
                    if declared <= DRAINED_BYTES:
                        await _drain(receive)
                    await self._refuse(send, max_bytes)
                    return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    raise BodyTooLarge(max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._refuse(send, max_bytes)

    @staticmethod
    async def _refuse(send: Send, max_bytes: int) -> None:
        body = json.dumps({"detail": BodyTooLarge(max_bytes).detail()}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
