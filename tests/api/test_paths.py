"""ROOT_PATH: the app published under a path writes every asset, link and /docs under it, and
answers requests whether the proxy strips the prefix or passes it on."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from starlette.requests import Request

from app.api.paths import app_path, app_url
from app.config import Settings
from app.main import create_app


@pytest.fixture
def under_bpv() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store="memory://", root_path="/bpv"))) as client:
        yield client


def addresses(html: str) -> list[str]:
    return re.findall(r'(?:href|src|data-plotly)="([^"]+)"', html)


@pytest.mark.parametrize("page", ["/", "/docs"])
def test_every_asset_of_a_page_is_a_path_under_the_prefix(under_bpv: TestClient, page: str) -> None:
    html = under_bpv.get(page).text

    assert addresses(html)
    assert all(a.startswith("/bpv/") for a in addresses(html)), addresses(html)


@pytest.mark.parametrize("page", ["/", "/docs"])
def test_every_content_hashed_asset_is_answered_under_the_prefix(
    under_bpv: TestClient, page: str
) -> None:
    hashed = [a for a in addresses(under_bpv.get(page).text) if re.search("/[0-9a-f]{16}/", a)]

    assert hashed
    assert {under_bpv.get(a).status_code for a in hashed} == {200}


def test_the_page_tells_its_scripts_the_prefix(under_bpv: TestClient) -> None:
    assert 'data-root-path="/bpv"' in under_bpv.get("/").text


def test_docs_reads_the_openapi_description_under_the_prefix(under_bpv: TestClient) -> None:
    assert 'data-openapi-url="/bpv/openapi.json"' in under_bpv.get("/docs").text
    assert under_bpv.get("/openapi.json").json()["servers"] == [{"url": "/bpv"}]


def test_a_view_link_and_a_new_sessions_location_carry_the_prefix(under_bpv: TestClient) -> None:
    spec = under_bpv.get("/api/presets/xor").json()["spec"]

    created = under_bpv.post("/api/sessions", json=spec)
    session_id = created.json()["id"]
    link = under_bpv.post(f"/api/sessions/{session_id}/view").json()

    assert created.headers["location"] == f"/bpv/api/sessions/{session_id}"
    assert link["page"] == f"/bpv/?follow={link['view_id']}"
    assert link["events"] == f"/bpv/api/views/{link['view_id']}/events"


def test_a_full_address_carries_the_host_and_the_prefix() -> None:
    scope = {
        "type": "http",
        "scheme": "https",
        "server": ("uni.example", 443),
        "path": "/bpv/api/health",
        "root_path": "/bpv",
        "headers": [(b"host", b"uni.example")],
        "query_string": b"",
    }

    assert app_url(Request(scope), "/?follow=abc") == "https://uni.example/bpv/?follow=abc"
    assert app_path(Request(scope), "/api/presets") == "/bpv/api/presets"


@pytest.mark.parametrize(
    "path", ["/api/health", "/static/css/site.css", "/vendor/plotly/plotly-cartesian.min.js"]
)
@pytest.mark.parametrize("prefix", ["", "/bpv"], ids=["prefix stripped", "prefix passed on"])
def test_requests_are_answered_with_the_prefix_stripped_or_not(
    under_bpv: TestClient, prefix: str, path: str
) -> None:
    assert under_bpv.get(prefix + path).status_code == 200


def test_at_the_root_nothing_changes(client: TestClient) -> None:
    html = client.get("/").text

    assert 'data-root-path=""' in html
    assert all(a.startswith("/") and not a.startswith("//") for a in addresses(html))


@pytest.mark.parametrize("bad", ["bpv", "/bpv/", "/b pv", "//evil.example"])
def test_a_root_path_must_be_a_path_without_a_trailing_slash(bad: str) -> None:
    with pytest.raises(ValidationError, match="root_path"):
        Settings(root_path=bad)


@pytest.mark.parametrize("prefix", ["", "/bpv"], ids=["prefix stripped", "prefix passed on"])
def test_a_restored_session_keeps_its_larger_body_limit_under_the_prefix(prefix: str) -> None:
    settings = Settings(
        store="memory://", root_path="/bpv", max_body_bytes=1024, max_restore_bytes=64 * 1024
    )
    with TestClient(create_app(settings)) as client:
        spec = client.get("/api/presets/xor").json()["spec"]
        body = spec | {"inputs": [[0.125, 0.25]] * 60, "targets": [[1.0]] * 60}

        restored = client.post(prefix + "/api/sessions", json=body)
        traced = client.post(prefix + "/api/trace", json=body)

    assert restored.status_code == 201
    assert traced.status_code == 413
