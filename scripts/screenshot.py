"""Saves a screenshot of the stepping page on a backward step of the XOR preset.

    .venv/bin/python -m scripts.screenshot                      # docs/screenshot.png, 1280×720
    .venv/bin/python -m scripts.screenshot --size 1600x1000 --output /tmp/big.png
    .venv/bin/python -m scripts.screenshot --url http://127.0.0.1:8000   # a running server

Without --url the app is started on a free loopback port with an in-memory store and stopped
afterwards. The browser is Debian's Chromium (/usr/bin/chromium), driven by Playwright.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

from devtools.chromium import launch
from devtools.server import local_server

REPO_ROOT = Path(__file__).resolve().parent.parent


def take(url: str, output: Path, width: int, height: int, step: int | None) -> str:
    """Opens the page on the XOR preset, goes to `step` (default: the last backward step)."""
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(url + "/")
        page.locator("body[data-ready=true]").wait_for(state="attached")
        page.select_option("#preset", "xor")
        page.locator("body[data-busy=false]").wait_for(state="attached")
        strip = page.locator("#strip .strip-step")
        number = step if step is not None else strip.count() - 1
        page.click(f'#strip [data-number="{number}"]')
        page.locator("body[data-busy=false]").wait_for(state="attached")
        page.mouse.move(0, 0)
        page.wait_for_timeout(300)  # fonts and the last paint
        output.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(output))
        position = page.inner_text("#position")
        browser.close()
    return position


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="origin of a running server; default: start one")
    parser.add_argument("--output", type=Path, default=REPO_ROOT / "docs" / "screenshot.png")
    parser.add_argument("--size", default="1280x720", help="viewport, WIDTHxHEIGHT")
    parser.add_argument("--step", type=int, help="step number (default: the last backward one)")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.lower().split("x"))
    if args.url:
        position = take(args.url.rstrip("/"), args.output, width, height, args.step)
    else:
        with local_server() as server:
            position = take(server.url, args.output, width, height, args.step)
    print(f"{args.output}: {position} at {width}×{height}")


if __name__ == "__main__":
    main()
