"""The page's one matrix renderer in Chromium: every matrix as on paper (row 1 on top, colours
centred on zero), numbers only where they fit, a table for screen readers and the Table switch,
the keyboard, hover, big matrices drawn in the pixels they have, and nothing painted twice."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect

from .tables import TABLE_OF, each_shown_matrix
from .test_stepping_page import (
    network,
    open_diverged,
    open_page,
    open_session,
    press_and_wait,
    session_of,
    wait_idle,
)

pytestmark = [pytest.mark.browser, pytest.mark.server]

MINUS = "\u2212"


def written(value: float | str) -> str:
    """An entry as the page writes it: three significant digits (halves rounded up, as
    JavaScript's toPrecision rounds the exact value), a real minus sign."""
    if isinstance(value, str):
        return {"Infinity": "∞", "-Infinity": f"{MINUS}∞", "NaN": "NaN"}[value]
    if value == 0:
        return "0"
    exact = Decimal(value)
    rounded = exact.quantize(Decimal(1).scaleb(exact.adjusted() - 2), rounding=ROUND_HALF_UP)
    if Decimal("1e-3") <= abs(exact) and abs(rounded) < Decimal("1e4"):
        return f"{float(rounded):g}".replace("-", MINUS)
    mantissa, exponent = f"{rounded:.2e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent)}".replace("-", MINUS)


# Source to embed in an async function: binds `colourOf` and `scale`, the colour table of the
# scale chosen in the page, as the page paints with them.
PAGE_SCALE = """
  const { colourOf, colourTable } = await import('/static/js/matrix-paint.js');
  const { SCALES } = await import('/static/js/scales.js');
  const scale = colourTable(SCALES[document.getElementById('colour-scale').value].stops);
"""

# Per matrix shown in the panels: its name, shape, colour range, the colour painted at the
# centre of each cell and the colour the scale gives its entry, and its table.
SHOWN = each_shown_matrix(
    """
    const canvas = f.querySelector('canvas.matrix-canvas');
    const context = canvas.getContext('2d');
    const rows = Number(f.dataset.rows), cols = Number(f.dataset.cols);
    const range = Number(f.dataset.range);
    const painted = [];
    for (let r = 0; r < Math.min(rows, 12); r++) for (let c = 0; c < Math.min(cols, 12); c++) {
      const x = Math.floor((c + 0.4) * canvas.width / cols);
      const y = Math.floor((r + 0.4) * canvas.height / rows);
      painted.push([r, c, [...context.getImageData(x, y, 1, 1).data.slice(0, 3)]]);
    }
    return {
      group: f.closest('.matrix-group').id,
      name: f.dataset.tensor, rows, cols, range,
      block: f.dataset.block,
      painted,
      ...(await tableOf(f)),
      numbers: [...f.querySelectorAll('.matrix-numbers span')].map(e => e.textContent),
    };
"""
)

# The page's own colour of an entry, to compare with what it painted.
EXPECTED_COLOUR = (
    "async ({ value, range }) => {" + PAGE_SCALE + "  return colourOf(scale, value, range);\n}"
)


# The colour painted at the centre of entry [1, 1] of the first matrix `selector` finds, and
# the colour the scale chosen in the page gives that entry.
FIRST_CELL = (
    "async (selector) => {"
    + TABLE_OF
    + PAGE_SCALE
    + """
  const figure = document.querySelector(selector);
  const canvas = figure.querySelector('canvas.matrix-canvas');
  const x = Math.floor(0.4 * canvas.width / Number(figure.dataset.cols));
  const y = Math.floor(0.4 * canvas.height / Number(figure.dataset.rows));
  const painted = [...canvas.getContext('2d').getImageData(x, y, 1, 1).data.slice(0, 3)];
  const value = Number((await tableOf(figure)).cells[0][0].replace('\u2212', '-'));
  return { painted, expected: colourOf(scale, value, Number(figure.dataset.range)), value };
}"""
)


def entry(value: Any) -> float:
    return float(value) if not isinstance(value, str) else float(value.replace("Infinity", "inf"))


def current_step(api: httpx.Client, page: Page) -> dict[str, Any]:
    return dict(api.get(f"/api/sessions/{session_of(page)}/current").json()["step"])


def open_at_backward_layer_1(page: Page, url: str, api: httpx.Client) -> dict[str, Any]:
    """Opens the page at `url` (XOR), steps to backward, layer 1 (step 5 of 6: Δ₁ is 4 × 4)
    and returns that step as the API has it."""
    open_page(page, url)
    for _ in range(5):
        press_and_wait(page, "ArrowRight")
    return current_step(api, page)


@pytest.fixture
def panels_at_backward_1(page: Page, server_url: str, api: httpx.Client) -> dict[str, Any]:
    """The page open in panels at backward, layer 1 of XOR; the step as the API has it."""
    return open_at_backward_layer_1(page, server_url + "/?layout=panels", api)


def assert_the_arrow_keys_read_delta1(page: Page, figure: Locator, delta: Any) -> Locator:
    """Focuses the cells of Δ₁'s `figure`: they say entry [1, 1]; Down, Right, Right say
    [2, 3], and the page does not step. Returns the element that says the entry."""
    figure.locator(".matrix-cells").focus()
    said = figure.locator(".matrix-said")
    expect(said).to_have_text(f"Δ₁ row 1 column 1: {written(delta[0][0])}")
    for key in ["ArrowDown", "ArrowRight", "ArrowRight"]:
        page.keyboard.press(key)
    expect(said).to_have_text(f"Δ₁ row 2 column 3: {written(delta[1][2])}")
    # The arrows were the matrix's: the page did not step.
    expect(page.locator("#position")).to_contain_text("step 5 / 6")
    return said


def test_each_matrix_is_painted_as_on_paper_and_tabled_with_its_numbers(
    page: Page, server_url: str, api: httpx.Client
) -> None:
    # Backward, layer 1 of XOR: 4 × 4, 4 × 2, 4 × 1, 1 × 4 matrices.
    step = open_at_backward_layer_1(page, server_url + "/", api)
    shown = page.evaluate(SHOWN)
    names = {*step["results"], *step["intermediates"], *step["operands"]}
    assert {m["name"] for m in shown} == names
    for matrix in shown:
        tensor = step["tensors"][matrix["name"]]
        rows, cols = tensor["shape"]
        data = tensor["data"]
        assert (matrix["rows"], matrix["cols"]) == (rows, cols)
        largest = max(abs(entry(v)) for row in data for v in row)
        assert matrix["range"] >= largest > 0, "a diverging scale wide enough for every entry"
        # Row 1 at the top, column 1 at the left: each cell painted its own entry's colour.
        for r, c, rgb in matrix["painted"]:
            colour = {"value": data[r][c], "range": matrix["range"]}
            expected = page.evaluate(EXPECTED_COLOUR, colour)
            assert rgb == expected, (matrix["name"], r + 1, c + 1)
        # The table: caption with the name and shape, headers from 1, the entries as written.
        assert matrix["caption"].endswith(f", {rows} × {cols}")
        assert matrix["colHeads"] == [str(c) for c in range(1, cols + 1)]
        assert matrix["rowHeads"] == [str(r) for r in range(1, rows + 1)]
        assert matrix["cells"] == [[written(v) for v in row] for row in data]
        if matrix["numbers"]:
            assert matrix["numbers"] == [written(v) for row in data for v in row]


# Every number written in a cell, with its cell's box and its own.
NUMBER_BOXES = """() => [...document.querySelectorAll('.matrix')].flatMap(f => {
  const spans = [...f.querySelectorAll('.matrix-numbers span')];
  return spans.map(span => {
    const range = document.createRange();
    range.selectNodeContents(span);
    const text = range.getBoundingClientRect();
    const cell = span.getBoundingClientRect();
    return { name: f.dataset.tensor, text: span.textContent, width: text.width, room: cell.width,
             font: parseFloat(getComputedStyle(span).fontSize) };
  });
})"""


@pytest.mark.parametrize("presenter", [False, True])
def test_no_number_is_wider_than_its_cell_nor_smaller_than_readable(
    page: Page, server_url: str, api: httpx.Client, presenter: bool
) -> None:
    # 12 × 12 gradients of small entries (∇W₁ of 12-12-1 on a batch of 12): the numbers that
    # once ran together ("1.3e−4−6e−52.5e−4…") are written only where they fit.
    inputs = [[((i * 5 + j * 3) % 7 - 3) / 30 for j in range(12)] for i in range(12)]
    spec = network([12, 12, 1], inputs, [[i % 2] for i in range(12)])
    mode = "&presenter=1" if presenter else ""
    open_session(page, server_url, api, spec, f"&layout=panels{mode}")
    for _ in range(6):
        press_and_wait(page, "ArrowRight")
        for number in page.evaluate(NUMBER_BOXES):
            assert number["width"] <= number["room"], number
            assert number["font"] >= 12, number


def test_a_focused_matrix_reads_its_entries_with_the_arrow_keys_and_enter_explains_one(
    page: Page, panels_at_backward_1: dict[str, Any]
) -> None:
    delta = panels_at_backward_1["tensors"]["Delta1"]["data"]
    figure = page.locator('#results .matrix[data-tensor="Delta1"]')
    cells = figure.locator(".matrix-cells")
    expect(cells).to_have_attribute("role", "application")
    expect(cells).to_have_attribute(
        "aria-label", "Δ₁, 4 × 4: the arrow keys read its entries, Enter explains one"
    )
    said = assert_the_arrow_keys_read_delta1(page, figure, delta)
    tip = figure.locator(".matrix-tip")
    expect(tip).to_have_text(f"Δ₁[2, 3] = {written(delta[1][2])}")
    page.keyboard.press("Enter")
    explain = page.locator("#explain")
    expect(explain).to_be_visible()
    expect(explain.locator(".explain-heading")).to_have_text("Δ₁[2, 3]: how it is computed")
    expect(explain).to_have_attribute("data-state", "shown")
    # Past the last column the cursor stays on it.
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    expect(said).to_have_text(f"Δ₁ row 2 column 4: {written(delta[1][3])}")


def test_hovering_a_cell_shows_its_value_and_outlines_what_it_reads(
    page: Page, panels_at_backward_1: dict[str, Any]
) -> None:
    grad = panels_at_backward_1["tensors"]["gradW1"]["data"]
    cells = page.locator('#results .matrix[data-tensor="gradW1"] .matrix-cells')
    cells.scroll_into_view_if_needed()
    box = cells.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.6)  # [3, 2]
    tip = page.locator('#results .matrix[data-tensor="gradW1"] .matrix-tip')
    expect(tip).to_have_text(f"∇W₁[3, 2] = {written(grad[2][1])}")
    # ∇W₁[3, 2] = Σ_j Δ₁[3, j] X[2, j]: row 3 of Δ₁ and row 2 of X are outlined.
    expect(page.locator('.matrix.is-linked[data-tensor="X"] .matrix-mark')).to_have_count(1)
    expect(page.locator('.matrix.is-linked[data-tensor="Delta1"] .matrix-mark')).to_have_count(1)
    page.mouse.move(0, 0)
    expect(page.locator(".matrix.is-linked")).to_have_count(0)


