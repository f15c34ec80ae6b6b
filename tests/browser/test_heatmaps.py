"""The heatmaps of a step in Chromium: indices, colour bar and name of every matrix, and
matrices too wide for their panel narrowed with their indices and colour bar inside it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from .test_stepping_page import (
    SIXTEEN_WIDE,
    network,
    open_page,
    open_session,
    press_and_wait,
    session_of,
)

pytestmark = [pytest.mark.browser, pytest.mark.server]

# Per heatmap shown: its name, shape, the indices written along it, its colour bar's labels,
# its colour range and the name its cells are announced with (hover and keyboard).
FRAMES = """() => [
  ...document.querySelectorAll('.matrix-group:not([hidden]) .matrix')
].map(f => {
  const texts = (selector) => [...f.querySelectorAll(selector)].map(e => e.textContent);
  return {
    name: f.dataset.tensor,
    shown: f.dataset.title.split(' ∈ ')[0],
    rows: Number(f.dataset.rows),
    cols: Number(f.dataset.cols),
    rowIndices: texts('.matrix-rows .matrix-index'),
    colIndices: texts('.matrix-cols .matrix-index'),
    bar: texts('.matrix-scale-label'),
    range: Number(f.dataset.range),
    announced: f.querySelector('.matrix-cells').getAttribute('aria-label'),
  };
})"""


def number(text: str) -> float:
    return float(text.replace("\u2212", "-"))


def assert_frames(page: Page) -> list[dict[str, Any]]:
    """Every heatmap shown has its indices, a colour bar of ±its range and its own hover name."""
    frames: list[dict[str, Any]] = page.evaluate(FRAMES)
    assert frames
    for frame in frames:
        rows, cols = frame["rows"], frame["cols"]
        if rows <= 16:
            assert frame["rowIndices"] == [str(r) for r in range(1, rows + 1)]
        if cols <= 16:
            assert frame["colIndices"] == [str(c) for c in range(1, cols + 1)]
        top, middle, bottom = frame["bar"]
        assert middle == "0"
        # Three significant digits.
        assert number(top) == pytest.approx(frame["range"], rel=0.005)
        assert number(bottom) == pytest.approx(-frame["range"], rel=0.005)
        assert frame["announced"].startswith(f"{frame['shown']}, {frame['rows']} × ")
    return frames


@pytest.fixture
def xor_steps(page: Page, server_url: str, api: httpx.Client) -> int:
    """The page open on XOR; the number of steps of one iteration."""
    open_page(page, server_url + "/")
    return int(api.get(f"/api/sessions/{session_of(page)}").json()["step_count"])


def test_each_heatmap_has_its_indices_colour_bar_and_hover_name_through_two_iterations(
    page: Page, xor_steps: int
) -> None:
    for _ in range(xor_steps + 2):
        press_and_wait(page, "ArrowRight")
        assert_frames(page)
    for _ in range(3):
        press_and_wait(page, "ArrowLeft")
        assert_frames(page)


def test_a_wide_matrix_is_indexed_every_few_rows_and_columns(
    page: Page, server_url: str, api: httpx.Client
) -> None:
    inputs = [[(i * 7 + j) % 5 - 2.0 for j in range(40)] for i in range(3)]
    open_session(page, server_url, api, network([40, 32, 1], inputs, [[0.0], [1.0], [0.0]]))
    press_and_wait(page, "ArrowRight")
    w1 = next(f for f in assert_frames(page) if f["name"] == "W1")
    assert (w1["rows"], w1["cols"]) == (32, 40)
    # As Plotly's automatic ticks would place them: every 5 rows, every 10 columns.
    assert w1["rowIndices"] == ["5", "10", "15", "20", "25", "30"]
    assert w1["colIndices"] == ["10", "20", "30", "40"]


def test_sixteen_columns_are_each_indexed_with_the_index_written_across(
    page: Page, server_url: str, api: httpx.Client
) -> None:
    open_session(page, server_url, api, SIXTEEN_WIDE)
    press_and_wait(page, "ArrowRight")
    n1 = next(f for f in assert_frames(page) if f["name"] == "N1")
    assert (n1["rows"], n1["cols"]) == (16, 16)
    assert n1["colIndices"] == [str(c) for c in range(1, 17)]
    columns = page.locator('.matrix[data-tensor="N1"] .matrix-cols')
    assert "is-upright" not in (columns.get_attribute("class") or "")


def test_a_matrix_takes_its_name_in_each_iteration(page: Page, xor_steps: int) -> None:
    for _ in range(xor_steps + 1):
        press_and_wait(page, "ArrowRight")
    # Iteration 2, forward, layer 1: W₁ is the W₁ (new) of the update, announced as W₁.
    w1 = next(f for f in assert_frames(page) if f["name"] == "W1")
    assert w1["announced"].startswith("W₁, ")


# Per heatmap shown: how far its frame, indices and colour bar included, runs past the content
# box of its group on the right, and how far an index runs past its own frame on the left.
OVERRUNS = """() => [...document.querySelectorAll('.matrix-group:not([hidden])')].flatMap(group => {
  const style = getComputedStyle(group);
  const right = group.getBoundingClientRect().right
    - parseFloat(style.borderRightWidth) - parseFloat(style.paddingRight);
  return [...group.querySelectorAll('.matrix')].map(figure => {
    const frame = figure.querySelector('.matrix-frame').getBoundingClientRect();
    const parts = [...figure.querySelectorAll('.matrix-index, .matrix-scale-label')]
      .map(e => e.getBoundingClientRect());
    return {
      name: figure.dataset.tensor,
      right: Math.max(frame.right, ...parts.map(p => p.right)) - right,
      left: frame.left - Math.min(...parts.map(p => p.left)),
    };
  });
})"""


def test_a_matrix_wider_than_its_panel_is_narrowed_to_fit_with_its_indices_and_colour_bar(
    page: Page, server_url: str, api: httpx.Client
) -> None:
    spec = network([600, 4, 1], [[(j * 7 % 11 - 5) / 5 for j in range(600)]], [[1.0]])
    open_session(page, server_url, api, spec)
    press_and_wait(page, "ArrowRight")

    overruns = {o["name"]: o for o in page.evaluate(OVERRUNS)}
    frames = {f["name"]: f for f in assert_frames(page)}

    assert (frames["W1"]["rows"], frames["W1"]["cols"]) == (4, 600)
    assert {"W1", "X"} <= overruns.keys()
    assert all(o["right"] <= 0 for o in overruns.values()), overruns
    # X has 600 rows: its indices of three digits are written whole inside its frame.
    assert frames["X"]["rowIndices"][-1] == "600"
    assert all(o["left"] <= 0 for o in overruns.values()), overruns
    # Its columns are under a few pixels: drawn merged into blocks, as its caption says.
    expect(page.locator('.matrix[data-tensor="W1"] .matrix-merged')).to_contain_text("averages")


def test_in_presenter_type_a_matrix_of_a_few_columns_too_wide_is_narrowed_to_fit(
    page: Page, server_url: str, api: httpx.Client
) -> None:
    inputs = [[(j - 4) / 4 for j in range(9)], [(4 - j) / 8 for j in range(9)]]
    spec = network([9, 3, 1], inputs, [[1.0], [0.0]])
    open_session(page, server_url, api, spec, "&presenter=1&layout=panels")  # 1280 × 720
    for _ in range(5):  # to backward, layer 1: ∇W₁ is 3 × 9, its entries written in it
        press_and_wait(page, "ArrowRight")

    overruns = {o["name"]: o for o in page.evaluate(OVERRUNS)}
    frames = {f["name"]: f for f in assert_frames(page)}

    assert (frames["gradW1"]["rows"], frames["gradW1"]["cols"]) == (3, 9)
    assert all(o["right"] <= 0 for o in overruns.values()), overruns
