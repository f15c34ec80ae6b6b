"""The stepping page in headless Chromium, against the real server: what a lecturer does."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from playwright.sync_api import Page, expect

from .conftest import Recorder
from .tables import each_shown_matrix

pytestmark = [pytest.mark.browser, pytest.mark.server]

SIXTEEN_WIDE = {
    "layers": [2, 16, 1],
    "activations": ["tanh", "sigmoid"],
    "inputs": [[(k % 4) / 4, (k // 4) / 4] for k in range(16)],
    "targets": [[k % 2] for k in range(16)],
}
"""A 2-16-1 network on a batch of 16: its hidden layer's matrices are 16 × 16."""

# Reads every heatmap the page shows: its name, shape, caption, colour range, entries as its
# table writes them, whether its numbers are written, and its notice.
SHOWN_MATRICES = each_shown_matrix(
    """
  const canvas = f.querySelector('canvas.matrix-canvas');
  return {
    group: f.closest('.matrix-group').id,
    name: f.dataset.tensor,
    rows: Number(f.dataset.rows),
    cols: Number(f.dataset.cols),
    title: f.dataset.title,
    tex: f.querySelector('figcaption annotation')?.textContent ?? null,
    range: Number(f.dataset.range),
    z: (await tableOf(f)).cells,
    drawn: canvas ? [parseFloat(canvas.style.width), parseFloat(canvas.style.height)] : null,
    numbers: f.querySelectorAll('.matrix-numbers span').length,
    notice: f.querySelector('.matrix-notice:not([hidden])')?.textContent ?? null,
  };
"""
)


# --- helpers ------------------------------------------------------------------------------


def wait_idle(page: Page) -> None:
    """Waits until the page has no request in flight and has drawn what came back."""
    page.locator("body[data-busy=false]").wait_for(state="attached")


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    page.locator("body[data-ready=true]").wait_for(state="attached")
    wait_idle(page)


def step(page: Page, times: int = 1) -> None:
    """Clicks Step `times` times, each time until the page has drawn the step."""
    for _ in range(times):
        page.locator("#step").click()
        wait_idle(page)


def open_session(page: Page, server_url: str, api: httpx.Client, spec: Any, query: str = "") -> str:
    """Creates a session of `spec` through the API, opens the page on it (`query` adds to the
    address, e.g. "&layout=panels") and returns its id."""
    session_id: str = api.post("/api/sessions", json=spec).json()["id"]
    open_page(page, f"{server_url}/?session={session_id}{query}")
    return session_id


def network(
    layers: list[int],
    inputs: list[list[float]],
    targets: list[list[float]],
    *,
    activations: tuple[str, str] = ("tanh", "sigmoid"),
    **more: Any,
) -> dict[str, Any]:
    """The spec of a network of one hidden layer on `inputs` and `targets`: tanh, then sigmoid,
    unless `activations` says otherwise; `more` adds fields (seed, loss…)."""
    return {
        "layers": layers,
        "activations": list(activations),
        "inputs": inputs,
        "targets": targets,
        **more,
    }


def session_of(page: Page) -> str:
    """The session id the page keeps in its address."""
    return parse_qs(urlsplit(page.url).query)["session"][0]


def spec_of(api: httpx.Client, session_id: str) -> dict[str, Any]:
    """The spec of a session, as the API has it."""
    response = api.get(f"/api/sessions/{session_id}")
    assert response.status_code == 200
    return dict(response.json()["spec"])


def current(api: httpx.Client, session_id: str) -> dict[str, Any]:
    """What the API says the page should show now (does not move the session)."""
    response = api.get(f"/api/sessions/{session_id}/current")
    assert response.status_code == 200
    return dict(response.json())


def where(step: dict[str, Any] | None) -> str:
    if step is None:
        return "not started"
    return step["phase"] if step["layer"] is None else f"{step['phase']}, layer {step['layer']}"


def finite_abs_max(rows: list[list[Any]]) -> float:
    return max(
        (abs(v) for row in rows for v in row if isinstance(v, int | float)),
        default=0.0,
    )


