"""The teaching features of the stepping page in Chromium against the real server: explain an
entry, linked hover, the two notations, every form of the gradient, predict then reveal."""

from __future__ import annotations

import re
from typing import Any

import httpx
import numpy as np
import pytest
from playwright.sync_api import Page, expect

from .axe import Axe
from .tables import ENTRIES
from .test_stepping_page import SIXTEEN_WIDE, cell, open_page, session_of, wait_idle
from .test_training_share import encode

pytestmark = [pytest.mark.browser, pytest.mark.server]

# The outlines drawn over a matrix of the panels, as [x0, x1, y0, y1] in entries (the cell of
# row r, column c spans c − ½ … c + ½ across and r − ½ … r + ½ down).
SHAPES = """name => {
  const figure = document.querySelector(`.matrix-panel .matrix[data-tensor="${name}"]`);
  const canvas = figure.querySelector('canvas.matrix-canvas');
  const across = parseFloat(canvas.style.width) / Number(figure.dataset.cols);
  const down = parseFloat(canvas.style.height) / Number(figure.dataset.rows);
  const at = (pixels, cell) => Math.round((pixels / cell + 0.5) * 100) / 100;
  return [...figure.querySelectorAll('.matrix-mark')].map(mark => {
    const [left, top] = [parseFloat(mark.style.left), parseFloat(mark.style.top)];
    const [width, height] = [parseFloat(mark.style.width), parseFloat(mark.style.height)];
    return [at(left, across), at(left + width, across), at(top, down), at(top + height, down)];
  });
}"""


# The name a matrix's cells are announced with (hover, keyboard): "Δ₂ᵀ, 4 × 1: …".
HOVER = """name => document.querySelector(`.matrix[data-tensor="${name}"] .matrix-cells`)
  .getAttribute('aria-label')"""


def wait_for_outline(page: Page, name: str, outline: list[list[float]]) -> None:
    """Waits until the heatmap of `name` shows exactly these outline rectangles."""
    page.wait_for_function(
        f"([name, want]) => JSON.stringify(({SHAPES})(name)) === JSON.stringify(want)",
        arg=[name, outline],
        timeout=5000,
    )
    assert page.evaluate(SHAPES, name) == outline


def go_to_step(page: Page, number: int) -> None:
    page.click(f'#strip [data-number="{number}"]')
    wait_idle(page)


def tex_of(page: Page, selector: str) -> str:
    return str(page.locator(f"{selector} annotation").first.text_content())


def test_clicking_a_result_cell_explains_it_and_hovering_outlines_what_it_reads(
    page: Page, server_url: str, api: httpx.Client
) -> None:
    open_page(page, server_url + "/")
    go_to_step(page, 4)  # backward, layer 2: Δ₂, ∇W₂, ∇b₂ from G, Σ'₂, Σ₁
    session_id = session_of(page)

    page.mouse.click(*cell(page, "gradW2", 1, 3))

    panel = page.locator('#explain[data-state="shown"]')
    expect(panel).to_be_visible()
    expect(panel.locator(".explain-heading")).to_have_text("∇W₂[1, 3]: how it is computed")
    expected = api.get(
        f"/api/sessions/{session_id}/explain", params={"tensor": "gradW2", "row": 1, "col": 3}
    ).json()
    assert tex_of(page, "#explain .explain-formula") == expected["formula"]
    assert tex_of(page, "#explain .explain-numbers") == expected["numbers"]

    page.mouse.move(*cell(page, "gradW2", 1, 2))
    expect(page.locator('.matrix[data-tensor="Sigma1"]')).to_have_class(
        re.compile(r"\bis-linked\b")
    )
    # ∇W₂[1,2] reads row 1 of Δ₂ and row 2 of Σ₁ (column 2 of Σ₁ᵀ). The outlines of the cell
    # hovered before may still be drawn for a moment, so wait for these ones.
    for name, outline in (
        ("Sigma1", [[0.5, 4.5, 1.5, 2.5]]),
        ("Delta2", [[0.5, 4.5, 0.5, 1.5]]),
        ("gradW2", [[1.5, 2.5, 0.5, 1.5]]),
    ):
        wait_for_outline(page, name, outline)

    page.mouse.move(5, 5)
    page.wait_for_function(
        "() => !document.querySelector('.matrix.is-linked')"
        " && !document.querySelector('.matrix-panel .matrix-mark')"
    )
    page.click("#explain-close")
    expect(page.locator("#explain")).to_be_hidden()


