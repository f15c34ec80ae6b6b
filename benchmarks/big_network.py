"""A big network in the page: 784-256-128-10, batch 8, stepped in headless Chromium.

A real uvicorn server (one worker, the memory store) runs in a subprocess on a loopback port;
Playwright drives Debian's Chromium (`/usr/bin/chromium`, headless) at 1280 × 720, the
projector's size. 784-256-128-10 is sigmoid, sigmoid, identity with softmax cross-entropy
(`common.mnist_spec`), W₁ 256 × 784. Figures:

- step: the session is created through the API and opened at `/?session=ID`. Timed in the
  page (`performance.now()`), from `#step.click()` until main.js sets `<body data-busy="false">`
  (every matrix of the step drawn, the formulas typeset) plus the next animation frame. Every
  step of `--iterations` iterations (the update included); the figure is the median of each of
  the 8 steps over the iterations, and the worst of those eight. Target ≤ 300 ms each.
- link: the same network opened from a `#spec=` link (the page builds a new session from it)
  in a new browser context (nothing cached), Step clicked as soon as the page is ready; timed
  from the navigation's start to that first step drawn plus a frame. Median of `--links` runs.
  Target ≤ 1.5 s.
- gradient forms: on backward layer 1, a click on "Compare gradient forms" until its panel is
  drawn plus a frame (the request for every form and ∇W₁ by each drawn), median of
  `--repeats`. Target ≤ 1 s.
- layout shift while stepping: every `layout-shift` entry Chromium reports while the big
  network and XOR are stepped through two whole iterations, summed as CLS sums them (session
  windows of at most 5 s with gaps under 1 s; the largest window), counting shifts just after
  a click too (CLS leaves those out; the figure here is stricter). Also the same sum of the
  shifts outside the matrix panel (the strip, the formulas, the controls, what is below the
  stage), whose groups of matrices change with the step. Target ≤ 0.05.

`--trace FILE` also writes Chromium's performance trace of one iteration's steps (open it in
Chromium's DevTools, Performance panel).

Run: `.venv/bin/python -m benchmarks.big_network [--iterations N] [--links N] [--repeats N]`.
"""

from __future__ import annotations

import argparse
import base64
import json
import statistics
from typing import Any

import numpy as np

from benchmarks.common import CLICK_TO_DRAWN, mnist_spec, serve, verdict
from devtools.chromium import CHROMIUM, launch

STEP_TARGET_MS = 300.0
LINK_TARGET_MS = 1500.0
FORMS_TARGET_MS = 1000.0
SHIFT_TARGET = 0.05
VIEWPORT = {"width": 1280, "height": 720}

# Installed before any script of the page: every layout shift is kept in window.__shifts.
WATCH_SHIFTS = """
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const element = (node) => (node?.nodeType === 1 ? node : node?.parentElement);
    const matrices = entry.sources.every((s) => element(s.node)?.closest(".matrix-panel"));
    window.__shifts.push({ value: entry.value, time: entry.startTime, matrices });
  }
}).observe({ type: "layout-shift", buffered: true });
"""

# Installed before any script of the page opened from a #spec= link: clicks Step as soon as the
# page is ready, and resolves window.__firstStep with the times (from the navigation's start)
# of ready and of the first step drawn.
FIRST_STEP = """
window.__firstStep = new Promise((resolve) => {
  const watch = () => {
    const body = document.body;
    let ready = 0;
    const observer = new MutationObserver(() => {
      if (body.dataset.busy !== "false") return;
      if (!ready && body.dataset.ready === "true") {
        ready = performance.now();
        document.getElementById("step").click();
      } else if (ready && document.getElementById("step-title").textContent.startsWith("1.")) {
        observer.disconnect();
        requestAnimationFrame(() => resolve({ ready, drawn: performance.now() }));
      }
    });
    observer.observe(body, { attributes: true, attributeFilter: ["data-busy", "data-ready"] });
  };
  if (document.body) watch();
  else document.addEventListener("DOMContentLoaded", watch);
});
"""

