"""JSON request bodies read by orjson, where FastAPI would use the standard library's `json`.

A body is read on the event loop, before the handler's worker thread takes over: every other
request waits while it is parsed. An exported session of 784-256-128-10 is about 10 MB, which
`json.loads` reads in about 0.3 s and orjson in about 0.07 s, into the same Python values.

What orjson refuses goes to `json.loads` as before: bare `NaN` and `Infinity` (which it takes,
so that the answer can name the field that holds one), UTF-16 or UTF-32, and invalid JSON, for
which it raises the error FastAPI turns into its 422. An integer past 64 bits orjson reads as a
float; the 422 of an integer field then says it is too large (`errors._said_plainly`).

A key twice in one object (`{"iterations": 5000, "iterations": 1}`) is refused, naming it: both
parsers would keep the last one silently. Telling costs little (counting one byte, ~1.4 ms a MB
against orjson's ~9): each key of the text is followed by one `:`, so when the text has no more
colons than the objects read have keys, no key was there twice; only when it has more (a
duplicate, or a colon inside a string) is the body read again, with the standard library,
object by object, to find the key.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

import orjson
from fastapi import Request, Response
from fastapi.routing import APIRoute


class DuplicateKey(ValueError):
    """An object of the body has a key twice."""

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(f"has the key {key!r} twice in one object; give each key once")


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object's keys and values, unless a key is there twice (DuplicateKey)."""
    value: dict[str, Any] = {}
    for key, item in pairs:
        if key in value:
            raise DuplicateKey(key)
        value[key] = item
    return value


def _keys(value: Any) -> int:
    """The keys of every object in `value` (a list of numbers is not looked into); without
    recursion, as a value may be nested as deep as the parser allows."""
    count, pending = 0, [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            count += len(item)
            pending.extend(item.values())
        elif isinstance(item, list) and item and isinstance(item[0], list | dict):
            pending.extend(item)
    return count


def read_json(body: bytes) -> Any:
    """The body's JSON value (orjson when it can, else `json.loads`); DuplicateKey when an
    object has a key twice, ValueError when it is not JSON."""
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError:
        return json.loads(body, object_pairs_hook=_unique)
    if body.count(b":") > _keys(value):
        json.loads(body, object_pairs_hook=_unique)  # finds the key, if one is twice
    return value


class JsonBodyRequest(Request):
    """A request whose `json()` is orjson's reading of the body when orjson can read it, with
    no key twice in one object."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = read_json(await self.body())
        return self._json


class JsonBodyRoute(APIRoute):
    """A route whose handler reads the request as `JsonBodyRequest`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def with_json_body(request: Request) -> Response:
            return await handler(JsonBodyRequest(request.scope, request.receive))

        return with_json_body