def test_the_notation_toggles_transpose_the_step_and_embed_the_network(
    page: Page, server_url: str, api: httpx.Client
) -> None:
    open_page(page, server_url + "/")
    go_to_step(page, 4)
    session_id = session_of(page)

    page.select_option("#convention", "row")
    wait_idle(page)

    assert "convention=row" in page.url
    expect(page.locator("#step-title .notation-badge")).to_have_text("row convention")
    expect(page.locator("#notation-note")).to_contain_text("Row convention")
    delta = page.locator('.matrix[data-tensor="Delta2"]')
    expect(delta).to_have_attribute("data-rows", "4")
    expect(delta).to_have_attribute("data-cols", "1")
    assert tex_of(page, '.matrix[data-tensor="Delta2"] figcaption') == (
        r"\Delta_{2}^{T} \in \mathbb{R}^{4\times 1}"
    )
    expect(delta).to_have_attribute("data-title", "Δ₂ᵀ ∈ ℝ^{4×1}")
    assert page.evaluate(HOVER, "Delta2").startswith("Δ₂ᵀ, 4 × 1: ")
    row_step = api.get(f"/api/sessions/{session_id}/current", params={"convention": "row"}).json()[
        "step"
    ]
    shown = page.locator("#formulas .shape-algebra").all_text_contents()
    assert shown == [f["shape_algebra"] for f in row_step["formulas"]]

    page.select_option("#convention", "column")
    wait_idle(page)
    assert page.evaluate(HOVER, "Delta2").startswith("Δ₂, 1 × 4: ")
    go_to_step(page, 1)
    page.select_option("#view", "homogeneous")
    wait_idle(page)

    assert "view=homogeneous" in page.url
    expect(page.locator("#step-title .notation-badge")).to_have_text(
        "column convention · homogeneous Ŵ"
    )
    w_hat = page.locator('.matrix[data-tensor="W1"]')
    expect(w_hat).to_have_attribute("data-rows", "5")
    expect(w_hat).to_have_attribute("data-cols", "3")
    assert tex_of(page, '.matrix[data-tensor="W1"] figcaption').startswith(r"\hat{W}_{1}")
    expect(w_hat).to_have_attribute("data-title", "Ŵ₁ ∈ ℝ^{5×3}")
    assert page.evaluate(HOVER, "W1").startswith("Ŵ₁, 5 × 3: ")
    assert page.evaluate(HOVER, "X").startswith("X\u0302, 3 × 4: ")
    z = page.evaluate(ENTRIES, "W1")
    assert z[-1] == [0, 0, 1], "the formal row [0 … 0 1]"

    page.select_option("#preset", "paper-1d-chain")  # no biases: nothing to embed
    wait_idle(page)
    expect(page.locator('#view option[value="homogeneous"]')).to_be_disabled()
    expect(page.locator("#view")).to_have_value("affine")