FORMS_DRAWN = """
() => new Promise((resolve) => {
  const panel = document.getElementById("gradient-forms");
  panel.hidden = true;
  const start = performance.now();
  const observer = new MutationObserver(() => {
    if (panel.hidden || panel.querySelectorAll(".gradient-form").length === 0) return;
    observer.disconnect();
    requestAnimationFrame(() => resolve(performance.now() - start));
  });
  observer.observe(panel, { attributes: true, childList: true, subtree: true });
  document.getElementById("compare-gradients").click();
})
"""


def largest_window(shifts: list[dict[str, Any]]) -> float:
    """CLS's sum of `shifts` ({value, time} in ms): the largest session window, a window
    ending at a gap of 1 s or at 5 s from its first shift; every shift counted."""
    best = current = 0.0
    first = last = None
    for shift in sorted(shifts, key=lambda s: s["time"]):
        time = shift["time"]
        if first is None or time - last > 1000 or time - first > 5000:
            first, current = time, 0.0
        current += shift["value"]
        last = time
        best = max(best, current)
    return best


JSON_NUMBERS = 256
"""address.js' JSON_NUMBERS: a batch of more inputs and targets follows the JSON as float64."""


def encode_spec(spec: dict[str, Any]) -> str:
    """`#spec=`'s value for `spec`, as the page's address.js writes it: base64url of its
    JSON; a batch of more than JSON_NUMBERS inputs and targets (fitting the layers) after it,
    each as base64url of its float64 bytes, little-endian, samples as rows."""

    def base64url(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).decode().rstrip("=")

    inputs, targets = np.asarray(spec["inputs"]), spec.get("targets")
    batch = [inputs] if targets is None else [inputs, np.asarray(targets)]
    if sum(part.size for part in batch) <= JSON_NUMBERS:
        return base64url(json.dumps(spec, separators=(",", ":")).encode())
    rest = {key: value for key, value in spec.items() if key not in ("inputs", "targets")}
    head = base64url(json.dumps(rest, separators=(",", ":")).encode())
    return ".".join([head, *(base64url(part.astype("<f8").tobytes()) for part in batch)])


def step_iterations(page: Any, iterations: int, steps: int) -> dict[int, list[float]]:
    """Clicks Step through `iterations` whole iterations; the times by step number."""
    times: dict[int, list[float]] = {n: [] for n in range(1, steps + 1)}
    for _ in range(iterations):
        for number in range(1, steps + 1):
            times[number].append(float(page.evaluate(CLICK_TO_DRAWN)))
            shown = page.locator("#step-title").inner_text()
            if not shown.startswith(f"{number}."):
                raise RuntimeError(f"step {number} expected, the page shows {shown!r}")
    return times


def take_shifts(page: Any) -> list[dict[str, Any]]:
    """The layout shifts recorded since the last call."""
    return list(page.evaluate("() => window.__shifts.splice(0)"))


def open_session(browser: Any, server_url: str, spec: dict[str, Any]) -> tuple[Any, Any, int]:
    """A new context and page showing a new session of `spec`, ready; its step count."""
    import httpx

    created = httpx.post(f"{server_url}/api/sessions", json=spec, timeout=60)
    created.raise_for_status()
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(WATCH_SHIFTS)
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(f"{server_url}/?session={created.json()['id']}")
    page.wait_for_selector("body[data-ready='true'][data-busy='false']")
    return context, page, int(created.json()["step_count"])


