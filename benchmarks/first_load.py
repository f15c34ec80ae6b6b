"""The first load of the page on XOR: time to ready, bytes over the wire, Lighthouse's scores.

A real uvicorn server (one worker, the memory store) runs in a subprocess on a loopback port.
Figures:

- ready: `/` opened in a new browser context (nothing cached) of headless Debian Chromium at
  1280 × 720; timed in the page from the navigation's start (`performance.now()`) until
  main.js sets `<body data-ready="true">` (the presets read, the XOR session made and shown).
  Median of `--runs`; the same page opened again in that context (its cache warm) beside it.
  Target ≤ 800 ms.
- bytes: everything the page fetched over the wire (Chromium's own count of each response's
  encoded bytes, headers included, from the DevTools protocol) from the navigation until it
  is ready and the network has been idle for 0.5 s, in a new context; the biggest listed.
  Target ≤ 800 kB.
- Lighthouse: npm's `lighthouse` (pinned in benchmarks/lighthouse/package.json; `make bench`
  installs it) with its desktop preset against Debian's Chromium, the median score of
  `--lighthouse-runs` runs of each category. Targets: Performance ≥ 90, Accessibility 100,
  Best practices 100.

Run: `.venv/bin/python -m benchmarks.first_load [--runs N] [--lighthouse-runs N]`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.common import serve, verdict
from devtools.chromium import CHROMIUM, CHROMIUM_ARGS, launch
from devtools.server import REPO_ROOT

READY_TARGET_MS = 800.0
BYTES_TARGET = 800_000
SCORE_TARGETS = {"performance": 90, "accessibility": 100, "best-practices": 100}
VIEWPORT = {"width": 1280, "height": 720}
LIGHTHOUSE = REPO_ROOT / "benchmarks" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"

# Installed before any script of the page: window.__ready resolves with the time (from the
# navigation's start) at which <body data-ready="true"> is set.
WATCH_READY = """
window.__ready = new Promise((resolve) => {
  const watch = () => {
    const body = document.body;
    const observer = new MutationObserver(() => {
      if (body.dataset.ready !== "true") return;
      observer.disconnect();
      resolve(performance.now());
    });
    observer.observe(body, { attributes: true, attributeFilter: ["data-ready"] });
  };
  if (document.body) watch();
  else document.addEventListener("DOMContentLoaded", watch);
});
"""


def time_to_ready(browser: Any, url: str) -> tuple[float, float]:
    """Milliseconds to ready in a new context, then again in the same one (cache warm)."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(WATCH_READY)
    try:
        times = []
        for _ in range(2):
            page = context.new_page()
            page.goto(url)
            times.append(float(page.evaluate("() => window.__ready")))
            page.close()
        return times[0], times[1]
    finally:
        context.close()


def bytes_over_the_wire(browser: Any, url: str) -> tuple[int, list[tuple[int, str]]]:
    """The bytes the page's first load fetched (encoded, headers included), and each
    response's (bytes, URL)."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(WATCH_READY)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        urls: dict[str, str] = {}
        sizes: dict[str, int] = {}

        def sent(event: dict[str, Any]) -> None:
            urls[event["requestId"]] = event["request"]["url"]

        def finished(event: dict[str, Any]) -> None:
            sizes[event["requestId"]] = int(event["encodedDataLength"])

        cdp.on("Network.requestWillBeSent", sent)
        cdp.on("Network.loadingFinished", finished)
        cdp.send("Network.enable")
        page.goto(url)
        page.evaluate("() => window.__ready")
        page.wait_for_load_state("networkidle")
        each = sorted(((size, urls.get(rid, "?")) for rid, size in sizes.items()), reverse=True)
        return sum(size for size, _ in each), each
    finally:
        context.close()


def lighthouse(url: str) -> dict[str, float]:
    """Lighthouse's desktop scores (0–100) of `url`, by category."""
    if not LIGHTHOUSE.exists():
        raise RuntimeError(f"{LIGHTHOUSE} is missing: `make bench` installs it")
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        report = Path(tmp) / "report.json"
        flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
        subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--preset=desktop",
                "--only-categories=performance,accessibility,best-practices",
                "--output=json",
                f"--output-path={report}",
                f"--chrome-flags={flags}",
                "--quiet",
            ],
            check=True,
            env={**os.environ, "CHROME_PATH": str(CHROMIUM), "TMPDIR": tmp},
            timeout=300,
        )
        result = json.loads(report.read_text())
    scores = {name: round(100 * (c["score"] or 0)) for name, c in result["categories"].items()}
    scores["cls"] = result["audits"]["cumulative-layout-shift"]["numericValue"]
    scores["tbt"] = result["audits"]["total-blocking-time"]["numericValue"]
    scores["lcp"] = result["audits"]["largest-contentful-paint"]["numericValue"]
    failed = [
        audit["id"]
        for name in ("accessibility", "best-practices")
        for ref in result["categories"][name]["auditRefs"]
        if ref["weight"] > 0
        and (audit := result["audits"][ref["id"]])["score"] is not None
        and audit["score"] < 1
    ]
    scores["failed"] = failed  # type: ignore[assignment]
    return scores


