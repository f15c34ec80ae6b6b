"""Training you can watch, the network diagram, share links, a live follower, exports and
presenter mode: in headless Chromium against the real server."""

from __future__ import annotations

import base64
import io
import json
import math
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import numpy as np
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from .conftest import Recorder
from .tables import ENTRIES
from .test_matrices import FIRST_CELL
from .test_stepping_page import cell, network, open_page, session_of, step, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.server]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"

# Records every value the progress bar takes (`values`, from each mutation's old value) and the
# value it shows at the end of each task that moved it (`shown`): what the eye can see.
WATCH_PROGRESS = """() => {
  const bar = document.getElementById('train-progress');
  window.__progress = {values: [], shown: []};
  new MutationObserver((records) => {
    for (const r of records) window.__progress.values.push(Number(r.oldValue));
    window.__progress.shown.push(Number(bar.value));
  }).observe(bar, {attributes: true, attributeFilter: ['value'], attributeOldValue: true});
}"""

# Two rings of points, 128 samples: enough work per iteration that a chunk takes real time.
RINGS = {
    "layers": [2, 32, 32, 1],
    "activations": ["tanh", "tanh", "sigmoid"],
    "inputs": [
        [round(r * math.cos(k * math.pi / 32), 4), round(r * math.sin(k * math.pi / 32), 4)]
        for r in (0.5, 1.5)
        for k in range(64)
    ],
    "targets": [[t] for t in (0, 1) for _ in range(64)],
    "learning_rate": 0.5,
}


def encode(spec: dict[str, Any]) -> str:
    """A spec as the page writes it after `#spec=`: base64url of its JSON, unpadded."""
    return base64.urlsafe_b64encode(json.dumps(spec).encode()).decode().rstrip("=")


def linked_json(link: str) -> dict[str, Any]:
    """The JSON of a link's `#spec=` (its batch, when big, follows it as float64 bytes)."""
    head = link.split("#spec=")[1].split(".")[0]
    return dict(json.loads(base64.urlsafe_b64decode(head + "==")))


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name))


def test_training_streams_progress_curves_norms_and_the_boundary(
    page: Page, server_url: str, api: httpx.Client
) -> None:
    open_page(page, server_url + "/#spec=" + encode(RINGS))
    # As a user comes to the panel: on the screen, its plotting library loaded, then a run.
    page.locator("#train-panel").scroll_into_view_if_needed()
    expect(page.locator("#train-boundary")).to_have_attribute("data-iteration", "0")
    page.evaluate(WATCH_PROGRESS)
    page.fill("#train-iterations", "1000")
    page.locator("#train-run").click()
    page.locator("#train-panel[data-training=false]").wait_for(state="attached")
    wait_idle(page)

    progress = page.evaluate("window.__progress")
    values = [*progress["values"], progress["shown"][-1]]
    assert values[-1] == 1000
    assert values == sorted(values) and len(set(values)) >= 15, "one value per streamed chunk"
    assert len(set(progress["shown"])) >= 3, "the bar moved while the run went on"
    expect(page.locator("#train-progress-text")).to_have_text("1000 / 1000")
    # The page then shows where the run ended: its last update, with the weights it made.
    expect(page.locator("#position")).to_contain_text("Iteration 1000 · step 8 / 8 · update")
    expect(page.locator('#results .matrix[data-tensor="W1_new"]')).to_be_visible()
    session = api.get(f"/api/sessions/{session_of(page)}").json()
    assert session["iteration"] == 1001
    loss = page.evaluate("document.getElementById('train-loss').data[0].y")
    assert loss == session["losses"]
    decades = max(session["losses"]) / min(session["losses"]) > 100
    axis = page.evaluate("document.getElementById('train-loss').layout.yaxis.type")
    assert axis == ("log" if decades else "linear")
    # The curve is said in words too, with the first and last J as the page writes numbers.
    summary = page.locator("#train-loss-summary")
    expect(summary).to_be_visible()
    said = re.match(
        r"Objective J over 1000 iterations: (\S+) at iteration 1, (\S+) at iteration 1000[;.]",
        summary.inner_text(),
    )
    assert said, summary.inner_text()
    first, last = (float(number.replace("\u2212", "-")) for number in said.groups())
    assert first == pytest.approx(session["losses"][0], rel=5e-3)
    assert last == pytest.approx(session["losses"][-1], rel=5e-3)
    norms = page.evaluate("document.getElementById('train-norms').data.map(t => t.name)")
    assert norms == ["‖∇W₁‖", "‖Δ₁‖", "‖∇W₂‖", "‖Δ₂‖", "‖∇W₃‖", "‖Δ₃‖"]
    expect(page.locator("#train-dead")).to_contain_text("layer 1: none · layer 2: none")
    expect(page.locator("#train-boundary")).to_have_attribute("data-iteration", "1000")
    boundary = page.evaluate("document.getElementById('train-boundary').data.map(t => t.type)")
    assert boundary == ["heatmap", "contour", "scatter"]
    page.locator("#train-panel").scroll_into_view_if_needed()
    shot(page, "training.png")


