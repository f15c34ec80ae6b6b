"""Smaller things said plainly: the network's summary whole at 1280 px, "m = 1 sample", and a
width over the server's limit refused before the editor draws a table of that width."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect

from .axe import Axe
from .test_stepping_page import open_page, press_and_wait, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.server]

# The summary's box, the room its text needs, and the window's width.
SUMMARY = """() => {
  const summary = document.getElementById('spec-summary');
  const box = summary.getBoundingClientRect();
  const line = summary.parentElement;
  return { text: summary.textContent, right: box.right, width: window.innerWidth,
           clipped: line.scrollWidth > line.clientWidth + 1, visible: box.width > 0 };
}"""


def test_the_network_summary_is_whole_at_1280_px_for_every_preset(
    page: Page, server_url: str, api: httpx.Client
) -> None:
    presets = api.get("/api/presets").json()
    open_page(page, server_url + "/")
    for preset in presets:
        page.select_option("#preset", preset["id"])
        wait_idle(page)
        summary = page.evaluate(SUMMARY)
        assert summary["visible"] and not summary["clipped"], summary
        assert summary["right"] <= summary["width"], summary
        assert "…" not in summary["text"]
        m = len(preset["spec"]["inputs"])
        assert summary["text"].endswith(f"m = {m}"), summary


def test_one_sample_is_said_in_the_singular(page: Page, server_url: str) -> None:
    open_page(page, server_url + "/")
    page.select_option("#preset", "qa-one-hidden")  # one sample, as the Q&A has it
    wait_idle(page)
    for _ in range(3):  # forward 1, forward 2, the objective
        press_and_wait(page, "ArrowRight")
    constants = page.locator(".formula-constants")
    expect(constants.first).to_contain_text("m = 1 sample in the batch")
    assert "samples" not in " ".join(constants.all_inner_texts())


def test_a_width_over_the_limit_is_refused_before_a_table_of_it_is_drawn(
    page: Page, server_url: str, api: httpx.Client, axe: Axe
) -> None:
    open_page(page, server_url + "/")
    page.click("#edit-network")
    width = page.locator("#width-0")
    width.fill("10000")
    width.press("Tab")
    error = page.locator('[data-error-for="layers.0"]')
    expect(error).to_have_text("width 10000 is over the limit 1024")
    expect(width).to_have_attribute("aria-invalid", "true")
    # No field drawn for 10,000 inputs of each sample: the targets' 4 only.
    expect(page.locator("#data-table .cell")).to_have_count(4)
    axe.check(page, "the editor, a width over the limit")

    # The server says the same when it is applied anyway; the session is not changed.
    with page.expect_response(lambda r: r.url.split("?")[0].endswith("/api/sessions")) as answer:
        page.click("#apply")
    assert answer.value.status == 422
    assert {"loc": ["body", "layers", 0], "msg": "width 10000 is over the limit 1024"}.items() <= (
        answer.value.json()["detail"][0].items()
    )
    expect(error).to_have_text("width 10000 is over the limit 1024")

    # Within the limit but too many entries to edit one by one: said, and left to CSV.
    width.fill("1000")
    width.press("Tab")
    expect(error).to_have_text("")
    expect(width).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("#data-table .cell")).to_have_count(0)
    expect(page.locator("#data-table-note")).to_have_text(
        "4 samples of 1000 inputs and 1 target are 4,004 entries, too many to edit one by one "
        "here: replace them with CSV below."
    )
    width.fill("3")
    width.press("Tab")
    expect(page.locator("#data-table .cell")).to_have_count(16)
    expect(page.locator("#data-table-note")).to_be_hidden()
