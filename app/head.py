"""HEAD on every GET route: the GET's status and headers, without its body (RFC 9110 9.3.2).

FastAPI's routes answer only the methods they declare, so HEAD was a 405 on every GET of the
API, /api/health included, which some monitors and link checkers send. The static files
answer HEAD themselves, and take it as it comes.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class _Answered(Exception):
    """The head of a streamed answer is sent: its stream is stopped."""


class HeadAsGet:
    """ASGI middleware: a HEAD request is served as a GET whose body is not sent. A streamed
    answer (an event stream) is stopped once its head is sent, instead of running on unseen."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        answered = False

        async def headers_only(message: Message) -> None:
            nonlocal answered
            if message["type"] == "http.response.start":
                await send(message)
            elif message["type"] == "http.response.body":
                if answered:
                    raise _Answered
                answered = True
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                if message.get("more_body", False):
                    raise _Answered
            else:
                await send(message)

        try:
            await self.app({**scope, "method": "GET"}, receive, headers_only)
        except _Answered:
            pass
        except BaseExceptionGroup as group:
            _, rest = group.split(_Answered)
            if rest is not None:
                raise rest from None
