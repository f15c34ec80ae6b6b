"""Debian's headless Chromium, launched by Playwright the one way every caller needs it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
"""Debian's package (`apt-get install chromium`): Playwright's own download does not run here."""

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
"""Root in a container needs no sandbox; the rest keep Chromium from reaching the network on
its own (updates, sync) and its timings free of background work."""


def launch(playwright: Any) -> Any:
    """A headless Chromium browser of `playwright` (a `sync_playwright()` instance)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