def assert_shows(page: Page, api: httpx.Client) -> dict[str, Any]:
    """The position, strip, formulas and heatmaps on the page are those of the API's step."""
    answer = current(api, session_of(page))
    session, step = answer["session"], answer["step"]
    number = 0 if step is None else step["number"]
    finished = step is not None and session["cursor"] == 0 and session["iteration"] > 1
    iteration = session["iteration"] - 1 if finished else session["iteration"]
    expect(page.locator("#position")).to_have_text(
        f"Iteration {iteration} · step {number} / {session['step_count']} · {where(step)}"
    )
    strip = page.locator("#strip .strip-step")
    expect(strip).to_have_count(session["step_count"])
    marked = page.locator('#strip [aria-current="step"]')
    if step is None:
        expect(marked).to_have_count(0)
        expect(page.locator(".matrix-group:not([hidden])")).to_have_count(0)
        expect(page.locator("#back")).to_be_disabled()
        return answer
    expect(marked).to_have_attribute("data-number", str(number))

    shown = page.evaluate(SHOWN_MATRICES)
    expected = [
        (group, name) for group in ("results", "intermediates", "operands") for name in step[group]
    ]
    assert [(m["group"], m["name"]) for m in shown] == expected
    for matrix in shown:
        tensor = step["tensors"][matrix["name"]]
        rows, cols = tensor["shape"]
        assert (matrix["rows"], matrix["cols"]) == (rows, cols)
        assert matrix["tex"] == rf"{tensor['latex']} \in \mathbb{{R}}^{{{rows}\times {cols}}}"
        assert matrix["title"].endswith(f" ∈ ℝ^{{{rows}×{cols}}}")
        assert len(matrix["z"]) == rows and all(len(r) == cols for r in matrix["z"])
        assert matrix["range"] >= finite_abs_max(tensor["data"]) and matrix["range"] > 0
        assert matrix["numbers"] in (0, rows * cols), "every number written, or none"

    lines = page.locator("#formulas .formula-line")
    expect(lines).to_have_count(len(step["formulas"]))
    for line, formula in zip(lines.all(), step["formulas"], strict=True):
        expect(line.locator(".katex-mathml math")).to_have_count(1)
        expect(line.locator(".shape-algebra")).to_have_text(formula["shape_algebra"])
    return answer


def press_and_wait(page: Page, key: str) -> None:
    page.keyboard.press(key)
    wait_idle(page)


DIVERGING = {
    "layers": [2, 3, 1],
    "activations": ["identity", "identity"],
    "inputs": [[1.0, 2.0]],
    "targets": [[0.0]],
    "learning_rate": 1e300,
}
"""Identity layers with η = 10³⁰⁰: after three iterations its values are not finite."""


def open_diverged(page: Page, server_url: str, api: httpx.Client, query: str = "") -> None:
    """Opens the page (`query` added to its address) on a session of DIVERGING trained three
    iterations, and takes its first step."""
    session_id = api.post("/api/sessions", json=DIVERGING).json()["id"]
    assert api.post(f"/api/sessions/{session_id}/train", json={"iterations": 3}).is_success
    open_page(page, f"{server_url}/?session={session_id}{query}")
    press_and_wait(page, "ArrowRight")


# --- tests ----------------------------------------------------------------------------------


def test_page_loads_the_xor_preset_and_keeps_the_session_in_the_address(
    page: Page, server_url: str, api: httpx.Client
) -> None:
    open_page(page, server_url + "/")
    expect(page).to_have_title(re.compile("Backprop Visualizer"))
    expect(page.locator("#preset")).to_have_value("xor")
    answer = assert_shows(page, api)
    assert spec_of(api, answer["session"]["id"])["layers"] == [2, 4, 1]
    expect(page.locator("#empty-hint")).to_be_visible()


def test_the_header_is_one_row_on_a_projector(page: Page, server_url: str) -> None:
    open_page(page, server_url + "/")  # the page is 1280 × 720, a projector's size

    tops = page.eval_on_selector_all(
        ".site-header > *:not([hidden])",
        "items => items.filter(e => e.offsetParent).map(e => e.getBoundingClientRect().top)",
    )

    assert len(tops) >= 5
    assert max(tops) - min(tops) < 20  # one row: not a second line for one button