def test_the_diagram_colours_edges_highlights_the_layer_and_collapses_wide_layers(
    page: Page, server_url: str, api: httpx.Client
) -> None:
    spec = network(
        [2, 20, 1], [[0, 1], [1, 0]], [[1], [0]], activations=("relu", "sigmoid"), seed=4
    )
    open_page(page, server_url + "/#spec=" + encode(spec))
    expect(page.locator("#spec-summary")).to_contain_text("2–20–1")
    diagram = page.locator("#diagram")
    expect(diagram.locator(".more-marker")).to_have_text("+5 more")
    expect(diagram.locator(".edge-layer line")).to_have_count(2 * 15 + 15 * 1)
    step(page)
    expect(diagram).to_have_attribute("data-active", "1")
    step(page, 3)  # objective, then backward 2: the gradient mode reads ∇W from the trace
    page.select_option("#diagram-mode", "gradient")
    wait_idle(page)
    expect(diagram).to_have_attribute("data-mode", "gradient")
    expect(diagram).to_have_attribute("data-active", "2")
    trace = api.get(f"/api/sessions/{session_of(page)}/export/trace.json").json()
    first = diagram.locator('.edge-layer[data-layer="2"] line').first
    value = trace["tensors"]["gradW2"]["data"][0][0]
    assert float(first.get_attribute("data-value")) == value
    page.locator("#diagram-panel").scroll_into_view_if_needed()
    # An edge is titled with its entry, to three significant figures, once pointed at.
    expect(diagram.locator(".edge-layer line title")).to_have_count(0)
    first.hover()
    title = first.locator("title")
    expect(title).to_have_text(re.compile(r"^∇W₂\[1,1\] = "))
    written = title.text_content().split(" = ")[1].replace("\u2212", "-")
    assert float(written) == pytest.approx(value, rel=5e-3)
    shot(page, "diagram.png")


def test_a_network_link_rebuilds_the_same_network_in_a_new_session(
    page: Page, context: BrowserContext, server_url: str, api: httpx.Client
) -> None:
    open_page(page, server_url + "/")
    page.select_option("#preset", "qa-one-hidden")
    wait_idle(page)
    link = page.locator("#share-network-url").input_value()
    assert "#spec=" in link and "session=" not in link
    first = api.get(f"/api/sessions/{session_of(page)}").json()

    other = context.new_page()
    try:
        open_page(other, link)
        second = api.get(f"/api/sessions/{session_of(other)}").json()
        assert second["id"] != first["id"]
        assert second["spec"] == first["spec"]
        expect(other.locator("#preset")).to_have_value("qa-one-hidden")
    finally:
        other.close()