def test_compare_gradient_forms_shows_each_form_and_how_far_apart_they_are(
    page: Page, server_url: str
) -> None:
    open_page(page, server_url + "/")
    go_to_step(page, 3)  # the objective: J averages over XOR's 4 samples, the Q&A's does not
    expect(page.locator("#formulas .formula-note")).to_have_text(
        re.compile(r"^J averages over the batch \(1/m, m = 4\); the Q&A's J")
    )
    expect(page.locator("#compare-gradients")).to_be_hidden()
    go_to_step(page, 5)  # backward, layer 1

    page.click("#compare-gradients")

    panel = page.locator("#gradient-forms")
    expect(panel).to_be_visible()
    expect(panel.locator(".gradient-heading")).to_have_text("∇W₁ by every form")
    forms = panel.locator(".gradient-form")
    expect(forms).to_have_count(4)
    assert [f.get_attribute("data-form") for f in forms.all()] == [
        "recursive",
        "hadamard_chain",
        "diagonal_chain",
        "finite_differences",
    ]
    expect(forms.nth(2).locator(".formula-note")).to_have_text(re.compile("the paper's hat"))
    # (4), the Hadamard chain's ∇W₁ again per sample with ⊗, is written out when its section is
    # opened from the keyboard.
    later = forms.nth(1).locator("details.gradient-more")
    expect(later.locator("summary")).to_have_text("The same ∇W₁, written another way")
    expect(later.locator(".gradient-formula")).to_have_count(0)
    later.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(later.locator(".gradient-formula annotation")).to_contain_text(r"\otimes")
    # Formulas (3), (4) and (5) of XOR's layer 1 are made smaller to fit their cards, and the
    # keyboard reaches each (a longer chain scrolls sideways).
    fits = panel.locator(".gradient-formula").evaluate_all(
        "all => all.map(e => [e.scrollWidth <= e.clientWidth + 1, e.tabIndex])"
    )
    assert len(fits) == 5 and all(fit == [True, 0] for fit in fits), fits
    # Each matrix's table opens from the keyboard.
    table = forms.first.locator('.matrix[data-tensor="gradW1"] .matrix-table')
    table.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(table.locator(".matrix-table-grid tbody tr")).to_have_count(4)
    expect(panel.locator(".gradient-summary")).to_have_text(
        re.compile(r"^All four agree to \d\.\de−\d+")
    )
    go_to_step(page, 6)
    expect(panel).to_be_hidden()


def fill(page: Page, tensor: str, values: list[list[Any]]) -> None:
    cells = page.locator(f'.matrix[data-tensor="{tensor}"] .predict-cell')
    flat = [v for row in values for v in row]
    expect(cells).to_have_count(len(flat))
    for input_, value in zip(cells.all(), flat, strict=True):
        input_.fill(str(value))


def test_predict_mode_hides_the_next_results_grades_them_and_reveals_them(
    page: Page, server_url: str, api: httpx.Client
) -> None:
    open_page(page, server_url + "/")
    page.click("#predict-mode")
    expect(page.locator("#predict-mode")).to_have_attribute("aria-pressed", "true")

    page.click("#step")
    wait_idle(page)

    n1 = page.locator('.matrix[data-tensor="N1"]')
    expect(n1).to_have_class(re.compile(r"\bis-masked\b"))
    expect(n1.locator(".matrix-canvas")).to_be_hidden()
    expect(page.locator("#results .matrix.is-masked")).to_have_count(3)
    expect(page.locator('.matrix[data-tensor="W1"] .matrix-canvas')).to_be_visible()

    session_id = session_of(page)
    values = api.get(f"/api/sessions/{session_id}/steps/1").json()["tensors"]["N1"]["data"]
    values[1][2] += 1.0
    fill(page, "N1", values)
    n1.locator(".predict-check").click()

    expect(n1.locator(".predict-verdict")).to_have_text(
        "15 of 16 entries right (✓); the ones marked ✗ are not within 0.001 · (1 + |value|) of "
        "the value."
    )
    expect(n1.locator(".predict-cell.is-right")).to_have_count(15)
    wrong = n1.locator(".predict-cell.is-wrong")
    expect(wrong).to_have_count(1)
    expect(wrong).to_have_attribute("aria-label", "N₁[2, 3]")

    n1.locator(".predict-reveal").click()
    expect(n1.locator(".matrix-canvas")).to_be_visible()
    expect(n1).not_to_have_class(re.compile(r"\bis-masked\b"))
    expect(n1.locator(".predict-verdict")).to_be_visible()  # the graded grid stays


def test_predict_mode_hides_intermediates_too_and_veils_matrices_too_large_to_type(
    page: Page, server_url: str
) -> None:
    open_page(page, server_url + "/#spec=" + encode(SIXTEEN_WIDE))
    page.click("#predict-mode")

    page.click("#step")  # forward 1: N1, Σ1, Σ'1 are 16 × 16
    wait_idle(page)
    n1 = page.locator('.matrix[data-tensor="N1"]')
    expect(n1).to_have_class(re.compile(r"\bis-masked\b"))
    expect(n1.locator(".predict-cell")).to_have_count(0)
    expect(n1.locator(".predict-hint")).to_contain_text("(16 × 16) is hidden")
    n1.locator(".predict-reveal").click()
    expect(n1.locator(".matrix-canvas")).to_be_visible()
    expect(n1.locator(".predict")).to_have_count(0)

    go_to_step(page, 5)  # backward 1: W₂ᵀΔ₂ is computed along the way
    intermediate = page.locator('#intermediates .matrix[data-tensor="WTDelta1"]')
    expect(intermediate).to_have_class(re.compile(r"\bis-masked\b"))
    expect(intermediate.locator(".matrix-canvas")).to_be_hidden()