def test_each_preset_makes_a_new_session_with_its_network(
    page: Page, server_url: str, api: httpx.Client
) -> None:
    open_page(page, server_url + "/")
    presets = api.get("/api/presets").json()
    seen = {session_of(page)}
    for preset in presets:
        page.select_option("#preset", preset["id"])
        wait_idle(page)
        session_id = session_of(page)
        assert session_id not in seen
        seen.add(session_id)
        spec = spec_of(api, session_id)
        assert spec["layers"] == preset["spec"]["layers"]
        assert spec["loss"] == preset["spec"]["loss"]
        expect(page.locator("#preset")).to_have_value(preset["id"])
        press_and_wait(page, "ArrowRight")
        assert_shows(page, api)


def test_stepping_through_a_whole_iteration_and_back(
    page: Page, server_url: str, api: httpx.Client
) -> None:
    open_page(page, server_url + "/")
    steps = current(api, session_of(page))["session"]["step_count"]
    for _ in range(steps):
        page.click("#step")
        wait_idle(page)
        assert_shows(page, api)
    assert current(api, session_of(page))["session"]["iteration"] == 2
    for _ in range(steps):
        page.click("#back")
        wait_idle(page)
        assert_shows(page, api)
    assert current(api, session_of(page))["step"] is None


def test_formulas_are_mathml_with_readable_sizes_under_the_braces(
    page: Page, server_url: str, api: httpx.Client
) -> None:
    open_page(page, server_url + "/")
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    step = current(api, session_of(page))["step"]
    first = page.locator("#formulas .formula-line").first
    annotation = first.locator('math annotation[encoding="application/x-tex"]')
    expected = step["formulas"][0]["latex_shapes"]
    assert annotation.text_content() == re.sub(
        r"\}_\{(\d+\\times ?\d+)\}", r"}_{\\htmlClass{bv-size}{\1}}", expected
    )
    label = first.locator(".bv-size").first
    symbol = first.locator(".katex").first
    label_px = float(label.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    symbol_px = float(symbol.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    assert label_px >= 0.85 * symbol_px, "size labels nearly as large as the symbols"
    assert label_px >= 20

    first.hover()
    substep = step["substeps"][0]
    highlighted = page.locator(".matrix.is-highlighted")
    expect(highlighted).to_have_count(len({*substep["operands"], substep["result"]}))


def test_keyboard_steps_goes_back_and_plays(page: Page, server_url: str, api: httpx.Client) -> None:
    open_page(page, server_url + "/")
    press_and_wait(page, "ArrowRight")
    press_and_wait(page, "ArrowRight")
    assert current(api, session_of(page))["step"]["number"] == 2
    press_and_wait(page, "ArrowLeft")
    assert_shows(page, api)
    assert current(api, session_of(page))["step"]["number"] == 1

    page.locator("#speed").fill("4")  # the slider keeps the focus: space still plays
    page.keyboard.press(" ")
    expect(page.locator("#play")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#position")).to_contain_text("step 3 / 6")
    page.keyboard.press(" ")
    expect(page.locator("#play")).to_have_attribute("aria-pressed", "false")
    wait_idle(page)
    stopped_at = current(api, session_of(page))["step"]["number"]
    page.wait_for_timeout(600)
    assert current(api, session_of(page))["step"]["number"] == stopped_at

    # Keys typed into a field are the field's, not the stepper's.
    page.click("#edit-network")
    page.locator("#learning-rate").press("ArrowRight")
    page.locator("#learning-rate").press("ArrowLeft")
    page.keyboard.press("Escape")
    wait_idle(page)
    assert current(api, session_of(page))["step"]["number"] == stopped_at


def test_clicking_the_strip_goes_to_that_step_and_a_reload_shows_it_again(
    page: Page, server_url: str, api: httpx.Client
) -> None:
    open_page(page, server_url + "/")
    page.click('#strip [data-number="4"]')
    wait_idle(page)
    assert assert_shows(page, api)["step"]["number"] == 4
    page.click('#strip [data-number="2"]')
    wait_idle(page)
    assert assert_shows(page, api)["step"]["number"] == 2
    session_id = session_of(page)
    page.reload()
    page.locator("body[data-ready=true]").wait_for(state="attached")
    wait_idle(page)
    assert session_of(page) == session_id
    assert assert_shows(page, api)["step"]["number"] == 2


def test_run_to_end_keeps_each_tensors_colour_range_and_reset_starts_over(
    page: Page, server_url: str, api: httpx.Client
) -> None:
    open_page(page, server_url + "/")
    press_and_wait(page, "ArrowRight")
    first = {m["name"]: m["range"] for m in page.evaluate(SHOWN_MATRICES)}
    page.click("#run-to-end")
    wait_idle(page)
    expect(page.locator("#position")).to_have_text("Iteration 1 · step 6 / 6 · update")
    update = {m["name"]: m["range"] for m in page.evaluate(SHOWN_MATRICES)}
    # W1 and the updated W1 share one scale, which never shrinks while stepping on.
    assert update["W1"] == update["W1_new"] >= first["W1"]
    press_and_wait(page, "ArrowRight")
    expect(page.locator("#position")).to_have_text("Iteration 2 · step 1 / 6 · forward, layer 1")
    again = {m["name"]: m["range"] for m in page.evaluate(SHOWN_MATRICES)}
    assert again["W1"] == update["W1"]
    page.click("#run-to-end")
    wait_idle(page)
    expect(page.locator("#position")).to_have_text("Iteration 2 · step 6 / 6 · update")
    page.click("#reset")
    wait_idle(page)
    assert assert_shows(page, api)["session"]["iteration"] == 1


def test_an_invalid_width_shows_the_apis_message_next_to_the_field(
    page: Page, server_url: str
) -> None:
    open_page(page, server_url + "/")
    before = session_of(page)
    page.click("#edit-network")
    width = page.locator("#width-1")
    width.fill("0")
    width.dispatch_event("change")
    with page.expect_response(lambda r: r.url.split("?")[0].endswith("/api/sessions")) as answer:
        page.click("#apply")
    wait_idle(page)
    assert answer.value.status == 422
    detail = answer.value.json()["detail"]
    assert detail[0]["loc"] == ["body", "layers", 1]
    row = page.locator(".layer-row").filter(has=width)
    expect(row.locator('[data-error-for="layers.1"]')).to_have_text(detail[0]["msg"])
    expect(width).to_have_attribute("aria-invalid", "true")
    assert session_of(page) == before

    width.fill("3")
    width.dispatch_event("change")
    page.click("#apply")
    wait_idle(page)
    expect(page.locator("#editor")).to_be_hidden()
    assert session_of(page) != before


def test_pasted_csv_becomes_the_inputs_and_targets(
    page: Page, server_url: str, api: httpx.Client
) -> None:
    open_page(page, server_url + "/")
    page.click("#edit-network")
    page.fill("#csv", "x1,x2,y\n0.5,-1,1\n2,0.25,0\n1,1,1\n")
    page.click("#use-csv")
    expect(page.locator("#data-table tbody tr")).to_have_count(3)
    page.click("#apply")
    wait_idle(page)
    spec = spec_of(api, session_of(page))
    assert spec["inputs"] == [[0.5, -1.0], [2.0, 0.25], [1.0, 1.0]]
    assert spec["targets"] == [[1.0], [0.0], [1.0]]


def test_values_that_are_not_finite_are_gaps_with_a_notice(
    page: Page, server_url: str, api: httpx.Client
) -> None:
    open_diverged(page, server_url, api)
    shown = page.evaluate(SHOWN_MATRICES)
    gaps = [m for m in shown if m["notice"]]
    assert gaps, "a diverged run shows which matrices have entries that are not finite"
    assert any(v in ("∞", "\u2212∞", "NaN") for m in gaps for row in m["z"] for v in row)
    expect(page.locator("#status")).to_contain_text("not finite")


def test_every_request_goes_to_the_app_itself(
    page: Page, server_url: str, recorder: Recorder
) -> None:
    open_page(page, server_url + "/")
    press_and_wait(page, "ArrowRight")
    page.select_option("#preset", "softmax-classifier")
    wait_idle(page)
    page.click("#run-to-end")
    wait_idle(page)
    page.locator(".matrix-canvas").first.hover()
    assert any(re.search("/vendor/katex/[0-9a-f]{16}/fonts/", url) for url in recorder.requests)
    outside = [url for url in recorder.requests if not url.startswith(server_url + "/")]
    assert outside == []


STRICT_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
    )
)


def test_the_page_needs_no_inline_script_and_no_eval(page: Page, server_url: str) -> None:
    def with_policy(route: Any) -> None:
        response = route.fetch()
        headers = {**response.headers, "content-security-policy": STRICT_POLICY}
        route.fulfill(response=response, headers=headers)

    page.route(re.compile(r"^" + re.escape(server_url) + r"/(\?.*)?$"), with_policy)
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    open_page(page, server_url + "/")
    press_and_wait(page, "ArrowRight")
    page.click("#run-to-end")
    wait_idle(page)
    expect(page.locator(".matrix .matrix-canvas").first).to_be_visible()
    expect(page.locator("#formulas math").first).to_be_attached()
    assert page.evaluate("window.__violations") == []


def test_the_api_reference_renders_offline_under_the_csp(page: Page, server_url: str) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(server_url + "/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Backprop Visualizer")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    assert requests and all(url.startswith(server_url) for url in requests)


def cell(page: Page, tensor: str, row: int, col: int) -> tuple[float, float]:
    """The centre of entry (row, col) (1-based) of a heatmap, in page pixels."""
    figure = page.locator(f'.matrix[data-tensor="{tensor}"]')
    rows, cols = (
        int(figure.get_attribute("data-rows") or 0),
        int(figure.get_attribute("data-cols") or 0),
    )
    canvas = figure.locator("canvas.matrix-canvas").first
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    return (
        box["x"] + box["width"] * (col - 0.5) / cols,
        box["y"] + box["height"] * (row - 0.5) / rows,
    )


def test_back_says_why_it_is_off_after_an_update_whose_weights_are_not_kept(
    page: Page, server_url: str, api: httpx.Client
) -> None:
    # 600 × 220 + 220 + 221 parameters: over 131,072, so no past weights are kept.
    spec = network([600, 220, 1], [[(j % 7 - 3) / 3 for j in range(600)]], [[1.0]])
    open_session(page, server_url, api, spec)
    back = page.locator("#back")
    press_and_wait(page, "ArrowRight")
    expect(back).to_be_enabled()
    expect(back).to_have_attribute("title", "One step back (←)")

    for _ in range(5):  # the rest of the iteration: its update
        press_and_wait(page, "ArrowRight")

    expect(back).to_be_disabled()
    # Said on the page, not in a tooltip only, and tied to the button for screen readers.
    note = page.locator("#back-note")
    expect(note).to_be_visible()
    expect(note).to_have_text(
        "Back is off: the weights before that update are no longer kept (the server keeps only "
        "the last few, none for a network this big). Reset starts over."
    )
    expect(back).to_have_attribute("aria-describedby", "back-note")
    expect(back).to_have_attribute("title", re.compile("no longer kept.*Reset starts over"))
    top = page.locator(".stage").bounding_box()["y"]
    press_and_wait(page, "ArrowRight")  # back is on again, within the iteration
    expect(note).to_be_hidden()
    assert page.locator(".stage").bounding_box()["y"] == top, "the line keeps its room"
    page.click("#reset")
    wait_idle(page)
    expect(note).to_be_hidden()


def test_a_session_in_the_address_that_is_gone_is_said_and_a_new_one_started(
    page: Page, server_url: str, api: httpx.Client
) -> None:
    open_page(page, f"{server_url}/?session=0123456789abcdef0123456789abcdef&convention=row")

    expect(page.locator("#status")).to_have_text(
        re.compile(r"session in the address \(\?session=\) is gone")
    )
    new_id = session_of(page)
    assert new_id != "0123456789abcdef0123456789abcdef"
    assert spec_of(api, new_id)["layers"] == [2, 4, 1]  # the default preset
    assert parse_qs(urlsplit(page.url).query)["convention"] == ["row"]  # the rest is kept
