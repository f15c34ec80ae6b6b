"""A notebook in real JupyterLab (from the venv) in Chromium: the steps drawn inline are SVG
heatmaps under MathML, the widget's Step moves the session on the server, and the app starts
from JupyterLab's launcher (jupyter-server-proxy) under the user's server path."""

from __future__ import annotations

import re
import shutil
import urllib.request
from collections.abc import Iterator

import pytest
from backprop_visualizer_client import Client
from playwright.sync_api import Browser, Page

from devtools.jupyter import LocalJupyter, local_jupyterlab
from devtools.server import REPO_ROOT

pytestmark = [pytest.mark.browser, pytest.mark.server]

NOTEBOOK = "check-your-own-backprop.ipynb"


@pytest.fixture(scope="module")
def jupyterlab(server_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalJupyter]:
    """JupyterLab serving a copy of notebooks/, its kernels reading the test server's address."""
    root = tmp_path_factory.mktemp("notebooks")
    for notebook in (REPO_ROOT / "notebooks").glob("*.ipynb"):
        shutil.copy(notebook, root)
    home = tmp_path_factory.mktemp("home")
    env = {"BACKPROP_VISUALIZER_URL": server_url}
    with local_jupyterlab(root, home, env=env, log=home / "jupyterlab.log") as running:
        yield running


@pytest.fixture
def lab(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


def run_all_cells(page: Page) -> None:
    """The toolbar's "Restart the kernel and run all cells", confirmed: it waits for a kernel
    ready to run, where "Run All Cells" right after opening may race the kernel's start."""
    page.locator("[data-command='notebook:restart-run-all']").first.click()
    page.locator(".jp-Dialog-footer .jp-mod-accept").click()


def test_a_notebook_draws_its_steps_inline_and_its_widget_steps_the_session(
    jupyterlab: LocalJupyter, lab: Page, server_url: str
) -> None:
    lab.goto(f"{jupyterlab.url}/lab/tree/{NOTEBOOK}")
    lab.locator(".jp-Notebook .jp-Cell").first.wait_for()
    lab.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for()
    run_all_cells(lab)

    step_button = lab.locator(".bpv-widget button", has_text="Step")
    step_button.wait_for()
    view = lab.locator(".jp-OutputArea-output .bpv-step").first
    cells = view.locator("svg rect:has(title)")
    assert cells.count() > 50
    box = cells.first.bounding_box()
    assert box is not None and box["width"] > 4 and box["height"] > 4
    assert view.locator("math").count() >= 3
    assert view.locator("figure[data-tensor='Delta1'] svg title").first.text_content()

    output = lab.locator(".jp-OutputArea-output pre", has_text="The same session on the page: ")
    link = output.text_content() or ""
    session_id = link.rsplit("session=", 1)[1].strip()
    where = lab.locator(".bpv-widget-where")
    assert where.text_content() == "Iteration 1, before its first step"

    step_button.click()

    lab.wait_for_function(
        "() => document.querySelector('.bpv-widget-where').textContent.includes('step 1 of 8')"
    )
    assert lab.locator(".bpv-widget-view figure[data-tensor='N1'] svg").count() >= 1
    with Client(server_url, session_id=session_id) as api:
        assert api.session().position.cursor == 1


def test_the_launcher_starts_the_app_under_the_users_server_path(
    jupyterlab: LocalJupyter,
) -> None:
    with urllib.request.urlopen(f"{jupyterlab.url}/server-proxy/servers-info") as answer:
        servers = answer.read().decode()
    with urllib.request.urlopen(
        f"{jupyterlab.url}/backprop-visualizer/api/health", timeout=60
    ) as answer:
        health = answer.read().decode()
    with urllib.request.urlopen(f"{jupyterlab.url}/backprop-visualizer/") as answer:
        page = answer.read().decode()

    assert '"title": "Backprop Visualizer"' in servers
    assert '"store":"sqlite"' in health
    assert (jupyterlab.home / ".backprop-visualizer" / "sessions.sqlite3").is_file()
    assets = re.findall(r'(?:href|src)="([^"]+)"', page)
    assert assets and all(a.startswith("/backprop-visualizer/") for a in assets)