def test_the_homogeneous_update_hatches_the_formal_row_and_says_why(
    page: Page, server_url: str, api: httpx.Client, tmp_path_factory: pytest.TempPathFactory
) -> None:
    open_page(page, server_url + "/")
    session_id = session_of(page)
    assert api.post(f"/api/sessions/{session_id}/train", json={"iterations": 5}).is_success
    open_page(page, f"{server_url}/?session={session_id}&view=homogeneous")
    go_to_step(page, 6)  # the update

    for name in ("W1", "gradW1", "W1_new"):
        figure = page.locator(f'.matrix[data-tensor="{name}"]')
        expect(figure.locator(".matrix-held-band")).to_have_count(1)
        expect(figure.locator(".matrix-notice.is-held")).to_have_text(
            re.compile(r"^Row 5 held fixed")
        )
    expect(page.locator('.matrix[data-tensor="W2"] .matrix-held-band')).to_have_count(0)
    expect(page.locator("#formulas .formula-held")).to_contain_text("§3, condition (b)")
    band = page.locator('.matrix[data-tensor="gradW1"] .matrix-held-band').bounding_box()
    plot = page.locator('.matrix[data-tensor="gradW1"] .matrix-canvas').bounding_box()
    assert band and plot and band["height"] < plot["height"] / 4  # one row of five
    page.screenshot(path=str(tmp_path_factory.mktemp("shots") / "held-fixed.png"), full_page=True)
    new = page.evaluate(ENTRIES, "W1_new")
    assert new[-1] == [0, 0, 1]

    page.click("#step")
    wait_idle(page)
    assert page.evaluate(ENTRIES, "W1") == new