def test_the_table_switch_shows_every_matrix_as_its_table(page: Page, server_url: str) -> None:
    open_page(page, server_url + "/?layout=panels")
    press_and_wait(page, "ArrowRight")
    tables = page.locator(".matrix-group:not([hidden]) .matrix-table-grid")
    frames = page.locator(".matrix-group:not([hidden]) .matrix-frame")
    expect(frames.first).to_be_visible()
    page.click("#tables")
    expect(page.locator("#tables")).to_have_attribute("aria-pressed", "true")
    for index in range(tables.count()):
        expect(tables.nth(index)).to_be_visible()
        expect(frames.nth(index)).to_be_hidden()
    page.click("#tables")
    expect(frames.first).to_be_visible()


def test_a_256_by_784_matrix_is_drawn_in_the_pixels_it_has_and_its_table_pages(
    page: Page, server_url: str, api: httpx.Client
) -> None:
    inputs = [[((j * 7) % 13 - 6) / 6 for j in range(784)]]
    spec = network([784, 256, 1], inputs, [[1.0]], activations=("sigmoid", "sigmoid"))
    page.set_default_timeout(60_000)  # 201,217 parameters: the page's first load takes a while
    open_session(page, server_url, api, spec, "&layout=panels")
    press_and_wait(page, "ArrowRight")
    w1 = page.locator('#operands .matrix[data-tensor="W1"]')
    canvas = w1.locator("canvas.matrix-canvas")
    box = canvas.bounding_box()
    panel = page.locator("#operands").bounding_box()
    assert box is not None and panel is not None
    assert box["x"] + box["width"] <= panel["x"] + panel["width"], "narrowed to its panel"
    block_rows, block_cols = (int(n) for n in (w1.get_attribute("data-block") or "").split("×"))
    assert block_cols > 1, "columns under a few pixels are merged"
    merged = f"averages {block_rows} × {block_cols} entries"
    expect(w1.locator(".matrix-merged")).to_contain_text(merged)
    # Hover reads the exact entry under the mouse, not the block's average.
    data = current_step(api, page)["tensors"]["W1"]["data"]
    canvas.evaluate("element => element.scrollIntoView({ block: 'start' })")
    box = canvas.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 0.5, box["y"] + 0.5)
    expect(w1.locator(".matrix-tip")).to_have_text(f"W₁[1, 1] = {written(data[0][0])}")
    # The table: closed, a summary of the matrix and not one cell in the page; a keyboard user
    # reaches the summary (shown while focused) and opens it.
    table = w1.locator(".matrix-table")
    summary = table.locator("summary")
    low, high = min(min(row) for row in data), max(max(row) for row in data)
    expect(summary).to_have_text(
        f"Table of W₁, 256 × 784, entries {written(low)} to {written(high)}"
    )
    expect(table.locator("td")).to_have_count(0)
    summary.focus()
    expect(summary).to_be_visible()
    page.keyboard.press("Enter")
    # Open: 20 rows × 20 columns a page, never a whole row of 784 entries.
    caption = "W₁, 256 × 784: rows 1 to 20 of 256, columns 1 to 20 of 784"
    expect(table.locator("caption")).to_have_text(caption)
    expect(table.locator("tbody td")).to_have_count(400)
    table.locator("button", has_text="Next rows").focus()
    expect(table.locator(".matrix-table-grid")).to_be_visible()
    page.keyboard.press("Enter")
    caption = "W₁, 256 × 784: rows 21 to 40 of 256, columns 1 to 20 of 784"
    expect(table.locator("caption")).to_have_text(caption)
    expect(table.locator("tbody td").first).to_have_text(written(data[20][0]))
    table.locator("button", has_text="Next columns").focus()
    page.keyboard.press("Enter")
    caption = "W₁, 256 × 784: rows 21 to 40 of 256, columns 21 to 40 of 784"
    expect(table.locator("caption")).to_have_text(caption)
    expect(table.locator("tbody td").first).to_have_text(written(data[20][20]))


