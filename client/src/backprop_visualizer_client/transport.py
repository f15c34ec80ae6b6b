"""The HTTP underneath the client: one httpx connection pool to the server, refusals turned into
exceptions that name the field and the reason, and the two streamed answers (JSON Lines and
server-sent events) read line by line."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import TracebackType
from typing import Any, NamedTuple, TypeVar

import httpx

from .arrays import jsonable
from .errors import ApiError, ServerUnreachable, api_error

__all__ = ["URL_VARIABLE", "ServerEvent", "Transport", "events", "json_lines"]

URL_VARIABLE = "BACKPROP_VISUALIZER_URL"
"""The environment variable a client reads the server's address from when given none."""

Params = Mapping[str, str | int | float]
_Self = TypeVar("_Self", bound="Transport")


class Transport:
    """Requests to the server at `url` (its path prefix kept), over `http` or a pool of its own."""

    def __init__(self, url: str, *, timeout: float, http: httpx.Client | None) -> None:
        self.url = url.rstrip("/")
        self._owned = http is None
        self._http = http or httpx.Client(base_url=self.url, timeout=timeout)

    def close(self) -> None:
        """Closes the connections, if the client opened them."""
        if self._owned:
            self._http.close()

    def __enter__(self: _Self) -> _Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _unreachable(self, exc: Exception) -> ServerUnreachable:
        return ServerUnreachable(
            f"no Backprop Visualizer server answers at {self.url} ({exc}); start one "
            f"(`make run`) or give its address: Client(url) or {URL_VARIABLE}"
        )

    @staticmethod
    def _refusal(response: httpx.Response, method: str, path: str) -> ApiError:
        try:
            detail = response.json().get("detail")
        except (ValueError, AttributeError):
            detail = response.text or response.reason_phrase
        return api_error(response.status_code, detail, method=method, path=path)

    def _send(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        params: Params | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """The answer to a request, read whole; ApiError for a refusal, ServerUnreachable for
        no answer."""
        with self._stream(method, path, body=body, params=params, headers=headers) as response:
            response.read()
        return response

    def _json(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        params: Params | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        """The JSON of an answer (None for 204)."""
        response = self._send(method, path, body=body, params=params, headers=headers)
        return None if response.status_code == 204 else response.json()

    @contextmanager
    def _stream(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        params: Params | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> Iterator[httpx.Response]:
        """A streamed answer, read as it comes; ApiError for a refusal (raised before any of
        it), ServerUnreachable for no answer (or one cut off)."""
        try:
            with self._http.stream(
                method,
                path.lstrip("/"),
                json=None if body is None else jsonable(body),
                params=params,
                headers=headers,
                timeout=timeout if timeout is not None else self._http.timeout,
            ) as response:
                if response.status_code >= 400:
                    response.read()
                    raise self._refusal(response, method, path)
                yield response
        except httpx.TransportError as exc:
            raise self._unreachable(exc) from exc


def json_lines(response: httpx.Response) -> Iterator[dict[str, Any]]:
    """Each object of a JSON Lines answer, as its line arrives."""
    for text in response.iter_lines():
        if text.strip():
            yield dict(json.loads(text))


class ServerEvent(NamedTuple):
    """One server-sent event: its `event` name, its `data` (lines joined) and its `id` ("" when
    it has none)."""

    event: str
    data: str
    id: str


def events(response: httpx.Response) -> Iterator[ServerEvent]:
    """Each event of a text/event-stream answer, as it arrives (comments skipped)."""
    event, data, event_id = "message", [], ""
    for text in response.iter_lines():
        if text.startswith(":"):
            continue
        if text.startswith("event:"):
            event = text[6:].strip()
        elif text.startswith("data:"):
            data.append(text[5:].lstrip())
        elif text.startswith("id:"):
            event_id = text[3:].strip()
        elif not text:
            if data:
                yield ServerEvent(event, "\n".join(data), event_id)
            event, data, event_id = "message", [], ""
