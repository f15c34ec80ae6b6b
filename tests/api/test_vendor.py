"""app.api.vendor and the vendored mounts: Plotly.js and KaTeX served by the app, byte for byte
the installed files."""

from __future__ import annotations

from importlib.resources import files

import pytest
from fastapi.testclient import TestClient

from app.config import Settings


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