def test_a_result_that_becomes_an_operand_is_not_painted_again(page: Page, server_url: str) -> None:
    open_page(page, server_url + "/?layout=panels")
    press_and_wait(page, "ArrowRight")  # forward, layer 1: Σ₁ is a result
    sigma = page.locator('#results .matrix[data-tensor="Sigma1"]')
    paints = sigma.get_attribute("data-paints")
    sigma.evaluate("figure => { figure.dataset.probe = 'kept'; }")
    press_and_wait(page, "ArrowRight")  # forward, layer 2: Σ₁ is an operand
    moved = page.locator('#operands .matrix[data-tensor="Sigma1"]')
    expect(moved).to_have_attribute("data-probe", "kept")
    expect(moved).to_have_attribute("data-paints", paints or "")


def test_a_matrix_shown_again_later_in_the_iteration_is_not_painted_again(
    page: Page, server_url: str
) -> None:
    open_page(page, server_url + "/?layout=panels")
    press_and_wait(page, "ArrowRight")  # forward, layer 1: W₁ is an operand
    w1 = page.locator('#operands .matrix[data-tensor="W1"]')
    paints = w1.get_attribute("data-paints")
    w1.evaluate("figure => { figure.dataset.probe = 'kept'; }")
    for _ in range(5):  # forward 2, the objective, backward 2 and 1, then the update
        press_and_wait(page, "ArrowRight")

    expect(page.locator("#step-title")).to_contain_text("6. ")
    again = page.locator('#operands .matrix[data-tensor="W1"]')
    expect(again).to_have_attribute("data-probe", "kept")
    expect(again).to_have_attribute("data-paints", paints or "")


def test_entries_that_are_not_finite_are_hatched_gaps_with_a_notice(
    page: Page, server_url: str, api: httpx.Client
) -> None:
    open_diverged(page, server_url, api, "&layout=panels")
    wait_idle(page)
    noticed = page.locator(".matrix-group:not([hidden]) .matrix-notice:not([hidden])")
    expect(noticed.first).to_contain_text("not finite")
    figure = noticed.first.locator("xpath=..")
    name = figure.get_attribute("data-tensor")
    data = current_step(api, page)["tensors"][name]["data"]
    r, c = next(
        (r, c) for r, row in enumerate(data) for c, v in enumerate(row) if isinstance(v, str)
    )
    figure.locator(".matrix-table summary").focus()
    page.keyboard.press("Enter")  # the table, opened from the keyboard
    cells = figure.locator(".matrix-table-grid tbody tr").nth(r).locator("td").nth(c)
    expect(cells).to_have_text(written(data[r][c]))
