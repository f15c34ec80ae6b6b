"""The equation view in Chromium: each formula line drawn as its matrices in place, and in
presenter mode the whole step on one screen, for every preset, notation and step, and for the
biggest networks the classroom uses (width 16, batch 16, 8 layers)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from .test_matrices import assert_the_arrow_keys_read_delta1, open_at_backward_layer_1, written
from .test_stepping_page import open_page, open_session, press_and_wait, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.server]

# What of the step is out of the screen: each matrix's box past the viewport, the page's
# scrolling, and the lines not drawn as matrices.
OUT_OF_SCREEN = """() => {
  const view = document.getElementById('equation');
  const [width, height] = [window.innerWidth, window.innerHeight];
  const out = (box) => box.right > width + 0.5 || box.bottom > height + 0.5
    || box.left < -0.5 || box.top < -0.5;
  const outside = [...view.querySelectorAll('.matrix')]
    .map(f => [f.dataset.tensor, f.getBoundingClientRect()])
    .filter(([, box]) => out(box))
    .map(([name, box]) => `${name} ${Math.round(box.right)}×${Math.round(box.bottom)}`);
  const page = document.documentElement;
  return {
    outside,
    scrolls: page.scrollHeight > height || page.scrollWidth > width,
    undrawn: [...view.querySelectorAll('.equation-line[data-drawn]')].map(l => l.dataset.drawn),
    lines: view.querySelectorAll('.equation-line').length,
    matrices: view.querySelectorAll('.matrix').length,
  };
}"""


def wide_spec(widths: list[int], batch: int) -> dict[str, Any]:
    """A network of `widths` on a batch of `batch` samples, tanh then sigmoid, biases on."""
    k = len(widths) - 1
    return {
        "layers": widths,
        "activations": ["tanh"] * (k - 1) + ["sigmoid"],
        "inputs": [
            [((i * 7 + j * 3) % 11 - 5) / 5 for j in range(widths[0])] for i in range(batch)
        ],
        "targets": [[(i + j) % 2 for j in range(widths[-1])] for i in range(batch)],
    }


def assert_every_step_fits(page: Page, where: str) -> None:
    """Goes through every step of the session shown; each fits the screen, drawn as matrices."""
    steps = page.locator("#strip .strip-step").count()
    for number in range(1, steps + 1):
        page.locator(f'#strip [data-number="{number}"]').click()
        wait_idle(page)
        shown = page.evaluate(OUT_OF_SCREEN)
        label = f"{where}, step {number}"
        assert shown["lines"] > 0 and shown["matrices"] > 0, label
        assert shown["undrawn"] == [], label
        assert shown["outside"] == [], label
        assert not shown["scrolls"], label


SIZES = [{"width": 1280, "height": 720}, {"width": 1024, "height": 768}]
# Every convention with every view of the network: the row convention transposes each factor,
# the homogeneous view adds a row and a column to most.
NOTATIONS = [
    "",
    "&view=homogeneous",
    "&convention=row",
    "&convention=row&view=homogeneous",
]


@pytest.fixture(params=SIZES, ids=lambda size: f"{size['width']}x{size['height']}")
def screen(request: pytest.FixtureRequest, context: BrowserContext) -> Iterator[Page]:
    """A page of a projector's size."""
    page = context.new_page()
    page.set_viewport_size(request.param)
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    page.close()
    assert errors == []


@pytest.mark.parametrize(
    "notation", ["", "&convention=row&view=homogeneous"], ids=["column", "row-homogeneous"]
)
def test_in_presenter_mode_every_step_of_every_preset_fits_the_screen(
    screen: Page, server_url: str, api: httpx.Client, notation: str
) -> None:
    for preset in api.get("/api/presets").json():
        open_session(screen, server_url, api, preset["spec"], f"&presenter=1{notation}")
        assert_every_step_fits(screen, f"{preset['id']}{notation}")


def test_in_the_qa_names_every_step_is_drawn_as_matrices_and_fits_the_screen(
    screen: Page, server_url: str, api: httpx.Client
) -> None:
    # The Q&A names no Δ₂: Δ₁'s line writes it out, (Y − Y*) ∘ f′(HW + B), as one matrix.
    preset = api.get("/api/presets/qa-one-hidden").json()
    open_session(screen, server_url, api, preset["spec"], "&presenter=1&convention=row&names=qa")
    assert_every_step_fits(screen, "qa-one-hidden in the Q&A's names")


