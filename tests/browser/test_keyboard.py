"""The page with the keyboard alone: what each key does, where the focus goes, how it is seen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from .axe import Axe
from .colours import contrast
from .test_stepping_page import cell, open_page, press_and_wait, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.server]

# The focused element's ring and the colour it is drawn on (the nearest opaque background
# around it: the ring is drawn outside the element, 2 px off).
FOCUS_RING = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  let node = el.parentElement;
  let background = "rgb(255, 255, 255)";
  for (; node; node = node.parentElement) {
    const colour = getComputedStyle(node).backgroundColor;
    if (colour !== "rgba(0, 0, 0, 0)" && colour !== "transparent") { background = colour; break; }
  }
  return {
    name: el.id || el.getAttribute("aria-label") || el.textContent.trim().slice(0, 30),
    tag: el.tagName,
    outline: style.outlineStyle,
    width: parseFloat(style.outlineWidth),
    colour: style.outlineColor,
    background,
  };
}"""


def focus_stops(page: Page, count: int) -> list[dict[str, Any]]:
    """The focused element and its ring after each of `count` presses of Tab."""
    stops = []
    for _ in range(count):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement === document.body"):
            continue
        stops.append(page.evaluate(FOCUS_RING))
    return stops


@pytest.mark.parametrize("query", ["", "?presenter=1"])
def test_every_focus_ring_has_three_to_one_contrast_with_what_it_is_drawn_on(
    query: str, page: Page, server_url: str, api: httpx.Client, axe: Axe
) -> None:
    open_page(page, server_url + "/" + query)
    press_and_wait(page, "ArrowRight")
    stops = focus_stops(page, 45)
    assert len(stops) >= 10
    for stop in stops:
        assert stop["outline"] == "solid" and stop["width"] >= 2, stop
        assert contrast(stop["colour"], stop["background"]) >= 3, stop
    axe.check(page, "stepped, focus on a control")


def position(page: Page) -> str:
    return page.locator("#position").inner_text()


def focused(page: Page) -> str:
    """The id (or else the class) of the focused element; "BODY" when focus is nowhere."""
    return str(
        page.evaluate(
            "() => document.activeElement === document.body ? 'BODY'"
            " : document.activeElement.id || document.activeElement.className"
        )
    )


def wait_focus_settled(page: Page) -> None:
    """Waits until the focus rests on a shown element other than the body.

    Chromium may keep a control it has just hidden as the active element for a frame, so
    "not the body" alone can be read before the page has moved the focus on.
    """
    page.wait_for_function(
        "() => document.activeElement !== document.body"
        " && document.activeElement.checkVisibility({ visibilityProperty: true })"
    )