def main(argv: list[str] | None = None) -> int:
    """Print the big network's figures; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=3, help="iterations stepped (3)")
    parser.add_argument("--links", type=int, default=5, help="#spec= links opened (5)")
    parser.add_argument("--repeats", type=int, default=5, help="gradient forms drawn (5)")
    parser.add_argument("--trace", help="write Chromium's trace of one iteration to this file")
    args = parser.parse_args(argv)

    import httpx
    from playwright.sync_api import sync_playwright

    spec = mnist_spec(8)
    with serve() as server, sync_playwright() as playwright:
        xor = httpx.get(f"{server.url}/api/presets/xor").raise_for_status().json()["spec"]
        browser = launch(playwright)
        print(f"784-256-128-10, batch 8, in headless Chromium ({CHROMIUM}) at 1280 × 720")
        try:
            # Stepping, and the layout shifts it makes.
            context, page, steps = open_session(browser, server.url, spec)
            for _ in range(steps):  # warm-up: fonts, KaTeX, the first figures
                page.evaluate(CLICK_TO_DRAWN)
            take_shifts(page)
            times = step_iterations(page, args.iterations, steps)
            big_shifts = take_shifts(page)
            worst = report_steps(times)
            if args.trace:
                browser.start_tracing(page=page, path=args.trace, screenshots=False)
                step_iterations(page, 1, steps)
                browser.stop_tracing()
            # Gradient forms on backward layer 1 (step 2k + 1 = steps − 1).
            for _ in range(steps - 2):
                page.evaluate(CLICK_TO_DRAWN)
            forms = [float(page.evaluate(FORMS_DRAWN)) for _ in range(args.repeats)]
            forms_ms = statistics.median(forms)
            print(
                f"  gradient forms, backward layer 1: click → drawn, median {forms_ms:.0f} ms "
                f"(runs {', '.join(f'{f:.0f}' for f in forms)}) "
                f"(target ≤ {FORMS_TARGET_MS:g} ms: {verdict(forms_ms, FORMS_TARGET_MS)})",
                flush=True,
            )
            context.close()

            context, page, xor_steps = open_session(browser, server.url, xor)
            for _ in range(xor_steps):
                page.evaluate(CLICK_TO_DRAWN)
            take_shifts(page)
            step_iterations(page, 2, xor_steps)
            xor_shifts = take_shifts(page)
            context.close()
            shift = report_shifts(big_shifts, xor_shifts)

            # The #spec= link, in a new context each time (nothing cached).
            links = []
            for _ in range(args.links):
                context = browser.new_context(viewport=VIEWPORT)
                context.add_init_script(FIRST_STEP)
                page = context.new_page()
                page.set_default_timeout(120_000)
                page.goto(f"{server.url}/#spec={encode_spec(spec)}")
                links.append(page.evaluate("() => window.__firstStep"))
                context.close()
        finally:
            browser.close()

    drawn = statistics.median(link["drawn"] for link in links)
    ready = statistics.median(link["ready"] for link in links)
    runs = ", ".join(f"{link['drawn']:.0f}" for link in links)
    print(
        f"  #spec= link → first step drawn: median {drawn:.0f} ms (ready at {ready:.0f} ms; "
        f"runs {runs}) (target ≤ {LINK_TARGET_MS:g} ms: {verdict(drawn, LINK_TARGET_MS)})"
    )
    met = (
        worst <= STEP_TARGET_MS
        and drawn <= LINK_TARGET_MS
        and forms_ms <= FORMS_TARGET_MS
        and shift <= SHIFT_TARGET
    )
    return 0 if met else 1


def report_steps(times: dict[int, list[float]]) -> float:
    """Prints the stepping figures; returns the worst step's median."""
    medians = {n: statistics.median(t) for n, t in times.items()}
    worst = max(medians.values())
    per_step = ", ".join(f"{n}: {m:.0f}" for n, m in medians.items())
    every = [t for ts in times.values() for t in ts]
    print(
        f"  step: click → every matrix drawn, median per step (ms) {per_step}; worst "
        f"{worst:.0f} ms (all {len(every)} clicks: min {min(every):.0f}, max {max(every):.0f}) "
        f"(target ≤ {STEP_TARGET_MS:g} ms each: {verdict(worst, STEP_TARGET_MS)})",
        flush=True,
    )
    return worst


def report_shifts(big: list[dict[str, Any]], xor: list[dict[str, Any]]) -> float:
    """Prints the layout shifts' figures; returns the larger CLS."""
    shift = max(largest_window(big), largest_window(xor))
    print(
        f"  layout shift while stepping: 784-256-128-10 {largest_window(big):.3f} "
        f"({len(big)} shifts), XOR {largest_window(xor):.3f} ({len(xor)} shifts) "
        f"(target ≤ {SHIFT_TARGET:g}: {verdict(shift, SHIFT_TARGET)})",
        flush=True,
    )
    outside = [[s for s in shifts if not s["matrices"]] for shifts in (big, xor)]
    print(
        "    of which outside the matrices (the strip, the formulas, the controls, what is "
        f"below): {largest_window(outside[0]):.3f} and {largest_window(outside[1]):.3f}",
        flush=True,
    )
    return shift


if __name__ == "__main__":
    raise SystemExit(main())