def test_a_follower_sees_the_lecturer_step_live_and_cannot_move(
    page: Page, context: BrowserContext, server_url: str
) -> None:
    open_page(page, server_url + "/")
    page.locator("#room-open").click()
    link = page.locator("#room-url")
    expect(link).to_have_value(re.compile(r"/\?follow=[\w-]{32}$"))
    room_id = parse_qs(urlsplit(link.input_value()).query)["follow"][0]
    view_url = f"{server_url}/?follow={room_id}"  # the room, at the address the tests reach
    session_id = session_of(page)
    assert session_id not in link.input_value()

    follower = context.new_page()
    errors: list[str] = []
    follower.on("pageerror", lambda error: errors.append(str(error)))
    try:
        open_page(follower, view_url)
        expect(follower.locator("#follow-banner")).to_be_visible()
        expect(follower.locator("#step")).to_be_hidden()
        expect(follower.locator("#train-panel")).to_be_hidden()
        expect(follower.locator("#position")).to_contain_text("step 0 / 6")

        step(page, 2)
        expect(follower.locator("#position")).to_have_text(
            page.locator("#position").inner_text(), timeout=5000
        )
        expect(follower.locator("#position")).to_contain_text("step 2 / 6")
        expect(follower.locator("#results .matrix")).to_have_count(3)

        follower.keyboard.press("ArrowRight")  # a follower's keys move nothing
        follower.wait_for_timeout(300)
        expect(page.locator("#position")).to_contain_text("step 2 / 6")
        step(page)
        expect(follower.locator("#position")).to_contain_text("step 3 / 6", timeout=5000)
        assert session_id not in follower.url
        assert "session" not in parse_qs(urlsplit(follower.url).query)

        # The follower picks the row convention for itself, and keeps it as the lecturer moves.
        follower.select_option("#convention", "row")
        delta = follower.locator('.matrix[data-tensor="G"]')
        expect(delta).to_have_attribute("data-rows", "4", timeout=5000)
        step(page)
        expect(follower.locator("#position")).to_contain_text("step 4 / 6", timeout=5000)
        expect(follower.locator('.matrix[data-tensor="Delta2"]')).to_have_attribute(
            "data-rows", "4"
        )
        expect(page.locator('.matrix[data-tensor="Delta2"]')).to_have_attribute("data-rows", "1")
        # …and has any entry explained, under the view's id.
        wait_idle(follower)
        follower.mouse.click(*cell(follower, "Delta2", 3, 1))
        expect(follower.locator("#explain")).to_be_visible()
        expect(follower.locator("#explain .explain-heading")).to_have_text(
            "Δ₂ᵀ[3, 1]: how it is computed"
        )
        expect(follower.locator("#explain")).to_have_attribute("data-state", "shown")
        shot(follower, "follower.png")
    finally:
        follower.close()
    assert errors == []


def test_the_export_links_download_the_trace_the_session_and_a_matrix_as_latex(
    page: Page, server_url: str, api: httpx.Client
) -> None:
    open_page(page, server_url + "/")
    step(page, 4)
    links = page.locator("#export-links a")
    expect(links).to_have_text(["Trace JSON", "CSV", "NumPy .npz", "Session JSON"])
    hrefs = [server_url + str(a.get_attribute("href")) for a in links.all()]
    trace = page.request.get(hrefs[0]).json()
    assert trace == api.get(f"/api/sessions/{session_of(page)}/export/trace.json").json()
    assert page.request.get(hrefs[1]).text().startswith("tensor,row,col,value\n")
    archive = np.load(io.BytesIO(page.request.get(hrefs[2]).body()), allow_pickle=False)
    assert "Delta2" in archive.files
    exported = page.request.get(hrefs[3]).json()
    assert exported == api.get(f"/api/sessions/{session_of(page)}/export").json()

    expect(page.locator("#latex-tensor")).to_have_value("Delta2")
    page.fill("#latex-digits", "2")
    latex = page.locator("#latex-slot a")
    expect(latex).to_have_text("LaTeX of Δ₂")
    text = page.request.get(server_url + str(latex.get_attribute("href"))).text()
    assert "\\Delta_{2} = \\begin{bmatrix}" in text
    assert "2 significant digits" in text


FORMULA_FITS = """() => [...document.querySelectorAll('#formulas .formula-maths')].map(
    (e) => ({fits: e.scrollWidth <= e.clientWidth + 1, size: e.style.fontSize}))"""


