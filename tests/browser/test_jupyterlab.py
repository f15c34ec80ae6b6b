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
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

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
    # Restarting the kernel and running every cell (the client, a session, its steps) took over
    # 60 s on this 2-core machine while other suites ran; the waits are for JupyterLab, not timed.
    page.set_default_timeout(180_000)
    yield page
    context.close()


# A prompt once its cell is queued or has run: "[*]:" or "[3]:"; a cell never run shows "[ ]:".
QUEUED = """() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
  .some((prompt) => /\\[(\\*|\\d+)\\]/.test(prompt.textContent))"""


def run_all_cells(page: Page) -> None:
    """Run → Run All Cells once the notebook's kernel is idle and the notebook is the current
    document (clicked), as a student does. The menu's commands act on the current document: on
    a first load that was the file browser, and Run All ran nothing (every prompt stayed "[ ]").
    If no cell is queued within 30 s of the click, or the kernel is not idle within 90 s (on a
    loaded machine JupyterLab 4 at times starts a kernel, shuts it down within a second and waits
    for it), the page is loaded again, as a student would, three times at most.

    Not "Restart the kernel and run all cells": a restart right after the kernel started made
    Jupyter Server replace the page's kernel connection and read the page's messages in the
    wrong websocket protocol (its log: "Replacing stale connection", then `struct.error` in
    `deserialize_binary_message`), and the cells sent were lost."""
    for attempt in range(3):
        if attempt:
            page.reload()
            page.locator(".jp-Notebook .jp-Cell").first.wait_for()
        try:
            idle = page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")
            idle.wait_for(timeout=90_000)
            # The menu's commands act on the current document: the notebook, once clicked.
            page.locator(".jp-Notebook .jp-Cell").first.click()
            page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
            page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
            page.wait_for_function(QUEUED, timeout=30_000)
            return
        except PlaywrightTimeoutError:
            continue
    raise AssertionError("JupyterLab ran no cell on Run All Cells, in three loads of the page")


def test_a_notebook_draws_its_steps_inline_and_its_widget_steps_the_session(
    jupyterlab: LocalJupyter, lab: Page, server_url: str
) -> None:
    lab.goto(f"{jupyterlab.url}/lab/tree/{NOTEBOOK}")
    lab.locator(".jp-Notebook .jp-Cell").first.wait_for()
    run_all_cells(lab)

    step_button = lab.locator(".bpv-widget button", has_text="Step")
    step_button.wait_for()
    view = lab.locator(".jp-OutputArea-output .bpv-step").first
    cells = view.locator("svg rect:has(title)")
    cells.nth(50).wait_for(state="attached")  # outputs are drawn as they arrive
    box = cells.first.bounding_box()
    assert box is not None and box["width"] > 4 and box["height"] > 4
    assert view.locator("math").count() >= 3
    assert view.locator("figure[data-tensor='Delta1'] svg title").first.text_content()

    output = lab.locator(".jp-OutputArea-output pre", has_text="The same session on the page: ")
    link = output.text_content() or ""
    session_id = link.rsplit("session=", 1)[1].strip()
    where = lab.locator(".bpv-widget-where")
    expect(where).to_have_text("Iteration 1, before its first step")

    step_button.click()

    lab.wait_for_function(
        "() => document.querySelector('.bpv-widget-where').textContent.includes('step 1 of 8')"
    )
    # The widget says where it is, then draws the step it was sent: wait for the drawing.
    lab.locator(".bpv-widget-view figure[data-tensor='N1'] svg").first.wait_for()
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
