"""app.api.assets: the page's files at content-hashed addresses, kept by browsers for good;
the vendored packages (KaTeX, Plotly.js's partial bundle, Swagger UI) byte for byte as npm
installed them; the page's modules in one bundle while it is as they are, else preloaded."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.api.assets import IMMUTABLE, REVALIDATE, AssetTree
from app.config import Settings

VENDORED = [
    ("katex", "katex/dist", "katex.min.js"),
    ("katex", "katex/dist", "katex.min.css"),
    ("katex", "katex/dist", "fonts/KaTeX_Main-Regular.woff2"),
    ("plotly", "plotly.js-cartesian-dist-min", "plotly-cartesian.min.js"),
    ("swagger-ui", "swagger-ui-dist", "swagger-ui-bundle.js"),
]


ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def unbundled_static(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The page's static/ as git holds it: its modules, and no bundle made of them."""
    copy = tmp_path_factory.mktemp("static") / "static"
    shutil.copytree(ROOT / "static", copy, ignore=shutil.ignore_patterns("bundle"))
    return copy


@pytest.fixture
def unbundled(client_with: Callable[..., TestClient], unbundled_static: Path) -> TestClient:
    """A client of the app serving that static/."""
    return client_with(static_dir=unbundled_static)


def bundle(static: Path) -> None:
    """Makes the bundle of `static`'s page, as `make assets` does (esbuild, from npm)."""
    subprocess.run(["node", str(ROOT / "scripts" / "bundle.mjs"), str(static)], check=True)


def addresses(html: str) -> list[str]:
    return re.findall(r'(?:href|src|data-plotly)="([^"]+)"', html)


def digest_of(client: TestClient, mount: str) -> str:
    tree: AssetTree = client.app.state.assets[mount]  # type: ignore[attr-defined]
    return tree.digest()


@pytest.mark.parametrize(
    "asset", ["css/site.css", "css/matrix.css", "js/main.js", "img/favicon.svg"]
)
def test_the_page_names_its_own_files_by_the_digest_of_static(
    unbundled: TestClient, asset: str
) -> None:
    html = unbundled.get("/").text

    assert f"/static/{digest_of(unbundled, 'static')}/{asset}" in html


def test_every_file_the_pages_name_is_content_hashed(unbundled: TestClient) -> None:
    client = unbundled
    named = addresses(client.get("/").text) + addresses(client.get("/docs").text)
    files = [a for a in named if a.startswith(("/static/", "/vendor/"))]

    assert len(files) > 20
    assert [a for a in files if not re.match(r"^/(static|vendor/[a-z-]+)/[0-9a-f]{16}/", a)] == []


@pytest.mark.parametrize(("mount", "package", "path"), VENDORED)
def test_a_hashed_address_is_the_installed_file_kept_for_good(
    client: TestClient, settings: Settings, mount: str, package: str, path: str
) -> None:
    response = client.get(f"/vendor/{mount}/{digest_of(client, mount)}/{path}")

    assert response.status_code == 200
    assert response.headers["cache-control"] == IMMUTABLE
    assert response.content == (settings.node_modules_dir / package / path).read_bytes()


@pytest.mark.parametrize(
    "path", ["/static/css/site.css", "/static/js/main.js", "/vendor/katex/katex.min.css"]
)
def test_an_address_without_a_digest_is_answered_to_be_asked_again(
    client: TestClient, path: str
) -> None:
    response = client.get(path)

    assert response.status_code == 200
    assert response.headers["cache-control"] == REVALIDATE
    assert client.get(path, headers={"If-None-Match": response.headers["etag"]}).status_code == 304


@pytest.mark.parametrize("digest", ["0123456789abcdef", "ffffffffffffffff"])
def test_a_digest_that_is_not_the_trees_is_not_found(client: TestClient, digest: str) -> None:
    response = client.get(f"/static/{digest}/css/site.css")

    assert response.status_code == 404
    assert response.headers.get("cache-control") != IMMUTABLE


def test_a_missing_file_under_the_digest_is_not_found(client: TestClient) -> None:
    assert client.get(f"/static/{digest_of(client, 'static')}/css/nothing.css").status_code == 404


def test_the_digest_changes_with_any_file_of_the_tree_and_only_then(tmp_path: Path) -> None:
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "a.js").write_text("export const a = 1;\n")
    tree = AssetTree(tmp_path, watch=True)
    first = tree.digest()

    assert tree.digest() == first
    (tmp_path / "js" / "a.js").write_text("export const a = 2;\n")
    assert tree.digest() != first
    (tmp_path / "js" / "a.js").write_text("export const a = 1;\n")
    assert tree.digest() == first
    (tmp_path / "b.css").write_text("")
    assert tree.digest() != first