def test_a_formula_too_long_for_its_column_is_made_smaller_to_fit(
    page: Page, server_url: str
) -> None:
    open_page(page, server_url + "/")
    page.select_option("#preset", "softmax-classifier")  # 2-5-3: the objective is step 3
    wait_idle(page)
    page.locator("#presenter").click()  # 1280 × 720 in presenter type
    wait_idle(page)
    page.select_option("#layout", "panels")  # the formulas beside the matrices
    wait_idle(page)
    step(page, 3)
    expect(page.locator("#position")).to_contain_text("objective")

    formulas = page.evaluate(FORMULA_FITS)

    assert formulas and all(f["fits"] for f in formulas)
    assert any(f["size"] for f in formulas)  # J's line, in presenter type, was made smaller
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.locator("#presenter").click()  # normal type on a wide screen: room for every formula
    wait_idle(page)
    page.wait_for_function(
        "() => [...document.querySelectorAll('#formulas .formula-maths')]"
        ".every((e) => !e.style.fontSize && e.scrollWidth <= e.clientWidth + 1)"
    )


def test_presenter_mode_is_large_high_contrast_with_a_colour_blind_safe_scale(
    page: Page, server_url: str
) -> None:
    open_page(page, server_url + "/?presenter=1")
    step(page, 4)
    expect(page.locator("#presenter")).to_have_attribute("aria-pressed", "true")
    for hidden in ("#edit-network", ".workbench", "#reset", "#run-to-end", ".speed"):
        expect(page.locator(hidden)).to_be_hidden()
    for shown in ("#equation", "#strip", "#step", "#back", "#convention", "#view"):
        expect(page.locator(shown)).to_be_visible()
    style = page.evaluate(
        """() => {
          const s = getComputedStyle(document.querySelector('#step-title'));
          return {size: parseFloat(getComputedStyle(document.documentElement).fontSize),
                  colour: s.color, background: getComputedStyle(document.body).backgroundColor};
        }"""
    )
    assert style["size"] >= 22
    assert style["colour"] == "rgb(0, 0, 0)" and style["background"] == "rgb(255, 255, 255)"

    page.select_option("#colour-scale", "puor")
    wait_idle(page)
    cell = page.evaluate(FIRST_CELL, "#equation .matrix[data-tensor]:not([data-ones])")
    assert cell["painted"] == cell["expected"] and cell["value"] != 0
    shot(page, "presenter-puor.png")

    page.locator("#presenter").click()
    wait_idle(page)
    expect(page.locator(".workbench")).to_be_visible()
    assert "presenter" not in page.url
    page.reload()
    page.locator("body[data-ready=true]").wait_for(state="attached")
    expect(page.locator("#colour-scale")).to_have_value("puor")  # remembered
    page.select_option("#colour-scale", "rdbu")


def wide_spec(**more: Any) -> dict[str, Any]:
    """64-48-10, 3,552 weights: more than a link carries when they are given explicitly."""
    rng = np.random.default_rng(3)
    return {
        "layers": [64, 48, 10],
        "activations": ["sigmoid", "identity"],
        "loss": "softmax_cross_entropy",
        "inputs": rng.uniform(0, 1, (4, 64)).round(2).tolist(),
        "targets": np.eye(10)[[1, 2, 3, 4]].tolist(),
        "seed": 5,
        **more,
    }


def test_after_an_update_the_page_reads_the_parameters_once_as_typed_arrays(
    page: Page, server_url: str, api: httpx.Client, recorder: Recorder
) -> None:
    open_page(page, server_url + "/#spec=" + encode(wide_spec()))
    recorder.requests.clear()
    page.evaluate("document.querySelector('#diagram svg').dataset.drawn = 'first'")

    step(page, 6)  # an iteration of k = 2: its update moves to iteration 2

    session_id = session_of(page)
    reads = [u for u in recorder.requests if urlsplit(u).path == f"/api/sessions/{session_id}"]
    assert [parse_qs(urlsplit(u).query).get("encoding") for u in reads] == [["binary"]]
    # The new weights are the update's W_i (new), which the page holds: not sent again.
    assert parse_qs(urlsplit(reads[0]).query)["held"] == ["W1,W2"]
    session = api.get(f"/api/sessions/{session_id}").json()
    assert session["iteration"] == 2
    edge = page.locator('#diagram .edge-layer[data-layer="2"] line').first
    assert float(edge.get_attribute("data-value")) == session["weights"][1][0][0]
    # The same network: its edges recoloured in place, the picture not drawn again.
    assert page.evaluate("document.querySelector('#diagram svg').dataset.drawn") == "first"