def main(argv: list[str] | None = None) -> int:
    """Print the first load's figures; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="first loads timed (7)")
    parser.add_argument(
        "--lighthouse-runs", type=int, default=3, help="Lighthouse runs (3; 0 leaves it out)"
    )
    args = parser.parse_args(argv)
    if args.lighthouse_runs > 0 and not LIGHTHOUSE.exists():
        parser.error(f"{LIGHTHOUSE} is missing: `make bench` installs it (or --lighthouse-runs 0)")

    from playwright.sync_api import sync_playwright

    with serve() as server, sync_playwright() as playwright:
        url = f"{server.url}/"
        browser = launch(playwright)
        try:
            time_to_ready(browser, url)  # warm-up: the server's first answers, the OS's cache
            loads = [time_to_ready(browser, url) for _ in range(args.runs)]
            total, each = bytes_over_the_wire(browser, url)
        finally:
            browser.close()
        reports = [lighthouse(url) for _ in range(args.lighthouse_runs)]

    cold = statistics.median(load[0] for load in loads)
    warm = statistics.median(load[1] for load in loads)
    print(f"XOR's first load in headless Chromium ({CHROMIUM}) at 1280 × 720")
    print(
        f"  ready: median {cold:.0f} ms (runs {', '.join(f'{c:.0f}' for c, _ in loads)}); "
        f"again with the cache warm {warm:.0f} ms "
        f"(target ≤ {READY_TARGET_MS:g} ms: {verdict(cold, READY_TARGET_MS)})"
    )
    biggest = "; ".join(f"{size / 1000:.1f} kB {url.split('/', 3)[-1]}" for size, url in each[:5])
    print(
        f"  bytes over the wire: {total / 1000:.1f} kB in {len(each)} responses (biggest: "
        f"{biggest}) (target ≤ {BYTES_TARGET / 1000:g} kB: {verdict(total, BYTES_TARGET)})"
    )
    missed = cold > READY_TARGET_MS or total > BYTES_TARGET
    if not reports:
        print("  Lighthouse: not run (--lighthouse-runs 0)")
        return 1 if missed else 0
    for name, target in SCORE_TARGETS.items():
        runs = [report[name] for report in reports]
        score = statistics.median(runs)
        met = score >= target
        missed |= not met
        print(
            f"  Lighthouse (desktop) {name}: {score:g} (runs {', '.join(map(str, runs))}) "
            f"(target ≥ {target}: {'met' if met else 'MISSED'})"
        )
    for key, label in (("tbt", "total blocking time"), ("lcp", "largest paint"), ("cls", "CLS")):
        values = ", ".join(f"{report[key]:.3g}" for report in reports)
        print(f"    {label}: {values}")
    failed = sorted({audit for report in reports for audit in report["failed"]})
    if failed:
        print(f"    audits failed (accessibility, best practices): {', '.join(failed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
