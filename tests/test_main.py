"""The assembled app: its page, its static files and the vendored Plotly.js and KaTeX."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app


def test_index_is_an_html_page_loading_plotly_and_katex_from_the_app(client: TestClient) -> None:
    response = client.get("/")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<html" in response.text
    assert 'src="/vendor/plotly.min.js"' in response.text
    assert 'src="/vendor/katex/katex.min.js"' in response.text
    assert "assets are missing" not in response.text


def test_plotly_is_the_installed_packages_own_file_byte_for_byte(client: TestClient) -> None:
    installed = files("plotly").joinpath("package_data", "plotly.min.js").read_bytes()

    response = client.get("/vendor/plotly.min.js")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.content == installed


@pytest.mark.parametrize("path", ["katex.min.js", "katex.min.css", "contrib/auto-render.min.js"])
def test_katex_is_served_from_node_modules(
    client: TestClient, settings: Settings, path: str
) -> None:
    response = client.get(f"/vendor/katex/{path}")

    assert response.status_code == 200
    assert response.content == (settings.node_modules_dir / "katex" / "dist" / path).read_bytes()


def test_katex_fonts_referenced_by_its_stylesheet_are_served(client: TestClient) -> None:
    response = client.get("/vendor/katex/fonts/KaTeX_Main-Regular.woff2")

    assert response.status_code == 200


def test_site_stylesheet_is_served_from_static(client: TestClient) -> None:
    response = client.get("/static/css/site.css")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")


def test_without_katex_the_app_starts_and_the_page_says_assets_are_missing(
    tmp_path: Path,
) -> None:
    app = create_app(Settings(store="memory://", node_modules_dir=tmp_path))

    with TestClient(app) as client:
        page = client.get("/")
        katex = client.get("/vendor/katex/katex.min.js")

    assert page.status_code == 200
    assert "assets are missing" in page.text
    assert "make assets" in page.text
    assert katex.status_code == 404


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


def test_the_api_reference_is_served_by_the_app_itself(client) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/vendor/swagger-ui/swagger-ui-bundle.js" in page.text
    assert "<script>" not in page.text  # no inline script: the CSP forbids it
    assert client.get("/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_the_page_takes_the_query_its_scripts_read(client) -> None:
    assert client.get("/?session=abc&presenter=1&convention=row").status_code == 200
