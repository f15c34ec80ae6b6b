"""Request bodies are read by orjson, and what it refuses by the standard library as before."""

from __future__ import annotations

import asyncio
import json
import math
import pkgutil
from importlib import import_module
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from app import api
from app.api.json_body import JsonBodyRequest, JsonBodyRoute
from app.engine import preset


def read(body: bytes) -> Any:
    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    request = JsonBodyRequest({"type": "http", "method": "POST", "headers": []}, receive)
    return asyncio.run(request.json())


@pytest.mark.parametrize(
    "body",
    [
        b'{"layers": [2, 4, 1], "inputs": [[0.1, -2.5e-7], [1e300, 5]], "a": "\\u00e9 \xc3\xa9"}',
        b"[1.0000000000000002, 0.30000000000000004, -0.0, 123456789012345678]",
        b'  {"a": {"b": [true, false, null]}}  ',
    ],
)
def test_a_body_is_read_as_the_standard_library_reads_it(body: bytes) -> None:
    assert read(body) == json.loads(body)


def test_bare_nan_and_infinity_are_still_read_so_that_the_field_can_be_named() -> None:
    value = read(b'{"inputs": [[NaN, Infinity, -Infinity]]}')

    assert math.isnan(value["inputs"][0][0])
    assert value["inputs"][0][1:] == [math.inf, -math.inf]


def test_an_integer_past_64_bits_is_refused_naming_the_field_and_saying_why(
    client: TestClient, session_id: str
) -> None:
    response = client.post(
        f"/api/sessions/{session_id}/train",
        content=b'{"iterations": 1000000000000000000000000000000}',
        headers={"content-type": "application/json"},
    )

    assert response.status_code == 422
    [issue] = response.json()["detail"]
    assert issue["loc"] == ["body", "iterations"]
    assert "too large for an integer" in issue["msg"]


def test_invalid_json_raises_the_error_fastapi_answers_422() -> None:
    with pytest.raises(json.JSONDecodeError):
        read(b'{"layers": [2, 1')


def test_every_route_that_takes_a_body_reads_it_with_orjson() -> None:
    modules = [import_module(f"app.api.{m.name}") for m in pkgutil.iter_modules(api.__path__)]
    routes = [
        route
        for module in modules
        if hasattr(module, "router")
        for route in module.router.routes
        if isinstance(route, APIRoute) and route.body_field is not None
    ]

    assert len(routes) >= 5  # create, goto, train, check, trace
    assert [r.path for r in routes if not isinstance(r, JsonBodyRoute)] == []


@pytest.mark.parametrize(
    ("body", "key"),
    [
        (b'{"iterations": 5000, "iterations": 1}', "iterations"),
        (b'{"iterations" : 1, "iterations":1}', "iterations"),
        (b'{"iterations": NaN, "iterations": 1}', "iterations"),  # read by json.loads
    ],
)
def test_a_key_given_twice_is_refused_naming_it_and_nothing_runs(
    client: TestClient, session_id: str, body: bytes, key: str
) -> None:
    response = client.post(
        f"/api/sessions/{session_id}/train",
        content=body,
        headers={"content-type": "application/json"},
    )

    assert response.status_code == 422
    [issue] = response.json()["detail"]
    assert issue["loc"] == ["body"] and issue["type"] == "duplicate_key"
    assert repr(key) in issue["msg"]
    assert client.get(f"/api/sessions/{session_id}").json()["iteration"] == 1  # still the first


def test_a_colon_inside_a_string_is_no_key_and_the_body_is_taken(client: TestClient) -> None:
    spec = preset("xor").spec | {"activations": ["sigmoid", "sigmoid"]}
    body = json.dumps(spec).replace('"sigmoid"]', '"sigmoid", "x\\":"]', 1).encode()

    response = client.post("/api/trace", content=body, headers={"content-type": "application/json"})

    assert response.status_code == 422  # an unknown activation, not a duplicate key
    assert response.json()["detail"][0]["type"] != "duplicate_key"
