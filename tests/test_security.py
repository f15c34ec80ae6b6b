"""Every response carries the security headers; bodies over the limit get 413 unread."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from app.security import CONTENT_SECURITY_POLICY, BodyLimit, SecurityHeaders


def tiny_app(
    max_bytes: int = 100, route_limits: dict[tuple[str, str], int] | None = None
) -> FastAPI:
    app = FastAPI()
    app.state.read = 0

    @app.post("/echo")
    async def echo(request: Request) -> dict[str, int]:
        body = await request.body()
        app.state.read = len(body)
        return {"length": len(body)}

    @app.get("/page")
    def page() -> dict[str, str]:
        return {"ok": "yes"}

    app.add_middleware(BodyLimit, max_bytes=max_bytes, route_limits=route_limits)
    app.add_middleware(SecurityHeaders)
    return app


@pytest.fixture
def guarded() -> Iterator[TestClient]:
    with TestClient(tiny_app()) as client:
        yield client


def test_every_response_has_the_security_headers(guarded: TestClient) -> None:
    response = guarded.get("/page")
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_the_policy_forbids_inline_scripts_and_other_origins() -> None:
    script = next(d for d in CONTENT_SECURITY_POLICY.split("; ") if d.startswith("script-src"))
    assert script == "script-src 'self'"
    assert "http" not in CONTENT_SECURITY_POLICY


def test_a_body_within_the_limit_is_read(guarded: TestClient) -> None:
    assert guarded.post("/echo", content=b"x" * 100).json() == {"length": 100}


def test_a_declared_body_over_the_limit_is_refused_before_reading(guarded: TestClient) -> None:
    response = guarded.post("/echo", content=b"x" * 101)
    assert response.status_code == 413
    assert response.json()["detail"][0]["loc"] == ["body"]
    assert "limit of 100 bytes" in response.json()["detail"][0]["msg"]
    assert guarded.app.state.read == 0  # type: ignore[attr-defined]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_streamed_body_over_the_limit_is_cut_off(guarded: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(50):
            yield b"x" * 10

    response = guarded.post("/echo", content=chunks())
    assert response.status_code == 413


def test_a_route_with_its_own_limit_takes_bodies_up_to_it() -> None:
    with TestClient(tiny_app(route_limits={("POST", "/echo"): 300})) as client:
        taken = client.post("/echo", content=b"x" * 300)
        refused = client.post("/echo", content=b"x" * 301)

    assert taken.json() == {"length": 300}
    assert refused.status_code == 413
    assert "limit of 300 bytes" in refused.json()["detail"][0]["msg"]


# --- the assembled app ---------------------------------------------------------------------

APP_ANSWERS = [
    ("GET", "/", None),
    ("GET", "/api/health", None),
    ("GET", "/api/presets", None),  # gzipped
    ("GET", "/openapi.json", None),
    ("GET", "/api/sessions/no-such-session", None),  # 404
    ("POST", "/api/trace", {"layers": [2, 1]}),  # 422
    ("GET", "/static/css/site.css", None),
    ("GET", "/static/js/main.js", None),
    ("GET", "/vendor/plotly/plotly-cartesian.min.js", None),
    ("GET", "/vendor/katex/katex.min.css", None),
]


def directives(policy: str) -> dict[str, list[str]]:
    """A Content-Security-Policy as {directive: [sources]}."""
    return {name: sources for name, *sources in (d.split() for d in policy.split(";"))}


@pytest.mark.parametrize(("method", "path", "body"), APP_ANSWERS)
def test_the_page_the_api_and_static_files_carry_the_security_headers(
    client: TestClient, method: str, path: str, body: object
) -> None:
    response = client.request(method, path, json=body, headers={"accept-encoding": "gzip"})

    policy = directives(response.headers["content-security-policy"])
    assert policy["default-src"] == ["'self'"]
    assert "'self'" in policy["script-src"]
    assert set(policy["script-src"]) <= {"'self'", "'unsafe-eval'"}  # no inline, no other host
    assert policy["frame-ancestors"] == ["'none'"]
    sources = {source for sources in policy.values() for source in sources}
    assert all(s.startswith("'") or s in ("data:", "blob:") for s in sources)  # no other host
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"


def test_the_page_has_no_inline_script(client: TestClient) -> None:
    page = client.get("/").text

    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts
    assert all(" src=" in tag for tag in scripts)
    assert not re.search(r"\son[a-z]+\s*=", page)  # no inline event handlers either
