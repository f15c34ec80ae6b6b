"""The page with the keyboard alone: what each key does, where the focus goes, how it is seen."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.sync_api import Page

from .axe import Axe
from .colours import contrast
from .test_stepping_page import open_page, press_and_wait

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
