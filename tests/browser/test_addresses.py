"""Addresses the page cannot honour say so, in one sentence: a session gone, a view unknown, a
network refused (the editor opens with the server's reasons), cut short, or not a network."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from .axe import Axe
from .test_stepping_page import open_page, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.server]

XOR_LIKE = {
    "layers": [2, 3, 1],
    "activations": ["tanh", "sigmoid"],
    "inputs": [[0, 0], [0, 1], [1, 0], [1, 1]],
    "targets": [[0], [1], [1], [0]],
}


def hashed(value: Any) -> str:
    """`value` (JSON, or text as it is) as the page writes a `#spec=`: base64url, no padding."""
    text = value if isinstance(value, str) else json.dumps(value)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def status(page: Page) -> Any:
    return expect(page.locator("#status"))


STARTED_XOR = "Iteration 1 · step 0 / 6 · not started"

CASES = {
    "an unknown ?session=": (
        "/?session=no-such-session",
        "The session in the address (?session=) is gone: it expired or was deleted, so a new "
        "one was started.",
        STARTED_XOR,
    ),
    "a #spec= cut short": (
        "/#spec=" + hashed(XOR_LIKE)[:41],
        "The network in the address (#spec=) cannot be read: the link is cut short or damaged, "
        "so the XOR preset was started instead.",
        STARTED_XOR,
    ),
    "a #spec= that is JSON but not a spec": (
        "/#spec=" + hashed({"network": "2-3-1"}),
        'The address\'s #spec= holds JSON that is not a network (it has no "layers" list), so '
        "the XOR preset was started instead.",
        STARTED_XOR,
    ),
    "a #spec= that is a JSON list": (
        "/#spec=" + hashed([2, 3, 1]),
        'The address\'s #spec= holds JSON that is not a network (it has no "layers" list), so '
        "the XOR preset was started instead.",
        STARTED_XOR,
    ),
    "an unknown ?follow=": (
        "/?follow=" + "0" * 32,
        "There is nothing to follow at this address (?follow=): the link is wrong, or the "
        "lecturer's room has ended.",
        "No session shown.",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_an_address_that_cannot_be_honoured_says_so_in_one_sentence(
    case: str, page: Page, server_url: str, axe: Axe
) -> None:
    path, sentence, position = CASES[case]
    open_page(page, server_url + path)
    # A follower's page says it where it says how it follows: in its banner, once.
    where = "#follow-text" if "?follow=" in path else "#status"
    expect(page.locator(where)).to_have_text(sentence)
    expect(page.get_by_text(sentence)).to_have_count(1)
    expect(page.locator("#position")).to_have_text(position)
    expect(page.locator("#editor")).to_be_hidden()
    axe.check(page, case)


def test_a_refused_spec_opens_the_editor_with_the_servers_messages_on_the_fields(
    page: Page, server_url: str, api: httpx.Client, axe: Axe
) -> None:
    refused = {**XOR_LIKE, "seed": "x", "learning_rate": "abc"}
    detail = api.post("/api/sessions", json=refused).json()["detail"]
    messages = {".".join(map(str, d["loc"][1:])): d["msg"] for d in detail}
    assert set(messages) == {"seed", "learning_rate"}

    open_page(page, server_url + "/#spec=" + hashed(refused))
    sentence = (
        "The network in the address (#spec=) was refused by the server: the editor shows why, "
        "next to each field."
    )
    editor = page.locator("dialog#editor")
    expect(editor).to_be_visible()
    expect(editor.locator("#editor-error")).to_have_text(sentence)
    status(page).to_have_text(sentence)
    expect(page.locator("#seed")).to_have_value("x")
    expect(page.locator("#seed")).to_have_attribute("aria-invalid", "true")
    expect(editor.locator('[data-error-for="seed"]')).to_have_text(messages["seed"])
    expect(page.locator("#learning-rate")).to_have_attribute("aria-invalid", "true")
    expect(editor.locator('[data-error-for="learning_rate"]')).to_have_text(
        messages["learning_rate"]
    )
    expect(page.locator("#position")).to_have_text("No session shown.")
    assert "#spec=" in page.url, "the refused network left the address"
    axe.check(page, "a refused #spec=, the editor open")

    # Mended and applied, it is the session shown; the address carries it.
    page.fill("#seed", "3")
    page.fill("#learning-rate", "0.5")
    page.click("#apply")
    wait_idle(page)
    expect(editor).to_be_hidden()
    expect(page.locator("#spec-summary")).to_contain_text("2–3–1")
    expect(page.locator("#spec-summary")).to_contain_text("η = 0.5")
    expect(page.locator("#status")).to_be_hidden()


def test_closing_the_editor_of_a_refused_spec_starts_the_default_preset(
    page: Page, server_url: str
) -> None:
    open_page(page, server_url + "/#spec=" + hashed({**XOR_LIKE, "layers": [2, 0, 1]}))
    expect(page.locator("dialog#editor")).to_be_visible()
    page.keyboard.press("Escape")
    wait_idle(page)
    expect(page.locator("#position")).to_have_text(STARTED_XOR)
    expect(page.locator("#preset")).to_have_value("xor")


def test_a_link_with_a_big_batch_builds_a_session_of_exactly_its_numbers(
    page: Page, server_url: str, api: httpx.Client
) -> None:
    """More than JSON_NUMBERS inputs and targets go in the link as float64 bytes: the page
    writes them (its own encodeSpec), reads them from the address, and the server gets the
    very same doubles."""
    inputs = [[((37 * j + 11 * c) % 101 - 50) / 7 + 1e-9 * c for c in range(300)] for j in range(3)]
    spec = {
        "layers": [300, 2, 1],
        "activations": ["tanh", "sigmoid"],
        "inputs": inputs,
        "targets": [[0.25], [0.5], [1 / 3]],
    }
    open_page(page, server_url)
    value = page.evaluate(
        "async (spec) => (await import('/static/js/address.js')).encodeSpec(spec)", spec
    )
    assert value.count(".") == 2, "the batch was not written as float64 bytes"
    assert len(value) < len(hashed(spec)) / 2

    open_page(page, f"{server_url}/#spec={value}")
    wait_idle(page)
    expect(page.locator("#spec-summary")).to_contain_text("300–2–1")
    session_id = page.evaluate("new URL(location.href).searchParams.get('session')")
    made = api.get(f"/api/sessions/{session_id}").json()["spec"]
    assert made["inputs"] == inputs
    assert made["targets"] == spec["targets"]


def test_a_links_session_is_asked_for_while_the_page_still_waits_for_its_lists(
    page: Page, server_url: str
) -> None:
    """The network of a `#spec=` link is created at once, not once the presets, activations and
    objectives have come: with the presets held back, the session is asked for all the same,
    and the page starts it when they come."""
    held = []
    page.route("**/api/presets", lambda route: held.append(route))
    with page.expect_request(
        lambda request: request.method == "POST" and "/api/sessions" in request.url,
        timeout=5_000,
    ):
        page.goto(server_url + "/#spec=" + hashed(XOR_LIKE))
    assert held, "the presets were not asked for"
    assert page.locator("body[data-ready=true]").count() == 0, "ready without the presets"
    for route in held:
        route.continue_()
    page.locator("body[data-ready=true]").wait_for(state="attached")
    wait_idle(page)
    expect(page.locator("#spec-summary")).to_contain_text("2–3–1")
    expect(page.locator("#status")).to_be_hidden()