@pytest.mark.parametrize(
    ("widths", "batch"),
    [([16] * 9, 16), ([2, 16, 16, 16, 1], 16), ([16, 16], 16), ([1, 16, 1], 1)],
    ids=["8 layers of 16", "2-16-16-16-1", "16-16", "1-16-1 m=1"],
)
def test_in_presenter_mode_the_biggest_classroom_networks_fit_the_screen(
    screen: Page, server_url: str, api: httpx.Client, widths: list[int], batch: int
) -> None:
    session_id = api.post("/api/sessions", json=wide_spec(widths, batch)).json()["id"]
    for notation in NOTATIONS:
        open_page(screen, f"{server_url}/?session={session_id}&presenter=1{notation}")
        assert_every_step_fits(screen, f"{widths} m={batch}{notation}")


def test_a_line_reads_as_its_formula_with_each_factor_at_its_shape(
    page: Page, server_url: str, api: httpx.Client
) -> None:
    # Backward, layer 1: Δ₁ = (W₂ᵀ · Δ₂) ∘ Σ'₁.
    step = open_at_backward_layer_1(page, server_url + "/?presenter=1", api)
    line = page.locator("#equation .equation-line").first
    parts = line.evaluate(
        """line => [...line.querySelector('.equation-row').children].map(part =>
          part.matches('.matrix') ? part.dataset.tensor
          : part.matches('.equation-group')
            ? '(' + [...part.querySelectorAll('.matrix')].map(f => f.dataset.tensor).join(' ') + ')'
          : part.textContent.trim())"""
    )
    assert parts == ["Delta1", "=", "(W2 Delta2 WTDelta1)", "∘", "SigmaPrime1"]
    # W₂ᵀ is drawn as the 4 × 1 column it is, Δ₂ as a 1 × 4 row; cells square within a line.
    boxes: dict[str, Any] = {}
    for name in ["W2", "Delta2", "SigmaPrime1"]:
        canvas = line.locator(f'.matrix[data-tensor="{name}"] canvas')
        boxes[name] = canvas.bounding_box()
    assert boxes["W2"]["height"] == pytest.approx(4 * boxes["W2"]["width"], abs=1.5)
    assert boxes["Delta2"]["width"] == pytest.approx(4 * boxes["Delta2"]["height"], abs=1.5)
    assert boxes["SigmaPrime1"]["width"] == pytest.approx(boxes["SigmaPrime1"]["height"], abs=1.5)
    assert boxes["W2"]["width"] == pytest.approx(boxes["Delta2"]["height"], abs=1)
    expect(line.locator('.matrix[data-tensor="W2"] .matrix-size')).to_have_text("4 × 1")
    w2 = line.locator('.matrix[data-tensor="W2"]')
    expect(w2).to_have_class("matrix matrix-factor is-transposed")
    # The session's step is the API's: the same tensor names in the line's data-tensors.
    names = set((line.get_attribute("data-tensors") or "").split())
    assert {"Delta1", "W2", "Delta2", "SigmaPrime1", "WTDelta1"} == names
    assert names <= set(step["tensors"])


# Per matrix with numbers: their font, and whether its widest number at 24 px fits its cell
# (with the 2 % the page keeps for hinting and 3 px a side), at most 0.6 of its height.
NUMBER_ROOM = """() => {
  const context = document.createElement('canvas').getContext('2d');
  return [...document.querySelectorAll('#equation .matrix')]
    .filter(f => f.dataset.numbers)
    .map(f => {
      const span = f.querySelector('.matrix-numbers span');
      context.font = `24px ${getComputedStyle(span).fontFamily}`;
      const widest = Math.max(...[...f.querySelectorAll('.matrix-numbers span')]
        .map(s => context.measureText(s.textContent).width));
      const cell = f.querySelector('canvas').getBoundingClientRect().width / Number(f.dataset.cols);
      const room = widest * 1.02 + 6 <= cell && 24 <= 0.6 * cell;
      return { name: f.dataset.tensor, font: Number(f.dataset.numbers), room };
    });
}"""