def test_the_modules_an_entry_imports_at_any_depth_once_each(tmp_path: Path) -> None:
    (tmp_path / "js").mkdir()
    sources = {
        "main.js": 'import * as api from "./api.js";\nimport {\n  a,\n} from "./parts/b.js";\n',
        "api.js": 'import { appPath } from "./paths.js";\nexport { x } from "./paths.js";\n',
        "paths.js": '// import nothing from "./comment.js"\nexport const x = 1;\n',
        "parts/b.js": 'import "../api.js";\nimport { main } from "../main.js";\n',
    }
    (tmp_path / "js" / "parts").mkdir()
    for name, text in sources.items():
        (tmp_path / "js" / name).write_text(text)

    modules = AssetTree(tmp_path).modules("js/main.js")

    assert modules == ["js/api.js", "js/parts/b.js", "js/paths.js"]


def test_without_a_bundle_the_page_preloads_every_module_main_js_imports(
    unbundled: TestClient,
) -> None:
    html = unbundled.get("/").text
    preloaded = re.findall(r'<link rel="modulepreload" href="([^"]+)">', html)
    digest = digest_of(unbundled, "static")

    assert f"/static/{digest}/js/api.js" in preloaded
    assert f"/static/{digest}/js/matrix.js" in preloaded  # imported by a module main.js imports
    assert f"/static/{digest}/js/main.js" not in preloaded  # the entry is the module script
    assert len(preloaded) == len(set(preloaded)) > 20


def test_plotly_is_named_for_the_training_panel_and_not_loaded_by_the_page(
    client: TestClient,
) -> None:
    html = client.get("/").text

    plotly = f"/vendor/plotly/{digest_of(client, 'plotly')}/plotly-cartesian.min.js"
    assert f'data-plotly="{plotly}"' in html
    assert "plotly" not in " ".join(re.findall(r"<script[^>]*>", html))


def test_a_page_looks_at_its_watched_tree_once_however_many_files_it_names(
    unbundled: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree: AssetTree = unbundled.app.state.assets["static"]  # type: ignore[attr-defined]
    walks = []
    files = tree.files
    monkeypatch.setattr(tree, "files", lambda: walks.append(1) or files())

    html = unbundled.get("/").text

    assert len(re.findall(r"/static/[0-9a-f]{16}/", html)) > 20
    assert len(walks) == 1  # the page's digest; the bundle and the modules' list go by it


def test_files_asked_together_look_at_the_watched_tree_once_and_an_edit_within_a_second(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.js").write_text("export const a = 1;\n")
    tree = AssetTree(tmp_path, watch=True)
    first = tree.digest()
    walks = []
    files = tree.files
    tree.files = lambda: walks.append(1) or files()  # type: ignore[method-assign]

    assert {tree.digest(max_age=60) for _ in range(50)} == {first}
    assert walks == []
    (tmp_path / "a.js").write_text("export const a = 2;\n")
    assert tree.digest() != first  # a page is rendered with the digest of the moment
    assert tree.digest(max_age=0) == tree.digest()


def module_scripts(html: str) -> list[str]:
    return re.findall(r'<script type="module" src="([^"]+)">', html)


def test_the_page_loads_one_bundle_while_it_is_made_of_its_modules_as_they_are(
    client_with: Callable[..., TestClient], unbundled_static: Path, tmp_path: Path
) -> None:
    static = tmp_path / "static"
    shutil.copytree(unbundled_static, static)
    bundle(static)
    client = client_with(static_dir=static)

    html = client.get("/").text
    [script] = module_scripts(html)
    assert script == f"/static/{digest_of(client, 'static')}/bundle/main.js"
    assert "modulepreload" not in html
    answer = client.get(script)
    assert answer.status_code == 200 and answer.headers["cache-control"] == IMMUTABLE
    assert "export function readSpec" not in answer.text and "function readSpec" in answer.text

    # A module edited after the bundle was made: the page names the modules, not the bundle.
    api = static / "js" / "api.js"
    api.write_text(api.read_text() + "// edited\n")
    html = client.get("/").text
    assert module_scripts(html) == [f"/static/{digest_of(client, 'static')}/js/main.js"]
    assert html.count("modulepreload") > 20

    bundle(static)  # made again
    assert module_scripts(client.get("/").text)[0].endswith("/bundle/main.js")
    (static / "bundle" / "main.json").write_text("{}")
    assert module_scripts(client.get("/").text)[0].endswith("/js/main.js")
