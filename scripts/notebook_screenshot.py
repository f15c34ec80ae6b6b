"""Saves a screenshot of notebooks/check-your-own-backprop.ipynb run in JupyterLab: a backward
step drawn inline (SVG heatmaps under MathML), or with --widget the live widget after a Step.

    .venv/bin/python -m scripts.notebook_screenshot                 # docs/notebook.png, 1280×800
    .venv/bin/python -m scripts.notebook_screenshot --widget --output /tmp/widget.png

The app and JupyterLab are started on free loopback ports (sessions in memory, JupyterLab's
files in a temporary directory) and stopped afterwards; the browser is Debian's Chromium.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from devtools.chromium import launch
from devtools.jupyter import local_jupyterlab
from devtools.server import REPO_ROOT, local_server

NOTEBOOK = "check-your-own-backprop.ipynb"


def take(output: Path, width: int, height: int, widget: bool) -> None:
    """Runs the notebook in JupyterLab and screenshots the step's output (or the widget)."""
    with tempfile.TemporaryDirectory(prefix="notebook-shot-") as tmp:
        root, home = Path(tmp) / "notebooks", Path(tmp) / "home"
        root.mkdir()
        home.mkdir()
        shutil.copy(REPO_ROOT / "notebooks" / NOTEBOOK, root)
        with (
            local_server() as app,
            local_jupyterlab(root, home, env={"BACKPROP_VISUALIZER_URL": app.url}) as lab,
            sync_playwright() as playwright,
        ):
            browser = launch(playwright)
            page = browser.new_page(viewport={"width": width, "height": height})
            page.set_default_timeout(60_000)
            page.goto(f"{lab.url}/lab/tree/{NOTEBOOK}")
            page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for()
            page.locator("[data-command='notebook:restart-run-all']").first.click()
            page.locator(".jp-Dialog-footer .jp-mod-accept").click()
            step = page.locator(".bpv-widget button", has_text="Step")
            step.wait_for()
            # The sidebar closed, so that the notebook has the width.
            page.keyboard.press("Escape")
            page.keyboard.press("Control+b")
            if widget:
                step.click()
                page.locator(".bpv-widget-view .bpv-step").wait_for()
                target = page.locator(".bpv-widget").first
            else:
                target = page.locator(".jp-OutputArea-output .bpv-step").first
            target.scroll_into_view_if_needed()
            page.locator(".jp-Cell", has=target).first.evaluate(
                "cell => cell.scrollIntoView({block: 'start'})"
            )
            page.wait_for_timeout(500)  # the last paint
            output.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(output))
            browser.close()


def main() -> None:
    """Parses the options and saves the screenshot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=REPO_ROOT / "docs" / "notebook.png")
    parser.add_argument("--size", default="1280x800", help="WIDTHxHEIGHT (1280x800)")
    parser.add_argument("--widget", action="store_true", help="the widget after one Step")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    take(args.output, width, height, args.widget)
    print(args.output)


if __name__ == "__main__":
    main()
