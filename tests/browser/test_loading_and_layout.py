"""What the page loads at first, and what stays in place while it steps: in headless Chromium
at the projector's size against the real server."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Route, expect

from .conftest import Recorder
from .test_addresses import XOR_LIKE, hashed
from .test_stepping_page import open_page, step, wait_idle

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


CATALOGUE = ["/api/activations", "/api/objectives", "/api/presets"]

# Each resource the page loaded: its path and what asked for it ("link" for a preload).
LOADED = """() => performance.getEntriesByType("resource").map(
  (entry) => [new URL(entry.name).pathname, entry.initiatorType])"""

# True once the four KaTeX fonts of every step's formulas have come.
FONTS_FETCHED = """() => {
  const names = ["Main-Regular", "Math-Italic", "AMS-Regular", "Main-Bold"];
  const done = performance.getEntriesByType("resource").filter((entry) => entry.responseEnd > 0);
  return names.every((name) => done.some((entry) => entry.name.includes(`/KaTeX_${name}.`)));
}"""


def test_the_catalogue_is_asked_for_beside_the_scripts(page: Page, server_url: str) -> None:
    open_page(page, server_url + "/")

    loaded = page.evaluate(LOADED)

    # Each asked for once, by the page's <link rel="preload">: the scripts' own fetch used what
    # it brought instead of asking again.
    assert sorted(entry for entry in loaded if entry[0] in CATALOGUE) == [
        [path, "link"] for path in CATALOGUE
    ]


def test_the_formulas_fonts_are_fetched_while_the_page_waits_for_its_first_step(
    page: Page, server_url: str
) -> None:
    open_page(page, server_url + "/")

    page.wait_for_function(FONTS_FETCHED, timeout=10_000)  # before any step is clicked
    expect(page.locator("#step-title")).to_have_text("No step taken yet")
    step(page)
    fonts = [path for path, _ in page.evaluate(LOADED) if "/fonts/" in path]
    assert len(fonts) == len(set(fonts))  # none asked for twice


def test_a_link_fetches_the_formulas_fonts_while_its_network_is_created(
    page: Page, server_url: str
) -> None:
    """A `#spec=` link shows its network's first step next: the fonts of the formulas come while
    the server creates the network (held back here), not once the page is ready."""
    held: list[Route] = []

    def hold_creation(route: Route) -> None:
        if route.request.method == "POST":
            held.append(route)
        else:
            route.continue_()

    page.route(lambda url: url.split("?")[0].endswith("/api/sessions"), hold_creation)
    page.goto(server_url + "/#spec=" + hashed(XOR_LIKE))

    page.wait_for_function(FONTS_FETCHED, timeout=10_000)
    assert len(held) == 1, "the network was not asked for"
    assert page.locator("body[data-ready=true]").count() == 0
    held[0].continue_()
    page.locator("body[data-ready=true]").wait_for(state="attached")
    wait_idle(page)
    step(page)
    fonts = [path for path, _ in page.evaluate(LOADED) if "/fonts/" in path]
    assert len(fonts) == len(set(fonts))  # none asked for twice


@pytest.fixture(params=["xor", "softmax-classifier"])
def preset_steps(request: pytest.FixtureRequest, page: Page, server_url: str) -> int:
    """The page open on each preset in turn; the number of steps of its iteration."""
    open_page(page, server_url + "/")
    page.select_option("#preset", request.param)
    wait_idle(page)
    return page.locator(".strip-step").count()


def test_the_strip_and_both_columns_stay_in_place_through_every_step(
    page: Page, preset_steps: int
) -> None:
    before = page.evaluate(PLACES)
    places = []
    for _ in range(preset_steps + 1):  # an iteration, and the first step of the next
        step(page)
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


def test_the_matrix_groups_keep_their_room_once_every_step_was_drawn(
    page: Page, preset_steps: int
) -> None:
    step(page, preset_steps)  # every step drawn once
    boxes = []
    for _ in range(preset_steps):
        step(page)
        boxes.append(page.evaluate(GROUPS))

    assert all(box == boxes[0] for box in boxes), boxes


def test_the_network_summary_keeps_its_line_before_the_network_is_known(
    page: Page, server_url: str
) -> None:
    open_page(page, server_url + "/")
    shown = [round(v) for v in page.evaluate(PLACES)["strip"]]

    page.evaluate("document.getElementById('spec-summary').textContent = ''")

    assert [round(v) for v in page.evaluate(PLACES)["strip"]] == shown  # to the pixel


def test_the_page_is_ready_before_katex_arrives_and_its_first_step_waits_for_it(
    page: Page, server_url: str
) -> None:
    held: list[Route] = []
    page.route("**/katex.min.js", lambda route: held.append(route))  # its script held back
    page.goto(server_url + "/", wait_until="domcontentloaded")  # "load" waits for KaTeX
    page.locator("body[data-ready=true]").wait_for(state="attached")
    wait_idle(page)

    assert page.evaluate("typeof window.katex") == "undefined"
    page.locator("#step").click()
    page.wait_for_timeout(300)
    expect(page.locator("#step-title")).to_have_text("No step taken yet")
    held[0].continue_()
    wait_idle(page)

    expect(page.locator("#step-title")).to_contain_text("1. ")
    assert page.locator("#formulas .katex").count() > 0
    assert page.locator("#formulas code").count() == 0  # not the source written as code


def test_a_step_is_drawn_when_katex_cannot_be_loaded(page: Page, server_url: str) -> None:
    page.route("**/katex.min.js", lambda route: route.abort())
    open_page(page, server_url + "/")

    page.locator("#step").click()
    wait_idle(page)

    expect(page.locator("#step-title")).to_contain_text("1. ")
    assert page.locator("#formulas code").count() > 0  # the formulas' source, as written
