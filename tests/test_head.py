"""HEAD on every GET route answers as GET would, without the body; a 405 lists every method the
path takes in `Allow`, HEAD included, static files' too."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.engine import preset
from app.main import create_app

APP = create_app(Settings(store="memory://"))
GET_ROUTES = sorted(
    path for path, operations in APP.openapi()["paths"].items() if "get" in operations
)
PARAMETERS = {"number": "2", "name": "W1", "preset_id": "xor"}
QUERIES = {"/explain": "?tensor=W1&row=1&col=1"}


@pytest.fixture(scope="module")
def client() -> TestClient:
    with TestClient(APP) as client:
        yield client


@pytest.fixture(scope="module")
def ids(client: TestClient) -> dict[str, str]:
    session_id = client.post("/api/sessions", json=preset("xor").spec).json()["id"]
    client.post(f"/api/sessions/{session_id}/step")
    view_id = client.post(f"/api/sessions/{session_id}/view").json()["view_id"]
    template = {"layers": [2, 3, 1], "activations": "tanh", "batch": 2}
    assignment = {"title": "Week 3", "template": template, "tasks": ["Delta2"]}
    assignment_id = client.post("/api/assignments", json=assignment).json()["assignment"]["id"]
    return {
        "session_id": session_id,
        "view_id": view_id,
        "assignment_id": assignment_id,  # its token-only routes answer 401 to both
        **PARAMETERS,
    }


@pytest.mark.parametrize("route", GET_ROUTES)
def test_head_answers_as_get_without_the_body(
    client: TestClient, ids: dict[str, str], route: str
) -> None:
    url = route.format(**ids) + (QUERIES["/explain"] if route.endswith("/explain") else "")
    if route.endswith("/events"):
        get_status, get_type = 200, "text/event-stream; charset=utf-8"  # never ends: not read
    else:
        got = client.get(url)
        get_status, get_type = got.status_code, got.headers["content-type"]

    head = client.head(url)

    assert (head.status_code, head.headers["content-type"]) == (get_status, get_type)
    assert head.content == b""
    if not route.endswith(("/events", "/health")):  # health says how long ago it looked
        assert head.headers["content-length"] == got.headers["content-length"]


@pytest.mark.parametrize(
    ("method", "url", "allow"),
    [
        ("DELETE", "/api/health", "GET, HEAD"),
        ("PUT", "/api/sessions/x", "GET, HEAD, DELETE"),
        ("POST", "/static/js/main.js", "GET, HEAD"),
    ],
)
def test_a_405_lists_every_method_of_the_path(
    client: TestClient, method: str, url: str, allow: str
) -> None:
    response = client.request(method, url)

    assert response.status_code == 405
    assert response.headers["allow"] == allow
