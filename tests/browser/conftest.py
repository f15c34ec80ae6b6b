"""Fixtures of the browser tests: the real server on a loopback port, one headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Request, sync_playwright

from devtools.chromium import CHROMIUM, launch
from devtools.server import local_server

from .axe import Axe

PROJECTOR = {"width": 1280, "height": 720}

LONG_RUNS = {"MAX_TRAIN_ITERATIONS": "20000"}
"""The browser tests' server lets one training request run 20,000 iterations (2,000 by
default): a run long enough to be stopped in the middle on any machine."""


@pytest.fixture(scope="package")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Starts the real app with uvicorn in a subprocess (memory store, LONG_RUNS) and yields its
    origin."""
    log = tmp_path_factory.mktemp("server") / "uvicorn.log"
    with local_server(log=log, env=LONG_RUNS) as server:
        yield server.url


@pytest.fixture(scope="package")
def api(server_url: str) -> Iterator[httpx.Client]:
    """A client of the same server, to read what the page should show."""
    with httpx.Client(base_url=server_url, timeout=10) as client:
        yield client


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One headless Debian Chromium for all browser tests."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: `apt-get install chromium` (make test does)")
    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe() -> Axe:
    """axe-core (from npm, pinned): `axe.check(page, "stepped")` fails on any finding of
    impact serious or critical, and on a page without its one <h1>."""
    return Axe()


@dataclass
class Recorder:
    """What a page did: every request it made and every uncaught script error."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def on_request(self, request: Request) -> None:
        self.requests.append(request.url)

    def on_error(self, error: Any) -> None:
        self.errors.append(str(error))


@pytest.fixture
def recorder() -> Recorder:
    """The requests and script errors of the test's page."""
    return Recorder()


@pytest.fixture(scope="package")
def context(browser: Browser) -> Iterator[BrowserContext]:
    """One projector-sized browser context: its HTTP cache spares reloading Plotly per test."""
    context = browser.new_context(viewport=PROJECTOR)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext, recorder: Recorder) -> Iterator[Page]:
    """A fresh page that must end without script errors."""
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("request", recorder.on_request)
    page.on("pageerror", recorder.on_error)
    yield page
    page.close()
    assert recorder.errors == [], "the page raised script errors"
