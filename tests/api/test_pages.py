"""app.api.pages: the stepping page and the API reference, rendered by the app itself, saying
so when the browser assets are missing."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app


def test_index_is_an_html_page_loading_katex_from_the_app(client: TestClient) -> None:
    response = client.get("/")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<html" in response.text
    assert re.search(r'src="/vendor/katex/[0-9a-f]{16}/katex.min.js"', response.text)
    assert "assets are missing" not in response.text


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


def test_the_api_reference_is_served_by_the_app_itself(client) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    bundle = re.search(r'src="(/vendor/swagger-ui/[0-9a-f]{16}/swagger-ui-bundle.js)"', page.text)
    assert bundle
    assert "<script>" not in page.text  # no inline script: the CSP forbids it
    assert client.get(bundle[1]).status_code == 200


def test_the_page_takes_the_query_its_scripts_read(client) -> None:
    assert client.get("/?session=abc&presenter=1&convention=row").status_code == 200


def test_the_page_tells_its_editor_the_widest_layer_the_server_allows() -> None:
    app = create_app(Settings(store="memory://", max_width=64))

    with TestClient(app) as client:
        page = client.get("/")

    assert 'data-max-width="64"' in page.text


def test_the_page_asks_for_the_catalogue_beside_its_scripts(client: TestClient) -> None:
    page = client.get("/").text

    fetched = re.findall(r'<link rel="preload" href="([^"]+)" as="fetch" crossorigin>', page)

    assert fetched == ["/api/presets", "/api/activations", "/api/objectives"]
    for url in fetched:  # each is there, as the page's scripts ask for it
        assert client.get(url).status_code == 200
