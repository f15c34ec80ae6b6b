"""The app published under /bpv/ behind Debian's nginx (ROOT_PATH=/bpv): the page steps, a
follower follows, downloads download and /docs reads its description, with every request the
browser makes under the prefix and none answered 404."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Response, expect

from devtools.nginx import NGINX, LocalNginx, nginx_in_front
from devtools.server import local_server

from .test_stepping_page import open_page, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.server]

PREFIX = "/bpv"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalNginx]:
    """The app with ROOT_PATH=/bpv, behind nginx at /bpv/."""
    if not NGINX.exists():
        pytest.skip(f"{NGINX} is missing: `apt-get install nginx` (make test does)")
    home = tmp_path_factory.mktemp("nginx")
    with (
        local_server(env={"ROOT_PATH": PREFIX}, log=home / "uvicorn.log") as app,
        nginx_in_front(app.url, PREFIX, home) as nginx,
    ):
        yield nginx


class Traffic:
    """Every request a page made and every answer it got."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.answers: list[tuple[int, str]] = []

    def watch(self, page: Page) -> Page:
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("response", lambda response: self.record(response))
        return page

    def record(self, response: Response) -> None:
        self.answers.append((response.status, response.url))


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


@pytest.fixture
def behind(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1280, "height": 720}, accept_downloads=True)
    yield context
    context.close()


def test_the_page_steps_follows_and_downloads_under_the_prefix(
    published: LocalNginx, behind: BrowserContext, traffic: Traffic, tmp_path: Path
) -> None:
    page = traffic.watch(behind.new_page())
    open_page(page, f"{published.url}/")
    for _ in range(2):
        page.locator("#step").click()
        wait_idle(page)
    expect(page.locator("#position")).to_contain_text("step 2 / 6")
    # The catalogue preloaded under the prefix is what the page's scripts used.
    presets = page.evaluate(
        """() => performance.getEntriesByType("resource")
          .filter((entry) => entry.name.endsWith("/api/presets"))
          .map((entry) => [new URL(entry.name).pathname, entry.initiatorType])"""
    )
    assert presets == [[f"{PREFIX}/api/presets", "link"]]

    page.locator("#room-open").click()
    link = page.locator("#room-url")
    expect(link).to_have_value(re.compile(rf"{PREFIX}/\?follow=[\w-]{{32}}$"))
    expect(page.locator("#room-qr")).to_have_js_property("complete", True)
    room_id = link.input_value().rsplit("=", 1)[1]
    follower = traffic.watch(behind.new_page())
    open_page(follower, f"{published.url}/?follow={room_id}")
    expect(follower.locator("#follow-banner")).to_be_visible()
    expect(follower.locator("#position")).to_contain_text("step 2 / 6")
    page.locator("#step").click()
    wait_idle(page)
    expect(follower.locator("#position")).to_contain_text("step 3 / 6", timeout=10_000)

    export = page.locator("#export-links a").nth(1)  # CSV
    with page.expect_download() as download:
        export.click()
    saved = tmp_path / "trace.csv"
    download.value.save_as(saved)
    assert saved.read_text().startswith("tensor,row,col,value\n")

    docs = traffic.watch(behind.new_page())
    docs.goto(f"{published.url}/docs")
    expect(docs.locator(".swagger-ui .info .title")).to_contain_text("Backprop Visualizer")

    outside = [u for u in traffic.requests if not u.startswith(published.url + "/")]
    assert outside == []
    missing = [url for status, url in traffic.answers if status == 404]
    assert missing == [], "\n".join(f"{s} {u}" for s, u in traffic.answers)
    assert any(
        "/bpv/api/views/" in u and u.split("?")[0].endswith("/events") for u in traffic.requests
    )