def test_the_update_is_asked_for_without_the_tensors_the_page_holds_and_shows_them_all(
    page: Page, server_url: str, api: httpx.Client, recorder: Recorder
) -> None:
    open_page(page, server_url + "/")  # XOR: its update is step 6
    step(page, 5)
    recorder.requests.clear()

    step(page)

    session_id = session_of(page)
    [update] = [u for u in recorder.requests if urlsplit(u).path.endswith("/step")]
    query = parse_qs(urlsplit(update).query)
    assert query["held_iteration"] == ["1"]
    assert {"W1", "W2", "gradW1", "gradW2"} <= set(query["held"][0].split(","))
    trace = api.get(f"/api/sessions/{session_id}/export/trace.json").json()  # iteration 1
    for name in ("W1", "gradW1", "W1_new"):  # held, held, sent
        shown = page.evaluate(ENTRIES, name)
        assert np.allclose(shown, trace["tensors"][name]["data"], rtol=5e-3, atol=1e-12), name


def test_the_first_step_is_asked_for_without_the_weights_the_page_read_with_its_session(
    page: Page, server_url: str, api: httpx.Client, recorder: Recorder
) -> None:
    open_page(page, server_url + "/")  # XOR
    recorder.requests.clear()

    step(page)  # forward, layer 1: W₁ is an operand

    [first] = [u for u in recorder.requests if urlsplit(u).path.endswith("/step")]
    query = parse_qs(urlsplit(first).query)
    assert (query["held_iteration"], query["held"]) == (["1"], ["W1,W2"])
    trace = api.get(f"/api/sessions/{session_of(page)}/export/trace.json").json()
    assert np.allclose(page.evaluate(ENTRIES, "W1"), trace["tensors"]["W1"]["data"], rtol=5e-3)


def test_in_the_row_convention_the_weights_read_are_not_held_as_its_tensors(
    page: Page, server_url: str, recorder: Recorder
) -> None:
    open_page(page, server_url + "/?convention=row")
    recorder.requests.clear()

    step(page)

    [first] = [u for u in recorder.requests if urlsplit(u).path.endswith("/step")]
    assert "held" not in parse_qs(urlsplit(first).query)  # Wᵀ is sent: not the weights read


def test_a_seeded_networks_link_carries_its_seed_not_its_weights(
    page: Page, server_url: str
) -> None:
    open_page(page, server_url + "/#spec=" + encode(wide_spec()))
    step(page, 6)

    link = page.locator("#share-network-url").input_value()
    linked = linked_json(link)
    assert (linked["weights"], linked["seed"], linked["init"]) == (None, 5, "xavier")
    assert len(link) < 8000
    expect(page.locator("#share-network-note")).to_have_text(
        "The link holds the network's spec: its seed (5) and initialisation (xavier) draw the "
        "same starting weights anywhere."
    )


def test_big_explicit_weights_are_left_out_of_the_link_which_says_so(
    page: Page, server_url: str
) -> None:
    weights = [np.full((48, 64), 0.01).tolist(), np.full((10, 48), -0.02).tolist()]
    open_page(page, server_url + "/#spec=" + encode(wide_spec(weights=weights)))

    link = page.locator("#share-network-url").input_value()
    linked = linked_json(link)
    assert (linked["weights"], linked["seed"]) == (None, 5)
    expect(page.locator("#share-network-note")).to_contain_text(
        "This network's starting weights were given explicitly: 3,552 numbers, too many for a "
        "link. The link draws new ones from its seed (5) and initialisation (xavier)"
    )
    expect(page.locator("#export-links")).to_contain_text("Session JSON")