def test_space_on_a_focused_button_presses_that_button_and_nothing_else(
    page: Page, server_url: str
) -> None:
    open_page(page, server_url + "/")
    for _ in range(3):
        press_and_wait(page, "ArrowRight")
    assert "step 3 / 6" in position(page)

    page.focus("#reset")
    press_and_wait(page, " ")
    expect(page.locator("#position")).to_contain_text("step 0 / 6")
    expect(page.locator("#play")).to_have_attribute("aria-pressed", "false")
    assert focused(page) == "reset"

    page.focus("#step")
    press_and_wait(page, " ")
    expect(page.locator("#position")).to_contain_text("step 1 / 6")
    expect(page.locator("#play")).to_have_attribute("aria-pressed", "false")

    # With the focus on nothing that takes a key, space plays and pauses.
    page.locator("#step-title").focus()
    page.keyboard.press(" ")
    expect(page.locator("#play")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press(" ")
    expect(page.locator("#play")).to_have_attribute("aria-pressed", "false")


def test_the_arrows_step_again_once_a_menu_choice_is_made(page: Page, server_url: str) -> None:
    open_page(page, server_url + "/")
    page.focus("#convention")
    press_and_wait(page, "ArrowDown")  # the keyboard's way of choosing in a closed menu
    expect(page.locator("#convention")).to_have_value("row")
    expect(page.locator(".notation-badge")).to_have_count(0)

    press_and_wait(page, "ArrowRight")
    expect(page.locator("#position")).to_contain_text("step 1 / 6")
    expect(page.locator("#convention")).to_have_value("row")
    expect(page.locator(".notation-badge")).to_have_text("row convention")
    press_and_wait(page, "ArrowRight")
    press_and_wait(page, "ArrowLeft")
    expect(page.locator("#position")).to_contain_text("step 1 / 6")
    expect(page.locator("#convention")).to_have_value("row")
    assert focused(page) == "convention"


@pytest.mark.parametrize("field", ["#train-iterations", "#latex-digits"])
def test_the_arrows_are_left_to_a_text_field(page: Page, server_url: str, field: str) -> None:
    open_page(page, server_url + "/")
    page.focus(field)
    press_and_wait(page, "ArrowRight")
    press_and_wait(page, " ")
    expect(page.locator("#position")).to_contain_text("step 0 / 6")
    expect(page.locator("#play")).to_have_attribute("aria-pressed", "false")


def test_the_speed_slider_keeps_its_arrows(page: Page, server_url: str) -> None:
    open_page(page, server_url + "/")
    page.focus("#speed")
    press_and_wait(page, "ArrowRight")
    expect(page.locator("#speed-value")).to_have_text("1.25 step/s")
    expect(page.locator("#position")).to_contain_text("step 0 / 6")


# --- the editor, a modal dialog --------------------------------------------------------------


def open_dialog_by_keyboard(page: Page, server_url: str, button: str, dialog: str) -> Locator:
    """Opens the page, focuses the button of id `button` and presses Enter: the dialog of id
    `dialog` is shown, with the focus in it. Returns the dialog."""
    open_page(page, server_url + "/")
    page.focus(f"#{button}")
    page.keyboard.press("Enter")
    shown = page.locator(f"dialog#{dialog}")
    expect(shown).to_be_visible()
    assert page.evaluate(focus_in(dialog))
    return shown


def focus_in(dialog: str) -> str:
    """A JS function: whether the focus is in the dialog of id `dialog`."""
    return f"() => document.getElementById('{dialog}').contains(document.activeElement)"


def assert_tab_goes_round(page: Page, dialog: str, *, tabs: int, shift_tabs: int) -> None:
    """Tab `tabs` times, then Shift+Tab `shift_tabs` times: the focus never leaves `dialog`."""
    for key in ["Tab"] * tabs + ["Shift+Tab"] * shift_tabs:
        page.keyboard.press(key)
        assert page.evaluate(focus_in(dialog)), f"{key} left the dialog for {focused(page)}"


def test_the_editor_is_a_modal_dialog_that_keeps_the_focus_and_gives_it_back(
    page: Page, server_url: str, axe: Axe
) -> None:
    editor = open_dialog_by_keyboard(page, server_url, "edit-network", "editor")
    assert page.evaluate("() => document.getElementById('editor').matches(':modal')")
    expect(page.locator("#edit-network")).to_have_attribute("aria-expanded", "true")
    axe.check(page, "editor open")

    # Tab and Shift+Tab go round the dialog's fields and never reach what it covers.
    assert_tab_goes_round(page, "editor", tabs=70, shift_tabs=10)
    # The page's keys do nothing while it is open.
    page.focus("#seed")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#position")).to_contain_text("step 0 / 6")
    # What it covers cannot be clicked either.
    page.mouse.click(*center(page, "#step"))
    expect(page.locator("#position")).to_contain_text("step 0 / 6")

    page.keyboard.press("Escape")
    expect(editor).to_be_hidden()
    expect(page.locator("#edit-network")).to_have_attribute("aria-expanded", "false")
    assert focused(page) == "edit-network"

    # Applied, it closes and the focus is back on its button too.
    page.keyboard.press("Enter")
    page.fill("#learning-rate", "0.5")
    page.focus("#apply")
    press_and_wait(page, "Enter")
    expect(editor).to_be_hidden()
    assert focused(page) == "edit-network"
    expect(page.locator("#spec-summary")).to_contain_text("η = 0.5")


def center(page: Page, selector: str) -> tuple[float, float]:
    box = page.locator(selector).bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


# Where the focused field is, the dialog's visible box and the Apply bar's top.
FIELD_IN_VIEW = """() => {
  const dialog = document.getElementById('editor');
  const field = document.activeElement.getBoundingClientRect();
  const box = dialog.getBoundingClientRect();
  const bar = dialog.querySelector('.editor-actions');
  return {
    name: document.activeElement.id || document.activeElement.getAttribute('aria-label'),
    inBar: bar.contains(document.activeElement),
    top: field.top,
    bottom: field.bottom,
    dialogTop: box.top,
    barTop: bar.getBoundingClientRect().top,
  };
}"""


def test_the_students_dialog_keeps_the_focus_and_gives_it_back(
    page: Page, server_url: str, axe: Axe
) -> None:
    dialog = open_dialog_by_keyboard(page, server_url, "room-header", "room-dialog")
    axe.check(page, "the students' dialog open")

    # Tab and Shift+Tab go round its buttons and never leave it for the browser's bar.
    assert_tab_goes_round(page, "room-dialog", tabs=5, shift_tabs=5)

    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert focused(page) == "room-header"


def test_at_200_percent_zoom_the_apply_bar_hides_no_focused_field(
    browser: Browser, server_url: str, tmp_path: Path
) -> None:
    # 200% zoom of a 1280 × 720 screen: a viewport of 640 × 360 CSS pixels, 2 device pixels each.
    context = browser.new_context(viewport={"width": 640, "height": 360}, device_scale_factor=2)
    page = context.new_page()
    try:
        open_page(page, server_url + "/")
        page.focus("#edit-network")
        page.keyboard.press("Enter")
        seen = set()
        for _ in range(45):
            page.keyboard.press("Tab")
            page.wait_for_timeout(30)  # the scroll that brings the field into view
            where = page.evaluate(FIELD_IN_VIEW)
            seen.add(where["name"])
            if where["inBar"]:
                continue
            assert where["top"] >= where["dialogTop"] - 1, where
            assert where["bottom"] <= where["barTop"] + 1, where
        assert {"seed", "learning-rate", "csv", "use-csv"} <= seen
        page.screenshot(path=tmp_path / "editor-200.png")
    finally:
        context.close()


# --- the focus never drops to the page's body -------------------------------------------------


def test_closing_a_panel_gives_the_focus_back_rather_than_to_the_body(
    page: Page, server_url: str
) -> None:
    open_page(page, server_url + "/")
    for _ in range(4):  # backward, layer 2
        press_and_wait(page, "ArrowRight")
    page.mouse.click(*cell(page, "gradW2", 1, 3))
    expect(page.locator('#explain[data-state="shown"]')).to_be_visible()
    page.focus("#explain-close")
    page.keyboard.press("Enter")
    expect(page.locator("#explain")).to_be_hidden()
    wait_focus_settled(page)
    # Back on the matrix explained: its cells, where the arrow keys go on reading it.
    assert page.evaluate(
        "() => document.activeElement.matches('.matrix[data-tensor=\"gradW2\"] .matrix-cells')"
    )

    page.focus("#compare-gradients")
    page.keyboard.press("Enter")
    expect(page.locator("#gradient-forms")).to_be_visible()
    page.focus("#gradients-close")
    page.keyboard.press("Enter")
    expect(page.locator("#gradient-forms")).to_be_hidden()
    wait_focus_settled(page)
    assert focused(page) == "compare-gradients"


def test_stepping_or_revealing_in_predict_mode_keeps_the_focus_in_the_grids(
    page: Page, server_url: str
) -> None:
    open_page(page, server_url + "/")
    page.click("#predict-mode")
    page.fill("#speed", "0.5")  # a step every 2 s
    page.dispatch_event("#speed", "input")
    page.click("#play")  # steps at once, then plays on while the student types
    expect(page.locator("#position")).to_contain_text("step 1 / 6")
    wait_idle(page)
    page.locator(".predict-cell").first.focus()
    page.keyboard.type("0.5")
    expect(page.locator("#position")).to_contain_text("step 2 / 6", timeout=5000)
    wait_idle(page)
    page.wait_for_function("() => document.activeElement.classList.contains('predict-cell')")
    assert page.locator(".predict-cell").first.evaluate("c => c === document.activeElement")
    page.evaluate("() => document.getElementById('play').click()")  # paused, focus left as it is
    expect(page.locator("#play")).to_have_attribute("aria-pressed", "false")

    reveal = page.locator("#results .predict-reveal").first
    tensor = reveal.evaluate("b => b.closest('.matrix').dataset.tensor")
    reveal.focus()
    page.keyboard.press("Enter")
    wait_focus_settled(page)
    # On the matrix revealed: its cells, which the arrow keys read.
    assert page.evaluate("() => document.activeElement.closest('.matrix').dataset.tensor") == tensor
    assert page.evaluate("() => document.activeElement.classList.contains('matrix-cells')")


def test_a_button_disabled_under_the_focus_hands_it_on(page: Page, server_url: str) -> None:
    open_page(page, server_url + "/")
    press_and_wait(page, "ArrowRight")
    page.focus("#back")
    press_and_wait(page, "Enter")  # back to the start, where Back is off
    expect(page.locator("#back")).to_be_disabled()
    wait_focus_settled(page)
    assert focused(page) == "step"
