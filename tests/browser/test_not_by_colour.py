"""Nothing said by colour alone: predict's right and wrong, the current step and the colour bars
in forced colours (Windows high contrast), and the numbers written on the cells."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from .axe import Axe
from .colours import contrast
from .test_stepping_page import open_page, press_and_wait, session_of, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.server]


def shown_tensor(api: httpx.Client, page: Page, name: str) -> list[list[float]]:
    """The entries of tensor `name` of the step the page shows, as the API has them."""
    answer = api.get(f"/api/sessions/{session_of(page)}/current").json()
    return [list(map(float, row)) for row in answer["step"]["tensors"][name]["data"]]


def grid(page: Page, tensor: str) -> Any:
    return page.locator(f'.matrix[data-tensor="{tensor}"] .predict')


def predict_first_step(page: Page, server_url: str) -> None:
    open_page(page, server_url + "/")
    page.click("#predict-mode")
    press_and_wait(page, "ArrowRight")
    expect(grid(page, "N1").locator(".predict-cell")).to_have_count(16)


def test_right_and_wrong_are_marked_by_a_symbol_and_aria_invalid_as_well_as_colour(
    page: Page, server_url: str, api: httpx.Client, axe: Axe
) -> None:
    predict_first_step(page, server_url)
    values = [v for row in shown_tensor(api, page, "N1") for v in row]
    cells = grid(page, "N1").locator(".predict-cell")
    wrong = {1, 6, 11}
    for i, (cell, value) in enumerate(zip(cells.all(), values, strict=True)):
        cell.fill(str(value + 1 if i in wrong else value))
    grid(page, "N1").locator(".predict-check").click()
    expect(grid(page, "N1").locator(".predict-verdict")).to_have_text(
        "13 of 16 entries right (✓); the ones marked ✗ are not within 0.001 · (1 + |value|) "
        "of the value."
    )
    for i, cell in enumerate(cells.all()):
        mark = cell.locator("xpath=following-sibling::span[1]")
        if i in wrong:
            expect(cell).to_have_attribute("aria-invalid", "true")
            expect(mark).to_have_text("✗")
        else:
            expect(cell).not_to_have_attribute("aria-invalid", "true")
            expect(mark).to_have_text("✓")
    axe.check(page, "predict, graded")

    # Under deuteranopia the green and red are one colour; the symbols stay apart, each at
    # 3:1 or more against its background, in forced colours too.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setEmulatedVisionDeficiency", {"type": "deuteranopia"})
    try:
        for forced in ("none", "active"):
            page.emulate_media(forced_colors=forced)
            for i in (0, 1):
                mark = cells.nth(i).locator("xpath=following-sibling::span[1]")
                expect(mark).to_be_visible()
                colours = mark.evaluate(
                    "m => [getComputedStyle(m).color,"
                    " getComputedStyle(m.closest('.matrix-group, body')).backgroundColor]"
                )
                assert contrast(*colours) >= 3, (forced, colours)
    finally:
        cdp.send("Emulation.setEmulatedVisionDeficiency", {"type": "none"})
        page.emulate_media(forced_colors="none")


def test_the_tolerance_is_said_before_answering_and_the_student_can_change_it(
    page: Page, server_url: str, api: httpx.Client
) -> None:
    predict_first_step(page, server_url)
    hint = grid(page, "N1").locator(".predict-hint")
    expect(hint).to_contain_text("an entry is right when it is within 0.001 · (1 + |value|)")
    expect(page.locator("#tolerance")).to_be_visible()

    values = [v for row in shown_tensor(api, page, "N1") for v in row]
    cells = grid(page, "N1").locator(".predict-cell")
    for cell, value in zip(cells.all(), values, strict=True):
        cell.fill(f"{value + 0.005 * (1 + abs(value)):.6f}")  # off by half of 0.01
    grid(page, "N1").locator(".predict-check").click()
    expect(grid(page, "N1").locator(".predict-verdict")).to_contain_text("0 of 16 entries right")

    page.select_option("#tolerance", "0.01")
    expect(hint).to_contain_text("an entry is right when it is within 0.01 · (1 + |value|)")
    with page.expect_request(lambda r: r.url.split("?")[0].endswith("/check")) as sent:
        grid(page, "N1").locator(".predict-check").click()
    assert sent.value.post_data_json["tolerance"] == 0.01
    expect(grid(page, "N1").locator(".predict-verdict")).to_have_text(
        "All 16 entries right (✓), each within 0.01 · (1 + |value|) of the value."
    )


def test_a_decimal_comma_is_read_as_a_point_and_a_cell_not_a_number_is_marked(
    page: Page, server_url: str, api: httpx.Client
) -> None:
    predict_first_step(page, server_url)
    values = [v for row in shown_tensor(api, page, "N1") for v in row]
    cells = grid(page, "N1").locator(".predict-cell")
    for cell, value in zip(cells.all(), values, strict=True):
        cell.fill(f"{value:.9f}".replace(".", ",").replace("-", "−"))
    cells.nth(5).fill("zero")
    checks: list[str] = []
    page.on("request", lambda r: checks.append(r.url) if "/check" in r.url else None)
    grid(page, "N1").locator(".predict-check").click()
    verdict = grid(page, "N1").locator(".predict-verdict")
    expect(verdict).to_have_text(
        "1 entry is empty or not a number (marked ?): type a number in each, such as −0.25, "
        "0,25 or 2.5e-3."
    )
    expect(cells.nth(5)).to_have_attribute("aria-invalid", "true")
    expect(cells.nth(5).locator("xpath=following-sibling::span[1]")).to_have_text("?")
    expect(cells.nth(4)).not_to_have_attribute("aria-invalid", "true")
    assert checks == [], "a grid with an entry that is not a number was sent to be graded"

    cells.nth(5).fill(f"{values[5]:.9f}".replace(".", ","))
    grid(page, "N1").locator(".predict-check").click()
    expect(verdict).to_have_text(
        "All 16 entries right (✓), each within 0.001 · (1 + |value|) of the value."
    )
    expect(cells.nth(5)).not_to_have_attribute("aria-invalid", "true")


def test_in_forced_colours_the_current_step_and_the_colour_bars_stay_visible(
    page: Page, server_url: str
) -> None:
    page.emulate_media(forced_colors="active")
    open_page(page, server_url + "/")
    for _ in range(4):
        press_and_wait(page, "ArrowRight")
    strip = page.evaluate(
        """() => [...document.querySelectorAll('#strip .strip-step')].map(b => {
          const s = getComputedStyle(b);
          return { current: b.getAttribute('aria-current') === 'step',
                   background: s.backgroundColor, color: s.color };
        })"""
    )
    current = [s for s in strip if s["current"]]
    others = [s for s in strip if not s["current"]]
    assert len(current) == 1
    assert all(s["background"] != current[0]["background"] for s in others)
    assert contrast(current[0]["color"], current[0]["background"]) >= 4.5

    bars = page.locator(".matrix-scale-bar")
    assert bars.count() > 0
    for bar in bars.all():
        image = bar.evaluate("b => getComputedStyle(b).backgroundImage")
        assert "gradient" in image, image


# Each written number's colour and the colour of its cell's canvas, sampled at the cell's
# corner (the number stays clear of it).
NUMBER_INKS = """() => [
  ...document.querySelectorAll('.matrix[data-numbers]:not([data-numbers=""])')
].flatMap(figure => {
    const canvas = figure.querySelector('.matrix-canvas');
    const context = canvas.getContext('2d');
    const ratio = canvas.width / canvas.getBoundingClientRect().width;
    const origin = canvas.getBoundingClientRect();
    return [...figure.querySelectorAll('.matrix-numbers > span')].map(span => {
      const box = span.getBoundingClientRect();
      const x = Math.round((box.left - origin.left + 2) * ratio);
      const y = Math.round((box.top - origin.top + 2) * ratio);
      const [r, g, b] = context.getImageData(x, y, 1, 1).data;
      return { tensor: figure.dataset.tensor, text: span.textContent,
               ink: getComputedStyle(span).color, cell: `rgb(${r}, ${g}, ${b})` };
    });
  })"""


@pytest.mark.parametrize("scale", ["rdbu", "puor", "contrast"])
def test_every_number_on_a_cell_has_four_and_a_half_to_one_contrast_with_it(
    page: Page, server_url: str, scale: str
) -> None:
    open_page(page, server_url + "/")
    page.select_option("#colour-scale", scale)
    wait_idle(page)
    measured = 0
    for _ in range(6):  # every step of an iteration of XOR
        press_and_wait(page, "ArrowRight")
        for number in page.evaluate(NUMBER_INKS):
            assert contrast(number["ink"], number["cell"]) >= 4.5, number
            measured += 1
    assert measured > 100