def test_the_qa_names_show_the_qa_formulas_verbatim(
    page: Page, server_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    open_page(page, server_url + "/")
    page.select_option("#preset", "qa-one-hidden")
    wait_idle(page)
    go_to_step(page, 4)  # backward, layer 2

    page.select_option("#convention", "qa")
    wait_idle(page)

    assert "names=qa" in page.url and "convention=row" in page.url
    expect(page.locator("#step-title .notation-badge")).to_have_text(
        "row convention · the Q&A's names"
    )
    expect(page.locator("#notation-note")).to_contain_text("H = Σ₁ᵀ")
    formulas = page.locator("#formulas .formula-maths annotation").all_text_contents()
    assert any(r"\frac{\partial J}{\partial W}" in tex and "H^{T}" in tex for tex in formulas)
    assert tex_of(page, '.matrix[data-tensor="Sigma1"] figcaption').startswith("H ")
    assert page.evaluate(HOVER, "gradb2").startswith("∂J/∂B, 1 × 2")
    page.screenshot(path=str(tmp_path_factory.mktemp("shots") / "qa-names.png"))

    page.select_option("#preset", "softmax-classifier")  # not the Q&A's network
    wait_idle(page)
    expect(page.locator('#convention option[value="qa"]')).to_be_disabled()
    expect(page.locator("#convention")).to_have_value("row")


def test_the_1d_chain_reads_in_the_papers_scalars_with_its_numbers(
    page: Page, server_url: str, api: httpx.Client, tmp_path_factory: pytest.TempPathFactory
) -> None:
    open_page(page, server_url + "/")
    page.select_option("#preset", "paper-1d-chain")
    wait_idle(page)
    go_to_step(page, 7)  # backward, layer 1

    formulas = page.locator("#formulas .formula-maths annotation").all_text_contents()
    assert any(r"\Delta_{1} = \Delta_{2}\,w_{2}\,\sigma'_{1}" in tex for tex in formulas)
    product = next(tex for tex in formulas if r"\sigma'_{3}\,w_{3}\,\sigma'_{2}" in tex)
    gradient = api.get(f"/api/sessions/{session_of(page)}/current").json()["step"]
    value = gradient["tensors"]["gradW1"]["data"][0][0]
    assert product.endswith(f"= {value:.4g}")
    assert r"^{T}" not in "".join(formulas)  # numbers, not 1 × 1 matrices with transposes
    expect(page.locator('.matrix[data-tensor="W3"]')).to_have_count(1)  # a factor of (2)
    # The equation view multiplies the numbers side by side, as the formulas write them: no ∘
    # or · between 1 × 1 factors, no bracket around Δ₂ w₂, no factor drawn transposed.
    open_page(page, f"{server_url}/?session={session_of(page)}&layout=equation")
    expect(page.locator("#step-title")).to_contain_text("Backward, layer 1")
    expect(page.locator('#equation .matrix[data-tensor="W2"]').first).to_be_visible()
    symbols = page.locator("#equation .equation-symbol").all_text_contents()
    assert symbols and set(symbols) <= {"="}, symbols
    expect(page.locator("#equation .matrix.is-transposed")).to_have_count(0)
    page.screenshot(path=str(tmp_path_factory.mktemp("shots") / "chain.png"))
    expect(page.locator("#equation .equation-paren")).to_have_count(0)


NODES = "() => document.getElementsByTagName('*').length"


def test_the_gradient_forms_of_a_wide_layer_are_written_out_with_heatmaps_not_tables(
    page: Page,
    server_url: str,
    api: httpx.Client,
    axe: Axe,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    rng = np.random.default_rng(0)
    spec = {
        "layers": [784, 256, 128, 10],
        "activations": ["relu", "relu", "identity"],
        "loss": "softmax_cross_entropy",
        "inputs": rng.random((8, 784)).round(3).tolist(),
        "targets": np.eye(10)[rng.integers(0, 10, 8)].tolist(),
        "seed": 1,
    }
    session_id = api.post("/api/sessions", json=spec).json()["id"]
    api.post(f"/api/sessions/{session_id}/goto", json={"step": 7})  # backward, layer 1
    page.set_default_timeout(60_000)  # 235,146 parameters: the page's first draw takes a while
    open_page(page, f"{server_url}/?session={session_id}")
    before = page.evaluate(NODES)

    page.click("#compare-gradients")

    panel = page.locator("#gradient-forms")
    expect(panel).to_be_visible(timeout=60_000)
    forms = panel.locator(".gradient-form")
    expect(forms).to_have_count(3)  # finite differences are left out at this size
    expect(panel.locator("figure.matrix[data-tensor='gradW1'] canvas")).to_have_count(3)
    written = panel.locator(".gradient-formula annotation").all_text_contents()
    assert any(r"\bullet" in tex and r"\circ" in tex for tex in written)  # (3)
    assert any(r"\widehat{\Sigma}'_{1}" in tex for tex in written)  # (5)
    assert any(r"_{\htmlClass{bv-size}{256\times 784}}" in tex for tex in written)
    expect(forms.nth(1).locator(".gradient-difference")).to_have_text(
        re.compile(r"^Largest difference from the recursive form: \d\.\de−\d+\.$")
    )
    # Six figures (∇W₁ and ∇b₁ of three forms): each a canvas, and its table alternative a
    # closed summary until opened; (4) is written when its section opens. A table of every
    # entry was ~600,000 cells; tables paged at 400 entries and (4) written, 6,829 nodes.
    added = page.evaluate(NODES) - before
    assert added <= 3_000, added
    axe.check(page, "gradient forms of a wide layer, closed")
    later = forms.nth(1).locator("details.gradient-more summary")
    later.focus()
    page.keyboard.press("Enter")
    written = panel.locator(".gradient-formula annotation").all_text_contents()
    assert any(r"\otimes" in tex and r"\sum_{j=1}^{m}" in tex for tex in written)  # (4)
    table = forms.first.locator('.matrix[data-tensor="gradW1"] .matrix-table')
    table.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(table.locator("caption")).to_have_text(
        "∇W₁, 256 × 784: rows 1 to 20 of 256, columns 1 to 20 of 784"
    )
    expect(table.locator("tbody td")).to_have_count(400)
    axe.check(page, "gradient forms of a wide layer, (4) and a table open")
    panel.screenshot(path=str(tmp_path_factory.mktemp("shots") / "gradient-forms.png"))
