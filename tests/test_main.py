"""The assembled app: static files, security headers, the body limit and compression on every
answer (the page and the vendored assets: tests/api/test_pages.py, test_assets.py)."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_site_stylesheet_is_served_from_static(client: TestClient) -> None:
    response = client.get("/static/css/site.css")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")


def test_the_app_answers_with_security_headers(client) -> None:
    response = client.get("/api/health")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_the_app_refuses_a_body_over_the_limit(client, settings) -> None:
    body = b"{" + b" " * settings.max_body_bytes + b"}"
    response = client.post("/api/trace", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413


def test_large_answers_are_gzipped(client) -> None:
    response = client.get("/api/presets", headers={"accept-encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
