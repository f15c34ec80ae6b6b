"""What the page loads at first, and what stays in place while it steps: in headless Chromium
at the projector's size against the real server."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import Recorder
from .test_stepping_page import open_page, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.server]

# Where the parts of the page that must not move are: the strip, the formulas' column, the
# matrices' column, and what follows the stage.
PLACES = """() => {
  const box = (selector) => document.querySelector(selector).getBoundingClientRect();
  return {
    strip: [box("#strip").x, box("#strip").y, box("#strip").width, box("#strip").height],
    formulas: [box(".formula-panel").x, box(".formula-panel").y, box(".formula-panel").width],
    matrices: [box(".matrix-panel").x, box(".matrix-panel").y, box(".matrix-panel").width],
    below: box(".workbench").y,
    screen: window.innerHeight,
  };
}"""


def test_plotly_is_loaded_only_when_the_train_panel_comes_near_the_screen(
    page: Page, server_url: str, recorder: Recorder
) -> None:
    open_page(page, server_url + "/")  # XOR: two inputs, a decision boundary to draw

    assert page.evaluate("typeof window.Plotly") == "undefined"
    assert [url for url in recorder.requests if "plotly" in url] == []
    page.locator("#train-panel").scroll_into_view_if_needed()
    expect(page.locator("#train-boundary")).to_have_attribute("data-iteration", "0")
    assert page.evaluate("typeof window.Plotly") == "object"
    assert len([url for url in recorder.requests if "plotly" in url]) == 1


@pytest.mark.parametrize("preset", ["xor", "softmax-classifier"])
def test_the_strip_and_both_columns_stay_in_place_through_every_step(
    page: Page, server_url: str, preset: str
) -> None:
    open_page(page, server_url + "/")
    page.select_option("#preset", preset)
    wait_idle(page)
    before = page.evaluate(PLACES)
    steps = page.locator(".strip-step").count()

    places = []
    for _ in range(steps + 1):  # an iteration, and the first step of the next
        page.locator("#step").click()
        wait_idle(page)
        places.append(page.evaluate(PLACES))

    for name in ("strip", "formulas", "matrices"):
        assert {tuple(p[name]) for p in places} == {tuple(before[name])}, name
    assert before["below"] >= before["screen"], "the diagram starts past the first screen"
    moved_on_screen = [
        p["below"] for p in places if p["below"] != before["below"] and p["below"] < p["screen"]
    ]
    assert moved_on_screen == [], "what follows the stage never moves within the first screen"


# The top and height of each group of matrices (results, intermediates, operands).
GROUPS = """() => [...document.querySelectorAll(".matrix-group")].map((group) => {
  const box = group.getBoundingClientRect();
  return [group.id, Math.round(box.y), Math.round(box.height)];
})"""


@pytest.mark.parametrize("preset", ["xor", "softmax-classifier"])
def test_the_matrix_groups_keep_their_room_once_every_step_was_drawn(
    page: Page, server_url: str, preset: str
) -> None:
    open_page(page, server_url + "/")
    page.select_option("#preset", preset)
    wait_idle(page)
    steps = page.locator(".strip-step").count()
    for _ in range(steps):  # every step drawn once
        page.locator("#step").click()
        wait_idle(page)

    boxes = []
    for _ in range(steps):
        page.locator("#step").click()
        wait_idle(page)
        boxes.append(page.evaluate(GROUPS))

    assert all(box == boxes[0] for box in boxes), boxes


def test_the_network_summary_keeps_its_line_before_the_network_is_known(
    page: Page, server_url: str
) -> None:
    open_page(page, server_url + "/")
    shown = [round(v) for v in page.evaluate(PLACES)["strip"]]

    page.evaluate("document.getElementById('spec-summary').textContent = ''")

    assert [round(v) for v in page.evaluate(PLACES)["strip"]] == shown  # to the pixel
