"""Saves a screenshot of the stepping page on a backward step of the XOR preset.

    .venv/bin/python scripts/screenshot.py                      # docs/screenshot.png, 1280×720
    .venv/bin/python scripts/screenshot.py --size 1600x1000 --output /tmp/big.png
    .venv/bin/python scripts/screenshot.py --url http://127.0.0.1:8000   # a running server

Without --url the app is started on a free loopback port with an in-memory store and stopped
afterwards. The browser is Debian's Chromium (/usr/bin/chromium), driven by Playwright.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
START_SECONDS = 30


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def local_server() -> Iterator[str]:
    """Runs the app with uvicorn and an in-memory store; yields its origin."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--log-level", "warning"]
    env = {**os.environ, "STORE": "memory://"}
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=env)
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/health", timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def take(url: str, output: Path, width: int, height: int, step: int | None) -> str:
    """Opens the page on the XOR preset, goes to `step` (default: the last backward step)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
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
        with local_server() as url:
            position = take(url, args.output, width, height, args.step)
    print(f"{args.output}: {position} at {width}×{height}")


if __name__ == "__main__":
    main()
