"""axe-core on every state of the page a student meets, and on /docs.

Each state is a function that brings a fresh page into it; `STATES` names them. A new view of
the page adds its state here, and the test below holds it to the bar: no finding of impact
serious or critical, and one <h1>.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from playwright.sync_api import Page, expect

from .axe import Axe
from .test_stepping_page import cell, open_page, press_and_wait, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.server]

State = Callable[[Page, str, httpx.Client], None]


def initial(page: Page, server_url: str, api: httpx.Client) -> None:
    open_page(page, server_url + "/")


def stepped(page: Page, server_url: str, api: httpx.Client) -> None:
    open_page(page, server_url + "/")
    for _ in range(4):  # backward, layer 2: results, intermediates and operands
        press_and_wait(page, "ArrowRight")


def editor_open(page: Page, server_url: str, api: httpx.Client) -> None:
    open_page(page, server_url + "/")
    page.click("#edit-network")
    expect(page.locator("#editor")).to_be_visible()


def presenter(page: Page, server_url: str, api: httpx.Client) -> None:
    open_page(page, server_url + "/?presenter=1")
    press_and_wait(page, "ArrowRight")


def equation_view(page: Page, server_url: str, api: httpx.Client) -> None:
    open_page(page, server_url + "/?layout=equation")
    for _ in range(4):  # backward, layer 2: the longest lines
        press_and_wait(page, "ArrowRight")
    expect(page.locator("html")).to_have_attribute("data-layout", "equation")


def predict(page: Page, server_url: str, api: httpx.Client) -> None:
    open_page(page, server_url + "/")
    page.click("#predict-mode")
    page.click("#step")
    wait_idle(page)
    expect(page.locator(".predict-grid").first).to_be_visible()


def training_done(page: Page, server_url: str, api: httpx.Client) -> None:
    open_page(page, server_url + "/")
    page.fill("#train-iterations", "40")
    page.click("#train-run")
    expect(page.locator("#train-progress-text")).to_have_text("40 / 40")
    expect(page.locator("#train-panel")).to_have_attribute("data-training", "false")
    wait_idle(page)
    expect(page.locator("#train-loss .main-svg").first).to_be_visible()


def follower(page: Page, server_url: str, api: httpx.Client) -> None:
    xor = next(p for p in api.get("/api/presets").json() if p["id"] == "xor")
    session_id = api.post("/api/sessions", json=xor["spec"]).json()["id"]
    link = api.post(f"/api/sessions/{session_id}/view").json()["page"]
    api.post(f"/api/sessions/{session_id}/step")
    open_page(page, server_url + link)
    expect(page.locator("#follow-banner")).to_be_visible()
    expect(page.locator("#position")).to_contain_text("step 1 / 6")


def explanation_open(page: Page, server_url: str, api: httpx.Client) -> None:
    stepped(page, server_url, api)
    page.mouse.click(*cell(page, "gradW2", 1, 3))
    expect(page.locator('#explain[data-state="shown"]')).to_be_visible()


def docs(page: Page, server_url: str, api: httpx.Client) -> None:
    page.goto(server_url + "/docs")
    page.locator(".swagger-ui .opblock").first.wait_for()


def docs_operation_open(page: Page, server_url: str, api: httpx.Client) -> None:
    docs(page, server_url, api)
    for control in page.locator(".opblock-summary-control").all()[:6]:
        control.click()
    expect(page.locator(".opblock-body").nth(5)).to_be_visible()
    page.locator(".highlight-code").first.wait_for()


STATES: dict[str, State] = {
    "initial": initial,
    "stepped": stepped,
    "editor open": editor_open,
    "presenter": presenter,
    "equation view": equation_view,
    "predict": predict,
    "training done": training_done,
    "follower": follower,
    "an explanation open": explanation_open,
    "/docs": docs,
    "/docs, operations open": docs_operation_open,
}
"""Every state of the page held to the bar, by name."""


@pytest.mark.parametrize("state", STATES)
def test_axe_finds_nothing_serious_and_one_heading_one_in(
    state: str, page: Page, server_url: str, api: httpx.Client, axe: Axe
) -> None:
    STATES[state](page, server_url, api)
    axe.check(page, state)
    expect(page.locator("h1")).to_have_count(1)


def test_axe_would_fail_a_page_without_a_heading_one(
    page: Page, server_url: str, api: httpx.Client, axe: Axe
) -> None:
    initial(page, server_url, api)
    page.evaluate("() => document.querySelector('h1').outerHTML = '<p>Backprop Visualizer</p>'")
    with pytest.raises(AssertionError, match="page-has-heading-one"):
        axe.check(page, "initial, its <h1> taken away")
