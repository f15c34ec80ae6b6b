"""Saves a screenshot of the stepping page on a backward step of the XOR preset: by default in
presenter mode, the step drawn as its equations (the README's picture).

    .venv/bin/python -m scripts.screenshot                      # docs/screenshot.png, 1280×720
    .venv/bin/python -m scripts.screenshot --size 1600x1000 --output /tmp/big.png
    .venv/bin/python -m scripts.screenshot --page normal --layout panels   # the page as opened
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


def take(url: str, output: Path, size: tuple[int, int], step: int | None, query: str) -> str:
    """Opens the page (`query` its address's query) on the XOR preset, goes to `step` (default:
    the last backward step)."""
    width, height = size
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(f"{url}/?{query}")
        page.locator("body[data-ready=true]").wait_for(state="attached")
        page.locator("body[data-busy=false]").wait_for(state="attached")
        if page.locator("#preset").input_value() != "xor":
            page.evaluate(
                "() => { const menu = document.getElementById('preset'); menu.value = 'xor';"
                " menu.dispatchEvent(new Event('change')); }"
            )
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
    parser.add_argument(
        "--page", choices=["presenter", "normal"], default="presenter", help="(presenter)"
    )
    parser.add_argument("--layout", choices=["equation", "panels"], default="equation")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.lower().split("x"))
    query = f"layout={args.layout}" + ("&presenter=1" if args.page == "presenter" else "")
    if args.url:
        position = take(args.url.rstrip("/"), args.output, (width, height), args.step, query)
    else:
        with local_server() as server:
            position = take(server.url, args.output, (width, height), args.step, query)
    print(f"{args.output}: {position} at {width}×{height}, {query}")


if __name__ == "__main__":
    main()