def test_at_1920_the_numbers_are_24_px_or_more_where_the_cells_leave_room(
    context: BrowserContext, server_url: str, api: httpx.Client
) -> None:
    page = context.new_page()
    page.set_viewport_size({"width": 1920, "height": 1080})
    try:
        preset = api.get("/api/presets/qa-one-hidden").json()
        open_session(page, server_url, api, preset["spec"], "&presenter=1")
        numbers: list[dict[str, Any]] = []
        for _ in range(6):
            press_and_wait(page, "ArrowRight")
            numbers += page.evaluate(NUMBER_ROOM)
        assert numbers, "numbers are written where the cells leave room"
        for matrix in numbers:
            assert matrix["font"] >= 24 or not matrix["room"], matrix
        assert sum(matrix["font"] >= 24 for matrix in numbers) >= len(numbers) / 2
    finally:
        page.close()


def test_the_layout_is_chosen_remembered_and_kept_in_the_address(
    page: Page, server_url: str
) -> None:
    open_page(page, server_url + "/")
    press_and_wait(page, "ArrowRight")
    expect(page.locator("#layout")).to_have_value("panels")
    expect(page.locator("#equation")).to_be_hidden()
    page.select_option("#layout", "equation")
    wait_idle(page)
    assert "layout=equation" in page.url
    expect(page.locator("#equation .equation-line").first).to_be_visible()
    expect(page.locator(".matrix-panel")).to_be_hidden()
    # A new page without it in the address remembers the choice.
    open_page(page, server_url + "/")
    expect(page.locator("#layout")).to_have_value("equation")
    page.select_option("#layout", "panels")
    wait_idle(page)
    assert "layout=" not in page.url


def test_presenter_mode_keeps_the_strip_back_step_notation_network_and_predict(
    screen: Page, server_url: str, api: httpx.Client
) -> None:
    open_session(screen, server_url, api, wide_spec([16] * 9, 2), "&presenter=1")
    for control in ["#back", "#step", "#convention", "#view", "#predict-mode", "#strip"]:
        expect(screen.locator(control)).to_be_visible()
    labels = screen.locator("#strip .strip-short")
    expected = [f"F{i}" for i in range(1, 9)] + ["J"] + [f"B{i}" for i in range(8, 0, -1)] + ["U"]
    expect(labels).to_have_text(expected)
    # Each label whole, not cut to "F…".
    cut = screen.eval_on_selector_all(
        "#strip .strip-step",
        "buttons => buttons.filter(b => b.scrollWidth > b.clientWidth + 1).length",
    )
    assert cut == 0
    # The bar takes at most a sixth of the screen's height.
    bar = screen.locator(".bar").bounding_box()
    assert bar is not None and bar["y"] + bar["height"] <= screen.viewport_size["height"] / 6 + 40


@pytest.mark.parametrize("layout", ["equation", "panels"])
def test_a_weight_and_its_new_value_share_one_colour_range_from_the_first_step_shown(
    page: Page, server_url: str, layout: str
) -> None:
    open_page(page, f"{server_url}/?layout={layout}")
    page.locator('#strip [data-number="6"]').click()  # the update, W₁ (new) before W₁
    wait_idle(page)
    ranges = page.eval_on_selector_all(
        ".matrix[data-tensor='W1'], .matrix[data-tensor='W1_new']",
        "figures => figures.map(f => Number(f.dataset.range))",
    )
    assert len(ranges) >= 2 and len(set(ranges)) == 1, ranges


def test_in_the_equation_view_each_factor_keeps_its_table_and_reads_its_entries_by_keys(
    page: Page, server_url: str, api: httpx.Client
) -> None:
    # Backward, layer 1: Δ₁ in each of the three lines.
    step = open_at_backward_layer_1(page, server_url + "/?layout=equation", api)
    delta = step["tensors"]["Delta1"]["data"]
    figure = page.locator('#equation .matrix[data-tensor="Delta1"]').first
    assert_the_arrow_keys_read_delta1(page, figure, delta)
    # The Table switch shows every factor of every line as its table, in its place.
    factors = page.locator("#equation .matrix:not([data-ones])")
    assert factors.count() >= 9
    page.click("#tables")
    for index in range(factors.count()):
        expect(factors.nth(index).locator(".matrix-table-grid")).to_be_visible()
        expect(factors.nth(index).locator(".matrix-frame")).to_be_hidden()
    table = figure.locator(".matrix-table")
    expect(table.locator("caption")).to_have_text("Δ₁, 4 × 4")
    expect(table.locator("tbody tr").nth(1).locator("td").nth(2)).to_have_text(written(delta[1][2]))
