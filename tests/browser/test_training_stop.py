"""A training run can be stopped, and nothing interleaves with it: the moves are off (and say
why) while it runs, Stop ends it with every finished iteration kept, Reset asks to stop first."""

from __future__ import annotations

import time

import httpx
import pytest
from playwright.sync_api import Dialog, Page, expect

from ..api.test_training_stop import SLOW
from .axe import Axe
from .test_stepping_page import open_session, press_and_wait, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.server]


def losses(api: httpx.Client, session_id: str) -> list[float]:
    return list(api.get(f"/api/sessions/{session_id}").json()["losses"])


RUN = 20_000
"""Iterations of SLOW a test starts: the most the browser tests' server allows (LONG_RUNS),
about a minute of work, still going when the test has looked at the page and stops it."""


def train(page: Page, server_url: str, api: httpx.Client) -> str:
    """A session of SLOW on the page, RUN iterations of it started with the keyboard: returns
    its id once three progress lines have come."""
    session_id = open_session(page, server_url, api, SLOW)
    page.fill("#train-iterations", str(RUN))
    page.focus("#train-run")
    page.keyboard.press("Enter")
    page.locator('#train-panel[data-training="true"]').wait_for()
    page.wait_for_function(
        "() => Number(document.getElementById('train-panel').dataset.lines) >= 3"
    )
    return session_id


def test_stop_ends_the_run_and_the_server_keeps_every_finished_iteration(
    page: Page, server_url: str, api: httpx.Client, axe: Axe
) -> None:
    session_id = train(page, server_url, api)

    # While it runs, the moves are off and a line says why; the focus went from Train to Stop.
    expect(page.locator("#moves-off")).to_be_visible()
    for control in ("#step", "#back", "#play", "#run-to-end", "#preset", "#edit-network"):
        expect(page.locator(control)).to_be_disabled()
    expect(page.locator("#strip button").first).to_be_disabled()
    expect(page.locator("#train-stop")).to_be_focused()
    page.locator("#step-title").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press(" ")
    expect(page.locator("#play")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#position")).to_contain_text("step 0 /")
    axe.check(page, "training")

    # Stop says at once that it is stopping (read in the click's own task: the run may end
    # within milliseconds, before a poll of the page would see it).
    said = page.evaluate(
        """() => {
            const stop = document.getElementById("train-stop");
            stop.focus(); // as a click on it does
            stop.click();
            return [stop.textContent, stop.getAttribute("aria-disabled")];
        }"""
    )
    assert said == ["Stopping…", "true"]
    # The server finishes the chunk it is computing: about 0.1 s, more on a busy machine.
    expect(page.locator("#train-panel")).to_have_attribute("data-training", "false", timeout=60_000)
    wait_idle(page)
    kept = losses(api, session_id)
    time.sleep(1.0)
    assert losses(api, session_id) == kept, "the server went on training after Stop"
    assert 3 <= len(kept) < RUN
    expect(page.locator("#train-progress-text")).to_have_text(f"stopped: {len(kept)} / {RUN}")
    # Where the run stopped: its last update, as after a run that went to its end.
    expect(page.locator("#position")).to_have_text(f"Iteration {len(kept)} · step 8 / 8 · update")
    expect(page.locator("#moves-off")).to_be_hidden()
    expect(page.locator("#step")).to_be_enabled()
    expect(page.locator("#train-run")).to_be_focused()
    press_and_wait(page, "ArrowRight")
    expect(page.locator("#position")).to_contain_text(f"Iteration {len(kept) + 1} · step 1 /")
    assert losses(api, session_id) == kept


def test_reset_while_training_asks_to_stop_first(
    page: Page, server_url: str, api: httpx.Client
) -> None:
    session_id = train(page, server_url, api)
    asked: list[str] = []

    def answer(accept: bool):  # noqa: ANN202 (a Playwright handler)
        def handle(dialog: Dialog) -> None:
            asked.append(dialog.message)
            if accept:
                dialog.accept()
            else:
                dialog.dismiss()

        return handle

    page.once("dialog", answer(False))
    page.click("#reset")
    expect(page.locator("#train-panel")).to_have_attribute("data-training", "true")
    lines = int(page.locator("#train-panel").get_attribute("data-lines") or 0)
    page.wait_for_function(
        f"() => Number(document.getElementById('train-panel').dataset.lines) > {lines}"
    )

    page.once("dialog", answer(True))
    page.click("#reset")
    expect(page.locator("#train-panel")).to_have_attribute("data-training", "false", timeout=60_000)
    wait_idle(page)
    expect(page.locator("#position")).to_have_text("Iteration 1 · step 0 / 8 · not started")
    assert len(asked) == 2 and all("Stop it and reset" in message for message in asked)
    assert losses(api, session_id) == []
    time.sleep(1.0)
    assert losses(api, session_id) == [], "training went on from the reset weights"
